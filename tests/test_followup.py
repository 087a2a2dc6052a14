"""Suivi des objectifs and dashboard: every aggregate checked against the test's own SQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import and_, func, select

import programme_data as D
from qpv_desk.domain import aggregation as A
from qpv_desk.domain import enums as E
from qpv_desk.services import dashboard as B
from qpv_desk.services import followup as F
from qpv_desk.store.models import (
    Action,
    ActionObjective,
    Body,
    Decision,
    FollowUpTask,
    Funder,
    FundingLine,
    Meeting,
    Objective,
    Person,
    ProgrammeYear,
)

# --------------------------------------------------------------------------- pure rules


def test_parent_of_two_complete_children_is_complete_not_200_percent():
    today = dt.date(2026, 1, 1)
    done = A.ActionFacts(E.ActionStatus.CLOTUREE, granted_cents=1000, requested_cents=1000)
    own = {2: A.Totals(), 3: A.Totals()}
    own[2].add_action(done, today)
    own[3].add_action(done, today)
    totals = A.roll_up([A.Node(1, None), A.Node(2, 1), A.Node(3, 1)], own)
    assert totals[1].progress == 1.0
    assert totals[1].actions == 2 and totals[1].granted_cents == 2000


def test_progress_rule():
    assert A.action_progress("deposee", None) == 0
    assert A.action_progress("notifiee", None) == 0.5
    assert A.action_progress("justifiee", None) == 1
    assert A.action_progress("notifiee", 30) == 0.3
    assert A.action_progress("refusee", 50) is None and A.action_progress("abandonnee", None) is None
    assert A.action_weight(None, 0) == 1 and A.action_weight(0, 500) == 500 and A.action_weight(200, 500) == 200
    # weighted, normalised, excluded ignored
    assert A.weighted_progress([(3, 1.0), (1, 0.0), (100, None)]) == 0.75
    assert A.weighted_progress([]) is None
    assert "Σ(poids × avancement) / Σ poids" in A.RULE_TEXT


# --------------------------------------------------------------------------- the tree against SQL


@pytest.fixture
def seed(empty_db):
    return D.programme(empty_db)


def _expected(db, objective_id: int, year: int | None, today: dt.date) -> dict:
    """The test's own computation, straight from the tables."""
    with db.reader() as s:
        parents = dict(s.execute(select(Objective.id, Objective.parent_id)).all())
        subtree, frontier = {objective_id}, [objective_id]
        while frontier:
            frontier = [o for o, p in parents.items() if p in frontier and o not in subtree]
            subtree.update(frontier)
        q = (select(Action).join(ActionObjective, and_(ActionObjective.action_id == Action.id,
                                                        ActionObjective.is_principal.is_(True)))
             .join(ProgrammeYear).where(ActionObjective.objective_id.in_(subtree)))
        if year is not None:
            q = q.where(ProgrammeYear.year == year)
        actions = s.scalars(q).all()
        ids = [a.id for a in actions] or [-1]
        sums = lambda *cond: s.execute(  # noqa: E731
            select(func.coalesce(func.sum(FundingLine.requested_cents), 0),
                   func.coalesce(func.sum(FundingLine.granted_cents), 0))
            .join(Funder).where(FundingLine.action_id.in_(ids), *cond)).one()
        req, gr = sums()
        sreq, sgr = sums(Funder.is_state.is_(True))
        excluded = {"non_recevable", "refusee", "abandonnee", "non_realisee"}
        funded = {"accordee", "notifiee", "versee", "a_justifier", "justifiee", "cloturee"}
        group_of = {"deposee": "examen", "recevable": "examen", "en_instruction": "examen", "avis_favorable": "examen",
                    "avis_reserve": "examen", "avis_defavorable": "examen", "ajournee": "examen",
                    "accordee": "financee", "notifiee": "financee", "versee": "financee",
                    "a_justifier": "realisee", "justifiee": "realisee", "cloturee": "realisee",
                    "non_recevable": "non_retenue", "refusee": "non_retenue",
                    "abandonnee": "abandonnee", "non_realisee": "abandonnee"}
        num = den = 0.0
        for a in actions:
            if a.status in excluded:
                continue
            a_gr = s.scalar(select(func.sum(FundingLine.granted_cents)).where(FundingLine.action_id == a.id)) or 0
            a_req = s.scalar(select(func.sum(FundingLine.requested_cents)).where(FundingLine.action_id == a.id)) or 0
            w = int(a_gr) or int(a_req) or 1
            p = a.progress / 100 if a.progress is not None else {"examen": 0, "financee": 0.5, "realisee": 1}[
                group_of[a.status]]
            num += w * p
            den += w
        due = [a for a in actions if a.status in funded and a.review_due is not None]
        return {
            "actions": len(actions),
            **{g: sum(1 for a in actions if group_of[a.status] == g)
               for g in ("examen", "financee", "realisee", "non_retenue", "abandonnee")},
            "requested_cents": int(req), "granted_cents": int(gr), "state_requested_cents": int(sreq),
            "state_granted_cents": int(sgr),
            "beneficiaries_planned": sum(a.beneficiaries_planned or 0 for a in actions if a.status not in excluded),
            "beneficiaries_reached": sum(a.beneficiaries_reached or 0 for a in actions if a.status not in excluded),
            "reviews_due": len(due),
            "reviews_received": sum(1 for a in due if a.review_received is not None),
            "reviews_overdue": sum(1 for a in due if a.review_received is None and a.review_due < today),
            "progress": num / den if den else None,
        }


