"""Agglomeration mode: bring one commune's base INTO a base that already holds others.

Two steps. :func:`plan_merge` reads the commune's base (never written) and the target and
says what the merge would do: the quartiers coming in, the rows per table, the records the
two bases share (**clashes**) and the codes that will be renamed. :func:`merge_base` then
does it in **one unit of work** on the target — everything or nothing — and verifies the
row counts (target after = target before + rows inserted).

The rules, in the order they are applied:

- **Refusals** (:class:`MergeRefused`, nothing written): the source's contract must be in the
  target with the same code, years and objective tree (the same codes under the same
  parents, retired ones included); none of the source's quartiers may already be in the
  target (same code); a conseil citoyen *avis* for a year the target already has, or a
  State platform file code (``platform_code``) present in both bases, is refused too.
- **The referential is shared**: the contract, its levels and objectives are the target's
  (the source's references are re-pointed to them); funders and programme years are the
  target's when it has the same code or year, added otherwise.
- **Clashes**: an organisation of the source is the *same candidate* as one of the target
  when both have the same SIRET, or the same name once case, accents, punctuation and
  spacing are ignored (:func:`~qpv_desk.domain.text.match_key`); a contact, when first and
  last names match that way (anonymised contacts never match). Each clash must be
  resolved — :data:`SAME`: the target's record is used and the source's references are
  re-pointed to it (the target's record is left as it is); :data:`DISTINCT`: the source's
  record comes in as a new one. A distinct organisation gets the commune's name in
  brackets (« Centre social (Lens) »), so that the two can be told apart in every list;
  a distinct contact keeps their name (homonyms are different people; their organisation
  and function tell them apart). An unresolved clash refuses the merge, listing it: never
  a silent duplicate.
- **Codes**: a body (instance) or an action whose code the target already uses in the same
  contract / programme year comes in with the commune's name appended to its code (and to
  the body's name): two communes' « GT » are two bodies.
- **Everything else** comes in as new rows with new ids (taken from the server's sequences
  on PostgreSQL), every foreign key re-pointed, versions and dates kept. The change
  history comes along for the records that exist after the merge (re-pointed too); the
  history of records deleted in the source, the source's settings and letterhead and its
  base identity stay behind (the target keeps its own). The programme snapshots name their
  actions by id: those are re-pointed too, so that a later comparison still matches them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Table, select, text, update
from sqlalchemy.engine import Connection

from ..domain.errors import DatabaseRefused, StorageError
from ..domain.text import match_key, person_name, plural
from ..store import transfer
from ..store.db import Database, open_for_reading, resolve_target

Progress = Callable[..., None]  # progress(done, total, label="")

SAME = "same"
DISTINCT = "distinct"
RESOLUTIONS = (SAME, DISTINCT)

KIND_ORGANISATION = "organisation"
KIND_PERSON = "personne"

BATCH = 1000
_KEPT_OUT = frozenset({"setting", "letterhead"})  # the target keeps its own
_LAST = ("change_log", "imported_value")  # rows about other tables' records, by entity name and id
_UNIFIED = frozenset({"contract", "objective_level", "objective"})  # the shared referential


class MergeRefused(DatabaseRefused):
    """The commune's base cannot be merged into this target (nothing was written)."""


class UnresolvedClashes(MergeRefused):
    """Some clashes have no resolution: ``keys`` lists them."""

    def __init__(self, message: str, keys: tuple[str, ...]):
        super().__init__(message)
        self.keys = keys


@dataclass(frozen=True)
class Clash:
    """A record of the source that may be one the target already has."""

    key: str  # « O12 »: organisation 12 of the source; « P7 »: contact 7 of the source
    kind: str  # KIND_ORGANISATION or KIND_PERSON
    source_id: int
    source_name: str
    target_id: int
    target_name: str
    reason: str  # « même SIRET », « même nom »
    distinct_name: str  # its name in the target if resolved DISTINCT


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int  # rows in the source
    inserted: int  # new rows in the target
    unified: int  # rows represented by a record the target already has
    left_out: int  # rows not carried (settings, letterhead, history of deleted records)


