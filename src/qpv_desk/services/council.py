"""The conseil citoyen's register: who sits in which collège, since when, until when, as
titulaire or suppléant; the recognition arrêté; departures and replacements; the checks
of the law (:mod:`qpv_desk.domain.council`); the arrêté's annex; the residents' draw.

Every function is one user action (one unit of work), plain frozen dataclasses out,
French errors from :mod:`qpv_desk.domain.errors`. Changes are written to the change
history of the body (« body ») and of the person, so departures and replacements stay
visible in the Historique.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import council as CC
from ..domain import enums as E
from ..domain import validation as V
from ..domain.errors import NotFoundError, ValidationError
from ..domain.rules import HELD
from ..domain.text import agree, feminine, of, person_name, person_sort_key, sort_key
from ..store.db import Database
from ..store.models import Attendance, Body, ChangeLog, Contract, CouncilDraw, Meeting, Membership, Organisation, Person
from .common import check_version, current_user, diff, get, record_change, save_changes, validate_fields
from .listing import Listing


# --------------------------------------------------------------------------- data out


@dataclass(frozen=True)
class RegisterRow:
    id: int  # membership id
    person_id: int | None
    name: str  # « Mme Claire Dubois », or the seat / organisation when no person
    civility: str | None
    first_name: str | None
    last_name: str | None
    organisation_name: str | None
    role: E.MemberRole
    college: CC.College | None
    entry_mode: CC.EntryMode | None
    substitute_of_id: int | None
    substitute_of_name: str | None
    replaces_id: int | None
    start_date: dt.date | None
    end_date: dt.date | None
    version: int

    @property
    def substitute(self) -> bool:
        return self.role == E.MemberRole.SUPPLEANT

    @property
    def college_label(self) -> str:
        return self.college.label if self.college else ""

    @property
    def entry_mode_label(self) -> str:
        """« Désignée » for Mme, « Désigné » for M. (« Désigné(e) » only without a civility)."""
        if not self.entry_mode:
            return ""
        label = self.entry_mode.label
        if label.endswith("(e)") and feminine(self.civility) is not None:
            return agree(label[:-3], self.civility)
        return label

    @property
    def standing(self) -> str:
        """« Titulaire » or « Suppléant(e) de Mme X »."""
        if not self.substitute:
            return "Titulaire"
        word = "Suppléante" if self.civility == "Mme" else "Suppléant" if self.civility == "M." else "Suppléant(e)"
        return f"{word} de {self.substitute_of_name}" if self.substitute_of_name else word


@dataclass(frozen=True)
class Register:
    body_id: int
    body_name: str
    body_kind: E.BodyKind
    arrete_reference: str | None
    arrete_date: dt.date | None
    version: int
    today: dt.date
    members: tuple[RegisterRow, ...]  # active on ``today``
    former: tuple[RegisterRow, ...]  # ended before ``today`` (departures, replaced members)
    findings: tuple[CC.Finding, ...]

    @property
    def problems(self) -> tuple[CC.Finding, ...]:
        return tuple(f for f in self.findings if f.level != CC.CheckLevel.OK)


def _row(m: Membership, person: Person | None, org_name: str | None, names: Mapping[int, str]) -> RegisterRow:
    if person is not None:
        name = person_name(person.first_name, person.last_name, person.civility)
    else:
        name = m.seat or org_name or f"Siège n° {m.id}"
    return RegisterRow(
        id=m.id, person_id=m.person_id, name=name, civility=person.civility if person else None,
        first_name=person.first_name if person else None, last_name=person.last_name if person else None,
        organisation_name=org_name, role=E.MemberRole(m.role),
        college=CC.College(m.college) if m.college else None,
        entry_mode=CC.EntryMode(m.entry_mode) if m.entry_mode else None,
        substitute_of_id=m.substitute_of_id, substitute_of_name=names.get(m.substitute_of_id),
        replaces_id=m.replaces_id, start_date=m.start_date, end_date=m.end_date, version=m.version,
    )


def _ordered(rows: Sequence[RegisterRow]) -> list[RegisterRow]:
    """Residents first, then local actors; each titulaire followed by their suppléant(s)."""
    college_rank = {CC.College.HABITANTS: 0, CC.College.ACTEURS_LOCAUX: 1, None: 2}

    def key(r: RegisterRow):
        return (college_rank[r.college], person_sort_key(r.first_name, r.last_name or r.name), r.id)

    titulaires = sorted((r for r in rows if not r.substitute), key=key)
    ids = {r.id for r in titulaires}
    subs: dict[int | None, list[RegisterRow]] = {}
    for r in sorted((r for r in rows if r.substitute), key=key):
        subs.setdefault(r.substitute_of_id if r.substitute_of_id in ids else None, []).append(r)
    out: list[RegisterRow] = []
    for t in titulaires:
        out.append(t)
        out.extend(subs.get(t.id, []))
    out.extend(subs.get(None, []))
    return out


def _recent_attendance(s: Session, body_id: int, person_ids: set[int], today: dt.date,
                       streak: int = CC.ABSENCE_STREAK) -> dict[int, tuple[str, ...]]:
    """Per person, their status at the last ``streak`` held meetings of the body, newest first
    (« » when not invited to one of them)."""
    meeting_ids = list(s.scalars(
        select(Meeting.id).where(Meeting.body_id == body_id, Meeting.status.in_(HELD), Meeting.date <= today)
        .order_by(Meeting.date.desc(), Meeting.id.desc()).limit(streak)))
    if not meeting_ids or not person_ids:
        return {}
    found = {(mid, pid): status for mid, pid, status in s.execute(
        select(Attendance.meeting_id, Attendance.person_id, Attendance.status)
        .where(Attendance.meeting_id.in_(meeting_ids), Attendance.person_id.in_(person_ids)))}
    return {pid: tuple(found.get((mid, pid), "") for mid in meeting_ids) for pid in person_ids}


def _active(m: Membership, day: dt.date) -> bool:
    return (m.start_date is None or m.start_date <= day) and (m.end_date is None or m.end_date >= day)


def _load_register(s: Session, body: Body, today: dt.date) -> Register:
    rows = s.execute(
        select(Membership, Person, Organisation.name)
        .outerjoin(Person, Person.id == Membership.person_id)
        .outerjoin(Organisation, Organisation.id == Membership.organisation_id)
        .where(Membership.body_id == body.id)
    ).all()
    names = {m.id: (person_name(p.first_name, p.last_name, p.civility) if p else (m.seat or org or ""))
             for m, p, org in rows}
    # in the register's order, so the checks name the members as the register lists them
    current = _ordered([_row(m, p, org, names) for m, p, org in rows if _active(m, today)])
    former = [_row(m, p, org, names) for m, p, org in rows
              if not _active(m, today) and (m.end_date is not None and m.end_date < today)]
    attendance = _recent_attendance(s, body.id, {r.person_id for r in current if r.person_id}, today)
    plain = [CC.RegisterMember(r.id, r.name, r.civility, r.college, r.substitute, r.substitute_of_id, r.end_date,
                               attendance.get(r.person_id, ()) if r.person_id else ()) for r in current]
    findings = CC.check_register(plain, today)
    former.sort(key=lambda r: (r.end_date or dt.date.min), reverse=True)
    return Register(body.id, body.name, E.BodyKind(body.kind), body.arrete_reference, body.arrete_date,
                    body.version, today, tuple(current), tuple(former), tuple(findings))


def council_register(db: Database, body_id: int, *, today: dt.date | None = None) -> Register:
    """The register of one body (usually a conseil citoyen) on ``today``, with the checks."""
    day = today or dt.date.today()
    with db.reader() as s:
        return _load_register(s, get(s, Body, body_id, "L'instance"), day)


def council_registers(db: Database, *, today: dt.date | None = None) -> list[Register]:
    """Every active conseil citoyen's register: the plain data the COPIL workbook shows."""
    day = today or dt.date.today()
    with db.reader() as s:
        bodies = s.scalars(select(Body).where(Body.kind == E.BodyKind.CONSEIL_CITOYEN.value, Body.active.is_(True))
                           .order_by(Body.name)).all()
        return [_load_register(s, b, day) for b in bodies]


