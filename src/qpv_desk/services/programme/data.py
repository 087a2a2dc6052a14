"""The plain data the programme services hand out (frozen dataclasses), and the programme's totals.

Re-exported by the package :mod:`qpv_desk.services.programme`; import them from there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from collections.abc import Iterable
from decimal import Decimal

from ...domain import enums as E
from ...domain.aggregation import counts_for_beneficiaries

# --------------------------------------------------------------------------- data out


@dataclass(frozen=True)
class FunderRow:
    id: int
    code: str
    name: str
    is_state: bool
    position: int
    active: bool


@dataclass(frozen=True)
class Amounts:
    requested_cents: int = 0
    granted_cents: int | None = None
    paid_cents: int = 0


@dataclass(frozen=True)
class ActionRow:
    """One line of the programme."""

    id: int
    year: int
    code: str
    title: str
    holder_id: int
    holder_name: str
    principal_objective_id: int | None
    principal_objective_code: str | None
    status: E.ActionStatus
    total_cost_cents: int
    funding: dict[int, Amounts] = field(compare=False, hash=False)
    beneficiaries_planned: int | None = None
    beneficiaries_reached: int | None = None
    beneficiaries_qpv: int | None = None
    progress: int | None = None
    review_due: dt.date | None = None
    review_received: dt.date | None = None
    is_renewal: bool = False
    platform_code: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    search_key: str = ""
    quartier_id: int | None = None

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def group(self) -> E.StatusGroup:
        return self.status.group

    @property
    def requested_cents(self) -> int:
        return sum(a.requested_cents for a in self.funding.values())

    @property
    def granted_cents(self) -> int:
        return sum(a.granted_cents or 0 for a in self.funding.values())

    @property
    def paid_cents(self) -> int:
        return sum(a.paid_cents for a in self.funding.values())

    def amounts(self, funder_id: int) -> Amounts:
        return self.funding.get(funder_id) or Amounts()


@dataclass(frozen=True)
class ProgrammeTotals:
    count: int
    total_cost_cents: int
    requested_cents: int
    granted_cents: int
    paid_cents: int
    beneficiaries_planned: int
    beneficiaries_reached: int
    by_funder: dict[int, Amounts] = field(compare=False, hash=False)


@dataclass(frozen=True)
class ProgrammeList:
    year: int
    funders: tuple[FunderRow, ...]
    rows: tuple[ActionRow, ...]

    @property
    def totals(self) -> ProgrammeTotals:
        return programme_totals(self.rows)


@dataclass(frozen=True)
class FundingLineRow:
    funder_id: int
    funder_code: str
    funder_name: str
    is_state: bool
    requested_cents: int
    granted_cents: int | None
    paid_cents: int


@dataclass(frozen=True)
class StatusChangeRow:
    id: int
    status: E.ActionStatus
    date: dt.date
    meeting_id: int | None
    meeting_label: str | None
    decision_id: int | None
    note: str | None

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class IndicatorRow:
    id: int
    position: int
    label: str
    unit: str | None
    target: Decimal | None
    result: Decimal | None
    version: int


@dataclass(frozen=True)
class ObjectiveLink:
    objective_id: int
    code: str
    title: str
    is_principal: bool


@dataclass(frozen=True)
class ActionDetail:
    id: int
    version: int
    year: int
    code: str
    title: str
    quartier_id: int | None
    holder_id: int
    holder_name: str
    contact_id: int | None
    contact_name: str | None
    description: str | None
    target_public: str | None
    place: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    is_renewal: bool
    multi_year: bool
    platform_code: str | None
    predecessor_id: int | None
    predecessor_label: str | None
    successor_ids: tuple[int, ...]
    status: E.ActionStatus
    total_cost_cents: int
    beneficiaries_planned: int | None
    beneficiaries_reached: int | None
    beneficiaries_qpv: int | None
    progress: int | None
    review_due: dt.date | None
    review_received: dt.date | None
    review_notes: str | None
    objectives: tuple[ObjectiveLink, ...]
    funding: tuple[FundingLineRow, ...]
    history: tuple[StatusChangeRow, ...]
    indicators: tuple[IndicatorRow, ...]

    @property
    def principal_objective(self) -> ObjectiveLink | None:
        return next((o for o in self.objectives if o.is_principal), None)

    @property
    def requested_cents(self) -> int:
        return sum(f.requested_cents for f in self.funding)

    @property
    def granted_cents(self) -> int:
        return sum(f.granted_cents or 0 for f in self.funding)

    @property
    def paid_cents(self) -> int:
        return sum(f.paid_cents for f in self.funding)


@dataclass(frozen=True)
class MeetingChoice:
    id: int
    date: dt.date
    body_name: str
    title: str

    @property
    def label(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.body_name} – {self.title}"


# --------------------------------------------------------------------------- small helpers




def programme_totals(rows: Iterable[ActionRow]) -> ProgrammeTotals:
    """Totals of a set of programme rows (the footer of the Programmation screen)."""
    count = cost = planned = reached = 0
    by_funder: dict[int, list[int]] = {}
    get = by_funder.get
    for r in rows:
        count += 1
        cost += r.total_cost_cents
        if counts_for_beneficiaries(r.status):  # the same rule as Suivi and the workbook
            planned += r.beneficiaries_planned or 0
            reached += r.beneficiaries_reached or 0
        for fid, a in r.funding.items():
            acc = get(fid)
            if acc is None:
                acc = by_funder[fid] = [0, 0, 0]
            acc[0] += a.requested_cents
            acc[1] += a.granted_cents or 0
            acc[2] += a.paid_cents
    req = sum(acc[0] for acc in by_funder.values())
    gr = sum(acc[1] for acc in by_funder.values())
    paid = sum(acc[2] for acc in by_funder.values())
    return ProgrammeTotals(count, cost, req, gr, paid, planned, reached,
                           {fid: Amounts(*acc) for fid, acc in by_funder.items()})
