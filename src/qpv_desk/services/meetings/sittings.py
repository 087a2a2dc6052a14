"""The meetings themselves: list, read, create (inviting the seats), change, delete.

A new meeting invites the *person* of every seat of the body active on the meeting
date (seats without a person are skipped); the organisation of each invitee is
frozen at invitation (the seat's organisation, else the person's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from ...domain import enums as E
from ...domain import validation as V
from ...domain.errors import ValidationError
from ...store.db import Database
from ...store.models import ActionStatusChange, Attendance, Body, FollowUpTask, Meeting, Membership, Person, Quartier
from ..common import check_version, diff, get, optional_id, record_change, validate_fields
from ..meeting_documents import minutes_status_changed
from ..rules import task_overdue_clause
from ..snapshots import on_meeting_status
from .attendance import ATTENDED


@dataclass(frozen=True)
class MeetingRow:
    id: int
    body_id: int
    body_code: str
    body_name: str
    date: dt.date
    start_time: dt.time | None
    title: str
    status: E.MeetingStatus
    place: str
    attended: int
    invited: int
    quartier_id: int | None = None


@dataclass(frozen=True)
class MeetingDetail:
    id: int
    version: int
    body_id: int
    body_code: str
    body_name: str
    quorum: int | None
    quartier_id: int | None
    title: str
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    place: str
    status: E.MeetingStatus
    secretary_id: int | None
    next_meeting_date: dt.date | None
    notes: str


def meeting_years(db: Database) -> list[int]:
    with db.reader() as s:
        dates = s.execute(select(func.min(Meeting.date), func.max(Meeting.date))).one()
    if dates[0] is None:
        return []
    return list(range(dates[1].year, dates[0].year - 1, -1))


def list_meetings(db: Database, *, body_id: int | None = None, year: int | None = None,
                  status: E.MeetingStatus | str | None = None,
                  overdue_tasks_on: dt.date | None = None) -> list[MeetingRow]:
    """Meetings, most recent first, with attended / invited counts (one grouped query).

    ``overdue_tasks_on``: only the meetings that gave follow-up tasks still open and past
    their due date on that day (the dashboard's « suites en retard » tile)."""
    attended = func.coalesce(func.sum(case((Attendance.status.in_(ATTENDED), 1), else_=0)), 0)
    stmt = (
        select(Meeting.id, Meeting.body_id, Body.code, Body.name, Meeting.date, Meeting.start_time, Meeting.title,
               Meeting.status, Meeting.place, attended.label("attended"), func.count(Attendance.id).label("invited"),
               Meeting.quartier_id)
        .join(Body, Body.id == Meeting.body_id)
        .outerjoin(Attendance, Attendance.meeting_id == Meeting.id)
        .group_by(Meeting.id, Meeting.body_id, Body.code, Body.name, Meeting.date, Meeting.start_time, Meeting.title,
                  Meeting.status, Meeting.place, Meeting.quartier_id)
        .order_by(Meeting.date.desc(), Meeting.id.desc())
    )
    if body_id is not None:
        stmt = stmt.where(Meeting.body_id == body_id)
    if year is not None:
        stmt = stmt.where(Meeting.date >= dt.date(int(year), 1, 1), Meeting.date <= dt.date(int(year), 12, 31))
    if status:
        stmt = stmt.where(Meeting.status == V.choice(status, E.MeetingStatus, "Statut", "status").value)
    if overdue_tasks_on is not None:
        late = select(FollowUpTask.meeting_id).where(
            task_overdue_clause(overdue_tasks_on), FollowUpTask.meeting_id.is_not(None))
        stmt = stmt.where(Meeting.id.in_(late))
    with db.reader() as s:
        rows = s.execute(stmt).all()
    return [
        MeetingRow(r.id, r.body_id, r.code, r.name, r.date, r.start_time, r.title, E.MeetingStatus(r.status),
                   r.place or "", int(r.attended), int(r.invited), r.quartier_id)
        for r in rows
    ]


def _detail(m: Meeting) -> MeetingDetail:
    return MeetingDetail(
        id=m.id, version=m.version, body_id=m.body_id, body_code=m.body.code, body_name=m.body.name,
        quorum=m.body.quorum, quartier_id=m.quartier_id, title=m.title, date=m.date, start_time=m.start_time,
        end_time=m.end_time, place=m.place or "", status=E.MeetingStatus(m.status), secretary_id=m.secretary_id,
        next_meeting_date=m.next_meeting_date, notes=m.notes or "",
    )


def get_meeting(db: Database, meeting_id: int) -> MeetingDetail:
    with db.reader() as s:
        return _detail(get(s, Meeting, meeting_id, "La réunion"))


def _clean_meeting(session: Session, values: Mapping, current: Meeting | None) -> dict:
    """The meeting's fields, every bad one reported at once, then the rules between fields."""
    def ref(key, model, label):
        return optional_id(session, model, values.get(key), label)

    checks = {
        "title": lambda: V.line(values.get("title"), "Titre", "title", required=True),
        "date": lambda: V.date(values.get("date"), "Date", "date", required=True),
        "start_time": lambda: V.time(values.get("start_time"), "Heure de début", "start_time"),
        "end_time": lambda: V.time(values.get("end_time"), "Heure de fin", "end_time"),
        "place": lambda: V.line(values.get("place"), "Lieu", "place"),
        "status": lambda: V.choice(values.get("status"), E.MeetingStatus, "Statut", "status").value,
        "next_meeting_date": lambda: V.date(values.get("next_meeting_date"), "Prochaine réunion", "next_meeting_date"),
        "notes": lambda: V.text(values.get("notes"), "Notes", "notes"),
        "secretary_id": lambda: ref("secretary_id", Person, "La personne (secrétariat)"),
        "quartier_id": lambda: ref("quartier_id", Quartier, "Le quartier"),
    }
    out = validate_fields(values, checks)
    errors: dict[str, str] = {}
    start = out.get("start_time", current.start_time if current else None)
    end = out.get("end_time", current.end_time if current else None)
    if start is not None and end is not None and end < start:
        errors["end_time"] = "L'heure de fin précède l'heure de début."
    day = out.get("date", current.date if current else None)
    nxt = out.get("next_meeting_date", current.next_meeting_date if current else None)
    if day is not None and nxt is not None and nxt <= day:
        errors["next_meeting_date"] = "La prochaine réunion doit être postérieure à celle-ci."
    if errors:
        raise ValidationError.many(errors)
    return out


def _active_on(day: dt.date):
    return (
        or_(Membership.start_date.is_(None), Membership.start_date <= day),
        or_(Membership.end_date.is_(None), Membership.end_date >= day),
    )


def create_meeting(db: Database, body_id: int, meeting_date, *, title: str | None = None, **values) -> int:
    """Create a meeting of a body, inviting the persons of the seats active on that date.

    ``values``: start_time, end_time, place, status, secretary_id, quartier_id,
    next_meeting_date, notes. The title defaults to the body's name.
    """
    with db.session() as s:
        body = get(s, Body, body_id, "L'instance")
        clean = _clean_meeting(s, {**values, "title": title or body.name, "date": meeting_date}, None)
        if "quartier_id" not in clean:
            quartiers = s.execute(select(Quartier.id).limit(2)).scalars().all()
            clean["quartier_id"] = quartiers[0] if len(quartiers) == 1 else None
        meeting = Meeting(body_id=body.id, status=E.MeetingStatus.PREVUE.value, **clean)
        rows = s.execute(
            select(Membership.person_id, Membership.organisation_id, Membership.role, Person.organisation_id)
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.body_id == body.id, Person.active, *_active_on(meeting.date))
            .order_by(Membership.id)
        ).all()
        seen: set[int] = set()
        for person_id, seat_org, role, person_org in rows:
            if person_id in seen:
                continue
            seen.add(person_id)
            meeting.attendances.append(Attendance(person_id=person_id, organisation_id=seat_org or person_org))
            if meeting.secretary_id is None and role == E.MemberRole.SECRETARIAT.value:
                meeting.secretary_id = person_id
        s.add(meeting)
        s.flush()
        record_change(s, "meeting", meeting.id, "create",
                      {"instance": body.code, "date": meeting.date, "invités": len(seen)})
        return meeting.id


