"""When her save conflicts with someone else's: her values and theirs, field by field.

A save refused with :class:`~qpv_desk.domain.errors.ConflictError` loses nothing: the form
still holds what she typed. :func:`conflict` reads the record as it is now and lists the
fields where what she typed differs from what is stored, with who changed the record last
and when; she picks, per field, hers or theirs, and :func:`merged` gives the values to save
again against the current version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import inspect as sa_inspect

from ..domain.errors import NotFoundError
from ..domain.validation import date as parse_date
from ..store import models as M
from ..store.db import Database
from . import history as H

MODELS = {
    "organisation": M.Organisation,
    "person": M.Person,
    "membership": M.Membership,
    "action": M.Action,
    "meeting": M.Meeting,
    "task": M.FollowUpTask,
    "contract": M.Contract,
    "quartier": M.Quartier,
    "statistic": M.Statistic,
    "agenda_item": M.AgendaItem,
    "decision": M.Decision,
    "indicator": M.Indicator,
}


@dataclass(frozen=True)
class FieldConflict:
    field: str
    label: str
    mine: object
    theirs: object
    mine_text: str
    theirs_text: str


@dataclass(frozen=True)
class Conflict:
    entity: str
    entity_id: int
    version: int  # save again against this version
    by: str | None
    at: dt.datetime | None
    fields: tuple[FieldConflict, ...]

    @property
    def changed_by(self) -> str:
        """« Modifié par mdupont le 26/11/2026 à 10 h 42 »."""
        if not self.by:
            return "Modifié entre-temps par quelqu'un d'autre"
        when = f" le {self.at:%d/%m/%Y} à {self.at:%H} h {self.at:%M}" if self.at else ""
        return f"Modifié par {self.by}{when}"


def _comparable(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "value") and not isinstance(value, (int, str)):  # an enum member
        return str(value.value)
    return str(value).strip()


def _as_stored(column_type, value):
    """What she typed, in the stored form, so « 08/12/2026 » equals the date 2026-12-08."""
    if isinstance(value, str):
        text = value.strip()
        python_type = getattr(column_type, "python_type", None)
        try:
            if python_type is dt.date and text:
                return parse_date(text, "date", "date")
        except Exception:  # noqa: BLE001 - shown as typed
            return value
    return value


def conflict(db: Database, entity: str, entity_id: int, mine: Mapping) -> Conflict:
    """The fields of ``mine`` (field → value she typed) that differ from the stored record."""
    model = MODELS[entity]
    columns = {c.key: c for c in sa_inspect(model).columns}
    with db.reader() as s:
        record = s.get(model, entity_id)
        if record is None:
            raise NotFoundError(f"Fiche introuvable ({H.ENTITY_LABELS.get(entity, entity).lower()}) : "
                                "elle a été supprimée entre-temps, par une autre fenêtre ou un autre poste.")
        fields = []
        for field, typed in mine.items():
            if field not in columns:
                continue
            theirs = getattr(record, field)
            ours = _as_stored(columns[field].type, typed)
            if _comparable(ours) != _comparable(theirs):
                fields.append(FieldConflict(
                    field, H.FIELD_LABELS.get(field, field.replace("_", " ")), typed, theirs,
                    H._value(entity, field, _comparable(ours) if not isinstance(ours, str) else ours),
                    H._value(entity, field, _comparable(theirs) if not isinstance(theirs, str) else theirs),
                ))
        version = record.version
    last = H.history(db, entity, entity_id, limit=1)
    by, at = (last[0].who, last[0].when) if last else (None, None)
    return Conflict(entity, entity_id, version, by, at, tuple(fields))


def merged(found: Conflict, mine: Mapping, keep_theirs: set[str] | frozenset[str]) -> dict:
    """The values to save: what she typed, except the fields where she keeps theirs."""
    theirs = {f.field: f.theirs for f in found.fields}
    return {k: (theirs[k] if k in keep_theirs and k in theirs else v) for k, v in mine.items()}


def three_way(base: Mapping, mine: Mapping, theirs: Mapping) -> tuple[dict, list[str]]:
    """For an editor that keeps what it showed when it opened (``base``), in the same form as
    what she typed (``mine``) and as the record now reads (``theirs``): her changes (the
    fields she changed, with her values: only those are saved again, so what someone else
    changed elsewhere in the record is kept) and the fields where both changed to different
    values (to show side by side). Values may be lists (funding lines, objectives…)."""
    changed = {k: v for k, v in mine.items() if k not in base or base[k] != v}
    clashing = [k for k, v in changed.items() if k in theirs and theirs[k] != base.get(k) and theirs[k] != v]
    return changed, clashing


def theirs_only(base: Mapping, mine: Mapping, theirs: Mapping) -> dict:
    """The fields only they changed, with their values: the record now differs there from what
    the form showed (``base``) and she left the field as it was shown (``mine``). All three in
    the form's shape (as :func:`three_way`). When she goes back to her form, these are the
    fields that should show their value: the next save keeps it (only her changes are saved)."""
    return {k: v for k, v in theirs.items() if k in base and k in mine and v != base[k] and mine[k] == base[k]}


def as_shown(stored, shown):
    """A stored value in the shape a form gave ``shown``: text for a text field (« » for
    nothing, « 08/12/2026 » for a date, the code of a choice), a choice's code, a number, a flag."""
    if hasattr(stored, "value") and not isinstance(stored, (int, str, bool, Decimal)):  # an enum member
        stored = stored.value
    if isinstance(shown, bool):
        return bool(stored)
    if isinstance(shown, str):
        if stored is None:
            return ""
        if isinstance(stored, dt.date) and not isinstance(stored, dt.datetime):
            return f"{stored:%d/%m/%Y}"
        if isinstance(stored, Decimal):
            return format(stored.normalize(), "f").replace(".", ",")
        return str(stored)
    return stored


def changed_since(db: Database, entity: str, entity_id: int, shown: Mapping) -> tuple[str | None, dict]:
    """Who changed the record last, and the fields of ``shown`` (the record as a form showed it,
    in the form's shape) that the record now holds differently, with the stored value in the
    form's shape (:func:`as_shown`)."""
    found = conflict(db, entity, entity_id, shown)
    return found.by, {f.field: as_shown(f.theirs, shown[f.field]) for f in found.fields}


def side_by_side(db: Database, entity: str, entity_id: int, version: int, mine: Mapping, theirs: Mapping,
                 fields, label, text) -> Conflict:
    """A :class:`Conflict` on ``fields`` (from :func:`three_way`), her values and theirs as the
    editor words them (``label(field)``, ``text(field, value)``), with who changed it last."""
    last = H.history(db, entity, entity_id, limit=1)
    by, at = (last[0].who, last[0].when) if last else (None, None)
    return Conflict(entity, entity_id, version, by, at, tuple(
        FieldConflict(f, label(f), mine[f], theirs[f], text(f, mine[f]), text(f, theirs[f])) for f in fields))
