"""Import of a programme from a spreadsheet: the app's template or any other layout.

Three steps, each a plain function (no Qt):

1. :func:`read_sheet` — refuse a hostile file (:func:`~qpv_desk.reports.xlsx_guard.check_xlsx`)
   *before* openpyxl parses it, then read the first sheet's header row and data rows;
2. :func:`auto_mapping` — guess, for each column of the file, its target field (by
   normalised header, with synonyms, e.g. the State platform's « N° dossier »,
   « Intitulé de l'action », « Montant sollicité État »); the user may change any of them;
3. :func:`preview_import` — what each row would do (« création », « mise à jour ») or
   why it cannot be imported (French message per row), and the holder organisations that
   will be created; nothing is written;
4. :func:`apply_import` — on confirmation, every valid row in ONE transaction.

A row updates an existing action when it has the same State platform file code, else
the same action code in the same year, else the same holder + title + year. On update,
an empty cell changes nothing (a re-import never erases what was typed in the app), and
the funding lines of funders without a column in the file are kept.
Validation is the programme service's (:mod:`qpv_desk.services.programme`).
The empty template to fill in: :func:`write_template` gathers its columns and the base's
funders (:func:`template`), :func:`qpv_desk.reports.import_template.render_import_template`
writes the workbook.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from ..domain import enums as E
from ..domain import validation as V
from ..domain.errors import UserError, ValidationError
from ..domain.text import sort_key
from ..reports.import_template_model import ImportTemplate, TemplateColumn
from ..store.db import Database
from ..store.models import (
    Action,
    ActionStatusChange,
    Contract,
    Funder,
    Objective,
    Organisation,
    ProgrammeYear,
    Quartier,
)
from ..store.backup import backup_before
from .common import diff, record_change
from .programme.validation import _apply_lists, _check_unique, _new_action, _validate_scalars
from .programme.years import _next_code, _programme_year, current_contract_id
from .referential import DEFAULT_FUNDERS

MAX_ROWS = 20_000
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str  # header in the app's template
    help: str
    example: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    wide: bool = False  # a long text: a wider column in the template


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("platform_code", "N° dossier plateforme", "N° du dossier sur la plateforme de subventions de l'État "
              "(sert à retrouver l'action lors d'une réimportation).", "2025-01234",
              ("n dossier", "numero dossier", "numero de dossier", "no dossier", "dossier", "code dossier",
               "n du dossier", "reference dossier", "n dossier plateforme", "identifiant dossier", "n dossier dauphin")),
    FieldSpec("code", "Code action", "Code de l'action dans l'application ; laissé vide, il est attribué (2025-001…).",
              "2025-001", ("code", "code de l action", "n action", "numero action", "reference action")),
    FieldSpec("year", "Année", "Année de la programmation ; à défaut, l'année choisie à l'import.", "2025",
              ("annee", "exercice", "annee de programmation", "millesime", "annee du financement")),
    FieldSpec("holder", "Porteur", "Nom de la structure porteuse ; créée à l'import si elle n'existe pas encore.",
              "Association Les Îlots",
              ("porteur", "porteur de projet", "structure", "structure porteuse", "organisme", "nom du porteur",
               "raison sociale", "beneficiaire", "association", "nom de la structure", "demandeur"), True, wide=True),
    FieldSpec("title", "Intitulé", "Intitulé de l'action.", "Atelier cuisine et santé",
              ("intitule", "intitule de l action", "titre", "nom de l action", "action", "libelle",
               "intitule du projet", "projet", "titre de l action", "nom du projet"), True, wide=True),
    FieldSpec("objective", "Objectif principal (code)", "Code de l'objectif principal dans l'arborescence du contrat "
              "(obligatoire pour une nouvelle action).", "1.2.1",
              ("objectif", "objectif principal", "code objectif", "objectif operationnel", "code de l objectif")),
    FieldSpec("quartier", "Quartier (code)", "Code du quartier ; facultatif s'il n'y a qu'un quartier.", "QP 06 20 09",
              ("quartier", "code quartier", "qpv", "quartier prioritaire")),
    FieldSpec("description", "Description", "Description de l'action.", "",
              ("description", "descriptif", "resume", "objet", "objet de l action", "presentation"), wide=True),
    FieldSpec("target_public", "Public visé", "Public visé.", "Familles du quartier",
              ("public", "public vise", "public cible", "publics"), wide=True),
    FieldSpec("place", "Lieu", "Lieu de réalisation.", "Maison de quartier", ("lieu", "lieu de realisation")),
    FieldSpec("start_date", "Début", "Date de début (jj/mm/aaaa).", "01/02/2025",
              ("debut", "date de debut", "date debut")),
    FieldSpec("end_date", "Fin", "Date de fin (jj/mm/aaaa).", "30/11/2025", ("fin", "date de fin", "date fin")),
    FieldSpec("total_cost", "Coût total (€)", "Coût total de l'action en euros.", "12 000",
              ("cout total", "cout", "budget", "budget total", "montant total", "cout total de l action",
               "cout du projet", "budget previsionnel", "cout total du projet")),
    FieldSpec("beneficiaries_planned", "Bénéficiaires prévus", "Nombre de bénéficiaires prévus.", "40",
              ("beneficiaires", "nombre de beneficiaires", "beneficiaires prevus", "nb beneficiaires")),
    FieldSpec("is_renewal", "Reconduction (oui/non)", "« oui » si l'action est reconduite d'une année précédente.",
              "oui", ("reconduction", "renouvellement", "action reconduite")),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
_REQUESTED_WORDS = ("sollicite", "demande", "demandee", "sollicitee", "montant demande", "montant sollicite")
_GRANTED_WORDS = ("accorde", "accordee", "attribue", "attribuee", "obtenu", "vote", "montant accorde")
_STATE_ALIASES = ("etat", "bop 147", "anct", "politique de la ville", "cget", "credits specifiques")


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class SheetData:
    source: str
    sheet: str
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple], ...]  # (line number in the file, values)

    def sample(self, column: int) -> str:
        for _line, values in self.rows:
            if column < len(values) and values[column] not in (None, ""):
                value = values[column]
                return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)[:60]
        return ""


def normalise(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"\b(en )?(eur|euros|ttc|ht)\b", " ", text)
    return " ".join(text.split())


def read_sheet(path: str | Path) -> SheetData:
    """Check the file, then read the programme sheet (« Programmation » or the first one but « Notice »)."""
    from openpyxl import load_workbook  # start-up: openpyxl loads only to read a workbook

    from ..reports.xlsx_guard import check_xlsx  # start-up: (openpyxl)

    path = Path(path)
    check_xlsx(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise UserError(f"Le fichier « {path.name} » ne peut pas être lu comme un classeur Excel ({type(exc).__name__}).") from None
    try:
        names = wb.sheetnames
        name = next((n for n in names if normalise(n) == "programmation"),
                    next((n for n in names if normalise(n) != "notice"), names[0]))
        ws = wb[name]
        raw = []
        for values in ws.iter_rows(values_only=True):
            raw.append(values)
            if len(raw) > MAX_ROWS + 30:
                raise UserError(f"Le fichier « {path.name} » a plus de {MAX_ROWS} lignes : découpez-le.")
    finally:
        wb.close()
    header_index = _find_header(raw)
    if header_index is None:
        raise UserError(f"Aucune ligne d'en-tête trouvée dans la feuille « {name} » de « {path.name} ».")
    header_values = raw[header_index]
    width = max((i + 1 for i, v in enumerate(header_values) if v not in (None, "")), default=0)
    headers = tuple(V.strip_invalid(str(v), multiline=False).strip() if v is not None else "" for v in header_values[:width])
    rows = []
    for offset, values in enumerate(raw[header_index + 1:], start=header_index + 2):
        values = tuple(_clean_value(v) for v in (values or ())[:width])
        if any(v not in (None, "") for v in values):
            rows.append((offset, values + (None,) * (width - len(values))))
    return SheetData(path.name, name, header_index + 1, headers, tuple(rows))


def _clean_value(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _find_header(raw: list) -> int | None:
    best, best_score = None, 0
    for index, values in enumerate(raw[:30]):
        texts = [v for v in values or () if isinstance(v, str) and v.strip()]
        if len(texts) < 2:
            continue
        score = sum(1 for t in texts if _guess(normalise(t), ()) is not None) * 10 + len(texts)
        if score > best_score:
            best, best_score = index, score
    return best


# --------------------------------------------------------------------------- mapping


@dataclass(frozen=True)
class FunderTarget:
    id: int
    code: str
    name: str
    is_state: bool


def targets(funders: Sequence[FunderTarget]) -> list[tuple[str, str]]:
    """Every possible target ``(key, French label)``; ``""`` means « ignorer la colonne »."""
    out = [("", "— ignorer cette colonne —")]
    out += [(f.key, f.label + (" *" if f.required else "")) for f in FIELDS]
    for f in funders:
        out.append((f"requested:{f.code}", f"Demandé – {f.name}"))
        out.append((f"granted:{f.code}", f"Accordé – {f.name}"))
    return out


def _funder_aliases(f: FunderTarget) -> list[str]:
    aliases = {normalise(f.name), normalise(f.code.replace("_", " "))}
    words = normalise(f.name).split()
    if words:
        aliases.add(words[0])
    if f.is_state:
        aliases.update(_STATE_ALIASES)
    return sorted((a for a in aliases if a), key=len, reverse=True)


def _guess(norm: str, funders: Sequence[FunderTarget]) -> str | None:
    for spec in FIELDS:
        if norm == normalise(spec.label) or norm in spec.synonyms:
            return spec.key
    padded = f" {norm} "
    kind = None
    if any(f" {w} " in padded for w in _GRANTED_WORDS):
        kind = "granted"
    elif any(f" {w} " in padded for w in _REQUESTED_WORDS):
        kind = "requested"
    if kind:
        for f in funders:
            if any(f" {alias} " in padded for alias in _funder_aliases(f)):
                return f"{kind}:{f.code}"
    return None


def auto_mapping(headers: Sequence[str], funders: Sequence[FunderTarget]) -> list[str]:
    """A target key per column (``""`` when unknown); a target is used by one column at most."""
    used: set[str] = set()
    out = []
    for header in headers:
        key = _guess(normalise(header), funders) or ""
        if key and key in used:
            key = ""
        if key:
            used.add(key)
        out.append(key)
    return out


def funder_targets(db: Database) -> list[FunderTarget]:
    with db.reader() as s:
        return [FunderTarget(f.id, f.code, f.name, f.is_state)
                for f in s.scalars(select(Funder).order_by(Funder.position, Funder.id))]


def check_mapping(mapping: Sequence[str]) -> None:
    chosen = [m for m in mapping if m]
    duplicates = sorted({m for m in chosen if chosen.count(m) > 1})
    if duplicates:
        raise ValidationError("mapping", f"Plusieurs colonnes ont la même destination : {', '.join(duplicates)}.")
    missing = [FIELD_BY_KEY[k].label for k in ("holder", "title") if k not in chosen]
    if missing:
        raise ValidationError("mapping", "Indiquez la colonne de : " + ", ".join(f"« {m} »" for m in missing) + ".")


# --------------------------------------------------------------------------- preview


@dataclass(frozen=True)
class PreviewRow:
    line: int
    operation: str  # « création », « mise à jour », « erreur »
    year: int | None
    code: str
    holder: str
    title: str
    errors: tuple[str, ...]
    new_holder: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ImportPreview:
    rows: tuple[PreviewRow, ...]
    new_holders: tuple[str, ...]

    def count(self, operation: str) -> int:
        return sum(1 for r in self.rows if r.operation == operation)

    @property
    def errors(self) -> int:
        return sum(1 for r in self.rows if r.errors)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    skipped: int
    holders_created: tuple[str, ...]
    action_ids: tuple[int, ...] = field(default=())


@dataclass
class _Row:
    line: int
    values: dict
    errors: list[str]
    year: int | None = None
    holder: str = ""
    title: str = ""
    code: str | None = None
    platform_code: str | None = None
    objective_id: int | None = None
    quartier_id: int | None = None
    funding: dict = field(default_factory=dict)  # funder_id -> {"requested": cents?, "granted": cents?}
    existing_id: int | None = None
    new_holder: bool = False


def _extract(sheet: SheetData, mapping: Sequence[str]) -> list[tuple[int, dict]]:
    check_mapping(mapping)
    out = []
    for line, values in sheet.rows:
        row = {key: values[i] for i, key in enumerate(mapping) if key and i < len(values)}
        out.append((line, row))
    return out


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _cell_amount(value):
    """A cell's amount in euros for :func:`V.amount_cents` (which reads a bare ``int`` as cents)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    return _text(value)


