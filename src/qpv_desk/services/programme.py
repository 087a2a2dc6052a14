"""Programmation: the actions of a year, their financing plan, status history, indicators, bilan.

One function per user action, each a unit of work; plain frozen dataclasses out; typed
French errors (:class:`ValidationError` naming every bad field at once,
:class:`NotFoundError`, :class:`ConflictError`).

Input conventions (``values`` mappings):

- amounts (keys ending in ``_cents``, and ``requested``/``granted``/``paid`` of a
  funding line) are integer **cents** when given as ``int``, **euros** when given as
  text (« 1 234,50 ») or ``Decimal`` — see :func:`qpv_desk.domain.validation.amount_cents`;
- ``objectives``: a sequence of ``(objective_id, is_principal)`` — exactly one principal;
- ``funding``: a sequence of mappings ``{"funder_id", "requested", "granted", "paid"}``
  (``granted`` may be ``None``: not decided yet); it replaces the whole plan;
- ``indicators``: a sequence of mappings ``{"label", "unit", "target", "result"}``
  (replaces every indicator).

Reading the programme (:func:`list_actions`) costs a constant number of SQL statements
whatever the number of actions (tests count them).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from ..domain import enums as E
from ..domain import validation as V
from ..domain.errors import NotFoundError, ReferencedError, ValidationError
from ..store.db import Database
from ..store.models import (
    Action,
    ActionObjective,
    ActionStatusChange,
    AgendaItem,
    Body,
    Contract,
    Decision,
    FollowUpTask,
    Funder,
    FundingLine,
    Indicator,
    Meeting,
    Objective,
    ObjectiveLevel,
    Organisation,
    Person,
    ProgrammeYear,
    Quartier,
    Setting,
)
from .common import check_version, collect_errors, diff, get, record_change, refuse_unknown, validate_fields
from .partners import fold_text
from .programme_data import (  # noqa: F401 - re-exported: callers use programme.X
    FunderRow,
    ObjectiveChoice,
    Amounts,
    ActionRow,
    ProgrammeTotals,
    ProgrammeList,
    FundingLineRow,
    StatusChangeRow,
    IndicatorRow,
    ObjectiveLink,
    ActionDetail,
    MeetingChoice,
    euros,
    programme_totals,
    add_months,
)

# --------------------------------------------------------------------------- settings

SETTINGS: dict[str, tuple[str, str]] = {
    # key: (default stored as text, French description)
    "max_funder_share": ("80", "Part maximale du coût total qu'un financeur peut financer (en %)"),
}
"""Database settings used by the programme, each declared once with its default."""


def get_setting(db: Database, key: str) -> str:
    """Value of a database setting (text), its declared default when never set."""
    if key not in SETTINGS:
        raise NotFoundError(f"Paramètre inconnu : {key}.")
    with db.reader() as s:
        value = s.scalar(select(Setting.value).where(Setting.key == key))
    return SETTINGS[key][0] if value is None else value


def set_setting(db: Database, key: str, value: str) -> None:
    if key not in SETTINGS:
        raise NotFoundError(f"Paramètre inconnu : {key}.")
    if key == "max_funder_share":
        share = V.decimal(value, "Part maximale d'un financeur", key, required=True, minimum=Decimal(0))
        if share > 100:
            raise ValidationError(key, "La part maximale d'un financeur ne peut pas dépasser 100 %.")
        value = format(share.normalize(), "f")
    with db.session() as s:
        row = s.get(Setting, key)
        if row is None:
            s.add(Setting(key=key, value=str(value)))
        else:
            row.value = str(value)


def max_funder_share(db: Database) -> Decimal:
    """The configured maximum share (percent) of the total cost one funder may request."""
    try:
        return Decimal(get_setting(db, "max_funder_share").replace(",", "."))
    except ArithmeticError:
        return Decimal(SETTINGS["max_funder_share"][0])


def _shift_year(day: dt.date | None, years: int = 1) -> dt.date | None:
    return None if day is None else add_months(day, 12 * years)


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


def programme_years(db: Database) -> list[int]:
    """Years that have a programme, plus the contract's years (for the year selector)."""
    with db.reader() as s:
        years = set(s.scalars(select(ProgrammeYear.year)))
        contract = s.scalar(select(Contract).order_by(Contract.id).limit(1))
        if contract is not None:
            years.update(range(contract.start_year, contract.end_year + 1))
    return sorted(years)


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


