"""Choosers of the meeting screens: bodies, persons, organisations, objectives, actions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ...domain.text import person_name
from ...store.db import Database
from ...store.models import Action, Body, Objective, Organisation, Person


@dataclass(frozen=True)
class Choice:
    """An entry of a chooser: id and what the user reads."""

    id: int
    label: str
    detail: str = ""
    extra: int | None = None  # organisation id of a person; quorum of a body


def bodies(db: Database) -> list[Choice]:
    with db.reader() as s:
        rows = s.execute(select(Body.id, Body.code, Body.name, Body.quorum).where(Body.active).order_by(Body.name)).all()
    return [Choice(r.id, r.name, r.code, r.quorum) for r in rows]


def persons(db: Database) -> list[Choice]:
    """Active persons, « Mme Claire Dubois — Structure » (with the civility, as the printed
    documents name them), sorted by name."""
    with db.reader() as s:
        rows = s.execute(
            select(Person.id, Person.civility, Person.first_name, Person.last_name, Person.organisation_id,
                   Organisation.name)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(Person.active)
            .order_by(Person.last_name, Person.first_name, Person.id)
        ).all()
    return [Choice(r.id, person_name(r.first_name, r.last_name, r.civility), r.name or "", r.organisation_id)
            for r in rows]


def organisations(db: Database) -> list[Choice]:
    with db.reader() as s:
        rows = s.execute(
            select(Organisation.id, Organisation.name, Organisation.acronym).where(Organisation.active).order_by(Organisation.name)
        ).all()
    return [Choice(r.id, r.name, r.acronym or "") for r in rows]


def objectives(db: Database) -> list[Choice]:
    with db.reader() as s:
        rows = s.execute(
            select(Objective.id, Objective.code, Objective.title).where(~Objective.retired).order_by(Objective.code)
        ).all()
    return [Choice(r.id, f"{r.code} {r.title}") for r in rows]


def actions(db: Database) -> list[Choice]:
    with db.reader() as s:
        rows = s.execute(select(Action.id, Action.code, Action.title).order_by(Action.id.desc())).all()
    return [Choice(r.id, f"{r.code} – {r.title}") for r in rows]
