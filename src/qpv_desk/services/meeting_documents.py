"""The documents of a meeting: gather, build once, write (Word) or show (HTML), freeze.

- :func:`write_meeting_document` is the one function the GUI and the CLI call to write
  a convocation, a sign-in sheet or a compte rendu; :func:`meeting_document_html` gives
  the same document as HTML for the print preview and the PDF.
- :func:`validate_minutes` freezes the compte rendu: its document model is stored in
  ``meeting_record`` with the day, who validated and the chair; every later export
  renders that copy, whatever changes in the base afterwards.
  :func:`unvalidate_minutes` is the explicit way back, kept in the history.
- A convocation is dated the day it was first produced (``meeting.convocation_date``).
- :func:`export_warnings` lists what she should check before exporting (a point
  presented by someone marked absent).
- The letterhead (logo, address) and the signatories of each body are kept in the base.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from ..domain import enums as E
from ..domain import validation as V
from ..domain.errors import ValidationError
from ..domain.text import agree, person_name
from ..reports import document as D
from ..reports import meeting_docs
from ..reports.html_render import render_html
from ..reports.files import FileLockedError, is_locked, next_free_name  # noqa: F401 (for the GUI: Word's locks)
from ..reports.meeting_data import (
    DocAgendaItem,
    DocAttendee,
    DocDecision,
    DocTask,
    FundingAmount,
    MeetingDocument,
    Validation,
)
from ..store.db import Database
from ..store.models import (
    Action,
    ActionObjective,
    ActionStatusChange,
    AgendaItem,
    Attendance,
    Body,
    Contract,
    Decision,
    Funder,
    FundingLine,
    Letterhead,
    Meeting,
    MeetingRecord,
    Membership,
    Objective,
    ObjectiveLevel,
    Organisation,
    Person,
    Quartier,
)
from .common import check_version, current_user, get, record_change
from .tasks import TaskRow, meeting_tasks, review_tasks

DOCUMENT_KINDS = ("convocation", "emargement", "minutes")
ABSENT_STATUSES = (E.AttendanceStatus.ABSENT, E.AttendanceStatus.EXCUSE)


@dataclass(frozen=True)
class MinutesRecord:
    meeting_id: int
    validated_on: dt.date
    validated_by: str
    chair: str


# --------------------------------------------------------------------------- gathering


def _level_names(session: Session, contract_id: int | None) -> dict[int, str]:
    if contract_id is None:
        return {}
    rows = session.execute(select(ObjectiveLevel.depth, ObjectiveLevel.name)
                           .where(ObjectiveLevel.contract_id == contract_id)).all()
    return {depth: name for depth, name in rows}


def _objective_label(levels: dict[int, str], code: str | None, depth: int | None) -> str:
    """« Sous-objectif 1.1.1.1 »: the level's name from the referential, then the code."""
    if not code:
        return ""
    return f"{levels.get(depth or 0, 'Objectif')} {code}"


def _signatories(session: Session, body: Body, day: dt.date) -> tuple[tuple[str, str], ...]:
    """The body's configured signatories, else its chairs (président·e·s) on that day."""
    if body.signatories:
        try:
            return tuple((str(n), str(f)) for n, f in json.loads(body.signatories) if n)
        except (ValueError, TypeError):
            pass
    rows = session.execute(
        select(Person.first_name, Person.last_name, Person.civility, Person.function)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.body_id == body.id, Membership.role == E.MemberRole.PRESIDENT.value,
               (Membership.start_date.is_(None)) | (Membership.start_date <= day),
               (Membership.end_date.is_(None)) | (Membership.end_date >= day))
        .order_by(Membership.id)).all()
    return tuple((person_name(r.first_name, r.last_name, r.civility), r.function or "") for r in rows)


