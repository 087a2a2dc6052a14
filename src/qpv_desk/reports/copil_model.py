"""What the COPIL / DGS workbook shows: plain frozen dataclasses, no database, no Qt.

:func:`qpv_desk.services.reporting.copil_data` fills them from the base;
:func:`qpv_desk.reports.copil_workbook.render_copil_workbook` turns them into a file.
Defined here (and not in services) so that the writer imports nothing but the domain.

Amounts are integer cents. ``None`` means « nothing there » (a funder never asked, a
grant not decided, a rate without a held meeting) and is written as a blank cell; ``0``
is a real zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ..domain import enums as E

ATTENDANCE_COLUMNS = (
    E.AttendanceStatus.PRESENT,
    E.AttendanceStatus.DISTANCE,
    E.AttendanceStatus.REPRESENTE,
    E.AttendanceStatus.EXCUSE,
    E.AttendanceStatus.ABSENT,
    E.AttendanceStatus.INVITE,
)
NO_OBJECTIVE = "Sans objectif principal"


@dataclass(frozen=True)
class FunderInfo:
    id: int
    code: str
    name: str
    is_state: bool


@dataclass(frozen=True)
class ProgrammeRow:
    action_id: int
    year: int
    code: str
    holder: str
    title: str
    objective: str
    enjeu: str
    status: str
    group: str
    requested: tuple[int | None, ...]  # per funder, in ``CopilData.funders`` order; None: never asked
    granted: tuple[int | None, ...]
    total_cost_cents: int
    platform_code: str
    quartier: str


@dataclass(frozen=True)
class GroupRow:
    label: str
    count: int
    requested_cents: int
    granted_cents: int


@dataclass(frozen=True)
class FunderTotal:
    funder: FunderInfo
    requested_cents: int
    granted_cents: int
    paid_cents: int
    lines: int = 0  # funding lines of this funder in the period (0: never asked)


@dataclass(frozen=True)
class EnjeuRow:
    """One first-level objective (whatever the referential calls it) with its amounts per funder."""

    code: str
    title: str
    requested: tuple[int | None, ...]  # None: no request to that funder under this objective
    granted: tuple[int | None, ...]

    @property
    def label(self) -> str:
        return f"{self.code} – {self.title}" if self.code else self.title


@dataclass(frozen=True)
class SuiviLine:
    """One objective of the tree with the aggregates of its branch (see services.followup)."""

    depth: int
    code: str
    title: str
    level_name: str
    retired: bool
    uncovered: bool
    actions: int
    examen: int
    financee: int
    realisee: int
    non_retenue: int
    abandonnee: int
    requested_cents: int
    state_requested_cents: int
    granted_cents: int
    state_granted_cents: int
    beneficiaries_planned: int
    beneficiaries_reached: int
    reviews_due: int
    reviews_received: int
    reviews_overdue: int
    progress: float | None

    @property
    def label(self) -> str:
        return f"{self.code} – {self.title}" if self.code else self.title


@dataclass(frozen=True)
class MeetingRow:
    date: dt.date
    body: str
    body_kind: str
    title: str
    place: str
    status: str
    held: bool
    counts: tuple[int, ...]  # per ATTENDANCE_COLUMNS
    invited: int
    attended: int

    @property
    def rate(self) -> float | None:
        """Attended / invited, only for a meeting that was held (blank otherwise)."""
        return self.attended / self.invited if self.held and self.invited else None


@dataclass(frozen=True)
class BodySummary:
    """A body's held meetings in the period and their mean attendance rate."""

    name: str
    held: int
    average_rate: float | None
    kind: str = ""  # E.BodyKind value


@dataclass(frozen=True)
class PartnerAttendance:
    """An organisation's attendance at the held meetings of one body."""

    organisation: str
    body: str
    invited: int
    attended: int
    excused: int
    absent: int
    body_kind: str = ""  # E.BodyKind value

    @property
    def rate(self) -> float | None:
        return self.attended / self.invited if self.invited else None


@dataclass(frozen=True)
class OrgAttendance:
    """An organisation's attendance summed over several bodies (see ``CopilData.org_attendance``)."""

    organisation: str
    invited: int
    attended: int

    @property
    def rate(self) -> float | None:
        return self.attended / self.invited if self.invited else None