def _bool_text(value) -> bool | None:
    if value in (None, ""):
        return None  # an empty cell changes nothing
    if isinstance(value, bool):
        return value
    text = normalise(value)
    if text in ("oui", "o", "yes", "1", "vrai", "x", "reconduction", "renouvellement"):
        return True
    if text in ("non", "n", "no", "0", "faux", "nouvelle", "nouveau"):
        return False
    raise ValidationError("is_renewal", f"« {str(value)[:20]} » : indiquez oui ou non pour « Reconduction ».")


def _analyse(s: Session, items: list[tuple[int, dict]], default_year: int,
             default_objective: str | None = None) -> tuple[list[_Row], dict[str, int | None]]:
    """Validate every row against the database (a constant number of queries)."""
    funders = {f.code: f for f in s.scalars(select(Funder))}
    contract_id = s.scalar(select(Contract.id).order_by(Contract.id).limit(1))
    if contract_id is None:
        raise UserError("Aucun contrat de ville : importez d'abord un référentiel.")
    objectives = {o.code: o.id for o in s.scalars(select(Objective).where(Objective.contract_id == contract_id,
                                                                            Objective.retired.is_(False)))}
    default_objective_id = None
    if default_objective:
        default_objective_id = objectives.get(default_objective.strip())
        if default_objective_id is None:
            raise ValidationError("default_objective", f"Objectif par défaut « {default_objective} » inconnu.")
    quartiers = {}
    for q in s.scalars(select(Quartier)):
        quartiers[normalise(q.code)] = q.id
        quartiers[normalise(q.name)] = q.id
    holders: dict[str, int | None] = {}
    for o in s.scalars(select(Organisation)):
        holders.setdefault(o.name.casefold(), o.id)
        if o.acronym:
            holders.setdefault(o.acronym.casefold(), o.id)
    existing = s.execute(
        select(Action.id, Action.code, Action.title, Action.platform_code, Action.holder_id, ProgrammeYear.year)
        .join(ProgrammeYear, ProgrammeYear.id == Action.programme_year_id)
    ).all()
    by_platform = {a.platform_code.casefold(): a.id for a in existing if a.platform_code}
    by_code = {(a.year, a.code.casefold()): a.id for a in existing}
    by_holder_title = {(a.year, a.holder_id, a.title.casefold()): a.id for a in existing}

    rows: list[_Row] = []
    seen_platform: dict[str, int] = {}
    seen_key: dict[tuple, int] = {}
    for line, raw in items:
        r = _Row(line, {}, [])

        def check(fn):
            try:
                return fn()
            except ValidationError as exc:
                r.errors.append(str(exc))
                return None

        year_value = raw.get("year")
        if year_value in (None, ""):
            r.year = default_year
        else:
            year = check(lambda: V.count(_text(year_value), "Année", "year", maximum=2200))
            if year is not None and not 1990 <= year <= 2200:
                r.errors.append(f"L'année « {year} » n'est pas plausible.")
            else:
                r.year = year
        r.holder = check(lambda: V.line(_text(raw.get("holder")), "Porteur", "holder", required=True, max_len=200)) or ""
        r.title = check(lambda: V.line(_text(raw.get("title")), "Intitulé", "title", required=True)) or ""
        r.code = check(lambda: V.line(_text(raw.get("code")), "Code action", "code", max_len=40))
        r.platform_code = check(lambda: V.line(_text(raw.get("platform_code")), "N° dossier plateforme",
                                               "platform_code", max_len=60))
        values = r.values
        for key, label, fn in (
            ("description", "Description", lambda v: V.text(_text(v), "Description", "description")),
            ("target_public", "Public visé", lambda v: V.text(_text(v), "Public visé", "target_public")),
            ("place", "Lieu", lambda v: V.line(_text(v), "Lieu", "place")),
            ("start_date", "Début", lambda v: V.date(v if isinstance(v, dt.date) else _text(v), "Début", "start_date")),
            ("end_date", "Fin", lambda v: V.date(v if isinstance(v, dt.date) else _text(v), "Fin", "end_date")),
            ("total_cost_cents", "Coût total", lambda v: V.amount_cents(_cell_amount(v), "Coût total", "total_cost_cents")),
            ("beneficiaries_planned", "Bénéficiaires prévus",
             lambda v: V.count(_text(v), "Bénéficiaires prévus", "beneficiaries_planned")),
            ("is_renewal", "Reconduction", _bool_text),
        ):
            source = {"total_cost_cents": "total_cost"}.get(key, key)
            if source in raw:
                value = check(lambda fn=fn, source=source: fn(raw[source]))
                if value is not None:
                    values[key] = value
        if values.get("start_date") and values.get("end_date") and values["end_date"] < values["start_date"]:
            r.errors.append("La date de fin précède la date de début.")
        objective = _text(raw.get("objective"))
        if objective:
            code = objective.strip().split(" ")[0].rstrip(".–-")
            r.objective_id = objectives.get(code)
            if r.objective_id is None:
                r.errors.append(f"Code d'objectif « {objective[:30]} » inconnu dans l'arborescence du contrat.")
        quartier = _text(raw.get("quartier"))
        if quartier:
            r.quartier_id = quartiers.get(normalise(quartier))
            if r.quartier_id is None:
                r.errors.append(f"Quartier « {quartier[:40]} » inconnu.")
        for key, value in raw.items():
            if ":" not in key:
                continue
            kind, fcode = key.split(":", 1)
            funder = funders.get(fcode)
            if funder is None:
                continue
            label = f"{'Demandé' if kind == 'requested' else 'Accordé'} – {funder.name}"
            cents = check(lambda value=value, label=label: V.amount_cents(_cell_amount(value), label, key))
            if cents is not None:
                r.funding.setdefault(funder.id, {})[kind] = cents

        # match an existing action (platform code, then code + year, then holder + title + year)
        holder_id = holders.get(r.holder.casefold()) if r.holder else None
        if r.holder and r.holder.casefold() not in holders:
            r.new_holder = True
        if r.platform_code:
            r.existing_id = by_platform.get(r.platform_code.casefold())
        if r.existing_id is None and r.code and r.year:
            r.existing_id = by_code.get((r.year, r.code.casefold()))
        if r.existing_id is None and holder_id and r.title and r.year:
            r.existing_id = by_holder_title.get((r.year, holder_id, r.title.casefold()))
        if r.existing_id is None and r.objective_id is None and not objective:
            if default_objective_id is not None:
                r.objective_id = default_objective_id
            else:
                r.errors.append("Objectif principal manquant : il est obligatoire pour une nouvelle action "
                                "(colonne du fichier ou objectif par défaut).")
        # the same action twice in the file
        key = ("p", r.platform_code.casefold()) if r.platform_code else ("t", r.year, r.holder.casefold(), r.title.casefold())
        if r.platform_code and r.platform_code.casefold() in seen_platform:
            r.errors.append(f"Le n° de dossier « {r.platform_code} » figure déjà ligne {seen_platform[r.platform_code.casefold()]}.")
        elif key in seen_key:
            r.errors.append(f"Cette action figure déjà ligne {seen_key[key]}.")
        if r.platform_code:
            seen_platform.setdefault(r.platform_code.casefold(), line)
        seen_key.setdefault(key, line)
        rows.append(r)
    return rows, holders


