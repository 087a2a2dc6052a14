"""How the follow-up adds actions up along the objective tree (pure Python, no SQL, no Qt).

This module is the ONE place where the rules of the « Suivi des objectifs » live; the
screen shows :data:`RULE_TEXT` as its help and the Excel follow-up reuses the same
figures through :mod:`qpv_desk.services.followup`.

Rules
-----
1. **Which objective an action counts for.** An action counts for its *principal*
   objective and, through it, for every ancestor of that objective — once. Its
   secondary objectives are listed (detail of an objective, programme filters show the
   link) but never summed a second time, so a parent's figures are exactly the sum of
   its children's plus its own actions.
2. **Progress of one action** ``p ∈ [0, 1]``:

   - ``progress / 100`` when the user entered a progress (0–100 %) on the action;
   - otherwise derived from the status group: *en examen* → 0, *financée* → 0.5
     (granted or paid, not carried out yet), *réalisée* → 1 (à justifier, justifiée,
     clôturée);
   - *non retenue* (non recevable, refusée) and *abandonnée / non réalisée* actions have
     no progress: they are **excluded** from the progress of every objective.
3. **Weight of one action** ``w``: the total amount granted (all funders); if nothing
   is granted yet, the total requested; if nothing is requested either, 1.
4. **Parents aggregate their children**:

   - money (requested, granted, the State's part of each), numbers of actions by status
     group, beneficiaries, bilans: plain **sums** over every action of the subtree;
   - progress: the **normalised weighted mean** ``Σ(w·p) / Σw`` over the non-excluded
     actions of the subtree (never the un-normalised ``Σ(w·p)``: a parent whose two
     children are at 100 % is at 100 %, not 200 %). No counted action → no progress (—).
5. **What is summed over which actions.** Amounts requested and granted: every action
   (a refused request stays part of the demand; its grant is zero). Beneficiaries planned
   and reached: the retained actions (not *non retenue*, not *abandonnée*). Bilans: the
   funded actions (groups *financée* and *réalisée*) having a due date — *dus*; of these,
   *reçus* when a reception date is entered, *en retard* when not received and the due
   date is past.
6. **Uncovered objective**: an objective (not retired) whose subtree holds no action at
   all in the period looked at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from .enums import ActionStatus, StatusGroup
from .rules import FUNDED_GROUPS, review_overdue

RULE_TEXT = """Règle d'agrégation du suivi des objectifs

• Une action compte pour son objectif PRINCIPAL et pour les niveaux au-dessus de lui, une seule fois. Ses objectifs secondaires sont indiqués mais jamais additionnés une seconde fois.

• Avancement d'une action : le pourcentage saisi sur l'action s'il existe ; sinon selon son statut : en examen 0 %, financée 50 %, réalisée (à justifier, justifiée, clôturée) 100 %. Les actions non retenues et abandonnées / non réalisées sont exclues du calcul de l'avancement.

• Poids d'une action : le montant total accordé ; à défaut le montant demandé ; à défaut 1.

