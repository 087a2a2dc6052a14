"""The agenda of a meeting: items, their order, who presents them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...domain import validation as V
from ...domain.text import person_name
from ...store.db import Database
from ...store.models import Action, AgendaItem, Meeting, Objective, Person
from ..common import check_version, diff, get, optional_id, record_change, validate_fields


@dataclass(frozen=True)
class AgendaItemRow:
    id: int
    version: int
    position: int
    number: int  # 1, 2, 3… in agenda order (positions may have gaps)
    title: str
    presenter_id: int | None
    presenter: str  # « Mme Claire Martin »: with the civility, as the printed documents
    duration_min: int | None
    objective_id: int | None
    objective_label: str
    action_id: int | None
    action_label: str
    discussion: str


def _agenda_rows(session: Session, meeting_id: int) -> list[AgendaItemRow]:
    stmt = (
        select(AgendaItem, Person.civility, Person.first_name, Person.last_name, Objective.code,
               Objective.title.label("ot"),
               Action.code.label("ac"), Action.title.label("at"))
        .outerjoin(Person, Person.id == AgendaItem.presenter_id)
        .outerjoin(Objective, Objective.id == AgendaItem.objective_id)
        .outerjoin(Action, Action.id == AgendaItem.action_id)
        .where(AgendaItem.meeting_id == meeting_id)
        .order_by(AgendaItem.position, AgendaItem.id)
    )
    out = []
    for number, r in enumerate(session.execute(stmt).all(), start=1):
        i: AgendaItem = r[0]
        out.append(AgendaItemRow(
            id=i.id, version=i.version, position=i.position, number=number, title=i.title, presenter_id=i.presenter_id,
            presenter=person_name(r.first_name, r.last_name, r.civility) if i.presenter_id else "",
            duration_min=i.duration_min,
            objective_id=i.objective_id, objective_label=f"{r.code} {r.ot}" if r.code else "",
            action_id=i.action_id, action_label=f"{r.ac} – {r.at}" if r.ac else "", discussion=i.discussion or "",
        ))
    return out


def list_agenda(db: Database, meeting_id: int) -> list[AgendaItemRow]:
    with db.reader() as s:
        get(s, Meeting, meeting_id, "La réunion")
        return _agenda_rows(s, meeting_id)


def _clean_item(session: Session, values: Mapping, creating: bool) -> dict:
    """An agenda point's fields, every bad one reported at once."""
    def ref(key, model, label):
        return optional_id(session, model, values.get(key), label)

    checks = {
        "title": lambda: V.line(values.get("title"), "Intitulé du point", "title", required=True, max_len=500),
        "duration_min": lambda: V.count(values.get("duration_min"), "Durée (min)", "duration_min", maximum=24 * 60),
        "discussion": lambda: V.text(values.get("discussion"), "Échanges", "discussion"),
        "presenter_id": lambda: ref("presenter_id", Person, "La personne"),
        "objective_id": lambda: ref("objective_id", Objective, "L'objectif"),
        "action_id": lambda: ref("action_id", Action, "L'action"),
    }
    return validate_fields(values, checks, required=("title",) if creating else ())


def add_agenda_item(db: Database, meeting_id: int, title: str, **values) -> int:
    """Append a point to the agenda. ``values``: presenter_id, duration_min, objective_id, action_id, discussion."""
    with db.session() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        clean = _clean_item(s, {**values, "title": title}, True)
        last = s.execute(select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)).scalar()
        item = AgendaItem(meeting_id=meeting.id, position=(last if last is not None else -1) + 1, **clean)
        s.add(item)
        s.flush()
        record_change(s, "meeting", meeting.id, "update", {"point ajouté": item.title})
        return item.id


def update_agenda_item(db: Database, item_id: int, values: Mapping, *, expected_version: int) -> int:
    """Change a point of the agenda; returns its new version."""
    with db.session() as s:
        item = get(s, AgendaItem, item_id, "Le point de l'ordre du jour")
        check_version(item, expected_version, "Le point de l'ordre du jour")
        changes = diff(item, _clean_item(s, values, False))
        if changes:
            s.flush()
            record_change(s, "meeting", item.meeting_id, "update", {f"point {item.id}": changes})
        return item.version


def delete_agenda_item(db: Database, item_id: int) -> None:
    """Remove a point; its decisions stay in the minutes without a point, the numbering closes up."""
    with db.session() as s:
        item = get(s, AgendaItem, item_id, "Le point de l'ordre du jour")
        meeting_id = item.meeting_id
        record_change(s, "meeting", meeting_id, "update", {"point supprimé": item.title})
        s.delete(item)
        s.flush()
        _renumber(s, meeting_id)


def _renumber(session: Session, meeting_id: int, order: list[int] | None = None) -> None:
    items = session.execute(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
                            .order_by(AgendaItem.position, AgendaItem.id)).scalars().all()
    if order is not None:
        by_id = {i.id: i for i in items}
        items = [by_id[i] for i in order]
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position


def move_agenda_item_to(db: Database, item_id: int, position: int) -> int:
    """Move a point to ``position`` (0-based, clamped); returns the position it got."""
    with db.session() as s:
        item = get(s, AgendaItem, item_id, "Le point de l'ordre du jour")
        ids = list(s.execute(select(AgendaItem.id).where(AgendaItem.meeting_id == item.meeting_id)
                             .order_by(AgendaItem.position, AgendaItem.id)).scalars())
        ids.remove(item.id)
        position = max(0, min(int(position), len(ids)))
        ids.insert(position, item.id)
        _renumber(s, item.meeting_id, ids)
        record_change(s, "meeting", item.meeting_id, "update", {"ordre du jour": ids})
        return position


def move_agenda_item(db: Database, item_id: int, delta: int) -> int:
    """Move a point up (``delta`` < 0) or down; returns its new position."""
    with db.reader() as s:
        item = get(s, AgendaItem, item_id, "Le point de l'ordre du jour")
        ids = list(s.execute(select(AgendaItem.id).where(AgendaItem.meeting_id == item.meeting_id)
                             .order_by(AgendaItem.position, AgendaItem.id)).scalars())
    return move_agenda_item_to(db, item_id, ids.index(item_id) + int(delta))