FIELDS = ["actions", "examen", "financee", "realisee", "non_retenue", "abandonnee", "requested_cents",
          "granted_cents", "state_requested_cents", "state_granted_cents", "beneficiaries_planned",
          "beneficiaries_reached", "reviews_due", "reviews_received", "reviews_overdue"]


@pytest.mark.parametrize("year", [2026, None])
def test_every_aggregate_matches_the_database(seed, year):
    db = seed.db
    tree = F.objective_tree_summary(db, year, today=D.TODAY)
    with db.reader() as s:
        assert len(tree) == s.scalar(select(func.count()).select_from(Objective))
    for o in tree:
        expected = _expected(db, o.objective_id, year, D.TODAY)
        got = {f: getattr(o, f) for f in FIELDS}
        assert got == {f: expected[f] for f in FIELDS}, o.code
        if expected["progress"] is None:
            assert o.progress is None, o.code
        else:
            assert o.progress == pytest.approx(expected["progress"]), o.code
        assert o.uncovered == (expected["actions"] == 0 and not o.retired)


def test_tree_order_levels_and_known_figures(seed):
    tree = F.objective_tree_summary(seed.db, 2026, today=D.TODAY)
    codes = [o.code for o in tree]
    assert codes[:5] == ["1", "1.1", "1.1.1", "1.1.2", "1.1.3"]
    assert codes.index("2") < codes.index("2.1") < codes.index("3")
    by = {o.code: o for o in tree}
    assert (by["1"].level_name, by["1.1"].level_name, by["1.1.1"].level_name) == (
        "Enjeu", "Orientation", "Objectif opérationnel")
    assert by["1.1.1"].depth == 3
    # 1.1: notifiée (weight 1 800 000, p 0.5) + justifiée with manual 80 % (weight 300 000)
    assert by["1.1"].progress == pytest.approx((1_800_000 * 0.5 + 300_000 * 0.8) / 2_100_000)
    # the secondary link to 1.1.3 does not make it covered, nor count twice
    assert by["1.1.3"].uncovered and by["1.1"].actions == 2 and by["1.1.3"].actions == 0
    assert by["1.1.1"].reviews_overdue == 1 and by["1.1.2"].reviews_received == 1
    assert by["1.2.1"].progress == 0.0 and by["1.2.1"].non_retenue == 1
    assert by["2.2.1"].progress is None and by["2.2.1"].abandonnee == 1 and not by["2.2.1"].uncovered
    assert by["3"].uncovered and by["3"].progress is None
    assert by["1.1.1"].state_requested_cents == 1_000_000 and by["1.1.1"].other_granted_cents == 1_000_000
    whole = {o.code: o for o in F.objective_tree_summary(seed.db, None, today=D.TODAY)}
    assert whole["1.1.1"].actions == 2 and whole["1"].granted_cents == by["1"].granted_cents + 900_000
    # quartier filter: every action has the single quartier
    with seed.db.reader() as s:
        qid = s.scalar(select(Action.quartier_id).limit(1))
    assert F.objective_tree_summary(seed.db, 2026, qid, today=D.TODAY) == tree
    assert all(o.actions == 0 for o in F.objective_tree_summary(seed.db, 2026, qid + 99, today=D.TODAY))


