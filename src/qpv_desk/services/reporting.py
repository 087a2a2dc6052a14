"""Everything the COPIL / DGS follow-up workbook shows, gathered in a fixed number of queries.

:func:`copil_data` returns plain frozen dataclasses; :mod:`qpv_desk.reports.copil_workbook`
turns them into a file. The per-objective follow-up comes from
:func:`qpv_desk.services.followup.objective_tree_summary`, the very function behind the
app's Suivi screen, so the workbook and the screen show the same figures.

Rules (documented once, here):
- the actions of a year are those of the programme years of that year (any contract),
  restricted to one quartier when asked; with no year, every programme year counts (the
  whole contract) and so does every meeting;
- an amount « accordé » is the granted amount (an empty grant counts 0);
- the State's part is the sum over the funders flagged ``is_state``;
- beneficiaries and bilans follow the Suivi rules (:mod:`qpv_desk.domain.aggregation`):
  beneficiaries of the retained actions only; a bilan is *attendu* for a funded or
  carried-out action with a due date, *reçu* when a reception date is entered, *en
  retard* when not received and due before ``today``;
- a GT meeting is *tenue* when its status is « tenue » or « compte rendu validé »; the
  attendance rate of a meeting is attended / invitees (guests included, as on the meeting
  screen), « attended »
  meaning present, remote or represented; the average rate is the mean over the held
  GT meetings that have invitees;
- the attendance rate of an organisation at the GT is, over the held GT meetings of the
  year, the number of its invitations attended / its invitations;
- open tasks are all the tasks still « à faire » or « en cours », whatever their year
  (they are what remains to be done); overdue = due before ``today``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from ..domain import enums as E
from ..domain.aggregation import FUNDED_GROUPS, counts_for_beneficiaries
from ..domain.errors import NotFoundError, ValidationError
from ..store.db import Database
from ..store.models import (
    Action,
    ActionObjective,
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

HELD = (E.MeetingStatus.TENUE.value, E.MeetingStatus.CR_VALIDE.value)
ATTENDANCE_COLUMNS = (
    E.AttendanceStatus.PRESENT,
    E.AttendanceStatus.DISTANCE,
    E.AttendanceStatus.REPRESENTE,
    E.AttendanceStatus.EXCUSE,
    E.AttendanceStatus.ABSENT,
    E.AttendanceStatus.INVITE,
)
NO_OBJECTIVE = "Sans objectif principal"


@dataclass(frozen=True)
class FunderInfo:
    id: int
    code: str
    name: str
    is_state: bool


@dataclass(frozen=True)
class ProgrammeRow:
    action_id: int
    year: int
    code: str
    holder: str
    title: str
    objective: str
    enjeu: str
    status: str
    group: str
    requested: tuple[int, ...]  # per funder, in ``CopilData.funders`` order
    granted: tuple[int | None, ...]
    total_cost_cents: int
    platform_code: str
    quartier: str


@dataclass(frozen=True)
class GroupRow:
    label: str
    count: int
    requested_cents: int
    granted_cents: int


@dataclass(frozen=True)
class FunderTotal:
    funder: FunderInfo
    requested_cents: int
    granted_cents: int
    paid_cents: int


@dataclass(frozen=True)
class EnjeuRow:
    code: str
    title: str
    requested: tuple[int, ...]
    granted: tuple[int, ...]

    @property
    def label(self) -> str:
        return f"{self.code} – {self.title}" if self.code else self.title


@dataclass(frozen=True)
class MeetingRow:
    date: dt.date
    body: str
    body_kind: str
    title: str
    place: str
    status: str
    held: bool
    counts: tuple[int, ...]  # per ATTENDANCE_COLUMNS
    invited: int
    attended: int

    @property
    def rate(self) -> float | None:
        return self.attended / self.invited if self.invited else None


@dataclass(frozen=True)
class OrgAttendance:
    organisation: str
    invited: int
    attended: int

    @property
    def rate(self) -> float | None:
        return self.attended / self.invited if self.invited else None


@dataclass(frozen=True)
class TaskLine:
    description: str
    person: str
    organisation: str
    due_date: dt.date | None
    status: str
    origin: str
    origin_date: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class StatLine:
    quartier: str
    label: str
    value: Decimal
    agglomeration: Decimal | None
    unit: str
    source: str
    year: int | None

    @property
    def is_percentage(self) -> bool:
        return self.unit.strip() == "%"


@dataclass(frozen=True)
class CopilData:
    year: int | None  # None: the whole contract
    title: str
    contract: str
    quartier: str  # « Tous les quartiers » when not filtered
    data_date: dt.datetime
    today: dt.date
    funders: tuple[FunderInfo, ...]
    programme: tuple[ProgrammeRow, ...]
    groups: tuple[GroupRow, ...]
    funder_totals: tuple[FunderTotal, ...]
    state_requested_cents: int
    state_granted_cents: int
    total_cost_cents: int
    beneficiaries_planned: int
    beneficiaries_reached: int
    beneficiaries_qpv: int
    bilans_due: int
    bilans_received: int
    bilans_overdue: int
    enjeux: tuple[EnjeuRow, ...]
    suivi: tuple = ()
    level_names: tuple[str, ...] = ()
    meetings: tuple[MeetingRow, ...] = ()
    gt_meetings_held: int = 0
    gt_average_rate: float | None = None
    org_attendance: tuple[OrgAttendance, ...] = ()
    tasks: tuple[TaskLine, ...] = ()
    statistics: tuple[StatLine, ...] = ()
    has_cents: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def period(self) -> str:
        """« en 2025 » or « sur la durée du contrat »."""
        return f"en {self.year}" if self.year is not None else "sur la durée du contrat"

    @property
    def requested_cents(self) -> int:
        return sum(t.requested_cents for t in self.funder_totals)

    @property
    def granted_cents(self) -> int:
        return sum(t.granted_cents for t in self.funder_totals)


def _person(first, last, civility="") -> str:
    return " ".join(p for p in (civility, first, last) if p)


def copil_data(db: Database, year: int | None, quartier_code: str | None = None,
               today: dt.date | None = None) -> CopilData:
    """The workbook's content for ``year`` (``None``: the whole contract, every programme
    year) and one quartier if ``quartier_code`` is given."""
    from .followup import objective_tree_summary

    if year is not None and (not isinstance(year, int) or not 1990 <= year <= 2200):
        raise ValidationError("year", f"L'année « {year} » n'est pas valide.")
    today = today or dt.date.today()
    with db.reader() as s:
        quartier = None
        if quartier_code:
            quartier = s.scalar(select(Quartier).where(
                or_(Quartier.code == quartier_code.strip(), Quartier.name == quartier_code.strip())))
            if quartier is None:
                raise NotFoundError(f"Quartier « {quartier_code} » introuvable.")
        quartier_id = quartier.id if quartier else None
        quartier_label = f"{quartier.name} ({quartier.code})" if quartier else "Tous les quartiers"

        contract_name = s.scalar(select(Contract.name).order_by(Contract.id).limit(1)) or ""

        funders = tuple(FunderInfo(f.id, f.code, f.name, f.is_state)
                        for f in s.scalars(select(Funder).order_by(Funder.position, Funder.id)))
        f_index = {f.id: i for i, f in enumerate(funders)}

        objectives = s.execute(select(Objective.id, Objective.parent_id, Objective.code, Objective.title,
                                      Objective.depth, Objective.position, Objective.retired)).all()
        obj_by_id = {o.id: o for o in objectives}

        def root_of(obj_id):
            seen = 0
            o = obj_by_id.get(obj_id)
            while o is not None and o.parent_id is not None and seen < 50:
                o = obj_by_id.get(o.parent_id)
                seen += 1
            return o

        holder = aliased(Organisation)
        principal = aliased(ActionObjective)
        action_filter = [ProgrammeYear.year == year] if year is not None else []
        if quartier_id is not None:
            action_filter.append(Action.quartier_id == quartier_id)
        rows = s.execute(
            select(Action.id, ProgrammeYear.year, Action.code, Action.title, Action.status, Action.total_cost_cents, Action.platform_code,
                   Action.beneficiaries_planned, Action.beneficiaries_reached, Action.beneficiaries_qpv,
                   Action.review_due, Action.review_received, holder.name.label("holder"),
                   principal.objective_id, Quartier.code.label("quartier"))
            .join(ProgrammeYear, Action.programme_year_id == ProgrammeYear.id)
            .join(holder, Action.holder_id == holder.id)
            .join(principal, (principal.action_id == Action.id) & principal.is_principal, isouter=True)
            .join(Quartier, Action.quartier_id == Quartier.id, isouter=True)
            .where(*action_filter)
            .order_by(ProgrammeYear.year, Action.code, Action.id)
        ).all()

        lines = s.execute(
            select(FundingLine.action_id, FundingLine.funder_id, FundingLine.requested_cents,
                   FundingLine.granted_cents, FundingLine.paid_cents)
            .join(Action, FundingLine.action_id == Action.id)
            .join(ProgrammeYear, Action.programme_year_id == ProgrammeYear.id)
            .where(*action_filter)
        ).all()

        level_names = tuple(s.scalars(select(ObjectiveLevel.name).order_by(ObjectiveLevel.contract_id, ObjectiveLevel.depth)).all())

        # ------------------------------------------------------------- meetings
        meeting_filter = [Meeting.date >= dt.date(year, 1, 1), Meeting.date <= dt.date(year, 12, 31)] if year else []
        if quartier_id is not None:
            meeting_filter.append(or_(Meeting.quartier_id == quartier_id, Meeting.quartier_id.is_(None)))
        meetings = s.execute(
            select(Meeting.id, Meeting.date, Meeting.title, Meeting.place, Meeting.status, Body.name.label("body"),
                   Body.kind.label("kind"))
            .join(Body, Meeting.body_id == Body.id)
            .where(*meeting_filter)
            .order_by(Meeting.date, Meeting.start_time, Meeting.id)
        ).all()
        counts = s.execute(
            select(Attendance.meeting_id, Attendance.status, func.count())
            .join(Meeting, Attendance.meeting_id == Meeting.id)
            .where(*meeting_filter)
            .group_by(Attendance.meeting_id, Attendance.status)
        ).all()
        org = aliased(Organisation)
        per_org = s.execute(
            select(org.name, Attendance.status, func.count())
            .join(Meeting, Attendance.meeting_id == Meeting.id)
            .join(Body, Meeting.body_id == Body.id)
            .join(org, Attendance.organisation_id == org.id, isouter=True)
            .where(*meeting_filter, Body.kind == E.BodyKind.GT.value,
                   Meeting.status.in_(HELD))
            .group_by(org.name, Attendance.status)
        ).all()

        # ------------------------------------------------------------- tasks
        owner = aliased(Person)
        owner_org = aliased(Organisation)
        origin_body = aliased(Body)
        task_rows = s.execute(
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

        # ------------------------------------------------------------- portrait
        stat_filter = [Statistic.quartier_id == quartier_id] if quartier_id else []
        stats = s.execute(
            select(Statistic.label, Statistic.value, Statistic.agglomeration_value, Statistic.unit, Statistic.source,
                   Statistic.year, Quartier.name, Quartier.code)
            .join(Quartier, Statistic.quartier_id == Quartier.id)
            .where(*stat_filter).order_by(Quartier.code, Statistic.position, Statistic.id)
        ).all()
        

    suivi = tuple(objective_tree_summary(db, year=year, quartier_id=quartier_id, today=today))

    # ----------------------------------------------------------------- programme
    n = len(funders)
    req_by_action: dict[int, list[int]] = defaultdict(lambda: [0] * n)
    gra_by_action: dict[int, list[int | None]] = defaultdict(lambda: [None] * n)
    totals_req, totals_gra, totals_paid = [0] * n, [0] * n, [0] * n
    has_cents = False
    for ln in lines:
        i = f_index[ln.funder_id]
        req_by_action[ln.action_id][i] = ln.requested_cents
        gra_by_action[ln.action_id][i] = ln.granted_cents
        totals_req[i] += ln.requested_cents
        totals_gra[i] += ln.granted_cents or 0
        totals_paid[i] += ln.paid_cents
        if ln.requested_cents % 100 or (ln.granted_cents or 0) % 100:
            has_cents = True

    programme = []
    group_acc = {g: [0, 0, 0] for g in E.StatusGroup}
    enjeu_acc: dict[int | None, list[list[int]]] = {}
    bp = br = bq = due = received = overdue = cost = 0
    for r in rows:
        status = E.ActionStatus(r.status)
        req = tuple(req_by_action[r.id])
        gra = tuple(gra_by_action[r.id])
        obj = obj_by_id.get(r.objective_id)
        root = root_of(r.objective_id) if obj else None
        programme.append(ProgrammeRow(
            action_id=r.id, year=r.year, code=r.code, holder=r.holder, title=r.title,
            objective=f"{obj.code} – {obj.title}" if obj else "", enjeu=root.code if root else "",
            status=status.label, group=status.group.label, requested=req, granted=gra,
            total_cost_cents=r.total_cost_cents or 0, platform_code=r.platform_code or "", quartier=r.quartier or ""))
        acc = group_acc[status.group]
        acc[0] += 1
        acc[1] += sum(req)
        acc[2] += sum(g or 0 for g in gra)
        key = root.id if root else None
        e = enjeu_acc.setdefault(key, [[0] * n, [0] * n])
        for i in range(n):
            e[0][i] += req[i]
            e[1][i] += gra[i] or 0
        if counts_for_beneficiaries(status):
            bp += r.beneficiaries_planned or 0
            br += r.beneficiaries_reached or 0
            bq += r.beneficiaries_qpv or 0
        cost += r.total_cost_cents or 0
        if status.group in FUNDED_GROUPS and r.review_due is not None:
            due += 1
            if r.review_received is not None:
                received += 1
            elif r.review_due < today:
                overdue += 1
        if (r.total_cost_cents or 0) % 100:
            has_cents = True

    roots = sorted((o for o in objectives if o.parent_id is None), key=lambda o: (o.position, o.code))
    enjeux = []
    for o in roots:
        if o.retired and o.id not in enjeu_acc:
            continue
        req, gra = enjeu_acc.get(o.id, [[0] * n, [0] * n])
        enjeux.append(EnjeuRow(o.code, o.title, tuple(req), tuple(gra)))
    if None in enjeu_acc:
        req, gra = enjeu_acc[None]
        enjeux.append(EnjeuRow("", NO_OBJECTIVE, tuple(req), tuple(gra)))

    state = [i for i, f in enumerate(funders) if f.is_state]

    # ----------------------------------------------------------------- meetings
    by_meeting: dict[int, dict[str, int]] = defaultdict(dict)
    for mid, status, c in counts:
        by_meeting[mid][status] = c
    meeting_rows = []
    rates = []
    gt_held = 0
    for m in meetings:
        c = by_meeting.get(m.id, {})
        per = tuple(c.get(st.value, 0) for st in ATTENDANCE_COLUMNS)
        invited = sum(c.values())
        attended = sum(v for k, v in c.items() if E.AttendanceStatus(k).attended)
        held = m.status in HELD
        row = MeetingRow(m.date, m.body, m.kind, m.title, m.place or "", E.MeetingStatus(m.status).label, held,
                         per, invited, attended)
        meeting_rows.append(row)
        if held and m.kind == E.BodyKind.GT.value:
            gt_held += 1
            if invited:
                rates.append(row.rate)
    org_acc: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name, status, c in per_org:
        acc = org_acc[name or "(sans structure)"]
        acc[0] += c
        if E.AttendanceStatus(status).attended:
            acc[1] += c
    org_rows = tuple(sorted((OrgAttendance(k, v[0], v[1]) for k, v in org_acc.items()),
                            key=lambda o: (-(o.rate or 0), o.organisation.casefold())))

    tasks = tuple(
        TaskLine(
            description=t.description, person=_person(t.first_name, t.last_name, t.civility or ""),
            organisation=t.org or "", due_date=t.due_date, status=E.TaskStatus(t.status).label,
            origin=t.body or t.meeting or "",
            origin_date=t.meeting_date, overdue=bool(t.due_date and t.due_date < today))
        for t in task_rows)

    statistics = tuple(
        StatLine(quartier=f"{st.name} ({st.code})", label=st.label, value=st.value, agglomeration=st.agglomeration_value,
                 unit=st.unit or "", source=st.source or "", year=st.year)
        for st in stats)

    if year is not None:
        title = f"Suivi du contrat de ville – programmation {year}"
    else:
        years = sorted({r.year for r in rows})
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "")
        title = f"Suivi du contrat de ville – programmations {span}".rstrip()
    return CopilData(
        year=year, title=title, contract=contract_name, quartier=quartier_label,
        data_date=dt.datetime.now().replace(microsecond=0), today=today, funders=funders,
        programme=tuple(programme),
        groups=tuple(GroupRow(g.label, *group_acc[g]) for g in E.StatusGroup),
        funder_totals=tuple(FunderTotal(f, totals_req[i], totals_gra[i], totals_paid[i]) for i, f in enumerate(funders)),
        state_requested_cents=sum(totals_req[i] for i in state),
        state_granted_cents=sum(totals_gra[i] for i in state),
        total_cost_cents=cost,
        beneficiaries_planned=bp, beneficiaries_reached=br, beneficiaries_qpv=bq,
        bilans_due=due, bilans_received=received, bilans_overdue=overdue,
        enjeux=tuple(enjeux), suivi=suivi, level_names=level_names,
        meetings=tuple(meeting_rows), gt_meetings_held=gt_held,
        gt_average_rate=(sum(rates) / len(rates)) if rates else None,
        org_attendance=org_rows, tasks=tasks, statistics=statistics, has_cents=has_cents,
    )
