"""Safe, tidy cell writing for the xlsx reports (openpyxl; no Qt).

Every piece of user text goes through :func:`qpv_desk.reports.sanitize.cell_text` and is
stored as a *string* cell (a leading ``=`` never makes a formula, ``#N/A`` never an error
value), with ``quotePrefix`` when a spreadsheet would otherwise reinterpret it on edit.

Styling is done with named styles registered once per workbook; a cell receives a copy of
the style's prepared array (as openpyxl itself does), which keeps styling cheap at scale.
Column widths are computed from what was written (capped), and every sheet gets the same
print setup: A4 landscape, one page wide, repeated header rows, header and footer with
the title, the data date and « Page X / Y ».
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, unescape

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .sanitize import cell_text, needs_quoting

MONEY_FORMAT = '#,##0 "€"'
MONEY_CENTS_FORMAT = '#,##0.00 "€"'
PERCENT_FORMAT = "0.0 %"
DATE_FORMAT = "dd/mm/yyyy"
POINTS_FORMAT = '+0.0" pt";-0.0" pt";0" pt"'
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"

WIDTH_MIN = 6
WIDTH_MAX = 60
LINE_HEIGHT = 13.0  # points per line of 10-point text
MARGIN_SIDE = 0.4  # inches

_ACCENT = "1F4E79"
_THIN = Side(style="thin", color="B7C3D0")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor=_ACCENT)
_TOTAL_FILL = PatternFill("solid", fgColor="DDE6F0")
_LEVEL_FILLS = {1: PatternFill("solid", fgColor="C9D9EC"), 2: PatternFill("solid", fgColor="E8EFF7")}
_ALERT_FILL = PatternFill("solid", fgColor="FCE4D6")

# kind -> (number format, horizontal alignment, wrap)
KINDS = {
    "text": ("General", "left", False),
    "wrap": ("General", "left", True),
    "int": (INTEGER_FORMAT, "right", False),
    "dec": (DECIMAL_FORMAT, "right", False),
    "money": (MONEY_FORMAT, "right", False),
    "pct": (PERCENT_FORMAT, "right", False),
    "pts": (POINTS_FORMAT, "right", False),
    "date": (DATE_FORMAT, "center", False),
}
VARIANTS = ("body", "header", "total", "level1", "level2", "alert")


def header_footer_text(text: str, max_len: int = 90) -> str:
    """Text for a page header/footer: ``&`` starts a code there, so it is doubled; kept short
    (Excel refuses a header or footer longer than 255 characters in all)."""
    text = cell_text(text).replace("\n", " ").replace("\r", " ")
    if len(text) > max_len:
        text = text[: max_len - 1] + "…"
    return text.replace("&", "&&")


def own_style(cell) -> None:
    """Give ``cell`` its own style array before changing its style (see :class:`SharedStyle`)."""
    cell._style = StyleArray(cell._style)


class SharedStyle(StyleArray):
    """A prepared style array shared by every cell of one named style, its hash kept.

    openpyxl gives each cell its own array and hashes it again when saving; at 100 000
    cells that is a good part of the time. Cells written by :class:`XlsxWriter` share
    one array per style instead; a cell whose style must change (a quote prefix, an
    indent) first gets its own copy (``cell._style = StyleArray(cell._style)``).
    """

    __slots__ = ("_hash",)

    def __new__(cls, args=(0,) * 9):
        self = super().__new__(cls, args)
        self._hash = hash(tuple(self))
        return self

    def __hash__(self):
        return self._hash


@dataclass
class SheetState:
    """What a sheet remembers while it is written: the widest content per column."""

    widths: dict[int, float]
    wrapped: dict[int, list[tuple[int, str, bool]]]  # row -> [(column, text, bold)] of wrapped cells


class XlsxWriter:
    """One workbook being written: named styles and helpers shared by its sheets."""

    def __init__(self, wb: Workbook, *, money_format: str = MONEY_FORMAT):
        self.wb = wb
        self.money_format = money_format
        self._arrays: dict[str, object] = {}
        self._states: dict[str, SheetState] = {}
        self.cached: dict[str, dict[str, object]] = {}  # sheet title -> {coordinate: cached formula value}
        self._register_styles()

    # ----------------------------------------------------------------- styles

    def _register_styles(self) -> None:
        base_font = Font(name="Calibri", size=10)
        for kind, (fmt, horizontal, wrap) in KINDS.items():
            if kind == "money":
                fmt = self.money_format
            for variant in VARIANTS:
                font = base_font
                fill = PatternFill()
                h = horizontal
                wrap_text = wrap
                if variant == "header":
                    font = Font(name="Calibri", size=10, bold=True, color="FFFFFF")
                    fill = _HEADER_FILL
                    h = "center"
                    wrap_text = True
                elif variant == "total":
                    font = Font(name="Calibri", size=10, bold=True)
                    fill = _TOTAL_FILL
                elif variant == "level1":
                    font = Font(name="Calibri", size=10, bold=True)
                    fill = _LEVEL_FILLS[1]
                elif variant == "level2":
                    font = Font(name="Calibri", size=10, bold=True)
                    fill = _LEVEL_FILLS[2]
                elif variant == "alert":
                    fill = _ALERT_FILL
                style = NamedStyle(
                    name=f"qpv {kind} {variant}",
                    font=font,
                    fill=fill,
                    border=_BORDER,
                    number_format=fmt,
                    alignment=Alignment(horizontal=h, vertical="top" if variant != "header" else "center",
                                        wrap_text=wrap_text),
                )
                self.wb.add_named_style(style)
        extra = {
            "qpv title": NamedStyle(name="qpv title", font=Font(name="Calibri", size=16, bold=True, color=_ACCENT)),
            "qpv subtitle": NamedStyle(name="qpv subtitle", font=Font(name="Calibri", size=11, italic=True, color="404040")),
            "qpv section": NamedStyle(name="qpv section", font=Font(name="Calibri", size=12, bold=True, color=_ACCENT)),
            "qpv note": NamedStyle(name="qpv note", font=Font(name="Calibri", size=9, italic=True, color="595959"),
                                   alignment=Alignment(wrap_text=False)),
            "qpv note right": NamedStyle(name="qpv note right", font=Font(name="Calibri", size=9, italic=True,
                                                                          color="595959"),
                                         alignment=Alignment(horizontal="right")),
            "qpv note date": NamedStyle(name="qpv note date", number_format=DATE_FORMAT,
                                        font=Font(name="Calibri", size=9, italic=True, color="595959"),
                                        alignment=Alignment(horizontal="left")),
        }
        for style in extra.values():
            self.wb.add_named_style(style)
        # Prepared style arrays: one copy per cell instead of a name lookup per cell.
        ws = self.wb.create_sheet("__styles__")
        cell = ws.cell(1, 1)
        for name in self.wb.named_styles:
            if name.startswith("qpv "):
                cell.style = name
                self._arrays[name] = SharedStyle(cell._style)
        self.wb.remove(ws)

    def style(self, kind: str, variant: str = "body") -> str:
        return f"qpv {kind} {variant}"

    def _apply(self, cell, name: str) -> None:
        cell._style = StyleArray(self._arrays[name])

    def _new(self, ws: Worksheet, row: int, col: int, name: str) -> Cell:
        """A fresh cell sharing the prepared style array (see :class:`SharedStyle`)."""
        cell = Cell(ws, row=row, column=col)
        cell._style = self._arrays[name]
        ws._add_cell(cell)
        return cell

    # ----------------------------------------------------------------- sheets

    def sheet(self, title: str, *, first: bool = False) -> Worksheet:
        if first:
            ws = self.wb.active
            ws.title = title
        else:
            ws = self.wb.create_sheet(title)
        self._states[ws.title] = SheetState({}, {})
        return ws

    def _track(self, ws: Worksheet, col: int, length: float) -> None:
        widths = self._states[ws.title].widths
        if length > widths.get(col, 0):
            widths[col] = length

    # ----------------------------------------------------------------- cells

    def text(self, ws: Worksheet, row: int, col: int, value, variant: str = "body", *, kind: str = "text",
             track: bool = True):
        """User (or any) text, always a string cell, never a formula or an error value."""
        text = cell_text(value)
        cell = self._new(ws, row, col, f"qpv {kind} {variant}")
        if text:
            cell._value = text
            cell.data_type = "s"
            if needs_quoting(text):
                own_style(cell)  # the flag must not reach the other cells of the style
                cell.quotePrefix = True
            if kind == "wrap" or variant == "header":
                self._states[ws.title].wrapped.setdefault(row, []).append((col, text, variant == "header"))
            if track:
                longest = max(len(part) for part in text.split("\n")) if "\n" in text else len(text)
                self._track(ws, col, longest * (1.1 if variant in ("header", "total", "level1", "level2") else 1.0))
        return cell

    def number(self, ws: Worksheet, row: int, col: int, value, kind: str = "int", variant: str = "body"):
        """A number (``None`` leaves an empty, styled cell). ``kind``: int, dec, money (euros), pct (ratio)."""
        cell = self._new(ws, row, col, f"qpv {kind} {variant}")
        if value is not None:
            cell._value = value
            if kind == "money":
                length = len(f"{value:,.0f}") + 2
            elif kind == "pct":
                length = 7
            else:
                length = len(f"{value:,}") if isinstance(value, int) else len(f"{value:,.1f}")
            self._track(ws, col, length)
        return cell

    def money(self, ws: Worksheet, row: int, col: int, cents: int | None, variant: str = "body"):
        return self.number(ws, row, col, euro_number(cents), "money", variant)

    def amounts(self, ws: Worksheet, row: int, first_col: int, cents) -> None:
        """Money cells side by side in a body row; ``None`` (nothing asked, nothing
        decided) leaves the cell out entirely: the column's format covers it (see
        :meth:`money_columns`)."""
        arr = self._arrays["qpv money body"]
        widths = self._states[ws.title].widths
        for col, value in enumerate(cents, start=first_col):
            if value is None:
                continue
            cell = Cell(ws, row=row, column=col)
            cell._style = arr
            cell._value = value // 100 if value % 100 == 0 else round(value / 100, 2)
            ws._add_cell(cell)
            length = len(f"{cell._value:,.0f}") + 2
            if length > widths.get(col, 0):
                widths[col] = length

    def money_columns(self, ws: Worksheet, columns) -> None:
        """Give whole columns the money cells' style: a blank cell (nothing asked) is framed
        like its neighbours, and an amount typed in later reads as euros."""
        for col in columns:
            dim = ws.column_dimensions[get_column_letter(col)]
            dim._style = StyleArray(self._arrays["qpv money body"])  # format, font and frame of the cells

    def date(self, ws: Worksheet, row: int, col: int, value: dt.date | None, variant: str = "body"):
        cell = ws.cell(row, col)
        if value is not None:
            cell.value = value
            self._track(ws, col, 10)
        self._apply(cell, self.style("date", variant))
        return cell

    def formula(self, ws: Worksheet, row: int, col: int, formula: str, kind: str = "money", variant: str = "total",
                *, value=None):
        """A formula the *application* builds (never from user text), with its result
        ``value`` computed by the application: written as the cell's cached value (see
        :func:`save_workbook`) so that a viewer that does not recalculate shows it."""
        cell = ws.cell(row, col)
        cell.value = formula
        self._apply(cell, self.style(kind, variant))
        self._track(ws, col, 12)
        if value is not None:
            self.cached.setdefault(ws.title, {})[cell.coordinate] = value
        return cell

    def money_formula(self, ws: Worksheet, row: int, col: int, formula: str, cents: int | None,
                      variant: str = "total"):
        """A money formula whose result is ``cents``."""
        return self.formula(ws, row, col, formula, "money", variant, value=euro_number(cents))

    def styled(self, ws: Worksheet, row: int, col: int, name: str, value=None):
        """A title/section/note cell: ``value`` must be text (sanitised) or a date."""
        cell = ws.cell(row, col)
        if isinstance(value, (dt.date, dt.datetime)):
            cell.value = value
        elif value is not None:
            text = cell_text(value)
            cell.value = text
            cell.data_type = "s"
        self._apply(cell, name)  # the style first: applying it resets the quote prefix
        if isinstance(cell.value, str) and needs_quoting(cell.value):
            cell.quotePrefix = True
        return cell

    def header_row(self, ws: Worksheet, row: int, labels, col: int = 1) -> None:
        for offset, label in enumerate(labels):
            self.text(ws, row, col + offset, label, "header")

    # ----------------------------------------------------------------- finishing

    def fit_columns(self, ws: Worksheet, *, fixed: dict[int, float] | None = None, maximum: float = WIDTH_MAX) -> None:
        widths = dict(self._states[ws.title].widths)
        for col, width in (fixed or {}).items():
            widths[col] = width
        for col, width in widths.items():
            ws.column_dimensions[get_column_letter(col)].width = max(WIDTH_MIN, min(maximum, width + 2))

    def fit_rows(self, ws: Worksheet) -> None:
        """Row heights for wrapped text (LibreOffice does not grow rows written without a height).

        Lines are counted by wrapping words as a spreadsheet does, so a row is as tall as
        its text and no taller. Call after the final column widths are set.
        """
        chars: dict[tuple[int, bool], int] = {}
        for row, cells in self._states[ws.title].wrapped.items():
            lines = 1
            for col, text, bold in cells:
                if (col, bold) not in chars:
                    width = ws.column_dimensions[get_column_letter(col)].width or 10
                    chars[(col, bold)] = max(1, int(width * (1.0 if bold else 1.25)))  # bold headers run wider
                lines = max(lines, wrapped_lines(text, chars[(col, bold)]))
            if lines > 1:
                ws.row_dimensions[row].height = min(409, lines * LINE_HEIGHT + 3)

    def print_setup(self, ws: Worksheet, *, title: str, data_date: dt.date, title_rows: str | None = None,
                    subject: str = "", paper: str = "A4", scale: int | None = None, fit_height: int = 0,
                    title_cols: str | None = None) -> None:
        """Landscape, repeated header rows, header and footer; one page wide unless a fixed
        ``scale`` (percent) is given (then manual column breaks decide the pages)."""
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A3 if paper == "A3" else ws.PAPERSIZE_A4
        if scale is None:
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = fit_height
            ws.sheet_properties.pageSetUpPr.fitToPage = True
        else:
            ws.page_setup.scale = scale
            ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.page_margins.header = ws.page_margins.footer = 0.25
        if title_rows:
            ws.print_title_rows = title_rows
        if title_cols:
            ws.print_title_cols = title_cols
        ws.oddHeader.left.text = header_footer_text(title)
        ws.oddHeader.left.size = 9
        ws.oddHeader.right.text = header_footer_text(subject or ws.title)
        ws.oddHeader.right.size = 9
        ws.oddFooter.left.text = header_footer_text(f"Données au {data_date:%d/%m/%Y}")
        ws.oddFooter.left.size = 9
        ws.oddFooter.right.text = "Page &P / &N"
        ws.oddFooter.right.size = 9


def column_points(width: float) -> float:
    """Printed width in points of a column of ``width`` characters (Calibri 11 default font:
    7 pixels a character plus 5 of padding, at 96 pixels an inch)."""
    return (7 * width + 5) * 0.75


def printable_points(paper: str = "A4") -> float:
    """Printable width in points of a landscape page with the sheets' side margins."""
    long_side = 420 if paper == "A3" else 297
    return long_side / 25.4 * 72 - 2 * MARGIN_SIDE * 72


