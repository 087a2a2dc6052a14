"""The base's own settings — the ``setting`` table, shared by every user of the base — read
and written here only (the organiser and DGS list of :mod:`.sending`, the retention period
of :mod:`.privacy`, the programme's funder cap).

Two other stores exist on purpose and are not this one: the user's desktop preferences
(window, recent bases, last folder: ``gui/settings.py``, an INI file in her profile, per
user and per computer), and the identity/owner marker of a base folder (``paths.py``,
``base.json``: read before any base is opened). A setting that every user of the base must
see belongs here; a setting of one person on one computer belongs to ``gui/settings.py``.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import insert, select, update

from ..store import tables as T
from ..store.db import Database

_setting = T.setting


def read_settings(db: Database, defaults: Mapping[str, str | None]) -> dict[str, str | None]:
    """The stored value of each key of ``defaults``, its default when never set."""
    with db.table_reader() as conn:
        stmt = select(_setting.c.key, _setting.c.value).where(_setting.c.key.in_(list(defaults)))
        rows = dict(conn.execute(stmt).all())
    return {key: rows.get(key, default) for key, default in defaults.items()}


def write_settings(db: Database, values: Mapping[str, str]) -> None:
    """Store validated ``values`` (text) in one unit of work."""
    with db.session() as s:
        stored = dict(s.execute(select(_setting.c.key, _setting.c.value).where(_setting.c.key.in_(list(values)))).all())
        for key, value in values.items():
            if key not in stored:
                s.execute(insert(_setting).values(key=key, value=str(value)))
            elif stored[key] != str(value):
                s.execute(update(_setting).where(_setting.c.key == key).values(value=str(value)))
