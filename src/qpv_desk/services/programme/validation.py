"""Validation of an action's fields and lists (objectives, financing plan, indicators).

Shared by the action editor's services and the programme import.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain import validation as V
from ...domain.errors import NotFoundError, ValidationError
from ...domain.rules import default_review_due
from ...domain.text import plural
from ...store.models import (
    Action,
    ActionObjective,
    Funder,
    FundingLine,
    Indicator,
    Objective,
    Organisation,
    Person,
    ProgrammeYear,
    Quartier,
)
from ..common import diff, get, validate_fields

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
            f"({plural(principals, 'indiqué')}).",
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


def _new_action(s: Session, py: ProgrammeYear, status: str, data: dict) -> Action:
    """A new action of ``py`` (added, flushed) with the defaults every creation applies — the
    editor's and the import's: the bilan due six months after the end, and the contract's
    quartier when it has only one."""
    if data.get("review_due") is None:
        data["review_due"] = default_review_due(data.get("end_date"))
    action = Action(programme_year_id=py.id, status=status, **data)
    if action.quartier_id is None:
        quartiers = s.scalars(select(Quartier.id).where(Quartier.contract_id == py.contract_id).limit(2)).all()
        if len(quartiers) == 1:
            action.quartier_id = quartiers[0]
    s.add(action)
    s.flush()
    return action
