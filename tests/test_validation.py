"""Field validation: French messages naming the field; hostile text cleaned, never crashing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from qpv_desk.domain import validation as v
from qpv_desk.domain.enums import ActionStatus
from qpv_desk.domain.errors import ValidationError


@pytest.mark.parametrize(
    "given, cents",
    [("1 234,56", 123456), ("1234.5", 123450), ("12 000 €", 1200000), (Decimal("10.01"), 1001), (0, 0),
     ("1\u202f500", 150000), (12.3, 1230)],
)
def test_amounts_parse_to_exact_cents(given, cents):
    assert v.amount_cents(given, "Montant", "amount") == cents


@pytest.mark.parametrize("given, fragment", [("-5", "négatif"), ("abc", "montant valide"), ("1,234", "deux décimales"),
                                             ("NaN", "nombre"), (True, "nombre")])
def test_bad_amounts_are_refused_in_french(given, fragment):
    with pytest.raises(ValidationError) as err:
        v.amount_cents(given, "Montant demandé", "requested")
    assert err.value.field == "requested" and fragment in str(err.value)


def test_dates():
    assert v.date("14/01/2025", "Date", "date") == dt.date(2025, 1, 14)
    assert v.date("2025-01-14", "Date", "date") == dt.date(2025, 1, 14)
    for bad in ("31/02/2025", "hier", "14/01/99999"):
        with pytest.raises(ValidationError, match="date valide|année"):
            v.date(bad, "Date de la réunion", "date")
    with pytest.raises(ValidationError, match="précède"):
        v.date_range(dt.date(2025, 5, 1), dt.date(2025, 1, 1), start_label="Début", end_label="Fin")


def test_times():
    assert v.time("14h30", "Heure", "t") == dt.time(14, 30)
    assert v.time("9:05", "Heure", "t") == dt.time(9, 5)
    with pytest.raises(ValidationError, match="heure valide"):
        v.time("25:00", "Heure de début", "start_time")


def test_hostile_text_is_refused_with_the_field_named_or_kept_as_typed():
    for hostile, code in (("=cmd|' /C calc'!A0\x00 fin", "U+0000"), ("a\x1fb", "U+001F"), ("a\ufffeb", "U+FFFE"),
                          ("a\ud800b", "U+D800"), ("prix \u202eTTC", "U+202E"), ("a\x85b", "U+0085")):
        with pytest.raises(ValidationError) as err:
            v.line(hostile, "Nom", "name")
        assert err.value.field == "name" and "« Nom »" in str(err.value) and code in str(err.value)
    assert v.line("=cmd|' /C calc'!A0 fin 🙂 <b>{{x}}</b>'; DROP TABLE t;--", "Nom", "name") == \
        "=cmd|' /C calc'!A0 fin 🙂 <b>{{x}}</b>'; DROP TABLE t;--"
    with pytest.raises(ValidationError, match="« Notes » contient"):
        v.text("a" * 100_000 + "\x07", "Notes", "notes")
    assert len(v.text("a" * 100_000, "Notes", "notes")) == 100_000
    assert v.text("ligne 1\r\nligne 2\tfin", "Notes", "notes") == "ligne 1\nligne 2\tfin"
    assert v.line("  ligne 1\nligne 2  ", "Nom", "name") == "ligne 1 ligne 2"
    assert v.line("\t=1+1", "Nom", "name") == "=1+1"


def test_required_and_too_long():
    with pytest.raises(ValidationError, match="« Nom » est obligatoire"):
        v.line("   ", "Nom", "name", required=True)
    with pytest.raises(ValidationError, match="trop long"):
        v.line("x" * 301, "Nom", "name")


def test_siret_email_phone():
    assert v.siret("732 829 320 00074") == "73282932000074"
    with pytest.raises(ValidationError, match="clé de contrôle"):
        v.siret("73282932000075")
    with pytest.raises(ValidationError, match="14 chiffres"):
        v.siret("1234")
    assert v.email(" a.b@mairie-verquin.example ") == "a.b@mairie-verquin.example"
    with pytest.raises(ValidationError, match="adresse électronique"):
        v.email("pas-une-adresse")
    with pytest.raises(ValidationError, match="téléphone"):
        v.phone("=1+1")


def test_choice_accepts_code_or_label():
    assert v.choice("accordee", ActionStatus, "Statut", "status") is ActionStatus.ACCORDEE
    assert v.choice("Versée", ActionStatus, "Statut", "status") is ActionStatus.VERSEE
    with pytest.raises(ValidationError, match="n'est pas une valeur possible"):
        v.choice("perdue", ActionStatus, "Statut", "status")