# --------------------------------------------------------------------------- edits


def _validate_register(s: Session, m: Membership, data: Mapping) -> dict:
    def titulaire():
        value = data.get("substitute_of_id")
        if value in (None, ""):
            return None
        try:
            other = get(s, Membership, value, "Le titulaire")
        except NotFoundError as exc:
            raise ValidationError("substitute_of_id", str(exc)) from None
        if other.body_id != m.body_id or other.id == m.id or other.role == E.MemberRole.SUPPLEANT.value:
            raise ValidationError("substitute_of_id", "Le titulaire doit être un autre membre titulaire de la même instance.")
        return other.id

    checks = {
        "college": lambda: (c.value if (c := V.choice(data.get("college"), CC.College, "Collège", "college",
                                                       required=False)) else None),
        "entry_mode": lambda: (c.value if (c := V.choice(data.get("entry_mode"), CC.EntryMode, "Mode d'entrée",
                                                          "entry_mode", required=False)) else None),
        "role": lambda: V.choice(data.get("role") or E.MemberRole.MEMBRE, E.MemberRole, "Rôle", "role").value,
        "substitute_of_id": titulaire,
        "start_date": lambda: V.date(data.get("start_date"), "Début du mandat", "start_date"),
        "end_date": lambda: V.date(data.get("end_date"), "Fin du mandat", "end_date"),
    }
    values = validate_fields(data, checks)
    merged = {k: getattr(m, k) for k in checks}
    merged.update(values)
    V.date_range(merged["start_date"], merged["end_date"], start_label="Début du mandat", end_label="Fin du mandat")
    if merged["substitute_of_id"] and merged["role"] != E.MemberRole.SUPPLEANT.value:
        raise ValidationError("substitute_of_id", "Seul(e) un(e) suppléant(e) remplace un titulaire : "
                                                  "choisissez le rôle « Suppléant(e) » ou retirez le titulaire.")
    return values


