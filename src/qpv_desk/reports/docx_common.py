"""What every Word document of QPV Desk shares: the template, French dates, tables, saving.

The look comes from ``resources/templates/qpv-desk.docx`` (built by
``tools/make_docx_template.py`` with :func:`build_template`, restyled at will by a
commune in Word: styles « Title », « Heading 1–3 », « Normal », the table style
« QPV Tableau », the header with ``[Commune]`` and the footer « Page X sur Y »).
Writers only pick styles by name, so a restyled template changes every document.

Every piece of user text goes through :func:`t` (:func:`reports.sanitize.xml_text`).
Tables are built row by row with ``table.add_row().cells`` (linear), never with
``table.cell(r, c)`` in a loop (quadratic). python-docx is imported here, so this
module is only imported when a document is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from ..paths import resource
from .files import FileLockedError, is_locked, next_free_name, owner_files, write_atomically  # noqa: F401 (re-exported)
from .sanitize import xml_text  # noqa: F401
from .wording import french_date, french_time, short_date, slugify, t, time_range  # noqa: F401 (re-exported)

TEMPLATE_NAME = "qpv-desk.docx"
COMMUNE_PLACEHOLDER = "[Commune]"
TABLE_STYLE = "QPV Tableau"
FONT = "Calibri"
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
DRAFT_COLOR = RGBColor(0xC0, 0x00, 0x00)
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21), Cm(29.7), Cm(2)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN


# --------------------------------------------------------------------------- template


def _strip_theme_fonts(rpr_parent) -> None:
    rfonts = rpr_parent.find(qn("w:rFonts"))
    if rfonts is not None:
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)


def _style_font(style, *, size: float | None = None, bold: bool | None = None, color: RGBColor | None = None,
                italic: bool | None = None) -> None:
    style.font.name = FONT
    _strip_theme_fonts(style.element.get_or_add_rPr())
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    if color is not None:
        style.font.color.rgb = color


def add_field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A Word field (``PAGE``, ``NUMPAGES``…) computed when the document is shown or printed."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


_TABLE_STYLE_XML = f"""
<w:style {nsdecls('w')} w:type="table" w:customStyle="1" w:styleId="QPVTableau">
  <w:name w:val="{TABLE_STYLE}"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="30" w:after="30" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="6" w:space="0" w:color="1F4E79"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="9FB6CD"/>
      <w:bottom w:val="single" w:sz="6" w:space="0" w:color="1F4E79"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="9FB6CD"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="9FB6CD"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="9FB6CD"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="40" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
      <w:bottom w:w="40" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/><w:color w:val="1F4E79"/></w:rPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="DCE6F1"/></w:tcPr>
  </w:tblStylePr>
</w:style>
"""


def build_template():
    """The default look, from python-docx's blank document: A4, Calibri, French, styled headings."""
    doc = Document()
    styles = doc.styles
    # document defaults: font and language (spelling and hyphenation in French)
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _strip_theme_fonts(rpr_default)
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "fr-FR")
    lang.set(qn("w:eastAsia"), "fr-FR")
    lang.set(qn("w:bidi"), "ar-SA")

    normal = styles["Normal"]
    _style_font(normal, size=10.5, color=RGBColor(0x20, 0x20, 0x20))
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.1

    title = styles["Title"]
    _style_font(title, size=20, bold=True, color=ACCENT)
    title.paragraph_format.space_after = Pt(10)
    title_ppr = title.element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):
        title_ppr.remove(border)
    title_ppr.append(parse_xml(f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="8" w:space="4" '
                               'w:color="1F4E79"/></w:pBdr>'))
    subtitle = styles["Subtitle"]
    _style_font(subtitle, size=12, italic=False, color=RGBColor(0x40, 0x40, 0x40))

    for name, size, before in (("Heading 1", 14, 14), ("Heading 2", 12, 10), ("Heading 3", 11, 8)):
        style = styles[name]
        _style_font(style, size=size, bold=True, color=ACCENT, italic=False)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True

    for name in ("List Bullet", "List Number", "Header", "Footer"):
        _style_font(styles[name])
    styles["Header"].font.size = Pt(9)
    for name in ("Header", "Footer"):
        stops = styles[name].paragraph_format.tab_stops
        stops.clear_all()
        stops.add_tab_stop(Cm(8.5), WD_TAB_ALIGNMENT.CENTER)
        stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    styles["Footer"].font.size = Pt(8.5)
    if "Small" not in [s.name for s in styles]:
        small = styles.add_style("Small", WD_STYLE_TYPE.PARAGRAPH)
        small.base_style = normal
        small.font.size = Pt(9)
        small.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    if "Draft mark" not in [s.name for s in styles]:
        mark = styles.add_style("Draft mark", WD_STYLE_TYPE.CHARACTER)
        mark.font.bold = True
        mark.font.color.rgb = DRAFT_COLOR
    styles.element.append(parse_xml(_TABLE_STYLE_XML))

    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2)
    section.header_distance = section.footer_distance = Cm(1)

    header = section.header.paragraphs[0]
    header.style = styles["Header"]
    run = header.add_run(COMMUNE_PLACEHOLDER)
    run.bold = True
    run.font.color.rgb = ACCENT
    header.add_run(" — Politique de la ville")
    header.paragraph_format.space_after = Pt(0)
    header._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="3" w:color="9FB6CD"/></w:pBdr>'))

    footer = section.footer.paragraphs[0]
    footer.style = styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    add_field(footer, "PAGE")
    footer.add_run(" sur ")
    add_field(footer, "NUMPAGES")
    doc.core_properties.author = "QPV Desk"
    doc.core_properties.language = "fr-FR"
    return doc