def objective_choices(session_or_db, *, include_retired: bool = True) -> list[ObjectiveChoice]:
    """The contract's objective tree in tree order (depth-first, by position), one statement."""
    if isinstance(session_or_db, Database):
        with session_or_db.reader() as s:
            return objective_choices(s, include_retired=include_retired)
    s: Session = session_or_db
    cid = s.scalar(select(Contract.id).order_by(Contract.id).limit(1))
    if cid is None:
        return []
    stmt = (
        select(Objective.id, Objective.parent_id, Objective.depth, Objective.code, Objective.title,
               ObjectiveLevel.name, Objective.retired, Objective.position)
        .outerjoin(ObjectiveLevel, and_(ObjectiveLevel.contract_id == Objective.contract_id,
                                        ObjectiveLevel.depth == Objective.depth))
        .where(Objective.contract_id == cid)
    )
    rows = s.execute(stmt).all()
    children: dict[int | None, list] = {}
    ids = {r[0] for r in rows}
    for r in rows:
        children.setdefault(r[1] if r[1] in ids else None, []).append(r)
    for lst in children.values():
        lst.sort(key=lambda r: (r[7], r[3], r[0]))
    out: list[ObjectiveChoice] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        r = stack.pop()
        if r[6] and not include_retired:
            continue
        out.append(ObjectiveChoice(r[0], r[1] if r[1] in ids else None, r[2], r[3], r[4], r[5] or f"Niveau {r[2]}", r[6]))
        stack.extend(reversed(children.get(r[0], [])))
    return out


def descendants(choices: Sequence[ObjectiveChoice], objective_id: int) -> set[int]:
    """The objective and every objective below it."""
    children: dict[int | None, list[int]] = {}
    for c in choices:
        children.setdefault(c.parent_id, []).append(c.id)
    out, stack = set(), [objective_id]
    while stack:
        node = stack.pop()
        if node in out:
            continue
        out.add(node)
        stack.extend(children.get(node, []))
    return out


def meeting_choices(db: Database, *, limit: int = 200) -> list[MeetingChoice]:
    """Recent meetings (newest first) that a status change can cite."""
    stmt = (select(Meeting.id, Meeting.date, Body.name, Meeting.title).join(Body, Body.id == Meeting.body_id)
            .order_by(Meeting.date.desc(), Meeting.id.desc()).limit(limit))
    with db.reader() as s:
        return [MeetingChoice(*r) for r in s.execute(stmt)]


# --------------------------------------------------------------------------- the programme list


def _search_key(*parts) -> str:
    return fold_text(" ".join(p for p in parts if p))


def row_matches(row: ActionRow, search: str) -> bool:
    """Every word of ``search`` (case and accents ignored) appears in the code, title,
    holder, principal objective code or State platform code of the action."""
    words = fold_text(search).split()
    return all(w in row.search_key for w in words)


def filter_rows(rows: Iterable[ActionRow], search: str) -> list[ActionRow]:
    """The rows matching ``search`` (same rule as :func:`row_matches`, search folded once)."""
    words = fold_text(search).split()
    if not words:
        return list(rows)
    return [r for r in rows if all(w in r.search_key for w in words)]


