"""Field validation shared by every service: clean text, dates, amounts, e-mail, SIRET.

Each function returns the cleaned value or raises :class:`ValidationError` whose
message names the field in French. Text is cleaned rather than refused where that
is harmless: characters that XML, PostgreSQL or Word cannot hold (NUL and other C0
controls, U+FFFE/U+FFFF, lone surrogates) are removed. Text starting with ``=`` is
kept as typed: it only becomes dangerous in a spreadsheet, where the report writers
neutralise it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from .errors import ValidationError

LINE_MAX = 300
NAME_MAX = 200
TEXT_MAX = 200_000

_INVALID_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_INVALID_LINE = re.compile("[\x00-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 .()\-]{6,25}$")


def strip_invalid(text: str, *, multiline: bool = True) -> str:
    """Remove characters no document or database can hold; newlines become spaces on one-line fields."""
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return _INVALID_MULTILINE.sub("", text)
    text = re.sub(r"[\t\r\n]+", " ", text)
    return _INVALID_LINE.sub("", text)


def line(value, label: str, field: str, *, required: bool = False, max_len: int = LINE_MAX) -> str | None:
    """A one-line text field: cleaned, stripped, length-checked. Empty gives ``None``."""
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = strip_invalid(value, multiline=False).strip()
    else:
        raise ValidationError(field, f"Le champ « {label} » doit être un texte.")
    if not text:
        if required:
            raise ValidationError(field, f"Le champ « {label} » est obligatoire.")
        return None
    if len(text) > max_len:
        raise ValidationError(
            field, f"Le champ « {label} » est trop long ({len(text)} caractères, {max_len} au plus)."
        )
    return text


def text(value, label: str, field: str, *, required: bool = False, max_len: int = TEXT_MAX) -> str | None:
    """A multi-line text field (notes, descriptions)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field, f"Le champ « {label} » doit être un texte.")
    cleaned = strip_invalid(value).strip()
    if not cleaned:
        if required:
            raise ValidationError(field, f"Le champ « {label} » est obligatoire.")
        return None
    if len(cleaned) > max_len:
        raise ValidationError(
            field,
            f"Le champ « {label} » est trop long ({len(cleaned):,} caractères, {max_len:,} au plus).".replace(",", " "),
        )
    return cleaned


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