def _gather(session: Session, meeting: Meeting, today: dt.date) -> MeetingDocument:
    body = meeting.body
    contract = session.get(Contract, body.contract_id) if body.contract_id else session.execute(
        select(Contract).order_by(Contract.id).limit(1)).scalar()
    quartier = session.get(Quartier, meeting.quartier_id) if meeting.quartier_id else None
    levels = _level_names(session, contract.id if contract else None)

    sec = None
    if meeting.secretary_id:
        sec = session.execute(
            select(Person.first_name, Person.last_name, Person.civility, Person.function, Person.email, Person.phone,
                   Organisation.name.label("org"))
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(Person.id == meeting.secretary_id)).one()

    rep = aliased(Person)
    attendance = session.execute(
        select(Attendance.person_id, Attendance.status, Attendance.guest, Person.first_name, Person.last_name,
               Person.civility, Person.function, Organisation.name.label("org"),
               rep.civility.label("rep_civility"), rep.first_name.label("rep_first"), rep.last_name.label("rep_last"))
        .join(Person, Person.id == Attendance.person_id)
        .outerjoin(Organisation, Organisation.id == Attendance.organisation_id)
        .outerjoin(rep, rep.id == Attendance.represented_by_id)
        .where(Attendance.meeting_id == meeting.id)
        .order_by(Attendance.id)).all()
    status_of = {r.person_id: E.AttendanceStatus(r.status) for r in attendance}
    attendees = tuple(
        DocAttendee(person_name(r.first_name, r.last_name), r.org or "", r.function or "", E.AttendanceStatus(r.status),
                    person_name(r.rep_first, r.rep_last, r.rep_civility) if r.rep_last or r.rep_first else "",
                    bool(r.guest),
                    r.civility or "", r.last_name or "", r.first_name or "")
        for r in attendance)

    presenter = aliased(Person)
    items = session.execute(
        select(AgendaItem, presenter.civility, presenter.first_name, presenter.last_name, Objective.code,
               Objective.depth, Action.code.label("ac"), Action.title.label("at"))
        .outerjoin(presenter, presenter.id == AgendaItem.presenter_id)
        .outerjoin(Objective, Objective.id == AgendaItem.objective_id)
        .outerjoin(Action, Action.id == AgendaItem.action_id)
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position, AgendaItem.id)).all()

    holder = aliased(Organisation)
    principal = aliased(Objective)
    decisions = session.execute(
        select(Decision, Action.code, Action.title, holder.name.label("holder"), principal.code.label("obj_code"),
               principal.depth.label("obj_depth"))
        .outerjoin(Action, Action.id == Decision.action_id)
        .outerjoin(holder, holder.id == Action.holder_id)
        .outerjoin(ActionObjective, (ActionObjective.action_id == Action.id) & ActionObjective.is_principal)
        .outerjoin(principal, principal.id == ActionObjective.objective_id)
        .where(Decision.meeting_id == meeting.id)
        .order_by(Decision.position, Decision.id)).all()
    action_ids = {d.action_id for d, *_ in decisions if d.action_id}
    funding: dict[int, list[FundingAmount]] = {}
    outcomes: dict[int, str] = {}
    if action_ids:
        for action_id, name, requested, granted, position in session.execute(
                select(FundingLine.action_id, Funder.name, FundingLine.requested_cents, FundingLine.granted_cents,
                       Funder.position)
                .join(Funder, Funder.id == FundingLine.funder_id)
                .where(FundingLine.action_id.in_(action_ids))
                .order_by(Funder.position, Funder.id)).all():
            if requested or granted:
                funding.setdefault(action_id, []).append(FundingAmount(name, requested or 0, granted, position or 0))
        for decision_id, status in session.execute(
                select(ActionStatusChange.decision_id, ActionStatusChange.status)
                .where(ActionStatusChange.meeting_id == meeting.id, ActionStatusChange.decision_id.is_not(None))).all():
            outcomes[decision_id] = E.ActionStatus(status).label

    by_item: dict[int | None, list[DocDecision]] = {}
    for d, code, title, holder_name, obj_code, obj_depth in decisions:
        kind = E.DecisionKind(d.kind)
        by_item.setdefault(d.agenda_item_id, []).append(DocDecision(
            kind, d.text, E.Opinion(d.opinion) if d.opinion else None, f"{code} – {title}" if code else "",
            action_code=code or "", action_title=title or "", holder=holder_name or "",
            objective=_objective_label(levels, obj_code, obj_depth), outcome=outcomes.get(d.id, ""),
            funding=tuple(funding.get(d.action_id, ())) if d.action_id else ()))
    agenda = []
    for n, (item, p_civility, p_first, p_last, o_code, o_depth, a_code, a_title) in enumerate(items, start=1):
        reference = " ; ".join(x for x in (_objective_label(levels, o_code, o_depth),
                                           a_code and f"Action {a_code} – {a_title}") if x)
        agenda.append(DocAgendaItem(
            number=n, title=item.title, presenter=person_name(p_first, p_last, p_civility) if item.presenter_id else "",
            duration_min=item.duration_min, reference=reference, discussion=item.discussion or "",
            decisions=tuple(by_item.pop(item.id, [])),
            presenter_absent=status_of.get(item.presenter_id) in ABSENT_STATUSES))
    loose = [d for group in by_item.values() for d in group]
    if loose:
        agenda.append(DocAgendaItem(number=len(agenda) + 1, title="Autres décisions", decisions=tuple(loose)))

    def doc_task(t: TaskRow) -> DocTask:
        if t.done_on is not None and t.done_on > today:  # closed after the day the document speaks of
            overdue = t.due_date is not None and t.due_date < today
            return DocTask(t.owner, t.description, t.due_date, E.TaskStatus.A_FAIRE, overdue, t.meeting_date, None)
        return DocTask(t.owner, t.description, t.due_date, t.status, t.overdue, t.meeting_date, t.done_on)

    tasks = meeting_tasks(session, meeting.id, today)
    review = review_tasks(session, meeting, today, include_recently_closed=True)
    return MeetingDocument(
        meeting_id=meeting.id, commune=(contract.commune if contract else "") or "",
        contract=contract.name if contract else "", quartier=quartier.name if quartier else "",
        body_code=body.code, body_name=body.name, title=meeting.title, date=meeting.date,
        start_time=meeting.start_time, end_time=meeting.end_time, place=meeting.place or "",
        status=E.MeetingStatus(meeting.status),
        secretary=person_name(sec.first_name, sec.last_name, sec.civility) if sec else "",
        secretary_function=", ".join(x for x in (sec.function, sec.org) if x) if sec else "",
        secretary_contact=" – ".join(x for x in (sec.email, sec.phone) if x) if sec else "",
        secretary_civility=(sec.civility or "") if sec else "",
        quorum=body.quorum, attendees=attendees, agenda=tuple(agenda),
        tasks=tuple(doc_task(t) for t in tasks), review=tuple(doc_task(t) for t in review),
        next_meeting_date=meeting.next_meeting_date, today=today, body_kind=body.kind,
        signatories=_signatories(session, body, meeting.date) if body.signatories or body.kind == "copil" else (),
        reply_by=meeting.reply_by, convocation_date=_produced_on(meeting, today),
    )


