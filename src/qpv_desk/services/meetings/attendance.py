"""Who is invited to a meeting and who came (the Présences tab), and the quorum.

« représenté(e) » needs the person who represents; attended = présent + à distance
+ représenté (quorum and attendance rates). The attendance of an organisation or a
person across meetings is :mod:`qpv_desk.services.attendance`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, case, func, select, update
from sqlalchemy.orm import Session, aliased

from ...domain import enums as E
from ...domain import validation as V
from ...domain.errors import ValidationError
from ...domain.text import person_name, plural
from ...store.db import Database
from ...store.models import Attendance, Meeting, Organisation, Person
from ..common import check_version, diff, get, record_change
from ..rules import quorum_reached, quorum_state

ATTENDED = tuple(s.value for s in E.AttendanceStatus if s.attended)


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
    represented_by: str  # « Mme Eva Future »: with the civility, as the printed documents


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
        return f"Quorum ({self.quorum}) {state} : {plural(self.attended, 'participant')}."


def _attendance_stmt(meeting_id: int):
    rep = aliased(Person)
    return (
        select(Attendance, Person.first_name, Person.last_name, Person.function, Organisation.name.label("org"),
               rep.civility.label("rep_civility"), rep.first_name.label("rep_first"), rep.last_name.label("rep_last"))
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
            represented_by=person_name(r.rep_first, r.rep_last, r.rep_civility) if a.represented_by_id else "",
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
