"""The programme import template (openpyxl; no database, no Qt): data in, workbook out.

Two sheets:

- « Programmation »: one header per column (white on blue, wrapped, frozen), an empty
  Excel table « Actions » under it to type the rows in, long-text columns wider;
- « Notice »: the title, the instructions, then a table « Colonne / Obligatoire / Contenu
  / Exemple » documenting every column of the first sheet.

Every text goes through :func:`qpv_desk.reports.sanitize.cell_text` into a string cell
(never a formula); the file is written whole or not at all
(:func:`qpv_desk.reports.files.write_atomically`).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.table import Table, TableStyleInfo

from .files import write_atomically
from .import_template_model import ImportTemplate
from .sanitize import cell_text
from .xlsx_common import header_footer_text

DATA_SHEET = "Programmation"
NOTICE_SHEET = "Notice"
TABLE_NAME = "Actions"
NOTICE_HEADERS = ("Colonne", "Obligatoire", "Contenu", "Exemple")
NOTICE_WIDTHS = (34, 12, 80, 24)
WIDE, NARROW = 30, 16

_HEAD_FONT = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="1F4E79")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def _text(cell, value) -> None:
    cell.value = cell_text(value)
    cell.data_type = "s"  # a leading « = » stays text


def render_import_template(template: ImportTemplate, path: str | Path) -> Path:
    """Write ``template`` to ``path`` (its folder created if needed); returns the path."""
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    for col, column in enumerate(template.columns, start=1):
        cell = ws.cell(1, col)
        _text(cell, column.label)
        cell.font, cell.fill = _HEAD_FONT, _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[cell.column_letter].width = WIDE if column.wide else NARROW
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "A2"
    last = ws.cell(1, len(template.columns)).column_letter
    table = Table(displayName=TABLE_NAME, ref=f"A1:{last}2")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
    ws.add_table(table)
    ws.oddHeader.center.text = header_footer_text(f"{template.title} – QPV Desk")

    notice = wb.create_sheet(NOTICE_SHEET)
    _text(notice["A1"], template.title)
    notice["A1"].font = Font(bold=True, size=14, color="1F4E79")
    for i, line in enumerate(template.instructions, start=2):
        cell = notice.cell(i, 1)
        _text(cell, line)
        cell.alignment = _WRAP_TOP
        notice.merge_cells(start_row=i, start_column=1, end_row=i, end_column=4)
        notice.row_dimensions[i].height = 30
    head_row = row = len(template.instructions) + 3
    for col, label in enumerate(NOTICE_HEADERS, start=1):
        cell = notice.cell(row, col, label)
        cell.font, cell.fill = _HEAD_FONT, _HEAD_FILL
    for column in template.columns:
        row += 1
        values = (column.label, "oui" if column.required else "non", column.help, column.example)
        for col, value in enumerate(values, start=1):
            cell = notice.cell(row, col)
            _text(cell, value)
            cell.alignment = _WRAP_TOP
        lines = max(-(-len(column.label) // 36), -(-len(column.help) // 90), 1)
        if lines > 1:  # LibreOffice does not grow rows by itself
            notice.row_dimensions[row].height = 15 * lines
    for letter, width in zip("ABCD", NOTICE_WIDTHS):
        notice.column_dimensions[letter].width = width
    for sheet in (ws, notice):
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    notice.print_title_rows = f"{head_row}:{head_row}"
    wb.properties.title = template.title
    wb.properties.creator = "QPV Desk"
    return write_atomically(path, lambda tmp: wb.save(tmp), make_folder=True)