def wrapped_lines(text: str, per_line: int) -> int:
    """Lines ``text`` takes in a cell ``per_line`` characters wide, words wrapped."""
    if len(text) <= per_line and "\n" not in text:
        return 1
    lines = 0
    for part in text.split("\n"):
        count, current = 1, 0
        for word in part.split(" "):
            size = len(word)
            if current and current + 1 + size > per_line:
                count += 1
                current = 0
            current += (1 if current else 0) + size
            while current > per_line:  # a word longer than the cell breaks anywhere
                count += 1
                current -= per_line
        lines += count
    return lines


def save_workbook(wb: Workbook, path, cached: dict[str, dict[str, object]]) -> None:
    """Save ``wb`` to ``path`` with a cached value for every formula cell of ``cached``.

    openpyxl writes formulas without their result, so a viewer that does not
    recalculate (a mail preview, a phone, a quick look) shows blank totals. The result,
    computed by the application, is put in each formula cell's ``<v>`` element of the
    sheet XML, which is what Excel itself writes; Excel still recalculates on opening
    (``fullCalcOnLoad``), so the formulas stay live.
    """
    if not any(cached.values()):
        wb.save(path)
        return
    # First pass uncompressed (openpyxl's own writer), then one compressed copy with
    # the cached values put in: every part is deflated once, as a plain save does.
    stored = f"{path}.stored"
    try:
        with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            ExcelWriter(wb, archive).save()
        with zipfile.ZipFile(stored) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zout:
            targets = _sheet_files(zin)
            for info in zin.infolist():
                data = zin.read(info.filename)
                values = cached.get(targets.get(info.filename, ""), {})
                if values:
                    data = _put_cached(data.decode("utf-8"), values, re).encode("utf-8")
                info.compress_type = zipfile.ZIP_DEFLATED
                zout.writestr(info, data)
    finally:
        if os.path.exists(stored):
            os.remove(stored)


