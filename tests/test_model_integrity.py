"""Integrity lives in the database too: foreign keys, CHECKs, unique codes, version counters."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from qpv_desk.services.referential import import_referential, read_referential
from qpv_desk.store.models import (
    Action,
    ActionObjective,
    Attendance,
    Body,
    FundingLine,
    Funder,
    Meeting,
    Objective,
    Organisation,
    Person,
    ProgrammeYear,
)

from conftest import VERQUIN_TOML


@pytest.fixture
def db(empty_db):
    import_referential(empty_db, read_referential(VERQUIN_TOML))
    with empty_db.session() as s:
        org = Organisation(name="Association Test", kind="association")
        s.add(org)
        s.flush()
        year = ProgrammeYear(contract_id=1, year=2025)
        s.add(year)
        s.flush()
        s.add(Action(programme_year_id=year.id, code="2025-001", title="Action", holder_id=org.id))
    return empty_db


def _fails(db, fn):
    with pytest.raises(IntegrityError):
        with db.session() as s:
            fn(s)


def test_negative_amounts_refused_by_the_database(db):
    def negative(s):
        funder = s.scalars(select(Funder)).first()
        s.add(FundingLine(action_id=1, funder_id=funder.id, requested_cents=-100))

    _fails(db, negative)

    def negative_cost(s):
        s.get(Action, 1).total_cost_cents = -1

    _fails(db, negative_cost)


def test_end_before_start_refused_by_the_database(db):
    def backwards(s):
        action = s.get(Action, 1)
        action.start_date, action.end_date = dt.date(2025, 5, 1), dt.date(2025, 1, 1)

    _fails(db, backwards)


def test_foreign_keys_enforced(db):
    _fails(db, lambda s: s.add(Person(last_name="X", organisation_id=9999)))


def test_unique_codes(db):
    _fails(db, lambda s: s.add(Action(programme_year_id=1, code="2025-001", title="Doublon", holder_id=1)))
    with db.reader() as s:
        contract_id = s.scalars(select(Body.contract_id).where(Body.code == "GT")).one()
    _fails(db, lambda s: s.add(Body(code="GT", name="Autre GT", kind="gt", contract_id=contract_id)))


def test_one_principal_objective_per_action(db):
    with db.session() as s:
        ids = s.scalars(select(Objective.id).where(Objective.depth == 3).limit(2)).all()
        s.add(ActionObjective(action_id=1, objective_id=ids[0], is_principal=True))
    _fails(db, lambda s: s.add(ActionObjective(action_id=1, objective_id=ids[1], is_principal=True)))
    with db.session() as s:  # a secondary objective is fine
        s.add(ActionObjective(action_id=1, objective_id=ids[1], is_principal=False))


def test_enumerations_checked(db):
    _fails(db, lambda s: setattr(s.get(Action, 1), "status", "inventee"))


def test_represented_needs_a_representative(db):
    def bad(s):
        body = s.scalars(select(Body).where(Body.code == "GT")).one()
        person = Person(last_name="Martin")
        meeting = Meeting(body_id=body.id, title="GT", date=dt.date(2025, 1, 14))
        s.add_all([person, meeting])
        s.flush()
        s.add(Attendance(meeting_id=meeting.id, person_id=person.id, status="represente"))

    _fails(db, bad)


def test_concurrent_edit_is_detected(db):
    """Two sessions read the same version; the second write is refused, not merged."""
    first = db._sessions()()
    second = db._sessions()()
    try:
        a1 = first.get(Action, 1)
        a2 = second.get(Action, 1)
        a1.title = "Titre de la première fenêtre"
        first.commit()
        a2.title = "Titre de la seconde fenêtre"
        with pytest.raises(StaleDataError):
            second.commit()
    finally:
        first.close()
        second.close()
    with db.reader() as s:
        assert s.get(Action, 1).title == "Titre de la première fenêtre"
        assert s.get(Action, 1).version == 2
