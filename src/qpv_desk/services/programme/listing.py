"""The programme list of a year: filtered, searched, a constant number of statements."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, func, select

from ...domain import enums as E
from ...domain import validation as V
from ...store.db import Database
from ...store.models import (
    Action,
    ActionObjective,
    Contract,
    Funder,
    FundingLine,
    Objective,
    Organisation,
    ProgrammeYear,
)
from ...domain.text import fold_text
from ..contract import descendants, objective_choices
from .data import ActionRow, Amounts, FunderRow, ProgrammeList


def _search_key(*parts) -> str:
    return fold_text(" ".join(p for p in parts if p))


def row_matches(row: ActionRow, search: str) -> bool:
    """Every word of ``search`` (case and accents ignored) appears in the code, title,
    holder, principal objective code or State platform code of the action."""
    words = fold_text(search).split()
    return all(w in row.search_key for w in words)


def filter_rows(rows: Iterable[ActionRow], search: str) -> list[ActionRow]:
    """The rows matching ``search`` (same rule as :func:`row_matches`, search folded once)."""
    words = fold_text(search).split()
    if not words:
        return list(rows)
    return [r for r in rows if all(w in r.search_key for w in words)]


def list_actions(
    db: Database,
    year: int,
    *,
    status: E.ActionStatus | str | Iterable | None = None,
    group: E.StatusGroup | str | None = None,
    objective_id: int | None = None,
    holder_id: int | None = None,
    funder_id: int | None = None,
    quartier_id: int | None = None,
    search: str = "",
) -> ProgrammeList:
    """The actions of ``year``'s programme, filtered, sorted by code.

    ``status``: one status (or several); ``group``: a status group; ``objective_id``:
    actions whose PRINCIPAL objective is this objective or one below it (enjeu,
    orientation or objective); ``funder_id``: actions with a line for this funder
    (something requested or granted); ``search``: see :func:`row_matches`.
    Four statements at most, whatever the number of actions.
    """
    stmt = (
        select(Action.id, Action.code, Action.title, Action.holder_id, Organisation.name, Organisation.acronym,
               Objective.id, Objective.code, Action.status, Action.total_cost_cents, Action.beneficiaries_planned,
               Action.beneficiaries_reached, Action.beneficiaries_qpv, Action.progress, Action.review_due,
               Action.review_received, Action.is_renewal, Action.platform_code, Action.start_date, Action.end_date,
               Action.quartier_id)
        .join(ProgrammeYear, ProgrammeYear.id == Action.programme_year_id)
        .join(Contract, Contract.id == ProgrammeYear.contract_id)
        .join(Organisation, Organisation.id == Action.holder_id)
        .outerjoin(ActionObjective, and_(ActionObjective.action_id == Action.id, ActionObjective.is_principal.is_(True)))
        .outerjoin(Objective, Objective.id == ActionObjective.objective_id)
        .where(ProgrammeYear.year == int(year))
        .where(Contract.id == select(func.min(Contract.id)).scalar_subquery())
    )
    if status is not None and status != "":
        statuses = [status] if isinstance(status, (str, E.ActionStatus)) else list(status)
        stmt = stmt.where(Action.status.in_([V.choice(x, E.ActionStatus, "Statut", "status").value for x in statuses]))
    if group is not None and group != "":
        g = V.choice(group, E.StatusGroup, "Groupe de statuts", "group")
        stmt = stmt.where(Action.status.in_([s.value for s in E.ActionStatus if s.group == g]))
    if holder_id is not None:
        stmt = stmt.where(Action.holder_id == int(holder_id))
    if quartier_id is not None:
        stmt = stmt.where(Action.quartier_id == int(quartier_id))
    if funder_id is not None:
        stmt = stmt.where(
            select(FundingLine.id).where(
                FundingLine.action_id == Action.id, FundingLine.funder_id == int(funder_id),
                (FundingLine.requested_cents > 0) | (func.coalesce(FundingLine.granted_cents, 0) > 0),
            ).exists()
        )
    with db.reader() as s:
        if objective_id is not None:
            subtree = descendants(objective_choices(s), int(objective_id))
            stmt = stmt.where(ActionObjective.objective_id.in_(subtree))
        funder_rows = tuple(
            FunderRow(f.id, f.code, f.name, f.is_state, f.position, f.active)
            for f in s.scalars(select(Funder).order_by(Funder.position, Funder.id))
        )
        ids_subq = stmt.with_only_columns(Action.id).scalar_subquery()
        funding: dict[int, dict[int, Amounts]] = {}
        for aid, fid, req, gr, paid in s.execute(
            select(FundingLine.action_id, FundingLine.funder_id, FundingLine.requested_cents,
                   FundingLine.granted_cents, FundingLine.paid_cents).where(FundingLine.action_id.in_(ids_subq))
        ):
            funding.setdefault(aid, {})[fid] = Amounts(req or 0, gr, paid or 0)
        raw = s.execute(stmt.order_by(Action.code, Action.id)).all()
    used = {fid for lines in funding.values() for fid in lines}
    shown_funders = tuple(f for f in funder_rows if f.active or f.id in used)
    rows = []
    for r in raw:
        row = ActionRow(
            id=r[0], year=int(year), code=r[1], title=r[2], holder_id=r[3], holder_name=r[4],
            principal_objective_id=r[6], principal_objective_code=r[7], status=E.ActionStatus(r[8]),
            total_cost_cents=r[9] or 0, funding=funding.get(r[0], {}), beneficiaries_planned=r[10],
            beneficiaries_reached=r[11], beneficiaries_qpv=r[12], progress=r[13], review_due=r[14],
            review_received=r[15], is_renewal=bool(r[16]), platform_code=r[17], start_date=r[18], end_date=r[19],
            search_key=_search_key(r[1], r[2], r[4], r[5], r[7], r[17]), quartier_id=r[20],
        )
        rows.append(row)
    return ProgrammeList(int(year), shown_funders, tuple(filter_rows(rows, search)))
