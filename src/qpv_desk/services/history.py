"""Who changed what and when: the change history read back in French.

The history is written by :func:`qpv_desk.services.common.record_change` (table
``change_log``) in the same unit of work as the change itself, so it lives in the
database — hence in every backup — and is never out of step with the data.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select

from ..domain import council as CC
from ..domain import enums as E
from ..domain.text import euros
from ..store.db import Database
from ..store.models import ChangeLog

ENTITY_LABELS = {
    "action": "Action",
    "meeting": "Réunion",
    "person": "Contact",
    "organisation": "Structure",
    "objective": "Objectif",
    "contract": "Contrat",
    "quartier": "Quartier",
    "statistic": "Statistique",
    "body": "Instance",
    "task": "Suite à donner",
    "follow_up_task": "Suite à donner",
    "membership": "Siège",
    "agenda_item": "Point de l'ordre du jour",
    "decision": "Décision",
    "indicator": "Indicateur",
    "citizen_avis": "Avis du conseil citoyen",
    "letterhead": "Papier à en-tête",
}

OPERATION_LABELS = {
    "create": "Création",
    "update": "Modification",
    "delete": "Suppression",
    "activate": "Réactivation",
    "deactivate": "Désactivation",
    "reactivate": "Réactivation",
    "retire": "Retrait",
    "move": "Déplacement",
    "import": "Import",
    "membership": "Instances",
    "status": "Changement de statut",
    "anonymise": "Anonymisation",
    "attendance": "Présences",
    "renew": "Reconduction",
    # conseil citoyen register (services/council.py)
    "register": "Registre",
    "departure": "Départ",
    "replace": "Remplacement",
    "draw": "Tirage au sort",
    "perimeter": "Périmètre",
}

FIELD_LABELS = {
    "name": "nom",
    "acronym": "sigle",
    "kind": "type",
    "address": "adresse",
    "postcode": "code postal",
    "city": "commune",
    "email": "courriel",
    "phone": "téléphone",
    "siret": "SIRET",
    "notes": "notes",
    "active": "actif",
    "civility": "civilité",
    "first_name": "prénom",
    "last_name": "nom",
    "function": "fonction",
    "organisation_id": "structure",
    "anonymised_on": "anonymisé le",
    "title": "intitulé",
    "code": "code",
    "date": "date",
    "start_time": "heure de début",
    "end_time": "heure de fin",
    "place": "lieu",
    "status": "statut",
    "secretary_id": "secrétaire",
    "next_meeting_date": "prochaine réunion",
    "body_id": "instance",
    "quartier_id": "quartier",
    "role": "rôle",
    "seat": "siège",
    "start_date": "date de début",
    "end_date": "date de fin",
    "holder_id": "porteur",
    "contact_id": "contact",
    "description": "description",
    "target_public": "public visé",
    "is_renewal": "reconduction",
    "multi_year": "pluriannuelle",
    "platform_code": "code plateforme",
    "total_cost_cents": "coût total",
    "beneficiaries_planned": "bénéficiaires prévus",
    "beneficiaries_reached": "bénéficiaires touchés",
    "beneficiaries_qpv": "bénéficiaires QPV",
    "progress": "avancement",
    "review_due": "bilan attendu le",
    "review_received": "bilan reçu le",
    "review_notes": "notes du bilan",
    "parent_id": "parent",
    "count": "nombre",
    "source": "source",
    "changes": "modifications",
    "due_date": "échéance",
    "done_on": "fait le",
    "requested_cents": "montant demandé",
    "granted_cents": "montant accordé",
    "paid_cents": "montant versé",
    "year": "année",
    "meeting_id": "réunion",
    "removed": "changement retiré",
    "indicator_added": "indicateur ajouté",
    "text": "texte",
    "opinion": "avis",
    "position": "position",
    # conseil citoyen register and quartier perimeter
    "college": "collège",
    "entry_mode": "mode d'entrée",
    "substitute_of_id": "suppléant(e) de",
    "replaces_id": "remplace",
    "arrete_reference": "arrêté n°",
    "arrete_date": "arrêté du",
    "member": "membre",
    "departure": "départ de",
    "replaced": "remplace",
    "by": "remplacé(e) par",
    "reason": "motif",
    "seed": "graine",
    "seats": "sièges",
    "draw": "tirage",
    "area_ha": "surface (ha)",
    "length_km": "longueur du périmètre (km)",
    "reply_by": "réponse avant le",
}

# Enumerated fields: the code stored is shown by its French label.
_ENUM_FIELDS = {
    ("action", "status"): E.ActionStatus,
    ("meeting", "status"): E.MeetingStatus,
    ("organisation", "kind"): E.OrganisationKind,
    ("person", "civility"): E.Civility,
    ("person", "role"): E.MemberRole,
    ("task", "status"): E.TaskStatus,
    ("follow_up_task", "status"): E.TaskStatus,
}

# Fields whose name alone tells the enumeration (nested changes: « présence 12 » → status).
_ENUM_BY_FIELD = {
    "status": (E.AttendanceStatus, E.TaskStatus, E.ActionStatus, E.MeetingStatus),
    "role": (E.MemberRole,),
    "kind": (E.DecisionKind, E.OrganisationKind, E.BodyKind),
    "opinion": (E.Opinion,),
    "civility": (E.Civility,),
    "college": (CC.College,),
    "entry_mode": (CC.EntryMode,),
}

SUMMARY_MAX = 2000


def _enums_for(entity: str, field: str) -> list:
    first = _ENUM_FIELDS.get((entity, field))
    rest = [e for e in _ENUM_BY_FIELD.get(field, ()) if e is not first]
    return ([first] if first else []) + rest


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    when: dt.datetime
    who: str
    entity: str
    entity_id: int
    operation: str  # code as recorded
    operation_label: str
    summary: str  # readable French, one line per field separated by « ; »
    changes: dict | None


def operation_label(code: str) -> str:
    return OPERATION_LABELS.get(code, code.replace("_", " ").capitalize())


def _value(entity: str, field: str, value) -> str:
    if value is None or value == "":
        return "(vide)"
    if isinstance(value, bool):
        return "oui" if value else "non"
    for enum_cls in _enums_for(entity, field):
        try:
            return enum_cls(value).label
        except ValueError:
            continue
    if field.endswith("_cents") and isinstance(value, int):
        return euros(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            pass
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def summarise(entity: str, operation: str, changes) -> str:
    """The French sentence shown for one history line."""
    if not changes:
        return ""
    if not isinstance(changes, dict):
        return _value(entity, "", changes)
    parts = []
    for field, value in changes.items():
        label = FIELD_LABELS.get(field, field.replace("_", " "))
        if isinstance(value, dict):  # a change of a sub-record (« présence 12 » : {status: [a, b]})
            parts.append(f"{label} ({summarise(entity, operation, value)})")
        elif isinstance(value, list) and len(value) == 2 and operation != "create":
            parts.append(f"{label} : {_value(entity, field, value[0])} → {_value(entity, field, value[1])}")
        else:
            parts.append(f"{label} : {_value(entity, field, value)}")
    text = " ; ".join(parts)
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


def _decode(raw: str | None):
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return {"modifications": raw}


def _local(when: dt.datetime | None, utc: bool) -> dt.datetime | None:
    """SQLite's CURRENT_TIMESTAMP is UTC: shown in the computer's local time."""
    if when is None or not utc:
        return when
    return when.replace(tzinfo=dt.timezone.utc).astimezone().replace(tzinfo=None)


def _entry(row: ChangeLog, utc: bool = False) -> HistoryEntry:
    changes = _decode(row.changes)
    return HistoryEntry(
        id=row.id,
        when=_local(row.at, utc),
        who=row.user,
        entity=row.entity,
        entity_id=row.entity_id,
        operation=row.operation,
        operation_label=operation_label(row.operation),
        summary=summarise(row.entity, row.operation, changes),
        changes=changes if isinstance(changes, dict) else None,
    )


def history(db: Database, entity: str, entity_id: int, *, limit: int | None = None) -> list[HistoryEntry]:
    """The history of one record (``entity`` as recorded: « action », « meeting », « person »…), newest first."""
    stmt = (
        select(ChangeLog)
        .where(ChangeLog.entity == entity, ChangeLog.entity_id == int(entity_id))
        .order_by(ChangeLog.at.desc(), ChangeLog.id.desc())
    )
    if limit:
        stmt = stmt.limit(limit)
    with db.reader() as s:
        return [_entry(row, db.is_sqlite) for row in s.scalars(stmt)]


def recent_changes(db: Database, *, limit: int = 200) -> list[HistoryEntry]:
    """The latest changes of the whole base, newest first."""
    stmt = select(ChangeLog).order_by(ChangeLog.at.desc(), ChangeLog.id.desc()).limit(limit)
    with db.reader() as s:
        return [_entry(row, db.is_sqlite) for row in s.scalars(stmt)]