def _produced_on(meeting: Meeting, today: dt.date) -> dt.date:
    """The convocation's date: the day it was first produced; for a past meeting never
    produced here, the day the meeting was entered (never a day after the meeting)."""
    if meeting.convocation_date is not None:
        return meeting.convocation_date
    if today <= meeting.date:
        return today
    created = meeting.created_at.date() if meeting.created_at else meeting.date
    return min(created, meeting.date)


def meeting_document(db: Database, meeting_id: int, *, today: dt.date | None = None) -> MeetingDocument:
    """Gather what the three documents need, in a constant number of queries."""
    today = today or dt.date.today()
    with db.reader() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        return _gather(s, meeting, today)


def _record(session: Session, meeting_id: int) -> MeetingRecord | None:
    return session.execute(select(MeetingRecord).where(MeetingRecord.meeting_id == meeting_id,
                                                       MeetingRecord.kind == "minutes")).scalar()


def _check_kind(kind: str) -> None:
    if kind not in DOCUMENT_KINDS:
        raise ValidationError("kind", f"Document inconnu : « {kind} » (convocation, emargement ou minutes).")


def build_meeting_document(db: Database, meeting_id: int, kind: str, *, today: dt.date | None = None) -> D.Document:
    """The document model of one document: a validated compte rendu comes from its frozen copy."""
    _check_kind(kind)
    today = today or dt.date.today()
    with db.reader() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        if kind == "minutes":
            record = _record(s, meeting.id)
            if record is not None:
                return D.from_json(record.content)
        if kind == "minutes" and meeting.status == E.MeetingStatus.CR_VALIDE.value:
            # validated before records existed, read from a base she cannot write (the CLI's
            # exports, a server copy): the very document frozen at its first export
            # (_freeze_if_validated), « Compte rendu validé le … » and the chair's signature
            changed = meeting.updated_at.date() if meeting.updated_at else meeting.date
            day = max(changed, meeting.date)
            data = _gather(s, meeting, day)
            data = MeetingDocument(**{**data.__dict__, "validation": Validation(day, "", _chair(s, meeting))})
        else:
            data = _gather(s, meeting, today)
    return meeting_docs.BUILDERS[kind](data)


