"""The programme import template: gathered by ``services.programme_import.write_template``,
written by ``reports.import_template`` (data in, workbook out), read back with openpyxl."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from qpv_desk.reports.import_template import render_import_template
from qpv_desk.reports.import_template_model import ImportTemplate, TemplateColumn
from qpv_desk.services import programme_import as PI
from qpv_desk.services.referential import DEFAULT_FUNDERS

ROOT = Path(__file__).resolve().parents[1]
RESOURCE = ROOT / "resources" / "templates" / "modele-programmation.xlsx"
STAMPS = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def parts(path) -> dict[str, bytes]:
    """Every part of an xlsx, its creation and modification stamps blanked."""
    with zipfile.ZipFile(path) as zf:
        return {name: STAMPS.sub(b"", zf.read(name)) for name in sorted(zf.namelist())}


def test_the_template_is_the_shipped_one_part_for_part(tmp_path):
    """Without a base (the default funders), the template written now is the one shipped in
    resources/ (tools/make_import_template.py): the same sheets, cells, styles, widths,
    table and print setup, byte for byte but for the date it was written."""
    written = PI.write_template(None, tmp_path / "modele.xlsx")
    assert written == tmp_path / "modele.xlsx"
    assert parts(written) == parts(RESOURCE)


def test_the_programme_sheet_as_a_reader_sees_it(tmp_path):
    wb = openpyxl.load_workbook(PI.write_template(None, tmp_path / "modele.xlsx"))
    assert wb.sheetnames == ["Programmation", "Notice"]
    assert wb.properties.title == "Modèle d'import de la programmation" and wb.properties.creator == "QPV Desk"
    ws = wb["Programmation"]
    headers = [c.value for c in ws[1]]
    funder_headers = [h for name in (n for _c, n, _s in DEFAULT_FUNDERS) for h in (f"Demandé – {name}", f"Accordé – {name}")]
    assert headers == [f.label for f in PI.FIELDS] + funder_headers
    assert ws.max_row == 1  # nothing typed in yet
    head = ws["A1"]
    assert head.font.b and head.font.color.rgb.endswith("FFFFFF") and head.fill.fgColor.rgb.endswith("1F4E79")
    assert head.alignment.wrap_text and head.alignment.horizontal == "center"
    widths = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[1]}
    assert [h for h, w in widths.items() if w == 30] == ["Porteur", "Intitulé", "Description", "Public visé"]
    assert {w for h, w in widths.items() if h not in ("Porteur", "Intitulé", "Description", "Public visé")} == {16}
    assert ws.row_dimensions[1].height == 45 and ws.freeze_panes == "A2"
    table = ws.tables["Actions"]
    assert table.ref == f"A1:{ws.cell(1, len(headers)).column_letter}2"
    assert table.tableStyleInfo.name == "TableStyleLight1"
    assert ws.oddHeader.center.text == "Modèle d'import de la programmation – QPV Desk"
    assert not ws.data_validations.dataValidation  # no dropdown: any text is read, then checked
    for sheet in wb.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_the_notice_documents_every_column(tmp_path):
    wb = openpyxl.load_workbook(PI.write_template(None, tmp_path / "modele.xlsx"))
    notice = wb["Notice"]
    assert notice["A1"].value == "Modèle d'import de la programmation" and notice["A1"].font.sz == 14
    assert [notice.cell(r, 1).value for r in range(2, 6)] == list(PI.TEMPLATE_INSTRUCTIONS)
    assert {str(m) for m in notice.merged_cells.ranges} == {f"A{r}:D{r}" for r in range(2, 6)}
    assert [c.value for c in notice[7]] == ["Colonne", "Obligatoire", "Contenu", "Exemple"]
    assert notice.print_title_rows == "$7:$7"
    rows = {r[0]: r[1:] for r in notice.iter_rows(min_row=8, values_only=True)}
    headers = [c.value for c in wb["Programmation"][1]]
    assert list(rows) == headers
    assert rows["Porteur"][:2] == ("oui", "Nom de la structure porteuse ; créée à l'import si elle n'existe pas encore.")
    assert rows["Coût total (€)"][0] == "non"
    assert rows["Demandé – Commune"] == ("non", "Montant demandé à « Commune », en euros.", "5 000")
    assert rows["Description"][2] is None  # no example: an empty cell
    assert [notice.column_dimensions[x].width for x in "ABCD"] == [34, 12, 80, 24]
    tall = [r for r in range(8, notice.max_row + 1) if notice.row_dimensions[r].height]
    assert tall and all(len(notice.cell(r, 3).value) > 90 or len(notice.cell(r, 1).value) > 36 for r in tall)


def test_the_base_funders_are_gathered_by_the_service(db, tmp_path):
    names = [f.name for f in PI.funder_targets(db)]
    assert "EPCI (CABBALR)" in names  # the referential's own, not the defaults
    progress = []
    path = PI.write_template(db, tmp_path / "m.xlsx", progress=lambda done, total, label="": progress.append((done, total)))
    headers = [c.value for c in openpyxl.load_workbook(path)["Programmation"][1]]
    assert headers[len(PI.FIELDS):] == [h for n in names for h in (f"Demandé – {n}", f"Accordé – {n}")]
    assert progress[-1] == (2, 2)


def test_the_writer_takes_plain_data_and_sanitises_it(tmp_path):
    """Text a user typed (a funder's name) never becomes a formula nor corrupts the file."""
    data = ImportTemplate("Modèle & co", (
        TemplateColumn("=HYPERLINK(\"http://x\")", "aide\x07 cachée", "=1+1", required=True, wide=True),
        TemplateColumn("Normal", "Texte."),
    ), ("Consigne « une »",))
    path = render_import_template(data, tmp_path / "sous-dossier" / "m.xlsx")  # the folder is created
    wb = openpyxl.load_workbook(path)
    ws, notice = wb["Programmation"], wb["Notice"]
    assert ws["A1"].value == "=HYPERLINK(\"http://x\")" and ws["A1"].data_type == "s"
    assert ws.column_dimensions["A"].width == 30 and ws.column_dimensions["B"].width == 16
    assert ws.oddHeader.center.text == "Modèle && co – QPV Desk"  # « & » starts a code in a page header
    assert [c.value for c in notice[5]] == ["=HYPERLINK(\"http://x\")", "oui", "aide cachée", "=1+1"]
    assert all(c.data_type == "s" for c in notice[5])
    assert notice["A2"].value == "Consigne « une »" and notice.print_title_rows == "$4:$4"


def test_a_template_filled_in_then_imported(db, tmp_path):
    from import_files import good_rows, template_file

    sheet = PI.read_sheet(template_file(db, tmp_path / "prog.xlsx", good_rows(db)))
    assert sheet.sheet == "Programmation" and sheet.header_row == 1
    mapping = PI.auto_mapping(sheet.headers, PI.funder_targets(db))
    assert all(mapping), [h for h, m in zip(sheet.headers, mapping) if not m]  # every column recognised
    result = PI.apply_import(db, sheet, mapping, 2025)
    assert (result.created, result.skipped) == (3, 0)


@pytest.fixture
def db(empty_db):
    from qpv_desk.services.referential import import_referential, read_referential

    import_referential(empty_db, read_referential(ROOT / "resources" / "referentials" / "verquin-3-ilots.toml"))
    return empty_db
