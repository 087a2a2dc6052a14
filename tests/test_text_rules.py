"""One set of text rules for the screens, the referential file and the spreadsheet import (issue 15, item 14)."""

from __future__ import annotations

import json

import pytest

from qpv_desk.domain import validation as V
from qpv_desk.domain.errors import ValidationError
from qpv_desk.domain.referential import ReferentialError, parse_referential
from qpv_desk.services import partners as P

from conftest import VERQUIN_TOML

TOML = VERQUIN_TOML.read_text(encoding="utf-8")


def toml_string(value: str) -> str:
    """A TOML basic string holding ``value`` exactly (JSON escapes are valid TOML ones, except lone surrogates)."""
    out = []
    for ch in value:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF) or code > 0x7E:
            out.append(f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def referential_verdict(value: str):
    """The commune's name set to ``value`` in the referential: the kept text, or the refusal."""
    text = TOML.replace('commune = "Verquin"', f"commune = {toml_string(value)}", 1)
    try:
        return ("kept", parse_referential(text, "r.toml").contract.commune)
    except ReferentialError as err:
        assert err.field == "commune", str(err)
        return ("refused", err.message)


def service_verdict(db, value: str):
    try:
        org_id = P.create_organisation(db, {"name": value})  # a name, like the commune's: 200 at most
    except ValidationError as err:
        assert err.field == "name", str(err)
        return ("refused", str(err))
    return ("kept", P.get_organisation(db, org_id).name)


CASES = [
    "Verquin",
    "\t=Verquin",  # a leading tab: trimmed everywhere
    "Saint-Étienne-au-Mont 🙂",
    "x" * 201,  # longer than a name (200): refused everywhere
    "x" * 100_000,
    "Ver\ufffequin",
    "Ver\x07quin",
    "Ver\u202equin",
    "Ver\tquin",  # a tab inside a one-line field: a space everywhere
]


@pytest.mark.parametrize("value", CASES, ids=range(len(CASES)))
def test_referential_and_services_agree(sqlite_db, value):
    ref, svc = referential_verdict(value), service_verdict(sqlite_db, value)
    assert ref[0] == svc[0], (ref, svc)
    if ref[0] == "kept":
        assert ref[1] == svc[1] == V.normalise(value)
    else:
        assert "trop long" in svc[1] or "contient" in svc[1]


def test_a_100000_character_commune_name_is_refused_in_the_file():
    kind, message = referential_verdict("Verquin" * 20_000)
    assert kind == "refused" and "200 au plus" in message


def test_toml_syntax_messages_are_all_french():
    for bad in ('commune = "\\uD800"', 'commune = "a\\qb"', 'commune = "\\uZZZZ"', "start_year = 2024-13-45",
                'commune = {a = 1, a = 2}', 'commune = [1, 2'):
        text = TOML.replace('commune = "Verquin"', bad, 1)
        with pytest.raises(ReferentialError) as err:
            parse_referential(text, "r.toml")
        message = err.value.message
        assert message.startswith("syntaxe TOML invalide")
        for english in ("Escaped", "character", "Unicode scalar", "Invalid", "Expected", "Unescaped", "Duplicate"):
            assert english not in message, message


def test_error_examples_are_not_verquin_specific():
    text = TOML.replace('communes = ["Béthune", "Verquin"]', "communes = [1, 2]", 1)
    with pytest.raises(ReferentialError) as err:
        parse_referential(text, "r.toml")
    assert "Béthune" not in str(err.value) and "Verquin" not in str(err.value)
    assert json.dumps(str(err.value))  # printable
