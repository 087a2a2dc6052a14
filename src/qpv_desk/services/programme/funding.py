"""Funders and the financing plan: the funder list, the plan's warnings."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import func, select

from ...domain import validation as V
from ...domain.errors import ValidationError
from ...store.db import Database
from ...store.models import Funder
from ..common import get, record_change
from ...domain.text import euros, fold_text
from .actions import get_action
from .data import ActionDetail, FunderRow
from .settings import max_funder_share


def funders(db: Database, *, include_inactive: bool = False) -> list[FunderRow]:
    stmt = select(Funder).order_by(Funder.position, Funder.id)
    if not include_inactive:
        stmt = stmt.where(Funder.active.is_(True))
    with db.reader() as s:
        return [FunderRow(f.id, f.code, f.name, f.is_state, f.position, f.active) for f in s.scalars(stmt)]


def add_funder(db: Database, name: str, *, code: str | None = None, is_state: bool = False) -> int:
    """A funder the user adds (« Fondation X », « FSE »…), placed after the others."""
    name = V.line(name, "Nom du financeur", "name", required=True, max_len=200)
    code = V.line(code, "Code du financeur", "code", max_len=40) or re.sub(r"[^a-z0-9]+", "_", fold_text(name)).strip("_")[:40]
    with db.session() as s:
        if s.scalar(select(Funder.id).where(func.lower(Funder.name) == name.lower())) is not None:
            raise ValidationError("name", f"Le financeur « {name} » existe déjà.")
        base, n = code or "financeur", 1
        while s.scalar(select(Funder.id).where(Funder.code == code)) is not None:
            n += 1
            code = f"{base[:36]}_{n}"
        position = (s.scalar(select(func.max(Funder.position))) or 0) + 1
        funder = Funder(code=code, name=name, is_state=bool(is_state), position=position, active=True)
        s.add(funder)
        s.flush()
        record_change(s, "funder", funder.id, "create", {"name": name, "code": code})
        return funder.id


def set_funder_active(db: Database, funder_id: int, active: bool) -> None:
    with db.session() as s:
        funder = get(s, Funder, funder_id, "Le financeur")
        funder.active = bool(active)
        record_change(s, "funder", funder.id, "update", {"active": active})


def financing_warnings(total_cost_cents: int, lines: Iterable[tuple[str, int]], max_share_percent) -> list[str]:
    """French warnings on a financing plan (pure function, also used live by the editor).

    ``lines``: ``(funder name, requested cents)``. Warns when the requests do not add up
    to the total cost, and when one funder's request exceeds ``max_share_percent`` % of it.
    """
    lines = [(n, int(r or 0)) for n, r in lines]
    warnings = []
    requested = sum(r for _, r in lines)
    total = int(total_cost_cents or 0)
    if requested != total:
        gap = requested - total
        if total == 0:
            warnings.append(f"Le coût total n'est pas renseigné alors que {euros(requested)} sont demandés.")
        else:
            warnings.append(
                f"Le plan de financement n'est pas équilibré : {euros(requested)} demandés pour un coût total de "
                f"{euros(total)} ({'excédent' if gap > 0 else 'manque'} de {euros(abs(gap))})."
            )
    share = Decimal(str(max_share_percent))
    if total > 0:
        for name, req in lines:
            if req * 100 > share * total:
                pct = (Decimal(req) * 100 / total).quantize(Decimal("0.1"))
                warnings.append(
                    f"La demande à « {name} » ({euros(req)}) représente {str(pct).replace('.', ',')} % du coût total, "
                    f"au-delà du plafond de {format(share.normalize(), 'f').replace('.', ',')} %."
                )
    return warnings


def plan_warnings(db: Database, action: ActionDetail | int) -> list[str]:
    """Warnings for an action's financing plan, with the configured maximum share."""
    if not isinstance(action, ActionDetail):
        action = get_action(db, action)
    return financing_warnings(action.total_cost_cents, [(f.funder_name, f.requested_cents) for f in action.funding],
                              max_funder_share(db))
