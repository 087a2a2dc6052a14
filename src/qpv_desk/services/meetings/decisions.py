"""Decisions and avis of a meeting.

An *avis* (favorable / réservé / défavorable) on a programme action is written in that
action's status history (see :func:`add_decision`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...domain import enums as E
from ...domain import validation as V
from ...domain.errors import ValidationError
from ...store.db import Database
from ...store.models import Action, ActionStatusChange, AgendaItem, Decision, Meeting, Objective
from ..common import check_version, diff, get, optional_id, record_change, validate_fields

# Statuses an avis of the GT may replace (earlier in the lifecycle than a COPIL decision).
AVIS_REPLACES = frozenset(
    {
        E.ActionStatus.DEPOSEE,
        E.ActionStatus.RECEVABLE,
        E.ActionStatus.EN_INSTRUCTION,
        E.ActionStatus.AVIS_FAVORABLE,
        E.ActionStatus.AVIS_RESERVE,
        E.ActionStatus.AVIS_DEFAVORABLE,
    }
)


@dataclass(frozen=True)
class DecisionRow:
    id: int
    version: int
    agenda_item_id: int | None
    position: int
    kind: E.DecisionKind
    text: str
    objective_id: int | None
    action_id: int | None
    action_label: str
    opinion: E.Opinion | None


def _decision_rows(session: Session, meeting_id: int) -> list[DecisionRow]:
    rows = session.execute(
        select(Decision, Action.code, Action.title).outerjoin(Action, Action.id == Decision.action_id)
        .where(Decision.meeting_id == meeting_id).order_by(Decision.position, Decision.id)
    ).all()
    return [DecisionRow(d.id, d.version, d.agenda_item_id, d.position, E.DecisionKind(d.kind), d.text, d.objective_id,
                        d.action_id, f"{code} – {title}" if code else "", E.Opinion(d.opinion) if d.opinion else None)
            for d, code, title in rows]


def list_decisions(db: Database, meeting_id: int) -> list[DecisionRow]:
    with db.reader() as s:
        get(s, Meeting, meeting_id, "La réunion")
        return _decision_rows(s, meeting_id)


def _clean_decision(session: Session, meeting: Meeting, values: Mapping, current: Decision | None) -> dict:
    def ref(key, model, label):
        return optional_id(session, model, values.get(key), label)

    def opinion():
        op = V.choice(values.get("opinion"), E.Opinion, "Avis", "opinion", required=False)
        return op.value if op else None

    checks = {
        "kind": lambda: V.choice(values.get("kind") or E.DecisionKind.DECISION, E.DecisionKind, "Nature", "kind").value,
        "text": lambda: V.text(values.get("text"), "Texte de la décision", "text", required=True),
        "opinion": opinion,
        "objective_id": lambda: ref("objective_id", Objective, "L'objectif"),
        "action_id": lambda: ref("action_id", Action, "L'action"),
        "agenda_item_id": lambda: ref("agenda_item_id", AgendaItem, "Le point de l'ordre du jour"),
    }
    out = validate_fields(values, checks, required=("kind", "text") if current is None else ())
    if out.get("agenda_item_id"):
        if session.get(AgendaItem, out["agenda_item_id"]).meeting_id != meeting.id:
            raise ValidationError("agenda_item_id", "Ce point appartient à une autre réunion.")
    kind = out.get("kind", current.kind if current else None)
    opinion = out.get("opinion", current.opinion if current else None)
    action_id = out.get("action_id", current.action_id if current else None)
    if opinion is not None:
        if kind != E.DecisionKind.AVIS.value:
            raise ValidationError("opinion", "Seul un avis peut être favorable, réservé ou défavorable.")
        if action_id is None:
            raise ValidationError("action_id", "Un avis favorable, réservé ou défavorable porte sur une action : choisissez-la.")
    return out


def _withdraw_avis(session: Session, decision: Decision) -> None:
    """Remove the status change written for this decision; restore the action's previous status."""
    rows = session.execute(select(ActionStatusChange).where(ActionStatusChange.decision_id == decision.id)).scalars().all()
    for row in rows:
        action = session.get(Action, row.action_id)
        session.delete(row)
        session.flush()
        if action is not None and action.status == row.status:
            latest = session.execute(
                select(ActionStatusChange.status).where(ActionStatusChange.action_id == action.id)
                .order_by(ActionStatusChange.date.desc(), ActionStatusChange.id.desc()).limit(1)
            ).scalar()
            action.status = latest or E.ActionStatus.DEPOSEE.value


