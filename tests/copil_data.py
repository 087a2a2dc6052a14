"""The COPIL workbook's test base: the Verquin referential plus a programme, meetings and
tasks whose user text is hostile (formulas, error values, a 40 000-character note), and the
SQL the tests use to compute every expected figure themselves (not through the services)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
VERQUIN = ROOT / "resources" / "referentials" / "verquin-3-ilots.toml"
TODAY = dt.date(2025, 9, 15)
YEAR = 2025

HOSTILE = ['=HYPERLINK("http://evil.example","clic")', "@SUM(1)", "-2+3", "#N/A", "+33 6 12", "\tTab", "=1+1"]
LONG_NOTE = "Note très longue. " * 2300  # > 40 000 characters


def build_dataset(db) -> dict:
    """The Verquin referential plus a programme, meetings and tasks with hostile text."""
    from qpv_desk.services.referential import import_referential, read_referential
    from qpv_desk.store import models as M

    import_referential(db, read_referential(VERQUIN))
    with db.session() as s:
        contract = s.query(M.Contract).one()
        quartier = s.query(M.Quartier).one()
        funders = {f.code: f for f in s.query(M.Funder)}
        objectives = {o.code: o for o in s.query(M.Objective)}
        gt = s.query(M.Body).filter_by(code="GT").one()
        copil = s.query(M.Body).filter_by(code="COPIL").one()
        orgs = [M.Organisation(name=name, kind="association") for name in
                ["Association Les Îlots", HOSTILE[0], HOSTILE[1], "Centre social & culturel", HOSTILE[3]]]
        s.add_all(orgs)
        s.flush()
        persons = [M.Person(first_name=f"P{i}", last_name=n, organisation_id=orgs[i % len(orgs)].id)
                   for i, n in enumerate(["Martin", "Durand", HOSTILE[2], "Petit", "Leroy", "Moreau"])]
        s.add_all(persons)
        py = M.ProgrammeYear(contract_id=contract.id, year=YEAR)
        other = M.ProgrammeYear(contract_id=contract.id, year=YEAR - 1)
        s.add_all([py, other])
        s.flush()
        specs = [
            # code, holder, title, objective, status, funding {code: (req, granted)}, cost, planned, reached, qpv, due, received
            ("2025-001", 0, "Atelier cuisine", "1.2.1", "accordee", {"etat_pv": (500000, 450000), "commune": (200000, 200000)},
             1200000, 40, 35, 30, dt.date(2025, 6, 30), None),
            ("2025-002", 1, HOSTILE[5], "1.1.3", "justifiee", {"etat_pv": (300050, 300050), "caf": (100000, 80000)},
             800000, 20, 25, 18, dt.date(2025, 3, 31), dt.date(2025, 3, 1)),
            ("2025-003", 2, HOSTILE[6], "1.2.2", "deposee", {"etat_pv": (700000, None), "epci": (150000, None)},
             1500000, 60, None, None, None, None),
            ("2025-004", 3, "Chantier éducatif", "1.1.1", "refusee", {"etat_pv": (250000, 0)},
             300000, 10, None, None, None, None),
            ("2025-005", 4, "Permanence numérique", "1.1.3", "versee", {"region": (120000, 120000)},
             400000, 15, 12, 10, dt.date(2026, 6, 30), None),
            ("2025-006", 0, "Sans objectif rattaché", None, "abandonnee", {"commune": (50000, None)},
             100000, 5, None, None, None, None),
        ]
        actions = []
        for code, holder, title, obj, status, funding, cost, planned, reached, qpv, due, received in specs:
            a = M.Action(programme_year_id=py.id, quartier_id=quartier.id, code=code, title=title,
                         holder_id=orgs[holder].id, status=status, total_cost_cents=cost,
                         beneficiaries_planned=planned, beneficiaries_reached=reached, beneficiaries_qpv=qpv,
                         review_due=due, review_received=received, review_notes=LONG_NOTE if code == "2025-001" else None,
                         platform_code=f"DOS-{code}")
            if obj:
                a.objective_links.append(M.ActionObjective(objective_id=objectives[obj].id, is_principal=True))
            for fcode, (req, granted) in funding.items():
                a.funding_lines.append(M.FundingLine(funder_id=funders[fcode].id, requested_cents=req, granted_cents=granted))
            actions.append(a)
        # an action of another year must not count
        old = M.Action(programme_year_id=other.id, quartier_id=quartier.id, code="2024-001", title="Ancienne",
                       holder_id=orgs[0].id, status="cloturee", total_cost_cents=999900)
        old.funding_lines.append(M.FundingLine(funder_id=funders["etat_pv"].id, requested_cents=999900, granted_cents=999900))
        s.add_all(actions + [old])
        s.flush()
        m1 = M.Meeting(body_id=gt.id, quartier_id=quartier.id, title="GT de printemps", date=dt.date(2025, 3, 10),
                       status="tenue", place="Mairie & salle " + HOSTILE[4])
        m2 = M.Meeting(body_id=gt.id, title=HOSTILE[0], date=dt.date(2025, 6, 2), status="cr_valide")
        m3 = M.Meeting(body_id=gt.id, title="GT d'automne", date=dt.date(2025, 10, 20), status="prevue")
        m4 = M.Meeting(body_id=copil.id, title="COPIL annuel", date=dt.date(2025, 4, 1), status="tenue")
        m0 = M.Meeting(body_id=gt.id, title="GT 2024", date=dt.date(2024, 11, 5), status="tenue")
        s.add_all([m1, m2, m3, m4, m0])
        s.flush()
        statuses1 = ["present", "present", "excuse", "absent", "distance", "represente"]
        statuses2 = ["present", "absent", "absent", "present", "invite", "excuse"]
        for meeting, statuses in ((m1, statuses1), (m2, statuses2), (m4, statuses1[:3]), (m0, statuses2)):
            for p, st in zip(persons, statuses):
                s.add(M.Attendance(meeting_id=meeting.id, person_id=p.id, organisation_id=p.organisation_id,
                                   status=st, represented_by_id=persons[0].id if st == "represente" else None))
        s.add_all([
            M.FollowUpTask(meeting_id=m1.id, description="Envoyer le bilan " + HOSTILE[1], owner_person_id=persons[0].id,
                           owner_organisation_id=orgs[0].id, due_date=dt.date(2025, 5, 1), status="a_faire"),
            M.FollowUpTask(meeting_id=m2.id, description=LONG_NOTE, owner_organisation_id=orgs[1].id,
                           due_date=dt.date(2025, 12, 1), status="en_cours"),
            M.FollowUpTask(meeting_id=m1.id, description="Déjà fait", due_date=dt.date(2025, 4, 1), status="fait"),
            M.FollowUpTask(description="#N/A", due_date=None, status="a_faire"),
        ])
    return {"today": TODAY, "year": YEAR}


def q(db, sql, **params):
    with db.reader() as s:
        return s.execute(text(sql), params).all()


def cents(value) -> int:
    return round((value or 0) * 100)