def preview_import(db: Database, sheet: SheetData, mapping: Sequence[str], default_year: int,
                   default_objective: str | None = None) -> ImportPreview:
    """What the import would do, row by row; nothing is written.

    ``default_objective`` (a code) is the principal objective of new actions whose row
    gives none (an export of the State's platform has no objective column)."""
    with db.reader() as s:
        rows, _holders = _analyse(s, _extract(sheet, mapping), default_year, default_objective)
    out = []
    new_holders: dict[str, str] = {}
    for r in rows:
        op = "erreur" if r.errors else ("mise à jour" if r.existing_id else "création")
        if r.new_holder and not r.errors:
            new_holders.setdefault(r.holder.casefold(), r.holder)
        out.append(PreviewRow(r.line, op, r.year, r.code or r.platform_code or "", r.holder, r.title,
                              tuple(r.errors), r.new_holder))
    return ImportPreview(tuple(out), tuple(sorted(new_holders.values(), key=sort_key)))


# --------------------------------------------------------------------------- import


def apply_import(db: Database, sheet: SheetData, mapping: Sequence[str], default_year: int,
                 default_objective: str | None = None, *, progress: Progress | None = None) -> ImportResult:
    """Import every valid row in one transaction (rows in error are left out and counted)."""
    report = progress or (lambda *_: None)
    items = _extract(sheet, mapping)
    backup_before(db, "import")
    today = dt.date.today()
    created = updated = skipped = 0
    ids: list[int] = []
    new_holders: list[str] = []
    with db.session() as s:
        rows, holders = _analyse(s, items, default_year, default_objective)
        total = len(rows)
        contract_id = current_contract_id(s)
        existing_ids = [r.existing_id for r in rows if r.existing_id and not r.errors]
        actions = {a.id: a for a in s.scalars(select(Action).where(Action.id.in_(existing_ids)))} if existing_ids else {}
        years: dict[int, ProgrammeYear] = {}
        next_numbers: dict[int, int] = {}
        for n, r in enumerate(rows, start=1):
            if n % 50 == 0:
                report(n, total, f"Ligne {r.line}")
            if r.errors:
                skipped += 1
                continue
            holder_id = holders.get(r.holder.casefold())
            if holder_id is None:
                org = Organisation(name=r.holder, kind=E.OrganisationKind.ASSOCIATION.value)
                s.add(org)
                s.flush()
                record_change(s, "organisation", org.id, "create", {"name": r.holder, "source": sheet.source})
                holders[r.holder.casefold()] = holder_id = org.id
                new_holders.append(r.holder)
            values = dict(r.values)
            values["title"] = r.title
            values["holder_id"] = holder_id
            if r.code:
                values["code"] = r.code
            if r.platform_code:
                values["platform_code"] = r.platform_code
            if r.quartier_id:
                values["quartier_id"] = r.quartier_id
            try:
                if r.existing_id:
                    action = actions[r.existing_id]
                    _update(s, action, values, r, contract_id)
                    updated += 1
                else:
                    action = _create(s, values, r, contract_id, today, sheet.source, years, next_numbers)
                    created += 1
            except ValidationError as exc:
                raise ValidationError(exc.field, f"Ligne {r.line} : {exc}") from None
            ids.append(action.id)
        report(total, total, "Enregistrement")
    return ImportResult(created, updated, skipped, tuple(new_holders), tuple(ids))


