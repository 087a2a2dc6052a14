"""The contract's objective tree: read it whole, add, rename, move, re-parent, retire.

The tree is data (any depth up to the number of levels the contract declares, level
names from ``objective_level``). Codes are identifiers used by re-imports of the
referential file, so moving a node keeps its code; a new node gets the next free code
under its parent (« 1.2.4 »). Retiring keeps the node (and its whole subtree) in the
database, visible on past actions and meetings, greyed in the editor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import validation as V
from ..domain.errors import ValidationError
from ..store.db import Database
from ..store.models import Contract, Objective, ObjectiveLevel
from .common import check_version, get, record_change, save_changes, validate_fields


@dataclass(frozen=True)
class ObjectiveNode:
    id: int
    contract_id: int
    parent_id: int | None
    code: str
    title: str
    description: str | None
    depth: int
    position: int
    retired: bool
    retired_on: dt.date | None
    version: int
    level: str

    @property
    def label(self) -> str:
        text = f"{self.code} {self.title}"
        return f"{text} (retiré)" if self.retired else text


@dataclass(frozen=True)
class ObjectiveTree:
    """The whole tree of one contract, nodes in display order (depth-first)."""

    contract_id: int | None
    levels: tuple[str, ...]
    nodes: tuple[ObjectiveNode, ...]

    def children(self, parent_id: int | None) -> list[ObjectiveNode]:
        return [n for n in self.nodes if n.parent_id == parent_id]

    def by_id(self, ident: int) -> ObjectiveNode:
        for n in self.nodes:
            if n.id == ident:
                return n
        raise KeyError(ident)


def _contract_id(session: Session, contract_id: int | None) -> int | None:
    if contract_id is not None:
        return get(session, Contract, contract_id, "Le contrat").id
    return session.scalar(select(Contract.id).order_by(Contract.id).limit(1))


def objective_tree(db: Database, contract_id: int | None = None) -> ObjectiveTree:
    """The objective tree of ``contract_id`` (the first contract by default), in one query."""
    with db.reader() as s:
        cid = _contract_id(s, contract_id)
        if cid is None:
            return ObjectiveTree(None, (), ())
        levels = tuple(s.scalars(select(ObjectiveLevel.name).where(ObjectiveLevel.contract_id == cid)
                                 .order_by(ObjectiveLevel.depth)))
        rows = [
            ObjectiveNode(o.id, o.contract_id, o.parent_id, o.code, o.title, o.description, o.depth, o.position,
                          o.retired, o.retired_on, o.version,
                          levels[o.depth - 1] if 0 < o.depth <= len(levels) else f"Niveau {o.depth}")
            for o in s.scalars(select(Objective).where(Objective.contract_id == cid))
        ]
    children: dict[int | None, list[ObjectiveNode]] = {}
    for o in rows:
        children.setdefault(o.parent_id, []).append(o)
    for group in children.values():
        group.sort(key=lambda o: (o.position, o.code))
    ordered: list[ObjectiveNode] = []

    def walk(parent_id):
        for o in children.get(parent_id, []):
            ordered.append(o)
            walk(o.id)

    walk(None)
    return ObjectiveTree(cid, levels, tuple(ordered))


def _levels_count(session: Session, contract_id: int) -> int:
    return session.scalar(select(func.count()).where(ObjectiveLevel.contract_id == contract_id)) or 0


def _siblings(session: Session, contract_id: int, parent_id: int | None) -> list[Objective]:
    stmt = select(Objective).where(Objective.contract_id == contract_id)
    stmt = stmt.where(Objective.parent_id.is_(None) if parent_id is None else Objective.parent_id == parent_id)
    return sorted(session.scalars(stmt), key=lambda o: (o.position, o.code))


def _renumber(siblings: list[Objective]) -> None:
    for i, o in enumerate(siblings):
        if o.position != i:
            o.position = i


def _next_code(session: Session, contract_id: int, parent: Objective | None) -> str:
    codes = set(session.scalars(select(Objective.code).where(Objective.contract_id == contract_id)))
    prefix = f"{parent.code}." if parent is not None else ""
    n = 1
    while f"{prefix}{n}" in codes:
        n += 1
    return f"{prefix}{n}"


def _subtree(session: Session, root: Objective) -> list[Objective]:
    """``root`` and all its descendants (one query for the contract, walked in Python)."""
    rows = list(session.scalars(select(Objective).where(Objective.contract_id == root.contract_id)))
    children: dict[int | None, list[Objective]] = {}
    for o in rows:
        children.setdefault(o.parent_id, []).append(o)
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(children.get(node.id, []))
    return out


def add_objective(
    db: Database,
    title: str,
    *,
    parent_id: int | None = None,
    after_id: int | None = None,
    code: str | None = None,
    description: str | None = None,
    contract_id: int | None = None,
) -> int:
    """Add an objective under ``parent_id`` (a top-level one if ``None``), after ``after_id`` if given."""
    clean_title = V.line(title, "Intitulé", "title", required=True, max_len=500)
    clean_code = V.line(code, "Code", "code", max_len=40)
    clean_desc = V.text(description, "Description", "description")
    with db.session() as s:
        parent = get(s, Objective, parent_id, "L'objectif parent") if parent_id is not None else None
        cid = parent.contract_id if parent is not None else _contract_id(s, contract_id)
        if cid is None:
            raise ValidationError("contract_id", "Aucun contrat : importez d'abord un référentiel.")
        depth = parent.depth + 1 if parent is not None else 1
        levels = _levels_count(s, cid)
        if depth > levels:
            raise ValidationError(
                "parent_id", f"L'arborescence a {levels} niveaux : impossible d'ajouter un objectif sous « {parent.code} »."
            )
        if parent is not None and parent.retired:
            raise ValidationError("parent_id", f"L'objectif « {parent.code} » est retiré : réactivez-le d'abord.")
        if clean_code is None:
            clean_code = _next_code(s, cid, parent)
        elif s.scalar(select(Objective.id).where(Objective.contract_id == cid, Objective.code == clean_code)):
            raise ValidationError("code", f"Le code « {clean_code} » est déjà utilisé.")
        siblings = _siblings(s, cid, parent.id if parent else None)
        index = len(siblings)
        if after_id is not None:
            ids = [o.id for o in siblings]
            if after_id not in ids:
                raise ValidationError("after_id", "L'objectif de référence n'a pas le même parent.")
            index = ids.index(after_id) + 1
        node = Objective(contract_id=cid, parent_id=parent.id if parent else None, code=clean_code, title=clean_title,
                         description=clean_desc, depth=depth, position=index)
        s.add(node)
        siblings.insert(index, node)
        _renumber(siblings)
        s.flush()
        record_change(s, "objective", node.id, "create", {"code": clean_code, "title": clean_title})
        return node.id


def update_objective(db: Database, objective_id: int, values: Mapping, *, expected_version: int) -> int:
    """Rename: ``title``, ``code``, ``description`` (only the keys given). Returns the new version."""
    checks = {
        "title": lambda: V.line(values.get("title"), "Intitulé", "title", required=True, max_len=500),
        "code": lambda: V.line(values.get("code"), "Code", "code", required=True, max_len=40),
        "description": lambda: V.text(values.get("description"), "Description", "description"),
    }
    data = validate_fields(values, checks)
    with db.session() as s:
        node = get(s, Objective, objective_id, "L'objectif")
        check_version(node, expected_version, "L'objectif")
        new_code = data.get("code")
        if new_code is not None and new_code != node.code and s.scalar(
            select(Objective.id).where(Objective.contract_id == node.contract_id, Objective.code == new_code)
        ):
            raise ValidationError("code", f"Le code « {new_code} » est déjà utilisé.")
        return save_changes(s, node, data, "objective")


def rename_objective(db: Database, objective_id: int, title: str, *, expected_version: int) -> int:
    return update_objective(db, objective_id, {"title": title}, expected_version=expected_version)


def move_objective(db: Database, objective_id: int, delta: int) -> bool:
    """Move up (``delta`` < 0) or down among its siblings. Returns ``False`` at either end."""
    with db.session() as s:
        node = get(s, Objective, objective_id, "L'objectif")
        siblings = _siblings(s, node.contract_id, node.parent_id)
        index = [o.id for o in siblings].index(node.id)
        target = max(0, min(len(siblings) - 1, index + delta))
        if target == index:
            return False
        siblings.insert(target, siblings.pop(index))
        _renumber(siblings)
        return True


def reparent_objective(db: Database, objective_id: int, new_parent_id: int | None, *, position: int | None = None) -> None:
    """Attach an objective (and its subtree) to another parent; checks cycles and the number of levels."""
    with db.session() as s:
        node = get(s, Objective, objective_id, "L'objectif")
        parent = get(s, Objective, new_parent_id, "Le nouvel objectif parent") if new_parent_id is not None else None
        subtree = _subtree(s, node)
        if parent is not None:
            if parent.contract_id != node.contract_id:
                raise ValidationError("parent_id", "Le nouvel objectif parent appartient à un autre contrat.")
            if parent.id in {o.id for o in subtree}:
                raise ValidationError(
                    "parent_id", f"« {node.code} » ne peut pas être rattaché à lui-même ni à l'un de ses sous-objectifs."
                )
            if parent.retired and not node.retired:
                raise ValidationError("parent_id", f"L'objectif « {parent.code} » est retiré : réactivez-le d'abord.")
        new_depth = parent.depth + 1 if parent is not None else 1
        shift = new_depth - node.depth
        deepest = max(o.depth for o in subtree) + shift
        levels = _levels_count(s, node.contract_id)
        if deepest > levels:
            raise ValidationError(
                "parent_id", f"L'arborescence a {levels} niveaux : « {node.code} » et ses sous-objectifs n'y tiennent pas là."
            )
        old_parent_id = node.parent_id
        old_siblings = [o for o in _siblings(s, node.contract_id, old_parent_id) if o.id != node.id]
        new_siblings = [o for o in _siblings(s, node.contract_id, parent.id if parent else None) if o.id != node.id]
        for o in subtree:
            o.depth += shift
        node.parent_id = parent.id if parent is not None else None
        index = len(new_siblings) if position is None else max(0, min(position, len(new_siblings)))
        new_siblings.insert(index, node)
        _renumber(old_siblings)
        _renumber(new_siblings)
        record_change(s, "objective", node.id, "move", {"parent_id": [old_parent_id, node.parent_id]})


def retire_objective(db: Database, objective_id: int, *, on: dt.date | None = None) -> int:
    """Retire an objective and its sub-objectives; returns how many were retired."""
    day = on or dt.date.today()
    with db.session() as s:
        node = get(s, Objective, objective_id, "L'objectif")
        count = 0
        for o in _subtree(s, node):
            if not o.retired:
                o.retired, o.retired_on = True, day
                count += 1
        record_change(s, "objective", node.id, "retire", {"count": count})
        return count


def reactivate_objective(db: Database, objective_id: int) -> None:
    """Bring a retired objective back (its parent must be active; its children stay as they are)."""
    with db.session() as s:
        node = get(s, Objective, objective_id, "L'objectif")
        if node.parent_id is not None:
            parent = s.get(Objective, node.parent_id)
            if parent is not None and parent.retired:
                raise ValidationError("parent_id", f"L'objectif parent « {parent.code} » est retiré : réactivez-le d'abord.")
        if node.retired:
            node.retired, node.retired_on = False, None
            record_change(s, "objective", node.id, "reactivate")


__all__ = [
    "ObjectiveNode",
    "ObjectiveTree",
    "add_objective",
    "move_objective",
    "objective_tree",
    "reactivate_objective",
    "rename_objective",
    "reparent_objective",
    "retire_objective",
    "update_objective",
]