@dataclass(frozen=True)
class YearRow:
    """One programme year of the whole-contract export."""

    year: int
    actions: int
    requested_cents: int
    granted_cents: int
    state_granted_cents: int
    total_cost_cents: int
    beneficiaries_planned: int
    beneficiaries_reached: int


@dataclass(frozen=True)
class TaskLine:
    description: str
    person: str
    organisation: str
    due_date: dt.date | None
    status: str
    origin: str
    origin_date: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class StatLine:
    quartier: str
    label: str
    value: Decimal
    agglomeration: Decimal | None
    unit: str
    source: str
    year: int | None

    @property
    def is_percentage(self) -> bool:
        return self.unit.strip() == "%"


@dataclass(frozen=True)
class CopilData:
    year: int | None  # None: the whole contract
    title: str
    contract: str
    quartier: str  # « Tous les quartiers » when not filtered
    data_date: dt.datetime
    today: dt.date
    funders: tuple[FunderInfo, ...]
    programme: tuple[ProgrammeRow, ...]
    groups: tuple[GroupRow, ...]
    funder_totals: tuple[FunderTotal, ...]
    state_requested_cents: int
    state_granted_cents: int
    total_cost_cents: int
    beneficiaries_planned: int
    beneficiaries_reached: int
    beneficiaries_qpv: int
    bilans_due: int
    bilans_received: int
    bilans_overdue: int
    enjeux: tuple[EnjeuRow, ...]
    suivi: tuple[SuiviLine, ...] = ()
    level_names: tuple[str, ...] = ()
    meetings: tuple[MeetingRow, ...] = ()
    bodies: tuple[BodySummary, ...] = ()
    attendance: tuple[PartnerAttendance, ...] = ()
    tasks: tuple[TaskLine, ...] = ()
    statistics: tuple[StatLine, ...] = ()
    years: tuple[YearRow, ...] = ()  # filled for the whole contract only
    changes: object | None = None  # ProgrammeChanges since the last COPIL's snapshot (services/snapshots.py)
    registers: tuple = ()  # the conseils citoyens' registers (services/council.py)
    maps: tuple = ()  # the quartiers' perimeters (services/perimeter.py), pictured beside the Portrait
    has_cents: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def period(self) -> str:
        """« en 2025 » or « sur la durée du contrat »."""
        return f"en {self.year}" if self.year is not None else "sur la durée du contrat"

    @property
    def first_level(self) -> str:
        """The referential's name for the first level of objectives (« Enjeu », « Pilier »…)."""
        return self.level_names[0] if self.level_names and self.level_names[0] else "Objectif"

    # The technical body's figures, for documents that speak of it by kind (the rapport
    # annuel); the workbook itself shows every body under its own name.

    def _technical(self) -> list[BodySummary]:
        return [b for b in self.bodies if b.kind == E.BodyKind.GT.value]

    @property
    def gt_meetings_held(self) -> int:
        return sum(b.held for b in self._technical())

    @property
    def gt_average_rate(self) -> float | None:
        rates = [b.average_rate for b in self._technical() if b.average_rate is not None]
        return sum(rates) / len(rates) if rates else None

    @property
    def org_attendance(self) -> tuple[OrgAttendance, ...]:
        """Per organisation, its attendance at the held meetings of the technical body."""
        acc: dict[str, list[int]] = {}
        for a in self.attendance:
            if a.body_kind == E.BodyKind.GT.value:
                row = acc.setdefault(a.organisation, [0, 0])
                row[0] += a.invited
                row[1] += a.attended
        return tuple(OrgAttendance(name, *v) for name, v in acc.items())

    @property
    def requested_cents(self) -> int:
        return sum(t.requested_cents for t in self.funder_totals)

    @property
    def granted_cents(self) -> int:
        return sum(t.granted_cents for t in self.funder_totals)


__all__ = [
    "ATTENDANCE_COLUMNS", "NO_OBJECTIVE", "BodySummary", "CopilData", "EnjeuRow", "FunderInfo", "FunderTotal",
    "GroupRow", "MeetingRow", "OrgAttendance", "PartnerAttendance", "ProgrammeRow", "StatLine", "SuiviLine", "TaskLine", "YearRow",
]
