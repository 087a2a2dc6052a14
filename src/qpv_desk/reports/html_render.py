"""A :class:`~qpv_desk.reports.document.Document` as simple HTML for Qt's print preview and PDF.

Same blocks as the Word file (:mod:`.docx_render`), so the two carry the same text;
only the page furniture differs (the header is printed once at the top).
"""

from __future__ import annotations

import base64
import html

from .document import Document, Heading, ListBlock, PageBreak, Paragraph, Signature, Table
from .sanitize import typography

STYLE = (
    "body{font-family:'Calibri','Carlito','DejaVu Sans',sans-serif;font-size:10.5pt;}"
    "h1{color:#1F4E79;font-size:18pt;} h2{color:#1F4E79;font-size:14pt;margin-top:12px;}"
    "h3{color:#1F4E79;font-size:12pt;} h4{color:#1F4E79;font-size:11pt;} .draft{color:#C00000;font-weight:bold;}"
    "table{border-collapse:collapse;} th{background:#DCE6F1;color:#1F4E79;text-align:left;}"
    "td,th{border:1px solid #9FB6CD;padding:3px;} .late{color:#C00000;font-weight:bold;}"
    ".small{font-size:9pt;color:#555555;} .header{font-size:9pt;color:#1F4E79;}"
)


def _h(text) -> str:
    return html.escape(typography(text)).replace("\n", "<br>")


def _runs(runs) -> str:
    out = []
    for r in runs:
        text = _h(r.text)
        if r.italic:
            text = f"<i>{text}</i>"
        if r.bold and not r.alert:
            text = f"<b>{text}</b>"
        if r.alert:
            text = f"<span class='late'>{text}</span>"
        out.append(text)
    return "".join(out)


def _letterhead(letterhead) -> str:
    if letterhead is None or not (letterhead.address or letterhead.logo):
        return ""
    logo = ""
    if letterhead.logo:
        kind = "png" if letterhead.logo[:4] == b"\x89PNG" else "jpeg"
        logo = (f"<img height='56' src='data:image/{kind};base64,"
                f"{base64.b64encode(letterhead.logo).decode('ascii')}'>")
    return (f"<table width='100%' style='border:none'><tr><td style='border:none'>{logo}</td>"
            f"<td style='border:none' align='right' class='small'>{_h(letterhead.address)}</td></tr></table>")


def render_html(document: Document, letterhead=None) -> str:
    out = ["<html><head><meta charset='utf-8'><style>", STYLE, "</style></head><body>", _letterhead(letterhead)]
    draft = " <span class='draft'>PROJET</span>" if document.draft else ""
    out.append(f"<p class='header'><b>{_h(document.header)}</b> — Politique de la ville{draft}</p>")
    for line in document.header_lines:
        out.append(f"<p class='header'><b>{_h(line)}</b></p>")
    for block in document.blocks:
        if isinstance(block, Heading):
            tag = f"h{block.level + 1}"
            mark = f" <span class='draft'>{_h(block.mark)}</span>" if block.mark else ""
            out.append(f"<{tag}>{_h(block.text)}{mark}</{tag}>")
        elif isinstance(block, Paragraph):
            attrs = []
            if block.align == "right":
                attrs.append("align='right'")
            if block.style == "Small":
                attrs.append("class='small'")
            if block.indent:
                attrs.append("style='margin-left:16px'")
            out.append(f"<p {' '.join(attrs)}>{_runs(block.runs)}</p>")
        elif isinstance(block, ListBlock):
            tag = "ol" if block.numbered else "ul"
            out.append(f"<{tag}>" + "".join(f"<li>{_runs(item)}</li>" for item in block.items) + f"</{tag}>")
        elif isinstance(block, Table):
            total = sum(block.widths_cm) or 1
            out.append("<table width='100%'><tr>" + "".join(
                f"<th width='{round(100 * w / total)}%'>{_h(h)}</th>" for h, w in zip(block.header, block.widths_cm))
                + "</tr>")
            height = f" height='{round(block.row_height_cm * 38)}'" if block.row_height_cm else ""
            for row in block.rows:
                cells = []
                for col, runs in enumerate(row):
                    align = " align='right'" if col < len(block.align) and block.align[col] == "right" else ""
                    cells.append(f"<td{align}{height}>{_runs(runs)}</td>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</table>")
        elif isinstance(block, Signature):
            cells = "".join(f"<td style='border:none' align='center'>{_h(function)}<br><br><br><b>{_h(name)}</b></td>"
                            for name, function in block.signatories)
            out.append(f"<table width='100%' style='border:none'><tr>{cells}</tr></table>")
        elif isinstance(block, PageBreak):
            out.append("<p style='page-break-after:always'></p>")
    out.append("</body></html>")
    return "".join(out)
