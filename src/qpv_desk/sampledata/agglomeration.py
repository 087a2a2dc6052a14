"""The agglomeration-scale dataset for benchmarks (built by :mod:`qpv_desk.sampledata.build`).

25 quartiers (Verquin's plus 24 generated), programme years 2024–2030, about 5 000
actions, 1 500 meetings, 60 000 attendance rows and 3 000 contacts, all fictitious and
drawn from the caller's ``random.Random``. Written with bulk inserts only.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select

from ..domain.rules import default_review_due
from ..store import models as M
from .common import (
    DEMO_TODAY,
    FIRST_F,
    FIRST_M,
    GRANTED,
    LAST,
    REVIEW_NOTES,
    Rows,
    at,
    funding,
    history,
    opinion_for,
    slug,
)
from .demo import T

D = dt.timedelta
QUARTIERS = 25
YEARS = range(2024, 2031)
ORGS_PER_QUARTIER = 24
PERSONS_PER_ORG = 5
GT_SIZE, COPIL_SIZE, CC_SIZE = 50, 10, 16
COMMUNES = ("Béthune", "Bruay-la-Buissière", "Auchel", "Lillers", "Barlin", "Houdain", "Marles-les-Mines",
            "Calonne-Ricouart", "Nœux-les-Mines", "Beuvry", "Isbergues", "Divion")
PLACES = ("Cité des Fleurs", "Résidence du Parc", "Les Hauts de Plaine", "Quartier de la Gare", "Cité du Moulin",
          "Les Terrasses", "Le Bois Joli", "Cité Saint-Éloi", "Les Peupliers", "Le Val Fleuri", "Cité des Alouettes",
          "Les Jardins d'Artois", "Quartier des Tisserands", "Le Clos Vert", "Cité de la Fosse 5", "Les Acacias",
          "Résidence des Lilas", "Le Mont Fleuri", "Cité Nouvelle", "Les Marronniers", "Quartier du Canal",
          "Cité des Mineurs", "Les Glycines", "Le Pré Vert")
ORG_KINDS = (["association"] * 12 + ["education"] * 3 + ["emploi"] * 2 + ["bailleur"] * 2
             + ["sante", "ccas", "commune", "entreprise", "conseil_citoyen"])
ORG_NAMES = {
    "association": ("Association sportive", "Amicale laïque", "Centre social", "Jardins partagés", "Théâtre",
                    "Épicerie solidaire", "Club de prévention", "Ateliers numériques", "Musique", "Lire et écrire",
                    "Parents solidaires", "Médiation"),
    "education": ("École maternelle", "École élémentaire", "Collège"), "emploi": ("Régie de quartier", "Chantier d'insertion"),
    "bailleur": ("Habitat", "Logis"), "sante": ("Maison de santé",), "ccas": ("CCAS",), "commune": ("Mairie annexe",),
    "entreprise": ("Coopérative",), "conseil_citoyen": ("Conseil citoyen",),
}
FATES = {
    "past": (("cloturee", 52), ("justifiee", 10), ("a_justifier", 10), ("refusee", 10), ("non_recevable", 6),
             ("abandonnee", 3), ("ajournee", 3), ("non_realisee", 2)),
    2026: (("versee", 52), ("notifiee", 10), ("a_justifier", 10), ("justifiee", 5), ("refusee", 9), ("ajournee", 5),
           ("non_recevable", 5), ("abandonnee", 4)),
    2027: (("deposee", 45), ("en_instruction", 45), ("non_recevable", 10)),
}


class Agglomeration:
    def __init__(self, session, rng: random.Random):
        self.s, self.rng, self.r = session, rng, Rows(session)
        self.contract = session.scalar(select(M.Contract))
        self.by_code = {o.code: o.id for o in session.scalars(select(M.Objective))}
        self.objectives = [o.id for o in session.scalars(select(M.Objective).where(M.Objective.depth == 3)
                                                         .order_by(M.Objective.id))]
        self.funders = {f.code: f.id for f in session.scalars(select(M.Funder))}
        self.base_bodies = {b.kind: b.id for b in session.scalars(select(M.Body))}
        self.first_quartier = session.scalar(select(M.Quartier.id))

    def person_name(self):
        rng = self.rng
        female = rng.random() < 0.55
        return ("Mme" if female else "M."), rng.choice(FIRST_F if female else FIRST_M), rng.choice(LAST)

    def build(self, say) -> None:
        say("Quartiers, partenaires et contacts")
        quartiers = [self.first_quartier] + [self.quartier(n) for n in range(1, QUARTIERS)]
        years = {y: self.r.add(M.ProgrammeYear, contract_id=self.contract.id, year=y, call_opens=dt.date(y - 1, 9, 15),
                               call_closes=dt.date(y - 1, 11, 14), notes=None) for y in YEARS}
        say("Instances, programmation et réunions")
        for n, q in enumerate(quartiers):
            people = self.partners(n, q)
            bodies = self.bodies(n, people)
            meetings = self.meetings(n, q, bodies)
            self.programme(n, q, years, people, meetings)
        say("Écriture")
        self.r.flush(self.s)

    def quartier(self, n: int) -> int:
        rng = self.rng
        q = self.r.add(M.Quartier, contract_id=self.contract.id, code=f"QP 062 {100 + n}", name=PLACES[n - 1],
                       status="Quartier prioritaire de la politique de la ville",
                       communes=COMMUNES[n % len(COMMUNES)], surface_ha=Decimal(rng.randint(15, 90)),
                       population=rng.randint(1000, 6000), description=None)
        for pos, (key, label, unit, agglo) in enumerate((("taux_pauvrete", "Taux de pauvreté", "%", 18.8),
                                                          ("part_moins_25_ans", "Part des moins de 25 ans", "%", 31),
                                                          ("part_parc_social", "Part du parc social", "%", 25.6))):
            self.r.add(M.Statistic, quartier_id=q, key=key, label=label, value=Decimal(f"{rng.uniform(20, 60):.1f}"),
                       agglomeration_value=Decimal(str(agglo)), unit=unit, source="Données fictives", year=2022,
                       position=pos)
        return q

    def partners(self, n: int, q: int) -> list[tuple[int, int]]:
        """Organisations and persons of a quartier; returns [(person_id, organisation_id)]."""
        rng, people = self.rng, []
        place = PLACES[n - 1] if n else "3 Îlots"
        stamp = at(dt.date(2024, 9, 2))
        for i, kind in enumerate(ORG_KINDS):
            name = f"{ORG_NAMES[kind][i % len(ORG_NAMES[kind])]} {place}"
            domain = f"{slug(name)[:40].strip('-')}-{n}.example"
            org = self.r.add(M.Organisation, name=name, acronym=None, kind=kind, address=f"{rng.randint(1, 90)} rue Fictive",
                             postcode="62400", city=COMMUNES[n % len(COMMUNES)], email=f"contact@{domain}",
                             phone=f"03 53 01 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}", active=True,
                             created_at=stamp, updated_at=stamp)
            for j in range(PERSONS_PER_ORG):
                civ, first, last = self.person_name()
                pid = self.r.add(M.Person, civility=civ, first_name=first, last_name=last,
                                 function=("Président(e)", "Directeur(rice)", "Coordinateur(rice)", "Animateur(rice)",
                                           "Chargé(e) de mission")[j],
                                 organisation_id=org, email=f"{slug(first)}.{slug(last)}.{j}@{domain}",
                                 phone=f"06 39 98 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}", notes=None,
                                 active=True, anonymised_on=None, created_at=stamp, updated_at=stamp)
                people.append((pid, org))
        return people

    def bodies(self, n: int, people) -> dict[str, tuple[int, list]]:
        rng, out = self.rng, {}
        pool = list(people)
        rng.shuffle(pool)
        for kind, size, code in (("gt", GT_SIZE, "GT"), ("copil", COPIL_SIZE, "COPIL"), ("conseil_citoyen", CC_SIZE, "CC")):
            if n == 0:
                body = self.base_bodies[kind]
            else:
                body = self.r.add(M.Body, contract_id=self.contract.id, code=f"{code}-{n:02d}",
                                  name=f"{dict(gt='Groupe technique', copil='Comité de pilotage', conseil_citoyen='Conseil citoyen')[kind]} "
                                       f"{PLACES[n - 1]}", kind=kind, quorum=None, description=None, active=True)
            members = pool[:size] if kind != "conseil_citoyen" else pool[-size:]
            for i, (pid, org) in enumerate(members):
                self.r.add(M.Membership, body_id=body, person_id=pid, organisation_id=org, seat=None,
                           role="president" if i == 0 and kind != "gt" else ("secretariat" if i == 0 else "membre"),
                           start_date=dt.date(2024, 9, 1), end_date=None)
            out[kind] = (body, members, [p for p in pool if p not in members][:6])
        return out

    def meetings(self, n: int, q: int, bodies) -> dict:
        rng, shift, out = self.rng, D(n % 5), {}
        for year in YEARS:
            plan = [("gt", (1, 20), "Examen des demandes (1/2)"), ("gt", (2, 10), "Examen des demandes (2/2)"),
                    ("copil", (3, 24), "Comité de pilotage : programmation"), ("gt", (4, 14), "Retour du comité"),
                    ("gt", (6, 16), "Point d'étape"), ("gt", (9, 22), "Appel à projets"),
                    ("copil", (10, 13), "Comité de pilotage : suivi"), ("gt", (11, 17), "Suivi des bilans")]
            if year % 2 == 0:
                plan.append(("conseil_citoyen", (5, 19), "Conseil citoyen"))
            for kind, (month, day), title in plan:
                date = dt.date(year, month, day) + shift
                body, members, outsiders = bodies[kind]
                status = "prevue" if date > DEMO_TODAY else "cr_valide"
                mid = self.r.add(M.Meeting, body_id=body, quartier_id=q, title=f"{title} {year}", date=date,
                                 start_time=dt.time(9, 30), end_time=dt.time(12, 0), place="Salle polyvalente",
                                 status=status, secretary_id=members[0][0], next_meeting_date=None, notes=None,
                                 created_at=at(date - D(21)), updated_at=at(date - D(21)))
                items = [self.r.add(M.AgendaItem, meeting_id=mid, position=i + 1, title=t, presenter_id=members[0][0],
                                    duration_min=20, objective_id=rng.choice(self.objectives) if i == 1 else None,
                                    action_id=None, discussion=None)
                         for i, t in enumerate(("Approbation du compte rendu", title, "Point d'étape", "Questions diverses"))]
                guests = outsiders[:rng.randint(1, 3)] if kind != "conseil_citoyen" else []
                for pid, org in members:
                    if status == "prevue":
                        st, by = "invite", None
                    else:
                        st = rng.choices(("present", "distance", "excuse", "represente", "absent"), (62, 8, 15, 5, 10))[0]
                        by = outsiders[0][0] if st == "represente" and outsiders[0][1] == org else None
                        if st == "represente" and by is None:
                            st = "excuse"
                    self.r.add(M.Attendance, meeting_id=mid, person_id=pid, organisation_id=org, guest=False, status=st,
                               represented_by_id=by)
                for pid, org in guests:
                    self.r.add(M.Attendance, meeting_id=mid, person_id=pid, organisation_id=org, guest=True,
                               status="invite" if status == "prevue" else "present", represented_by_id=None)
                if status != "prevue":
                    self.r.add(M.Decision, meeting_id=mid, agenda_item_id=items[2], position=0, kind="information",
                               text=f"Point d'étape présenté ({title.lower()}).", objective_id=None, action_id=None,
                               opinion=None)
                    for k in range(2):
                        due = date + D(rng.randint(14, 90))
                        st = "fait" if due < DEMO_TODAY and rng.random() < 0.8 else rng.choice(("a_faire", "en_cours"))
                        self.r.add(M.FollowUpTask, meeting_id=mid, agenda_item_id=items[2],
                                   description=f"Suite à donner n° {k + 1}", owner_person_id=members[k][0],
                                   owner_organisation_id=members[k][1], due_date=due, status=st,
                                   done_on=min(due, DEMO_TODAY) if st == "fait" else None, objective_id=None,
                                   action_id=None, notes=None, created_at=at(date, 17), updated_at=at(date, 17))
                out[(year, month)] = (date, mid, items[1])
        return out

    def programme(self, n, q, years, people, meetings) -> None:
        rng = self.rng
        holders = sorted({org for _, org in people})
        contact = {}
        for pid, org in people:
            contact.setdefault(org, pid)
        previous: dict[str, int] = {}  # template → last action of this quartier built on it
        for year in YEARS:
            earlier = dict(previous)
            count = 28 + ((n * 7 + year) % 7 < 4)
            table = FATES["past"] if year < 2026 else FATES.get(year, FATES[2027])
            for i in range(count):
                fate = rng.choices([f for f, _ in table], [w for _, w in table])[0]
                if year > 2027:
                    fate = "deposee"
                holder = rng.choice(holders)
                template = rng.choice(T)
                renewal = template[0] in earlier and rng.random() < 0.8
                cost = rng.randint(15, 600) * 10000
                start, end = dt.date(year, rng.randint(1, 4), 1), dt.date(year, 12, 31)
                deposit = dt.date(year - 1, 10, 1) + D(rng.randint(0, 43))
                received = None
                if fate in ("justifiee", "cloturee"):
                    received = min(end + D(rng.randint(30, 200)), DEMO_TODAY - D(50))
                if year == 2026 and fate in ("a_justifier", "justifiee"):
                    end = dt.date(2026, 6, 30)
                    received = dt.date(2026, 10, 15) if fate == "justifiee" else None
                aid = self.r.add(
                    M.Action, programme_year_id=years[year], quartier_id=q, code=f"Q{n:02d}-{year}-{i + 1:03d}",
                    title=template[2], holder_id=holder, contact_id=contact[holder], description=template[11],
                    target_public=template[10], place=None, start_date=start, end_date=end, is_renewal=renewal,
                    multi_year=False, platform_code=f"{year - 1}-{n:02d}{i:03d}" if "etat_pv" in template[6] else None,
                    predecessor_id=earlier[template[0]] if renewal else None, status="deposee",
                    total_cost_cents=cost, beneficiaries_planned=rng.randint(10, 300), beneficiaries_reached=None,
                    beneficiaries_qpv=None, progress=None,
                    review_due=default_review_due(end) if fate in GRANTED else None, review_received=received,
                    review_notes=rng.choice(REVIEW_NOTES) if received else None,
                    created_at=at(deposit), updated_at=at(deposit))
                row = self.r.rows[M.Action][-1]
                previous[template[0]] = aid
                objectives = [self.by_code[c] for c in [template[4], *template[5]]]
                for k, oid in enumerate(objectives):
                    self.r.add(M.ActionObjective, action_id=aid, objective_id=oid, is_principal=k == 0)
                for code, requested, granted, paid in funding(rng, cost, template[6].split(), fate):
                    self.r.add(M.FundingLine, action_id=aid, funder_id=self.funders[code], requested_cents=requested,
                               granted_cents=granted, paid_cents=paid)
                label, unit, target = template[9]
                self.r.add(M.Indicator, action_id=aid, position=0, label=label, unit=unit, target=Decimal(target),
                           result=Decimal(int(target * rng.uniform(0.7, 1.15))) if fate in ("justifiee", "cloturee")
                           else None)
                gt = copil = None
                if fate not in ("deposee", "en_instruction", "non_recevable"):
                    opinion = opinion_for(rng, fate)
                    gdate, gmid, gitem = meetings[(year, 1 + i % 2)]
                    gdec = self.r.add(M.Decision, meeting_id=gmid, agenda_item_id=gitem, position=i + 1, kind="avis",
                                      text=f"Avis {opinion.label.lower()}.", objective_id=objectives[0], action_id=aid,
                                      opinion=opinion.value)
                    cdate, cmid, citem = meetings[(year, 3)]
                    cdec = self.r.add(M.Decision, meeting_id=cmid, agenda_item_id=citem, position=i + 1, kind="decision",
                                      text={"refusee": "Refusée.", "ajournee": "Ajournée."}.get(fate, "Accordée."),
                                      objective_id=objectives[0], action_id=aid, opinion=None)
                    gt, copil = (gdate, gmid, gdec, opinion), (cdate, cmid, cdec)
                chain = history(rng, fate, deposit, gt, copil, end, received, DEMO_TODAY)
                for status, day, meeting, decision, note in chain:
                    self.r.add(M.ActionStatusChange, action_id=aid, status=status, date=day, meeting_id=meeting,
                               decision_id=decision, note=note, recorded_at=at(day, 11))
                row["status"], row["updated_at"] = chain[-1][0], at(chain[-1][1], 11)
