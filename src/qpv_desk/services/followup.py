"""Suivi des objectifs: the objective tree with, per objective, what is funded, done, late or missing.

Public API (also used by the Excel follow-up):

- :func:`objective_tree_summary` ``(db, year=None, quartier_id=None, today=None)`` →
  ``list[ObjectiveSummary]``: every objective of the contract, flat, in tree order
  (depth-first, by position), each with its aggregates for one programme year (or the
  whole contract when ``year`` is ``None``). Constant number of SQL statements
  (four) whatever the number of actions.
- :func:`objective_detail` ``(db, objective_id, year=None, today=None)`` →
  :class:`ObjectiveDetail`: the actions of the objective's branch, the decisions and
  follow-up tasks linked to it.

The aggregation rules (which actions count where, progress, weights, bilans) are in
:mod:`qpv_desk.domain.aggregation` — read its docstring, or :data:`RULE_TEXT`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.engine import Connection

from ..domain import enums as E
from ..domain.text import person_name
from ..domain.aggregation import RULE_TEXT, ActionFacts, Node, Totals, action_progress, roll_up
from ..domain.errors import NotFoundError
from ..domain.rules import review_overdue, task_overdue
from ..store.db import Database
from ..store.tables import (
    action,
    action_objective,
    agenda_item,
    body,
    decision,
    follow_up_task,
    funder,
    funding_line,
    meeting,
    organisation,
    person,
    programme_year,
)
from .contract import ObjectiveChoice, descendants, first_contract_id, objective_choices

Reader = Connection  # or an ORM Session: both execute Core statements alike

__all__ = ["RULE_TEXT", "ObjectiveSummary", "ObjectiveDetail", "objective_tree_summary", "objective_detail",
           "action_facts"]


@dataclass(frozen=True)
class ObjectiveSummary:
    """One objective of the tree with the aggregates of its whole branch (see the rules).

    ``own_actions`` counts the actions whose principal objective is this very node;
    every other figure covers the node and everything below it.
    """

    objective_id: int
    parent_id: int | None
    depth: int
    code: str
    title: str
    level_name: str
    retired: bool
    own_actions: int
    actions: int
    examen: int
    financee: int
    realisee: int
    non_retenue: int
    abandonnee: int
    requested_cents: int
    granted_cents: int
    state_requested_cents: int
    state_granted_cents: int
    beneficiaries_planned: int
    beneficiaries_reached: int
    reviews_due: int
    reviews_received: int
    reviews_overdue: int
    progress: float | None
    uncovered: bool

    def count(self, group: E.StatusGroup) -> int:
        return {
            E.StatusGroup.EN_COURS_EXAMEN: self.examen,
            E.StatusGroup.FINANCEE: self.financee,
            E.StatusGroup.REALISEE: self.realisee,
            E.StatusGroup.NON_RETENUE: self.non_retenue,
            E.StatusGroup.ABANDONNEE: self.abandonnee,
        }[E.StatusGroup(group)]

    @property
    def other_requested_cents(self) -> int:
        """Requested from funders other than the State."""
        return self.requested_cents - self.state_requested_cents

    @property
    def other_granted_cents(self) -> int:
        return self.granted_cents - self.state_granted_cents

    @property
    def label(self) -> str:
        return f"{self.code} – {self.title}"


@dataclass(frozen=True)
class ObjectiveActionRow:
    id: int
    year: int
    code: str
    title: str
    holder_name: str
    status: E.ActionStatus
    is_principal: bool
    principal_objective_code: str | None
    requested_cents: int
    granted_cents: int
    progress: float | None
    review_due: dt.date | None
    review_received: dt.date | None
    review_overdue: bool

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class DecisionRow:
    id: int
    meeting_id: int
    meeting_date: dt.date
    body_name: str
    kind: E.DecisionKind
    text: str
    opinion: E.Opinion | None
    action_code: str | None


@dataclass(frozen=True)
class TaskRow:
    id: int
    description: str
    owner: str | None
    due_date: dt.date | None
    status: E.TaskStatus
    meeting_date: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class ObjectiveDetail:
    objective: ObjectiveChoice
    year: int | None
    actions: tuple[ObjectiveActionRow, ...]
    decisions: tuple[DecisionRow, ...]
    tasks: tuple[TaskRow, ...]


# --------------------------------------------------------------------------- queries


def _scope(stmt: Select, contract_id: int, year: int | None, quartier_id: int | None) -> Select:
    stmt = stmt.join(programme_year, programme_year.c.id == action.c.programme_year_id).where(
        programme_year.c.contract_id == contract_id
    )
    if year is not None:
        stmt = stmt.where(programme_year.c.year == int(year))
    if quartier_id is not None:
        stmt = stmt.where(action.c.quartier_id == int(quartier_id))
    return stmt


def _funding_by_action(s: Reader, contract_id: int, year, quartier_id) -> dict[int, list]:
    """action id → [requested, granted or None, state requested, state granted] in one statement."""
    is_state = funder.c.is_state.is_(True)
    stmt = _scope(
        select(
            funding_line.c.action_id,
            func.sum(funding_line.c.requested_cents),
            func.sum(funding_line.c.granted_cents),
            func.sum(case((is_state, funding_line.c.requested_cents), else_=0)),
            func.sum(case((is_state, func.coalesce(funding_line.c.granted_cents, 0)), else_=0)),
        )
        .join(funder, funder.c.id == funding_line.c.funder_id)
        .join(action, action.c.id == funding_line.c.action_id),
        contract_id, year, quartier_id,
    ).group_by(funding_line.c.action_id)
    return {r[0]: [int(r[1] or 0), None if r[2] is None else int(r[2]), int(r[3] or 0), int(r[4] or 0)]
            for r in s.execute(stmt)}


def action_facts(s: Reader, contract_id: int, year: int | None = None, quartier_id: int | None = None
                 ) -> list[tuple[int, int, ActionFacts]]:
    """``(action id, principal objective id, facts)`` for every action of the scope (two statements)."""
    funding = _funding_by_action(s, contract_id, year, quartier_id)
    stmt = _scope(
        select(action.c.id, action_objective.c.objective_id, action.c.status, action.c.progress,
               action.c.beneficiaries_planned, action.c.beneficiaries_reached, action.c.review_due,
               action.c.review_received)
        .join(action_objective, and_(action_objective.c.action_id == action.c.id,
                                     action_objective.c.is_principal.is_(True))),
        contract_id, year, quartier_id,
    )
    out = []
    for aid, oid, status, progress, planned, reached, due, received in s.execute(stmt):
        req, granted, sreq, sgr = funding.get(aid, (0, None, 0, 0))
        out.append((aid, oid, ActionFacts(E.ActionStatus(status), progress, req, granted, sreq, sgr, planned, reached,
                                          due, received)))
    return out


def objective_tree_summary(db: Database, year: int | None = None, quartier_id: int | None = None,
                           today: dt.date | None = None) -> list[ObjectiveSummary]:
    """Every objective in tree order with the aggregates of its branch for ``year``
    (``None``: the whole contract) and optionally one quartier. ``today`` decides which
    bilans are overdue (default: today's date)."""
    today = today or dt.date.today()
    with db.table_reader() as s:
        cid = first_contract_id(s)
        if cid is None:
            return []
        tree = objective_choices(s)
        facts = action_facts(s, cid, year, quartier_id)
    own: dict[int, Totals] = {}
    own_count: dict[int, int] = {}
    for _aid, oid, f in facts:
        own.setdefault(oid, Totals()).add_action(f, today)
        own_count[oid] = own_count.get(oid, 0) + 1
    totals = roll_up([Node(o.id, o.parent_id) for o in tree], own)
    out = []
    for o in tree:
        t = totals.get(o.id) or Totals()
        out.append(ObjectiveSummary(
            objective_id=o.id, parent_id=o.parent_id, depth=o.depth, code=o.code, title=o.title,
            level_name=o.level_name, retired=o.retired, own_actions=own_count.get(o.id, 0), actions=t.actions,
            examen=t.examen, financee=t.financee, realisee=t.realisee, non_retenue=t.non_retenue,
            abandonnee=t.abandonnee, requested_cents=t.requested_cents, granted_cents=t.granted_cents,
            state_requested_cents=t.state_requested_cents, state_granted_cents=t.state_granted_cents,
            beneficiaries_planned=t.beneficiaries_planned, beneficiaries_reached=t.beneficiaries_reached,
            reviews_due=t.reviews_due, reviews_received=t.reviews_received, reviews_overdue=t.reviews_overdue,
            progress=t.progress, uncovered=(not o.retired and t.actions == 0),
        ))
    return out


def objective_detail(db: Database, objective_id: int, year: int | None = None,
                     today: dt.date | None = None, *, quartier_id: int | None = None) -> ObjectiveDetail:
    """The actions of an objective's branch (principal link, plus secondary links flagged),
    and the decisions and follow-up tasks linked to the branch — directly, through an
    agenda item about it, or about an action whose principal objective is in the branch."""
    today = today or dt.date.today()
    with db.table_reader() as s:
        cid = first_contract_id(s)
        tree = objective_choices(s)
        node = next((o for o in tree if o.id == int(objective_id)), None)
        if cid is None or node is None:
            raise NotFoundError(f"L'objectif n° {objective_id} introuvable.")
        subtree = descendants(tree, node.id)
        codes = {o.id: o.code for o in tree}
        links = _scope(
            select(action_objective.c.action_id, action_objective.c.objective_id, action_objective.c.is_principal)
            .join(action, action.c.id == action_objective.c.action_id)
            .where(action_objective.c.objective_id.in_(subtree)), cid, year, quartier_id)
        link_rows = s.execute(links).all()
        principal_here = {aid for aid, _oid, p in link_rows if p}
        action_ids = {aid for aid, _oid, _p in link_rows}
        actions: list[ObjectiveActionRow] = []
        if action_ids:
            money = dict(
                (r[0], (int(r[1] or 0), int(r[2] or 0)))
                for r in s.execute(select(funding_line.c.action_id, func.sum(funding_line.c.requested_cents),
                                          func.sum(funding_line.c.granted_cents))
                                   .where(funding_line.c.action_id.in_(action_ids)).group_by(funding_line.c.action_id))
            )
            principal = action_objective.alias()
            stmt = (
                select(action.c.id, programme_year.c.year, action.c.code, action.c.title, organisation.c.name,
                       action.c.status, principal.c.objective_id, action.c.progress, action.c.review_due,
                       action.c.review_received)
                .join(programme_year, programme_year.c.id == action.c.programme_year_id)
                .join(organisation, organisation.c.id == action.c.holder_id)
                .outerjoin(principal, and_(principal.c.action_id == action.c.id, principal.c.is_principal.is_(True)))
                .where(action.c.id.in_(action_ids))
                .order_by(programme_year.c.year, action.c.code)
            )
            for aid, yr, code, title, holder, status, poid, progress, due, received in s.execute(stmt):
                st = E.ActionStatus(status)
                req, gr = money.get(aid, (0, 0))
                actions.append(ObjectiveActionRow(
                    aid, yr, code, title, holder, st, aid in principal_here, codes.get(poid), req, gr,
                    action_progress(st, progress), due, received,
                    review_overdue(st, due, received, today),
                ))
        item_obj = agenda_item.alias()
        action_alias = action.alias()
        decision_rows = s.execute(
            select(decision.c.id, meeting.c.id, meeting.c.date, body.c.name, decision.c.kind, decision.c.text,
                   decision.c.opinion, action_alias.c.code)
            .join(meeting, meeting.c.id == decision.c.meeting_id)
            .join(body, body.c.id == meeting.c.body_id)
            .outerjoin(item_obj, item_obj.c.id == decision.c.agenda_item_id)
            .outerjoin(action_alias, action_alias.c.id == decision.c.action_id)
            .where(or_(decision.c.objective_id.in_(subtree), item_obj.c.objective_id.in_(subtree),
                       decision.c.action_id.in_(principal_here or {-1})))
            .order_by(meeting.c.date.desc(), decision.c.position, decision.c.id)
        ).all()
        decisions = tuple(
            DecisionRow(r[0], r[1], r[2], r[3], E.DecisionKind(r[4]), r[5], E.Opinion(r[6]) if r[6] else None, r[7])
            for r in decision_rows
        )
        item_t = agenda_item.alias()
        task_rows = s.execute(
            select(follow_up_task.c.id, follow_up_task.c.description, person.c.civility, person.c.first_name,
                   person.c.last_name, organisation.c.name,
                   follow_up_task.c.due_date, follow_up_task.c.status, meeting.c.date)
            .outerjoin(person, person.c.id == follow_up_task.c.owner_person_id)
            .outerjoin(organisation, organisation.c.id == follow_up_task.c.owner_organisation_id)
            .outerjoin(meeting, meeting.c.id == follow_up_task.c.meeting_id)
            .outerjoin(item_t, item_t.c.id == follow_up_task.c.agenda_item_id)
            .where(or_(follow_up_task.c.objective_id.in_(subtree), item_t.c.objective_id.in_(subtree),
                       follow_up_task.c.action_id.in_(principal_here or {-1})))
            .order_by(follow_up_task.c.due_date.is_(None), follow_up_task.c.due_date, follow_up_task.c.id)
        ).all()
        tasks = []
        for tid, desc, civility, first, last, org, due, status, mdate in task_rows:
            st = E.TaskStatus(status)
            name = person_name(first, last, civility) or None
            owner = " – ".join(p for p in (name, org) if p) or None
            tasks.append(TaskRow(tid, desc, owner, due, st, mdate, task_overdue(st, due, today)))
    return ObjectiveDetail(node, year, tuple(actions), decisions, tuple(tasks))