def update_meeting(db: Database, meeting_id: int, values: Mapping, *, expected_version: int) -> int:
    """Change the information of a meeting (title, date, times, place, status, secretary…).

    Returns the new version."""
    with db.session() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        check_version(meeting, expected_version, "La réunion")
        clean = _clean_meeting(s, values, meeting)
        changes = diff(meeting, clean)
        if changes:
            if "date" in changes:  # the avis given at this meeting are dated by it
                s.execute(update(ActionStatusChange).where(ActionStatusChange.meeting_id == meeting.id)
                          .values(date=meeting.date))
            s.flush()
            record_change(s, "meeting", meeting.id, "update", changes)
            if "status" in changes:  # a COPIL just held freezes the programme; « compte rendu
                # validé » freezes the minutes, leaving it unfreezes them
                on_meeting_status(s, meeting, changes["status"][0])
                minutes_status_changed(s, meeting, changes["status"][0])
        return meeting.version


def delete_meeting(db: Database, meeting_id: int) -> None:
    """Delete a meeting with its agenda, attendance and decisions (its tasks are kept, unlinked)."""
    with db.session() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        record_change(s, "meeting", meeting.id, "delete", {"titre": meeting.title, "date": meeting.date})
        s.execute(delete(ActionStatusChange).where(ActionStatusChange.meeting_id == meeting.id))
        s.delete(meeting)
