"""The shared rules on their own, at their boundaries (pure: no database, no Qt).

Quorum exactly reached; a task due today (not late) and due yesterday (late); a bilan
due today; the roll-up of the objectives' figures. Where the user sees each rule (the
screens, the dashboard, the documents) is checked in ``test_boundaries.py``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from qpv_desk.domain import enums as E
from qpv_desk.domain import rules as R
from qpv_desk.domain.aggregation import ActionFacts, Totals, action_progress, action_weight, roll_up, weighted_progress
from qpv_desk.domain.aggregation import Node as A_Node

TODAY = dt.date(2025, 3, 10)


# --------------------------------------------------------------------------- pure rules


@pytest.mark.parametrize(("attended", "quorum", "reached", "word"), [
    (3, 4, False, "non atteint"), (4, 4, True, "atteint"), (5, 4, True, "atteint"), (0, 0, True, "atteint"),
    (7, None, None, None),
])
def test_quorum_rule(attended, quorum, reached, word):
    assert R.quorum_reached(attended, quorum) is reached
    assert R.quorum_state(attended, quorum) == word


@pytest.mark.parametrize(("status", "due", "late"), [
    ("a_faire", TODAY - dt.timedelta(days=1), True),
    ("a_faire", TODAY, False),  # due today: not late yet
    ("en_cours", TODAY - dt.timedelta(days=1), True),
    ("en_cours", TODAY + dt.timedelta(days=1), False),
    ("fait", TODAY - dt.timedelta(days=30), False),
    ("abandonnee", TODAY - dt.timedelta(days=30), False),
    ("a_faire", None, False),
    (E.TaskStatus.A_FAIRE, TODAY - dt.timedelta(days=1), True),
])
def test_task_overdue_rule(status, due, late):
    assert R.task_overdue(status, due, TODAY) is late


@pytest.mark.parametrize(("status", "due", "received", "late"), [
    ("versee", TODAY - dt.timedelta(days=1), None, True),
    ("versee", TODAY, None, False),  # due today: not late yet
    ("versee", TODAY - dt.timedelta(days=1), TODAY - dt.timedelta(days=5), False),
    ("justifiee", TODAY - dt.timedelta(days=1), None, True),  # carried out, bilan still missing
    ("deposee", TODAY - dt.timedelta(days=1), None, False),  # not funded: no bilan expected
    ("refusee", TODAY - dt.timedelta(days=1), None, False),
    ("versee", None, None, False),
    ("versee", TODAY + dt.timedelta(days=1), None, False),  # not due yet
])
def test_review_overdue_rule(status, due, received, late):
    assert E.ActionStatus(status).group in R.FUNDED_GROUPS or not late
    assert R.review_overdue(status, due, received, TODAY) is late
    totals = Totals()
    totals.add_action(ActionFacts(E.ActionStatus(status), review_due=due, review_received=received), TODAY)
    assert totals.reviews_overdue == int(late)




# --------------------------------------------------------------------------- roll-up of the follow-up figures


def _facts(status, **values):
    return ActionFacts(E.ActionStatus(status), **values)


def test_totals_count_money_beneficiaries_and_bilans_by_rule():
    t = Totals()
    t.add_action(_facts("versee", requested_cents=1000, granted_cents=800, state_requested_cents=600,
                        state_granted_cents=500, beneficiaries_planned=20, beneficiaries_reached=15, progress=40,
                        review_due=TODAY, review_received=None), TODAY)
    t.add_action(_facts("justifiee", requested_cents=500, granted_cents=None, beneficiaries_planned=5,
                        review_due=TODAY - dt.timedelta(days=1), review_received=TODAY), TODAY)
    t.add_action(_facts("refusee", requested_cents=300, beneficiaries_planned=99, beneficiaries_reached=99,
                        review_due=TODAY - dt.timedelta(days=9)), TODAY)
    t.add_action(_facts("deposee", requested_cents=0, granted_cents=0), TODAY)
    assert (t.actions, t.financee, t.realisee, t.non_retenue, t.examen, t.abandonnee) == (4, 1, 1, 1, 1, 0)
    assert t.count(E.StatusGroup.FINANCEE) == 1 and t.count(E.StatusGroup.NON_RETENUE) == 1
    assert (t.requested_cents, t.granted_cents) == (1800, 800)
    assert (t.state_requested_cents, t.state_granted_cents) == (600, 500)
    # a refused action's beneficiaries and progress do not count
    assert (t.beneficiaries_planned, t.beneficiaries_reached) == (25, 15)
    # bilans: due = funded or carried out with a due date; the one due today is not late
    assert (t.reviews_due, t.reviews_received, t.reviews_overdue) == (2, 1, 0)
    # progress: weights granted 800 (40 %), requested 500 (100 %), 1 (0 %)
    assert t.weight_sum == 800 + 500 + 1
    assert t.progress == pytest.approx((800 * 0.4 + 500 * 1.0) / 1301)
    assert Totals().progress is None
    late = Totals()
    late.add_action(_facts("versee", review_due=TODAY - dt.timedelta(days=1)), TODAY)
    assert (late.reviews_due, late.reviews_received, late.reviews_overdue) == (1, 0, 1)


def test_roll_up_adds_each_subtree_once_whatever_the_order():
    def one(status, granted):
        t = Totals()
        t.add_action(_facts(status, granted_cents=granted, requested_cents=granted), TODAY)
        return t

    nodes = [A_Node(4, 2), A_Node(2, 1), A_Node(1, None), A_Node(3, 1), A_Node(5, 99)]  # 99: parent not in the tree
    own = {1: one("deposee", 100), 2: one("versee", 200), 4: one("cloturee", 400), 5: one("versee", 50)}
    totals = roll_up(nodes, own)
    assert totals[4].granted_cents == 400 and totals[4].actions == 1
    assert totals[2].granted_cents == 600 and totals[2].actions == 2
    assert totals[3].actions == 0 and totals[3].progress is None
    assert totals[1].granted_cents == 700 and totals[1].actions == 3
    assert totals[1].progress == pytest.approx((100 * 0 + 200 * 0.5 + 400 * 1.0) / 700)
    assert totals[5].actions == 1  # an orphan is a root of its own
    assert own[1].actions == 1  # the inputs are not changed
    assert roll_up([], {}) == {}
    # a node listed twice (bad data) is counted once and its siblings are still reached
    twice = roll_up([A_Node(1, None), A_Node(3, 1), A_Node(2, 1), A_Node(2, 1)], own)
    assert set(twice) == {1, 2, 3} and twice[1].granted_cents == 300 and twice[1].actions == 2
    # a cycle (bad data) has no root: not reached, and the walk ends
    assert set(roll_up([A_Node(7, 8), A_Node(8, 7), A_Node(1, None)], own)) == {1}


def test_progress_and_weight_rules_at_their_edges():
    assert action_progress("notifiee", 0) == 0.0  # a manual 0 % is kept, not the group's 50 %
    assert action_progress("notifiee", 150) == 1.0 and action_progress("notifiee", -5) == 0.0
    assert action_progress("non_realisee", None) is None
    assert action_weight(0, 0) == 1 and action_weight(None, None) == 1 and action_weight(300, None) == 300
    assert weighted_progress([(2, 0.5)]) == 0.5
    assert weighted_progress([(1, None)]) is None
    assert weighted_progress([(1, 0.0), (1, 1.0), (2, None)]) == 0.5
    assert weighted_progress([(2, None), (1, 1.0), (3, 0.0)]) == 0.25  # an excluded action anywhere is skipped
