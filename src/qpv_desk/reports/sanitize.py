"""The one sanitiser for text that leaves the application (docx, xlsx).

- :func:`xml_text` removes what XML 1.0 cannot hold (C0 controls but tab/newline,
  U+FFFE/U+FFFF, lone surrogates), so Word and Excel never see a corrupt file, and the
  bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069):
  an unterminated « right-to-left override » in user text would otherwise reverse the
  document's own words after it (« présenté par » printed « rap étnesérp »). New text
  cannot contain them (:mod:`qpv_desk.domain.validation` refuses them); this catches
  older data. Right-to-left scripts themselves are kept: they need no such control.
- :func:`cell_text` also makes sure a spreadsheet never turns user text into a
  formula or an error value, and cuts text longer than a cell can hold with a
  visible mark.
"""

from __future__ import annotations

import re

EXCEL_CELL_MAX = 32_767
TRUNCATION_MARK = " […] (texte tronqué : limite d'Excel de 32 767 caractères)"

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_EXCEL_ERRORS = re.compile(r"^\s*#(N/A|NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|GETTING_DATA|SPILL!|CALC!)", re.I)


def xml_text(value) -> str:
    """Text safe for an XML document; ``None`` becomes an empty string."""
    if value is None:
        return ""
    return _XML_INVALID.sub("", str(value))


def needs_quoting(text: str) -> bool:
    """Would a spreadsheet read this text as a formula or an error value?"""
    return text.startswith(_FORMULA_START) or bool(_EXCEL_ERRORS.match(text))


def cell_text(value) -> str:
    """Text for a spreadsheet cell: XML-safe and cut to Excel's limit with a visible mark.

    The caller must still store it as a *string* cell (openpyxl: ``cell.data_type = "s"``
    after assignment, as :meth:`qpv_desk.reports.xlsx_common.XlsxWriter.text` does), so that a leading
    ``=`` stays text; :func:`needs_quoting` tells when to also set ``quotePrefix``.
    """
    text = xml_text(value)
    if len(text) > EXCEL_CELL_MAX:
        text = text[: EXCEL_CELL_MAX - len(TRUNCATION_MARK)] + TRUNCATION_MARK
    return text


_OPENING_GUILLEMET = re.compile(r"«[ \u00a0\u202f\t]*")
_CLOSING_GUILLEMET = re.compile(r"[ \u00a0\u202f\t]*»")
_HOUR = re.compile(r"\b(\d{1,2}) h(?: (\d\d))?\b")  # « 9 h », « 17 h 30 »
_MINUTES = re.compile(r"\b(\d+) min\b")  # a duration, « 15 min », never « 15 » / « min »


def typography(value) -> str:
    """:func:`xml_text` plus French typography: « x » with no-break spaces inside the
    guillemets, so a guillemet never stands alone at the end or start of a line, and an
    hour or a duration held together (« 19 h 30 », « 15 min », never « 19 » at a line's end
    and « h 30 » below).
    Applied to every text a document prints, generated or typed by the user."""
    text = xml_text(value)
    if "«" in text or "»" in text:
        text = _OPENING_GUILLEMET.sub("«\u00a0", text)
        text = _CLOSING_GUILLEMET.sub("\u00a0»", text)
    if " h" in text:
        text = _HOUR.sub(lambda m: m[1] + "\u00a0h" + ("\u00a0" + m[2] if m[2] else ""), text)
    if " min" in text:
        text = _MINUTES.sub("\\1\u00a0min", text)
    return text
