"""Tableau de bord: what the référente looks at first, in one call.

:func:`dashboard` returns next meetings, overdue follow-up tasks, this year's actions by
status group, amounts by funder and by enjeu (top level of the objective tree) and the
objectives without any action this year. The figures by enjeu and the uncovered
objectives come from :func:`qpv_desk.services.followup.objective_tree_summary`, so the
dashboard and the Suivi des objectifs always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from ..domain import enums as E
from ..store.db import Database
from ..store.models import (
    Action,
    Body,
    Contract,
    FollowUpTask,
    Funder,
    FundingLine,
    Meeting,
    Organisation,
    Person,
    ProgrammeYear,
)
from .followup import ObjectiveSummary, objective_tree_summary
from .rules import task_overdue_clause


@dataclass(frozen=True)
class MeetingItem:
    id: int
    date: dt.date
    start_time: dt.time | None
    body_name: str
    title: str
    place: str | None
    status: E.MeetingStatus


@dataclass(frozen=True)
class TaskItem:
    id: int
    description: str
    owner: str | None
    due_date: dt.date
    days_late: int
    meeting_id: int | None = None


@dataclass(frozen=True)
class AmountBar:
    """One bar of a chart: a funder or an enjeu with its amounts."""

    key: int
    label: str
    requested_cents: int
    granted_cents: int


@dataclass(frozen=True)
class Dashboard:
    year: int
    today: dt.date
    next_meetings: tuple[MeetingItem, ...]
    overdue_tasks: tuple[TaskItem, ...]
    overdue_tasks_total: int
    actions_by_group: dict[E.StatusGroup, int]
    by_funder: tuple[AmountBar, ...]
    by_enjeu: tuple[AmountBar, ...]
    uncovered: tuple[ObjectiveSummary, ...]
    """Objectives without any action this year: the top of each uncovered branch."""
    uncovered_total: int
    """Number of uncovered objectives of the deepest level (the operational objectives)."""

    @property
    def actions_total(self) -> int:
        return sum(self.actions_by_group.values())


def dashboard(db: Database, year: int | None = None, *, today: dt.date | None = None,
              meetings_limit: int = 5, tasks_limit: int = 8) -> Dashboard:
    today = today or dt.date.today()
    year = int(year or today.year)
    with db.reader() as s:
        meetings = tuple(
            MeetingItem(r[0], r[1], r[2], r[3], r[4], r[5], E.MeetingStatus(r[6]))
            for r in s.execute(
                select(Meeting.id, Meeting.date, Meeting.start_time, Body.name, Meeting.title, Meeting.place,
                       Meeting.status)
                .join(Body, Body.id == Meeting.body_id)
                .where(Meeting.date >= today, Meeting.status != E.MeetingStatus.ANNULEE.value)
                .order_by(Meeting.date, Meeting.start_time, Meeting.id).limit(meetings_limit)
            )
        )
        late = task_overdue_clause(today)
        overdue_total = s.scalar(select(func.count()).select_from(FollowUpTask).where(late)) or 0
        tasks = []
        for tid, desc, first, last, org, due, mid in s.execute(
            select(FollowUpTask.id, FollowUpTask.description, Person.first_name, Person.last_name, Organisation.name,
                   FollowUpTask.due_date, FollowUpTask.meeting_id)
            .outerjoin(Person, Person.id == FollowUpTask.owner_person_id)
            .outerjoin(Organisation, Organisation.id == FollowUpTask.owner_organisation_id)
            .where(late).order_by(FollowUpTask.due_date, FollowUpTask.id).limit(tasks_limit)
        ):
            person = " ".join(p for p in (first, last) if p) or None
            tasks.append(TaskItem(tid, desc, " – ".join(p for p in (person, org) if p) or None, due,
                                  (today - due).days, mid))
        contract_id = s.scalar(select(Contract.id).order_by(Contract.id).limit(1))
        in_year = (ProgrammeYear.year == year, ProgrammeYear.contract_id == contract_id)
        by_group = {g: 0 for g in E.StatusGroup}
        for status, n in s.execute(
            select(Action.status, func.count()).join(ProgrammeYear, ProgrammeYear.id == Action.programme_year_id)
            .where(*in_year).group_by(Action.status)
        ):
            by_group[E.ActionStatus(status).group] += n
        by_funder = tuple(
            AmountBar(r[0], r[1], int(r[2] or 0), int(r[3] or 0))
            for r in s.execute(
                select(Funder.id, Funder.name, func.sum(FundingLine.requested_cents),
                       func.sum(FundingLine.granted_cents))
                .join(FundingLine, FundingLine.funder_id == Funder.id)
                .join(Action, Action.id == FundingLine.action_id)
                .join(ProgrammeYear, ProgrammeYear.id == Action.programme_year_id)
                .where(*in_year)
                .group_by(Funder.id, Funder.name, Funder.position)
                .order_by(Funder.position, Funder.id)
            )
            if (r[2] or r[3])
        )
    tree = objective_tree_summary(db, year, today=today)
    by_id = {o.objective_id: o for o in tree}
    by_enjeu = tuple(AmountBar(o.objective_id, o.code, o.requested_cents, o.granted_cents)
                     for o in tree if o.parent_id is None and not o.retired)
    uncovered = tuple(o for o in tree if o.uncovered and (o.parent_id is None or not by_id[o.parent_id].uncovered))
    max_depth = max((o.depth for o in tree), default=0)
    uncovered_total = sum(1 for o in tree if o.uncovered and o.depth == max_depth)
    return Dashboard(year, today, meetings, tuple(tasks), overdue_total, by_group, by_funder, by_enjeu, uncovered,
                     uncovered_total)