def _funding(action: Action | None, r: _Row) -> list[dict]:
    current = {l.funder_id: {"funder_id": l.funder_id, "requested": l.requested_cents, "granted": l.granted_cents,
                             "paid": l.paid_cents} for l in (action.funding_lines if action else ())}
    for fid, amounts in r.funding.items():
        line = current.setdefault(fid, {"funder_id": fid, "requested": 0, "granted": None, "paid": 0})
        line.update(amounts)
    return list(current.values())


def _create(s: Session, values: dict, r: _Row, contract_id: int, today: dt.date, source: str,
            years: dict, next_numbers: dict) -> Action:
    data = _validate_scalars(s, values, creating=True)
    py = years.get(r.year)
    if py is None:
        py = years[r.year] = _programme_year(s, r.year, create=True)
    if not data.get("code"):
        # one query per year, then counted here (not one query per row)
        if r.year not in next_numbers:
            next_numbers[r.year] = int(_next_code(s, py).rsplit("-", 1)[1])
        data["code"] = f"{r.year}-{next_numbers[r.year]:03d}"
        next_numbers[r.year] += 1
    _check_unique(s, None, py.id, data)
    action = _new_action(s, py, E.ActionStatus.DEPOSEE.value, data)
    lists = {"objectives": [(r.objective_id, True)]}
    if r.funding:
        lists["funding"] = _funding(None, r)
    _apply_lists(s, action, lists, contract_id)
    s.add(ActionStatusChange(action_id=action.id, status=E.ActionStatus.DEPOSEE.value, date=today,
                             note=f"Importée de « {source} »"[:1000]))
    record_change(s, "action", action.id, "create", {"year": r.year, "source": source, **data})
    return action