def list_actions(
    db: Database,
    year: int,
    *,
    status: E.ActionStatus | str | Iterable | None = None,
    group: E.StatusGroup | str | None = None,
    objective_id: int | None = None,
    holder_id: int | None = None,
    funder_id: int | None = None,
    quartier_id: int | None = None,
    search: str = "",
) -> ProgrammeList:
    """The actions of ``year``'s programme, filtered, sorted by code.

    ``status``: one status (or several); ``group``: a status group; ``objective_id``:
    actions whose PRINCIPAL objective is this objective or one below it (enjeu,
    orientation or objective); ``funder_id``: actions with a line for this funder
    (something requested or granted); ``search``: see :func:`row_matches`.
    Four statements at most, whatever the number of actions.
    """
    stmt = (
        select(Action.id, Action.code, Action.title, Action.holder_id, Organisation.name, Organisation.acronym,
               Objective.id, Objective.code, Action.status, Action.total_cost_cents, Action.beneficiaries_planned,
               Action.beneficiaries_reached, Action.beneficiaries_qpv, Action.progress, Action.review_due,
               Action.review_received, Action.is_renewal, Action.platform_code, Action.start_date, Action.end_date,
               Action.quartier_id)
        .join(ProgrammeYear, ProgrammeYear.id == Action.programme_year_id)
        .join(Contract, Contract.id == ProgrammeYear.contract_id)
        .join(Organisation, Organisation.id == Action.holder_id)
        .outerjoin(ActionObjective, and_(ActionObjective.action_id == Action.id, ActionObjective.is_principal.is_(True)))
        .outerjoin(Objective, Objective.id == ActionObjective.objective_id)
        .where(ProgrammeYear.year == int(year))
        .where(Contract.id == select(func.min(Contract.id)).scalar_subquery())
    )
    if status is not None and status != "":
        statuses = [status] if isinstance(status, (str, E.ActionStatus)) else list(status)
        stmt = stmt.where(Action.status.in_([V.choice(x, E.ActionStatus, "Statut", "status").value for x in statuses]))
    if group is not None and group != "":
        g = V.choice(group, E.StatusGroup, "Groupe de statuts", "group")
        stmt = stmt.where(Action.status.in_([s.value for s in E.ActionStatus if s.group == g]))
    if holder_id is not None:
        stmt = stmt.where(Action.holder_id == int(holder_id))
    if quartier_id is not None:
        stmt = stmt.where(Action.quartier_id == int(quartier_id))
    if funder_id is not None:
        stmt = stmt.where(
            select(FundingLine.id).where(
                FundingLine.action_id == Action.id, FundingLine.funder_id == int(funder_id),
                (FundingLine.requested_cents > 0) | (func.coalesce(FundingLine.granted_cents, 0) > 0),
            ).exists()
        )
    with db.reader() as s:
        if objective_id is not None:
            subtree = descendants(objective_choices(s), int(objective_id))
            stmt = stmt.where(ActionObjective.objective_id.in_(subtree))
        funder_rows = tuple(
            FunderRow(f.id, f.code, f.name, f.is_state, f.position, f.active)
            for f in s.scalars(select(Funder).order_by(Funder.position, Funder.id))
        )
        ids_subq = stmt.with_only_columns(Action.id).scalar_subquery()
        funding: dict[int, dict[int, Amounts]] = {}
        for aid, fid, req, gr, paid in s.execute(
            select(FundingLine.action_id, FundingLine.funder_id, FundingLine.requested_cents,
                   FundingLine.granted_cents, FundingLine.paid_cents).where(FundingLine.action_id.in_(ids_subq))
        ):
            funding.setdefault(aid, {})[fid] = Amounts(req or 0, gr, paid or 0)
        raw = s.execute(stmt.order_by(Action.code, Action.id)).all()
    used = {fid for lines in funding.values() for fid in lines}
    shown_funders = tuple(f for f in funder_rows if f.active or f.id in used)
    rows = []
    for r in raw:
        row = ActionRow(
            id=r[0], year=int(year), code=r[1], title=r[2], holder_id=r[3], holder_name=r[4],
            principal_objective_id=r[6], principal_objective_code=r[7], status=E.ActionStatus(r[8]),
            total_cost_cents=r[9] or 0, funding=funding.get(r[0], {}), beneficiaries_planned=r[10],
            beneficiaries_reached=r[11], beneficiaries_qpv=r[12], progress=r[13], review_due=r[14],
            review_received=r[15], is_renewal=bool(r[16]), platform_code=r[17], start_date=r[18], end_date=r[19],
            search_key=_search_key(r[1], r[2], r[4], r[5], r[7], r[17]), quartier_id=r[20],
        )
        rows.append(row)
    return ProgrammeList(int(year), shown_funders, tuple(filter_rows(rows, search)))


# --------------------------------------------------------------------------- one action