def test_objective_detail_lists_actions_decisions_tasks(seed):
    db = seed.db
    with db.session() as s:
        gt = s.scalar(select(Body).where(Body.code == "GT"))
        m = s.get(Meeting, seed.meeting_id)
        s.add(Decision(meeting_id=m.id, kind="decision", text="Prioriser l'accès aux droits",
                       objective_id=seed.obj["1.1"]))
        s.add(Decision(meeting_id=m.id, kind="avis", text="Avis favorable", opinion="favorable",
                       action_id=seed.actions["Permanence d'accès aux droits"]))
        s.add(Decision(meeting_id=m.id, kind="decision", text="Autre sujet", objective_id=seed.obj["3"]))
        s.add(FollowUpTask(meeting_id=m.id, description="Relancer le bilan", objective_id=seed.obj["1.1.1"],
                           due_date=dt.date(2026, 9, 1), status="a_faire", owner_organisation_id=seed.org["cs"],
                           owner_person=Person(civility="M.", first_name="Paul", last_name="Henry")))
        s.add(FollowUpTask(description="Sans lien", due_date=dt.date(2026, 9, 1), status="a_faire"))
        assert gt is not None
    d = F.objective_detail(db, seed.obj["1.1"], 2026, today=D.TODAY)
    assert [(a.code, a.is_principal) for a in d.actions] == [("2026-001", True), ("2026-002", True)]
    assert d.actions[0].review_overdue and not d.actions[1].review_overdue
    assert sorted(x.text for x in d.decisions) == ["Avis favorable", "Prioriser l'accès aux droits"]
    assert next(x for x in d.decisions if x.opinion).action_code == "2026-001"
    assert [(t.description, t.overdue, t.owner) for t in d.tasks] == [
        ("Relancer le bilan", True, "M. Paul Henry – Centre social Les Îlots")]
    # a secondary link is listed (flagged), not as principal
    d3 = F.objective_detail(db, seed.obj["1.1.3"], 2026, today=D.TODAY)
    assert [(a.title, a.is_principal, a.principal_objective_code) for a in d3.actions] == [
        ("Permanence d'accès aux droits", False, "1.1.1")]
    assert d3.decisions == () and d3.tasks == ()


def test_dashboard(seed):
    db = seed.db
    with db.session() as s:
        copil = s.scalar(select(Body).where(Body.code == "COPIL"))
        s.add(Meeting(body_id=copil.id, title="COPIL de décembre", date=dt.date(2026, 12, 10)))
        s.add(Meeting(body_id=copil.id, title="COPIL annulé", date=dt.date(2026, 12, 1), status="annulee"))
        lea = Person(civility="Mme", first_name="Léa", last_name="Martin")
        s.add(lea)
        s.flush()
        s.add(FollowUpTask(description="En retard", due_date=dt.date(2026, 10, 1), status="en_cours",
                           owner_person_id=lea.id, owner_organisation_id=seed.org["cs"]))
        s.add(FollowUpTask(description="Faite", due_date=dt.date(2026, 10, 1), status="fait"))
        s.add(FollowUpTask(description="À venir", due_date=dt.date(2026, 12, 31), status="a_faire"))
    b = B.dashboard(db, 2026, today=D.TODAY)
    assert [m.title for m in b.next_meetings] == ["COPIL de décembre"]
    assert [t.description for t in b.overdue_tasks] == ["En retard"] and b.overdue_tasks_total == 1
    assert b.overdue_tasks[0].days_late == 55
    assert b.overdue_tasks[0].owner == "Mme Léa Martin – Centre social Les Îlots"  # with her civility
    assert b.actions_by_group == {E.StatusGroup.EN_COURS_EXAMEN: 1, E.StatusGroup.FINANCEE: 1,
                                  E.StatusGroup.REALISEE: 2, E.StatusGroup.NON_RETENUE: 1,
                                  E.StatusGroup.ABANDONNEE: 1}
    with db.reader() as s:
        expected = {
            name: (req, gr or 0) for name, req, gr in s.execute(
                select(Funder.name, func.sum(FundingLine.requested_cents), func.sum(FundingLine.granted_cents))
                .join(FundingLine).join(Action).join(ProgrammeYear).where(ProgrammeYear.year == 2026)
                .group_by(Funder.name))
        }
    assert {bar.label: (bar.requested_cents, bar.granted_cents) for bar in b.by_funder} == expected
    assert [(bar.label, bar.requested_cents) for bar in b.by_enjeu] == [("1", 3_200_000), ("2", 100_000), ("3", 0)]
    assert sum(bar.requested_cents for bar in b.by_enjeu) == sum(v[0] for v in expected.values())
    uncovered = [o.code for o in b.uncovered]
    assert "3" in uncovered and "3.1" not in uncovered and "1.1.3" in uncovered and "1.1" not in uncovered
    assert b.uncovered_total == sum(1 for o in F.objective_tree_summary(db, 2026, today=D.TODAY)
                                    if o.depth == 3 and o.uncovered)


@pytest.mark.parametrize("year", [2025, 2026, None])
def test_sample_database_aggregates_match_sql(sample_db, year):
    today = dt.date(2026, 11, 25)
    tree = F.objective_tree_summary(sample_db, year, today=today)
    assert sum(o.actions for o in tree if o.parent_id is None) > 0
    for o in tree:
        expected = _expected(sample_db, o.objective_id, year, today)
        assert {f: getattr(o, f) for f in FIELDS} == {f: expected[f] for f in FIELDS}, o.code
        assert (o.progress is None) == (expected["progress"] is None), o.code
        if o.progress is not None:
            assert o.progress == pytest.approx(expected["progress"]), o.code