def _update(s: Session, action: Action, values: dict, r: _Row, contract_id: int) -> None:
    if "code" in values and values["code"] == action.code:
        values.pop("code")
    data = _validate_scalars(s, values, creating=False)
    _check_unique(s, action, action.programme_year_id, data)
    changes = diff(action, data)
    lists = {}
    if r.objective_id is not None:
        secondary = [(l.objective_id, False) for l in action.objective_links
                     if not l.is_principal and l.objective_id != r.objective_id]
        lists["objectives"] = [(r.objective_id, True), *secondary]
    if r.funding:
        lists["funding"] = _funding(action, r)
    changes.update(_apply_lists(s, action, lists, contract_id))
    if changes:
        flag_modified(action, "title")
        s.flush()
        record_change(s, "action", action.id, "update", {**changes, "source": "import"})


# --------------------------------------------------------------------------- template

TEMPLATE_TITLE = "Modèle d'import de la programmation"
TEMPLATE_INSTRUCTIONS = (
    "Une ligne par action, dans la feuille « Programmation » ; ne modifiez pas les intitulés de colonnes.",
    "Montants en euros (1 234,50 ou 1234.5) ; dates au format jj/mm/aaaa ; les colonnes marquées « oui » sont obligatoires.",
    "Réimporter le fichier met à jour les actions au lieu de les dupliquer : une ligne est rapprochée d'une action "
    "par son n° de dossier, sinon par son code et son année, sinon par son porteur, son intitulé et son année.",
    "Rien n'est enregistré avant la confirmation ; les lignes en erreur sont signalées, corrigez-les puis réimportez.",
)


