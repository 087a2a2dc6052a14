"""The calendar invitation (.ics) of a meeting, with its stable identity kept in the base.

Rules kept here:

- a meeting gets a UID at its first export, kept for ever (``meeting_invitation``), so
  that a calendar updates the event when the invitation is sent again;
- SEQUENCE starts at 0 and rises by one each time the exported content (title, place,
  times, agenda, organiser, attendees, cancellation) differs from the last export;
  exporting an unchanged meeting again gives the same SEQUENCE;
- a cancelled meeting (« annulée ») is exported as METHOD:CANCEL;
- the organiser is the one configured (:mod:`qpv_desk.services.sending`), else the
  meeting's secretary; the attendees are the invitees with an e-mail; the others are
  returned in ``without_email`` so the user can reach them otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import enums as E
from ..domain.text import person_name
from ..reports.files import write_atomically
from ..reports.invitation import Address, InvitationData, invitation_ics
from ..reports.wording import slugify
from ..store.db import Database
from ..store.models import AgendaItem, Attendance, Body, Meeting, MeetingInvitation, Organisation, Person
from .common import get
from .sending import sending_settings


@dataclass(frozen=True)
class InvitationExport:
    meeting_id: int
    uid: str
    sequence: int
    cancelled: bool
    content: bytes
    without_email: tuple[str, ...]  # invitees who cannot receive it (« Nom (Organisation) »)
    filename: str
    path: Path | None = None


def meeting_invitees(session: Session, meeting_id: int) -> tuple[list[tuple[str, str]], list[str]]:
    """The meeting's invitees: ``(name, e-mail)`` of those who have one, and « Nom
    (Organisation) » of the others (to reach otherwise) — for the invitation and the e-mails."""
    rows = session.execute(
        select(Person.first_name, Person.last_name, Person.email, Organisation.name.label("org"))
        .join(Attendance, Attendance.person_id == Person.id)
        .outerjoin(Organisation, Organisation.id == Attendance.organisation_id)
        .where(Attendance.meeting_id == meeting_id)
        .order_by(Person.last_name, Person.first_name, Person.id)).all()
    with_email, without = [], []
    for r in rows:
        name = person_name(r.first_name, r.last_name)
        if r.email and r.email.strip():
            with_email.append((name, r.email.strip()))
        else:
            without.append(f"{name} ({r.org})" if r.org else name)
    return with_email, without


def _description(body_name: str, agenda: list[tuple[str, str, int | None]]) -> str:
    lines = [f"Réunion : {body_name}"]
    if agenda:
        lines += ["", "Ordre du jour :"]
        for n, (title, presenter, minutes) in enumerate(agenda, start=1):
            extra = ", ".join(x for x in (presenter and f"présenté par {presenter}", minutes and f"{minutes} min") if x)
            lines.append(f"{n}. {title}" + (f" ({extra})" if extra else ""))
    return "\n".join(lines)


def _fingerprint(data: InvitationData) -> str:
    parts = [str(data.cancelled), data.summary, data.location, data.date.isoformat(), str(data.start_time),
             str(data.end_time), data.description,
             f"{data.organiser.name}<{data.organiser.email}>" if data.organiser else "",
             *sorted(f"{a.name}<{a.email.casefold()}>" for a in data.attendees)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _filename(body_code: str, day: dt.date) -> str:
    return f"invitation-{slugify(body_code)}-{day:%Y-%m-%d}.ics"


def export_invitation(db: Database, meeting_id: int, path: str | Path | None = None, *,
                      folder: str | Path | None = None, now: dt.datetime | None = None) -> InvitationExport:
    """Build the invitation of a meeting (and write it to ``path``, or into ``folder`` under
    its usual file name, when given).

    One unit of work: the UID is created on the first export, the SEQUENCE raised when
    the content changed since the last one."""
    now = now or dt.datetime.now(dt.timezone.utc)
    settings = sending_settings(db)
    with db.session() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        body = s.get(Body, meeting.body_id)
        agenda = [(r.title, person_name(r.first_name, r.last_name, r.civility) if r.last_name else "", r.duration_min)
                  for r in s.execute(select(AgendaItem.title, AgendaItem.duration_min, Person.civility,
                                            Person.first_name, Person.last_name)
                                     .outerjoin(Person, Person.id == AgendaItem.presenter_id)
                                     .where(AgendaItem.meeting_id == meeting.id)
                                     .order_by(AgendaItem.position, AgendaItem.id)).all()]
        with_email, without = meeting_invitees(s, meeting.id)
        attendees = [Address(name, email) for name, email in with_email]
        organiser = None
        if settings.organiser_email:
            organiser = Address(settings.organiser_name, settings.organiser_email)
        elif meeting.secretary_id:
            sec = s.get(Person, meeting.secretary_id)
            if sec is not None and sec.email:
                organiser = Address(person_name(sec.first_name, sec.last_name), sec.email)
        title = meeting.title
        summary = title if (body.code in title or body.name.casefold() in title.casefold()) else f"{body.code} – {title}"
        state = s.get(MeetingInvitation, meeting.id)
        data = InvitationData(
            uid=state.uid if state else f"{uuid.uuid4()}@qpv-desk", sequence=0,
            cancelled=meeting.status == E.MeetingStatus.ANNULEE.value, summary=summary,
            location=meeting.place or "", date=meeting.date, start_time=meeting.start_time,
            end_time=meeting.end_time, description=_description(body.name, agenda), organiser=organiser,
            attendees=tuple(attendees), stamp=now)
        fingerprint = _fingerprint(data)
        stamp = now.astimezone(dt.timezone.utc).replace(tzinfo=None)
        if state is None:
            state = MeetingInvitation(meeting_id=meeting.id, uid=data.uid, sequence=0, content_hash=fingerprint,
                                      exported_at=stamp)
            s.add(state)
        elif state.content_hash != fingerprint:
            state.sequence += 1
            state.content_hash = fingerprint
            state.exported_at = stamp
        data = replace(data, sequence=state.sequence)
        result = InvitationExport(meeting_id=meeting.id, uid=data.uid, sequence=data.sequence,
                                  cancelled=data.cancelled, content=invitation_ics(data),
                                  without_email=tuple(without), filename=_filename(body.code, meeting.date))
    if path is None and folder is not None:
        path = Path(folder) / result.filename
    if path is not None:
        result = replace(result, path=write_bytes(path, result.content))
    return result


def write_bytes(path: str | Path, content: bytes) -> Path:
    """Write a small file whole (:func:`~qpv_desk.reports.files.write_atomically`)."""
    return write_atomically(path, lambda tmp: tmp.write_bytes(content))
