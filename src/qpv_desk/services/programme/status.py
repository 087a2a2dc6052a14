"""The dated status history of an action; its current status is the latest one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm.attributes import flag_modified

from ...domain import enums as E
from ...domain import validation as V
from ...domain.errors import ValidationError
from ...store.db import Database
from ...store.models import Action, ActionStatusChange, Decision, Meeting
from ..common import collect_errors, get, record_change
from .validation import _ref


def _current_status(history: Sequence[ActionStatusChange]) -> str | None:
    if not history:
        return None
    return max(history, key=lambda h: (h.date, h.id or 0)).status


def change_status(
    db: Database,
    action_id: int,
    status: E.ActionStatus | str,
    date: dt.date | str | None = None,
    meeting_id: int | None = None,
    note: str | None = None,
    *,
    decision_id: int | None = None,
) -> int:
    """Append a dated status change (optionally citing the meeting / decision that decided
    it); the action's current status becomes the latest one by date. Returns the change id."""
    with db.session() as s:
        action = get(s, Action, action_id, "L'action")
        values = collect_errors({
            "status": lambda: V.choice(status, E.ActionStatus, "Statut", "status").value,
            "date": lambda: V.date(date, "Date", "date") or dt.date.today(),
            "meeting_id": lambda: _ref(s, Meeting, meeting_id, "La réunion", "meeting_id"),
            "decision_id": lambda: _ref(s, Decision, decision_id, "La décision", "decision_id"),
            "note": lambda: V.text(note, "Commentaire", "note"),
        })
        change = ActionStatusChange(action_id=action.id, **values)
        s.add(change)
        s.flush()
        s.refresh(action, ["status_history"])
        new_status = _current_status(action.status_history)
        old = action.status
        if new_status != old:
            action.status = new_status
        else:
            flag_modified(action, "status")
        record_change(s, "action", action.id, "status",
                      {"status": [old, new_status], "date": values["date"], "meeting_id": values["meeting_id"]})
        return change.id


def delete_status_change(db: Database, change_id: int) -> None:
    """Remove a history line entered by mistake; the current status is recomputed."""
    with db.session() as s:
        change = get(s, ActionStatusChange, change_id, "Le changement de statut")
        action = change.action
        if len(action.status_history) <= 1:
            raise ValidationError("status", "Le premier statut de l'action ne peut pas être supprimé.")
        action.status_history.remove(change)
        s.flush()
        old = action.status
        action.status = _current_status(action.status_history)
        flag_modified(action, "status")
        record_change(s, "action", action.id, "status", {"removed": [change.status, str(change.date)],
                                                          "status": [old, action.status]})
