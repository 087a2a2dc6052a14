"""The contract and its programme years; the next action code of a year. (The years the
selectors list: :func:`..contract.programme_years`, re-exported by the package.)"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain.errors import NotFoundError, ValidationError
from ...store.models import Action, Contract, ProgrammeYear


def current_contract_id(session: Session) -> int:
    """The contract the programme belongs to (the first one: a database holds one contract)."""
    cid = session.scalar(select(Contract.id).order_by(Contract.id).limit(1))
    if cid is None:
        raise NotFoundError("Aucun contrat de ville : importez d'abord un référentiel.")
    return cid


def _programme_year(session: Session, year: int, *, create: bool) -> ProgrammeYear | None:
    cid = current_contract_id(session)
    py = session.scalar(select(ProgrammeYear).where(ProgrammeYear.contract_id == cid, ProgrammeYear.year == year))
    if py is None and create:
        if not 1990 <= year <= 2200:
            raise ValidationError("year", f"L'année {year} n'est pas plausible.")
        py = ProgrammeYear(contract_id=cid, year=year)
        session.add(py)
        session.flush()
    return py


def _next_code(s: Session, py: ProgrammeYear) -> str:
    pattern = re.compile(rf"^{py.year}-(\d+)$")
    numbers = [int(m.group(1)) for c in s.scalars(select(Action.code).where(Action.programme_year_id == py.id))
               if (m := pattern.match(c or ""))]
    return f"{py.year}-{(max(numbers, default=0) + 1):03d}"
