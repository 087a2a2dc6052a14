"""Data for the meeting tests: the Verquin referential plus partners, seats in the GT and an action."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

VERQUIN_TOML = Path(__file__).resolve().parents[1] / "resources" / "referentials" / "verquin-3-ilots.toml"

GT_DAY = dt.date(2025, 1, 14)


@dataclass
class World:
    gt_id: int
    copil_id: int
    persons: dict[str, int] = field(default_factory=dict)
    orgs: dict[str, int] = field(default_factory=dict)
    action_id: int | None = None


def build_world(db, *, quorum: int | None = 4, extra_members: int = 0) -> World:
    """Referential + 6 organisations, 8 persons, GT seats (one ended, one not yet started)."""
    from qpv_desk.services.referential import import_referential, read_referential
    from qpv_desk.store.models import (
        Action,
        Body,
        Contract,
        Membership,
        Organisation,
        Person,
        ProgrammeYear,
    )

    import_referential(db, read_referential(VERQUIN_TOML))
    with db.session() as s:
        gt = s.execute(select(Body).where(Body.code == "GT")).scalar_one()
        copil = s.execute(select(Body).where(Body.code == "COPIL")).scalar_one()
        gt.quorum = quorum
        world = World(gt.id, copil.id)
        commune = s.execute(select(Organisation).where(Organisation.name == "Commune de Verquin")).scalar_one()
        orgs = {"commune": commune}
        for key, name, kind in (
            ("ccas", "CCAS de Verquin", "ccas"),
            ("asso", "Association Les Îlots Solidaires", "association"),
            ("bailleur", "Pas-de-Calais Habitat", "bailleur"),
            ("caf", "CAF du Pas-de-Calais", "caf"),
            ("etat", "Préfecture du Pas-de-Calais", "etat"),
        ):
            orgs[key] = Organisation(name=name, kind=kind)
            s.add(orgs[key])
        s.flush()
        people = {
            "referente": ("Mme", "Claire", "Martin", "Référente QPV", "commune"),
            "ccas": ("M.", "Paul", "Durand", "Directeur", "ccas"),
            "asso": ("Mme", "Nadia", "Benali", "Coordinatrice", "asso"),
            "bailleur": ("M.", "Marc", "Lefebvre", "Chargé de GUSP", "bailleur"),
            "caf": ("Mme", "Sophie", "Petit", "Conseillère territoriale", "caf"),
            "etat": ("M.", "Jean", "Roux", "Délégué du préfet", "etat"),
            "ancien": ("M.", "Luc", "Ancien", "Ancien directeur", "ccas"),
            "futur": ("Mme", "Eva", "Future", "Future chargée", "bailleur"),
            "suppleant": ("Mme", "Ines", "Adjointe", "Adjointe", "ccas"),
        }
        for key, (civ, first, last, function, org) in people.items():
            p = Person(civility=civ, first_name=first, last_name=last, function=function,
                       organisation_id=orgs[org].id, email=f"{last.lower()}@example.org")
            s.add(p)
            s.flush()
            world.persons[key] = p.id
        world.orgs = {k: o.id for k, o in orgs.items()}
        seat = s.execute(select(Membership).where(Membership.body_id == gt.id,
                                                  Membership.seat == "Référente QPV")).scalar_one()
        seat.person_id = world.persons["referente"]
        for key in ("ccas", "asso", "bailleur", "caf"):
            s.add(Membership(body_id=gt.id, person_id=world.persons[key], organisation_id=orgs[key].id))
        # the state's delegate sits without an organisation on the seat: the person's is used
        s.add(Membership(body_id=gt.id, person_id=world.persons["etat"], role="invite_permanent"))
        s.add(Membership(body_id=gt.id, person_id=world.persons["ancien"], organisation_id=orgs["ccas"].id,
                         start_date=dt.date(2020, 1, 1), end_date=dt.date(2024, 6, 30)))
        s.add(Membership(body_id=gt.id, person_id=world.persons["futur"], organisation_id=orgs["bailleur"].id,
                         start_date=dt.date(2025, 6, 1)))
        s.add(Membership(body_id=gt.id, seat="Siège vacant", organisation_id=orgs["caf"].id))
        for n in range(extra_members):
            p = Person(first_name=f"Prénom{n:04d}", last_name=f"Membre{n:04d}", function="Membre",
                       organisation_id=orgs["asso"].id if n % 2 else orgs["caf"].id)
            s.add(p)
            s.flush()
            s.add(Membership(body_id=gt.id, person_id=p.id, organisation_id=p.organisation_id))
        contract = s.execute(select(Contract)).scalar_one()
        year = ProgrammeYear(contract_id=contract.id, year=2025)
        s.add(year)
        s.flush()
        action = Action(programme_year_id=year.id, code="2025-01", title="Atelier de remobilisation",
                        holder_id=orgs["asso"].id, status="en_instruction", total_cost_cents=1_200_000)
        s.add(action)
        s.flush()
        world.action_id = action.id
    return world
