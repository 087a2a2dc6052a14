"""« Reconduire en N+1 »: an action copied into next year's programme."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...domain import enums as E
from ...domain.errors import NotFoundError, ValidationError
from ...domain.rules import add_months, default_review_due
from ...store.db import Database
from ...store.models import Action, ActionObjective, ActionStatusChange, FundingLine, Indicator, ProgrammeYear
from ..common import record_change
from .years import _next_code, _programme_year


def _shift_year(day: dt.date | None, years: int = 1) -> dt.date | None:
    return None if day is None else add_months(day, 12 * years)


def renew_action(db: Database, action_id: int, year: int | None = None) -> int:
    """« Reconduire en N+1 »: copy an action into next year's programme as a renewal.

    The copy is linked to its predecessor, keeps holder, contact, texts, objectives and
    indicator labels/targets (not results), copies the amounts requested (nothing granted
    or paid yet) and the total cost, starts
    « déposée », and has its dates shifted by one year. Returns the new action's id.
    """
    with db.session() as s:
        old = s.scalar(select(Action).where(Action.id == int(action_id)).options(
            selectinload(Action.objective_links), selectinload(Action.funding_lines),
            selectinload(Action.indicators)))
        if old is None:
            raise NotFoundError(f"L'action n° {action_id} introuvable.")
        target_year = int(year) if year is not None else old.programme_year.year + 1
        if target_year <= old.programme_year.year:
            raise ValidationError("year", "La reconduction se fait sur une année postérieure.")
        existing = s.execute(select(Action.code, ProgrammeYear.year).join(ProgrammeYear)
                             .where(Action.predecessor_id == old.id, ProgrammeYear.year == target_year)).first()
        if existing is not None:
            raise ValidationError("year", f"L'action est déjà reconduite en {target_year} ({existing[0]}).")
        py = _programme_year(s, target_year, create=True)
        shift = target_year - old.programme_year.year
        new = Action(
            programme_year_id=py.id, quartier_id=old.quartier_id, code=_next_code(s, py), title=old.title,
            holder_id=old.holder_id, contact_id=old.contact_id, description=old.description,
            target_public=old.target_public, place=old.place, start_date=_shift_year(old.start_date, shift),
            end_date=_shift_year(old.end_date, shift), is_renewal=True, multi_year=old.multi_year,
            platform_code=None, predecessor_id=old.id, status=E.ActionStatus.DEPOSEE.value,
            total_cost_cents=old.total_cost_cents, beneficiaries_planned=old.beneficiaries_planned,
        )
        new.review_due = default_review_due(new.end_date)
        s.add(new)
        s.flush()
        for l in old.objective_links:
            new.objective_links.append(ActionObjective(objective_id=l.objective_id, is_principal=l.is_principal))
        for l in old.funding_lines:
            amount = l.requested_cents
            if amount:
                new.funding_lines.append(FundingLine(funder_id=l.funder_id, requested_cents=amount,
                                                     granted_cents=None, paid_cents=0))
        for i in old.indicators:
            new.indicators.append(Indicator(position=i.position, label=i.label, unit=i.unit, target=i.target))
        s.add(ActionStatusChange(action_id=new.id, status=E.ActionStatus.DEPOSEE.value, date=dt.date.today(),
                                 note=f"Reconduction de {old.code} ({old.programme_year.year})"))
        record_change(s, "action", new.id, "create", {"renewal_of": old.id, "year": target_year})
        return new.id
