"""The territory: the contract, its quartiers and their statistical portrait.

Statistics compare the quartier with the agglomeration; only those in percent with an
agglomeration value are *comparable* on one chart (an index or a head count is not).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from ..domain import validation as V
from ..domain.errors import ValidationError
from ..store.db import Database
from ..store.models import Contract, Quartier, Statistic
from .common import check_version, get, save_changes, validate_fields


@dataclass(frozen=True)
class ContractInfo:
    id: int
    code: str
    name: str
    epci: str | None
    commune: str | None
    start_year: int
    end_year: int
    description: str | None
    version: int


@dataclass(frozen=True)
class QuartierInfo:
    id: int
    contract_id: int
    code: str
    name: str
    status: str | None
    communes: str | None
    surface_ha: Decimal | None
    population: int | None
    description: str | None
    version: int


@dataclass(frozen=True)
class StatisticRow:
    id: int
    quartier_id: int
    key: str
    label: str
    value: Decimal
    agglomeration_value: Decimal | None
    unit: str | None
    source: str | None
    year: int | None
    version: int

    @property
    def is_percentage(self) -> bool:
        return (self.unit or "").strip() == "%"

    @property
    def comparable(self) -> bool:
        """Shown on the quartier / agglomeration chart: a percentage known for both."""
        return self.is_percentage and self.agglomeration_value is not None

    @property
    def gap(self) -> Decimal | None:
        if self.agglomeration_value is None:
            return None
        return self.value - self.agglomeration_value


def contracts(db: Database) -> list[ContractInfo]:
    with db.reader() as s:
        return [_contract(c) for c in s.scalars(select(Contract).order_by(Contract.id))]


def _contract(c: Contract) -> ContractInfo:
    return ContractInfo(c.id, c.code, c.name, c.epci, c.commune, c.start_year, c.end_year, c.description, c.version)


def _quartier(q: Quartier) -> QuartierInfo:
    return QuartierInfo(q.id, q.contract_id, q.code, q.name, q.status, q.communes, q.surface_ha, q.population,
                        q.description, q.version)


def quartiers(db: Database, contract_id: int | None = None) -> list[QuartierInfo]:
    stmt = select(Quartier).order_by(Quartier.code)
    if contract_id is not None:
        stmt = stmt.where(Quartier.contract_id == contract_id)
    with db.reader() as s:
        return [_quartier(q) for q in s.scalars(stmt)]


def statistics(db: Database, quartier_id: int) -> list[StatisticRow]:
    with db.reader() as s:
        get(s, Quartier, quartier_id, "Le quartier")
        rows = s.scalars(select(Statistic).where(Statistic.quartier_id == quartier_id)
                         .order_by(Statistic.position, Statistic.id))
        return [StatisticRow(r.id, r.quartier_id, r.key, r.label, r.value, r.agglomeration_value, r.unit, r.source,
                             r.year, r.version) for r in rows]


def update_contract(db: Database, contract_id: int, values: Mapping, *, expected_version: int) -> int:
    """Edit the contract's basic fields (name, EPCI, commune, years, description)."""
    checks = {
        "name": lambda: V.line(values.get("name"), "Intitulé", "name", required=True),
        "epci": lambda: V.line(values.get("epci"), "EPCI", "epci", max_len=200),
        "commune": lambda: V.line(values.get("commune"), "Commune", "commune", max_len=200),
        "start_year": lambda: V.count(values.get("start_year"), "Première année", "start_year", required=True,
                                      maximum=2200),
        "end_year": lambda: V.count(values.get("end_year"), "Dernière année", "end_year", required=True,
                                    maximum=2200),
        "description": lambda: V.text(values.get("description"), "Description", "description"),
    }
    data = validate_fields(values, checks)
    with db.session() as s:
        c = get(s, Contract, contract_id, "Le contrat")
        check_version(c, expected_version, "Le contrat")
        start = data.get("start_year", c.start_year)
        end = data.get("end_year", c.end_year)
        if start < 1990:
            raise ValidationError("start_year", "La première année du contrat doit être postérieure à 1990.")
        if end < start:
            raise ValidationError("end_year", "La dernière année du contrat précède la première.")
        return save_changes(s, c, data, "contract")


def update_quartier(db: Database, quartier_id: int, values: Mapping, *, expected_version: int) -> int:
    """Edit a quartier's basic fields (name, status, communes, surface, population, description)."""
    checks = {
        "name": lambda: V.line(values.get("name"), "Nom", "name", required=True, max_len=200),
        "status": lambda: V.line(values.get("status"), "Statut", "status", max_len=200),
        "communes": lambda: V.line(values.get("communes"), "Communes", "communes", max_len=500),
        "surface_ha": lambda: V.decimal(values.get("surface_ha"), "Surface (ha)", "surface_ha", minimum=Decimal(0)),
        "population": lambda: V.count(values.get("population"), "Population", "population"),
        "description": lambda: V.text(values.get("description"), "Description", "description"),
    }
    data = validate_fields(values, checks)
    with db.session() as s:
        q = get(s, Quartier, quartier_id, "Le quartier")
        check_version(q, expected_version, "Le quartier")
        return save_changes(s, q, data, "quartier")


def update_statistic(db: Database, statistic_id: int, values: Mapping, *, expected_version: int) -> int:
    """Correct a value of the portrait (label, values, unit, source, year)."""
    checks = {
        "label": lambda: V.line(values.get("label"), "Indicateur", "label", required=True),
        "value": lambda: V.decimal(values.get("value"), "Valeur du quartier", "value", required=True),
        "agglomeration_value": lambda: V.decimal(values.get("agglomeration_value"), "Valeur de l'agglomération",
                                                 "agglomeration_value"),
        "unit": lambda: V.line(values.get("unit"), "Unité", "unit", max_len=40),
        "source": lambda: V.line(values.get("source"), "Source", "source"),
        "year": lambda: V.count(values.get("year"), "Année", "year", maximum=2200),
    }
    data = validate_fields(values, checks)
    with db.session() as s:
        st = get(s, Statistic, statistic_id, "La statistique")
        check_version(st, expected_version, "La statistique")
        return save_changes(s, st, data, "statistic")
