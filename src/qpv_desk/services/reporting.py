"""The COPIL / DGS follow-up workbook: gather everything it shows, then write it.

:func:`write_copil_workbook` is the one use case the GUI and the CLI call: it gathers the
data with :func:`copil_data` (plain frozen dataclasses of
:mod:`qpv_desk.reports.copil_model`, a fixed number of queries) and hands them to
:func:`qpv_desk.reports.copil_workbook.render_copil_workbook`. The per-objective
follow-up comes from :func:`qpv_desk.services.followup.objective_tree_summary`, the very
function behind the app's Suivi screen, so the workbook and the screen show the same
figures.

Rules (documented once, here):
- the actions of a year are those of the programme years of that year (any contract),
  restricted to one quartier when asked; with no year, every programme year counts (the
  whole contract, with a per-year breakdown) and so does every meeting;
- an amount « demandé » is blank when the funder was never asked (no funding line), an
  amount « accordé » blank while not decided; totals count a blank as 0;
- the State's part is the sum over the funders flagged ``is_state``;
- an action's status names the body that acted when the status change cites a meeting
  (« Avis favorable (Comité de pilotage) »), never a body it did not come from;
- beneficiaries and bilans follow the Suivi rules (:mod:`qpv_desk.domain.aggregation`):
  beneficiaries of the retained actions only; a bilan is *attendu* for a funded or
  carried-out action with a due date, *reçu* when a reception date is entered, *en
  retard* when not received and due before ``today``;
- a meeting is *tenue* when its status is « tenue » or « compte rendu validé »; its
  attendance rate is attended / invitees (guests included, as on the meeting screen),
  « attended » meaning present, remote or represented, and is blank for a meeting not
  held; a body's average rate is the mean over its held meetings that have invitees;
- an organisation's attendance at a body is, over that body's held meetings of the
  period, the number of its invitations attended / its invitations;
- open tasks are all the tasks still « à faire » or « en cours », whatever their year
  (they are what remains to be done); overdue = due before ``today``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from ..domain import enums as E
from ..domain.aggregation import FUNDED_GROUPS, counts_for_beneficiaries
from ..domain.errors import NotFoundError, ValidationError
from ..domain.rules import HELD, review_overdue, task_overdue
from ..domain.text import person_name, sort_key
from ..reports.copil_model import (
    ATTENDANCE_COLUMNS,
    NO_OBJECTIVE,
    BodySummary,
    CopilData,
    EnjeuRow,
    FunderInfo,
    FunderTotal,
    GroupRow,
    MeetingRow,
    OrgAttendance,
    PartnerAttendance,
    ProgrammeRow,
    StatLine,
    SuiviLine,
    TaskLine,
    YearRow,
)
from ..store.db import Database
from ..store.models import (
    Action,
    ActionObjective,
    ActionStatusChange,
    Attendance,
    Body,
    Contract,
    FollowUpTask,
    Funder,
    FundingLine,
    Meeting,
    Objective,
    ObjectiveLevel,
    Organisation,
    Person,
    ProgrammeYear,
    Quartier,
    Statistic,
)
from .attendance import count_statuses  # the one rule, shared with the Présences screen
from .council import council_registers
from .followup import objective_tree_summary
from .perimeter import perimeters
from .snapshots import changes_since_last_copil

Progress = Callable[[int, int, str], None]

__all__ = [
    "ATTENDANCE_COLUMNS", "HELD", "NO_OBJECTIVE", "BodySummary", "CopilData", "EnjeuRow", "FunderInfo",
    "FunderTotal", "GroupRow", "MeetingRow", "OrgAttendance", "PartnerAttendance", "ProgrammeRow", "StatLine", "SuiviLine",
    "TaskLine", "YearRow", "copil_data", "partner_attendance", "status_label", "write_copil_workbook",
]


# --------------------------------------------------------------------------- the use case


def write_copil_workbook(db: Database, year: int | None, path: str | Path, *, quartier_code: str | None = None,
                         today: dt.date | None = None, progress: Progress | None = None) -> Path:
    """Gather the workbook's data for ``year`` (``None``: the whole contract) and one
    quartier if given, then write it to ``path`` (atomically). Returns the path written."""
    from ..reports.copil_workbook import render_copil_workbook  # start-up: openpyxl loads only to write a workbook

    if progress:
        progress(0, 9, "Lecture des données…")
    data = copil_data(db, year, quartier_code, today=today)
    return render_copil_workbook(data, path, progress)


# --------------------------------------------------------------------------- the data


def copil_data(db: Database, year: int | None, quartier_code: str | None = None,
               today: dt.date | None = None) -> CopilData:
    """The workbook's content for ``year`` (``None``: the whole contract, every programme
    year) and one quartier if ``quartier_code`` is given."""
    _check_year(year)
    today = today or dt.date.today()
    with db.reader() as s:
        quartier = _find_quartier(s, quartier_code)
        quartier_id = quartier.id if quartier else None
        quartier_label = f"{quartier.name} ({quartier.code})" if quartier else "Tous les quartiers"
        contract_name = s.scalar(select(Contract.name).order_by(Contract.id).limit(1)) or ""
        level_names = tuple(s.scalars(select(ObjectiveLevel.name)
                                      .order_by(ObjectiveLevel.contract_id, ObjectiveLevel.depth)).all())
        funders = tuple(FunderInfo(f.id, f.code, f.name, f.is_state)
                        for f in s.scalars(select(Funder).order_by(Funder.position, Funder.id)))
        objectives = s.execute(select(Objective.id, Objective.parent_id, Objective.code, Objective.title,
                                      Objective.depth, Objective.position, Objective.retired)).all()
        programme = _Programme(s, year, quartier_id, funders, objectives, today)
        meetings, bodies = _meetings(s, _meeting_filter(year, quartier_id))
        attendance = partner_attendance(s, _meeting_filter(year, quartier_id))
        tasks = _tasks(s, quartier_id, today)
        statistics = _statistics(s, quartier_id)
    suivi = _suivi(db, year, quartier_id, today)
    changes = changes_since_last_copil(db, year)
    registers = tuple(council_registers(db))
    maps = tuple(p for p in perimeters(db) if quartier_id is None or p.quartier_id == quartier_id)

    return CopilData(
        year=year, title=_title(year, programme.years), contract=contract_name,
        quartier=quartier_label,
        data_date=dt.datetime.now().replace(microsecond=0), today=today, funders=funders,
        programme=tuple(programme.rows), groups=programme.groups(), funder_totals=programme.funder_totals(),
        state_requested_cents=programme.state_total(programme.totals_req),
        state_granted_cents=programme.state_total(programme.totals_gra),
        total_cost_cents=programme.cost,
        beneficiaries_planned=programme.bp, beneficiaries_reached=programme.br, beneficiaries_qpv=programme.bq,
        bilans_due=programme.due, bilans_received=programme.received, bilans_overdue=programme.overdue,
        enjeux=programme.enjeux(), suivi=suivi, level_names=level_names,
        meetings=meetings, bodies=bodies, attendance=attendance, tasks=tasks, statistics=statistics,
        years=programme.by_year() if year is None else (), has_cents=programme.has_cents, changes=changes,
        registers=registers, maps=maps,
    )


def _check_year(year) -> None:
    if year is not None and (not isinstance(year, int) or not 1990 <= year <= 2200):
        raise ValidationError("year", f"L'année « {year} » n'est pas valide.")


def _find_quartier(s: Session, code: str | None) -> Quartier | None:
    if not code:
        return None
    quartier = s.scalar(select(Quartier).where(or_(Quartier.code == code.strip(), Quartier.name == code.strip())))
    if quartier is None:
        raise NotFoundError(f"Quartier « {code} » introuvable.")
    return quartier


def _title(year: int | None, years: set[int]) -> str:
    if year is not None:
        return f"Suivi du contrat de ville – programmation {year}"
    ordered = sorted(years)
    span = f"{ordered[0]}-{ordered[-1]}" if len(ordered) > 1 else (str(ordered[0]) if ordered else "")
    return f"Suivi du contrat de ville – programmations {span}".rstrip()


# --------------------------------------------------------------------------- statuses


_BASE_LABELS = {
    E.ActionStatus.AVIS_FAVORABLE: "Avis favorable",
    E.ActionStatus.AVIS_RESERVE: "Avis réservé",
    E.ActionStatus.AVIS_DEFAVORABLE: "Avis défavorable",
    E.ActionStatus.ACCORDEE: "Accordée",
    E.ActionStatus.REFUSEE: "Refusée",
    E.ActionStatus.AJOURNEE: "Ajournée",
}


def status_label(status: E.ActionStatus, body: str | None) -> str:
    """An action's status naming the body that acted: « Avis favorable (Comité de
    pilotage) »; without a known body, the bare status (« Avis favorable »)."""
    base = _BASE_LABELS.get(status)
    if base is None:
        return status.label
    return f"{base} ({body})" if body else base


def _status_bodies(s: Session, action_filter) -> dict[tuple[int, str], str]:
    """(action id, status) → name of the body whose meeting decided it (latest change wins)."""
    changes = s.execute(
        select(ActionStatusChange.action_id, ActionStatusChange.status, Body.name)
        .join(Meeting, ActionStatusChange.meeting_id == Meeting.id)
        .join(Body, Meeting.body_id == Body.id)
        .join(Action, ActionStatusChange.action_id == Action.id)
        .join(ProgrammeYear, Action.programme_year_id == ProgrammeYear.id)
        .where(*action_filter, ActionStatusChange.status.in_([st.value for st in _BASE_LABELS]))
        .order_by(ActionStatusChange.date, ActionStatusChange.id)
    ).all()
    return {(aid, status): body for aid, status, body in changes}


# --------------------------------------------------------------------------- programme


class _Programme:
    """The actions of the period and every total drawn from them (three queries)."""

    def __init__(self, s: Session, year, quartier_id, funders, objectives, today: dt.date):
        self.funders = funders
        self.n = n = len(funders)
        self.objectives = objectives
        self.obj_by_id = {o.id: o for o in objectives}
        action_filter = [ProgrammeYear.year == year] if year is not None else []
        if quartier_id is not None:
            action_filter.append(Action.quartier_id == quartier_id)
        self.totals_req, self.totals_gra, self.totals_paid, self.line_count = [0] * n, [0] * n, [0] * n, [0] * n
        self.has_cents = False
        requested, granted = self._funding(s, action_filter, {f.id: i for i, f in enumerate(funders)})
        bodies = _status_bodies(s, action_filter)
        self.rows: list[ProgrammeRow] = []
        self.group_acc = {g: [0, 0, 0] for g in E.StatusGroup}
        self.enjeu_acc: dict[int | None, list[list[int | None]]] = {}
        self.year_acc: dict[int, list[int]] = {}
        self.years: set[int] = set()
        self.bp = self.br = self.bq = self.due = self.received = self.overdue = self.cost = 0
        for r in self._actions(s, action_filter):
            req = tuple(requested.get(r.id, (None,) * n))
            gra = tuple(granted.get(r.id, (None,) * n))
            self._add(r, req, gra, bodies, today)

    def _actions(self, s: Session, action_filter):
        holder = aliased(Organisation)
        principal = aliased(ActionObjective)
        return s.execute(
            select(Action.id, ProgrammeYear.year, Action.code, Action.title, Action.status, Action.total_cost_cents,
                   Action.platform_code, Action.beneficiaries_planned, Action.beneficiaries_reached,
                   Action.beneficiaries_qpv, Action.review_due, Action.review_received, holder.name.label("holder"),
                   principal.objective_id, Quartier.code.label("quartier"))
            .join(ProgrammeYear, Action.programme_year_id == ProgrammeYear.id)
            .join(holder, Action.holder_id == holder.id)
            .join(principal, (principal.action_id == Action.id) & principal.is_principal, isouter=True)
            .join(Quartier, Action.quartier_id == Quartier.id, isouter=True)
            .where(*action_filter)
            .order_by(ProgrammeYear.year, Action.code, Action.id)
        ).all()

    def _funding(self, s: Session, action_filter, f_index):
        """Per action, the amounts per funder (None where the funder was never asked)."""
        n = self.n
        requested: dict[int, list[int | None]] = defaultdict(lambda: [None] * n)
        granted: dict[int, list[int | None]] = defaultdict(lambda: [None] * n)
        lines = s.execute(
            select(FundingLine.action_id, FundingLine.funder_id, FundingLine.requested_cents,
                   FundingLine.granted_cents, FundingLine.paid_cents)
            .join(Action, FundingLine.action_id == Action.id)
            .join(ProgrammeYear, Action.programme_year_id == ProgrammeYear.id)
            .where(*action_filter)
        ).all()
        for ln in lines:
            i = f_index[ln.funder_id]
            requested[ln.action_id][i] = ln.requested_cents
            granted[ln.action_id][i] = ln.granted_cents
            self.totals_req[i] += ln.requested_cents
            self.totals_gra[i] += ln.granted_cents or 0
            self.totals_paid[i] += ln.paid_cents
            self.line_count[i] += 1
            if ln.requested_cents % 100 or (ln.granted_cents or 0) % 100:
                self.has_cents = True
        return requested, granted

    def _root(self, obj_id):
        o = self.obj_by_id.get(obj_id)
        seen = 0
        while o is not None and o.parent_id is not None and seen < 50:
            o = self.obj_by_id.get(o.parent_id)
            seen += 1
        return o

    def _add(self, r, req, gra, bodies, today: dt.date) -> None:
        status = E.ActionStatus(r.status)
        obj = self.obj_by_id.get(r.objective_id)
        root = self._root(r.objective_id) if obj else None
        self.rows.append(ProgrammeRow(
            action_id=r.id, year=r.year, code=r.code, holder=r.holder, title=r.title,
            objective=f"{obj.code} – {obj.title}" if obj else "", enjeu=root.code if root else "",
            status=status_label(status, bodies.get((r.id, r.status))), group=status.group.label,
            requested=req, granted=gra, total_cost_cents=r.total_cost_cents or 0,
            platform_code=r.platform_code or "", quartier=r.quartier or ""))
        self.years.add(r.year)
        req_sum, gra_sum = sum(x or 0 for x in req), sum(g or 0 for g in gra)
        acc = self.group_acc[status.group]
        acc[0] += 1
        acc[1] += req_sum
        acc[2] += gra_sum
        e = self.enjeu_acc.setdefault(root.id if root else None, [[None] * self.n, [None] * self.n])
        for i in range(self.n):
            if req[i] is not None:
                e[0][i] = (e[0][i] or 0) + req[i]
            if gra[i] is not None:
                e[1][i] = (e[1][i] or 0) + gra[i]
        retained = counts_for_beneficiaries(status)
        cost = r.total_cost_cents or 0
        if retained:
            self.bp += r.beneficiaries_planned or 0
            self.br += r.beneficiaries_reached or 0
            self.bq += r.beneficiaries_qpv or 0
        self.cost += cost
        if status.group in FUNDED_GROUPS and r.review_due is not None:
            self.due += 1
            if r.review_received is not None:
                self.received += 1
            elif review_overdue(status, r.review_due, r.review_received, today):
                self.overdue += 1
        if cost % 100:
            self.has_cents = True
        y = self.year_acc.setdefault(r.year, [0] * 7)
        state = sum(g or 0 for i, g in enumerate(gra) if self.funders[i].is_state)
        for k, v in enumerate((1, req_sum, gra_sum, state, cost,
                               (r.beneficiaries_planned or 0) if retained else 0,
                               (r.beneficiaries_reached or 0) if retained else 0)):
            y[k] += v

    def groups(self) -> tuple[GroupRow, ...]:
        return tuple(GroupRow(g.label, *self.group_acc[g]) for g in E.StatusGroup)

    def funder_totals(self) -> tuple[FunderTotal, ...]:
        return tuple(FunderTotal(f, self.totals_req[i], self.totals_gra[i], self.totals_paid[i], self.line_count[i])
                     for i, f in enumerate(self.funders))

    def state_total(self, totals: list[int]) -> int:
        return sum(totals[i] for i, f in enumerate(self.funders) if f.is_state)

    def enjeux(self) -> tuple[EnjeuRow, ...]:
        """First-level objectives in the referential's order, then the actions without one."""
        empty = [[None] * self.n, [None] * self.n]
        roots = sorted((o for o in self.objectives if o.parent_id is None), key=lambda o: (o.position, o.code))
        out = [EnjeuRow(o.code, o.title, *map(tuple, self.enjeu_acc.get(o.id, empty)))
               for o in roots if not (o.retired and o.id not in self.enjeu_acc)]
        if None in self.enjeu_acc:
            out.append(EnjeuRow("", NO_OBJECTIVE, *map(tuple, self.enjeu_acc[None])))
        return tuple(out)

    def by_year(self) -> tuple[YearRow, ...]:
        return tuple(YearRow(y, *acc) for y, acc in sorted(self.year_acc.items()))