def template(funders: Sequence[tuple[str, str]]) -> ImportTemplate:
    """What the import template shows: a column per field (:data:`FIELDS`), then a
    « Demandé – » and an « Accordé – » column per funder (``(code, name)`` pairs), each
    documented in the Notice, as :func:`auto_mapping` recognises them."""
    columns = [TemplateColumn(f.label, f.help, f.example, f.required, f.wide) for f in FIELDS]
    for _code, name in funders:
        columns.append(TemplateColumn(f"Demandé – {name}", f"Montant demandé à « {name} », en euros.", "5 000"))
        columns.append(TemplateColumn(f"Accordé – {name}",
                                      f"Montant accordé par « {name} », en euros (vide : pas encore décidé).", "4 500"))
    return ImportTemplate(TEMPLATE_TITLE, tuple(columns), TEMPLATE_INSTRUCTIONS)


def template_funders(db: Database | None) -> list[tuple[str, str]]:
    """``(code, name)`` of the base's funders, in their order; without a base, those a new
    contract starts with (:data:`~qpv_desk.services.referential.DEFAULT_FUNDERS`)."""
    if db is None:
        return [(code, name) for code, name, _state in DEFAULT_FUNDERS]
    return [(f.code, f.name) for f in funder_targets(db)]


def write_template(db: Database | None, path: str | Path, *, progress: Progress | None = None) -> Path:
    """Write the app's import template to ``path`` (atomically): a « Programmation » sheet with
    the base's funders (``db`` ``None``: the default ones) and a « Notice » documenting each
    column. Returns the path written."""
    from ..reports.import_template import render_import_template  # start-up: openpyxl loads only to write a workbook

    if progress:
        progress(0, 2, "Lecture des financeurs…")
    data = template(template_funders(db))
    if progress:
        progress(1, 2, "Écriture du modèle…")
    path = render_import_template(data, path)
    if progress:
        progress(2, 2, "")
    return path
