"""The database settings of the programme, each declared once with its default."""

from __future__ import annotations

from decimal import Decimal

from ...domain import validation as V
from ...domain.errors import NotFoundError, ValidationError
from ...store.db import Database
from ..settings import read_settings, write_settings

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
    return read_settings(db, {key: SETTINGS[key][0]})[key]


def set_setting(db: Database, key: str, value: str) -> None:
    if key not in SETTINGS:
        raise NotFoundError(f"Paramètre inconnu : {key}.")
    if key == "max_funder_share":
        share = V.decimal(value, "Part maximale d'un financeur", key, required=True, minimum=Decimal(0))
        if share > 100:
            raise ValidationError(key, "La part maximale d'un financeur ne peut pas dépasser 100 %.")
        value = format(share.normalize(), "f")
    write_settings(db, {key: str(value)})


def max_funder_share(db: Database) -> Decimal:
    """The configured maximum share (percent) of the total cost one funder may request."""
    try:
        return Decimal(get_setting(db, "max_funder_share").replace(",", "."))
    except ArithmeticError:
        return Decimal(SETTINGS["max_funder_share"][0])