# --------------------------------------------------------------------------- meetings


def _meeting_filter(year: int | None, quartier_id: int | None) -> list:
    where = [Meeting.date >= dt.date(year, 1, 1), Meeting.date <= dt.date(year, 12, 31)] if year else []
    if quartier_id is not None:
        where.append(or_(Meeting.quartier_id == quartier_id, Meeting.quartier_id.is_(None)))
    return where


def _meetings(s: Session, where) -> tuple[tuple[MeetingRow, ...], tuple[BodySummary, ...]]:
    """The period's meetings with their attendance counts, and per body its held meetings."""
    meetings = s.execute(
        select(Meeting.id, Meeting.date, Meeting.title, Meeting.place, Meeting.status, Body.id.label("body_id"),
               Body.name.label("body"), Body.kind.label("kind"))
        .join(Body, Meeting.body_id == Body.id)
        .where(*where)
        .order_by(Meeting.date, Meeting.start_time, Meeting.id)
    ).all()
    counts = s.execute(
        select(Attendance.meeting_id, Attendance.status, func.count())
        .join(Meeting, Attendance.meeting_id == Meeting.id)
        .where(*where)
        .group_by(Attendance.meeting_id, Attendance.status)
    ).all()
    by_meeting: dict[int, dict[str, int]] = defaultdict(dict)
    for mid, status, c in counts:
        by_meeting[mid][status] = c
    rows = []
    per_body: dict[int, tuple[str, str, list[int], list[float]]] = {}
    for m in meetings:
        c = by_meeting.get(m.id, {})
        held = m.status in HELD
        row = MeetingRow(m.date, m.body, m.kind, m.title, m.place or "", E.MeetingStatus(m.status).label, held,
                         tuple(c.get(st.value, 0) for st in ATTENDANCE_COLUMNS), sum(c.values()),
                         sum(v for k, v in c.items() if E.AttendanceStatus(k).attended))
        rows.append(row)
        name, kind, held_count, rates = per_body.setdefault(m.body_id, (m.body, m.kind, [0], []))
        if held:
            held_count[0] += 1
            if row.rate is not None:
                rates.append(row.rate)
    bodies = tuple(BodySummary(name, held[0], sum(rates) / len(rates) if rates else None, kind)
                   for _id, (name, kind, held, rates) in sorted(per_body.items()))
    return tuple(rows), bodies


