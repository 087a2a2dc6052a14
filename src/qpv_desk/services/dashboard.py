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
from ..domain.text import person_name
from ..store.db import Database
from ..store.tables import (
    action,
    body,
    follow_up_task,
    funder,
    funding_line,
    meeting,
    organisation,
    person,
    programme_year,
)
from .contract import first_contract_id
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
    with db.table_reader() as s:
        meetings = tuple(
            MeetingItem(r[0], r[1], r[2], r[3], r[4], r[5], E.MeetingStatus(r[6]))
            for r in s.execute(
                select(meeting.c.id, meeting.c.date, meeting.c.start_time, body.c.name, meeting.c.title,
                       meeting.c.place, meeting.c.status)
                .join(body, body.c.id == meeting.c.body_id)
                .where(meeting.c.date >= today, meeting.c.status != E.MeetingStatus.ANNULEE.value)
                .order_by(meeting.c.date, meeting.c.start_time, meeting.c.id).limit(meetings_limit)
            )
        )
        late = task_overdue_clause(today)
        overdue_total = s.scalar(select(func.count()).select_from(follow_up_task).where(late)) or 0
        tasks = []
        for tid, desc, civility, first, last, org, due, mid in s.execute(
            select(follow_up_task.c.id, follow_up_task.c.description, person.c.civility, person.c.first_name,
                   person.c.last_name, organisation.c.name,
                   follow_up_task.c.due_date, follow_up_task.c.meeting_id)
            .outerjoin(person, person.c.id == follow_up_task.c.owner_person_id)
            .outerjoin(organisation, organisation.c.id == follow_up_task.c.owner_organisation_id)
            .where(late).order_by(follow_up_task.c.due_date, follow_up_task.c.id).limit(tasks_limit)
        ):
            name = person_name(first, last, civility) or None
            tasks.append(TaskItem(tid, desc, " – ".join(p for p in (name, org) if p) or None, due,
                                  (today - due).days, mid))
        in_year = (programme_year.c.year == year, programme_year.c.contract_id == first_contract_id(s))
        by_group = {g: 0 for g in E.StatusGroup}
        for status, n in s.execute(
            select(action.c.status, func.count())
            .join(programme_year, programme_year.c.id == action.c.programme_year_id)
            .where(*in_year).group_by(action.c.status)
        ):
            by_group[E.ActionStatus(status).group] += n
        by_funder = tuple(
            AmountBar(r[0], r[1], int(r[2] or 0), int(r[3] or 0))
            for r in s.execute(
                select(funder.c.id, funder.c.name, func.sum(funding_line.c.requested_cents),
                       func.sum(funding_line.c.granted_cents))
                .join(funding_line, funding_line.c.funder_id == funder.c.id)
                .join(action, action.c.id == funding_line.c.action_id)
                .join(programme_year, programme_year.c.id == action.c.programme_year_id)
                .where(*in_year)
                .group_by(funder.c.id, funder.c.name, funder.c.position)
                .order_by(funder.c.position, funder.c.id)
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
