"""Referential files: the human-editable TOML description of a contract.

A referential holds what is specific to one commune (contract, quartiers and their
statistical portrait, objective tree, funders, governance bodies and their seats).
This module only reads and validates it; importing it into a database is done
elsewhere. Every error is a :class:`ReferentialError` naming the file, the line and
the field, with a French message the user can act on.
``resources/referentials/verquin-3-ilots.toml`` is a commented example of the format.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from qpv_desk.domain import validation as V
from qpv_desk.domain.enums import BodyKind, MemberRole, OrganisationKind

FORMAT_VERSION = 1
MAX_BYTES = 5 * 1024 * 1024

SECTIONS = ("format", "contract", "levels", "quartiers", "statistics", "objectives",
            "funders", "organisations", "bodies", "members")
CIVILITIES = ("Mme", "M.")

_SLUG = (re.compile(r"[a-z0-9_]+"), "lettres minuscules sans accent, chiffres et « _ » uniquement")
_BODY_CODE = (re.compile(r"[A-Za-z0-9_-]+"), "lettres sans accent, chiffres, « _ » et « - » uniquement")
_CODE = (re.compile(r"[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*"),
         "lettres sans accent et chiffres, éventuellement séparés par « . », « _ » ou « - »")
_EMAIL = (re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+"), "adresse électronique attendue (nom@domaine.fr)")

_LABELS = {
    "format": "la version du format", "code": "le code", "name": "le nom", "title": "le titre",
    "epci": "l'EPCI", "commune": "la commune", "start_year": "l'année de début",
    "end_year": "l'année de fin", "description": "la description", "status": "le statut",
    "communes": "la liste des communes", "surface_ha": "la surface (ha)",
    "population": "la population", "quartier": "le quartier", "key": "la clé",
    "label": "le libellé", "value": "la valeur", "agglomeration": "la valeur de l'agglomération",
    "unit": "l'unité", "source": "la source", "year": "l'année", "parent": "l'objectif parent",
    "state": "l'indicateur « part de l'État »", "kind": "le type", "quorum": "le quorum",
    "body": "l'instance", "role": "le rôle", "organisation": "l'organisation",
    "seat": "l'intitulé du siège", "civility": "la civilité", "first_name": "le prénom",
    "last_name": "le nom de famille", "email": "l'adresse électronique",
}


# The same maxima as the screens (and the database columns): one set of text rules.
_MAX_LEN = {
    "code": V.CODE_MAX, "name": V.NAME_MAX, "title": 300, "epci": V.NAME_MAX, "commune": V.NAME_MAX,
    "status": V.NAME_MAX, "key": 80, "label": V.LINE_MAX, "unit": 40, "source": V.LINE_MAX,
    "parent": V.CODE_MAX, "seat": V.NAME_MAX, "first_name": 100, "last_name": 100, "email": 254,
    "quartier": V.CODE_MAX, "body": V.CODE_MAX,
    "organisation": V.NAME_MAX, "communes": V.NAME_MAX,
}


class ReferentialError(ValueError):
    """A referential that cannot be read; ``str()`` gives « fichier, ligne N, champ « x » : … »."""

    def __init__(self, message: str, *, source: str = "<texte>", line: int | None = None,
                 field: str | None = None):
        self.message, self.source, self.line, self.field = message, source, line, field
        super().__init__(message)

    def __str__(self) -> str:
        where = [self.source]
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.field is not None:
            where.append(f"champ « {self.field} »")
        return f"{', '.join(where)} : {self.message}"


# --------------------------------------------------------------------------- specs

@dataclass(frozen=True)
class ContractSpec:
    code: str
    name: str
    start_year: int
    end_year: int
    epci: str | None = None
    commune: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class QuartierSpec:
    code: str
    name: str
    status: str | None = None
    communes: tuple[str, ...] = ()
    surface_ha: Decimal | None = None
    population: int | None = None
    description: str | None = None


@dataclass(frozen=True)
class StatisticSpec:
    quartier: str
    key: str
    label: str
    value: Decimal
    agglomeration: Decimal | None = None
    unit: str | None = None
    source: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class ObjectiveSpec:
    code: str
    title: str
    parent_code: str | None
    depth: int
    description: str | None = None


@dataclass(frozen=True)
class FunderSpec:
    code: str
    name: str
    state: bool = False


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    kind: OrganisationKind


@dataclass(frozen=True)
class BodySpec:
    code: str
    name: str
    kind: BodyKind
    quorum: int | None = None
    description: str | None = None


@dataclass(frozen=True)
class MemberSpec:
    body: str
    role: MemberRole
    seat: str
    organisation: str | None = None
    civility: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Referential:
    contract: ContractSpec
    levels: tuple[str, ...]
    quartiers: tuple[QuartierSpec, ...]
    statistics: tuple[StatisticSpec, ...]
    objectives: tuple[ObjectiveSpec, ...]
    funders: tuple[FunderSpec, ...]
    organisations: tuple[OrganisationSpec, ...]
    bodies: tuple[BodySpec, ...]
    members: tuple[MemberSpec, ...]
    source: str

    def level_name(self, objective: ObjectiveSpec) -> str:
        return self.levels[objective.depth - 1]

    def children_of(self, code: str | None) -> tuple[ObjectiveSpec, ...]:
        """Objectives whose parent is ``code`` (``None``: the top-level ones)."""
        return tuple(o for o in self.objectives if o.parent_code == code)

    def statistics_of(self, quartier_code: str) -> tuple[StatisticSpec, ...]:
        return tuple(s for s in self.statistics if s.quartier == quartier_code)

    def members_of(self, body_code: str) -> tuple[MemberSpec, ...]:
        return tuple(m for m in self.members if m.body == body_code)


# --------------------------------------------------------------------- line lookup

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_-]+)\s*\]\]\s*(?:#.*)?$")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(?:#.*)?$")
_KEY_LINE = re.compile(r"""^\s*["']?([A-Za-z0-9_-]+)["']?\s*=""")


@dataclass
class _Block:
    name: str | None  # None: the top of the file, before any header
    is_array: bool
    line: int | None
    keys: dict[str, int]


class _LineIndex:
    """Finds, in the raw text, the line of a section entry or of one of its fields."""

    def __init__(self, text: str):
        self.blocks = [_Block(None, False, None, {})]
        in_string: str | None = None
        for number, raw in enumerate(text.split("\n"), start=1):
            if in_string:  # inside a multi-line string: nothing here is structure
                if raw.count(in_string) % 2:
                    in_string = None
                continue
            if match := _ARRAY_HEADER.match(raw) or _TABLE_HEADER.match(raw):
                is_array = raw.lstrip().startswith("[[")
                self.blocks.append(_Block(match.group(1), is_array, number, {}))
                continue
            if match := _KEY_LINE.match(raw):
                self.blocks[-1].keys.setdefault(match.group(1), number)
            in_string = next((d for d in ('"""', "'''") if raw.count(d) % 2), None)

    def locate(self, section: str | None, index: int | None, field: str | None) -> int | None:
        if section is None:  # a top-level key, or a section named by its header
            root = self.blocks[0]
            if field in root.keys:
                return root.keys[field]
            return next((b.line for b in self.blocks[1:] if b.name == field), None)
        candidates = [b for b in self.blocks if b.name == section and b.is_array == (index is not None)]
        position = index or 0
        if position >= len(candidates):
            return self.blocks[0].keys.get(section)
        block = candidates[position]
        return block.keys.get(field, block.line) if field else block.line


# --------------------------------------------------------------------- field reading

def _label(field: str) -> str:
    return _LABELS.get(field, f"la valeur de « {field} »")


class _Entry:
    """One table of the file (the contract, or the n-th entry of an array of tables)."""

    def __init__(self, parser: _Parser, data: object, section: str, index: int | None,
                 allowed: tuple[str, ...]):
        self.parser, self.section, self.index = parser, section, index
        if not isinstance(data, dict):
            raise self.error(None, f"la section « {section} » doit être une table TOML.")
        self.data = data
        for key in data:
            if key not in allowed:
                guess = difflib.get_close_matches(key, allowed, n=1)
                hint = f" Vouliez-vous dire « {guess[0]} » ?" if guess else ""
                raise self.error(key, f"champ inconnu dans [{section}] ; champs admis : "
                                      f"{', '.join(allowed)}.{hint}")

    def error(self, field: str | None, message: str) -> ReferentialError:
        line = self.parser.lines.locate(self.section, self.index, field)
        return ReferentialError(message, source=self.parser.source, line=line, field=field)

    def _missing(self, field: str, required: bool) -> None:
        if required:
            raise self.error(field, f"{_label(field)} est obligatoire.")

    def text(self, field: str, *, required: bool = False, pattern=None,
             multiline: bool = False) -> str | None:
        """A text checked by the same rules as the screens (:mod:`qpv_desk.domain.validation`):
        normalised (surrounding blanks trimmed), forbidden characters and excess length refused."""
        value = self.data.get(field)
        if value is not None and not isinstance(value, str):
            raise self.error(field, f"{_label(field)} doit être un texte entre guillemets.")
        value = V.normalise(value or "", multiline=multiline)
        if not value:
            return self._missing(field, required)
        self._check(field, value, multiline)
        if pattern and not pattern[0].fullmatch(value):
            raise self.error(field, f"{_label(field)} « {value[:80]} » est invalide : {pattern[1]}.")
        return value

    def _check(self, field: str, value: str, multiline: bool) -> None:
        limit = V.TEXT_MAX if multiline else _MAX_LEN.get(field, V.LINE_MAX)
        problem = V.text_problem_neutral(value, max_len=limit)
        if problem:
            raise self.error(field, f"{_label(field)} {problem}.")

    def number(self, field: str, *, required: bool = False, minimum: int | None = None,
               whole: bool = False) -> Decimal | int | None:
        """An ``int`` if ``whole``, else a :class:`Decimal` (never a float)."""
        value = self.data.get(field)
        if value is None:
            return self._missing(field, required)
        kinds = int if whole else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            raise self.error(field, f"{_label(field)} doit être un nombre entier (sans guillemets)."
                             if whole else f"{_label(field)} doit être un nombre (sans guillemets, "
                             "avec un point décimal : 40.3).")
        if isinstance(value, float) and not math.isfinite(value):
            raise self.error(field, f"{_label(field)} doit être un nombre fini.")
        if minimum is not None and value < minimum:
            raise self.error(field, f"{_label(field)} doit être supérieur ou égal à {minimum}.")
        return value if whole else Decimal(str(value))

    def boolean(self, field: str) -> bool:
        value = self.data.get(field, False)
        if not isinstance(value, bool):
            raise self.error(field, f"{_label(field)} doit valoir true ou false.")
        return value

    def choice(self, field: str, allowed, *, required: bool = True) -> str | None:
        value = self.text(field, required=required)
        allowed = [getattr(item, "value", item) for item in allowed]  # enum members or strings
        if value is not None and value not in allowed:
            raise self.error(field, f"{_label(field)} « {value} » n'est pas admis ; "
                                    f"valeurs possibles : {', '.join(allowed)}.")
        return value

    def text_list(self, field: str) -> tuple[str, ...]:
        values = self.data.get(field, [])
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            raise self.error(field, f"{_label(field)} doit être une liste de textes non vides, "
                                    'entre crochets : ["Première", "Seconde"].')
        cleaned = tuple(V.normalise(v) for v in values)
        for value in cleaned:
            self._check(field, value, False)
        return cleaned

    def key(self, field: str, what: str, pattern=None, scope: str = "") -> str:
        """A required identifier, unique (without case) in its section and ``scope``."""
        value = self.text(field, required=True, pattern=pattern)
        seen = self.parser.seen.setdefault((self.section, field, scope), {})
        if value.casefold() in seen:
            raise self.error(field, f"{what} « {value} » est en double (déjà déclaré ligne "
                                    f"{seen[value.casefold()] or '?'}).")
        seen[value.casefold()] = self.parser.lines.locate(self.section, self.index, field)
        return value

    def ref(self, field: str, names: dict[str, str], what: str, *, required: bool = True) -> str | None:
        """A reference to a declared item; returns the item's declared spelling."""
        value = self.text(field, required=required)
        if value is not None and value.casefold() not in names:
            raise self.error(field, f"{what} « {value} » n'est pas déclaré(e) dans le référentiel.")
        return names[value.casefold()] if value is not None else None


# --------------------------------------------------------------------------- parser

_CONTRACT_FIELDS = ("code", "name", "epci", "commune", "start_year", "end_year", "description")
_QUARTIER_FIELDS = ("code", "name", "status", "communes", "surface_ha", "population", "description")
_STATISTIC_FIELDS = ("quartier", "key", "label", "value", "agglomeration", "unit", "source", "year")
_MEMBER_FIELDS = ("body", "role", "organisation", "seat", "civility", "first_name", "last_name",
                  "email")


class _Parser:
    def __init__(self, text: str, source: str):
        self.source = source
        self.lines = _LineIndex(text)
        self.seen: dict[tuple[str, str, str], dict[str, int | None]] = {}

    def error(self, message: str, field: str) -> ReferentialError:
        """An error about a top-level key or section."""
        return ReferentialError(message, source=self.source, field=field,
                                line=self.lines.locate(None, None, field))

    def entries(self, data: dict, section: str, allowed: tuple[str, ...]) -> list[_Entry]:
        items = data.get(section, [])
        if not isinstance(items, list):
            raise self.error(f"« {section} » doit être une liste de tables, écrites [[{section}]].",
                             section)
        return [_Entry(self, item, section, i, allowed) for i, item in enumerate(items)]

    def parse(self, data: dict) -> Referential:
        for key in data:
            if key not in SECTIONS:
                raise self.error(f"section ou champ inconnu au premier niveau ; admis : "
                                 f"{', '.join(SECTIONS)}.", key)
        version = data.get("format")
        if version is None:
            raise self.error("la version du format est obligatoire (format = 1).", "format")
        if version != FORMAT_VERSION or isinstance(version, bool):
            raise self.error(f"version de format non prise en charge ({version!r}) ; cette "
                             f"version de QPV Desk ne lit que format = {FORMAT_VERSION}.", "format")
        if "contract" not in data:
            raise self.error("la section [contract] est obligatoire.", "contract")
        contract = self.contract(_Entry(self, data["contract"], "contract", None, _CONTRACT_FIELDS))
        levels = tuple(e.key("name", "le niveau") for e in self.entries(data, "levels", ("name",)))
        if not levels:
            raise self.error("au moins un niveau [[levels]] est obligatoire (ex. name = \"Enjeu\").",
                             "levels")
        quartiers = self.quartiers(data)
        statistics = self.statistics(data, {q.code.casefold(): q.code for q in quartiers})
        objectives = self.objectives(data, levels)
        funders = tuple(FunderSpec(code=e.key("code", "le code de financeur", _SLUG),
                                   name=e.text("name", required=True), state=e.boolean("state"))
                        for e in self.entries(data, "funders", ("code", "name", "state")))
        organisations = tuple(
            OrganisationSpec(name=e.key("name", "l'organisation"),
                             kind=OrganisationKind(e.choice("kind", OrganisationKind)))
            for e in self.entries(data, "organisations", ("name", "kind")))
        bodies = tuple(
            BodySpec(code=e.key("code", "le code d'instance", _BODY_CODE),
                     name=e.text("name", required=True), kind=BodyKind(e.choice("kind", BodyKind)),
                     quorum=e.number("quorum", minimum=1, whole=True),
                     description=e.text("description", multiline=True))
            for e in self.entries(data, "bodies", ("code", "name", "kind", "quorum", "description")))
        members = self.members(data, {b.code.casefold(): b.code for b in bodies},
                               {o.name.casefold(): o.name for o in organisations})
        return Referential(contract=contract, levels=levels, quartiers=quartiers,
                           statistics=statistics, objectives=objectives, funders=funders,
                           organisations=organisations, bodies=bodies, members=members,
                           source=self.source)

    @staticmethod
    def contract(e: _Entry) -> ContractSpec:
        spec = ContractSpec(
            code=e.text("code", required=True, pattern=_CODE), name=e.text("name", required=True),
            epci=e.text("epci"), commune=e.text("commune"),
            start_year=e.number("start_year", required=True, minimum=1900, whole=True),
            end_year=e.number("end_year", required=True, minimum=1900, whole=True),
            description=e.text("description", multiline=True))
        if spec.end_year < spec.start_year:
            raise e.error("end_year", f"l'année de fin ({spec.end_year}) précède l'année de "
                                      f"début ({spec.start_year}).")
        return spec

    def quartiers(self, data: dict) -> tuple[QuartierSpec, ...]:
        return tuple(
            QuartierSpec(code=e.key("code", "le code de quartier"), name=e.text("name", required=True),
                         status=e.text("status"), communes=e.text_list("communes"),
                         surface_ha=e.number("surface_ha", minimum=0),
                         population=e.number("population", minimum=0, whole=True),
                         description=e.text("description", multiline=True))
            for e in self.entries(data, "quartiers", _QUARTIER_FIELDS))

    def statistics(self, data: dict, quartiers: dict[str, str]) -> tuple[StatisticSpec, ...]:
        specs = []
        for e in self.entries(data, "statistics", _STATISTIC_FIELDS):
            quartier = e.ref("quartier", quartiers, "le quartier")
            specs.append(StatisticSpec(
                quartier=quartier, key=e.key("key", "pour ce quartier, la clé", _SLUG, quartier),
                label=e.text("label", required=True), value=e.number("value", required=True),
                agglomeration=e.number("agglomeration"), unit=e.text("unit"),
                source=e.text("source"), year=e.number("year", minimum=1900, whole=True)))
        return tuple(specs)

    def objectives(self, data: dict, levels: tuple[str, ...]) -> tuple[ObjectiveSpec, ...]:
        """Parent: explicit ``parent`` (empty = top level), else the code before its last « . »."""
        entries = self.entries(data, "objectives", ("code", "title", "parent", "description"))
        declared = {str(e.data.get("code", "")).strip().casefold() for e in entries}
        depths: dict[str, int] = {}
        specs = []
        for e in entries:
            code = e.key("code", "le code d'objectif", _CODE)
            title = e.text("title", required=True)
            field = "parent" if "parent" in e.data else "code"
            parent = e.text("parent", pattern=_CODE) if field == "parent" else code.rpartition(".")[0]
            if parent:
                if parent.casefold() == code.casefold():
                    raise e.error(field, f"l'objectif « {code} » ne peut pas être son propre parent.")
                if parent.casefold() not in declared:
                    raise e.error(field, f"l'objectif parent « {parent} » n'existe pas ; déclarez-le "
                                         "ou indiquez le bon parent (parent = \"…\").")
                if parent.casefold() not in depths:
                    raise e.error(field, f"l'objectif parent « {parent} » doit être déclaré avant "
                                         f"l'objectif « {code} ».")
            depth = depths[parent.casefold()] + 1 if parent else 1
            if depth > len(levels):
                raise e.error(field, f"l'objectif « {code} » serait au niveau {depth}, mais le "
                                     f"référentiel ne déclare que {len(levels)} niveau(x) "
                                     f"({', '.join(levels)}).")
            depths[code.casefold()] = depth
            specs.append(ObjectiveSpec(code=code, title=title, parent_code=parent or None,
                                       depth=depth, description=e.text("description", multiline=True)))
        return tuple(specs)

    def members(self, data: dict, bodies: dict[str, str],
                organisations: dict[str, str]) -> tuple[MemberSpec, ...]:
        return tuple(
            MemberSpec(body=e.ref("body", bodies, "l'instance"),
                       role=MemberRole(e.choice("role", MemberRole)),
                       organisation=e.ref("organisation", organisations,
                                          "l'organisation ([[organisations]])", required=False),
                       seat=e.text("seat", required=True),
                       civility=e.choice("civility", CIVILITIES, required=False),
                       first_name=e.text("first_name"), last_name=e.text("last_name"),
                       email=e.text("email", pattern=_EMAIL))
            for e in self.entries(data, "members", _MEMBER_FIELDS))


# ----------------------------------------------------------------------- entry points

_TOML_MESSAGES = (
    ("Invalid statement", "ligne incomprise (attendu : « champ = valeur » ou un titre [section])"),
    ("Invalid value", "valeur invalide (texte entre guillemets, nombre, true/false ou liste)"),
    ("Cannot overwrite a value", "ce champ est déjà défini plus haut dans la même section"),
    ("Cannot declare", "cette section est déclarée deux fois"),
    ("Expected newline or end of document", "texte en trop après la valeur (un seul champ par ligne)"),
    ("Expected '=' after a key", "« = » attendu après le nom du champ"),
    ("Expected ']]'", "« ]] » attendu à la fin du titre de section"),
    ("Expected ']'", "« ] » attendu à la fin du titre de section"),
    ("Unclosed array", "liste non refermée (« ] » manquant)"),
    ("Unclosed inline table", "table non refermée (« } » manquant)"),
    ("Unterminated string", "texte non terminé (guillemet fermant manquant)"),
    ("Illegal character '\\n'", "texte non terminé (guillemet fermant manquant)"),
    ("Illegal character", "caractère interdit dans un texte"),
    ("Invalid initial character for a key part", "nom de champ invalide"),
    ("Escaped character is not a Unicode scalar value",
     "séquence d'échappement \\u ou \\U invalide (ce n'est pas un caractère Unicode)"),
    ("Unescaped '\\' in a string", "barre oblique inverse « \\ » seule dans un texte (écrivez « \\\\ »)"),
    ("Invalid hex value", "séquence d'échappement \\u ou \\U invalide (chiffres hexadécimaux attendus)"),
    ("Invalid date or datetime", "date invalide"),
    ("Cannot mutate immutable namespace", "cette section ou ce champ est déjà défini plus haut"),
    ("Cannot redefine namespace", "cette section ou ce champ est déjà défini plus haut"),
    ("Duplicate inline table key", "champ en double dans la table entre accolades"),
    ("Found invalid character", "caractère inattendu"),
    ("Expected ", "caractère attendu absent (virgule, crochet ou accolade ?)"),
)
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def _syntax_error(exc: tomllib.TOMLDecodeError, text: str, source: str) -> ReferentialError:
    raw = str(exc)
    position = _TOML_POSITION.search(raw)
    english = raw[:position.start()] if position else raw
    french = next((fr for en, fr in _TOML_MESSAGES if english.startswith(en)), None)
    message = f"syntaxe TOML invalide : {french or 'erreur de syntaxe'}"  # never the English text
    if position and position.group(1):
        line, column = int(position.group(1)), int(position.group(2))
        message += f" (colonne {column})"
    else:
        line = text.count("\n") + 1
        message += " (fin du fichier)"
    return ReferentialError(message + ".", source=source, line=line)


def parse_referential(text: str, source: str = "<texte>") -> Referential:
    """Parse and validate a referential; raise :class:`ReferentialError` on any problem."""
    if len(text) > MAX_BYTES:
        raise ReferentialError("le référentiel dépasse la taille maximale de 5 Mo.", source=source)
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_error(exc, text, source) from None
    return _Parser(text, source).parse(data)


def load_referential(path: str | Path) -> Referential:
    """Read a referential file (UTF-8, at most 5 Mo) and parse it."""
    path = Path(path)
    source = path.name
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ReferentialError("le fichier dépasse la taille maximale de 5 Mo.", source=source)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReferentialError(f"fichier introuvable ({path}).", source=source) from None
    except OSError as exc:
        raise ReferentialError(f"lecture impossible ({exc.strerror or exc}).", source=source) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ReferentialError(
            f"le fichier n'est pas encodé en UTF-8 (octet 0x{raw[exc.start]:02X} invalide) ; "
            "enregistrez-le en UTF-8 depuis votre éditeur.", source=source, line=line) from None
    return parse_referential(text, source)