def _apply_avis(session: Session, meeting: Meeting, decision: Decision) -> None:
    """Write the avis in the action's status history.

    The history row is always written (status from ``OPINION_STATUS``, dated by the
    meeting, linked to the meeting and the decision). The action's current status
    follows only if it is still earlier in the lifecycle: déposée, recevable, en
    instruction or another avis — a COPIL decision or anything later is never undone
    by an avis recorded afterwards.
    """
    if decision.kind != E.DecisionKind.AVIS.value or not decision.opinion or not decision.action_id:
        return
    status = E.OPINION_STATUS[E.Opinion(decision.opinion)]
    action = session.get(Action, decision.action_id)
    session.add(ActionStatusChange(action_id=action.id, status=status.value, date=meeting.date, meeting_id=meeting.id,
                                   decision_id=decision.id, note=f"Avis de l'instance {meeting.body.code} du "
                                                                 f"{meeting.date:%d/%m/%Y}"))
    if E.ActionStatus(action.status) in AVIS_REPLACES and action.status != status.value:
        old = action.status
        action.status = status.value
        record_change(session, "action", action.id, "update", {"status": [old, status.value], "réunion": meeting.id})


def add_decision(db: Database, meeting_id: int, text: str, *, kind=E.DecisionKind.DECISION, **values) -> int:
    """Record a decision (information / avis / décision), optionally on an agenda point.

    ``values``: agenda_item_id, objective_id, action_id, opinion. An avis with an opinion
    on an action feeds that action's status history (:func:`_apply_avis`).
    """
    with db.session() as s:
        meeting = get(s, Meeting, meeting_id, "La réunion")
        clean = _clean_decision(s, meeting, {**values, "kind": kind, "text": text}, None)
        last = s.execute(select(func.max(Decision.position)).where(Decision.meeting_id == meeting.id)).scalar()
        decision = Decision(meeting_id=meeting.id, position=(last if last is not None else -1) + 1, **clean)
        s.add(decision)
        s.flush()
        _apply_avis(s, meeting, decision)
        record_change(s, "meeting", meeting.id, "update", {"décision ajoutée": decision.text[:200]})
        return decision.id


def update_decision(db: Database, decision_id: int, values: Mapping, *, expected_version: int) -> int:
    """Change a decision (an avis moves the action's status history with it); returns its new version."""
    with db.session() as s:
        decision = get(s, Decision, decision_id, "La décision")
        check_version(decision, expected_version, "La décision")
        meeting = decision.meeting
        before = (decision.kind, decision.opinion, decision.action_id)
        changes = diff(decision, _clean_decision(s, meeting, values, decision))
        if (decision.kind, decision.opinion, decision.action_id) != before:
            _withdraw_avis(s, decision)
            s.flush()
            _apply_avis(s, meeting, decision)
        if changes:
            s.flush()
            record_change(s, "meeting", meeting.id, "update", {f"décision {decision.id}": changes})
        return decision.version


def delete_decision(db: Database, decision_id: int) -> None:
    with db.session() as s:
        decision = get(s, Decision, decision_id, "La décision")
        _withdraw_avis(s, decision)
        record_change(s, "meeting", decision.meeting_id, "update", {"décision supprimée": decision.text[:200]})
        s.delete(decision)
