"""A :class:`~qpv_desk.reports.document.Document` written as a Word file (python-docx).

The look comes from the template (:mod:`.docx_common`); every text goes through
:func:`.docx_common.t` (XML-safe, French guillemets). Numbered lists are real Word
numbering (each list restarts at 1) with a hanging indent, so wrapped lines start
under the text, not under the number.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from . import docx_common as C
from .document import Document, Heading, ListBlock, PageBreak, Paragraph, Signature, Table

LIST_INDENT = Cm(0.75)
LOGO_HEIGHT = Cm(1.3)


def _runs(paragraph, runs) -> None:
    for r in runs:
        parts = C.t(r.text).split("\n")
        for n, part in enumerate(parts):
            run = paragraph.add_run(part)
            if n < len(parts) - 1:
                run.add_break()
            if r.bold or r.alert:
                run.bold = True
            if r.italic:
                run.italic = True
            if r.alert:
                run.font.color.rgb = C.DRAFT_COLOR


class _Numbering:
    """A fresh Word numbering instance per numbered list (so each list starts at 1)."""

    def __init__(self, doc):
        self.doc = doc
        self.abstract_id = None
        try:
            style = doc.styles["List Number"]
            num_id = style.element.pPr.numPr.numId.val
            numbering = doc.part.numbering_part.element
            num = next(n for n in numbering.num_lst if n.numId == num_id)
            self.abstract_id = num.abstractNumId.val
            self.numbering = numbering
        except (KeyError, AttributeError, StopIteration, NotImplementedError):
            self.abstract_id = None

    def new_list(self) -> int | None:
        if self.abstract_id is None:
            return None
        num = self.numbering.add_num(self.abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId


def _hanging(paragraph) -> None:
    fmt = paragraph.paragraph_format
    fmt.left_indent = LIST_INDENT
    fmt.first_line_indent = -LIST_INDENT
    fmt.space_after = Pt(1)


def _list(w: C.Writer, numbering: _Numbering, block: ListBlock) -> None:
    num_id = numbering.new_list() if block.numbered else None
    for n, item in enumerate(block.items, start=1):
        if block.numbered:
            p = w.p(style="List Number")
            if num_id is not None:
                num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = num_id
            else:  # a restyled template without numbering: typed number, still hanging
                p.add_run(f"{n}.\t")
            _hanging(p)
        else:
            p = w.p(style="List Bullet")
            p.paragraph_format.space_after = Pt(0)
        if n == len(block.items) - 1:
            p.paragraph_format.keep_with_next = True  # the last item never alone at the top of a page
        _runs(p, item)


def _table(doc, block: Table) -> None:
    table = C.new_table(doc, block.header, block.widths_cm)
    if not block.repeat_header:
        tr_pr = table.rows[0]._tr.trPr
        for el in tr_pr.findall(qn("w:tblHeader")):
            tr_pr.remove(el)
    widths = [Cm(w) for w in block.widths_cm]
    for cell, width in zip(table.rows[0].cells, widths):
        cell.width = width
    for values in block.rows:
        row = table.add_row()
        C.cant_split(row)
        if block.row_height_cm:
            row.height = Cm(block.row_height_cm)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for col, (cell, runs) in enumerate(zip(row.cells, values)):
            cell.width = widths[col]
            paragraph = cell.paragraphs[0]
            if col < len(block.align) and block.align[col] == "right":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _runs(paragraph, runs)
    if len(table.rows) > 2:
        # the last row never alone at the top of a page: the one before keeps with it
        for cell in table.rows[-2].cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    if block.total and len(table.rows) > 1:
        # a rule above the total line
        for cell in table.rows[-1].cells:
            tc_pr = cell._tc.get_or_add_tcPr()
            borders = OxmlElement("w:tcBorders")
            top = OxmlElement("w:top")
            for k, v in (("w:val", "single"), ("w:sz", "8"), ("w:space", "0"), ("w:color", "1F4E79")):
                top.set(qn(k), v)
            borders.append(top)
            tc_pr.append(borders)


def _signature(doc, block: Signature) -> None:
    people = list(block.signatories)
    cols = max(2, len(people))
    table = doc.add_table(rows=1, cols=cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    width = C.TEXT_WIDTH // cols
    cells = table.rows[0].cells
    C.cant_split(table.rows[0])
    start = cols - len(people)  # a single signatory signs on the right
    for n, cell in enumerate(cells):
        cell.width = width
        if n < start:
            continue
        name, function = people[n - start]
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(12)
        p.paragraph_format.keep_with_next = True
        if function:
            p.add_run(C.t(function))
        name_p = cell.add_paragraph()
        name_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        name_p.paragraph_format.space_before = Pt(42)  # room for the signature
        name_p.add_run(C.t(name)).bold = True


def _letterhead(doc, letterhead) -> None:
    if letterhead is None or not (letterhead.address or letterhead.logo):
        return
    for section in doc.sections:
        header = section.header
        table = header.add_table(rows=1, cols=2, width=C.TEXT_WIDTH)
        table.autofit = False
        left, right = table.rows[0].cells
        left.width, right.width = Cm(6), C.TEXT_WIDTH - Cm(6)
        if letterhead.logo:
            try:
                left.paragraphs[0].add_run().add_picture(io.BytesIO(letterhead.logo), height=LOGO_HEIGHT)
            except Exception:  # noqa: BLE001 - an unreadable image must not stop the document
                left.paragraphs[0].add_run("")
        lines = C.t(letterhead.address).strip().split("\n")
        p = right.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for n, line in enumerate(lines):
            run = p.add_run(line)
            run.font.size = Pt(8.5)
            if n < len(lines) - 1:
                run.add_break()
        header._element.insert(0, table._tbl)


def _header_lines(doc, lines) -> None:
    for section in doc.sections:
        for line in lines:
            p = section.header.add_paragraph(style=C.style_or(doc, "Header", "Normal"))
            p.paragraph_format.space_before = Pt(2)
            run = p.add_run(C.t(line))
            run.font.size = Pt(8.5)
            run.bold = True


def build_docx(document: Document, letterhead=None):
    """The python-docx ``Document`` (not saved)."""
    doc = C.load_template(document.header, draft=document.draft, title=document.title)
    _letterhead(doc, letterhead)
    if document.header_lines:
        _header_lines(doc, document.header_lines)
    w = C.Writer(doc)
    numbering = _Numbering(doc)
    blocks = document.blocks
    for n, block in enumerate(blocks):
        if isinstance(block, Heading):
            style = "Title" if block.level == 0 else f"Heading {min(block.level, 3)}"
            p = w.p(block.text, style)
            if block.mark:
                p.add_run(" ")
                mark = p.add_run(C.t(block.mark))
                mark.font.color.rgb = C.DRAFT_COLOR
        elif isinstance(block, Paragraph):
            p = w.p(style=block.style if block.style != "Normal" else None)
            if block.align == "right":
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if block.indent:
                p.paragraph_format.left_indent = Cm(0.6)
            if block.space_before:
                p.paragraph_format.space_before = Pt(block.space_before)
            if n + 1 < len(blocks) and isinstance(blocks[n + 1], (ListBlock, Table)):
                # a lead-in (« Membres et invités de l'instance : ») stays on the page of what it introduces
                p.paragraph_format.keep_with_next = True
            _runs(p, block.runs)
        elif isinstance(block, ListBlock):
            _list(w, numbering, block)
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Signature):
            _signature(doc, block)
        elif isinstance(block, PageBreak):
            w.p().add_run().add_break(WD_BREAK.PAGE)
    return doc


def render_docx(document: Document, path: Path, letterhead=None) -> Path:
    return C.save_document(build_docx(document, letterhead), path)