def partner_attendance(s: Session, where) -> tuple[PartnerAttendance, ...]:
    """Per organisation and per body, its attendance at the held meetings (one query).

    Sorted by organisation (French order), then by body in the referential's order.
    Counted by :func:`services.attendance.count_statuses`, the rule of the Présences screen.
    """
    org = aliased(Organisation)
    rows = s.execute(
        select(org.name, Body.id, Body.name, Body.kind, Attendance.status, func.count())
        .join(Meeting, Attendance.meeting_id == Meeting.id)
        .join(Body, Meeting.body_id == Body.id)
        .join(org, Attendance.organisation_id == org.id, isouter=True)
        .where(*where, Meeting.status.in_(HELD))
        .group_by(org.name, Body.id, Body.name, Body.kind, Attendance.status)
    ).all()
    acc: dict[tuple[str, int, str, str], list] = defaultdict(list)
    for name, body_id, body, kind, status, count in rows:
        acc[(name or "(sans structure)", body_id, body, kind)].append((status, count))
    ordered = sorted(acc.items(), key=lambda kv: (sort_key(kv[0][0]), kv[0][1]))
    out = []
    for (name, _bid, body, kind), pairs in ordered:
        c = count_statuses(pairs)
        out.append(PartnerAttendance(name, body, c.invited, c.attended, c.excused, c.absent, body_kind=kind))
    return tuple(out)


