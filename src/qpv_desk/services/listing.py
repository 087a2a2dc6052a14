"""Flat listings for the command line: a header and rows of plain values, the id first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from ..domain import enums as E
from ..domain.text import euros_plain as euros  # listings: « 12345.50 », for scripts
from ..store.db import Database
from ..store.models import (
    Action,
    ActionObjective,
    Attendance,
    Body,
    FundingLine,
    Meeting,
    Objective,
    ObjectiveLevel,
    Organisation,
    ProgrammeYear,
)


@dataclass(frozen=True)
class Listing:
    header: tuple[str, ...]
    rows: list[tuple]




def objectives(db: Database) -> Listing:
    with db.reader() as s:
        levels = {(l.contract_id, l.depth): l.name for l in s.scalars(select(ObjectiveLevel))}
        nodes = s.execute(
            select(Objective.id, Objective.contract_id, Objective.parent_id, Objective.code, Objective.depth,
                   Objective.title, Objective.retired, Objective.position)
        ).all()
    children: dict[int | None, list] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)
    for group in children.values():
        group.sort(key=lambda n: (n.contract_id, n.position, n.code))
    by_id = {n.id: n for n in nodes}
    rows: list[tuple] = []

    def walk(parent_id):
        for n in children.get(parent_id, []):
            parent_code = by_id[n.parent_id].code if n.parent_id else ""
            rows.append((n.id, n.code, levels.get((n.contract_id, n.depth), str(n.depth)), n.title,
                         parent_code, "oui" if n.retired else "non"))
            walk(n.id)

    walk(None)
    return Listing(("id", "code", "niveau", "intitule", "parent", "retire"), rows)


def organisations(db: Database) -> Listing:
    with db.reader() as s:
        result = s.execute(
            select(Organisation.id, Organisation.name, Organisation.kind, Organisation.city,
                   Organisation.email, Organisation.phone, Organisation.active)
            .order_by(func.lower(Organisation.name), Organisation.id)
        ).all()
    rows = [(r.id, r.name, E.OrganisationKind(r.kind).label, r.city or "", r.email or "", r.phone or "",
             "oui" if r.active else "non") for r in result]
    return Listing(("id", "nom", "type", "ville", "courriel", "telephone", "actif"), rows)


def meetings(db: Database, year: int | None = None) -> Listing:
    present = func.sum(case((Attendance.status.in_(["present", "distance", "represente"]), 1), else_=0))
    stmt = (
        select(Meeting.id, Meeting.date, Body.code, Meeting.title, Meeting.status,
               func.coalesce(present, 0).label("present"), func.count(Attendance.id).label("invited"))
        .join(Body, Body.id == Meeting.body_id)
        .outerjoin(Attendance, Attendance.meeting_id == Meeting.id)
        .group_by(Meeting.id, Meeting.date, Body.code, Meeting.title, Meeting.status)
        .order_by(Meeting.date, Meeting.id)
    )
    if year is not None:
        stmt = stmt.where(Meeting.date >= dt.date(year, 1, 1), Meeting.date <= dt.date(year, 12, 31))
    with db.reader() as s:
        result = s.execute(stmt).all()
    rows = [(r.id, r.date.isoformat(), r.code, r.title, E.MeetingStatus(r.status).label, r.present, r.invited)
            for r in result]
    return Listing(("id", "date", "instance", "titre", "statut", "presents", "invites"), rows)


def actions(db: Database, year: int | None = None) -> Listing:
    funding = (
        select(FundingLine.action_id,
               func.sum(FundingLine.requested_cents).label("requested"),
               func.sum(func.coalesce(FundingLine.granted_cents, 0)).label("granted"))
        .group_by(FundingLine.action_id)
        .subquery()
    )
    stmt = (
        select(Action.id, ProgrammeYear.year, Action.code, Organisation.name.label("holder"), Action.title,
               Objective.code.label("objective"), Action.status, Action.total_cost_cents,
               funding.c.requested, funding.c.granted)
        .join(ProgrammeYear, ProgrammeYear.id == Action.programme_year_id)
        .join(Organisation, Organisation.id == Action.holder_id)
        .outerjoin(ActionObjective, and_(ActionObjective.action_id == Action.id, ActionObjective.is_principal))
        .outerjoin(Objective, Objective.id == ActionObjective.objective_id)
        .outerjoin(funding, funding.c.action_id == Action.id)
        .order_by(ProgrammeYear.year, Action.code, Action.id)
    )
    if year is not None:
        stmt = stmt.where(ProgrammeYear.year == year)
    with db.reader() as s:
        result = s.execute(stmt).all()
    rows = [(r.id, r.year, r.code, r.holder, r.title, r.objective or "", E.ActionStatus(r.status).label,
             euros(r.total_cost_cents), euros(r.requested or 0), euros(r.granted or 0)) for r in result]
    return Listing(("id", "annee", "code", "porteur", "intitule", "objectif_principal", "statut",
                    "cout_total", "demande", "accorde"), rows)
