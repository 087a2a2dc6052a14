"""Helpers shared by the services: lookups, optimistic locking, change history."""

from __future__ import annotations

import getpass
import json
import logging
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import ConflictError, NotFoundError
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


def check_version(obj, expected: int | None, label: str) -> None:
    """Refuse to overwrite a record changed elsewhere since the user read it."""
    if expected is not None and obj.version != expected:
        raise ConflictError(
            f"{label} a été modifié(e) entre-temps (par une autre fenêtre ou un autre poste). "
            "Rechargez la fiche puis refaites votre modification."
        )


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