@dataclass(frozen=True)
class MergePlan:
    source: str
    target: str
    commune: str
    contract: str
    quartiers: tuple[str, ...]
    clashes: tuple[Clash, ...]
    renamed: tuple[str, ...]  # one French line per renamed body or action code
    counts: tuple[TableCount, ...]  # as if every clash were resolved DISTINCT

    @property
    def rows(self) -> int:
        return sum(c.inserted for c in self.counts)


@dataclass(frozen=True)
class MergeResult:
    source: str
    target: str
    commune: str
    quartiers: tuple[str, ...]
    counts: tuple[TableCount, ...]
    same: int  # clashes resolved as the same record
    distinct: int

    @property
    def inserted(self) -> int:
        return sum(c.inserted for c in self.counts)

    @property
    def unified(self) -> int:
        return sum(c.unified for c in self.counts)


# --------------------------------------------------------------------------- entry points


def plan_merge(db: Database, source: str | Path) -> MergePlan:
    """What merging the commune's base ``source`` into the open base ``db`` would do.

    Raises :class:`MergeRefused` (one French line) when the bases do not share the
    contract, when a quartier of the source is already in the target, or for the other
    refusals listed in the module's documentation. Writes nothing anywhere.
    """
    src = _open_source(db, source)
    try:
        with src.engine.connect() as s_conn, db.reader() as session:
            merger = _Merger(s_conn, session.connection(), src.display, db.display)
            merger.prepare()
            return merger.plan()
    finally:
        src.close()


def merge_base(db: Database, source: str | Path, resolutions: Mapping[str, str], *,
               progress: Progress | None = None) -> MergeResult:
    """Merge the commune's base ``source`` into the open base ``db`` in one unit of work.

    ``resolutions`` maps each clash key (:attr:`Clash.key`) to :data:`SAME` or
    :data:`DISTINCT`. Raises :class:`UnresolvedClashes` when a clash has none (nothing
    written), :class:`MergeRefused` as :func:`plan_merge`, :class:`StorageError` when the
    row counts read back do not add up (nothing kept).
    """
    unknown = sorted(k for k, v in resolutions.items() if v not in RESOLUTIONS)
    if unknown:
        raise MergeRefused(f"Résolution inconnue pour {', '.join(unknown)} : « same » ou « distinct » attendu.")
    src = _open_source(db, source)
    try:
        with src.engine.connect() as s_conn, db.session() as session:
            # On a live server others keep writing: one snapshot for the checks, the id maps
            # and the row counts compared at the end (SQLite: the writer lock does that).
            t_conn = (session.connection() if db.is_sqlite else
                      session.connection(execution_options={"isolation_level": "REPEATABLE READ"}))
            merger = _Merger(s_conn, t_conn, src.display, db.display)
            merger.prepare()
            missing = [c for c in merger.clashes if c.key not in resolutions]
            if missing:
                listed = "; ".join(f"{c.key} {c.source_name}" for c in missing[:10])
                more = f" (et {len(missing) - 10} autres)" if len(missing) > 10 else ""
                raise UnresolvedClashes(
                    f"{plural(len(missing), 'doublon possible', 'doublons possibles')} sans décision : "
                    f"{listed}{more}. "
                    "Dites pour chacun s'il s'agit du même ou d'un autre : rien n'a été fusionné.",
                    tuple(c.key for c in missing))
            extra = sorted(set(resolutions) - {c.key for c in merger.clashes})
            if extra:
                raise MergeRefused(f"Aucun doublon possible ne porte l'identifiant {', '.join(extra)} : "
                                   "rien n'a été fusionné.")
            counts = merger.execute(resolutions, progress)
            session.info["wrote"] = True
            session.info.setdefault("tables", set()).update(c.table for c in counts if c.inserted)
            same = sum(1 for c in merger.clashes if resolutions[c.key] == SAME)
            return MergeResult(src.display, db.display, merger.commune, merger.quartiers, counts,
                               same, len(merger.clashes) - same)
    finally:
        src.close()


def _open_source(db: Database, source: str | Path) -> Database:
    if resolve_target(source).url == db.target.url:
        raise MergeRefused("La base à fusionner est la base ouverte elle-même : rien n'a été fusionné.")
    return open_for_reading(source)


