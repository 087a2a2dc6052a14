"""Follow-up tasks (« suites à donner »): who does what by when, born in a meeting.

A task stays open (à faire / en cours) until it is done or dropped; open tasks of
earlier meetings of the same body are reviewed at each new meeting. ``done_on`` is
set the day a task becomes « fait » and cleared if it is reopened. A task is
*overdue* when it is open and its due date is before ``today`` (``domain/rules.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from ..domain import enums as E
from ..domain import validation as V
from ..domain.errors import ValidationError
from ..domain.text import person_name
from ..store.db import Database
from ..store.models import Action, AgendaItem, Meeting, Objective, Organisation, Person, FollowUpTask
from .rules import task_overdue
from .common import check_version, diff, get, optional_id, record_change, validate_fields


@dataclass(frozen=True)
class TaskRow:
    id: int
    version: int
    meeting_id: int | None
    meeting_date: dt.date | None
    meeting_title: str
    agenda_item_id: int | None
    description: str
    owner_person_id: int | None
    owner_person_name: str
    owner_organisation_id: int | None
    owner_organisation_name: str
    due_date: dt.date | None
    status: E.TaskStatus
    done_on: dt.date | None
    objective_id: int | None
    objective_label: str
    action_id: int | None
    action_label: str
    notes: str
    overdue: bool

    @property
    def owner(self) -> str:
        """« Mme Prénom Nom (Structure) », or whichever of the two is known."""
        if self.owner_person_name and self.owner_organisation_name:
            return f"{self.owner_person_name} ({self.owner_organisation_name})"
        return self.owner_person_name or self.owner_organisation_name

    @property
    def is_open(self) -> bool:
        return self.status.is_open




def _task_query():
    owner = aliased(Person)
    org = aliased(Organisation)
    return (
        select(
            FollowUpTask,
            Meeting.date.label("meeting_date"),
            Meeting.title.label("meeting_title"),
            owner.civility,
            owner.first_name,
            owner.last_name,
            org.name.label("org_name"),
            Objective.code.label("obj_code"),
            Objective.title.label("obj_title"),
            Action.code.label("act_code"),
            Action.title.label("act_title"),
        )
        .outerjoin(Meeting, Meeting.id == FollowUpTask.meeting_id)
        .outerjoin(owner, owner.id == FollowUpTask.owner_person_id)
        .outerjoin(org, org.id == FollowUpTask.owner_organisation_id)
        .outerjoin(Objective, Objective.id == FollowUpTask.objective_id)
        .outerjoin(Action, Action.id == FollowUpTask.action_id)
    )


def _rows(session: Session, stmt, today: dt.date) -> list[TaskRow]:
    out = []
    for r in session.execute(stmt).all():
        t: FollowUpTask = r[0]
        out.append(
            TaskRow(
                id=t.id,
                version=t.version,
                meeting_id=t.meeting_id,
                meeting_date=r.meeting_date,
                meeting_title=r.meeting_title or "",
                agenda_item_id=t.agenda_item_id,
                description=t.description,
                owner_person_id=t.owner_person_id,
                owner_person_name=person_name(r.first_name, r.last_name, r.civility),
                owner_organisation_id=t.owner_organisation_id,
                owner_organisation_name=r.org_name or "",
                due_date=t.due_date,
                status=E.TaskStatus(t.status),
                done_on=t.done_on,
                objective_id=t.objective_id,
                objective_label=f"{r.obj_code} {r.obj_title}" if r.obj_code else "",
                action_id=t.action_id,
                action_label=f"{r.act_code} – {r.act_title}" if r.act_code else "",
                notes=t.notes or "",
                overdue=task_overdue(t.status, t.due_date, today),
            )
        )
    return out


def meeting_tasks(session: Session, meeting_id: int, today: dt.date) -> list[TaskRow]:
    stmt = _task_query().where(FollowUpTask.meeting_id == meeting_id).order_by(FollowUpTask.id)
    return _rows(session, stmt, today)


def review_tasks(session: Session, meeting: Meeting, today: dt.date, *, include_recently_closed: bool = False) -> list[TaskRow]:
    """Tasks of earlier meetings of the same body still open (and, if asked, closed since the last one)."""
    condition = FollowUpTask.status.in_([s.value for s in E.TaskStatus if s.is_open])
    if include_recently_closed:
        previous = session.execute(
            select(Meeting.date)
            .where(Meeting.body_id == meeting.body_id, Meeting.date < meeting.date,
                   Meeting.status != E.MeetingStatus.ANNULEE.value)
            .order_by(Meeting.date.desc())
            .limit(1)
        ).scalar()
        if previous is not None:
            condition = or_(condition, FollowUpTask.done_on >= previous)
    stmt = (
        _task_query()
        .where(
            Meeting.body_id == meeting.body_id,
            Meeting.id != meeting.id,
            or_(Meeting.date < meeting.date, (Meeting.date == meeting.date) & (Meeting.id < meeting.id)),
            condition,
        )
        .order_by(Meeting.date, FollowUpTask.due_date, FollowUpTask.id)
    )
    return _rows(session, stmt, today)


def list_tasks(db: Database, meeting_id: int, *, today: dt.date | None = None) -> list[TaskRow]:
    """The tasks born in this meeting."""
    with db.reader() as s:
        get(s, Meeting, meeting_id, "La réunion")
        return meeting_tasks(s, meeting_id, today or dt.date.today())


def open_tasks_before(db: Database, meeting_id: int, *, today: dt.date | None = None) -> list[TaskRow]:
    """Open tasks of earlier meetings of the same body, for review at this meeting."""
    with db.reader() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        return review_tasks(s, meeting, today or dt.date.today())


def _clean(session: Session, values: Mapping, *, creating: bool) -> dict:
    """A task's fields, every bad one reported at once."""
    def ref(key, model, label):
        return optional_id(session, model, values.get(key), label)

    checks = {
        "description": lambda: V.text(values.get("description"), "Quoi", "description", required=True,
                                      max_len=20_000),
        "due_date": lambda: V.date(values.get("due_date"), "Échéance", "due_date"),
        "status": lambda: V.choice(values.get("status"), E.TaskStatus, "État", "status").value,
        "notes": lambda: V.text(values.get("notes"), "Notes", "notes", max_len=100_000),
        "owner_person_id": lambda: ref("owner_person_id", Person, "La personne"),
        "owner_organisation_id": lambda: ref("owner_organisation_id", Organisation, "La structure"),
        "objective_id": lambda: ref("objective_id", Objective, "L'objectif"),
        "action_id": lambda: ref("action_id", Action, "L'action"),
        "agenda_item_id": lambda: ref("agenda_item_id", AgendaItem, "Le point de l'ordre du jour"),
    }
    return validate_fields(values, checks, required=("description",) if creating else ())