def suggested_filename(db: Database, meeting_id: int, kind: str) -> str:
    """« 2025-01-14_GT_3-Ilots_compte-rendu.docx » (one light query, not the whole document)."""
    _check_kind(kind)
    with db.reader() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        quartier = s.get(Quartier, meeting.quartier_id).name if meeting.quartier_id else ""
        name = SimpleNamespace(date=meeting.date, body_code=meeting.body.code, quartier=quartier)
        return meeting_docs.suggested_filename(name, kind)


def letterhead(db: Database) -> D.Letterhead:
    with db.reader() as s:
        row = s.execute(select(Letterhead).order_by(Letterhead.id).limit(1)).scalar()
        if row is None:
            return D.Letterhead()
        return D.Letterhead(row.address or "", row.logo, row.logo_name or "")


def _note_convocation_date(db: Database, meeting_id: int, today: dt.date) -> None:
    """Remember the day a convocation was first produced (its date on every later copy)."""
    if getattr(db, "read_only", False):
        return
    with db.session() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        if meeting.convocation_date is None:
            meeting.convocation_date = _produced_on(meeting, today)
            record_change(s, "meeting", meeting.id, "update", {"convocation produite le": today.isoformat()})


def _freeze_if_validated(db: Database, meeting_id: int) -> None:
    """A compte rendu validated before records existed (older base) is frozen at its first
    export, dated by the meeting's last change: from then on every export is identical."""
    if getattr(db, "read_only", False):
        return
    with db.reader() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        if meeting.status != E.MeetingStatus.CR_VALIDE.value or _record(s, meeting.id) is not None:
            return
    with db.session() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        if _record(s, meeting.id) is None:
            changed = meeting.updated_at.date() if meeting.updated_at else meeting.date
            _freeze(s, meeting, "", _chair(s, meeting), max(changed, meeting.date))
            record_change(s, "meeting", meeting.id, "status", {"compte rendu": "figé (validé auparavant)"})


def write_meeting_document(db: Database, meeting_id: int, kind: str, path: str | Path, *, progress=None,
                           today: dt.date | None = None) -> Path:
    """Write one of the three Word documents of a meeting to ``path``; returns the path written."""
    _check_kind(kind)
    today = today or dt.date.today()
    if progress:
        progress(0, 2, "Lecture de la réunion…")
    if kind == "convocation":
        _note_convocation_date(db, meeting_id, today)
    elif kind == "minutes":
        _freeze_if_validated(db, meeting_id)
    document = build_meeting_document(db, meeting_id, kind, today=today)
    if progress:
        progress(1, 2, "Rédaction du document…")
    written = meeting_docs.write_document(document, Path(path), letterhead(db))
    if progress:
        progress(2, 2, "Terminé")
    return written


def meeting_document_html(db: Database, meeting_id: int, kind: str = "minutes", *,
                          today: dt.date | None = None) -> str:
    """The same document as HTML (print preview, PDF), built from the same blocks as the Word file."""
    if kind == "minutes":
        _freeze_if_validated(db, meeting_id)
    return render_html(build_meeting_document(db, meeting_id, kind, today=today), letterhead(db))


