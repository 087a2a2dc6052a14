"""Two contracts side by side: a second commune's referential never takes over the first's bodies
(issue 15, item 13)."""

from __future__ import annotations

from sqlalchemy import select

from qpv_desk.services.referential import import_referential, parse_text, read_referential
from qpv_desk.store.models import Body, Contract, Membership, Objective

from conftest import VERQUIN_TOML

TEXT = VERQUIN_TOML.read_text(encoding="utf-8")
SECOND = (TEXT.replace('code = "EQ2030-VERQUIN"', 'code = "EQ2030-LABOURSE"', 1)
          .replace('commune = "Verquin"', 'commune = "Labourse"', 1)
          .replace('name = "Comité de pilotage"', 'name = "Comité de pilotage de Labourse"', 1)
          .replace('name = "Groupe technique"', 'name = "Groupe technique de Labourse"', 1))


def bodies_of(s, contract_code):
    contract = s.scalars(select(Contract).where(Contract.code == contract_code)).one()
    return {b.code: b for b in s.scalars(select(Body).where(Body.contract_id == contract.id))}


def test_second_commune_keeps_its_own_bodies_seats_and_objectives(empty_db):
    first = read_referential(VERQUIN_TOML)
    import_referential(empty_db, first)
    with empty_db.reader() as s:
        before = {code: (b.id, b.name) for code, b in bodies_of(s, "EQ2030-VERQUIN").items()}
        seats_before = sorted((m.body_id, m.seat, m.role) for m in s.scalars(select(Membership)))
    assert {"COPIL", "GT"} <= set(before)

    import_referential(empty_db, parse_text(SECOND, "labourse.toml"))
    with empty_db.reader() as s:
        verquin = bodies_of(s, "EQ2030-VERQUIN")
        labourse = bodies_of(s, "EQ2030-LABOURSE")
        assert {code: (b.id, b.name) for code, b in verquin.items()} == before  # untouched, not renamed
        assert labourse["COPIL"].name == "Comité de pilotage de Labourse"
        assert labourse["COPIL"].id != verquin["COPIL"].id
        seats = sorted((m.body_id, m.seat, m.role) for m in s.scalars(select(Membership))
                       if m.body_id in {b.id for b in verquin.values()})
        assert seats == seats_before
        assert s.query(Membership).filter(Membership.body_id == labourse["COPIL"].id).count() > 0
        per_contract = {}
        for o in s.scalars(select(Objective)):
            per_contract.setdefault(o.contract_id, set()).add(o.code)
        assert len(per_contract) == 2 and len(set(map(frozenset, per_contract.values()))) == 1

    # re-importing the first commune keeps both side by side
    import_referential(empty_db, first)
    with empty_db.reader() as s:
        assert bodies_of(s, "EQ2030-LABOURSE")["COPIL"].name == "Comité de pilotage de Labourse"
        assert bodies_of(s, "EQ2030-VERQUIN")["COPIL"].name == before["COPIL"][1]
