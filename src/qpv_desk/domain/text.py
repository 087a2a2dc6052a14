"""Text helpers shared by every layer: money, people's names, French sorting.

One definition each, so that a screen, a Word document, a workbook and the command line
never disagree on how an amount or a person is written or in which order names come.
Plain Python: no Qt, no SQL.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from pyuca.collator import Collator_10_0_0

NBSP = "\u00a0"
NNBSP = "\u202f"


# --------------------------------------------------------------------------- money


def euros(cents: int | None, *, whole: bool = False) -> str:
    """« 12 345,50 € » for people: narrow no-break spaces between thousands, a no-break
    space before the sign, so an amount never breaks across two lines. ``None`` → "".

    ``whole=True``: « 12 346 € », rounded to the nearest euro (half a euro up), for a
    text or a chart where cents would only clutter."""
    if cents is None:
        return ""
    cents = int(cents)
    if whole:
        units = (abs(cents) + 50) // 100
        return f"{'-' if cents < 0 and units else ''}{thousands(units)}{NBSP}€"
    sign = "-" if cents < 0 else ""
    units, frac = divmod(abs(cents), 100)
    return f"{sign}{thousands(units)},{frac:02d}{NBSP}€"


def thousands(n: int) -> str:
    """« 12 345 »: a count for people, narrow no-break spaces between thousands."""
    return f"{n:,}".replace(",", NNBSP)


def euros_plain(cents: int | None) -> str:
    """« 12345.50 » for machines (the CLI's tab-separated listings). ``None`` → ""."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(int(cents)), 100)
    return f"{sign}{whole}.{frac:02d}"


# --------------------------------------------------------------------------- people


def person_name(first: str | None, last: str | None, civility: str | None = None) -> str:
    """« Mme Claire Dubois » when the civility is known, « Claire Dubois » otherwise."""
    return " ".join(p for p in (civility, first, last) if p)


def feminine(civility: str | None) -> bool | None:
    """True for « Mme », False for « M. », None when unknown."""
    if civility == "Mme":
        return True
    if civility == "M.":
        return False
    return None


def agree(word: str, civility: str | None) -> str:
    """A past participle or adjective agreed with the person: ``agree("représenté",
    "Mme")`` → « représentée »; unknown civility → « représenté(e) »."""
    fem = feminine(civility)
    if fem is None:
        return f"{word}(e)"
    return f"{word}e" if fem else word


# --------------------------------------------------------------------------- sorting


@lru_cache(maxsize=1)
def _collator():
    # pyuca implements the Unicode Collation Algorithm with the default table (DUCET):
    # « Éducation » sorts with the E's, « œ » with « oe », case and accents only break ties.
    # (PyICU would do the same but ships no wheels, so it cannot be installed on her PC.)
    # The table is pinned so the frozen build ships exactly the file it loads; it is read
    # here, at the first sort, not when this module is imported.
    return Collator_10_0_0()


@lru_cache(maxsize=65536)
def sort_key(text: str | None) -> tuple:
    """The French sort key of a text (Unicode collation): use it for every list of
    names shown or printed, ``sorted(rows, key=lambda r: sort_key(r.name))``."""
    return _collator().sort_key(text or "")


def person_sort_key(first: str | None, last: str | None) -> tuple:
    """Surname first, then first name, by French rules (the sign-in sheet's order)."""
    return (sort_key(last), sort_key(first))


# --------------------------------------------------------------------------- French grammar

_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæ")


def of(name: str | None) -> str:
    """« de Verquin », « d'Exemple-sur-Lawe »: the preposition *de* elided before a vowel
    (not before h: place names often start with an aspirated h, « de Hazebrouck »), and
    contracted with the article *le* / *les*: « du Touquet », « des Jardins partagés »."""
    name = (name or "").strip()
    if not name:
        return ""
    article, _, rest = name.partition(" ")
    if rest and article in ("Le", "le", "Les", "les"):
        return f"{'du' if article.casefold() == 'le' else 'des'} {rest}"
    return f"d'{name}" if name[0].casefold() in _VOWELS else f"de {name}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 participant », « 12 participants », « 0 participant » (French: 0 and 1 are singular)."""
    word = singular if abs(count) < 2 else (plural_form or f"{singular}s")
    return f"{count} {word}"


# --------------------------------------------------------------------------- matching


def match_key(text: str | None) -> str:
    """The form under which two spellings name the same thing: case, accents, ligatures,
    punctuation and spacing ignored (« Centre social Les Îlots » = « CENTRE-SOCIAL les ilots »).
    For telling whether two records are the same one, never for display or sorting."""
    folded = unicodedata.normalize("NFKD", text or "").casefold().replace("œ", "oe").replace("æ", "ae")
    letters = "".join(c if c.isalnum() else " " for c in folded if not unicodedata.combining(c))
    return " ".join(letters.split())


# --------------------------------------------------------------------------- searching

# Only these letters (and œ, æ) are folded — French and the usual Western European ones; a
# search for « ø » or « ł » only finds the same letter.
_ACCENTS = {
    "a": "àâäáãåÀÂÄÁÃÅ",
    "c": "çÇ",
    "e": "éèêëÉÈÊË",
    "i": "îïíìÎÏÍÌ",
    "n": "ñÑ",
    "o": "ôöóòõÔÖÓÒÕ",
    "u": "ùûüúÙÛÜÚ",
    "y": "ÿýŸÝ",
}
FOLD_TABLE = {ord(ch): base for base, chars in _ACCENTS.items() for ch in chars}
FOLD_TABLE.update({ord("œ"): "oe", ord("Œ"): "oe", ord("æ"): "ae", ord("Æ"): "ae"})


def fold_text(text: str) -> str:
    """Lower case, accents removed: what a search compares (the SQL twin is
    ``services.search.Folder``)."""
    return text.translate(FOLD_TABLE).lower()
