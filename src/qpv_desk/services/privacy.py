"""Personal data (RGPD): export what the base holds about a person, anonymise them,
flag contacts without activity, and apply the retention period.

- :func:`export_person` writes a spreadsheet (sheets Identité, Instances, Réunions,
  Actions, Tâches, Historique): the answer to a right-of-access request.
- :func:`anonymise_person` replaces names and contact details (« Personne anonymisée
  n° 12 »), clears email, phone, function and notes, and scrubs the history; seats,
  attendance, actions and statistics are kept, so counts and rates do not change.
- :func:`mentions` finds the person in free text (meeting notes, agenda items and their
  discussion, decisions, follow-up tasks, action descriptions): the name in either
  order, with or without accents and case, the e-mail, the phone number whatever its
  separators. The export lists them; anonymising replaces them by the pseudonym.
- :func:`inactive_contacts` lists contacts with no activity for more than the
  retention period (setting ``retention_years``, 5 years by default), for review.
- :func:`prune_backups` (from :mod:`qpv_desk.store.backup`) deletes backups older
  than the retention period; backups also apply it after each automatic backup.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, or_, select

from ..domain import enums as E
from ..domain.errors import ValidationError
from ..domain.text import agree, feminine, person_name, person_sort_key
from ..domain.validation import count
from ..reports.files import write_atomically
from ..store.backup import DEFAULT_RETENTION_YEARS, RETENTION_KEY, prune_backups  # noqa: F401 - re-exported (the privacy dialog)
from ..store.db import Database
from ..store.models import (
    Action,
    AgendaItem,
    Attendance,
    Body,
    ChangeLog,
    Decision,
    FollowUpTask,
    Meeting,
    Membership,
    Organisation,
    Person,
    ProgrammeYear,
)
from .common import get, record_change
from .history import history
from .settings import read_settings, write_settings

RETENTION_MIN, RETENTION_MAX = 1, 50
ANONYMOUS_NAME = "Personne anonymisée n° {id}"

Progress = Callable[[int, int, str], None]


# --------------------------------------------------------------------------- retention setting


def retention_years(db: Database) -> int:
    """The retention period in years (setting ``retention_years``; 5 by default)."""
    raw = read_settings(db, {RETENTION_KEY: None})[RETENTION_KEY]
    try:
        years = int(raw) if raw is not None else DEFAULT_RETENTION_YEARS
    except ValueError:
        return DEFAULT_RETENTION_YEARS
    return years if RETENTION_MIN <= years <= RETENTION_MAX else DEFAULT_RETENTION_YEARS


def set_retention_years(db: Database, years) -> int:
    value = count(years, "Durée de conservation", "retention_years", required=True)
    if not RETENTION_MIN <= value <= RETENTION_MAX:
        raise ValidationError(
            "retention_years",
            f"La durée de conservation doit être comprise entre {RETENTION_MIN} et {RETENTION_MAX} ans.",
        )
    write_settings(db, {RETENTION_KEY: str(value)})
    return value


# --------------------------------------------------------------------------- people list


@dataclass(frozen=True)
class PersonRef:
    id: int
    name: str
    organisation: str
    anonymised_on: dt.date | None


def persons(db: Database) -> list[PersonRef]:
    """Every contact (for choosing whose data to export or anonymise), by name."""
    stmt = (
        select(Person, Organisation.name)
        .outerjoin(Organisation, Person.organisation_id == Organisation.id)
        .order_by(Person.id)
    )
    with db.reader() as s:
        rows = sorted(s.execute(stmt), key=lambda r: person_sort_key(r[0].first_name, r[0].last_name))  # French order
        return [PersonRef(p.id, _name(p), org or "", p.anonymised_on) for p, org in rows]


def _name(p: Person) -> str:
    return person_name(p.first_name, p.last_name) or f"Contact n° {p.id}"


def _civil_name(p: Person) -> str:
    """« Mme Claire Martin »: another person as her export names them."""
    return person_name(p.first_name, p.last_name, p.civility) if (p.first_name or p.last_name) else _name(p)


# --------------------------------------------------------------------------- export


_EPICENE = re.compile(r"(\w+)\((e|le)\)")


def _agreed(label: str, civility: str | None) -> str:
    """« Présente », « Invitée ponctuelle » for Mme, « Présent » for M.: the export speaks of
    one known person, so « Présent(e) » only where her civility is unknown."""
    fem = feminine(civility)
    if fem is None:
        return label
    return _EPICENE.sub(lambda m: m[1] + (m[2] if fem else ""), label)


def _d(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def _label(enum_cls, code) -> str:
    try:
        return enum_cls(code).label
    except ValueError:
        return str(code or "")


@dataclass(frozen=True)
class PersonData:
    """Everything the base holds about one person, as rows of text per sheet."""

    person_id: int
    name: str
    sheets: dict[str, tuple[tuple[str, ...], list[tuple[str, ...]]]]


def person_data(db: Database, person_id: int) -> PersonData:
    with db.reader() as s:
        p = get(s, Person, person_id, "Le contact")
        org = s.get(Organisation, p.organisation_id) if p.organisation_id else None
        identity = [
            ("Identifiant", str(p.id)),
            ("Civilité", _label(E.Civility, p.civility) if p.civility else ""),
            ("Prénom", p.first_name or ""),
            ("Nom", p.last_name or ""),
            ("Fonction", p.function or ""),
            ("Structure", org.name if org else ""),
            ("Courriel", p.email or ""),
            ("Téléphone", p.phone or ""),
            ("Notes", p.notes or ""),
            ("Actif", _d(p.active)),
            ("Anonymisé le", _d(p.anonymised_on)),
            ("Fiche créée le", _d(p.created_at)),
            ("Fiche modifiée le", _d(p.updated_at)),
        ]
        memberships = [
            (body, _agreed(_label(E.MemberRole, m.role), p.civility), m.seat or "", org_name or "",
             _d(m.start_date), _d(m.end_date))
            for m, body, org_name in s.execute(
                select(Membership, Body.name, Organisation.name)
                .join(Body, Membership.body_id == Body.id)
                .outerjoin(Organisation, Membership.organisation_id == Organisation.id)
                .where(Membership.person_id == person_id)
                .order_by(Body.name, Membership.start_date)
            )
        ]
        meetings: list[tuple] = []
        represented = {
            pid: _civil_name(rep)
            for pid, rep in s.execute(
                select(Attendance.id, Person)
                .join(Person, Attendance.represented_by_id == Person.id)
                .where(Attendance.person_id == person_id)
            )
        }
        for a, m, body, org_name in s.execute(
            select(Attendance, Meeting, Body.name, Organisation.name)
            .join(Meeting, Attendance.meeting_id == Meeting.id)
            .join(Body, Meeting.body_id == Body.id)
            .outerjoin(Organisation, Attendance.organisation_id == Organisation.id)
            .where(Attendance.person_id == person_id)
        ):
            role = _agreed("Invité(e) ponctuel(le)" if a.guest else "Convoqué(e)", p.civility)
            extra = f"{agree('représenté', p.civility)} par {represented[a.id]}" if a.id in represented else ""
            meetings.append((m.date, body, m.title, role, _agreed(_label(E.AttendanceStatus, a.status), p.civility),
                             org_name or "", extra))
        for a, m, body, who in s.execute(
            select(Attendance, Meeting, Body.name, Person)
            .join(Meeting, Attendance.meeting_id == Meeting.id)
            .join(Body, Meeting.body_id == Body.id)
            .join(Person, Attendance.person_id == Person.id)
            .where(Attendance.represented_by_id == person_id)
        ):
            meetings.append((m.date, body, m.title, _agreed("Représentant(e)", p.civility), "", "",
                             f"représente {_civil_name(who)}"))
        for m, body in s.execute(
            select(Meeting, Body.name).join(Body, Meeting.body_id == Body.id).where(Meeting.secretary_id == person_id)
        ):
            meetings.append((m.date, body, m.title, "Secrétaire de séance", "", "", ""))
        for item, m, body in s.execute(
            select(AgendaItem, Meeting, Body.name)
            .join(Meeting, AgendaItem.meeting_id == Meeting.id)
            .join(Body, Meeting.body_id == Body.id)
            .where(AgendaItem.presenter_id == person_id)
        ):
            meetings.append((m.date, body, m.title, _agreed("Intervenant(e)", p.civility), "", "", f"point : {item.title}"))
        meetings.sort(key=lambda r: (r[0], r[1], r[2]))
        meetings_rows = [(_d(r[0]), *r[1:]) for r in meetings]
        actions = [
            (str(year), a.code, a.title, holder, _label(E.ActionStatus, a.status), _d(a.start_date), _d(a.end_date))
            for a, year, holder in s.execute(
                select(Action, ProgrammeYear.year, Organisation.name)
                .join(ProgrammeYear, Action.programme_year_id == ProgrammeYear.id)
                .join(Organisation, Action.holder_id == Organisation.id)
                .where(Action.contact_id == person_id)
                .order_by(ProgrammeYear.year, Action.code)
            )
        ]
        tasks = [
            (t.description, _d(t.due_date), _label(E.TaskStatus, t.status), _d(t.done_on),
             f"{_d(m_date)} — {m_title}" if m_title else "", t.notes or "")
            for t, m_date, m_title in s.execute(
                select(FollowUpTask, Meeting.date, Meeting.title)
                .outerjoin(Meeting, FollowUpTask.meeting_id == Meeting.id)
                .where(FollowUpTask.owner_person_id == person_id)
                .order_by(FollowUpTask.due_date, FollowUpTask.id)
            )
        ]
        name = _civil_name(p)  # « Mme Hélène Belkacem » on every printed page, as she is addressed
    hist = [(_d(h.when), h.who, h.operation_label, h.summary) for h in history(db, "person", person_id)]
    return PersonData(
        person_id,
        name,
        {
            "Identité": (("Champ", "Valeur"), identity),
            "Instances": (("Instance", "Rôle", "Siège", "Structure représentée", "Début", "Fin"), memberships),
            "Réunions": (("Date", "Instance", "Réunion", "Qualité", "Présence", "Structure", "Précision"), meetings_rows),
            "Actions": (("Année", "Code", "Intitulé", "Porteur", "Statut", "Début", "Fin"), actions),
            "Tâches": (("Suite à donner", "Échéance", "Statut", "Faite le", "Réunion", "Notes"), tasks),
            "Historique": (("Date", "Par", "Opération", "Détail"), hist),
            "Mentions": (("Où", "N°", "Extrait"),
                         [(m.where, str(m.entity_id), m.excerpt) for m in mentions(db, person_id)]),
        },
    )


COLUMN_MAX = 32  # characters: a column of the export, wider texts wrap


def export_person(db: Database, person_id: int, path: str | Path, *, progress: Progress | None = None) -> Path:
    """Write everything the base holds about the person to an .xlsx file (right of access)."""
    from openpyxl import Workbook  # start-up: openpyxl loads only to write a workbook

    from ..reports.xlsx_common import XlsxWriter  # start-up: (openpyxl)

    report = progress or (lambda *_: None)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(path.suffix + ".xlsx") if path.suffix else path.with_suffix(".xlsx")
    data = person_data(db, person_id)
    today = dt.date.today()
    wb = Workbook()
    writer = XlsxWriter(wb)
    total = len(data.sheets)
    for n, (title, (headers, rows)) in enumerate(data.sheets.items()):
        report(n, total, f"Feuille {title}")
        ws = writer.sheet(title, first=(n == 0))
        writer.header_row(ws, 1, headers)
        if not rows:
            writer.text(ws, 2, 1, "Aucune donnée.")
        for r, values in enumerate(rows, start=2):
            for c, value in enumerate(values, start=1):
                writer.text(ws, r, c, value, kind="wrap" if len(value) > COLUMN_MAX else "text")
        ws.freeze_panes = "A2"
        # long texts wrap in columns of at most COLUMN_MAX characters: the Réunions sheet
        # (title, structure, « représentée par … ») printed one page wide at a 5-point size
        writer.fit_columns(ws, maximum=COLUMN_MAX)
        writer.fit_rows(ws)
        # printed for the person who asked: one page wide, headers repeated, her name and the date on each page
        writer.print_setup(ws, title=f"Données personnelles — {data.name}", data_date=today, title_rows="1:1")
    wb.properties.title = f"Données personnelles — {data.name}"
    wb.properties.creator = "QPV Desk"
    write_atomically(path, lambda tmp: wb.save(tmp), make_folder=True)
    report(total, total, "Terminé")
    return path


# --------------------------------------------------------------------------- mentions in free text

# (model, column, where it is, for the user)
FREE_TEXT = (
    (Meeting, "notes", "Réunion — notes"),
    (AgendaItem, "title", "Ordre du jour — point"),
    (AgendaItem, "discussion", "Ordre du jour — échanges"),
    (Decision, "text", "Relevé de décisions"),
    (FollowUpTask, "description", "Suite à donner"),
    (FollowUpTask, "notes", "Suite à donner — notes"),
    (Action, "description", "Action — description"),
    (Action, "target_public", "Action — public visé"),
)


@dataclass(frozen=True)
class Mention:
    """The person quoted in a free-text field."""

    where: str
    entity: str
    entity_id: int
    field: str
    excerpt: str


def _fold_char(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).lower()


def _loose(text: str) -> str:
    """A pattern matching ``text`` whatever the accents, case, spaces and hyphens."""
    parts = []
    for ch in text:
        if ch.isspace() or ch in "-'’":
            parts.append(r"[\s\-'’]+")
            continue
        base = _fold_char(ch)
        if base.isalpha():
            variants = {c for c in _ACCENTED.get(base, base)} | {base, base.upper()}
            parts.append("[" + "".join(re.escape(v) for v in sorted(variants)) + "]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


_ACCENTED = {}
for _ch in "àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸ":
    _ACCENTED.setdefault(_fold_char(_ch)[:1], set()).add(_ch)


def _phone_pattern(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 6:
        return None
    forms = [digits]
    if digits.startswith("0") and len(digits) == 10:
        forms.append("33" + digits[1:])
    if digits.startswith("33") and len(digits) == 11:
        forms.append("0" + digits[2:])
    sep = r"[\s.\-/()]*"
    return "|".join(r"(?<!\d)\+?" + sep.join(f) + r"(?!\d)" for f in forms)


def _mention_pattern(p: Person) -> re.Pattern | None:
    options = []
    first, last = (p.first_name or "").strip(), (p.last_name or "").strip()
    if last and first:
        options += [_loose(f"{first} {last}"), _loose(f"{last} {first}")]
    if last and len(last) >= 3:
        civil = r"(?:M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle|Me|Dr|Pr)\s*"
        options.append(civil + _loose(last))
        if first:
            options.append(_loose(f"{first[0]}. {last}"))
    if p.email:
        options.append(re.escape(p.email.strip()))
    if p.phone:
        pattern = _phone_pattern(p.phone)
        if pattern:
            options.append(pattern)
    if not options:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{o})" for o in options) + r")(?!\w)", re.IGNORECASE)


def _excerpt(text: str, start: int, end: int) -> str:
    a, b = max(0, start - 40), min(len(text), end + 40)
    return ("…" if a else "") + " ".join(text[a:b].split()) + ("…" if b < len(text) else "")


def _mentions_in(s, p: Person) -> list[tuple[object, str, str, re.Pattern]]:
    pattern = _mention_pattern(p)
    found = []
    if pattern is None:
        return found
    for model, column, where in FREE_TEXT:
        col = getattr(model, column)
        for row in s.scalars(select(model).where(col.is_not(None)).order_by(model.id)):
            if pattern.search(getattr(row, column) or ""):
                found.append((row, column, where, pattern))
    return found


def mentions(db: Database, person_id: int) -> list[Mention]:
    """Every free-text field that quotes the person (see the module docstring)."""
    with db.reader() as s:
        p = get(s, Person, person_id, "Le contact")
        result = []
        for row, column, where, pattern in _mentions_in(s, p):
            text = getattr(row, column)
            m = pattern.search(text)
            result.append(Mention(where, type(row).__table__.name, row.id, column, _excerpt(text, m.start(), m.end())))
        return result


# --------------------------------------------------------------------------- anonymisation

_CLEARED = ("first_name", "function", "email", "phone", "notes")


def anonymise_person(db: Database, person_id: int, *, today: dt.date | None = None) -> str:
    """Replace the person's identity by « Personne anonymisée n° ID »; returns that name.

    Email, phone, function and notes are cleared; seats, attendance, actions and tasks
    stay linked to the (now anonymous) record, so statistics are unchanged. The history
    of the person loses the values it held, and their names and email are replaced by
    the pseudonym wherever else the history quotes them. Cannot be undone (except by
    restoring a backup taken before).
    """
    today = today or dt.date.today()
    with db.session() as s:
        p = get(s, Person, person_id, "Le contact")
        if p.anonymised_on is not None:
            raise ValidationError(None, f"Ce contact a déjà été anonymisé le {p.anonymised_on:%d/%m/%Y}.")
        pseudonym = ANONYMOUS_NAME.format(id=p.id)
        secrets = {v for v in (p.email, p.phone, _name(p), p.full_name) if v and len(v) >= 3}
        if p.first_name and p.last_name:
            secrets.add(f"{p.last_name} {p.first_name}")
        # Free text quoting the person (notes, decisions, tasks…): the mention becomes the pseudonym.
        for row, column, _where, pattern in _mentions_in(s, p):
            setattr(row, column, pattern.sub(pseudonym, getattr(row, column)))
        p.civility = ""
        p.last_name = pseudonym
        for field in _CLEARED:
            setattr(p, field, None)
        p.active = False
        p.anonymised_on = today
        # The person's own history: keep who/when/what operation, drop the values.
        for entry in s.scalars(select(ChangeLog).where(ChangeLog.entity == "person", ChangeLog.entity_id == p.id)):
            entry.changes = None
        # Elsewhere in the history, replace quotes of the person by the pseudonym.
        if secrets:
            longest_first = sorted(secrets, key=len, reverse=True)
            rows = s.scalars(
                select(ChangeLog).where(
                    ChangeLog.changes.is_not(None),
                    or_(*[ChangeLog.changes.contains(json.dumps(v, ensure_ascii=False)[1:-1], autoescape=True) for v in secrets]),
                )
            )
            for entry in rows:
                text = entry.changes
                for secret in longest_first:
                    text = text.replace(json.dumps(secret, ensure_ascii=False)[1:-1], pseudonym)
                entry.changes = text
        s.flush()
        record_change(s, "person", p.id, "anonymise", {"anonymised_on": today.isoformat()})
    return pseudonym


# --------------------------------------------------------------------------- inactive contacts


@dataclass(frozen=True)
class InactiveContact:
    id: int
    name: str
    organisation: str
    last_activity: dt.date | None  # None: never any activity (then the record's creation date counts)
    created: dt.date | None


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _as_date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def last_activities(db: Database) -> dict[int, dt.date]:
    """Per person, the date of their latest activity (one grouped query per kind of activity).

    Activity: a meeting they were invited to (or represented someone at, or were
    secretary of), a seat (its end, or today while it is open), an action they are the
    contact of (its end, its start or the end of its programme year), a task they own
    (done or due). A contact without any activity counts from the creation of its record.
    """
    far_future = dt.date(9999, 12, 31)
    latest: dict[int, dt.date] = {}

    def merge(rows) -> None:
        for pid, day in rows:
            day = _as_date(day)
            if pid is not None and day is not None and day > latest.get(pid, dt.date.min):
                latest[pid] = day

    with db.reader() as s:
        merge(s.execute(select(Attendance.person_id, func.max(Meeting.date))
                        .join(Meeting, Attendance.meeting_id == Meeting.id).group_by(Attendance.person_id)))
        merge(s.execute(select(Attendance.represented_by_id, func.max(Meeting.date))
                        .join(Meeting, Attendance.meeting_id == Meeting.id)
                        .where(Attendance.represented_by_id.is_not(None)).group_by(Attendance.represented_by_id)))
        merge(s.execute(select(Meeting.secretary_id, func.max(Meeting.date))
                        .where(Meeting.secretary_id.is_not(None)).group_by(Meeting.secretary_id)))
        merge(s.execute(select(Membership.person_id, func.max(Membership.end_date))
                        .where(Membership.person_id.is_not(None), Membership.end_date.is_not(None))
                        .group_by(Membership.person_id)))
        merge((pid, far_future) for (pid,) in s.execute(
            select(Membership.person_id).where(Membership.person_id.is_not(None), Membership.end_date.is_(None))
            .distinct()))
        merge(s.execute(select(Action.contact_id, func.max(Action.end_date))
                        .where(Action.contact_id.is_not(None), Action.end_date.is_not(None)).group_by(Action.contact_id)))
        merge(s.execute(select(Action.contact_id, func.max(Action.start_date))
                        .where(Action.contact_id.is_not(None)).group_by(Action.contact_id)))
        merge((pid, dt.date(year, 12, 31)) for pid, year in s.execute(
            select(Action.contact_id, func.max(ProgrammeYear.year))
            .join(ProgrammeYear, Action.programme_year_id == ProgrammeYear.id)
            .where(Action.contact_id.is_not(None)).group_by(Action.contact_id)))
        for column in (FollowUpTask.done_on, FollowUpTask.due_date):
            merge(s.execute(select(FollowUpTask.owner_person_id, func.max(column))
                            .where(FollowUpTask.owner_person_id.is_not(None)).group_by(FollowUpTask.owner_person_id)))
    return latest


def inactive_contacts(db: Database, years: int | None = None, today: dt.date | None = None) -> list[InactiveContact]:
    """Contacts (not anonymised) without any activity for more than ``years`` (default: the setting)."""
    years = retention_years(db) if years is None else years
    if years < 1:
        raise ValidationError("retention_years", "La durée de conservation doit être d'au moins un an.")
    today = today or dt.date.today()
    limit = _years_before(today, years)
    latest = last_activities(db)
    found = []
    with db.reader() as s:
        stmt = (
            select(Person, Organisation.name)
            .outerjoin(Organisation, Person.organisation_id == Organisation.id)
            .where(Person.anonymised_on.is_(None))
            .order_by(Person.id)
        )
        for p, org in sorted(s.execute(stmt), key=lambda r: person_sort_key(r[0].first_name, r[0].last_name)):
            last = latest.get(p.id)
            created = _as_date(p.created_at)
            reference = last or created
            if reference is None or reference < limit:
                found.append(InactiveContact(p.id, _name(p), org or "", last, created))
    return found