def template_path() -> Path:
    return resource("templates", TEMPLATE_NAME)


def load_template(commune: str = "", *, draft: bool = False, title: str = ""):
    """A new document from the template (or the built-in look if the file is missing).

    The header's ``[Commune]`` becomes ``commune``; ``draft`` adds a red « PROJET » at
    the right of the header.
    """
    try:
        path = template_path()
    except FileNotFoundError:
        path = None
    doc = Document(str(path)) if path is not None and path.is_file() else build_template()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    label = t(commune)
    for section in doc.sections:
        for paragraph in section.header.paragraphs:
            for run in paragraph.runs:
                if COMMUNE_PLACEHOLDER in run.text:
                    run.text = run.text.replace(COMMUNE_PLACEHOLDER, label)
        if draft:
            paragraph = section.header.paragraphs[0]
            paragraph.add_run("\t\t" if "\t" not in paragraph.text else "\t")
            mark = paragraph.add_run("PROJET")
            mark.bold = True
            mark.font.color.rgb = DRAFT_COLOR
    doc.core_properties.title = t(title)[:250]
    doc.core_properties.created = dt.datetime.now()
    return doc


def style_or(doc, name: str, fallback: str):
    """The named style, or ``fallback`` when a restyled template dropped it."""
    try:
        return doc.styles[name]
    except KeyError:
        return doc.styles[fallback]


# --------------------------------------------------------------------------- content


class Writer:
    """Appends paragraphs to a document in constant time each.

    ``Document.add_paragraph(style=…)`` resolves the style by scanning every style and
    looks for ``w:sectPr`` among all the body's children: fine for a letter, slow for
    minutes of a thousand invitees. Here styles are resolved once and each paragraph
    goes straight before the section properties.
    """

    def __init__(self, doc):
        self.doc = doc
        self._paragraph = Paragraph
        self._parent = doc._body
        self._anchor = doc.element.body.find(qn("w:sectPr"))
        self._ids: dict[str, str | None] = {}

    def style_id(self, name: str, fallback: str = "Normal") -> str | None:
        if name not in self._ids:
            self._ids[name] = style_or(self.doc, name, fallback).style_id
        return self._ids[name]

    def p(self, text: str = "", style: str | None = None):
        """A new paragraph (``text`` sanitised) at the end of the document."""
        element = OxmlElement("w:p")
        if self._anchor is not None:
            self._anchor.addprevious(element)
        else:
            self.doc.element.body.append(element)
        if style and style != "Normal":
            element.style = self.style_id(style)
        paragraph = self._paragraph(element, self._parent)
        if text:
            paragraph.add_run(t(text))
        return paragraph

    def text(self, text: str, style: str | None = None, *, bold_prefix: str = "", italic: bool = False):
        """One paragraph per line of ``text``; returns the last paragraph."""
        paragraph = None
        for n, line_text in enumerate(t(text).split("\n")):
            paragraph = self.p(style=style)
            if n == 0 and bold_prefix:
                paragraph.add_run(t(bold_prefix)).bold = True
            paragraph.add_run(line_text).italic = italic
        return paragraph

    def label_value(self, label: str, value: str):
        paragraph = self.p()
        paragraph.paragraph_format.space_after = Pt(1)
        paragraph.add_run(f"{label} : ").bold = True
        paragraph.add_run(t(value))
        return paragraph


def mark_header_row(row) -> None:
    """Repeat this row at the top of every page (``w:tblHeader``) and keep it whole."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    cant_split(row)


def cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        el = OxmlElement("w:cantSplit")
        el.set(qn("w:val"), "true")
        tr_pr.insert(0, el)


def new_table(doc, headers: Sequence[str], widths_cm: Sequence[float]):
    """A table in the template's table style, with a repeated header row and fixed column widths."""
    table = doc.add_table(rows=0, cols=len(headers))
    try:
        table.style = doc.styles[TABLE_STYLE]
    except KeyError:
        table.style = style_or(doc, "Table Grid", "Normal Table")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    row = table.add_row()
    mark_header_row(row)
    for cell, text in zip(row.cells, headers):
        cell.paragraphs[0].add_run(t(text)).bold = True
    return table


def add_rows(table, rows: Iterable[Sequence], *, min_height_cm: float | None = None) -> int:
    """Append rows (linear: ``add_row().cells``); returns how many were added.

    A value may be ``(text, True)`` to emphasise it (bold, red: an overdue date).
    """
    count = 0
    for values in rows:
        row = table.add_row()
        cant_split(row)
        if min_height_cm:
            row.height = Cm(min_height_cm)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        cells = row.cells
        for cell, value in zip(cells, values):
            emphasis = False
            if isinstance(value, tuple):  # (text, emphasised)
                value, emphasis = value
            lines = t(value).split("\n")
            paragraph = cell.paragraphs[0]
            for n, line_text in enumerate(lines):
                if n:
                    paragraph = cell.add_paragraph()
                run = paragraph.add_run(line_text)
                if emphasis:
                    run.bold = True
                    run.font.color.rgb = DRAFT_COLOR
        count += 1
    return count


# --------------------------------------------------------------------------- files


def save_document(doc, path: str | Path) -> Path:
    """Write atomically (:func:`~qpv_desk.reports.files.write_atomically`); a locked target
    raises :class:`FileLockedError`, a missing folder a :class:`StorageError`."""
    return write_atomically(path, lambda tmp: doc.save(str(tmp)))
