"""Who comes to the meetings: attendance per organisation and per person.

The rule, in one place (the Partenaires screen shows it; the COPIL workbook is meant to
read the same function):

- only *held* meetings count (status « tenue » or « compte rendu validé »), between
  ``start`` and ``end`` included, of one body or of every body;
- each invitation counts once, guests included, under the organisation recorded on the
  invitation (a seat belongs to its organisation, whoever holds it that day);
- *attended* = présent + à distance + représenté; the *rate* is attended / invitations
  (``None`` without invitation); « excusé », « absent » and « non renseigné » are not
  attended;
- for an organisation, a meeting is attended when at least one of its invitees attended
  (its counts are per invitation, its streak per meeting);
- ``missed_in_a_row``: how many of the most recent counted meetings to which the person
  (or the organisation) was invited, in a row up to the last one, were not attended;
  ``flagged`` when that reaches ``missed`` (the « last N meetings » asked on screen).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from ..domain import enums as E
from ..domain.rules import HELD
from ..domain.text import person_name, person_sort_key, sort_key
from ..store.db import Database
from ..store.models import Attendance, Body, Meeting, Organisation, Person

ATTENDED = (E.AttendanceStatus.PRESENT, E.AttendanceStatus.DISTANCE, E.AttendanceStatus.REPRESENTE)


@dataclass(frozen=True)
class AttendanceCounts:
    invited: int = 0
    present: int = 0
    distance: int = 0
    represented: int = 0
    excused: int = 0
    absent: int = 0
    unknown: int = 0

    @property
    def attended(self) -> int:
        return self.present + self.distance + self.represented

    @property
    def rate(self) -> float | None:
        return self.attended / self.invited if self.invited else None


@dataclass(frozen=True)
class AttendanceLine:
    """One organisation (``organisation`` empty) or one person (``organisation`` = theirs)."""

    id: int | None
    name: str
    organisation: str
    counts: AttendanceCounts
    missed_in_a_row: int
    last_attended: dt.date | None
    flagged: bool


@dataclass(frozen=True)
class AttendanceReport:
    start: dt.date | None
    end: dt.date | None
    body_id: int | None
    body_label: str
    meetings: int
    missed: int
    organisations: tuple[AttendanceLine, ...]
    persons: tuple[AttendanceLine, ...]


_FIELD = {
    E.AttendanceStatus.PRESENT: "present",
    E.AttendanceStatus.DISTANCE: "distance",
    E.AttendanceStatus.REPRESENTE: "represented",
    E.AttendanceStatus.EXCUSE: "excused",
    E.AttendanceStatus.ABSENT: "absent",
    E.AttendanceStatus.INVITE: "unknown",
}


def count_statuses(pairs) -> AttendanceCounts:
    """The one attendance rule, from (status, how many) pairs: every invitation counts as
    invited; présent, à distance and représenté(e) count as attended (the rate's numerator).
    The Partenaires › Présences screen and the COPIL workbook both count through here."""
    values: dict[str, int] = defaultdict(int)
    invited = 0
    for status, count in pairs:
        values[_FIELD[E.AttendanceStatus(status)]] += count
        invited += count
    return AttendanceCounts(invited=invited, **values)


def _counts(statuses: list[E.AttendanceStatus]) -> AttendanceCounts:
    return count_statuses((status, 1) for status in statuses)


def _streak(history: list[tuple[dt.date, bool]]) -> tuple[int, dt.date | None]:
    """``history``: (meeting date, attended) oldest first → (missed in a row at the end, last attended)."""
    missed = 0
    for _day, attended in reversed(history):
        if attended:
            break
        missed += 1
    last = max((day for day, attended in history if attended), default=None)
    return missed, last


def attendance_report(db: Database, *, start: dt.date | None = None, end: dt.date | None = None,
                      body_id: int | None = None, missed: int = 3) -> AttendanceReport:
    """Attendance over the held meetings of the period (of one body, or all); see the module rule."""
    missed = max(int(missed), 1)
    with db.reader() as s:
        stmt = (
            select(Meeting.id, Meeting.date, Attendance.person_id, Attendance.organisation_id, Attendance.status,
                   Person.civility, Person.first_name, Person.last_name, Organisation.name)
            .join(Attendance, Attendance.meeting_id == Meeting.id)
            .join(Person, Person.id == Attendance.person_id)
            .outerjoin(Organisation, Organisation.id == Attendance.organisation_id)
            .where(Meeting.status.in_(HELD))
            .order_by(Meeting.date, Meeting.id)
        )
        if start is not None:
            stmt = stmt.where(Meeting.date >= start)
        if end is not None:
            stmt = stmt.where(Meeting.date <= end)
        if body_id is not None:
            stmt = stmt.where(Meeting.body_id == body_id)
        rows = s.execute(stmt).all()
        body_label = s.scalar(select(Body.name).where(Body.id == body_id)) if body_id is not None else ""
    meetings = {r.id for r in rows}
    person_statuses: dict[int, list] = defaultdict(list)
    person_history: dict[int, list] = defaultdict(list)
    person_info: dict[int, tuple] = {}
    org_statuses: dict[int | None, list] = defaultdict(list)
    org_meeting: dict[int | None, dict] = defaultdict(dict)  # org → meeting id → (date, attended)
    org_names: dict[int | None, str] = {}
    for r in rows:
        status = E.AttendanceStatus(r.status)
        attended = status in ATTENDED
        person_statuses[r.person_id].append(status)
        person_history[r.person_id].append((r.date, attended))
        person_info[r.person_id] = (r.civility, r.first_name, r.last_name, r.name or "")
        org_statuses[r.organisation_id].append(status)
        day, before = org_meeting[r.organisation_id].get(r.id, (r.date, False))
        org_meeting[r.organisation_id][r.id] = (day, before or attended)
        org_names[r.organisation_id] = r.name or "Sans structure"
    persons = []
    for pid, statuses in person_statuses.items():
        civility, first, last, org = person_info[pid]
        streak, last_day = _streak(person_history[pid])
        persons.append((person_sort_key(first, last), AttendanceLine(
            pid, person_name(first, last, civility), org, _counts(statuses), streak, last_day, streak >= missed)))
    organisations = []
    for oid, statuses in org_statuses.items():
        history = sorted(org_meeting[oid].values())
        streak, last_day = _streak(history)
        organisations.append((sort_key(org_names[oid]), AttendanceLine(
            oid, org_names[oid], "", _counts(statuses), streak, last_day, streak >= missed)))
    return AttendanceReport(
        start=start, end=end, body_id=body_id, body_label=body_label or "", meetings=len(meetings), missed=missed,
        organisations=tuple(line for _key, line in sorted(organisations, key=lambda t: t[0])),
        persons=tuple(line for _key, line in sorted(persons, key=lambda t: t[0])),
    )
