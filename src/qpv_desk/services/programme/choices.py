"""Choosers of the programme screens: the objective tree, the meetings a status change cites."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ...store.db import Database
from ...store.models import Body, Contract, Meeting, Objective, ObjectiveLevel
from .data import MeetingChoice, ObjectiveChoice


def objective_choices(session_or_db, *, include_retired: bool = True) -> list[ObjectiveChoice]:
    """The contract's objective tree in tree order (depth-first, by position), one statement."""
    if isinstance(session_or_db, Database):
        with session_or_db.reader() as s:
            return objective_choices(s, include_retired=include_retired)
    s: Session = session_or_db
    cid = s.scalar(select(Contract.id).order_by(Contract.id).limit(1))
    if cid is None:
        return []
    stmt = (
        select(Objective.id, Objective.parent_id, Objective.depth, Objective.code, Objective.title,
               ObjectiveLevel.name, Objective.retired, Objective.position)
        .outerjoin(ObjectiveLevel, and_(ObjectiveLevel.contract_id == Objective.contract_id,
                                        ObjectiveLevel.depth == Objective.depth))
        .where(Objective.contract_id == cid)
    )
    rows = s.execute(stmt).all()
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
        out.append(ObjectiveChoice(r[0], r[1] if r[1] in ids else None, r[2], r[3], r[4], r[5] or f"Niveau {r[2]}", r[6]))
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


def meeting_choices(db: Database, *, limit: int = 200) -> list[MeetingChoice]:
    """Recent meetings (newest first) that a status change can cite."""
    stmt = (select(Meeting.id, Meeting.date, Body.name, Meeting.title).join(Body, Body.id == Meeting.body_id)
            .order_by(Meeting.date.desc(), Meeting.id.desc()).limit(limit))
    with db.reader() as s:
        return [MeetingChoice(*r) for r in s.execute(stmt)]
