"""Helpers shared by the services: lookups, optimistic locking, change history."""

from __future__ import annotations

import getpass
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import ConflictError, NotFoundError, ValidationError
from ..store.models import Base, ChangeLog

log = logging.getLogger("qpv_desk.services")

M = TypeVar("M", bound=Base)


def get(session: Session, model: type[M], ident, label: str) -> M:
    """Fetch by primary key or raise :class:`NotFoundError` naming the kind of record."""
    try:
        key = int(ident)
    except (TypeError, ValueError):
        raise NotFoundError(f"{label} introuvable (identifiant {ident!r} invalide).") from None
    obj = session.get(model, key)
    if obj is None:
        raise NotFoundError(f"{label} n° {key} introuvable.")
    return obj


def optional_id(session: Session, model: type[M], value, label: str) -> int | None:
    """The id of a chosen record, ``None`` when nothing is chosen (``None`` or ``""``)."""
    return None if value in (None, "") else get(session, model, value, label).id


def check_version(obj, expected: int, label: str) -> None:
    """Refuse to overwrite a record changed elsewhere since the user read it.

    ``expected`` is the version the user read: it is required, an update never
    overwrites blindly. Two saves that both pass this check at the same moment are
    still told apart by the ``UPDATE … WHERE version = …`` the ORM writes; the loser's
    ``StaleDataError`` becomes the same :class:`ConflictError` (``Database.session``).
    """
    if isinstance(expected, bool) or not isinstance(expected, int):
        raise TypeError(f"expected_version doit être la version lue (entier), pas {expected!r}")
    if obj.version != expected:
        raise ConflictError(conflict_message(label))


def conflict_message(label: str) -> str:
    """The one French conflict message, with the reload offer."""
    return (f"{label} a été modifié(e) entre-temps (par une autre fenêtre ou un autre poste). "
            "Rechargez la fiche puis refaites votre modification.")


def current_user() -> str:
    try:
        return getpass.getuser()[:100]
    except Exception:  # no login name (service account, container)
        return "inconnu"


def record_change(session: Session, entity: str, entity_id: int, operation: str, changes: dict | None = None) -> None:
    """Append a line to the change history (kept in the database, hence in every backup)."""
    session.add(
        ChangeLog(
            user=current_user(),
            entity=entity,
            entity_id=entity_id,
            operation=operation,
            changes=json.dumps(changes, ensure_ascii=False, default=str) if changes else None,
        )
    )


def diff(obj, values: dict) -> dict:
    """Apply ``values`` to ``obj`` and return ``{field: [old, new]}`` for what changed."""
    changed = {}
    for key, new in values.items():
        old = getattr(obj, key)
        if old != new:
            changed[key] = [old, new]
            setattr(obj, key, new)
    return changed


def exists(session: Session, stmt) -> bool:
    return session.execute(select(stmt.exists())).scalar()


def collect_errors(checks: Mapping[str, Callable]) -> dict:
    """Run each check, gather every error: the user sees all bad fields at once."""
    values, errors = {}, {}
    for field, check in checks.items():
        try:
            values[field] = check()
        except ValidationError as exc:
            if len(exc.errors) > 1:  # a check over several fields: keep each of them
                errors.update(exc.errors)
            else:
                errors[field] = exc.errors.get(exc.field, str(exc))
    if errors:
        raise ValidationError.many(errors)
    return values


def refuse_unknown(values: Iterable[str], allowed: Iterable[str]) -> None:
    """A misspelt or unexpected field is refused, never silently ignored."""
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationError(sorted(unknown)[0], f"Champ inconnu : {', '.join(sorted(unknown))}.")


def validate_fields(values: Mapping, checks: Mapping[str, Callable], *, required: Iterable[str] = ()) -> dict:
    """Validate the fields present in ``values`` (and those ``required`` even when absent).

    An unknown field is refused, so a misspelt key never passes silently; every bad field
    is reported at once (:func:`collect_errors`)."""
    refuse_unknown(values, checks)
    needed = set(required)
    return collect_errors({k: check for k, check in checks.items() if k in values or k in needed})


def save_changes(session: Session, obj, values: dict, entity: str) -> int:
    """Apply validated ``values`` to a record, log what changed, return its new version."""
    changes = diff(obj, values)
    if changes:
        session.flush()
        record_change(session, entity, obj.id, "update", changes)
    return obj.version