def _status_dates(task: FollowUpTask, values: dict, today: dt.date) -> None:
    if "status" not in values:
        return
    if values["status"] == E.TaskStatus.FAIT.value:
        if task.status != E.TaskStatus.FAIT.value or task.done_on is None:
            values["done_on"] = today
    elif E.TaskStatus(values["status"]).is_open:
        values["done_on"] = None


def add_task(db: Database, meeting_id: int, *, today: dt.date | None = None, **values) -> int:
    """Create a follow-up task in a meeting. Fields: description, owner_person_id,
    owner_organisation_id, due_date, status, objective_id, action_id, agenda_item_id, notes."""
    today = today or dt.date.today()
    with db.session() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        clean = _clean(s, values, creating=True)
        if clean.get("agenda_item_id"):
            item = s.get(AgendaItem, clean["agenda_item_id"])
            if item.meeting_id != meeting.id:
                raise ValidationError("agenda_item_id", "Ce point appartient à une autre réunion.")
        task = FollowUpTask(meeting_id=meeting.id, status=E.TaskStatus.A_FAIRE.value, description=clean.pop("description"))
        _status_dates(task, clean, today)
        for key, value in clean.items():
            setattr(task, key, value)
        s.add(task)
        s.flush()
        record_change(s, "meeting", meeting.id, "update", {"tâche ajoutée": task.description[:200]})
        return task.id


def update_task(db: Database, task_id: int, values: Mapping, *, expected_version: int,
                today: dt.date | None = None) -> int:
    """Change a task; its status « fait » sets ``done_on`` (today), reopening clears it.

    Returns the new version."""
    today = today or dt.date.today()
    with db.session() as s:
        task = get(s, FollowUpTask, task_id, "La tâche")
        check_version(task, expected_version, "La tâche")
        clean = _clean(s, values, creating=False)
        _status_dates(task, clean, today)
        changes = diff(task, clean)
        if changes:
            s.flush()
            if task.meeting_id:
                record_change(s, "meeting", task.meeting_id, "update", {f"tâche {task.id}": changes})
        return task.version


def delete_task(db: Database, task_id: int) -> None:
    with db.session() as s:
        task = get(s, FollowUpTask, task_id, "La tâche")
        if task.meeting_id:
            record_change(s, "meeting", task.meeting_id, "update", {"tâche supprimée": task.description[:200]})
        s.delete(task)
