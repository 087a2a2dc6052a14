"""Field validation shared by every way text comes in: the screens (through the
services), the referential file and the spreadsheet import. Clean text, dates, amounts,
e-mail, SIRET.

Each function returns the cleaned value or raises :class:`ValidationError` whose
message names the field in French.

The text rules (one set, :func:`text_problem` and :func:`normalise`):

- *normalised*, never refused: surrounding spaces, tabs and line breaks are trimmed;
  CR LF and CR become LF; in a one-line field, line breaks and tabs become a space;
- *refused*, with the field named: control characters (C0 other than tab and line
  breaks, DEL, C1), noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF), lone surrogates, and
  the bidirectional embedding, override and isolate controls (U+202A–U+202E,
  U+2066–U+2069), which would reverse the application's own words around them; a text
  longer than its field's maximum;
- everything else is kept exactly as typed: accents, emoji, right-to-left scripts,
  text starting with ``=``, ``+``, ``-`` or ``@`` (it only becomes dangerous in a
  spreadsheet, where the report writers neutralise it), text that looks like SQL, HTML
  or a template.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from .errors import ValidationError
from .text import thousands

LINE_MAX = 300
NAME_MAX = 200
CODE_MAX = 40
TEXT_MAX = 200_000

_INVALID_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_INVALID_LINE = re.compile("[\x00-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff"
    "\u202a-\u202e\u2066-\u2069]"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 .()\-]{6,25}$")


def strip_invalid(text: str, *, multiline: bool = True) -> str:
    """Remove characters no document or database can hold; newlines become spaces on one-line
    fields. For text that is not a field value (column headers of an imported sheet)."""
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return _INVALID_MULTILINE.sub("", text)
    text = re.sub(r"[\t\r\n]+", " ", text)
    return _INVALID_LINE.sub("", text)


def normalise(text: str, *, multiline: bool = False) -> str:
    """The normalisation every text field gets (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = re.sub(r"[\t\n]+", " ", text)
    return text.strip()


def _describe(char: str) -> str:
    code = ord(char)
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return f"un caractère de contrôle de direction d'écriture (U+{code:04X})"
    if 0xD800 <= code <= 0xDFFF:
        return f"un caractère invalide (demi-paire de substitution U+{code:04X})"
    if code in (0xFFFE, 0xFFFF) or 0xFDD0 <= code <= 0xFDEF:
        return f"un caractère invalide (non-caractère U+{code:04X})"
    return f"un caractère de contrôle interdit (U+{code:04X})"


def text_problem(text: str, *, max_len: int) -> str | None:
    """Why a normalised text is refused (the end of a French sentence whose subject is the
    field: « contient … », « est trop long … »), or ``None``."""
    bad = _FORBIDDEN.search(text)
    if bad:
        return f"contient {_describe(bad.group())}"
    if len(text) > max_len:
        return f"est trop long ({thousands(len(text))} caractères, {thousands(max_len)} au plus)"
    return None


def text_problem_neutral(text: str, *, max_len: int) -> str | None:
    """:func:`text_problem` worded for any subject (« la civilité », « le nom »…)."""
    problem = text_problem(text, max_len=max_len)
    if problem and problem.startswith("est trop long"):
        return f"compte {thousands(len(text))} caractères, {thousands(max_len)} au plus"
    return problem
    return None


def _checked(value, label: str, field: str, *, required: bool, max_len: int, multiline: bool) -> str | None:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field, f"Le champ « {label} » doit être un texte.")
    cleaned = normalise(value, multiline=multiline)
    if not cleaned:
        if required:
            raise ValidationError(field, f"Le champ « {label} » est obligatoire.")
        return None
    problem = text_problem(cleaned, max_len=max_len)
    if problem:
        raise ValidationError(field, f"Le champ « {label} » {problem}.")
    return cleaned


def line(value, label: str, field: str, *, required: bool = False, max_len: int = LINE_MAX) -> str | None:
    """A one-line text field: normalised, checked (characters, length). Empty gives ``None``."""
    return _checked(value, label, field, required=required, max_len=max_len, multiline=False)


def text(value, label: str, field: str, *, required: bool = False, max_len: int = TEXT_MAX) -> str | None:
    """A multi-line text field (notes, descriptions)."""
    return _checked(value, label, field, required=required, max_len=max_len, multiline=True)


