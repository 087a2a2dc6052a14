"""The data the three documents of a meeting are built from (plain, no ORM, no Qt).

Defined here, beside the writers, so that :mod:`qpv_desk.reports.meeting_docs` never
imports the services; :mod:`qpv_desk.services.meeting_documents` fills them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..domain import enums as E


@dataclass(frozen=True)
class DocAttendee:
    name: str
    organisation: str
    function: str
    status: E.AttendanceStatus
    represented_by: str = ""
    guest: bool = False
    civility: str = ""  # « Mme », « M. » or "" (gender agreement)
    last_name: str = ""  # sort by surname (French collation)
    first_name: str = ""


@dataclass(frozen=True)
class FundingAmount:
    funder: str
    requested_cents: int
    granted_cents: int | None
    position: int = 0  # the funder's place in the referential's order


@dataclass(frozen=True)
class DocDecision:
    kind: E.DecisionKind
    text: str
    opinion: E.Opinion | None = None
    action: str = ""  # « 2025-01 – Atelier »
    action_code: str = ""
    action_title: str = ""
    holder: str = ""
    objective: str = ""  # « Objectif opérationnel 1.2.3 »
    outcome: str = ""  # the status the decision gave the action (« Accordée »)
    funding: tuple[FundingAmount, ...] = ()


@dataclass(frozen=True)
class DocAgendaItem:
    number: int
    title: str
    presenter: str = ""
    duration_min: int | None = None
    reference: str = ""  # linked objective / action
    discussion: str = ""
    decisions: tuple[DocDecision, ...] = ()
    presenter_absent: bool = False


@dataclass(frozen=True)
class DocTask:
    owner: str
    description: str
    due_date: dt.date | None
    status: E.TaskStatus
    overdue: bool = False
    meeting_date: dt.date | None = None
    done_on: dt.date | None = None


@dataclass(frozen=True)
class Validation:
    """Who validated a compte rendu and when (printed on the frozen record)."""

    validated_on: dt.date
    validated_by: str
    chair: str = ""


@dataclass(frozen=True)
class MeetingDocument:
    """Everything the convocation, the sign-in sheet and the minutes need."""

    meeting_id: int
    commune: str
    contract: str
    quartier: str
    body_code: str
    body_name: str
    title: str
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    place: str
    status: E.MeetingStatus
    secretary: str
    secretary_function: str
    secretary_contact: str
    quorum: int | None
    attendees: tuple[DocAttendee, ...]
    agenda: tuple[DocAgendaItem, ...]
    tasks: tuple[DocTask, ...]
    review: tuple[DocTask, ...]
    next_meeting_date: dt.date | None
    today: dt.date = field(default_factory=dt.date.today)
    body_kind: str = ""
    signatories: tuple[tuple[str, str], ...] = ()  # (name, function) signing the convocation
    reply_by: dt.date | None = None
    convocation_date: dt.date | None = None  # the day the convocation was produced
    validation: Validation | None = None
    secretary_civility: str = ""

    @property
    def is_draft(self) -> bool:
        """Minutes stay a PROJET until the status is « compte rendu validé »."""
        return self.status is not E.MeetingStatus.CR_VALIDE

    @property
    def attended(self) -> int:
        return sum(1 for a in self.attendees if a.status.attended)
