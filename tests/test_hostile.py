"""Hostile text through every way text comes in, then through every Word and Excel writer (issue 15).

Each string of ``tests/data/hostile.json`` is either kept exactly (after the documented
normalisation of :func:`qpv_desk.domain.validation.normalise`: surrounding blanks trimmed,
line breaks of a one-line field made spaces) or refused with a French message naming the
field; nothing crashes. Bidirectional controls are refused at input and removed from
documents, so an unterminated right-to-left override never reverses the app's own words.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from qpv_desk.cli import main
from qpv_desk.domain import validation as V
from qpv_desk.domain.errors import ValidationError
from qpv_desk.domain.referential import ReferentialError, parse_referential
from qpv_desk.services import meetings as M
from qpv_desk.services import partners as P
from qpv_desk.services import tasks as T
from qpv_desk.store import models as DB
from qpv_desk.store.db import open_database

from conftest import VERQUIN_TOML
from office import to_pdfs

CORPUS = json.loads((Path(__file__).parent / "data" / "hostile.json").read_text(encoding="utf-8"))["strings"]
IDS = [f"{i}:{ascii(s[:12])}" for i, s in enumerate(CORPUS)]
TOML = VERQUIN_TOML.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    from qpv_desk.services.referential import import_referential, read_referential

    folder = tmp_path_factory.mktemp("hostile")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QPV_DESK_HOME", str(folder / "home"))
        path = folder / "base.sqlite"
        with open_database(path, create=True) as db:
            import_referential(db, read_referential(VERQUIN_TOML), backup=False)
            with db.reader() as s:
                body = s.scalars(select(DB.Body.id).where(DB.Body.code == "GT")).one()
            meeting = M.create_meeting(db, body, dt.date(2025, 3, 10), title="GT de mars")
    return path, meeting


@pytest.fixture
def world(template, tmp_path):
    path = tmp_path / "base.sqlite"
    shutil.copyfile(template[0], path)
    db = open_database(path)
    yield db, template[1]
    db.close()


def _stored(db, model, row_id, column):
    with db.reader() as s:
        return getattr(s.get(model, row_id), column)


# (field label for the report, field name, one-line?, required?, feed(db, meeting, value) -> (model, id, column))
def _org(field):
    def feed(db, meeting, value):
        values = {"name": "Structure"} | {field: value}
        return DB.Organisation, P.create_organisation(db, values), field
    return feed


def _person(field):
    def feed(db, meeting, value):
        values = {"last_name": "Martin"} | {field: value}
        return DB.Person, P.create_person(db, values), field
    return feed


def _meeting(field):
    def feed(db, meeting, value):
        M.update_meeting(db, meeting, {**{field: value}}, expected_version=M.get_meeting(db, meeting).version)
        return DB.Meeting, meeting, field
    return feed


FIELDS = [
    ("name", True, True, _org("name")), ("acronym", True, False, _org("acronym")),
    ("address", True, False, _org("address")), ("city", True, False, _org("city")),
    ("notes", False, False, _org("notes")),
    ("last_name", True, True, _person("last_name")), ("first_name", True, False, _person("first_name")),
    ("function", True, False, _person("function")), ("notes", False, False, _person("notes")),
    ("title", True, True, _meeting("title")), ("place", True, False, _meeting("place")),
    ("notes", False, False, _meeting("notes")),
    ("title", True, True, lambda db, m, v: (DB.AgendaItem, M.add_agenda_item(db, m, v), "title")),
    ("discussion", False, False,
     lambda db, m, v: (DB.AgendaItem, M.add_agenda_item(db, m, "Point", discussion=v), "discussion")),
    ("text", False, True, lambda db, m, v: (DB.Decision, M.add_decision(db, m, v), "text")),
    ("description", False, True, lambda db, m, v: (DB.FollowUpTask, T.add_task(db, m, description=v), "description")),
    ("notes", False, False,
     lambda db, m, v: (DB.FollowUpTask, T.add_task(db, m, description="Suite", notes=v), "notes")),
]


def _check_refusal(err: ValidationError, field: str) -> None:
    fields = set((err.errors or {}).keys()) | {err.field}
    assert field in fields, (field, fields, str(err))
    message = str(err)
    assert "«" in message and any(w in message for w in ("contient", "trop long", "obligatoire")), message


@pytest.mark.parametrize("value", CORPUS, ids=IDS)
def test_services_keep_exactly_or_refuse_naming_the_field(world, value):
    db, meeting = world
    for field, one_line, required, feed in FIELDS:
        expected = V.normalise(value, multiline=not one_line)
        try:
            model, row_id, column = feed(db, meeting, value)
        except ValidationError as err:
            _check_refusal(err, field)
            continue
        stored = _stored(db, model, row_id, column)
        assert stored == (expected or None), (field, value[:30], stored and stored[:30])


@pytest.mark.parametrize("value", CORPUS, ids=IDS)
def test_referential_keeps_exactly_or_refuses_naming_the_field(value):
    escaped = json.dumps(value)  # a JSON string literal is a TOML basic string, lone surrogates excepted
    text = TOML.replace('commune = "Verquin"', f"commune = {escaped}", 1)
    try:
        ref = parse_referential(text, "hostile.toml")
    except ReferentialError as err:
        assert err.field == "commune" or err.message.startswith("syntaxe TOML invalide"), str(err)
        assert not any(w in err.message for w in ("Invalid", "Expected", "Escaped", "character")), err.message
        return
    assert ref.contract.commune == (V.normalise(value) or None)


@pytest.mark.parametrize("value", CORPUS[:12] + CORPUS[20:], ids=IDS[:12] + IDS[20:])
def test_cli_search_never_crashes(tmp_path, value, capsys, template):
    path = tmp_path / "base.sqlite"
    shutil.copyfile(template[0], path)
    assert main(["person", "list", f"--search={value}", "--db", str(path)]) in (0, 2)  # « -x » needs « = »
    assert main(["list", "organisations", "--db", str(path)]) == 0


# --------------------------------------------------------------------------- documents


def _accepted(one_line=True):
    kept = []
    for value in CORPUS:
        try:
            cleaned = (V.line if one_line else V.text)(value, "x", "x", max_len=500 if one_line else 200_000)
        except ValidationError:
            continue
        if cleaned:
            kept.append(cleaned)
    return kept


def _formula_cells(path):
    wb = openpyxl.load_workbook(path)
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found.append(str(cell.value))
    return found, wb


@pytest.mark.slow
def test_every_writer_makes_files_that_reopen_convert_and_hold_no_user_formula(sample_db, tmp_path):
    import docx

    from qpv_desk.services.privacy import export_person
    from qpv_desk.services.reporting import write_copil_workbook

    db = sample_db
    lines, texts = _accepted(True), _accepted(False)
    with db.reader() as s:
        meeting_id = s.scalars(select(DB.Meeting.id).order_by(DB.Meeting.id)).first()
        action = s.scalars(select(DB.Action).order_by(DB.Action.id)).first()
        year = s.scalars(select(DB.ProgrammeYear.year).where(DB.ProgrammeYear.id == action.programme_year_id)).one()
        holder, contact, action_id = action.holder_id, action.contact_id, action.id
        attendee = s.scalars(select(DB.Attendance.person_id).where(DB.Attendance.meeting_id == meeting_id,
                                                                   DB.Attendance.person_id.is_not(None))).first()
    M.update_meeting(db, meeting_id, {"title": lines[0], "place": lines[1], "notes": "\n".join(texts)}, expected_version=M.get_meeting(db, meeting_id).version)
    for value in lines[:15]:
        item = M.add_agenda_item(db, meeting_id, value, discussion=value)
        M.add_decision(db, meeting_id, value, agenda_item_id=item)
        T.add_task(db, meeting_id, description=value, notes=value)
    P.update_organisation(db, holder, {"name": "=HYPERLINK(\"http://exemple.invalid\";\"clic\")"},
                          expected_version=P.get_organisation(db, holder).version)
    P.update_person(db, attendee, {"last_name": "=cmd|' /C calc'!A0", "first_name": "@SOMME(A1:A9)"},
                    expected_version=P.get_person(db, attendee).version)
    with db.session() as s:  # older data, typed before the rules: an unterminated right-to-left override
        s.get(DB.Meeting, meeting_id).title = "Réunion \u202erap étnesérp"
        s.get(DB.Action, action_id).title = "\u202e=1+1 atelier"

    out = tmp_path / "out"
    out.mkdir()
    files = [M.write_meeting_document(db, meeting_id, kind, out / f"{kind}.docx")
             for kind in ("convocation", "emargement", "minutes")]
    files.append(export_person(db, contact or attendee, out / "export.xlsx"))
    copil = out / "copil.xlsx"
    write_copil_workbook(db, year, copil)
    files.append(copil)

    for path in files:
        with zipfile.ZipFile(path) as zf:
            xml = "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xml"))
        for control in ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"):
            assert control not in xml, (path.name, hex(ord(control)))
        if path.suffix == ".docx":
            document = docx.Document(path)  # reopens
            text = "\n".join(p.text for p in document.paragraphs)
            text += "".join(c.text for t in document.tables for r in t.rows for c in r.cells)
            assert "rap étnesérp" in text or path.stem == "emargement"  # the user's text, kept, but inert
        else:
            formulas, wb = _formula_cells(path)
            for formula in formulas:
                for marker in ("HYPERLINK", "cmd", "SOMME(A1:A9)", "1+1"):
                    assert marker not in formula, (path.name, formula)
            values = [c.value for ws in wb.worksheets for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
            assert any("HYPERLINK" in v for v in values) or path.name == "export.xlsx"

    for pdf in to_pdfs(files, tmp_path / "pdf"):
        assert pdf.stat().st_size > 1000, pdf.name


def test_spreadsheet_import_keeps_exactly_or_refuses_naming_the_field(world, tmp_path):
    """Every corpus string a spreadsheet can hold, as an action title: kept (normalised) or refused."""
    from openpyxl.utils.exceptions import IllegalCharacterError

    from qpv_desk.services import programme_import as PI

    db, _meeting = world
    path = tmp_path / "prog.xlsx"
    PI.write_template(db, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Programmation"]
    headers = [c.value for c in ws[1]]
    written = []
    import re

    not_xml = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
    for value in CORPUS:
        r = len(written) + 2
        if not_xml.search(value):
            continue  # an .xlsx cannot hold it (XML): nothing to import
        try:
            ws.cell(r, headers.index("Intitulé") + 1).value = value
            value.encode("utf-8")
        except (IllegalCharacterError, UnicodeEncodeError):
            ws.cell(r, headers.index("Intitulé") + 1).value = None
            continue  # a spreadsheet cannot hold it: nothing to import
        ws.cell(r, headers.index("Porteur") + 1).value = "Association"
        ws.cell(r, headers.index("Objectif principal (code)") + 1).value = "1.2.1"
        written.append(value)
    wb.save(path)
    sheet = PI.read_sheet(path)
    mapping = PI.auto_mapping(sheet.headers, PI.funder_targets(db))
    preview = PI.preview_import(db, sheet, mapping, 2025)
    by_line = {row.line: row for row in preview.rows}
    for n, value in enumerate(written):
        row = by_line.get(n + 2)
        if row is None:  # an empty title: an empty line
            assert not V.normalise(str(value)), value
            continue
        expected = V.normalise(value)
        if row.errors:
            # refused naming the field, or the same title once normalised as an earlier line (« =1+1 », « \t=1+1 »)
            assert any("Intitulé" in e or "figure déjà" in e for e in row.errors), row.errors
        else:
            assert row.title == expected, (value[:20], row.title[:20])