def _sheet_files(zf) -> dict[str, str]:
    """Sheet part name (``xl/worksheets/sheet1.xml``) → sheet title."""
    book = zf.read("xl/workbook.xml").decode("utf-8")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    target = {}
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', rel.group(0)))
        path = attrs.get("Target", "")
        path = path.lstrip("/") if path.startswith("/") else "xl/" + path
        target[attrs.get("Id")] = path
    out = {}
    for sheet in re.finditer(r"<sheet\b[^>]*>", book):
        attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', sheet.group(0)))
        out[target.get(attrs.get("r:id"), "")] = unescape(attrs.get("name", ""), {"&quot;": '"', "&apos;": "'"})
    return out


def _put_cached(xml: str, values: dict[str, object], re) -> str:
    def fill(match):
        head, coord = match.group(1), match.group(2)
        value = values.get(coord)
        if value is None:
            return match.group(0)
        if isinstance(value, str):
            head = head.replace(f'<c r="{coord}"', f'<c r="{coord}" t="str"', 1)
            return f"{head}<v>{escape(value)}</v></c>"
        if isinstance(value, float):
            return f"{head}<v>{value!r}</v></c>"
        return f"{head}<v>{int(value)}</v></c>"

    return re.sub(r'(<c r="([A-Z]+[0-9]+)"[^>]*><f>[^<]*</f>)(?:<v\s*/>|<v></v>)?</c>', fill, xml)


def euro_number(cents: int | None):
    """Cents as an exact number of euros for a cell: an ``int`` when whole, else a float to the cent."""
    if cents is None:
        return None
    if cents % 100 == 0:
        return cents // 100
    return round(cents / 100, 2)


def set_properties(wb: Workbook, *, title: str, subject: str, created: dt.datetime, keywords: str = "") -> None:
    props = wb.properties
    props.title = cell_text(title)[:250]
    props.subject = cell_text(subject)[:250]
    props.creator = "QPV Desk"
    props.lastModifiedBy = "QPV Desk"
    props.created = created
    props.modified = created
    props.keywords = keywords
    props.language = "fr-FR"
    props.category = "Politique de la ville"


__all__ = [
    "DATE_FORMAT",
    "MONEY_CENTS_FORMAT",
    "MONEY_FORMAT",
    "PERCENT_FORMAT",
    "XlsxWriter",
    "euro_number",
    "get_column_letter",
    "header_footer_text",
    "own_style",
    "save_workbook",
    "set_properties",
    "wrapped_lines",
]
