"""Data for the history and personal-data tests: one contact with a trace in every part of the base."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

VERQUIN_TOML = Path(__file__).resolve().parents[1] / "resources" / "referentials" / "verquin-3-ilots.toml"


@dataclass
class People:
    amina: int  # the person whose data is exported / anonymised
    jean: int  # another contact, represented by Amina at the GT
    nouvelle: int  # a contact created today, without activity yet
    org: int
    body: int
    meeting: int
    action: int


def build_people(db) -> People:
    from qpv_desk.services.common import record_change
    from qpv_desk.services.referential import import_referential, read_referential
    from qpv_desk.store.models import (
        Action,
        Attendance,
        Body,
        Contract,
        FollowUpTask,
        Meeting,
        Membership,
        Organisation,
        Person,
        ProgrammeYear,
    )

    import_referential(db, read_referential(VERQUIN_TOML))
    with db.session() as s:
        contract = s.scalars(select(Contract)).first()
        body = s.scalars(select(Body).where(Body.code == "GT")).one()
        org = Organisation(name="Centre social Les Îlots", kind="association")
        s.add(org)
        s.flush()
        amina = Person(civility="Mme", first_name="Amina", last_name="Benhaddou", function="Directrice",
                       organisation_id=org.id, email="amina.benhaddou@example.org", phone="03 21 00 11 22",
                       notes="Préfère être appelée le matin")
        jean = Person(civility="M.", first_name="Jean", last_name="Dupuis", function="Bénévole")
        nouvelle = Person(first_name="Léa", last_name="Nouvel")
        s.add_all([amina, jean, nouvelle])
        s.flush()
        record_change(s, "person", amina.id, "create",
                      {"first_name": "Amina", "last_name": "Benhaddou", "email": "amina.benhaddou@example.org"})
        s.add(Membership(body_id=body.id, person_id=amina.id, organisation_id=org.id, seat="Centre social",
                         role="membre", start_date=dt.date(2024, 1, 1), end_date=dt.date(2025, 12, 31)))
        meeting = Meeting(body_id=body.id, title="GT de mars", date=dt.date(2025, 3, 10), status="tenue",
                          secretary_id=jean.id)
        s.add(meeting)
        s.flush()
        s.add_all([
            Attendance(meeting_id=meeting.id, person_id=amina.id, organisation_id=org.id, status="present"),
            Attendance(meeting_id=meeting.id, person_id=jean.id, status="represente", represented_by_id=amina.id),
        ])
        year = ProgrammeYear(contract_id=contract.id, year=2025)
        s.add(year)
        s.flush()
        action = Action(programme_year_id=year.id, code="A01", title="=SOMME(A1:A9) atelier", holder_id=org.id,
                        contact_id=amina.id, start_date=dt.date(2025, 2, 1), end_date=dt.date(2025, 11, 30),
                        status="accordee")
        s.add(action)
        s.flush()
        record_change(s, "action", action.id, "update",
                      {"status": ["deposee", "accordee"], "contact_id": [None, amina.id],
                       "notes": "Contact : Amina Benhaddou (amina.benhaddou@example.org)"})
        s.add(FollowUpTask(description="Envoyer le bilan", owner_person_id=amina.id, due_date=dt.date(2025, 4, 1),
                           meeting_id=meeting.id, status="fait", done_on=dt.date(2025, 3, 28)))
        return People(amina.id, jean.id, nouvelle.id, org.id, body.id, meeting.id, action.id)