def update_register_entry(db: Database, membership_id: int, values: Mapping, *, expected_version: int) -> int:
    """Collège, mode d'entrée, rôle (titulaire/suppléant), titulaire suppléé, mandat d'un membre."""
    with db.session() as s:
        m = get(s, Membership, membership_id, "Le membre")
        data = _validate_register(s, m, values)
        check_version(m, expected_version, "Le membre")
        changes = diff(m, data)
        if changes:
            s.flush()
            record_change(s, "body", m.body_id, "register", {"member": _name(s, m), **changes})
            if m.person_id:
                record_change(s, "person", m.person_id, "membership", changes)
        return m.version


def set_arrete(db: Database, body_id: int, reference: str | None, date: dt.date | str | None, *,
               expected_version: int) -> int:
    """The reference and date of the prefectoral arrêté recognising the conseil."""
    with db.session() as s:
        body = get(s, Body, body_id, "L'instance")
        data = validate_fields({"arrete_reference": reference, "arrete_date": date}, {
            "arrete_reference": lambda: V.line(reference, "Arrêté n°", "arrete_reference", max_len=200),
            "arrete_date": lambda: V.date(date, "Arrêté du", "arrete_date"),
        })
        check_version(body, expected_version, "L'instance")
        return save_changes(s, body, data, "body")


def _day(value, label: str, field: str) -> dt.date:
    return V.date(value, label, field) or dt.date.today()


def record_departure(db: Database, membership_id: int, on: dt.date | str | None = None, reason: str | None = None,
                     *, expected_version: int) -> None:
    """A member leaves on ``on`` (today): the seat is ended, kept in the register's former members."""
    day = _day(on, "Date de départ", "end_date")
    why = V.line(reason, "Motif", "reason", max_len=300)
    with db.session() as s:
        m = get(s, Membership, membership_id, "Le membre")
        check_version(m, expected_version, "Le membre")
        V.date_range(m.start_date, day, start_label="Début du mandat", end_label="Date de départ")
        m.end_date = day
        change = {"departure": _name(s, m), "end_date": day, **({"reason": why} if why else {})}
        record_change(s, "body", m.body_id, "departure", change)
        if m.person_id:
            record_change(s, "person", m.person_id, "membership", {"end_date": day, **({"reason": why} if why else {})})


def _name(s: Session, m: Membership) -> str:
    if m.person_id:
        p = s.get(Person, m.person_id)
        return person_name(p.first_name, p.last_name, p.civility)
    return m.seat or f"siège n° {m.id}"