def _detail(s: Session, action_id: int) -> ActionDetail:
    a = s.scalar(
        select(Action).where(Action.id == int(action_id)).options(
            selectinload(Action.objective_links).selectinload(ActionObjective.objective),
            selectinload(Action.funding_lines).selectinload(FundingLine.funder),
            selectinload(Action.status_history).selectinload(ActionStatusChange.meeting).selectinload(Meeting.body),
            selectinload(Action.indicators),
        )
    ) if str(action_id).lstrip("-").isdigit() else None
    if a is None:
        raise NotFoundError(f"L'action n° {action_id} introuvable.")
    successors = tuple(s.scalars(select(Action.id).where(Action.predecessor_id == a.id).order_by(Action.id)))
    pred_label = None
    if a.predecessor_id is not None:
        p = s.execute(select(Action.code, ProgrammeYear.year, Action.title).join(ProgrammeYear)
                      .where(Action.id == a.predecessor_id)).first()
        pred_label = f"{p[0]} ({p[1]}) – {p[2]}" if p else None
    objectives = sorted(
        (ObjectiveLink(l.objective_id, l.objective.code, l.objective.title, bool(l.is_principal))
         for l in a.objective_links),
        key=lambda o: (not o.is_principal, o.code),
    )
    lines = sorted(a.funding_lines, key=lambda l: (l.funder.position, l.funder_id))
    history = [
        StatusChangeRow(h.id, E.ActionStatus(h.status), h.date, h.meeting_id,
                        f"{h.meeting.body.name} du {h.meeting.date:%d/%m/%Y}" if h.meeting else None,
                        h.decision_id, h.note)
        for h in a.status_history
    ]
    return ActionDetail(
        id=a.id, version=a.version, year=a.programme_year.year, code=a.code, title=a.title,
        quartier_id=a.quartier_id, holder_id=a.holder_id, holder_name=a.holder.name, contact_id=a.contact_id,
        contact_name=a.contact.full_name if a.contact else None, description=a.description,
        target_public=a.target_public, place=a.place, start_date=a.start_date, end_date=a.end_date,
        is_renewal=a.is_renewal, multi_year=a.multi_year, platform_code=a.platform_code,
        predecessor_id=a.predecessor_id, predecessor_label=pred_label, successor_ids=successors,
        status=E.ActionStatus(a.status), total_cost_cents=a.total_cost_cents or 0,
        beneficiaries_planned=a.beneficiaries_planned, beneficiaries_reached=a.beneficiaries_reached,
        beneficiaries_qpv=a.beneficiaries_qpv, progress=a.progress, review_due=a.review_due,
        review_received=a.review_received, review_notes=a.review_notes, objectives=tuple(objectives),
        funding=tuple(FundingLineRow(l.funder_id, l.funder.code, l.funder.name, l.funder.is_state,
                                     l.requested_cents, l.granted_cents, l.paid_cents) for l in lines),
        history=tuple(history),
        indicators=tuple(IndicatorRow(i.id, i.position, i.label, i.unit, i.target, i.result, i.version)
                         for i in a.indicators),
    )


def get_action(db: Database, action_id: int) -> ActionDetail:
    with db.reader() as s:
        return _detail(s, action_id)


# --------------------------------------------------------------------------- validation

_SCALARS = {
    "code", "title", "holder_id", "contact_id", "quartier_id", "description", "target_public", "place",
    "start_date", "end_date", "is_renewal", "multi_year", "platform_code", "total_cost_cents",
    "beneficiaries_planned", "beneficiaries_reached", "beneficiaries_qpv", "progress", "review_due",
    "review_received", "review_notes",
}
_LISTS = {"objectives", "funding", "indicators"}
_CREATE_ONLY = {"status", "status_date"}


