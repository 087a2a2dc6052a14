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


# --------------------------------------------------------------------------- private copies of the text helpers
# (second review: a money formatter in the demo data, names joined by hand, plurals « s if n > 1 »,
# lists sorted by casefold instead of the French collation, a CLI's own accent folding)

ONCE_TEXT = {
    r"^\s*def _?euros\(": "domain/text.py",  # sampledata had its own (whole euros)
    r"^\s*def _?fold_text\(": "domain/text.py",  # cli/person.py had its own (for « person list --search »)
}
NEVER = {
    # money by hand: « f"{value / 100:,.2f}" », « thousands(cents // 100) + " €" », « .replace(",00", "") »
    r"/ ?100:[,.]": (),
    r"thousands\([^()]*// ?100\)": (),
    r"\.replace\(\",00\", \"\"\)": (),
    # a plural by hand: « f"{n} action{'s' if n > 1 else ''}" » (plural(n, "action"))
    r"\{['\"]s['\"] if ": (),
    # a count followed by a word always in the plural: « 1 indicateurs » (the demo's texts are committed data)
    r"\{len\([^{}]*\)\} (?!fois\b)[a-zéèà]+s\b": ("sampledata/demo.py",),
    # « 3 référence(s) » after a count (plural() agrees with it)
    r"\}\s+[\w\u00c0-\u017f]+\(s\)": (),
    # a name joined by hand (person_name)
    r"join\(\w+ for \w+ in \([^()]*first(_name)?, [^()]*last(_name)?\) if \w+\)": ("domain/text.py",),
    # a list sorted by code points (« É » after « Z »): sort_key / person_sort_key
    r"key=str\.(casefold|lower)\b": (),
    r"key = \([^)]*fold_text\(": (),
}


def _files_matching(pattern: str) -> list[str]:
    return sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                  if re.search(pattern, p.read_text(encoding="utf-8"), re.MULTILINE))


@pytest.mark.parametrize("pattern", sorted(ONCE_TEXT))
def test_text_helper_defined_once(pattern):
    assert _files_matching(pattern) == [ONCE_TEXT[pattern]]


def test_names_are_composed_by_person_name_only():
    """A ``full_name`` / ``display_name`` property may exist on a row; it calls person_name."""
    for path in SRC.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for m in re.finditer(r"def (full_name|display_name)\(self\)[^:]*:\n((?:\s{8}.*\n)+)", source):
            if "first_name" not in m.group(2):
                continue  # not a person's name (an organisation's)
            assert "person_name(" in m.group(2), f"{path.relative_to(SRC)}: {m.group(1)} compose le nom à la main"


@pytest.mark.parametrize("pattern", sorted(NEVER))
def test_no_private_copy_of_a_text_helper(pattern):
    assert _files_matching(pattern) == sorted(NEVER[pattern])


def test_the_patterns_catch_the_copies_they_name():
    """Each pattern above finds the copy it was written for (so that a check never passes vacuously)."""
    copies = [
        'euros = f"{value / 100:,.2f}".replace(",", " ")',
        'return thousands(cents // 100) + " €"',
        'euros(cents - cents % 100).replace(",00", "")',
        "f\"{t.count} action{'s' if t.count > 1 else ''}\"",
        'f"Migration refusée : {len(broken)} référence(s) cassée(s)"',
        'f"<b>{quartier.code}</b> : {len(rows)} indicateurs"',
        "return \" \".join(p for p in (self.first_name, self.last_name) if p)",
        "name = \" \".join(p for p in (civ, first, last) if p)",
        "tuple(sorted(new_holders.values(), key=str.casefold))",
        'key = (_ROLE_ORDER[row.role.value], fold_text(m.seat or ""), fold_text(last or "~"))',
    ]
    for pattern in NEVER:
        assert any(re.search(pattern, c) for c in copies), pattern
    assert all(any(re.search(p, c) for p in NEVER) for c in copies)


def test_whole_euros():
    assert [euros(c, whole=True) for c in (0, 49, 50, 1_200_000, 123_456_789, -150, None)] == [
        "0\u00a0€", "0\u00a0€", "1\u00a0€", "12\u202f000\u00a0€", "1\u202f234\u202f568\u00a0€", "-2\u00a0€", ""]
    assert euros(1_234_550) == "12\u202f345,50\u00a0€"  # cents unless asked


def test_the_demo_minutes_use_the_shared_money_helper():
    from qpv_desk.sampledata import common, demo

    assert not hasattr(common, "euros") and demo.euros is euros


def test_table_models_sort_text_by_french_rules(qapp):
    from dataclasses import dataclass

    from PySide6.QtCore import Qt

    from qpv_desk.gui.models import Column, RowTableModel

    @dataclass(frozen=True)
    class Row:
        id: int
        name: str | None

    model = RowTableModel([Column("Nom", "name")])
    model.set_rows([Row(1, "Zoé"), Row(2, "Éducation"), Row(3, None), Row(4, "eau"), Row(5, "Œuvre"), Row(6, "octobre")])
    model.sort(0, Qt.AscendingOrder)
    assert [r.name for r in model.rows] == ["eau", "Éducation", "octobre", "Œuvre", "Zoé", None]


def test_people_lists_in_french_order(empty_db):
    from qpv_desk.services import partners, privacy
    from qpv_desk.services.referential import import_referential, read_referential

    import_referential(empty_db, read_referential(SRC.parents[1] / "resources" / "referentials" / "verquin-3-ilots.toml"))
    body = partners.list_bodies(empty_db)[0].id
    made = set()
    for first, last in (("Zoé", "Zola"), ("Émile", "Écrivain"), ("Jan", "Łapa"), ("Paul", "Durand"),
                        ("Anne", "écrivain"), ("Inès", "Martin")):
        pid = partners.create_person(empty_db, {"first_name": first, "last_name": last, "civility": "Mme"})
        partners.create_membership(empty_db, {"body_id": body, "person_id": pid, "role": "membre", "seat": "Z"})
        made.add(pid)
    expected = ["Paul Durand", "Anne écrivain", "Émile Écrivain", "Jan Łapa", "Inès Martin", "Zoé Zola"]
    assert [p.name for p in privacy.persons(empty_db) if p.id in made] == expected
    members = [m.person_name for m in partners.memberships(empty_db, body) if m.person_id in made]
    assert members == [f"Mme {name}" for name in expected]  # « Ł » with the L's, not after « Z »