def replace_member(db: Database, membership_id: int, person_id: int, on: dt.date | str | None = None, *,
                   entry_mode: str | None = None, reason: str | None = None,
                   expected_version: int) -> int:
    """``person_id`` takes the seat of the member ``membership_id`` from ``on`` (today).

    The old seat ends the day before; the new one keeps collège, rôle, titulaire suppléé
    and the end of the mandate, and remembers whom it replaces; suppléants of the old
    titulaire now stand in for the new one. Returns the new membership's id.
    """
    day = _day(on, "Date du remplacement", "start_date")
    why = V.line(reason, "Motif", "reason", max_len=300)
    with db.session() as s:
        old = get(s, Membership, membership_id, "Le membre")
        check_version(old, expected_version, "Le membre")
        try:
            person = get(s, Person, person_id, "Le contact")
        except NotFoundError as exc:
            raise ValidationError("person_id", str(exc)) from None
        if old.person_id == person.id:
            raise ValidationError("person_id", "La personne remplaçante est déjà titulaire de ce siège.")
        if old.start_date and day <= old.start_date:
            raise ValidationError("start_date", "Le remplacement doit suivre le début du mandat remplacé.")
        if old.end_date and day > old.end_date:
            raise ValidationError("start_date", "Ce mandat est déjà terminé à cette date.")
        mode = V.choice(entry_mode, CC.EntryMode, "Mode d'entrée", "entry_mode", required=False)
        old_name = _name(s, old)
        new = Membership(body_id=old.body_id, person_id=person.id, organisation_id=person.organisation_id,
                         role=old.role, college=old.college,
                         entry_mode=mode.value if mode else old.entry_mode, substitute_of_id=old.substitute_of_id,
                         replaces_id=old.id, start_date=day, end_date=old.end_date)
        old.end_date = day - dt.timedelta(days=1)
        s.add(new)
        s.flush()
        for sub in s.scalars(select(Membership).where(Membership.substitute_of_id == old.id)):
            if _active(sub, day):
                sub.substitute_of_id = new.id
        new_name = person_name(person.first_name, person.last_name, person.civility)
        change = {"replaced": old_name, "by": new_name, "start_date": day, **({"reason": why} if why else {})}
        record_change(s, "body", old.body_id, "replace", change)
        if old.person_id:
            record_change(s, "person", old.person_id, "membership", {"end_date": old.end_date, "by": new_name})
        record_change(s, "person", person.id, "membership", {"body_id": new.body_id, "replaced": old_name})
        return new.id


# --------------------------------------------------------------------------- annex of the arrêté


@dataclass(frozen=True)
class AnnexeLine:
    college: str
    name: str
    quality: str


@dataclass(frozen=True)
class AnnexeData:
    commune: str
    body_name: str
    quartier: str
    arrete_reference: str | None
    arrete_date: dt.date | None
    today: dt.date
    lines: tuple[AnnexeLine, ...]


def _quality(r: RegisterRow) -> str:
    parts = []
    if r.college == CC.College.ACTEURS_LOCAUX and r.organisation_name:
        parts.append(f"{'Représentante' if r.civility == 'Mme' else 'Représentant' if r.civility == 'M.' else 'Représentant(e)'} "
                     f"{of(r.organisation_name)}")
    elif r.college == CC.College.HABITANTS:
        parts.append("Habitante" if r.civility == "Mme" else "Habitant" if r.civility == "M." else "Habitant(e)")
    parts.append(r.standing[:1].lower() + r.standing[1:] if r.substitute else "titulaire")
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def annexe_data(db: Database, body_id: int, *, today: dt.date | None = None) -> AnnexeData:
    day = today or dt.date.today()
    with db.reader() as s:
        body = get(s, Body, body_id, "L'instance")
        reg = _load_register(s, body, day)
        contract = (s.get(Contract, body.contract_id) if body.contract_id
                    else s.execute(select(Contract).order_by(Contract.id).limit(1)).scalar())
        quartiers = ", ".join(f"{q.name} ({q.code})" for q in contract.quartiers) if contract else ""
        commune = (contract.commune or "") if contract else ""
    lines = tuple(AnnexeLine(r.college_label or "Collège non renseigné", r.name, _quality(r)) for r in reg.members)
    return AnnexeData(commune, reg.body_name, quartiers, reg.arrete_reference, reg.arrete_date, day, lines)


def write_annexe_arrete(db: Database, body_id: int, path: str | Path, *, today: dt.date | None = None) -> Path:
    """The arrêté's annex (Word): members by collège, with name and quality."""
    from ..reports.annexe_arrete import write_annexe  # start-up: python-docx loads only to write

    return write_annexe(annexe_data(db, body_id, today=today), Path(path))


# --------------------------------------------------------------------------- listing (CLI)


def members_listing(db: Database, body_id: int, *, today: dt.date | None = None) -> Listing:
    reg = council_register(db, body_id, today=today)
    header = ("id", "nom", "college", "mode_entree", "titulaire_suppleant", "fin_mandat")
    rows = [(r.id, r.name, r.college_label, r.entry_mode_label, r.standing,
             r.end_date.isoformat() if r.end_date else "") for r in reg.members]
    return Listing(header, rows)