def _bool(value, label: str, key: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in (0, 1):
        return bool(value)
    raise ValidationError(key, f"Le champ « {label} » doit valoir oui ou non.")


def _ref(s: Session, model, value, label: str, key: str, *, required: bool = False):
    if value in (None, ""):
        if required:
            raise ValidationError(key, f"Le champ « {label} » est obligatoire.")
        return None
    try:
        return get(s, model, value, label).id
    except NotFoundError as exc:
        raise ValidationError(key, str(exc)) from None


def _validate_scalars(s: Session, data: Mapping, *, creating: bool) -> dict:
    checks = {
        "code": lambda: V.line(data.get("code"), "Code", "code", max_len=40),
        "title": lambda: V.line(data.get("title"), "Intitulé", "title", required=True),
        "holder_id": lambda: _ref(s, Organisation, data.get("holder_id"), "Porteur", "holder_id", required=True),
        "contact_id": lambda: _ref(s, Person, data.get("contact_id"), "Contact", "contact_id"),
        "quartier_id": lambda: _ref(s, Quartier, data.get("quartier_id"), "Quartier", "quartier_id"),
        "description": lambda: V.text(data.get("description"), "Description", "description"),
        "target_public": lambda: V.text(data.get("target_public"), "Public visé", "target_public"),
        "place": lambda: V.line(data.get("place"), "Lieu", "place"),
        "start_date": lambda: V.date(data.get("start_date"), "Début", "start_date"),
        "end_date": lambda: V.date(data.get("end_date"), "Fin", "end_date"),
        "is_renewal": lambda: _bool(data.get("is_renewal", False), "Reconduction", "is_renewal"),
        "multi_year": lambda: _bool(data.get("multi_year", False), "Pluriannuelle", "multi_year"),
        "platform_code": lambda: V.line(data.get("platform_code"), "N° de dossier (plateforme de l'État)",
                                        "platform_code", max_len=60),
        "total_cost_cents": lambda: V.amount_cents(data.get("total_cost_cents"), "Coût total", "total_cost_cents",
                                                   allow_none=False),
        "beneficiaries_planned": lambda: V.count(data.get("beneficiaries_planned"), "Bénéficiaires prévus",
                                                 "beneficiaries_planned"),
        "beneficiaries_reached": lambda: V.count(data.get("beneficiaries_reached"), "Bénéficiaires touchés",
                                                 "beneficiaries_reached"),
        "beneficiaries_qpv": lambda: V.count(data.get("beneficiaries_qpv"), "Dont habitants du QPV",
                                             "beneficiaries_qpv"),
        "progress": lambda: V.count(data.get("progress"), "Avancement (%)", "progress", maximum=100),
        "review_due": lambda: V.date(data.get("review_due"), "Échéance du bilan", "review_due"),
        "review_received": lambda: V.date(data.get("review_received"), "Bilan reçu le", "review_received"),
        "review_notes": lambda: V.text(data.get("review_notes"), "Notes sur le bilan", "review_notes"),
    }
    scalars = {k: v for k, v in data.items() if k not in _LISTS | _CREATE_ONLY}
    return validate_fields(scalars, checks, required=("title", "holder_id") if creating else ())


def _validate_objectives(s: Session, links, contract_id: int) -> list[tuple[int, bool]]:
    if isinstance(links, Mapping):
        links = list(links.items())
    cleaned: dict[int, bool] = {}
    for item in links or ():
        oid, principal = item
        try:
            oid = int(oid)
        except (TypeError, ValueError):
            raise ValidationError("objectives", f"Objectif invalide : {oid!r}.") from None
        if oid in cleaned:
            raise ValidationError("objectives", "Un objectif est coché deux fois.")
        cleaned[oid] = bool(principal)
    if not cleaned:
        raise ValidationError("objectives", "Choisissez au moins un objectif, dont un objectif principal.")
    principals = sum(cleaned.values())
    if principals != 1:
        raise ValidationError(
            "objectives",
            "Une action doit avoir exactement un objectif principal "
            f"({principals} indiqué{'s' if principals > 1 else ''}).",
        )
    found = dict(s.execute(select(Objective.id, Objective.contract_id).where(Objective.id.in_(cleaned))).all())
    missing = [oid for oid in cleaned if found.get(oid) != contract_id]
    if missing:
        raise ValidationError("objectives", f"Objectif introuvable dans le contrat (n° {missing[0]}).")
    return list(cleaned.items())


def _validate_funding(s: Session, lines) -> list[dict]:
    out, seen, errors = [], set(), {}
    names = dict(s.execute(select(Funder.id, Funder.name)).all())
    for i, line in enumerate(lines or ()):
        try:
            fid = int(line.get("funder_id"))
        except (TypeError, ValueError):
            raise ValidationError("funding", f"Ligne {i + 1} du plan de financement : financeur manquant.") from None
        if fid not in names:
            raise ValidationError("funding", f"Financeur n° {fid} introuvable.")
        if fid in seen:
            raise ValidationError("funding", f"Le financeur « {names[fid]} » apparaît deux fois dans le plan.")
        seen.add(fid)
        name = names[fid]
        try:
            req = V.amount_cents(line.get("requested"), f"{name} – demandé", "funding", allow_none=False)
            gr = V.amount_cents(line.get("granted"), f"{name} – accordé", "funding")
            paid = V.amount_cents(line.get("paid"), f"{name} – versé", "funding", allow_none=False)
        except ValidationError as exc:
            errors.setdefault("funding", str(exc))
            continue
        if req or gr or paid:
            out.append({"funder_id": fid, "requested_cents": req, "granted_cents": gr, "paid_cents": paid})
    if errors:
        raise ValidationError.many(errors)
    return out


def _validate_indicators(lines) -> list[dict]:
    out = []
    for i, line in enumerate(lines or ()):
        label = V.line(line.get("label"), f"Indicateur {i + 1} – libellé", "indicators")
        unit = V.line(line.get("unit"), f"Indicateur {i + 1} – unité", "indicators", max_len=40)
        target = V.decimal(line.get("target"), f"Indicateur {i + 1} – cible", "indicators")
        result = V.decimal(line.get("result"), f"Indicateur {i + 1} – résultat", "indicators")
        if label is None:
            if unit or target is not None or result is not None:
                raise ValidationError("indicators", f"Indicateur {i + 1} : le libellé est obligatoire.")
            continue
        out.append({"label": label, "unit": unit, "target": target, "result": result})
    return out


def _next_code(s: Session, py: ProgrammeYear) -> str:
    pattern = re.compile(rf"^{py.year}-(\d+)$")
    numbers = [int(m.group(1)) for c in s.scalars(select(Action.code).where(Action.programme_year_id == py.id))
               if (m := pattern.match(c or ""))]
    return f"{py.year}-{(max(numbers, default=0) + 1):03d}"


def _check_unique(s: Session, action: Action | None, py_id: int, values: dict) -> None:
    code = values.get("code")
    if code is not None:
        clash = s.scalar(select(Action.id).where(Action.programme_year_id == py_id, Action.code == code))
        if clash is not None and (action is None or clash != action.id):
            raise ValidationError("code", f"Le code « {code} » est déjà utilisé dans cette programmation.")
    pc = values.get("platform_code")
    if pc:
        clash = s.scalar(select(Action.id).where(Action.platform_code == pc))
        if clash is not None and (action is None or clash != action.id):
            raise ValidationError("platform_code", f"Le n° de dossier « {pc} » est déjà celui d'une autre action.")


def _apply_lists(s: Session, action: Action, data: Mapping, contract_id: int) -> dict:
    changes = {}
    if "objectives" in data:
        links = _validate_objectives(s, data["objectives"], contract_id)
        old = sorted((l.objective_id, l.is_principal) for l in action.objective_links)
        if sorted(links) != old:
            action.objective_links.clear()
            s.flush()  # the partial unique index must not see two principals at once
            for oid, principal in links:
                action.objective_links.append(ActionObjective(objective_id=oid, is_principal=principal))
            changes["objectives"] = [old, sorted(links)]
    if "funding" in data:
        lines = _validate_funding(s, data["funding"])
        current = {l.funder_id: l for l in action.funding_lines}
        old = sorted((l.funder_id, l.requested_cents, l.granted_cents, l.paid_cents) for l in action.funding_lines)
        keep = {l["funder_id"] for l in lines}
        for fid, line in current.items():
            if fid not in keep:
                action.funding_lines.remove(line)
        for l in lines:
            line = current.get(l["funder_id"])
            if line is None:
                action.funding_lines.append(FundingLine(**l))
            else:
                diff(line, l)
        new = sorted((l["funder_id"], l["requested_cents"], l["granted_cents"], l["paid_cents"]) for l in lines)
        if new != old:
            changes["funding"] = [old, new]
    if "indicators" in data:
        items = _validate_indicators(data["indicators"])
        old = [(i.label, i.unit, i.target, i.result) for i in action.indicators]
        new = [(i["label"], i["unit"], i["target"], i["result"]) for i in items]
        if [(a, b, None if c is None else Decimal(c), None if d is None else Decimal(d)) for a, b, c, d in old] != new:
            for ind in list(action.indicators):
                action.indicators.remove(ind)
            for pos, i in enumerate(items):
                action.indicators.append(Indicator(position=pos, **i))
            changes["indicators"] = [len(old), len(new)]
    return changes


# --------------------------------------------------------------------------- create / update


def create_action(db: Database, year: int, values: Mapping) -> int:
    """Create an action in ``year``'s programme (created if needed). Returns its id.

    Required: ``title``, ``holder_id``, ``objectives`` (exactly one principal). The code
    is generated (``2026-014``) when not given; the bilan is due 6 months after the end
    by default; the history starts with ``status`` (default « déposée ») dated
    ``status_date`` (default today).
    """
    refuse_unknown(values, _SCALARS | _LISTS | _CREATE_ONLY)
    with db.session() as s:
        errors: dict[str, str] = {}
        data: dict = {}
        for step in (lambda: data.update(_validate_scalars(s, values, creating=True)),
                     lambda: _validate_objectives(s, values.get("objectives"), current_contract_id(s))):
            try:
                step()
            except ValidationError as exc:
                errors.update(exc.errors or {exc.field or "action": str(exc)})
        if errors:
            raise ValidationError.many(errors)
        V.date_range(data.get("start_date"), data.get("end_date"), start_label="Début", end_label="Fin")
        status = V.choice(values.get("status") or E.ActionStatus.DEPOSEE, E.ActionStatus, "Statut", "status")
        status_date = V.date(values.get("status_date"), "Date du statut", "status_date") or dt.date.today()
        py = _programme_year(s, int(year), create=True)
        if not data.get("code"):
            data["code"] = _next_code(s, py)
        _check_unique(s, None, py.id, data)
        if data.get("review_due") is None and data.get("end_date") is not None:
            data["review_due"] = add_months(data["end_date"], 6)
        action = Action(programme_year_id=py.id, status=status.value, **data)
        if action.quartier_id is None:
            quartiers = s.scalars(select(Quartier.id).where(Quartier.contract_id == py.contract_id).limit(2)).all()
            if len(quartiers) == 1:
                action.quartier_id = quartiers[0]
        s.add(action)
        s.flush()
        _apply_lists(s, action, values, py.contract_id)
        s.add(ActionStatusChange(action_id=action.id, status=status.value, date=status_date, note="Création de la fiche"))
        record_change(s, "action", action.id, "create", {"year": py.year, **data})
        return action.id


def update_action(db: Database, action_id: int, values: Mapping, *, expected_version: int) -> int:
    """Change fields of an action (only the keys given). Returns the new version."""
    refuse_unknown(values, _SCALARS | _LISTS)
    with db.session() as s:
        action = get(s, Action, action_id, "L'action")
        check_version(action, expected_version, "L'action")
        data = _validate_scalars(s, values, creating=False)
        errors = {}
        if "code" in data and not data["code"]:
            errors["code"] = "Le champ « Code » est obligatoire."
        try:
            V.date_range(data.get("start_date", action.start_date), data.get("end_date", action.end_date),
                         start_label="Début", end_label="Fin")
        except ValidationError as exc:
            errors[exc.field] = str(exc)
        if errors:
            raise ValidationError.many(errors)
        _check_unique(s, action, action.programme_year_id, data)
        if "end_date" in data and "review_due" not in data and data["end_date"] is not None:
            if action.review_due is None or (action.end_date and action.review_due == add_months(action.end_date, 6)):
                data["review_due"] = add_months(data["end_date"], 6)
        changes = _apply_lists(s, action, values, action.programme_year.contract_id)
        changes.update(diff(action, data))
        if changes:
            if not s.is_modified(action, include_collections=False):
                flag_modified(action, "title")  # only children changed: bump the version all the same
            s.flush()
            record_change(s, "action", action.id, "update", changes)
        return action.version


def update_bilan(db: Database, action_id: int, values: Mapping, *, expected_version: int) -> int:
    """The bilan fields only: ``review_due``, ``review_received``, ``beneficiaries_reached``,
    ``beneficiaries_qpv``, ``review_notes``, ``progress``, ``indicators``."""
    refuse_unknown(values, {"review_due", "review_received", "beneficiaries_reached", "beneficiaries_qpv",
                            "review_notes", "progress", "indicators"})
    return update_action(db, action_id, values, expected_version=expected_version)


def delete_action(db: Database, action_id: int) -> None:
    """Delete an action entered by mistake; refused once meetings or a renewal refer to it."""
    with db.session() as s:
        action = get(s, Action, action_id, "L'action")
        refs = []
        for model, label in ((Decision, "décision"), (AgendaItem, "point d'ordre du jour"),
                             (FollowUpTask, "suite à donner")):
            n = s.scalar(select(func.count()).select_from(model).where(model.action_id == action.id))
            if n:
                refs.append(f"{n} {label}{'s' if n > 1 else ''}")
        if s.scalar(select(func.count()).select_from(Action).where(Action.predecessor_id == action.id)):
            refs.append("sa reconduction")
        if refs:
            raise ReferencedError(f"L'action {action.code} ne peut pas être supprimée : {', '.join(refs)} y renvoie(nt).")
        record_change(s, "action", action.id, "delete", {"code": action.code, "title": action.title})
        s.delete(action)


# --------------------------------------------------------------------------- financing plan


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


# --------------------------------------------------------------------------- status


def _current_status(history: Sequence[ActionStatusChange]) -> str | None:
    if not history:
        return None
    return max(history, key=lambda h: (h.date, h.id or 0)).status


def change_status(
    db: Database,
    action_id: int,
    status: E.ActionStatus | str,
    date: dt.date | str | None = None,
    meeting_id: int | None = None,
    note: str | None = None,
    *,
    decision_id: int | None = None,
) -> int:
    """Append a dated status change (optionally citing the meeting / decision that decided
    it); the action's current status becomes the latest one by date. Returns the change id."""
    with db.session() as s:
        action = get(s, Action, action_id, "L'action")
        values = collect_errors({
            "status": lambda: V.choice(status, E.ActionStatus, "Statut", "status").value,
            "date": lambda: V.date(date, "Date", "date") or dt.date.today(),
            "meeting_id": lambda: _ref(s, Meeting, meeting_id, "La réunion", "meeting_id"),
            "decision_id": lambda: _ref(s, Decision, decision_id, "La décision", "decision_id"),
            "note": lambda: V.text(note, "Commentaire", "note"),
        })
        change = ActionStatusChange(action_id=action.id, **values)
        s.add(change)
        s.flush()
        s.refresh(action, ["status_history"])
        new_status = _current_status(action.status_history)
        old = action.status
        if new_status != old:
            action.status = new_status
        else:
            flag_modified(action, "status")
        record_change(s, "action", action.id, "status",
                      {"status": [old, new_status], "date": values["date"], "meeting_id": values["meeting_id"]})
        return change.id


def delete_status_change(db: Database, change_id: int) -> None:
    """Remove a history line entered by mistake; the current status is recomputed."""
    with db.session() as s:
        change = get(s, ActionStatusChange, change_id, "Le changement de statut")
        action = change.action
        if len(action.status_history) <= 1:
            raise ValidationError("status", "Le premier statut de l'action ne peut pas être supprimé.")
        action.status_history.remove(change)
        s.flush()
        old = action.status
        action.status = _current_status(action.status_history)
        flag_modified(action, "status")
        record_change(s, "action", action.id, "status", {"removed": [change.status, str(change.date)],
                                                          "status": [old, action.status]})


# --------------------------------------------------------------------------- indicators


def add_indicator(db: Database, action_id: int, values: Mapping) -> int:
    items = _validate_indicators([values])
    if not items:
        raise ValidationError("label", "Le libellé de l'indicateur est obligatoire.")
    with db.session() as s:
        action = get(s, Action, action_id, "L'action")
        position = (s.scalar(select(func.max(Indicator.position)).where(Indicator.action_id == action.id)) or 0) + 1
        ind = Indicator(action_id=action.id, position=position, **items[0])
        s.add(ind)
        s.flush()
        record_change(s, "action", action.id, "update", {"indicator_added": items[0]["label"]})
        return ind.id


def update_indicator(db: Database, indicator_id: int, values: Mapping, *, expected_version: int) -> int:
    """Change an indicator (``label``, ``unit``, ``target``, ``result``); returns its new version."""
    refuse_unknown(values, ("label", "unit", "target", "result"))
    with db.session() as s:
        ind = get(s, Indicator, indicator_id, "L'indicateur")
        check_version(ind, expected_version, "L'indicateur")
        merged = {"label": ind.label, "unit": ind.unit, "target": ind.target, "result": ind.result, **values}
        items = _validate_indicators([merged])
        if not items:
            raise ValidationError("label", "Le libellé de l'indicateur est obligatoire.")
        changes = diff(ind, items[0])
        if changes:
            s.flush()
            record_change(s, "action", ind.action_id, "update", {"indicator": ind.id, **changes})
        return ind.version


def delete_indicator(db: Database, indicator_id: int) -> None:
    with db.session() as s:
        ind = get(s, Indicator, indicator_id, "L'indicateur")
        record_change(s, "action", ind.action_id, "update", {"indicator_deleted": ind.label})
        s.delete(ind)


# --------------------------------------------------------------------------- renewal


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
        new.review_due = add_months(new.end_date, 6) if new.end_date else None
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
