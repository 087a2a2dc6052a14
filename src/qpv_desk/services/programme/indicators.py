"""The indicators of an action, one at a time (the editor replaces them all)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select

from ...domain.errors import ValidationError
from ...store.db import Database
from ...store.models import Action, Indicator
from ..common import check_version, diff, get, record_change, refuse_unknown
from .validation import _validate_indicators


def add_indicator(db: Database, action_id: int, values: Mapping) -> int:
    items = _validate_indicators([values])
    if not items:
        raise ValidationError("label", "Le libellé de l'indicateur est obligatoire.")
    with db.session() as s:
        action = get(s, Action, action_id, "L'action")
        position = (s.scalar(select(func.max(Indicator.position)).where(Indicator.action_id == action.id)) or 0) + 1
        ind = Indicator(action_id=action.id, position=position, **items[0])
        s.add(ind)
        s.flush()
        record_change(s, "action", action.id, "update", {"indicator_added": items[0]["label"]})
        return ind.id


def update_indicator(db: Database, indicator_id: int, values: Mapping, *, expected_version: int) -> int:
    """Change an indicator (``label``, ``unit``, ``target``, ``result``); returns its new version."""
    refuse_unknown(values, ("label", "unit", "target", "result"))
    with db.session() as s:
        ind = get(s, Indicator, indicator_id, "L'indicateur")
        check_version(ind, expected_version, "L'indicateur")
        merged = {"label": ind.label, "unit": ind.unit, "target": ind.target, "result": ind.result, **values}
        items = _validate_indicators([merged])
        if not items:
            raise ValidationError("label", "Le libellé de l'indicateur est obligatoire.")
        changes = diff(ind, items[0])
        if changes:
            s.flush()
            record_change(s, "action", ind.action_id, "update", {"indicator": ind.id, **changes})
        return ind.version


def delete_indicator(db: Database, indicator_id: int) -> None:
    with db.session() as s:
        ind = get(s, Indicator, indicator_id, "L'indicateur")
        record_change(s, "action", ind.action_id, "update", {"indicator_deleted": ind.label})
        s.delete(ind)
