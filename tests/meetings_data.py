"""Data for the meeting tests: the Verquin referential plus partners, seats in the GT and an action;
a meeting document built by hand (no base) and a one-pixel PNG for the letterhead."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from qpv_desk.domain import enums as E
from qpv_desk.services.meetings import DocAgendaItem, DocAttendee, DocDecision, DocTask, MeetingDocument

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


def sample_document(**overrides) -> MeetingDocument:
    """A GT's minutes with every kind of attendance, decision and task; ``overrides`` replace fields."""
    S = E.AttendanceStatus
    attendees = (
        DocAttendee("Nadia Benali", "Association Les Îlots Solidaires", "Coordinatrice", S.PRESENT,
                    civility="Mme", last_name="Benali", first_name="Nadia"),
        DocAttendee("Sophie Petit", "CAF du Pas-de-Calais", "Conseillère", S.EXCUSE,
                    civility="Mme", last_name="Petit", first_name="Sophie"),
        DocAttendee("Paul Durand", "CCAS de Verquin", "Directeur", S.ABSENT,
                    civility="M.", last_name="Durand", first_name="Paul"),
        DocAttendee("Claire Martin", "Commune de Verquin", "Référente QPV", S.PRESENT,
                    civility="Mme", last_name="Martin", first_name="Claire"),
        DocAttendee("Marc Lefebvre", "Pas-de-Calais Habitat", "Chargé de GUSP", S.REPRESENTE, "Eva Future",
                    civility="M.", last_name="Lefebvre", first_name="Marc"),
        DocAttendee("Jean Roux", "Préfecture du Pas-de-Calais", "Délégué du préfet", S.DISTANCE,
                    civility="M.", last_name="Roux", first_name="Jean"),
        DocAttendee("Ines Adjointe", "", "Adjointe", S.PRESENT, guest=True,
                    civility="Mme", last_name="Adjointe", first_name="Ines"),
    )
    agenda = (
        DocAgendaItem(1, "Approbation du compte rendu", "Claire Martin", 10, "",
                      "Aucune remarque.", (DocDecision(E.DecisionKind.DECISION, "Compte rendu approuvé."),)),
        DocAgendaItem(2, "Demandes de subvention 2025", "", 60, "Action 2025-01 – Atelier",
                      "Présentation du projet.\nDébat sur le public visé.",
                      (DocDecision(E.DecisionKind.AVIS, "À articuler avec le PRE.", E.Opinion.FAVORABLE,
                                   "2025-01 – Atelier"),
                       DocDecision(E.DecisionKind.INFORMATION, "Le calendrier du COPIL est rappelé."))),
    )
    tasks = (DocTask("Claire Martin", "Transmettre les avis au COPIL", dt.date(2025, 2, 1), E.TaskStatus.A_FAIRE),)
    review = (
        DocTask("Nadia Benali", "Envoyer le bilan 2024", dt.date(2024, 12, 15), E.TaskStatus.A_FAIRE, True,
                dt.date(2024, 11, 5)),
        DocTask("Pas-de-Calais Habitat", "Réunir les bailleurs", None, E.TaskStatus.FAIT, False,
                dt.date(2024, 11, 5), dt.date(2025, 1, 6)),
    )
    values = dict(
        meeting_id=1, commune="Verquin", contract="Contrat de ville", quartier="3 Îlots", body_code="GT",
        body_name="Groupe technique", title="Groupe technique", date=GT_DAY, start_time=dt.time(14),
        end_time=dt.time(16, 30), place="Salle du conseil", status=E.MeetingStatus.TENUE, secretary="Claire Martin",
        secretary_function="Référente QPV", secretary_contact="claire@example.org", quorum=4,
        attendees=attendees, agenda=agenda, tasks=tasks, review=review, next_meeting_date=dt.date(2025, 2, 11),
        today=dt.date(2025, 1, 6),
    )
    values.update(overrides)
    return MeetingDocument(**values)


def tiny_png() -> bytes:
    """A valid one-pixel PNG (a logo)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00\x1f\x4e\x79" * 1  # one pixel, RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
