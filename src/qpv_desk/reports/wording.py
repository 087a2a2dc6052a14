"""Wording shared by the documents: French dates and times, safe text, file-name slugs.

No python-docx here, so the services can build a document model without loading it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from babel.dates import format_date

from .sanitize import typography, xml_text

# --------------------------------------------------------------------------- text


def t(value) -> str:
    """Text made safe for the document (XML-invalid characters removed, « x » with no-break spaces)."""
    return typography(value)


def french_date(day: dt.date | None) -> str:
    """« mardi 14 janvier 2025 » (« 1er » for the first of the month)."""
    if day is None:
        return ""
    text = format_date(day, "full", locale="fr_FR")
    return re.sub(r"^(\w+) 1 ", r"\1 1er ", text)


def short_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def french_time(value: dt.time | None) -> str:
    """« 14 h 30 », « 9 h »."""
    if value is None:
        return ""
    return f"{value.hour} h" if value.minute == 0 else f"{value.hour} h {value.minute:02d}"


def time_range(start: dt.time | None, end: dt.time | None) -> str:
    if start and end:
        return f"de {french_time(start)} à {french_time(end)}"
    if start:
        return f"à {french_time(start)}"
    return ""


def slugify(text: str, *, keep_case: bool = True) -> str:
    """ASCII-only, dash-separated: « 3 Îlots » → « 3-Ilots »."""
    ascii_text = unicodedata.normalize("NFKD", xml_text(text)).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")
    return slug if keep_case else slug.lower()


