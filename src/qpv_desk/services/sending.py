"""Settings of what leaves the app by e-mail and calendar: the organiser (her) and the DGS list.

Database settings (``setting`` table: shared by every user of the base), each declared
once with its default in :data:`SENDING_SETTINGS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain import validation as V
from ..domain.errors import ValidationError
from ..store.db import Database
from .common import validate_fields
from .settings import read_settings, write_settings

SENDING_SETTINGS: dict[str, tuple[str, str]] = {
    # key: (default, French description)
    "organiser_name": ("", "Nom de l'organisatrice des réunions (invitations, e-mails)"),
    "organiser_email": ("", "Adresse électronique de l'organisatrice (invitations, e-mails)"),
    "dgs_recipients": ("", "Destinataires du classeur de suivi (DGS…), adresses séparées par des virgules"),
}


@dataclass(frozen=True)
class SendingSettings:
    organiser_name: str
    organiser_email: str
    dgs_recipients: tuple[str, ...]


def split_addresses(text: str | None) -> list[str]:
    return [a.strip() for a in re.split(r"[,;\s]+", text or "") if a.strip()]


def _addresses(value) -> str:
    items = split_addresses(value if isinstance(value, str) else ", ".join(value or ()))
    bad = []
    for a in items:
        try:
            V.email(a, "Destinataire", "dgs_recipients")
        except ValidationError:
            bad.append(a)
    if bad:
        raise ValidationError("dgs_recipients", ("Adresse électronique non valide : " if len(bad) == 1 else
                                                 "Adresses électroniques non valides : ") + ", ".join(bad) + ".")
    return ", ".join(items)


CHECKS = {
    "organiser_name": lambda v: V.line(v, "Nom de l'organisatrice", "organiser_name") or "",
    "organiser_email": lambda v: V.email(v, "Adresse de l'organisatrice", "organiser_email") or "",
    "dgs_recipients": _addresses,
}


def sending_settings(db: Database) -> SendingSettings:
    values = read_settings(db, {k: default for k, (default, _doc) in SENDING_SETTINGS.items()})
    return SendingSettings(values["organiser_name"], values["organiser_email"],
                           tuple(split_addresses(values["dgs_recipients"])))


def update_sending_settings(db: Database, values: dict) -> SendingSettings:
    """Record the organiser and the DGS list (every bad field reported at once)."""
    clean = validate_fields(values, {k: (lambda k=k: CHECKS[k](values.get(k))) for k in CHECKS})
    write_settings(db, clean)
    return sending_settings(db)