# --------------------------------------------------------------------------- tasks, portrait, suivi


def _tasks(s: Session, quartier_id: int | None, today: dt.date) -> tuple[TaskLine, ...]:
    owner = aliased(Person)
    owner_org = aliased(Organisation)
    origin_body = aliased(Body)
    rows = s.execute(
        select(FollowUpTask.description, FollowUpTask.due_date, FollowUpTask.status,
               owner.civility, owner.first_name, owner.last_name, owner_org.name.label("org"),
               Meeting.title.label("meeting"), Meeting.date.label("meeting_date"), origin_body.name.label("body"))
        .join(owner, FollowUpTask.owner_person_id == owner.id, isouter=True)
        .join(owner_org, FollowUpTask.owner_organisation_id == owner_org.id, isouter=True)
        .join(Meeting, FollowUpTask.meeting_id == Meeting.id, isouter=True)
        .join(origin_body, Meeting.body_id == origin_body.id, isouter=True)
        .where(FollowUpTask.status.in_([t.value for t in E.TaskStatus if t.is_open]),
               *([or_(Meeting.quartier_id == quartier_id, Meeting.quartier_id.is_(None))] if quartier_id else []))
        .order_by(FollowUpTask.due_date.is_(None), FollowUpTask.due_date, FollowUpTask.id)
    ).all()
    return tuple(
        TaskLine(description=t.description, person=person_name(t.first_name, t.last_name, t.civility),
                 organisation=t.org or "", due_date=t.due_date, status=E.TaskStatus(t.status).label,
                 origin=t.body or t.meeting or "", origin_date=t.meeting_date,
                 overdue=task_overdue(t.status, t.due_date, today))
        for t in rows)


