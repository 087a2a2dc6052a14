"""Each small shared rule is defined once (review of issue #16): ``add_months`` and
``HELD`` in domain/rules.py, ``plural`` in domain/text.py, the atomic file writer in
reports/files.py, the invitee query in services/invitations.py; and the domain's text and
date helpers are imported from the domain, never through another module's re-export."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from qpv_desk.domain import council as CC
from qpv_desk.domain.enums import MeetingStatus
from qpv_desk.domain.rules import HELD, add_months, default_review_due
from qpv_desk.domain.text import euros, plural, thousands

SRC = Path(__file__).resolve().parents[1] / "src" / "qpv_desk"

ONCE = {
    r"^def add_months\(": "domain/rules.py",
    r"^HELD\s*=": "domain/rules.py",
    r"add_months\([^()]*end[^()]*, (6|REVIEW_DELAY_MONTHS)\)": "domain/rules.py",  # the bilan's default date
    r"Quartier\.contract_id == py\.contract_id\)\.limit\(2\)": "services/programme/validation.py",  # _new_action
    r"^def _?plural\(": "domain/text.py",
    r':,\}"\.replace\(",",': "domain/text.py",  # thousands() — euros() uses it
    r"os\.replace\(tmp": "reports/files.py",
    r"\.join\(Attendance, Attendance\.person_id == Person\.id\)\s*\n\s*\.outerjoin\(Organisation": "services/invitations.py",
}


@pytest.mark.parametrize("pattern", sorted(ONCE))
def test_defined_once(pattern):
    found = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                   if re.search(pattern, p.read_text(encoding="utf-8"), re.MULTILINE))
    assert found == [ONCE[pattern]], found


@pytest.mark.parametrize("day, months, expected", [
    (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
    (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),  # leap year
    (dt.date(2026, 1, 31), -2, dt.date(2025, 11, 30)),
    (dt.date(2026, 5, 15), 12, dt.date(2027, 5, 15)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected
    assert CC.add_months is add_months


def test_the_bilan_is_due_six_months_after_the_end():
    assert default_review_due(dt.date(2026, 8, 31)) == dt.date(2027, 2, 28)
    assert default_review_due(None) is None


def test_thousands():
    assert [thousands(n) for n in (7, 12345, 1234567)] == ["7", "12\u202f345", "1\u202f234\u202f567"]
    assert euros(123456789) == "1\u202f234\u202f567,89\u00a0€"


def test_held_and_plural():
    assert set(HELD) == {MeetingStatus.TENUE.value, MeetingStatus.CR_VALIDE.value}
    assert [plural(n, "suite à donner", "suites à donner") for n in (0, 1, 2)] == [
        "0 suite à donner", "1 suite à donner", "2 suites à donner"]
    assert CC.parity([]).message == "Aucun habitant titulaire."


def test_the_base_settings_have_one_reader_and_writer():
    """The ``setting`` table is written by services/settings.py only."""
    writes = re.compile(r"Setting\(key=|(insert|update)\((T\.setting|_setting|Setting)\b")
    found = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if writes.search(p.read_text(encoding="utf-8")))
    assert found == ["services/settings.py"], found


def test_base_settings_round_trip(empty_db):
    from qpv_desk.services import privacy, sending
    from qpv_desk.services.settings import read_settings, write_settings

    assert read_settings(empty_db, {"organiser_name": "", "retention_years": None}) == {
        "organiser_name": "", "retention_years": None}
    sending.update_sending_settings(empty_db, {"organiser_name": "Claire Martin"})
    privacy.set_retention_years(empty_db, 7)
    assert read_settings(empty_db, {"organiser_name": "", "retention_years": None}) == {
        "organiser_name": "Claire Martin", "retention_years": "7"}
    write_settings(empty_db, {"retention_years": "9", "organiser_name": "Claire"})
    assert privacy.retention_years(empty_db) == 9 and sending.sending_settings(empty_db).organiser_name == "Claire"


DOMAIN_HELPERS = {"euros": "qpv_desk.domain.text", "euros_plain": "qpv_desk.domain.text",
                  "thousands": "qpv_desk.domain.text", "add_months": "qpv_desk.domain.rules"}


def imports_of_domain_helpers(source: str, package: str) -> list[tuple[int, str, str]]:
    """(line, name, module) of every ``from X import <helper>`` in a module of ``package``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom):
            continue
        parts = package.split(".")
        base = parts[:len(parts) - node.level + 1] if node.level else []
        module = ".".join(base + ([node.module] if node.module else []))
        found += [(node.lineno, alias.name, module) for alias in node.names if alias.name in DOMAIN_HELPERS]
    return found


def test_the_app_takes_the_domain_helpers_from_the_domain():
    """No module hands ``euros``/``add_months``… on (``services.programme`` used to, for the GUI)."""
    from qpv_desk.services import programme

    assert not set(DOMAIN_HELPERS) & set(vars(programme)), "services.programme réexporte une aide du domaine"
    wrong = []
    for layer in ("services", "reports", "gui", "cli"):
        for path in sorted((SRC / layer).rglob("*.py")):
            package = ".".join(("qpv_desk",) + path.relative_to(SRC).parent.parts)
            source = path.read_text(encoding="utf-8")
            wrong += [f"{path.relative_to(SRC)}:{line}: {name} depuis {module}"
                      for line, name, module in imports_of_domain_helpers(source, package)
                      if module != DOMAIN_HELPERS[name]]
            wrong += [f"{path.relative_to(SRC)}: {m.group(0)}"
                      for m in re.finditer(r"\b(?!text\b|rules\b)\w+\.(euros|euros_plain|thousands|add_months)\(", source)]
    assert not wrong, "aides du domaine prises ailleurs que dans le domaine :\n" + "\n".join(wrong)


def test_the_helper_import_check_resolves_relative_imports():
    source = ("from ...domain.text import euros\n"
              "from .data import add_months\n"
              "from qpv_desk.services.programme import euros_plain\n")
    assert imports_of_domain_helpers(source, "qpv_desk.services.programme") == [
        (1, "euros", "qpv_desk.domain.text"), (2, "add_months", "qpv_desk.services.programme.data"),
        (3, "euros_plain", "qpv_desk.services.programme")]