# --------------------------------------------------------------------------- draw of the residents' collège


@dataclass(frozen=True)
class DrawResult:
    id: int
    body_id: int
    drawn_at: dt.datetime | None
    user: str
    seed: str
    seats: int
    source_name: str | None
    fingerprint: str
    candidates: tuple[CC.Candidate, ...]
    drawn: tuple[CC.Candidate, ...]  # in drawing order
    reproduced: bool  # the stored list and seed give the stored result again


_CIVILITY_WORDS = {"mme": "Mme", "madame": "Mme", "f": "Mme", "femme": "Mme",
                   "m": "M.", "m.": "M.", "monsieur": "M.", "h": "M.", "homme": "M."}
_HEADERS = {
    "civility": ("civilite", "civilité", "sexe", "genre"),
    "first_name": ("prenom", "prénom"),
    "last_name": ("nom", "nom de famille"),
    "address": ("adresse",),
}


class _Semicolon(csv.excel):
    delimiter = ";"


def _rows_of(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook  # start-up: openpyxl loads only to read a workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise ValidationError("file", f"Le classeur « {path.name} » ne peut pas être lu ({exc}).") from None
        ws = wb.worksheets[0]
        rows = [["" if v is None else str(v).strip() for v in row] for row in ws.iter_rows(values_only=True)]
        wb.close()
        return rows
    if suffix in (".csv", ".txt"):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t") if text.strip() else csv.excel
        except csv.Error:  # one column, or no separator to guess: French spreadsheets use « ; »
            dialect = _Semicolon
        return [[c.strip() for c in row] for row in csv.reader(text.splitlines(), dialect)]
    raise ValidationError("file", f"« {path.name} » : format non pris en charge (CSV ou XLSX attendu).")


def read_candidates(path: str | Path) -> list[CC.Candidate]:
    """The list of volunteer residents: a CSV or XLSX with columns Civilité, Prénom, Nom (Adresse)."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError("file", f"Le fichier « {path} » est introuvable.")
    rows = [r for r in _rows_of(path) if any(r)]
    if not rows:
        raise ValidationError("file", f"Le fichier « {path.name} » est vide.")
    header = [h.strip().casefold() for h in rows[0]]
    cols = {}
    for field, names in _HEADERS.items():
        for i, h in enumerate(header):
            if h in names:
                cols[field] = i
                break
    missing = [n[0].capitalize() for f, n in _HEADERS.items() if f != "address" and f not in cols]
    if missing:
        columns = f"colonne {missing[0]} introuvable" if len(missing) == 1 else \
            f"colonnes {', '.join(missing)} introuvables"
        raise ValidationError("file", f"« {path.name} » : {columns} "
                                      "sur la première ligne (attendu : Civilité, Prénom, Nom, Adresse).")
    out, errors = [], []

    def cell(row, field):
        i = cols.get(field)
        return row[i].strip() if i is not None and i < len(row) else ""

    for n, row in enumerate(rows[1:], start=2):
        civ = _CIVILITY_WORDS.get(cell(row, "civility").casefold())
        last = cell(row, "last_name")
        if not last:
            errors.append(f"ligne {n} : nom manquant")
            continue
        if civ is None:
            errors.append(f"ligne {n} : civilité « {cell(row, 'civility')} » inconnue (Mme ou M.)")
            continue
        out.append(CC.Candidate(civ, cell(row, "first_name"), last, cell(row, "address")))
    if errors:
        more = f" (et {len(errors) - 5} autres)" if len(errors) > 5 else ""
        raise ValidationError("file", f"« {path.name} » : {' ; '.join(errors[:5])}{more}.")
    if not out:
        raise ValidationError("file", f"« {path.name} » ne contient aucun candidat.")
    return out


def _draw_result(d: CouncilDraw) -> DrawResult:
    candidates = tuple(CC.Candidate(*c) for c in json.loads(d.candidates))
    result = json.loads(d.result)
    again = CC.draw(candidates, d.seats, d.seed) == result and CC.list_fingerprint(candidates) == d.fingerprint
    return DrawResult(d.id, d.body_id, d.drawn_at, d.user, d.seed, d.seats, d.source_name, d.fingerprint, candidates,
                      tuple(candidates[i] for i in result), again)


def record_draw(db: Database, body_id: int, candidates: Sequence[CC.Candidate], seats: int, *,
                seed: str | None = None, source_name: str | None = None) -> DrawResult:
    """Draw ``seats`` residents with parity from ``candidates``; list, seed and result are stored."""
    if not candidates:
        raise ValidationError("candidates", "La liste des candidats est vide.")
    try:
        seats = int(seats)
    except (TypeError, ValueError):
        raise ValidationError("seats", "Le nombre de sièges doit être un nombre entier.") from None
    if not 1 <= seats <= len(candidates):
        raise ValidationError("seats", f"Le nombre de sièges doit être compris entre 1 et {len(candidates)} "
                                       "(le nombre de candidats).")
    seed = (seed or "").strip() or secrets.token_hex(8)
    if len(seed) > 100:
        raise ValidationError("seed", "La graine du tirage fait au plus 100 caractères.")
    result = CC.draw(candidates, seats, seed)
    with db.session() as s:
        get(s, Body, body_id, "L'instance")
        d = CouncilDraw(body_id=body_id, user=current_user(), seed=seed, seats=seats,
                        source_name=(source_name or "")[:300] or None, fingerprint=CC.list_fingerprint(candidates),
                        candidates=json.dumps([[c.civility, c.first_name, c.last_name, c.address] for c in candidates],
                                              ensure_ascii=False),
                        result=json.dumps(result))
        s.add(d)
        s.flush()
        record_change(s, "body", body_id, "draw", {"seed": seed, "seats": seats, "count": len(candidates),
                                                    "source": source_name})
        s.refresh(d)
        return _draw_result(d)


def list_draws(db: Database, body_id: int) -> list[DrawResult]:
    """The draws of a body, newest first, each re-run to show it is reproduced."""
    with db.reader() as s:
        return [_draw_result(d) for d in s.scalars(
            select(CouncilDraw).where(CouncilDraw.body_id == body_id).order_by(CouncilDraw.id.desc()))]


def _registered_on(s: Session, d: CouncilDraw) -> dt.datetime | None:
    """When the residents of draw ``d`` were registered (its line in the history), or None."""
    for at, changes in s.execute(select(ChangeLog.at, ChangeLog.changes).where(
            ChangeLog.entity == "body", ChangeLog.entity_id == d.body_id, ChangeLog.operation == "register")):
        try:
            if json.loads(changes or "{}").get("draw") == d.id:
                return at
        except (ValueError, AttributeError):
            continue
    return None


def add_drawn_members(db: Database, draw_id: int, start_date: dt.date | str | None = None,
                      end_date: dt.date | str | None = None) -> list[int]:
    """Register the residents drawn as titulaires of the residents' collège (tirage au sort).

    Once only: a draw whose residents are already registered is refused (the
    « register » line of the history names the draw), so a second click never
    registers the same people twice."""
    start = V.date(start_date, "Début du mandat", "start_date")
    end = V.date(end_date, "Fin du mandat", "end_date")
    V.date_range(start, end, start_label="Début du mandat", end_label="Fin du mandat")
    with db.session() as s:
        d = get(s, CouncilDraw, draw_id, "Le tirage")
        s.refresh(d, with_for_update=True)  # PostgreSQL: two postes registering the same draw wait for each other
        done = _registered_on(s, d)
        if done is not None:
            raise ValidationError("draw", f"Les personnes tirées au sort le {d.drawn_at:%d/%m/%Y} sont déjà inscrites "
                                          f"au registre (le {done:%d/%m/%Y}) : elles ne sont pas inscrites "
                                          "une seconde fois.")
        drawn = _draw_result(d).drawn
        ids = []
        for c in sorted(drawn, key=lambda c: (sort_key(c.last_name), sort_key(c.first_name))):
            p = Person(civility=c.civility, first_name=c.first_name or None, last_name=c.last_name)
            s.add(p)
            s.flush()
            m = Membership(body_id=d.body_id, person_id=p.id, role=E.MemberRole.MEMBRE.value,
                           college=CC.College.HABITANTS.value, entry_mode=CC.EntryMode.TIRAGE.value,
                           start_date=start, end_date=end)
            s.add(m)
            s.flush()
            record_change(s, "person", p.id, "create", {"name": c.name, "body_id": d.body_id})
            ids.append(m.id)
        record_change(s, "body", d.body_id, "register", {"draw": d.id, "count": len(ids)})
        return ids