def _statistics(s: Session, quartier_id: int | None) -> tuple[StatLine, ...]:
    rows = s.execute(
        select(Statistic.label, Statistic.value, Statistic.agglomeration_value, Statistic.unit, Statistic.source,
               Statistic.year, Quartier.name, Quartier.code)
        .join(Quartier, Statistic.quartier_id == Quartier.id)
        .where(*([Statistic.quartier_id == quartier_id] if quartier_id else []))
        .order_by(Quartier.code, Statistic.position, Statistic.id)
    ).all()
    return tuple(StatLine(quartier=f"{st.name} ({st.code})", label=st.label, value=st.value,
                          agglomeration=st.agglomeration_value, unit=st.unit or "", source=st.source or "",
                          year=st.year)
                 for st in rows)


def _suivi(db: Database, year, quartier_id, today) -> tuple[SuiviLine, ...]:
    return tuple(
        SuiviLine(depth=o.depth, code=o.code, title=o.title, level_name=o.level_name, retired=o.retired,
                  uncovered=o.uncovered, actions=o.actions, examen=o.examen, financee=o.financee,
                  realisee=o.realisee, non_retenue=o.non_retenue, abandonnee=o.abandonnee,
                  requested_cents=o.requested_cents, state_requested_cents=o.state_requested_cents,
                  granted_cents=o.granted_cents, state_granted_cents=o.state_granted_cents,
                  beneficiaries_planned=o.beneficiaries_planned, beneficiaries_reached=o.beneficiaries_reached,
                  reviews_due=o.reviews_due, reviews_received=o.reviews_received,
                  reviews_overdue=o.reviews_overdue, progress=o.progress)
        for o in objective_tree_summary(db, year=year, quartier_id=quartier_id, today=today))