def export_warnings(db: Database, meeting_id: int) -> list[str]:
    """What to check before exporting: points presented by someone marked absent or excusé (one query)."""
    with db.reader() as s:
        get(s, Meeting, meeting_id, "La réunion")
        rows = s.execute(
            select(AgendaItem.id, AgendaItem.title, Person.civility, Person.first_name, Person.last_name)
            .join(Person, Person.id == AgendaItem.presenter_id)
            .join(Attendance, (Attendance.meeting_id == AgendaItem.meeting_id)
                  & (Attendance.person_id == AgendaItem.presenter_id))
            .where(AgendaItem.meeting_id == meeting_id,
                   Attendance.status.in_([status.value for status in ABSENT_STATUSES]))
            .order_by(AgendaItem.position, AgendaItem.id)).all()
        numbers = {item_id: n for n, item_id in enumerate(s.execute(
            select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position, AgendaItem.id)).scalars(), start=1)}
    return [f"Le point {numbers[r.id]} « {r.title} » est présenté par "
            f"{person_name(r.first_name, r.last_name, r.civility)}, {agree('noté', r.civility)} "
            f"{agree('absent', r.civility)} ou {agree('excusé', r.civility)} : changez le présentateur ou la présence."
            for r in rows]


# --------------------------------------------------------------------------- validation (frozen record)


def minutes_record(db: Database, meeting_id: int) -> MinutesRecord | None:
    with db.reader() as s:
        get(s, Meeting, meeting_id, "La réunion")
        r = _record(s, meeting_id)
        return MinutesRecord(r.meeting_id, r.validated_on, r.validated_by, r.chair or "") if r else None


def _chair(session: Session, meeting: Meeting) -> str:
    signatories = _signatories(session, meeting.body, meeting.date)
    return signatories[0][0] if signatories else ""


def _freeze(session: Session, meeting: Meeting, by: str, chair: str, today: dt.date) -> MinutesRecord:
    data = _gather(session, meeting, today)
    data = MeetingDocument(**{**data.__dict__, "validation": Validation(today, by, chair)})
    document = meeting_docs.build_minutes(data)
    session.add(MeetingRecord(meeting_id=meeting.id, kind="minutes", content=D.to_json(document), validated_on=today,
                              validated_by=by, chair=chair or None))
    return MinutesRecord(meeting.id, today, by, chair)


def validate_minutes(db: Database, meeting_id: int, *, expected_version: int, validated_by: str | None = None,
                     chair: str | None = None, today: dt.date | None = None) -> MinutesRecord:
    """Validate the compte rendu and freeze it: what it says now is what every later export prints.
    ``expected_version``: the meeting's version she read (the validation changes its status)."""
    today = today or dt.date.today()
    with db.session() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        check_version(meeting, expected_version, "La réunion")
        if E.MeetingStatus(meeting.status) in (E.MeetingStatus.PREVUE, E.MeetingStatus.CONVOQUEE,
                                               E.MeetingStatus.ANNULEE):
            raise ValidationError("status", "Seul le compte rendu d'une réunion tenue peut être validé.")
        if _record(s, meeting.id) is not None:
            raise ValidationError("status", "Ce compte rendu est déjà validé : dévalidez-le d'abord pour le corriger.")
        by = V.line(validated_by or current_user(), "Validé par", "validated_by", required=True, max_len=200)
        chair_name = V.line(chair if chair is not None else _chair(s, meeting), "Présidence", "chair", max_len=200) or ""
        old = meeting.status
        meeting.status = E.MeetingStatus.CR_VALIDE.value
        s.flush()
        record = _freeze(s, meeting, by, chair_name, today)
        record_change(s, "meeting", meeting.id, "status",
                      {"status": [old, meeting.status], "compte rendu": "validé et figé", "validé par": by})
        return record


def minutes_status_changed(session: Session, meeting: Meeting, old: str) -> None:
    """The status was changed by hand (information tab): keep the frozen record in step."""
    validated = E.MeetingStatus.CR_VALIDE.value
    record = _record(session, meeting.id)
    if meeting.status == validated and record is None:
        _freeze(session, meeting, current_user(), _chair(session, meeting), dt.date.today())
        record_change(session, "meeting", meeting.id, "status", {"compte rendu": "validé et figé"})
    elif old == validated and meeting.status != validated and record is not None:
        session.delete(record)
        record_change(session, "meeting", meeting.id, "status",
                      {"compte rendu": "dévalidé", "validé le": record.validated_on.isoformat(),
                       "validé par": record.validated_by})


