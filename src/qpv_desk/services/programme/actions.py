"""One action: read, create, change (the bilan too), delete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from ...domain import enums as E
from ...domain import validation as V
from ...domain.errors import NotFoundError, ReferencedError, ValidationError
from ...domain.rules import default_review_due
from ...domain.text import plural
from ...store.db import Database
from ...store.models import (
    Action,
    ActionObjective,
    ActionStatusChange,
    AgendaItem,
    Decision,
    FollowUpTask,
    FundingLine,
    Meeting,
    ProgrammeYear,
)
from ..common import check_version, diff, get, record_change, refuse_unknown
from .data import ActionDetail, FundingLineRow, IndicatorRow, ObjectiveLink, StatusChangeRow
from .validation import (
    _CREATE_ONLY,
    _LISTS,
    _SCALARS,
    _apply_lists,
    _check_unique,
    _new_action,
    _validate_objectives,
    _validate_scalars,
)
from .years import _next_code, _programme_year, current_contract_id


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
        action = _new_action(s, py, status.value, data)
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
            if action.review_due is None or action.review_due == default_review_due(action.end_date):
                data["review_due"] = default_review_due(data["end_date"])
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
        refs, many = [], False
        for model, label, labels in ((Decision, "décision", "décisions"),
                                     (AgendaItem, "point d'ordre du jour", "points d'ordre du jour"),
                                     (FollowUpTask, "suite à donner", "suites à donner")):
            n = s.scalar(select(func.count()).select_from(model).where(model.action_id == action.id))
            if n:
                refs.append(plural(n, label, labels))
                many = many or n > 1
        if s.scalar(select(func.count()).select_from(Action).where(Action.predecessor_id == action.id)):
            refs.append("sa reconduction")
        if refs:
            verb = "y renvoient" if many or len(refs) > 1 else "y renvoie"
            raise ReferencedError(f"L'action {action.code} ne peut pas être supprimée : {', '.join(refs)} {verb}.")
        record_change(s, "action", action.id, "delete", {"code": action.code, "title": action.title})
        s.delete(action)
