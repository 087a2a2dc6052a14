"""Meetings of the bodies: sittings, invitees and attendance, agenda, decisions.

One function per user action, each its own unit of work, plain frozen dataclasses
out. Follow-up tasks live in :mod:`qpv_desk.services.tasks`; the data of the three
Word documents is gathered by :mod:`qpv_desk.services.meeting_documents`.

Rules kept here:

- a new meeting invites the *person* of every seat of the body active on the
  meeting date (seats without a person are skipped); the organisation of each
  invitee is frozen at invitation (the seat's organisation, else the person's);
- « représenté(e) » needs the person who represents; attended = présent + à distance
  + représenté (quorum and attendance rates);
- an *avis* (favorable / réservé / défavorable) on a programme action is written
  in that action's status history (see :func:`add_decision`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Integer, case, delete, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from ..domain import enums as E
from ..domain import validation as V
from ..domain.errors import ValidationError
from ..store.db import Database
from ..store.models import (
    Action,
    ActionStatusChange,
    AgendaItem,
    Attendance,
    Body,
    Decision,
    FollowUpTask,
    Meeting,
    Membership,
    Objective,
    Organisation,
    Person,
    Quartier,
)
from .common import check_version, diff, get, optional_id, record_change, validate_fields
from .rules import quorum_reached, quorum_state, task_overdue_clause
from .tasks import person_name

ATTENDED = tuple(s.value for s in E.AttendanceStatus if s.attended)

# Statuses an avis of the GT may replace (earlier in the lifecycle than a COPIL decision).
AVIS_REPLACES = frozenset(
    {
        E.ActionStatus.DEPOSEE,
        E.ActionStatus.RECEVABLE,
        E.ActionStatus.EN_INSTRUCTION,
        E.ActionStatus.AVIS_FAVORABLE,
        E.ActionStatus.AVIS_RESERVE,
        E.ActionStatus.AVIS_DEFAVORABLE,
    }
)


# --------------------------------------------------------------------------- data out


@dataclass(frozen=True)
class Choice:
    """An entry of a chooser: id and what the user reads."""

    id: int
    label: str
    detail: str = ""
    extra: int | None = None  # organisation id of a person; quorum of a body


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


@dataclass(frozen=True)
class AttendanceRow:
    id: int
    version: int
    person_id: int
    name: str
    last_name: str
    function: str
    organisation_id: int | None
    organisation: str
    guest: bool
    status: E.AttendanceStatus
    represented_by_id: int | None
    represented_by: str


@dataclass(frozen=True)
class AttendanceSummary:
    invited: int
    attended: int
    by_status: dict[E.AttendanceStatus, int]
    by_organisation: tuple[tuple[str, int, int], ...]  # (organisation, invited, attended)
    quorum: int | None
    quorum_reached: bool | None  # None when the body has no quorum

    @property
    def quorum_text(self) -> str:
        if self.quorum is None:
            return "Pas de quorum défini pour cette instance."
        state = quorum_state(self.attended, self.quorum)
        return f"Quorum ({self.quorum}) {state} : {self.attended} participant(s)."


@dataclass(frozen=True)
class DecisionRow:
    id: int
    version: int
    agenda_item_id: int | None
    position: int
    kind: E.DecisionKind
    text: str
    objective_id: int | None
    action_id: int | None
    action_label: str
    opinion: E.Opinion | None


@dataclass(frozen=True)
class AgendaItemRow:
    id: int
    version: int
    position: int
    number: int  # 1, 2, 3… in agenda order (positions may have gaps)
    title: str
    presenter_id: int | None
    presenter: str
    duration_min: int | None
    objective_id: int | None
    objective_label: str
    action_id: int | None
    action_label: str
    discussion: str


# ---- the documents' data: plain dataclasses defined beside the writers (re-exported here)

from ..reports.meeting_data import (  # noqa: E402,F401
    DocAgendaItem,
    DocAttendee,
    DocDecision,
    DocTask,
    MeetingDocument,
)


# --------------------------------------------------------------------------- choosers


def bodies(db: Database) -> list[Choice]:
    with db.reader() as s:
        rows = s.execute(select(Body.id, Body.code, Body.name, Body.quorum).where(Body.active).order_by(Body.name)).all()
    return [Choice(r.id, r.name, r.code, r.quorum) for r in rows]


def persons(db: Database) -> list[Choice]:
    """Active persons, « Nom Prénom — Structure », sorted by name."""
    with db.reader() as s:
        rows = s.execute(
            select(Person.id, Person.first_name, Person.last_name, Person.organisation_id, Organisation.name)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(Person.active)
            .order_by(Person.last_name, Person.first_name, Person.id)
        ).all()
    return [Choice(r.id, person_name(r.first_name, r.last_name), r.name or "", r.organisation_id) for r in rows]


def organisations(db: Database) -> list[Choice]:
    with db.reader() as s:
        rows = s.execute(
            select(Organisation.id, Organisation.name, Organisation.acronym).where(Organisation.active).order_by(Organisation.name)
        ).all()
    return [Choice(r.id, r.name, r.acronym or "") for r in rows]


def objectives(db: Database) -> list[Choice]:
    with db.reader() as s:
        rows = s.execute(
            select(Objective.id, Objective.code, Objective.title).where(~Objective.retired).order_by(Objective.code)
        ).all()
    return [Choice(r.id, f"{r.code} {r.title}") for r in rows]


def actions(db: Database) -> list[Choice]:
    with db.reader() as s:
        rows = s.execute(select(Action.id, Action.code, Action.title).order_by(Action.id.desc())).all()
    return [Choice(r.id, f"{r.code} – {r.title}") for r in rows]


def meeting_years(db: Database) -> list[int]:
    with db.reader() as s:
        dates = s.execute(select(func.min(Meeting.date), func.max(Meeting.date))).one()
    if dates[0] is None:
        return []
    return list(range(dates[1].year, dates[0].year - 1, -1))


# --------------------------------------------------------------------------- meetings


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
                from .snapshots import on_meeting_status

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


# --------------------------------------------------------------------------- attendance


def _attendance_stmt(meeting_id: int):
    rep = aliased(Person)
    return (
        select(Attendance, Person.first_name, Person.last_name, Person.function, Organisation.name.label("org"),
               rep.first_name.label("rep_first"), rep.last_name.label("rep_last"))
        .join(Person, Person.id == Attendance.person_id)
        .outerjoin(Organisation, Organisation.id == Attendance.organisation_id)
        .outerjoin(rep, rep.id == Attendance.represented_by_id)
        .where(Attendance.meeting_id == meeting_id)
        .order_by(func.coalesce(Organisation.name, "~"), Person.last_name, Person.first_name, Attendance.id)
    )


def _attendance_rows(session: Session, meeting_id: int) -> list[AttendanceRow]:
    out = []
    for r in session.execute(_attendance_stmt(meeting_id)).all():
        a: Attendance = r[0]
        out.append(AttendanceRow(
            id=a.id, version=a.version, person_id=a.person_id, name=person_name(r.first_name, r.last_name),
            last_name=r.last_name, function=r.function or "", organisation_id=a.organisation_id,
            organisation=r.org or "", guest=a.guest, status=E.AttendanceStatus(a.status),
            represented_by_id=a.represented_by_id,
            represented_by=person_name(r.rep_first, r.rep_last) if a.represented_by_id else "",
        ))
    return out


def list_attendance(db: Database, meeting_id: int) -> list[AttendanceRow]:
    """Invitees sorted by organisation then name."""
    with db.reader() as s:
        get(s, Meeting, meeting_id, "La réunion")
        return _attendance_rows(s, meeting_id)


def add_guest(db: Database, meeting_id: int, person_id: int, organisation_id: int | None = None) -> int:
    """Invite someone who holds no seat; the organisation defaults to the person's."""
    with db.session() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        person = get(s, Person, person_id, "La personne")
        org_id = get(s, Organisation, organisation_id, "La structure").id if organisation_id else person.organisation_id
        if s.execute(select(Attendance.id).where(Attendance.meeting_id == meeting.id,
                                                 Attendance.person_id == person.id)).first():
            raise ValidationError("person_id", f"{person_name(person.first_name, person.last_name)} est déjà invité(e).")
        att = Attendance(meeting_id=meeting.id, person_id=person.id, organisation_id=org_id, guest=True)
        s.add(att)
        s.flush()
        record_change(s, "meeting", meeting.id, "update", {"invité ajouté": person.id})
        return att.id


