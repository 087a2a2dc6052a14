"""Searching text the way she types it: case- and accent-insensitive, on SQLite and on
PostgreSQL, without storing anything extra — both sides are folded in SQL by :class:`Folder`
(lower case, accented letters replaced by their base letter, as
:func:`~qpv_desk.domain.text.fold_text` does in Python). A ``LIKE '%…%'`` cannot use an index:
fine up to tens of thousands of contacts (a few tens of milliseconds)."""

from __future__ import annotations

from sqlalchemy import and_, func, literal
from sqlalchemy.orm import Session

from ..domain.text import FOLD_TABLE, fold_text

_PG_FROM = "".join(ch for ch in (chr(c) for c in FOLD_TABLE) if len(FOLD_TABLE[ord(ch)]) == 1)
_PG_TO = "".join(FOLD_TABLE[ord(ch)] for ch in _PG_FROM)


class Folder:
    """Builds the SQL expression that folds a column (lower case, accents removed).

    SQLite: a deterministic Python function ``qpv_fold`` registered on the session's
    connection (SQLite's own ``lower`` ignores non-ASCII letters). PostgreSQL:
    ``translate(lower(col), …)``, one built-in call per value.
    """

    def __init__(self, session: Session):
        conn = session.connection()
        self.sqlite = conn.dialect.name == "sqlite"
        if self.sqlite:
            raw = conn.connection.driver_connection
            raw.create_function("qpv_fold", 1, lambda v: fold_text(v) if isinstance(v, str) else "",
                                deterministic=True)

    def __call__(self, column):
        if self.sqlite:
            return func.qpv_fold(column)
        expr = func.translate(func.lower(func.coalesce(column, "")), literal(_PG_FROM), literal(_PG_TO))
        return func.replace(func.replace(expr, literal("œ"), literal("oe")), literal("æ"), literal("ae"))


def like_pattern(search: str) -> str:
    escaped = fold_text(search.strip()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matches(fold: Folder, search: str, *columns):
    """Every word of ``search`` must be found in one of ``columns``.

    The columns are joined (with a separator no word contains) and folded once per row,
    then each word is a ``LIKE`` on that text: one fold per row whatever the number of
    columns and words.
    """
    haystack = func.coalesce(columns[0], "")
    for column in columns[1:]:
        haystack = haystack.concat(literal("\x1f")).concat(func.coalesce(column, ""))
    folded = fold(haystack)
    return and_(*(folded.like(like_pattern(word), escape="\\") for word in search.split()))
