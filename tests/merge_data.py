"""Two small commune bases for the merge tests (issue 16), built through the services: they
share the contract « EQ2030-CABBALR » (same objective tree) and differ by their quartiers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from qpv_desk.services import meetings, partners
from qpv_desk.services import programme as P
from qpv_desk.services.referential import import_referential, parse_text
from qpv_desk.store.models import Body, Objective, Quartier

REFERENTIAL = """
format = 1
[contract]
code = "{contract}"
name = "Contrat de ville Engagements Quartiers 2030"
epci = "CABBALR"
commune = "{commune}"
start_year = 2024
end_year = 2030

[[levels]]
name = "Enjeu"
[[levels]]
name = "Objectif"

[[quartiers]]
code = "{q1}"
name = "Quartier un de {commune}"
status = "QPV"
communes = ["{commune}"]
[[quartiers]]
code = "{q2}"
name = "Quartier deux de {commune}"
status = "QPV"
communes = ["{commune}"]

[[objectives]]
code = "1"
title = "Cohésion sociale"
[[objectives]]
code = "1.1"
parent = "1"
title = "Lien social"
[[objectives]]
code = "{leaf}"
parent = "1"
title = "Accès aux droits"

[[funders]]
code = "etat_pv"
name = "État – BOP 147"
state = true
[[funders]]
code = "commune"
name = "Commune"

[[bodies]]
code = "GT"
name = "Groupe technique"
kind = "gt"
"""


def build_commune(db, commune: str, quartiers: tuple[str, str], shared_name: str, own: str, *,
                  contract: str = "EQ2030-CABBALR", leaf: str = "1.2") -> dict:
    """A commune's base through the services: referential, three organisations, two
    contacts, a GT meeting with both invited, an action held by the shared organisation
    and its renewal the next year."""
    import_referential(db, parse_text(REFERENTIAL.format(contract=contract, commune=commune, q1=quartiers[0],
                                                         q2=quartiers[1], leaf=leaf), f"{commune}.toml"))
    ids = {
        "shared": partners.create_organisation(db, {"name": shared_name, "kind": "association"}),
        "own": partners.create_organisation(db, {"name": own, "kind": "association"}),
        "ml": partners.create_organisation(db, {"name": "Mission locale", "kind": "emploi"}),
    }
    ids["director"] = partners.create_person(db, {"civility": "Mme", "first_name": "Anne", "last_name": f"Directrice {commune}",
                                                  "organisation_id": ids["shared"]})
    ids["counsellor"] = partners.create_person(db, {"civility": "M.", "first_name": "Paul", "last_name": "Conseiller",
                                                    "organisation_id": ids["ml"]})
    with db.reader() as s:
        gt = s.scalar(select(Body.id).where(Body.code == "GT"))
        objective = s.scalar(select(Objective.id).where(Objective.code == "1.1"))
        quartier = s.scalar(select(Quartier.id).where(Quartier.code == quartiers[0]))
    ids["meeting"] = meetings.create_meeting(db, gt, dt.date(2026, 3, 12), quartier_id=quartier)
    for person in (ids["director"], ids["counsellor"]):
        meetings.add_guest(db, ids["meeting"], person)
    ids["action"] = P.create_action(db, 2026, {"title": f"Ateliers de {commune}", "holder_id": ids["shared"],
                                               "contact_id": ids["director"], "objectives": [(objective, True)],
                                               "quartier_id": quartier})
    ids["renewal"] = P.renew_action(db, ids["action"], 2027)
    return ids


def build_target(db) -> dict:
    """The agglomeration's base: Verquin, which knows the « Centre social Les Îlots » too."""
    return build_commune(db, "Verquin", ("QP 06 20 09", "QIC VERQUIN"), "Centre social Les Îlots", "Théâtre de Verquin")
