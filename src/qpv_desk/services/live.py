"""Live changes on a shared server: who changed which table, as it happens.

Every write on a PostgreSQL base is announced by the server (``NOTIFY qpv_changes``, see
migration 0007). :class:`ChangeListener` listens on a connection of its own, in a thread
of its own, and hands each change made by *someone else* to a callback; the GUI turns it
into a refresh of the open pages and a « modifié par X à 10 h 42 » line. When the server
goes away the listener waits and reconnects by itself. On a SQLite file there is nobody
else: :func:`listener` returns None.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from ..store.db import Database

log = logging.getLogger("qpv_desk.live")
CHANNEL = "qpv_changes"


@dataclass(frozen=True)
class RemoteChange:
    table: str
    operation: str  # INSERT | UPDATE | DELETE
    by: str
    at: dt.datetime | None

    @property
    def label(self) -> str:
        """« modifié par mdupont à 10 h 42 »."""
        when = f" à {self.at:%H} h {self.at:%M}" if self.at else ""
        return f"modifié par {self.by}{when}"


def parse(payload: str) -> RemoteChange | None:
    try:
        data = json.loads(payload)
        at = dt.datetime.fromisoformat(data["at"]) if data.get("at") else None
        return RemoteChange(str(data["table"]), str(data["op"]), str(data["by"]), at)
    except (ValueError, KeyError, TypeError):
        log.warning("Avis de modification illisible : %r", payload[:200])
        return None


class ChangeListener:
    """Calls ``callback(RemoteChange)`` from its own thread for every change by another login."""

    def __init__(self, conninfo: str, own_login: str | None, callback: Callable[[RemoteChange], None],
                 *, retry_seconds: float = 2.0):
        self.conninfo = conninfo
        self.own_login = own_login
        self.callback = callback
        self.retry_seconds = retry_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="qpv-live", daemon=True)
        self.connected = threading.Event()

    def start(self) -> "ChangeListener":
        self._thread.start()
        return self

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        import psycopg  # optional: the « postgresql » extra, only for a server

        while not self._stop.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.connected.set()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            change = parse(note.payload)
                            if change is not None and change.by != self.own_login:
                                try:
                                    self.callback(change)
                                except Exception:  # noqa: BLE001 - the listening goes on
                                    log.exception("Avis de modification non traité : %s", change)
            except psycopg.Error as exc:
                self.connected.clear()
                log.info("Écoute des modifications interrompue (%s) : nouvel essai dans %.0f s", exc, self.retry_seconds)
                self._stop.wait(self.retry_seconds)


def listener(db: Database, callback: Callable[[RemoteChange], None]) -> ChangeListener | None:
    """A started listener for ``db`` (None on a SQLite file)."""
    if db.is_sqlite:
        return None
    url = db.engine.url
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return ChangeListener(conninfo, url.username, callback).start()