# --------------------------------------------------------------------------- the work


def _tables() -> dict[str, Table]:
    return {t.name: t for t in transfer.tables()}


def _slug(text_: str) -> str:
    return match_key(text_).upper().replace(" ", "-")


@dataclass
class _Merger:
    s: Connection
    t: Connection
    source_display: str
    target_display: str
    rows: dict[str, list[dict]] = field(default_factory=dict)
    maps: dict[str, dict[int, int]] = field(default_factory=dict)  # table -> source id -> target id
    clashes: list[Clash] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    commune: str = ""
    contract: str = ""
    quartiers: tuple[str, ...] = ()

    # ----------------------------------------------------------------- reading and checks

    def prepare(self) -> None:
        tables = _tables()
        for name, table in tables.items():
            pk = list(table.primary_key.columns)
            self.rows[name] = [dict(r) for r in self.s.execute(select(table).order_by(*pk)).mappings()]
        self._check_contract()
        self._check_quartiers()
        self._check_unique_elsewhere()
        self._find_clashes()
        self._plan_codes()

    def _target(self, sql: str, **params) -> list:
        return list(self.t.execute(text(sql), params))

    def _check_contract(self) -> None:
        contracts = self.rows["contract"]
        if not contracts:
            raise MergeRefused(f"La base {self.source_display} n'a pas de contrat de ville : rien n'a été fusionné.")
        target = {code: (cid, start, end) for cid, code, start, end in
                  self._target("SELECT id, code, start_year, end_year FROM contract")}
        if not target:
            raise MergeRefused(
                f"La base {self.target_display} n'a pas encore de contrat de ville : installez-y la première commune "
                "par une copie (« qpv-desk db copy »), puis fusionnez-y les suivantes. Rien n'a été fusionné.")
        contract_map: dict[int, int] = {}
        for c in contracts:
            found = target.get(c["code"])
            if found is None or (found[1], found[2]) != (c["start_year"], c["end_year"]):
                raise MergeRefused(
                    f"Les deux bases ne partagent pas le contrat de ville : « {c['code']} » "
                    f"({c['start_year']}-{c['end_year']}) n'est pas dans {self.target_display}. Rien n'a été fusionné.")
            contract_map[c["id"]] = found[0]
        self.maps["contract"] = contract_map
        self.contract = ", ".join(c["code"] for c in contracts)

        def tree(rows) -> dict[tuple[int, str], str | None]:
            by_id = {r["id"]: r for r in rows}
            return {(r["contract_id"], r["code"]): (by_id[r["parent_id"]]["code"] if r["parent_id"] else None)
                    for r in rows}

        source_tree = tree([{**r, "contract_id": contract_map[r["contract_id"]]} for r in self.rows["objective"]])
        target_rows = [dict(r._mapping) for r in
                       self._target("SELECT id, contract_id, code, parent_id FROM objective")]
        wanted = set(contract_map.values())
        target_tree = tree(target_rows)
        target_tree = {k: v for k, v in target_tree.items() if k[0] in wanted}
        if source_tree != target_tree:
            only_source = sorted(k[1] for k in source_tree.keys() - target_tree.keys())
            only_target = sorted(k[1] for k in target_tree.keys() - source_tree.keys())
            moved = sorted(k[1] for k in source_tree.keys() & target_tree.keys() if source_tree[k] != target_tree[k])
            details = "; ".join(part for part in (
                f"seulement dans la base de la commune : {', '.join(only_source[:8])}" if only_source else "",
                f"seulement dans la base cible : {', '.join(only_target[:8])}" if only_target else "",
                f"rattachés autrement : {', '.join(moved[:8])}" if moved else "") if part)
            raise MergeRefused(f"Les deux bases ne partagent pas l'arborescence des objectifs du contrat ({details}). "
                               "Rien n'a été fusionné.")
        ids = {(r["contract_id"], r["code"]): r["id"] for r in target_rows}
        self.maps["objective"] = {r["id"]: ids[(contract_map[r["contract_id"]], r["code"])]
                                  for r in self.rows["objective"]}
        levels = {(cid, depth): lid for lid, cid, depth in
                  self._target("SELECT id, contract_id, depth FROM objective_level")}
        self.maps["objective_level"] = {r["id"]: levels[key] for r in self.rows["objective_level"]
                                        if (key := (contract_map[r["contract_id"]], r["depth"])) in levels}

    def _check_quartiers(self) -> None:
        codes = [q["code"] for q in self.rows["quartier"]]
        taken = {code for (code,) in self._target("SELECT code FROM quartier")}
        both = sorted(set(codes) & taken)
        if both:
            raise MergeRefused(
                f"Le quartier {', '.join(both)} est déjà dans {self.target_display} : cette commune y a déjà été "
                "fusionnée, ou les deux bases décrivent le même quartier. Rien n'a été fusionné.")
        self.quartiers = tuple(codes)
        names = []
        for q in self.rows["quartier"]:
            for name in (q["communes"] or "").replace(";", ",").split(","):
                if name.strip() and name.strip() not in names:
                    names.append(name.strip())
        fallback = next((c["commune"] for c in self.rows["contract"] if c["commune"]), None)
        self.commune = ", ".join(names) or fallback or Path(self.source_display).stem

    def _check_unique_elsewhere(self) -> None:
        years = {y for (y,) in self._target("SELECT year FROM citizen_avis")}
        both = sorted(r["year"] for r in self.rows["citizen_avis"] if r["year"] in years)
        if both:
            raise MergeRefused(
                f"Les deux bases ont un avis du conseil citoyen sur le rapport annuel {', '.join(map(str, both))} "
                "(un seul par année) : rien n'a été fusionné.")
        codes = {c for (c,) in self._target("SELECT platform_code FROM action WHERE platform_code IS NOT NULL")}
        both = sorted(r["platform_code"] for r in self.rows["action"] if r["platform_code"] in codes)
        if both:
            raise MergeRefused(
                f"Le dossier de la plateforme de l'État {', '.join(both[:5])} est dans les deux bases (une action "
                "ne peut y être qu'une fois) : rien n'a été fusionné.")

    def _find_clashes(self) -> None:
        by_siret: dict[str, tuple[int, str]] = {}
        by_name: dict[str, tuple[int, str]] = {}
        self.org_names = set()
        for oid, name, siret in self._target("SELECT id, name, siret FROM organisation ORDER BY id"):
            digits = "".join(ch for ch in (siret or "") if ch.isdigit())
            if digits:
                by_siret.setdefault(digits, (oid, name))
            by_name.setdefault(match_key(name), (oid, name))
            self.org_names.add(match_key(name))
        chosen_names: set[str] = set()
        for o in self.rows["organisation"]:
            digits = "".join(ch for ch in (o["siret"] or "") if ch.isdigit())
            found, reason = None, ""
            if digits and digits in by_siret:
                found, reason = by_siret[digits], "même SIRET"
            elif match_key(o["name"]) in by_name:
                found, reason = by_name[match_key(o["name"])], "même nom"
            if found:
                distinct = self._distinct_org_name(o["name"], chosen_names)
                chosen_names.add(match_key(distinct))
                self.clashes.append(Clash(f"O{o['id']}", KIND_ORGANISATION, o["id"], o["name"], found[0], found[1],
                                          reason, distinct))
        people: dict[tuple[str, str], tuple[int, str]] = {}
        for pid, civ, first, last in self._target(
                "SELECT id, civility, first_name, last_name FROM person WHERE anonymised_on IS NULL ORDER BY id"):
            people.setdefault((match_key(first), match_key(last)), (pid, person_name(first, last, civ)))
        for p in self.rows["person"]:
            if p["anonymised_on"] is not None:
                continue
            found = people.get((match_key(p["first_name"]), match_key(p["last_name"])))
            if found:
                name = person_name(p["first_name"], p["last_name"], p["civility"])
                self.clashes.append(Clash(f"P{p['id']}", KIND_PERSON, p["id"], name, found[0], found[1],
                                          "même nom", name))

    def _distinct_org_name(self, name: str, chosen: set[str]) -> str:
        candidate = f"{name} ({self.commune})"[:200]
        n = 2
        while match_key(candidate) in self.org_names or match_key(candidate) in chosen:
            candidate = f"{name} ({self.commune} {n})"[:200]
            n += 1
        return candidate

    def _plan_codes(self) -> None:
        """New codes for bodies and actions whose code the target already uses."""
        suffix = _slug(self.commune) or "FUSION"
        contract_map = self.maps["contract"]
        taken_bodies = {(cid, code) for cid, code in self._target("SELECT contract_id, code FROM body")}
        self.body_codes: dict[int, tuple[str, str]] = {}
        for b in self.rows["body"]:
            cid = contract_map.get(b["contract_id"]) if b["contract_id"] is not None else None
            if (cid, b["code"]) in taken_bodies:
                code = _free_code(b["code"], suffix, lambda c: (cid, c) in taken_bodies)
                name = f"{b['name']} ({self.commune})"[:200]
                self.body_codes[b["id"]] = (code, name)
                self.renamed.append(f"Instance « {b['name']} » : code {b['code']} → {code}, nommée « {name} »")
            taken_bodies.add((cid, self.body_codes.get(b["id"], (b["code"],))[0]))
        years = {(cid, year): pid for pid, cid, year in self._target("SELECT id, contract_id, year FROM programme_year")}
        source_years = {r["id"]: years.get((contract_map[r["contract_id"]], r["year"])) for r in self.rows["programme_year"]}
        taken_actions = {(py, code) for py, code in self._target("SELECT programme_year_id, code FROM action")}
        self.action_codes: dict[int, str] = {}
        for a in self.rows["action"]:
            py = source_years.get(a["programme_year_id"])
            key = py if py is not None else ("new", a["programme_year_id"])
            if (key, a["code"]) in taken_actions:
                code = _free_code(a["code"], suffix, lambda c: (key, c) in taken_actions)
                self.action_codes[a["id"]] = code
                self.renamed.append(f"Action {a['code']} « {a['title']} » : code {code}")
            taken_actions.add((key, self.action_codes.get(a["id"], a["code"])))

    def plan(self) -> MergePlan:
        counts = self._counts({c.key: DISTINCT for c in self.clashes})
        return MergePlan(self.source_display, self.target_display, self.commune, self.contract, self.quartiers,
                         tuple(self.clashes), tuple(self.renamed), counts)

    def _counts(self, resolutions: Mapping[str, str]) -> tuple[TableCount, ...]:
        same = {c.key for c in self.clashes if resolutions.get(c.key) == SAME}
        funders = {code for (code,) in self._target("SELECT code FROM funder")}
        years = {(cid, y) for cid, y in self._target("SELECT contract_id, year FROM programme_year")}
        result = []
        for name, rows in self.rows.items():
            total = len(rows)
            if name in _KEPT_OUT:
                result.append(TableCount(name, total, 0, 0, total))
                continue
            if name in _UNIFIED:
                kept = len(self.maps[name])
                result.append(TableCount(name, total, 0, kept, total - kept))
                continue
            if name == "funder":
                unified = sum(1 for r in rows if r["code"] in funders)
            elif name == "programme_year":
                unified = sum(1 for r in rows if (self.maps["contract"][r["contract_id"]], r["year"]) in years)
            elif name == "organisation":
                unified = sum(1 for k in same if k.startswith("O"))
            elif name == "person":
                unified = sum(1 for k in same if k.startswith("P"))
            elif name in _LAST:
                carried = sum(1 for r in rows if self._would_carry(r, name == "imported_value", funders, years))
                result.append(TableCount(name, total, carried, 0, total - carried))
                continue
            else:
                unified = 0
            result.append(TableCount(name, total, total - unified, unified, 0))
        return tuple(result)

    def _by_id(self, name: str) -> dict[int, dict]:
        cache = self.__dict__.setdefault("_index", {})
        if name not in cache:
            cache[name] = {r["id"]: r for r in self.rows[name] if "id" in r}
        return cache[name]

    def _would_carry(self, row: dict, only_inserted: bool, funders: set, years: set) -> bool:
        entity, source_id = row["entity"], row["entity_id"]
        if entity in _KEPT_OUT or entity not in self.rows:
            return False
        found = self._by_id(entity).get(source_id)
        if found is None:
            return False
        if not only_inserted:
            return entity not in _UNIFIED or source_id in self.maps[entity]
        if entity in _UNIFIED or (entity == "funder" and found["code"] in funders):
            return False
        if entity == "programme_year":
            return (self.maps["contract"][found["contract_id"]], found["year"]) not in years
        return True

    # ----------------------------------------------------------------- writing

    def execute(self, resolutions: Mapping[str, str], progress: Progress | None) -> tuple[TableCount, ...]:
        t = self.t
        before = transfer.row_counts(t)
        if t.dialect.name == "postgresql":  # keep the history's authors (see migration 0007)
            t.execute(text("SET LOCAL qpv.copy = 'on'"))
        same = {(c.kind, c.source_id): c.target_id for c in self.clashes if resolutions[c.key] == SAME}
        distinct_names = {c.source_id: c.distinct_name for c in self.clashes
                          if c.kind == KIND_ORGANISATION and resolutions[c.key] == DISTINCT}
        funders = {code: fid for fid, code in self._target("SELECT id, code FROM funder")}
        years = {(cid, y): pid for pid, cid, y in self._target("SELECT id, contract_id, year FROM programme_year")}
        tables = _tables()
        self.inserted: dict[str, set[int]] = {}
        counts: list[TableCount] = []
        late = ("programme_snapshot", *_LAST)  # rows that name other records by id: once every id is known
        order = [n for n in tables if n not in late] + list(late)
        for index, name in enumerate(order):
            if progress:
                progress(index, len(order), f"Fusion : {name}…")
            table, rows = tables[name], self.rows[name]
            if name in _KEPT_OUT:
                counts.append(TableCount(name, len(rows), 0, 0, len(rows)))
                continue
            if name in _UNIFIED:
                kept = len(self.maps[name])
                counts.append(TableCount(name, len(rows), 0, kept, len(rows) - kept))
                continue
            mapping = self.maps.setdefault(name, {})
            fresh, left_out = [], 0
            for row in rows:
                if name == "funder" and row["code"] in funders:
                    mapping[row["id"]] = funders[row["code"]]
                    continue
                if name == "programme_year":
                    found = years.get((self.maps["contract"][row["contract_id"]], row["year"]))
                    if found is not None:
                        mapping[row["id"]] = found
                        continue
                if name == "organisation" and (KIND_ORGANISATION, row["id"]) in same:
                    mapping[row["id"]] = same[(KIND_ORGANISATION, row["id"])]
                    continue
                if name == "person" and (KIND_PERSON, row["id"]) in same:
                    mapping[row["id"]] = same[(KIND_PERSON, row["id"])]
                    continue
                row = dict(row)
                if name == "organisation" and row["id"] in distinct_names:
                    row["name"] = distinct_names[row["id"]]
                elif name == "body" and row["id"] in self.body_codes:
                    row["code"], row["name"] = self.body_codes[row["id"]]
                elif name == "action" and row["id"] in self.action_codes:
                    row["code"] = self.action_codes[row["id"]]
                elif name == "programme_snapshot":
                    row["content"] = self._snapshot(row["content"])
                elif name in ("change_log", "imported_value"):
                    new_id = self._entity(row, only_inserted=(name == "imported_value"))
                    if new_id is None:
                        left_out += 1
                        continue
                    row["entity_id"] = new_id
                fresh.append(row)
            unified = len(rows) - len(fresh) - left_out
            self._insert(table, fresh)
            counts.append(TableCount(name, len(rows), len(fresh), unified, left_out))
        if progress:
            progress(len(order), len(order), "Vérification…")
        after = transfer.row_counts(t)
        wrong = [c.table for c in counts if after[c.table] != before[c.table] + c.inserted]
        if wrong:
            raise StorageError(f"La fusion ne tombe pas juste (tables : {', '.join(wrong)}) : rien n'a été fusionné.")
        rank = {name: i for i, name in enumerate(tables)}  # the plan's order: parents first
        return tuple(sorted(counts, key=lambda c: rank[c.table]))

    def _snapshot(self, content: str) -> str:
        """A frozen programme names its actions by id (that is how a later one is compared
        with it): the merged actions' new ids and codes; an action deleted from the source
        since gets a negative id, so that it never passes for one of the target's."""
        data = json.loads(content)
        actions = self.maps["action"]
        for action in data.get("actions", []):
            old = action.get("id")
            if old in actions:
                action["id"] = actions[old]
                action["code"] = self.action_codes.get(old, action.get("code"))
            elif isinstance(old, int):
                action["id"] = -abs(old)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def _entity(self, row: dict, *, only_inserted: bool) -> int | None:
        """The target id of the record a history (or imported-value) row is about, if it came
        (``only_inserted``: if it came as a new record, not onto one the target has)."""
        entity = row["entity"]
        if only_inserted and row["entity_id"] not in self.inserted.get(entity, set()):
            return None
        return self.maps.get(entity, {}).get(row["entity_id"])

    def _insert(self, table: Table, rows: list[dict]) -> None:
        name = table.name
        mapping = self.maps.setdefault(name, {})
        pk = table.autoincrement_column
        if pk is not None:
            ids = transfer.allocate_ids(self.t, table, len(rows))
            for row, new_id in zip(rows, ids):
                mapping[row[pk.name]] = new_id
            self.inserted[name] = {row[pk.name] for row in rows}
        own = {fk.parent.name for fk in table.foreign_keys if fk.column.table is table}
        stamped = [c.name for c in table.columns if c.onupdate is not None]
        foreign = [(fk.parent.name, fk.column.table.name) for fk in table.foreign_keys
                   if fk.column.table is not table]
        links: list[tuple[int, dict]] = []
        out = []
        for row in rows:
            new = dict(row)
            if pk is not None:
                new[pk.name] = mapping[row[pk.name]]
            for column, referred in foreign:
                new[column] = self._point(referred, row[column], table.name, column)
            values = {}
            for column in own:
                if row[column] is not None:
                    values[column] = self._point(name, row[column], table.name, column)
                new[column] = None
            if values:
                values.update({c: row[c] for c in stamped})
                links.append((new[pk.name], values))
            out.append(new)
        if name == "attendance":
            self._check_attendance(out)
        if name == "meeting_invitation":
            self._fresh_uids(out)
        for start in range(0, len(out), BATCH):
            self.t.execute(table.insert(), out[start:start + BATCH])
        for new_id, values in links:
            self.t.execute(update(table).where(pk == new_id).values(values))

    def _point(self, referred: str, old: int | None, table: str, column: str) -> int | None:
        if old is None:
            return None
        try:
            return self.maps[referred][old]
        except KeyError:
            raise StorageError(
                f"La base {self.source_display} est incohérente ({table}.{column} = {old} ne désigne aucune ligne de "
                f"{referred}) : rien n'a été fusionné.") from None

    def _check_attendance(self, rows: list[dict]) -> None:
        seen: set[tuple[int, int]] = set()
        for row in rows:
            key = (row["meeting_id"], row["person_id"])
            if key in seen:
                raise MergeRefused(
                    "Deux contacts de la commune, déclarés « même personne » qu'un seul contact de la base cible, "
                    "sont invités à la même réunion : déclarez l'un d'eux « personne distincte ». Rien n'a été fusionné.")
            seen.add(key)
            if row["represented_by_id"] is not None and row["represented_by_id"] == row["person_id"]:
                raise MergeRefused(
                    "Un contact de la commune serait représenté par lui-même : il est déclaré « même personne » que "
                    "son représentant dans la base cible. Déclarez l'un d'eux « personne distincte ». "
                    "Rien n'a été fusionné.")

    def _fresh_uids(self, rows: list[dict]) -> None:
        """An invitation's UID must be unique: one the target already has gets a new one (the
        calendars then see a new event for that meeting, as for any first export)."""
        taken = {uid for (uid,) in self._target("SELECT uid FROM meeting_invitation")}
        for row in rows:
            if row["uid"] in taken:
                row["uid"] = f"{uuid.uuid4()}@qpv-desk"
                row["sequence"] = 0


def _free_code(code: str, suffix: str, taken: Callable[[str], bool]) -> str:
    candidate = f"{code}-{suffix}"[:40]
    n = 2
    while taken(candidate):
        candidate = f"{code}-{suffix}{n}"[:40]
        n += 1
    return candidate