• Un niveau parent additionne ses enfants : sommes pour les montants (demandés, accordés, part de l'État à part), les nombres d'actions par statut, les bénéficiaires et les bilans. Son avancement est la moyenne pondérée normalisée Σ(poids × avancement) / Σ poids sur toutes les actions retenues de sa branche : deux actions à 100 % donnent 100 %, jamais 200 %.

• Montants demandés et accordés : toutes les actions. Bénéficiaires : actions retenues. Bilans dus : actions financées ou réalisées ayant une date d'échéance ; reçus : date de réception saisie ; en retard : non reçus et échéance dépassée.

• Objectif non couvert (en rouge) : aucune action dans sa branche pour la période choisie. Bilans en retard : en orange."""

EXCLUDED_GROUPS = frozenset({StatusGroup.NON_RETENUE, StatusGroup.ABANDONNEE})


def counts_for_beneficiaries(status) -> bool:
    """Rule: beneficiaries (planned and reached) are those of the *retained* actions — a
    refused, withdrawn or abandoned action reaches nobody. The one definition used by the
    Programmation footer, the Suivi des objectifs and the COPIL workbook."""
    return ActionStatus(status).group not in EXCLUDED_GROUPS


GROUP_PROGRESS = {
    StatusGroup.EN_COURS_EXAMEN: 0.0,
    StatusGroup.FINANCEE: 0.5,
    StatusGroup.REALISEE: 1.0,
}


def action_progress(status: ActionStatus | str, manual: int | None) -> float | None:
    """Progress of one action in [0, 1], or ``None`` when the action is excluded (rule 2)."""
    group = ActionStatus(status).group
    if group in EXCLUDED_GROUPS:
        return None
    if manual is not None:
        return max(0.0, min(100.0, float(manual))) / 100.0
    return GROUP_PROGRESS[group]


def action_weight(granted_cents: int | None, requested_cents: int | None) -> int:
    """Weight of one action (rule 3): granted, else requested, else 1."""
    if granted_cents:
        return int(granted_cents)
    if requested_cents:
        return int(requested_cents)
    return 1


def weighted_progress(items: Iterable[tuple[int, float | None]]) -> float | None:
    """Normalised weighted mean Σ(w·p)/Σw of ``(weight, progress)``; ``None`` progress is skipped."""
    total_w = 0
    total_wp = 0.0
    for w, p in items:
        if p is None:
            continue
        total_w += w
        total_wp += w * p
    return total_wp / total_w if total_w else None


@dataclass(frozen=True)
class ActionFacts:
    """What the follow-up needs to know about one action."""

    status: ActionStatus
    progress: int | None = None
    requested_cents: int = 0
    granted_cents: int | None = None
    state_requested_cents: int = 0
    state_granted_cents: int = 0
    beneficiaries_planned: int | None = None
    beneficiaries_reached: int | None = None
    review_due: dt.date | None = None
    review_received: dt.date | None = None

    @property
    def group(self) -> StatusGroup:
        return ActionStatus(self.status).group


@dataclass
class Totals:
    """Additive figures of a set of actions; ``merge`` adds a child's totals (rule 4)."""

    actions: int = 0
    examen: int = 0
    financee: int = 0
    realisee: int = 0
    non_retenue: int = 0
    abandonnee: int = 0
    requested_cents: int = 0
    granted_cents: int = 0
    state_requested_cents: int = 0
    state_granted_cents: int = 0
    beneficiaries_planned: int = 0
    beneficiaries_reached: int = 0
    reviews_due: int = 0
    reviews_received: int = 0
    reviews_overdue: int = 0
    weight_sum: int = 0
    weighted_progress_sum: float = 0.0

    _GROUP_FIELD = {
        StatusGroup.EN_COURS_EXAMEN: "examen",
        StatusGroup.FINANCEE: "financee",
        StatusGroup.REALISEE: "realisee",
        StatusGroup.NON_RETENUE: "non_retenue",
        StatusGroup.ABANDONNEE: "abandonnee",
    }

    def add_action(self, facts: ActionFacts, today: dt.date) -> None:
        group = facts.group
        self.actions += 1
        name = self._GROUP_FIELD[group]
        setattr(self, name, getattr(self, name) + 1)
        self.requested_cents += facts.requested_cents or 0
        self.granted_cents += facts.granted_cents or 0
        self.state_requested_cents += facts.state_requested_cents or 0
        self.state_granted_cents += facts.state_granted_cents or 0
        if counts_for_beneficiaries(facts.status):
            self.beneficiaries_planned += facts.beneficiaries_planned or 0
            self.beneficiaries_reached += facts.beneficiaries_reached or 0
            p = action_progress(facts.status, facts.progress)
            w = action_weight(facts.granted_cents, facts.requested_cents)
            self.weight_sum += w
            self.weighted_progress_sum += w * p
        if group in FUNDED_GROUPS and facts.review_due is not None:
            self.reviews_due += 1
            if facts.review_received is not None:
                self.reviews_received += 1
            elif review_overdue(facts.status, facts.review_due, facts.review_received, today):
                self.reviews_overdue += 1

    def merge(self, other: Totals) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def count(self, group: StatusGroup) -> int:
        return getattr(self, self._GROUP_FIELD[group])

    @property
    def progress(self) -> float | None:
        """Normalised weighted mean Σ(w·p)/Σw, ``None`` when no action counts."""
        return self.weighted_progress_sum / self.weight_sum if self.weight_sum else None


@dataclass(frozen=True)
class Node:
    """A node of the tree as the roll-up sees it."""

    id: int
    parent_id: int | None


def roll_up(nodes: Sequence[Node], own: dict[int, Totals]) -> dict[int, Totals]:
    """Subtree totals of every node: its own actions plus all its descendants' (rule 4).

    ``nodes`` may come in any order; a parent missing from ``nodes`` is ignored (its
    children are roots). ``own`` maps a node id to the totals of the actions whose
    principal objective it is. Returns a new :class:`Totals` per node.
    """
    unique = {}
    for n in nodes:  # a node listed twice (bad data) is counted once, under its first parent
        unique.setdefault(n.id, n)
    children: dict[int | None, list[int]] = {}
    for n in unique.values():
        parent = n.parent_id if n.parent_id in unique else None
        children.setdefault(parent, []).append(n.id)
    result: dict[int, Totals] = {}
    # iterative post-order walk (deep trees must not hit the recursion limit). Each node has
    # one parent, so the walk from the roots never meets a node twice; a cycle in bad data
    # has no root and is simply not reached.
    order: list[int] = []
    stack = list(children.get(None, []))
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(children.get(node, []))
    for node in reversed(order):
        total = Totals()
        if node in own:
            total.merge(own[node])
        for child in children.get(node, []):
            if child in result:
                total.merge(result[child])
        result[node] = total
    return result


_GROUP_ORDER = list(StatusGroup)


def group_counts(statuses: Iterable[str]) -> dict[StatusGroup, int]:
    """Number of actions per status group, every group present (0 when none)."""
    counts = {g: 0 for g in _GROUP_ORDER}
    for s in statuses:
        counts[ActionStatus(s).group] += 1
    return counts


__all__ = [
    "RULE_TEXT", "EXCLUDED_GROUPS", "FUNDED_GROUPS", "GROUP_PROGRESS", "action_progress", "action_weight",
    "weighted_progress", "ActionFacts", "Totals", "Node", "roll_up", "group_counts",
]