_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def date(value, label: str, field: str, *, required: bool = False) -> dt.date | None:
    """A date given as ``date`` or text (jj/mm/aaaa or ISO)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(field, f"Le champ « {label} » est obligatoire.")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        result = value
    elif isinstance(value, str):
        for fmt in _DATE_FORMATS:
            try:
                result = dt.datetime.strptime(value.strip(), fmt).date()
                break
            except ValueError:
                continue
        else:
            raise ValidationError(
                field, f"« {value.strip()[:40]} » n'est pas une date valide pour « {label} » (attendu : jj/mm/aaaa)."
            )
    else:
        raise ValidationError(field, f"Le champ « {label} » doit être une date.")
    if not 1900 <= result.year <= 2200:
        raise ValidationError(field, f"L'année de « {label} » doit être comprise entre 1900 et 2200.")
    return result


def time(value, label: str, field: str) -> dt.time | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{1,2})\s*[h:H]\s*(\d{2})?\s*", value)
        if m:
            hours, minutes = int(m.group(1)), int(m.group(2) or 0)
            if hours < 24 and minutes < 60:
                return dt.time(hours, minutes)
        raise ValidationError(field, f"« {value.strip()[:20]} » n'est pas une heure valide pour « {label} » (attendu : 14:30).")
    raise ValidationError(field, f"Le champ « {label} » doit être une heure.")


def date_range(start, end, *, start_label="Début", end_label="Fin", field="end_date") -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError(field, f"La date « {end_label} » précède la date « {start_label} ».")


def amount_cents(value, label: str, field: str, *, required: bool = False, allow_none: bool = True) -> int | None:
    """An amount in euros (``int`` cents, ``Decimal``, or text like « 1 234,50 € ») as integer cents ≥ 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(field, f"Le montant « {label} » est obligatoire.")
        return None if allow_none else 0
    if isinstance(value, bool):
        raise ValidationError(field, f"Le montant « {label} » n'est pas un nombre.")
    if isinstance(value, int):
        cents = value
    else:
        if isinstance(value, float):
            euros = Decimal(str(value))
        elif isinstance(value, Decimal):
            euros = value
        elif isinstance(value, str):
            cleaned = re.sub(r"[\s\u00a0\u202f€]", "", value).replace(",", ".")
            try:
                euros = Decimal(cleaned)
            except InvalidOperation:
                raise ValidationError(
                    field, f"« {value.strip()[:30]} » n'est pas un montant valide pour « {label} »."
                ) from None
        else:
            raise ValidationError(field, f"Le montant « {label} » n'est pas un nombre.")
        if not euros.is_finite():
            raise ValidationError(field, f"Le montant « {label} » n'est pas un nombre.")
        scaled = euros * 100
        if scaled != scaled.to_integral_value():
            raise ValidationError(field, f"Le montant « {label} » a plus de deux décimales.")
        cents = int(scaled)
    if cents < 0:
        raise ValidationError(field, f"Le montant « {label} » ne peut pas être négatif.")
    if cents > 10**13:
        raise ValidationError(field, f"Le montant « {label} » est invraisemblablement élevé.")
    return cents


def count(value, label: str, field: str, *, required: bool = False, maximum: int = 10_000_000) -> int | None:
    """A non-negative whole number (beneficiaries, durations…)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(field, f"Le champ « {label} » est obligatoire.")
        return None
    try:
        number = int(str(value).replace(" ", "").replace("\u202f", "")) if not isinstance(value, int) else value
    except ValueError:
        raise ValidationError(field, f"« {str(value)[:20]} » n'est pas un nombre entier pour « {label} ».") from None
    if isinstance(value, bool) or number < 0:
        raise ValidationError(field, f"Le champ « {label} » ne peut pas être négatif.")
    if number > maximum:
        raise ValidationError(field, f"Le champ « {label} » dépasse {maximum}.")
    return number


def decimal(value, label: str, field: str, *, required: bool = False, minimum: Decimal | None = None) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(field, f"Le champ « {label} » est obligatoire.")
        return None
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", "").replace("\u202f", ""))
    except InvalidOperation:
        raise ValidationError(field, f"« {str(value)[:20]} » n'est pas un nombre pour « {label} ».") from None
    if not number.is_finite():
        raise ValidationError(field, f"« {label} » n'est pas un nombre.")
    if minimum is not None and number < minimum:
        raise ValidationError(field, f"Le champ « {label} » ne peut pas être inférieur à {minimum}.")
    return number


def email(value, label: str = "Courriel", field: str = "email") -> str | None:
    cleaned = line(value, label, field, max_len=254)
    if cleaned and not _EMAIL.match(cleaned):
        raise ValidationError(field, f"« {cleaned[:60]} » n'est pas une adresse électronique valide.")
    return cleaned


def phone(value, label: str = "Téléphone", field: str = "phone") -> str | None:
    cleaned = line(value, label, field, max_len=40)
    if cleaned and not _PHONE.match(cleaned):
        raise ValidationError(field, f"« {cleaned[:40]} » n'est pas un numéro de téléphone valide.")
    return cleaned


def siret(value, label: str = "SIRET", field: str = "siret") -> str | None:
    """A SIRET: 14 digits passing the Luhn check (La Poste's 356 000 000 exception accepted)."""
    cleaned = line(value, label, field, max_len=40)
    if not cleaned:
        return None
    digits = re.sub(r"[\s.\-]", "", cleaned)
    if not re.fullmatch(r"\d{14}", digits):
        raise ValidationError(field, "Le SIRET doit comporter 14 chiffres.")
    if digits.startswith("356000000"):
        valid = sum(int(d) for d in digits) % 5 == 0
    else:
        total = 0
        for i, ch in enumerate(reversed(digits)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        valid = total % 10 == 0
    if not valid:
        raise ValidationError(field, f"Le SIRET {digits} n'est pas valide (clé de contrôle incorrecte).")
    return digits


def choice(value, enum_cls, label: str, field: str, *, required: bool = True):
    """A member of a :class:`LabelledEnum`, given as member, code or French label."""
    if value is None or value == "":
        if required:
            raise ValidationError(field, f"Le champ « {label} » est obligatoire.")
        return None
    if isinstance(value, enum_cls):
        return value
    try:
        return enum_cls(value)
    except ValueError:
        try:
            return enum_cls.from_label(str(value))
        except ValueError:
            allowed = ", ".join(m.label for m in enum_cls)
            raise ValidationError(
                field, f"« {str(value)[:40]} » n'est pas une valeur possible pour « {label} » ({allowed})."
            ) from None
