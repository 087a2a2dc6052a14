"""Opening a database: a local SQLite file or a shared PostgreSQL server.

:func:`open_database` is the only way in. It refuses what is not a QPV Desk database
(or comes from a newer version) without touching a byte of it, checks a SQLite
file's integrity, backs the file up with SQLite's online backup API before any
migration, then upgrades the schema to the current revision.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ..domain.errors import DatabaseRefused
from . import migrate

log = logging.getLogger("qpv_desk.store")

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Target:
    """What the user asked to open: a file path or a server URL."""

    url: str
    path: Path | None  # set for SQLite files

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @property
    def display(self) -> str:
        if self.path is not None:
            return str(self.path)
        return make_url(self.url).render_as_string(hide_password=True)


def resolve_target(target: str | Path) -> Target:
    text = str(target)
    if "://" in text:
        url = make_url(text)
        if url.get_backend_name() == "postgresql":
            if url.drivername == "postgresql":
                url = url.set(drivername="postgresql+psycopg")
            return Target(url.render_as_string(hide_password=False), None)
        if url.get_backend_name() == "sqlite" and url.database:
            return resolve_target(url.database)
        raise DatabaseRefused(f"Adresse de base non prise en charge : {text!r} (SQLite ou PostgreSQL attendu).")
    path = Path(text).expanduser().resolve()
    return Target(f"sqlite:///{path.as_posix()}", path)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_pragmas_readonly(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def make_engine(target: Target, *, read_only: bool = False) -> Engine:
    if target.is_sqlite:
        if read_only:
            uri = f"file:{target.path.as_posix()}?mode=ro"
            engine = create_engine(
                "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
            )
            event.listen(engine, "connect", _sqlite_pragmas_readonly)
        else:
            engine = create_engine(target.url, connect_args={"check_same_thread": False})
            event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(target.url, pool_pre_ping=True)


class Database:
    """An open database: engine plus the session factory services use for each unit of work."""

    def __init__(self, target: Target, engine: Engine, *, read_only: bool = False):
        self.target = target
        self.engine = engine
        self.read_only = read_only
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.target.is_sqlite

    @property
    def path(self) -> Path | None:
        return self.target.path

    @property
    def display(self) -> str:
        return self.target.display

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed if the block succeeds, rolled back entirely otherwise."""
        with self._sessions.begin() as session:
            yield session

    @contextlib.contextmanager
    def reader(self) -> Iterator[Session]:
        """A read-only unit of work (never commits)."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _inspect_sqlite_file(path: Path) -> str | None:
    """Look at a file without changing it. Returns its schema revision (``None`` if empty)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise DatabaseRefused(f"Impossible de lire le fichier {path} : {exc.strerror or exc}.") from exc
    if not head:
        return None  # an empty file: SQLite treats it as a new database
    if not head.startswith(SQLITE_MAGIC):
        raise DatabaseRefused(f"Le fichier {path.name} n'est pas une base QPV Desk (ce n'est pas une base SQLite).")
    try:
        conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables:
                return None
            if "alembic_version" not in tables or "contract" not in tables:
                raise DatabaseRefused(
                    f"Le fichier {path.name} est une base SQLite, mais pas une base QPV Desk : il n'a pas été modifié."
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseRefused(f"Le fichier {path.name} est illisible ou endommagé ({exc}).") from exc


def quick_check(path: Path) -> str:
    """``PRAGMA quick_check`` on a SQLite file, opened read-only. Returns ``"ok"`` or the problems found."""
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()
    return "; ".join(r[0] for r in rows[:5])


def open_database(
    target: str | Path,
    *,
    create: bool = False,
    read_only: bool = False,
    upgrade: bool = True,
    backup_before_upgrade: bool = True,
) -> Database:
    """Open (and if asked create) a QPV Desk database, upgrading its schema if it is older.

    Raises :class:`DatabaseRefused` with a French message for a missing file, a foreign
    file, a damaged file or a database written by a newer version — untouched in every case.
    """
    tgt = resolve_target(target)
    head = migrate.head_revision()
    if tgt.is_sqlite:
        path = tgt.path
        if not path.exists():
            if not create:
                raise DatabaseRefused(f"La base {path} n'existe pas.")
            path.parent.mkdir(parents=True, exist_ok=True)
            current = None
        else:
            current = _inspect_sqlite_file(path)
            if current is not None:
                check = quick_check(path)
                if check != "ok":
                    raise DatabaseRefused(f"La base {path.name} est endommagée ({check[:200]}).")
            elif not create and path.stat().st_size > 0:
                raise DatabaseRefused(f"La base {path.name} est vide : créez-la avec « qpv-desk db init ».")
        if current is not None and not migrate.is_known(current):
            raise DatabaseRefused(
                f"La base {path.name} a été créée par une version plus récente de QPV Desk "
                f"(schéma {current}) : mettez l'application à jour pour l'ouvrir."
            )
        if current is None and not create:
            raise DatabaseRefused(f"La base {path.name} est vide : créez-la avec « qpv-desk db init ».")
        if read_only:
            if current != head:
                raise DatabaseRefused(f"La base {path.name} doit être mise à jour avant d'être ouverte en lecture seule.")
            return Database(tgt, make_engine(tgt, read_only=True), read_only=True)
        engine = make_engine(tgt)
        if current != head and upgrade:
            if current is not None and backup_before_upgrade:
                from .backup import backup_database

                backup_database(path, reason="migration")
            migrate.upgrade(engine)
        return Database(tgt, engine)

    engine = make_engine(tgt)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            current = None
            if "alembic_version" in tables:
                current = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            elif tables - {"alembic_version"}:
                raise DatabaseRefused(f"Le serveur {tgt.display} contient déjà des tables qui ne sont pas celles de QPV Desk.")
    except OperationalError as exc:
        engine.dispose()
        raise DatabaseRefused(f"Connexion impossible au serveur {tgt.display} : {str(exc.orig).strip()[:200]}") from exc
    except DatabaseRefused:
        engine.dispose()
        raise
    if current is not None and not migrate.is_known(current):
        engine.dispose()
        raise DatabaseRefused(
            f"La base {tgt.display} a été créée par une version plus récente de QPV Desk (schéma {current})."
        )
    if current is None and not create:
        engine.dispose()
        raise DatabaseRefused(f"La base {tgt.display} est vide : créez-la avec « qpv-desk db init ».")
    if current != head and upgrade:
        migrate.upgrade(engine)
    return Database(tgt, engine, read_only=read_only)


def schema_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