def remove_invitee(db: Database, attendance_id: int) -> None:
    with db.session() as s:
        att = get(s, Attendance, attendance_id, "L'invité(e)")
        if s.execute(select(Attendance.id).where(Attendance.meeting_id == att.meeting_id,
                                                 Attendance.represented_by_id == att.person_id)).first():
            raise ValidationError("attendance", "Cette personne en représente une autre : changez d'abord cette présence.")
        record_change(s, "meeting", att.meeting_id, "update", {"invité retiré": att.person_id})
        s.delete(att)


def set_attendance(db: Database, attendance_id: int, status, represented_by_id: int | None = None,
                   *, expected_version: int) -> int:
    """Record whether an invitee came; « représenté(e) » needs the person who represents.

    Returns the new version."""
    with db.session() as s:
        att = get(s, Attendance, attendance_id, "L'invité(e)")
        check_version(att, expected_version, "La présence")
        st = V.choice(status, E.AttendanceStatus, "Présence", "status")
        rep_id = None
        if st is E.AttendanceStatus.REPRESENTE:
            if not represented_by_id:
                raise ValidationError("represented_by_id", "Indiquez la personne qui représente cet(te) invité(e).")
            rep_id = get(s, Person, represented_by_id, "La personne représentante").id
            if rep_id == att.person_id:
                raise ValidationError("represented_by_id", "Une personne ne peut pas se représenter elle-même.")
        changes = diff(att, {"status": st.value, "represented_by_id": rep_id})
        if changes:
            s.flush()
            record_change(s, "meeting", att.meeting_id, "update", {f"présence {att.person_id}": changes})
        return att.version


