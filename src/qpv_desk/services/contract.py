"""The contract's shape, read from the Core tables: its objective tree and its years.

Read by the programme screens' pickers, the follow-up and the dashboard — the first page
shown at start-up, which reads the tables without the ORM (see :mod:`..store.tables`):
so these readers query the tables, not the mapped classes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, select

from ..store import tables as T
from ..store.db import Database


@dataclass(frozen=True)
class ObjectiveChoice:
    """A node of the objective tree, in tree order, for pickers and the follow-up."""

    id: int
    parent_id: int | None
    depth: int
    code: str
    title: str
    level_name: str
    retired: bool

    @property
    def label(self) -> str:
        return f"{self.code} – {self.title}"


def first_contract_id(s) -> int | None:
    """The contract of the base (the first one: a base holds one contract), or ``None``.
    ``s``: a session or a connection."""
    return s.scalar(select(T.contract.c.id).order_by(T.contract.c.id).limit(1))


def objective_choices(reader, *, include_retired: bool = True) -> list[ObjectiveChoice]:
    """The contract's objective tree in tree order (depth-first, by position), one statement.
    ``reader``: a :class:`Database`, or a session or connection already open."""
    if isinstance(reader, Database):
        with reader.table_reader() as conn:
            return objective_choices(conn, include_retired=include_retired)
    cid = first_contract_id(reader)
    if cid is None:
        return []
    objective, level = T.objective.c, T.objective_level.c
    stmt = (
        select(objective.id, objective.parent_id, objective.depth, objective.code, objective.title,
               level.name, objective.retired, objective.position)
        .select_from(T.objective)
        .outerjoin(T.objective_level, and_(level.contract_id == objective.contract_id, level.depth == objective.depth))
        .where(objective.contract_id == cid)
    )
    rows = reader.execute(stmt).all()
    children: dict[int | None, list] = {}
    ids = {r[0] for r in rows}
    for r in rows:
        children.setdefault(r[1] if r[1] in ids else None, []).append(r)
    for lst in children.values():
        lst.sort(key=lambda r: (r[7], r[3], r[0]))
    out: list[ObjectiveChoice] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        r = stack.pop()
        if r[6] and not include_retired:
            continue
        parent = r[1] if r[1] in ids else None
        out.append(ObjectiveChoice(r[0], parent, r[2], r[3], r[4], r[5] or f"Niveau {r[2]}", r[6]))
        stack.extend(reversed(children.get(r[0], [])))
    return out


def descendants(choices: Sequence[ObjectiveChoice], objective_id: int) -> set[int]:
    """The objective and every objective below it."""
    children: dict[int | None, list[int]] = {}
    for c in choices:
        children.setdefault(c.parent_id, []).append(c.id)
    out, stack = set(), [objective_id]
    while stack:
        node = stack.pop()
        if node in out:
            continue
        out.add(node)
        stack.extend(children.get(node, []))
    return out


def programme_years(db: Database) -> list[int]:
    """Years that have a programme, plus the contract's years (for the year selector)."""
    with db.table_reader() as conn:
        years = set(conn.scalars(select(T.programme_year.c.year)))
        span = conn.execute(select(T.contract.c.start_year, T.contract.c.end_year)
                            .order_by(T.contract.c.id).limit(1)).first()
    if span is not None:
        years.update(range(span[0], span[1] + 1))
    return sorted(years)
