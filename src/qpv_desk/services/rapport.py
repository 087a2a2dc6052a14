"""The commune's contribution to the rapport annuel on the politique de la ville (CGCT L.1111-2).

:func:`rapport_data` gathers, for one year, plain frozen data that
:mod:`qpv_desk.reports.rapport_annuel` turns into a Word document. The figures are the
Suivi screen's and the COPIL workbook's: the programme, funders, enjeux, meetings and
per-objective totals come from :func:`qpv_desk.services.reporting.copil_data` (itself on
:func:`qpv_desk.services.followup.objective_tree_summary`), so the three never disagree.

The conseil citoyen's avis on the year's report is recorded here
(:func:`record_citizen_avis`) and annexed with its date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ..domain import validation as V
from ..domain.errors import ConflictError, NotFoundError, ValidationError
from ..store.db import Database
from ..store.models import Action, CitizenAvis, Contract, ProgrammeYear, Quartier, Statistic
from ..reports.wording import slugify
from .common import check_version, collect_errors, record_change
from .reporting import StatLine, copil_data


@dataclass(frozen=True)
class CitizenAvisRow:
    id: int
    version: int
    year: int
    date: dt.date
    text: str


@dataclass(frozen=True)
class ActionExtra:
    beneficiaries_planned: int | None
    beneficiaries_reached: int | None
    beneficiaries_qpv: int | None
    progress: int | None
    review_due: dt.date | None
    review_received: dt.date | None


@dataclass(frozen=True)
class QuartierLine:
    code: str
    name: str
    communes: str
    population: int | None
    statistics: tuple  # of reporting.StatLine
    perimeter_geojson: str | None = None  # WGS84, when the perimeter was imported
    area_ha: object = None
    length_km: object = None


@dataclass(frozen=True)
class RapportData:
    year: int
    commune: str
    contract: str
    epci: str
    start_year: int | None
    end_year: int | None
    contract_description: str
    quartiers: tuple[QuartierLine, ...]
    copil: object  # reporting.CopilData of the year (programme, funders, enjeux, suivi, meetings…)
    extras: dict  # action id → ActionExtra
    avis: CitizenAvisRow | None
    today: dt.date


# ---- the avis of the conseil citoyen ---------------------------------------------------------


def _avis_row(a: CitizenAvis) -> CitizenAvisRow:
    return CitizenAvisRow(a.id, a.version, a.year, a.date, a.text)


def citizen_avis(db: Database, year: int) -> CitizenAvisRow | None:
    with db.reader() as s:
        a = s.scalar(select(CitizenAvis).where(CitizenAvis.year == int(year)))
        return _avis_row(a) if a else None


def record_citizen_avis(db: Database, year: int, values: dict, *, expected_version: int | None) -> CitizenAvisRow:
    """Record (or replace) the conseil citoyen's avis on the report of ``year``: ``date`` and ``text``.
    ``expected_version``: the version of the avis she read, None when there was none."""
    unknown = set(values) - {"date", "text"}
    if unknown:
        raise ValidationError(sorted(unknown)[0], f"Champ inconnu : {', '.join(sorted(unknown))}.")
    clean = collect_errors({
        "year": lambda: V.count(year, "Année", "year", required=True),
        "date": lambda: V.date(values.get("date"), "Date de l'avis", "date", required=True),
        "text": lambda: V.text(values.get("text"), "Avis", "text", required=True),
    })
    with db.session() as s:
        a = s.scalar(select(CitizenAvis).where(CitizenAvis.year == clean["year"]))
        if a is not None and expected_version is None:  # she read none: someone recorded one meanwhile
            raise ConflictError(f"Un avis du conseil citoyen pour {clean['year']} a été enregistré entre-temps "
                                "(par une autre fenêtre ou un autre poste). Rechargez-le avant de le modifier.")
        if a is None:
            a = CitizenAvis(year=clean["year"], date=clean["date"], text=clean["text"])
            s.add(a)
            s.flush()
            record_change(s, "citizen_avis", a.id, "create", {"année": a.year, "date": a.date})
        else:
            check_version(a, expected_version, "L'avis du conseil citoyen")
            changes = {k: [getattr(a, k), clean[k]] for k in ("date", "text") if getattr(a, k) != clean[k]}
            for k in changes:
                setattr(a, k, clean[k])
            if changes:
                s.flush()
                record_change(s, "citizen_avis", a.id, "update", {k: v for k, v in changes.items() if k == "date"}
                              | ({"texte": "modifié"} if "text" in changes else {}))
        return _avis_row(a)


def delete_citizen_avis(db: Database, year: int, *, expected_version: int) -> None:
    """Delete the avis of ``year``; ``expected_version``: the version of the avis she read
    (an avis changed meanwhile is not deleted unseen)."""
    with db.session() as s:
        a = s.scalar(select(CitizenAvis).where(CitizenAvis.year == int(year)))
        if a is None:
            raise NotFoundError(f"Aucun avis du conseil citoyen pour {year}.")
        check_version(a, expected_version, "L'avis du conseil citoyen")
        record_change(s, "citizen_avis", a.id, "delete", {"année": a.year})
        s.delete(a)


# ---- the report --------------------------------------------------------------------------------


def rapport_data(db: Database, year: int, *, today: dt.date | None = None) -> RapportData:
    if not isinstance(year, int) or not 1990 <= year <= 2200:
        raise ValidationError("year", f"L'année « {year} » n'est pas valide.")
    today = today or dt.date.today()
    copil = copil_data(db, year, None, today=today)
    with db.reader() as s:
        contract = s.scalar(select(Contract).order_by(Contract.id).limit(1))
        if contract is None:
            raise NotFoundError("Aucun contrat de ville dans la base : importez d'abord un référentiel.")
        quartiers = s.scalars(select(Quartier).where(Quartier.contract_id == contract.id)
                              .order_by(Quartier.code)).all()
        stats: dict[int, list] = {}
        for st in s.scalars(select(Statistic).order_by(Statistic.quartier_id, Statistic.position, Statistic.id)):
            stats.setdefault(st.quartier_id, []).append(st)
        extras = {
            r.id: ActionExtra(r.beneficiaries_planned, r.beneficiaries_reached, r.beneficiaries_qpv, r.progress,
                              r.review_due, r.review_received)
            for r in s.execute(select(Action.id, Action.beneficiaries_planned, Action.beneficiaries_reached,
                                      Action.beneficiaries_qpv, Action.progress, Action.review_due,
                                      Action.review_received)
                               .join(ProgrammeYear, ProgrammeYear.id == Action.programme_year_id)
                               .where(ProgrammeYear.year == year)).all()
        }
        q_lines = tuple(
            QuartierLine(q.code, q.name, q.communes or "", q.population, tuple(
                StatLine(q.name, st.label, st.value, st.agglomeration_value, st.unit or "", st.source or "", st.year)
                for st in stats.get(q.id, [])), q.perimeter_geojson, q.perimeter_area_ha, q.perimeter_length_km)
            for q in quartiers)
        avis = s.scalar(select(CitizenAvis).where(CitizenAvis.year == year))
        return RapportData(
            year=year, commune=contract.commune or "", contract=contract.name, epci=contract.epci or "",
            start_year=contract.start_year, end_year=contract.end_year,
            contract_description=contract.description or "", quartiers=q_lines, copil=copil, extras=extras,
            avis=_avis_row(avis) if avis else None, today=today)


def rapport_filename(year: int, commune: str = "") -> str:
    return f"rapport-politique-de-la-ville-{year}" + (f"-{slugify(commune)}" if commune else "") + ".docx"


def write_rapport(db: Database, year: int, path: str | Path, *, progress=None, today: dt.date | None = None) -> Path:
    """Write the Word contribution of ``year`` to ``path``; returns the path written."""
    from ..reports.rapport_annuel import write_rapport_annuel  # start-up: python-docx loads only to write

    if progress:
        progress(0, 2, "Lecture des données…")
    data = rapport_data(db, int(year), today=today)
    if progress:
        progress(1, 2, "Rédaction du rapport…")
    written = write_rapport_annuel(data, Path(path))
    if progress:
        progress(2, 2, "Terminé")
    return written