def unvalidate_minutes(db: Database, meeting_id: int, *, expected_version: int, reason: str = "") -> int:
    """Take back a validation to correct the compte rendu (explicit, kept in the history);
    returns the meeting's new version."""
    with db.session() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        check_version(meeting, expected_version, "La réunion")
        record = _record(s, meeting.id)
        if record is None and meeting.status != E.MeetingStatus.CR_VALIDE.value:
            raise ValidationError("status", "Ce compte rendu n'est pas validé.")
        changes = {"status": [meeting.status, E.MeetingStatus.TENUE.value], "compte rendu": "dévalidé"}
        if record is not None:
            changes["validé le"] = record.validated_on.isoformat()
            changes["validé par"] = record.validated_by
            s.delete(record)
        if reason.strip():
            changes["motif"] = reason.strip()[:500]
        meeting.status = E.MeetingStatus.TENUE.value
        record_change(s, "meeting", meeting.id, "status", changes)
        s.flush()
        return meeting.version


def meeting_reply_by(db: Database, meeting_id: int) -> dt.date | None:
    with db.reader() as s:
        return get(s, Meeting, meeting_id, "La réunion").reply_by


# --------------------------------------------------------------------------- settings of the documents


def set_letterhead(db: Database, *, address: str | None = None, logo: bytes | None = None, logo_name: str = "",
                   clear_logo: bool = False) -> D.Letterhead:
    """Change the letterhead (``address`` None: unchanged; ``logo`` bytes: new logo; ``clear_logo``: none)."""
    if logo is not None and not (logo[:8] == b"\x89PNG\r\n\x1a\n" or logo[:3] == b"\xff\xd8\xff"):
        raise ValidationError("logo", "Le logo doit être une image PNG ou JPEG.")
    if logo is not None and len(logo) > 2_000_000:
        raise ValidationError("logo", "Le logo dépasse 2 Mo : choisissez une image plus légère.")
    with db.session() as s:
        row = s.execute(select(Letterhead).order_by(Letterhead.id).limit(1)).scalar()
        if row is None:
            row = Letterhead()
            s.add(row)
        if address is not None:
            row.address = V.text(address, "Adresse", "address") or None
        if clear_logo:
            row.logo, row.logo_name = None, None
        elif logo is not None:
            row.logo, row.logo_name = logo, (logo_name or "logo")[:200]
        record_change(s, "letterhead", 1, "update", {"adresse": row.address, "logo": row.logo_name})
    return letterhead(db)


@dataclass(frozen=True)
class BodySignatories:
    """Who signs the body's letters (``people``: (name, function) pairs) and the body's
    version read with them (to save a change: :func:`set_body_signatories`)."""
    body_id: int
    people: tuple[tuple[str, str], ...]
    version: int


def body_signatories(db: Database, body_id: int) -> BodySignatories:
    """Who signs the body's letters: configured, else its chairs today."""
    with db.reader() as s:
        body = get(s, Body, body_id, "L'instance")
        return BodySignatories(body.id, _signatories(s, body, dt.date.today()), body.version)


def set_body_signatories(db: Database, body_id: int, signatories, *, expected_version: int) -> int:
    """``signatories``: [(name, function), …]; empty: back to the body's chairs. Returns the
    body's new version."""
    clean = []
    for n, (name, function) in enumerate(signatories, start=1):
        name = V.line(name, f"Signataire {n}", "signatories", max_len=200)
        if name:
            clean.append([name, V.line(function, f"Fonction du signataire {n}", "signatories", max_len=200) or ""])
    with db.session() as s:
        body = get(s, Body, body_id, "L'instance")
        check_version(body, expected_version, "L'instance")
        stored = json.dumps(clean, ensure_ascii=False) if clean else None
        if body.signatories != stored:
            body.signatories = stored
            s.flush()
            record_change(s, "body", body.id, "update", {"signataires": clean})
        return body.version


def set_reply_by(db: Database, meeting_id: int, day, *, expected_version: int) -> int:
    """The « merci de répondre avant le … » date of the convocation (None: none); returns
    the meeting's new version."""
    with db.session() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        check_version(meeting, expected_version, "La réunion")
        value = V.date(day, "Réponse souhaitée avant le", "reply_by") if day not in (None, "") else None
        if value is not None and value > meeting.date:
            raise ValidationError("reply_by", "La date de réponse doit précéder la réunion.")
        if meeting.reply_by != value:
            record_change(s, "meeting", meeting.id, "update", {"reply_by": [meeting.reply_by, value]})
            meeting.reply_by = value
            s.flush()
        return meeting.version