def set_all_present(db: Database, meeting_id: int, *, overwrite: bool = False) -> int:
    """« Tous présents »: every invitee not yet recorded (or every one if ``overwrite``) becomes présent.

    Returns how many rows changed.
    """
    with db.session() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        stmt = update(Attendance).where(Attendance.meeting_id == meeting.id)
        if not overwrite:
            stmt = stmt.where(Attendance.status == E.AttendanceStatus.INVITE.value)
        else:
            stmt = stmt.where(Attendance.status != E.AttendanceStatus.PRESENT.value)
        result = s.execute(
            stmt.values(status=E.AttendanceStatus.PRESENT.value, represented_by_id=None, version=Attendance.version + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount:
            record_change(s, "meeting", meeting.id, "update", {"tous présents": result.rowcount})
        return result.rowcount


def attendance_summary(db: Database, meeting_id: int) -> AttendanceSummary:
    """Counts per status and per organisation, and the quorum when the body defines one."""
    with db.reader() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        quorum = meeting.body.quorum
        by_status = {E.AttendanceStatus(st): n for st, n in s.execute(
            select(Attendance.status, func.count()).where(Attendance.meeting_id == meeting_id).group_by(Attendance.status)
        ).all()}
        attended_expr = func.sum(case((Attendance.status.in_(ATTENDED), 1), else_=0))
        by_org = s.execute(
            select(func.coalesce(Organisation.name, "(sans structure)"), func.count(), attended_expr.cast(Integer))
            .select_from(Attendance)
            .outerjoin(Organisation, Organisation.id == Attendance.organisation_id)
            .where(Attendance.meeting_id == meeting_id)
            .group_by(Organisation.name)
            .order_by(func.coalesce(Organisation.name, "(sans structure)"))
        ).all()
    full = {st: by_status.get(st, 0) for st in E.AttendanceStatus}
    attended = sum(n for st, n in full.items() if st.attended)
    return AttendanceSummary(
        invited=sum(full.values()), attended=attended, by_status=full,
        by_organisation=tuple((name, int(n), int(a or 0)) for name, n, a in by_org),
        quorum=quorum, quorum_reached=quorum_reached(attended, quorum),
    )


# --------------------------------------------------------------------------- agenda


def _agenda_rows(session: Session, meeting_id: int) -> list[AgendaItemRow]:
    stmt = (
        select(AgendaItem, Person.first_name, Person.last_name, Objective.code, Objective.title.label("ot"),
               Action.code.label("ac"), Action.title.label("at"))
        .outerjoin(Person, Person.id == AgendaItem.presenter_id)
        .outerjoin(Objective, Objective.id == AgendaItem.objective_id)
        .outerjoin(Action, Action.id == AgendaItem.action_id)
        .where(AgendaItem.meeting_id == meeting_id)
        .order_by(AgendaItem.position, AgendaItem.id)
    )
    out = []
    for number, r in enumerate(session.execute(stmt).all(), start=1):
        i: AgendaItem = r[0]
        out.append(AgendaItemRow(
            id=i.id, version=i.version, position=i.position, number=number, title=i.title, presenter_id=i.presenter_id,
            presenter=person_name(r.first_name, r.last_name) if i.presenter_id else "", duration_min=i.duration_min,
            objective_id=i.objective_id, objective_label=f"{r.code} {r.ot}" if r.code else "",
            action_id=i.action_id, action_label=f"{r.ac} – {r.at}" if r.ac else "", discussion=i.discussion or "",
        ))
    return out


def list_agenda(db: Database, meeting_id: int) -> list[AgendaItemRow]:
    with db.reader() as s:
        get(s, Meeting, meeting_id, "La réunion")
        return _agenda_rows(s, meeting_id)


def _clean_item(session: Session, values: Mapping, creating: bool) -> dict:
    """An agenda point's fields, every bad one reported at once."""
    def ref(key, model, label):
        return optional_id(session, model, values.get(key), label)

    checks = {
        "title": lambda: V.line(values.get("title"), "Intitulé du point", "title", required=True, max_len=500),
        "duration_min": lambda: V.count(values.get("duration_min"), "Durée (min)", "duration_min", maximum=24 * 60),
        "discussion": lambda: V.text(values.get("discussion"), "Échanges", "discussion"),
        "presenter_id": lambda: ref("presenter_id", Person, "La personne"),
        "objective_id": lambda: ref("objective_id", Objective, "L'objectif"),
        "action_id": lambda: ref("action_id", Action, "L'action"),
    }
    return validate_fields(values, checks, required=("title",) if creating else ())


def add_agenda_item(db: Database, meeting_id: int, title: str, **values) -> int:
    """Append a point to the agenda. ``values``: presenter_id, duration_min, objective_id, action_id, discussion."""
    with db.session() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        clean = _clean_item(s, {**values, "title": title}, True)
        last = s.execute(select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)).scalar()
        item = AgendaItem(meeting_id=meeting.id, position=(last if last is not None else -1) + 1, **clean)
        s.add(item)
        s.flush()
        record_change(s, "meeting", meeting.id, "update", {"point ajouté": item.title})
        return item.id


def update_agenda_item(db: Database, item_id: int, values: Mapping, *, expected_version: int) -> int:
    """Change a point of the agenda; returns its new version."""
    with db.session() as s:
        item = get(s, AgendaItem, item_id, "Le point de l'ordre du jour")
        check_version(item, expected_version, "Le point de l'ordre du jour")
        changes = diff(item, _clean_item(s, values, False))
        if changes:
            s.flush()
            record_change(s, "meeting", item.meeting_id, "update", {f"point {item.id}": changes})
        return item.version


def delete_agenda_item(db: Database, item_id: int) -> None:
    """Remove a point; its decisions stay in the minutes without a point, the numbering closes up."""
    with db.session() as s:
        item = get(s, AgendaItem, item_id, "Le point de l'ordre du jour")
        meeting_id = item.meeting_id
        record_change(s, "meeting", meeting_id, "update", {"point supprimé": item.title})
        s.delete(item)
        s.flush()
        _renumber(s, meeting_id)


def _renumber(session: Session, meeting_id: int, order: list[int] | None = None) -> None:
    items = session.execute(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
                            .order_by(AgendaItem.position, AgendaItem.id)).scalars().all()
    if order is not None:
        by_id = {i.id: i for i in items}
        items = [by_id[i] for i in order]
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position


def move_agenda_item_to(db: Database, item_id: int, position: int) -> int:
    """Move a point to ``position`` (0-based, clamped); returns the position it got."""
    with db.session() as s:
        item = get(s, AgendaItem, item_id, "Le point de l'ordre du jour")
        ids = list(s.execute(select(AgendaItem.id).where(AgendaItem.meeting_id == item.meeting_id)
                             .order_by(AgendaItem.position, AgendaItem.id)).scalars())
        ids.remove(item.id)
        position = max(0, min(int(position), len(ids)))
        ids.insert(position, item.id)
        _renumber(s, item.meeting_id, ids)
        record_change(s, "meeting", item.meeting_id, "update", {"ordre du jour": ids})
        return position


def move_agenda_item(db: Database, item_id: int, delta: int) -> int:
    """Move a point up (``delta`` < 0) or down; returns its new position."""
    with db.reader() as s:
        item = get(s, AgendaItem, item_id, "Le point de l'ordre du jour")
        ids = list(s.execute(select(AgendaItem.id).where(AgendaItem.meeting_id == item.meeting_id)
                             .order_by(AgendaItem.position, AgendaItem.id)).scalars())
    return move_agenda_item_to(db, item_id, ids.index(item_id) + int(delta))


# --------------------------------------------------------------------------- decisions


def _decision_rows(session: Session, meeting_id: int) -> list[DecisionRow]:
    rows = session.execute(
        select(Decision, Action.code, Action.title).outerjoin(Action, Action.id == Decision.action_id)
        .where(Decision.meeting_id == meeting_id).order_by(Decision.position, Decision.id)
    ).all()
    return [DecisionRow(d.id, d.version, d.agenda_item_id, d.position, E.DecisionKind(d.kind), d.text, d.objective_id,
                        d.action_id, f"{code} – {title}" if code else "", E.Opinion(d.opinion) if d.opinion else None)
            for d, code, title in rows]


def list_decisions(db: Database, meeting_id: int) -> list[DecisionRow]:
    with db.reader() as s:
        get(s, Meeting, meeting_id, "La réunion")
        return _decision_rows(s, meeting_id)


def _clean_decision(session: Session, meeting: Meeting, values: Mapping, current: Decision | None) -> dict:
    def ref(key, model, label):
        return optional_id(session, model, values.get(key), label)

    def opinion():
        op = V.choice(values.get("opinion"), E.Opinion, "Avis", "opinion", required=False)
        return op.value if op else None

    checks = {
        "kind": lambda: V.choice(values.get("kind") or E.DecisionKind.DECISION, E.DecisionKind, "Nature", "kind").value,
        "text": lambda: V.text(values.get("text"), "Texte de la décision", "text", required=True),
        "opinion": opinion,
        "objective_id": lambda: ref("objective_id", Objective, "L'objectif"),
        "action_id": lambda: ref("action_id", Action, "L'action"),
        "agenda_item_id": lambda: ref("agenda_item_id", AgendaItem, "Le point de l'ordre du jour"),
    }
    out = validate_fields(values, checks, required=("kind", "text") if current is None else ())
    if out.get("agenda_item_id"):
        if session.get(AgendaItem, out["agenda_item_id"]).meeting_id != meeting.id:
            raise ValidationError("agenda_item_id", "Ce point appartient à une autre réunion.")
    kind = out.get("kind", current.kind if current else None)
    opinion = out.get("opinion", current.opinion if current else None)
    action_id = out.get("action_id", current.action_id if current else None)
    if opinion is not None:
        if kind != E.DecisionKind.AVIS.value:
            raise ValidationError("opinion", "Seul un avis peut être favorable, réservé ou défavorable.")
        if action_id is None:
            raise ValidationError("action_id", "Un avis favorable, réservé ou défavorable porte sur une action : choisissez-la.")
    return out


def _withdraw_avis(session: Session, decision: Decision) -> None:
    """Remove the status change written for this decision; restore the action's previous status."""
    rows = session.execute(select(ActionStatusChange).where(ActionStatusChange.decision_id == decision.id)).scalars().all()
    for row in rows:
        action = session.get(Action, row.action_id)
        session.delete(row)
        session.flush()
        if action is not None and action.status == row.status:
            latest = session.execute(
                select(ActionStatusChange.status).where(ActionStatusChange.action_id == action.id)
                .order_by(ActionStatusChange.date.desc(), ActionStatusChange.id.desc()).limit(1)
            ).scalar()
            action.status = latest or E.ActionStatus.DEPOSEE.value


def _apply_avis(session: Session, meeting: Meeting, decision: Decision) -> None:
    """Write the avis in the action's status history.

    The history row is always written (status from ``OPINION_STATUS``, dated by the
    meeting, linked to the meeting and the decision). The action's current status
    follows only if it is still earlier in the lifecycle: déposée, recevable, en
    instruction or another avis — a COPIL decision or anything later is never undone
    by an avis recorded afterwards.
    """
    if decision.kind != E.DecisionKind.AVIS.value or not decision.opinion or not decision.action_id:
        return
    status = E.OPINION_STATUS[E.Opinion(decision.opinion)]
    action = session.get(Action, decision.action_id)
    session.add(ActionStatusChange(action_id=action.id, status=status.value, date=meeting.date, meeting_id=meeting.id,
                                   decision_id=decision.id, note=f"Avis de l'instance {meeting.body.code} du "
                                                                 f"{meeting.date:%d/%m/%Y}"))
    if E.ActionStatus(action.status) in AVIS_REPLACES and action.status != status.value:
        old = action.status
        action.status = status.value
        record_change(session, "action", action.id, "update", {"status": [old, status.value], "réunion": meeting.id})


def add_decision(db: Database, meeting_id: int, text: str, *, kind=E.DecisionKind.DECISION, **values) -> int:
    """Record a decision (information / avis / décision), optionally on an agenda point.

    ``values``: agenda_item_id, objective_id, action_id, opinion. An avis with an opinion
    on an action feeds that action's status history (:func:`_apply_avis`).
    """
    with db.session() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        clean = _clean_decision(s, meeting, {**values, "kind": kind, "text": text}, None)
        last = s.execute(select(func.max(Decision.position)).where(Decision.meeting_id == meeting.id)).scalar()
        decision = Decision(meeting_id=meeting.id, position=(last if last is not None else -1) + 1, **clean)
        s.add(decision)
        s.flush()
        _apply_avis(s, meeting, decision)
        record_change(s, "meeting", meeting.id, "update", {"décision ajoutée": decision.text[:200]})
        return decision.id


def update_decision(db: Database, decision_id: int, values: Mapping, *, expected_version: int) -> int:
    """Change a decision (an avis moves the action's status history with it); returns its new version."""
    with db.session() as s:
        decision = get(s, Decision, decision_id, "La décision")
        check_version(decision, expected_version, "La décision")
        meeting = decision.meeting
        before = (decision.kind, decision.opinion, decision.action_id)
        changes = diff(decision, _clean_decision(s, meeting, values, decision))
        if (decision.kind, decision.opinion, decision.action_id) != before:
            _withdraw_avis(s, decision)
            s.flush()
            _apply_avis(s, meeting, decision)
        if changes:
            s.flush()
            record_change(s, "meeting", meeting.id, "update", {f"décision {decision.id}": changes})
        return decision.version


def delete_decision(db: Database, decision_id: int) -> None:
    with db.session() as s:
        decision = get(s, Decision, decision_id, "La décision")
        _withdraw_avis(s, decision)
        record_change(s, "meeting", decision.meeting_id, "update", {"décision supprimée": decision.text[:200]})
        s.delete(decision)


# --------------------------------------------------------------------------- documents
# Gathered and written by services/meeting_documents.py (one function per document).

from .meeting_documents import (  # noqa: E402,F401
    DOCUMENT_KINDS,
    meeting_document,
    minutes_status_changed,
    write_meeting_document,
)
