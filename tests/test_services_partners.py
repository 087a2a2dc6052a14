"""Partners services on SQLite and PostgreSQL: validation, search, history, deletion rules."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from qpv_desk.domain.errors import ConflictError, NotFoundError, ReferencedError, ValidationError
from qpv_desk.services import partners as P
from qpv_desk.services.referential import import_referential, read_referential
from qpv_desk.store.models import Attendance, Body, ChangeLog, Meeting, Organisation, Person

from conftest import VERQUIN_TOML

VALID_SIRET = "73282932000074"


@pytest.fixture
def db(empty_db):
    import_referential(empty_db, read_referential(VERQUIN_TOML))
    return empty_db


def count(db, model) -> int:
    with db.reader() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_create_and_update_organisation_records_history(db):
    org_id = P.create_organisation(db, {"name": "  Centre social Les Tilleuls ", "kind": "association",
                                        "email": "contact@tilleuls.fr", "siret": "732 829 320 00074",
                                        "postcode": "62131", "city": "Verquin"})
    org = P.get_organisation(db, org_id)
    assert org.name == "Centre social Les Tilleuls"
    assert org.siret == VALID_SIRET
    assert org.kind_label == "Association"
    version = P.update_organisation(db, org_id, {"phone": "03 21 00 00 00"}, expected_version=org.version)
    assert version == org.version + 1
    with pytest.raises(ConflictError):
        P.update_organisation(db, org_id, {"phone": "03 21 00 00 01"}, expected_version=org.version)
    with db.reader() as s:
        ops = s.scalars(select(ChangeLog.operation).where(ChangeLog.entity == "organisation",
                                                          ChangeLog.entity_id == org_id)).all()
    assert ops == ["create", "update"]


def test_bad_input_names_every_field_and_saves_nothing(db):
    before = count(db, Organisation)
    with pytest.raises(ValidationError) as info:
        P.create_organisation(db, {"name": "", "siret": "12345678901234", "email": "pas-une-adresse"})
    assert set(info.value.errors) == {"name", "siret", "email"}
    assert "SIRET" in info.value.errors["siret"]
    assert "n'est pas une adresse électronique valide" in info.value.errors["email"]
    assert count(db, Organisation) == before
    with pytest.raises(ValidationError) as info:
        P.create_organisation(db, {"name": "X", "kind": "martien"})
    assert info.value.field == "kind"


def test_text_edge_cases(db):
    notes = "n" * 100_000
    with pytest.raises(ValidationError) as refused:
        P.create_organisation(db, {"name": "=SOMME(A1)\x00\x07 Asso", "notes": notes})
    assert refused.value.field == "name" and "U+0000" in str(refused.value)
    org_id = P.create_organisation(db, {"name": "=SOMME(A1) Asso", "notes": notes})
    org = P.get_organisation(db, org_id)
    assert org.name == "=SOMME(A1) Asso"  # « = » kept as typed
    assert org.notes == notes


def test_unknown_ids(db):
    with pytest.raises(NotFoundError):
        P.get_organisation(db, 999_999)
    with pytest.raises(NotFoundError):
        P.update_person(db, 999_999, {"last_name": "X"}, expected_version=1)
    with pytest.raises(ValidationError) as info:
        P.create_person(db, {"last_name": "Martin", "organisation_id": 999_999})
    assert info.value.field == "organisation_id"
    with pytest.raises(NotFoundError):
        P.delete_person(db, "abc")


def test_search_is_case_and_accent_insensitive(db):
    org_id = P.create_organisation(db, {"name": "Maison de l'Été", "kind": "association"})
    P.create_person(db, {"civility": "Mme", "first_name": "Hélène", "last_name": "Bœuf", "organisation_id": org_id,
                         "function": "Directrice"})
    P.create_person(db, {"civility": "M.", "first_name": "Paul", "last_name": "Durand"})
    assert [p.last_name for p in P.list_persons(db, search="helene")] == ["Bœuf"]
    assert [p.last_name for p in P.list_persons(db, search="HÉLÈNE boeuf")] == ["Bœuf"]
    assert [p.last_name for p in P.list_persons(db, search="l'ete")] == ["Bœuf"]  # via the organisation
    assert [o.name for o in P.list_organisations(db, search="ÉTÉ")] == ["Maison de l'Été"]
    assert P.list_persons(db, search="100%") == []
    names = [p.last_name for p in P.list_persons(db, sort="last_name", descending=True)]
    assert names == sorted(names, key=str.lower, reverse=True)
    assert all(o.kind.value == "association" for o in P.list_organisations(db, kind="association"))


def test_deactivate_and_filter(db):
    pid = P.create_person(db, {"last_name": "Durand"})
    P.set_person_active(db, pid, False, expected_version=1)
    assert pid not in {p.id for p in P.list_persons(db, active=True)}
    assert pid in {p.id for p in P.list_persons(db, active=False)}
    P.set_person_active(db, pid, True, expected_version=2)
    assert P.get_person(db, pid).active


def test_delete_refused_when_referenced(db):
    org_id = P.create_organisation(db, {"name": "Asso"})
    pid = P.create_person(db, {"last_name": "Durand", "organisation_id": org_id})
    with db.session() as s:
        body = s.scalars(select(Body)).first()
        for day in (1, 2):
            m = Meeting(body_id=body.id, title=f"GT {day}", date=dt.date(2025, 3, day))
            s.add(m)
            s.flush()
            s.add(Attendance(meeting_id=m.id, person_id=pid, organisation_id=org_id))
    with pytest.raises(ReferencedError) as info:
        P.delete_person(db, pid)
    assert str(info.value) == "Ce contact figure dans 2 réunions : il peut être désactivé mais pas supprimé."
    with pytest.raises(ReferencedError) as info:
        P.delete_organisation(db, org_id)
    assert "1 contact" in str(info.value) and "2 réunions" in str(info.value)
    free = P.create_person(db, {"last_name": "Libre"})
    P.delete_person(db, free)
    with pytest.raises(NotFoundError):
        P.get_person(db, free)


def test_memberships_create_update_end(db):
    body = next(b for b in P.list_bodies(db) if b.code == "GT")
    before = len(P.memberships(db, body.id))
    pid = P.create_person(db, {"last_name": "Martin", "first_name": "Léa"})
    org_id = P.create_organisation(db, {"name": "CAF du Pas-de-Calais", "kind": "caf"})
    mid = P.create_membership(db, {"body_id": body.id, "person_id": pid, "organisation_id": org_id,
                                   "role": "membre", "start_date": "01/01/2024"})
    current = P.memberships(db, body.id)
    assert len(current) == before + 1
    row = next(r for r in current if r.id == mid)
    assert row.person_name == "Léa Martin" and row.organisation_name == "CAF du Pas-de-Calais"
    with pytest.raises(ValidationError) as info:
        P.update_membership(db, mid, {"end_date": "31/12/2023"}, expected_version=row.version)
    assert "précède" in str(info.value)
    P.update_membership(db, mid, {"role": "suppleant"}, expected_version=row.version)
    P.end_membership(db, mid, dt.date.today() - dt.timedelta(days=1), expected_version=row.version + 1)
    assert mid not in {r.id for r in P.memberships(db, body.id)}
    assert mid in {r.id for r in P.memberships(db, body.id, include_ended=True)}
    assert mid in {r.id for r in P.memberships(db, body.id, on=dt.date(2024, 6, 1))}
    with pytest.raises(ValidationError):
        P.create_membership(db, {"body_id": body.id})
    with pytest.raises(ValidationError) as info:
        P.create_membership(db, {"body_id": body.id, "person_id": pid, "start_date": "2025-02-01",
                                 "end_date": "2025-01-01"})
    assert info.value.field == "end_date"
    with pytest.raises(ReferencedError):
        P.delete_person(db, pid)


def test_nothing_partial_on_failure(db):
    before_people = count(db, Person)
    with pytest.raises(ValidationError):
        P.create_person(db, {"last_name": "Martin", "email": "martin@", "phone": "abc"})
    assert count(db, Person) == before_people


def test_listings_use_a_fixed_number_of_queries(db):
    from sqlalchemy import event

    org_ids = [P.create_organisation(db, {"name": f"Organisation {i}"}) for i in range(15)]
    for i, org in enumerate(org_ids * 2):
        P.create_person(db, {"last_name": f"Nom {i}", "organisation_id": org})
    body = next(b for b in P.list_bodies(db) if b.code == "COPIL")
    statements = []

    def count_statement(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count_statement)
    try:
        assert len(P.list_persons(db, search="nom")) == 30
        assert len(P.list_organisations(db)) >= 15
        P.memberships(db, body.id, include_ended=True)
        P.list_bodies(db)
    finally:
        event.remove(db.engine, "before_cursor_execute", count_statement)
    assert len(statements) <= 5, statements
