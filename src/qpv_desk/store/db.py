"""Opening a database: a local SQLite file or a shared PostgreSQL server.

:func:`open_database` is the only way in. It refuses what is not a QPV Desk database
(or comes from a newer version) without touching a byte of it, checks a SQLite
file's integrity, backs the file up with SQLite's online backup API before any
migration, then upgrades the schema to the current revision.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import and_, create_engine, event, inspect, literal, select
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from ..domain.errors import (
    ConflictError,
    DatabaseMissing,
    DatabaseRefused,
    EmptyDatabase,
    PermissionDenied,
    StorageError,
)
from ..domain.text import plural
from ..paths import BASE_ID_KEY, known_base_id
from . import migrate
from .backup import backup_database
from .safety import DamagedDatabase, acquire_writer_lock, check_location
from .sqlite_file import connect_sqlite, inspect_sqlite_file, quick_check
from .tables import metadata

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker  # start-up: names for annotations only, never imported

log = logging.getLogger("qpv_desk.store")

STALE_MESSAGE = ("Cette fiche a été modifiée entre-temps (par une autre fenêtre ou un autre poste). "
                 "Rechargez la fiche puis refaites votre modification.")


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
    return Target(URL.create("sqlite", database=str(path)).render_as_string(hide_password=False), path)


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
        # The file is opened through a percent-encoded URI (never a URL SQLAlchemy or
        # SQLite would parse): « base#2.sqlite » is that file, not « base ».
        path = target.path
        url = URL.create("sqlite", database=str(path))  # a file URL: the pool suits a file
        engine = create_engine(
            url, creator=lambda: connect_sqlite(path, read_only=read_only, check_same_thread=False)
        )
        event.listen(engine, "connect", _sqlite_pragmas_readonly if read_only else _sqlite_pragmas)
        return engine
    return create_engine(target.url, pool_pre_ping=True)


_STORAGE_PROBLEMS = (
    ("database or disk is full", "Le disque est plein : la modification n'a pas été enregistrée et la base est restée "
     "telle qu'elle était. Libérez de la place sur le disque puis recommencez."),
    ("no space left on device", "Le disque est plein : la modification n'a pas été enregistrée et la base est restée "
     "telle qu'elle était. Libérez de la place sur le disque puis recommencez."),
    ("readonly database", "La base est en lecture seule (support protégé en écriture, droits insuffisants ou "
     "ouverture en lecture seule) : la modification n'a pas été enregistrée."),
    ("read-only file system", "Le support de la base est en lecture seule : la modification n'a pas été enregistrée."),
    ("disk i/o error", "Erreur d'écriture sur le disque : la modification n'a pas été enregistrée et la base est "
     "restée telle qu'elle était. Vérifiez le disque (ou la clé USB) puis recommencez."),
    ("database is locked", "La base est occupée par un autre programme : la modification n'a pas été enregistrée. "
     "Réessayez dans un instant."),
    ("unable to open database file", "Le fichier de la base est inaccessible : la modification n'a pas été "
     "enregistrée."),
)


# libpq's reasons for refusing a connection, in her words (the first that matches wins)
_CONNECT_CAUSES = (
    ("no password supplied", "aucun mot de passe n'a été trouvé pour cet identifiant : l'application n'en "
     "enregistre jamais, il se lit dans le fichier de mots de passe de PostgreSQL (pgpass.conf), voir le "
     "guide du service informatique"),
    ("password authentication failed", "le mot de passe de cet identifiant est refusé par le serveur "
     "(fichier de mots de passe de PostgreSQL, pgpass.conf, à corriger)"),
    ("role", "cet identifiant n'existe pas sur le serveur (à demander au service informatique)"),
    ("database", "cette base n'existe pas sur le serveur"),
    ("ssl", "la connexion chiffrée demandée (sslmode) n'a pas pu s'établir"),
    ("timeout expired", "le serveur n'a pas répondu à temps"),
    ("could not translate host name", "l'adresse du serveur est inconnue"),
    ("connection refused", "le serveur ne répond pas à cette adresse et à ce port"),
)


def connect_cause(exc: BaseException) -> str:
    """Why libpq refused a connection, in French; the driver's own words when unknown."""
    raw = str(getattr(exc, "orig", None) or exc).strip()
    lowered = raw.lower()
    for words, cause in _CONNECT_CAUSES:
        if words in lowered and (words not in ("role", "database") or "does not exist" in lowered):
            return cause
    return raw.splitlines()[0][:200] if raw else "raison inconnue"


SERVER_GONE = ("Le serveur de la base ne répond pas (réseau coupé ou serveur redémarré) : rien n'a été "
               "enregistré, ce que vous avez saisi reste à l'écran. La connexion sera rétablie d'elle-même : "
               "réessayez dans un instant.")
_SERVER_GONE = ("server closed the connection", "connection refused", "terminating connection",
                "could not connect", "connection failed", "consuming input failed", "connection is closed",
                "the database system is shutting down", "the database system is starting up")


def server_gone(exc: BaseException) -> bool:
    """A PostgreSQL server that went away (network cut, restart): the pool reconnects by
    itself at the next unit of work (``pool_pre_ping``)."""
    orig = getattr(exc, "orig", None) or exc
    if getattr(exc, "connection_invalidated", False):
        return True
    state = getattr(orig, "sqlstate", None) or ""
    if state.startswith("08") or state in ("57P01", "57P02", "57P03"):
        return True
    text = str(orig).lower()
    return any(needle in text for needle in _SERVER_GONE)


def storage_message(exc: BaseException, *, in_session: bool = False) -> str | None:
    """The French explanation of a write failure with a known cause (disk full, read-only…).

    ``in_session``: the error came out of a unit of work, where a permission error may
    concern another file than the base (it is then not disguised).
    """
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, OSError) and not isinstance(orig, sqlite3.Error):
        if orig.errno == errno.ENOSPC:
            return _STORAGE_PROBLEMS[0][1]
        if orig.errno == errno.EROFS:
            return _STORAGE_PROBLEMS[3][1]
        if orig.errno in (errno.EACCES, errno.EPERM) and not in_session:
            return _STORAGE_PROBLEMS[2][1]
        return None
    if getattr(orig, "sqlstate", None) == "53100":  # PostgreSQL disk_full
        return "Le disque du serveur PostgreSQL est plein : la modification n'a pas été enregistrée."
    text = str(orig).lower()
    if server_gone(exc):
        return SERVER_GONE
    for needle, message in _STORAGE_PROBLEMS:
        if needle in text:
            return message
    return None


def _mark_written(session, _flush_context) -> None:
    session.info["wrote"] = True
    tables = session.info.setdefault("tables", set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__table__", None)
        if table is not None:
            tables.add(table.name)


def _remember_versioned(session, _flush_context, _instances) -> None:
    """The versioned rows this flush may update or delete (table, primary key): after a lost
    race, whether the login can still see them tells a concurrent change from a row hidden
    by the server's row-level security."""
    rows = session.info.setdefault("versioned", set())
    for obj in (*session.dirty, *session.deleted):
        state = inspect(obj)
        if state.mapper.version_id_col is not None and state.identity is not None:
            rows.add((state.mapper.local_table, state.identity))


def _mark_dml(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["wrote"] = True
        table = getattr(getattr(state.statement, "table", None), "name", None)
        state.session.info.setdefault("tables", set()).add(table or "*")  # "*": could not tell which


class Database:
    """An open database: engine plus the session factory services use for each unit of work.

    The ORM (:mod:`.models`, ≈ 0.2 s to import and configure) is loaded by the first
    :meth:`session` or :meth:`reader`, not by opening the base: :meth:`table_reader` reads
    the Core tables (:mod:`.tables`) without it — what the first page shown does.

    ``writes`` counts the units of work committed (the application backs the base up on
    closing when it is not zero). After each unit of work that wrote, every callable of
    ``write_listeners`` is called with the names of the tables written (in the thread that
    wrote; a failing listener is logged, never undoes the write). A writable SQLite base
    holds the writer lock until :meth:`close`.
    """

    def __init__(self, target: Target, engine: Engine, *, read_only: bool = False, lock=None):
        self.target = target
        self.engine = engine
        self.read_only = read_only
        self.lock = lock
        self.writes = 0
        self.write_listeners: list = []
        self._factory: sessionmaker | None = None
        self._factory_lock = threading.Lock()

    def _sessions(self) -> sessionmaker:
        """The session factory, made (and the ORM loaded) at the first unit of work."""
        with self._factory_lock:
            if self._factory is None:
                from sqlalchemy.orm import sessionmaker  # start-up: the ORM, only at the first unit of work

                from . import models  # noqa: F401 # start-up: the mapped classes, with the ORM

                factory = sessionmaker(self.engine, expire_on_commit=False)
                event.listen(factory, "after_flush", _mark_written)
                event.listen(factory, "before_flush", _remember_versioned)
                event.listen(factory, "do_orm_execute", _mark_dml)
                self._factory = factory
            return self._factory

    def load_orm(self) -> None:
        """Load and configure the ORM now (≈ 0.2 s) rather than at the first unit of work:
        the application does it off the GUI thread once the first page is shown."""
        self._sessions()
        from sqlalchemy.orm import configure_mappers  # start-up: the ORM, loaded after the first page

        configure_mappers()

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
        """One unit of work: committed if the block succeeds, rolled back entirely otherwise.

        A write refused by the storage (disk full, read-only medium…) raises
        :class:`StorageError` with a French message; nothing of the unit is kept. A save
        that lost a race (another one changed the record after this unit read it, so the
        ``UPDATE … WHERE version = …`` matched no row) raises :class:`ConflictError`.
        """
        from sqlalchemy.orm.exc import StaleDataError  # start-up: the ORM, only at the first unit of work

        try:
            with self._sessions().begin() as session:
                yield session
            wrote = session.info.pop("wrote", False)
            tables = frozenset(session.info.pop("tables", ()))
        except StaleDataError as exc:
            log.info("Conflit d'écriture (%s) : %s", self.display, exc)
            if self._limited_by_quartier() and self._hides_any(session.info.get("versioned", ())):
                # On the shared server, row-level security hides another quartier's rows from a
                # référent(e)'s UPDATE exactly as a concurrent change would; a row she can still
                # see was changed meanwhile (a conflict), one she cannot is out of her lane
                # (or was deleted meanwhile): say both.
                raise PermissionDenied(
                    "Cette fiche n'a pas été enregistrée : elle concerne un quartier dont vous n'êtes pas "
                    "référent(e) (seul(e) son ou sa référent(e) peut la modifier), ou elle a été supprimée "
                    "entre-temps. Rechargez la fiche pour voir son état actuel."
                ) from exc
            raise ConflictError(STALE_MESSAGE) from exc
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) != "42501" or isinstance(exc, OperationalError):
                message = storage_message(exc, in_session=True)
                if message is None:
                    raise
                log.warning("Écriture refusée par le support (%s) : %s", self.display, exc)
                raise StorageError(message) from exc
            log.warning("Écriture refusée par le serveur (droits) : %s", exc.orig)
            raise PermissionDenied(
                "Le serveur a refusé cette modification : votre rôle ne vous en donne pas le droit "
                "(quartier d'un autre référent, ou accès en lecture seule). Rien n'a été enregistré."
            ) from exc
        except (OSError, sqlite3.OperationalError) as exc:
            message = storage_message(exc, in_session=True)
            if message is None:
                raise
            log.warning("Écriture refusée par le support (%s) : %s", self.display, exc)
            raise StorageError(message) from exc
        if wrote:
            self.writes += 1
            for listener in list(self.write_listeners):
                try:
                    listener(tables)
                except Exception:  # noqa: BLE001 - the write is committed; a listener never undoes it
                    log.exception("Écouteur d'écriture en erreur")

    def _hides_any(self, rows) -> bool:
        """Whether one of ``rows`` ((table, primary key) pairs) is out of this login's reach for
        an update: ``SELECT … FOR UPDATE`` passes the same row-level policies as an ``UPDATE``
        (a référent(e) reads every quartier but changes only hers), then rolls back. A row
        locked by someone else right now is within reach. Unknown rows (nothing recorded)
        count as out of reach: the message then says both causes."""
        if not rows:
            return True
        try:
            with self.engine.connect() as conn:
                for table, identity in rows:
                    keys = list(table.primary_key.columns)
                    query = select(literal(1)).select_from(table).where(
                        and_(*(column == value for column, value in zip(keys, identity)))).with_for_update(nowait=True)
                    try:
                        found = conn.execute(query).first()
                    except DBAPIError as exc:
                        if getattr(exc.orig, "sqlstate", None) == "55P03":  # locked by a colleague's save
                            conn.rollback()
                            continue
                        raise
                    if found is None:
                        return True
                conn.rollback()
        except Exception:  # noqa: BLE001 - only the wording of the message depends on it
            return True
        return False

    def _limited_by_quartier(self) -> bool:
        """A login whose writes the server limits to its quartiers (role ``qpv_referent``)."""
        if self.is_sqlite:
            return False
        try:
            with self.engine.connect() as conn:
                return bool(conn.exec_driver_sql(
                    "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'qpv_referent') "
                    "AND pg_has_role(session_user, 'qpv_referent', 'MEMBER') "
                    "AND NOT pg_has_role(session_user, 'qpv_administrateur', 'MEMBER')").scalar())
        except Exception:  # noqa: BLE001 - only the wording of the message depends on it
            return False

    @contextlib.contextmanager
    def reader(self) -> Iterator[Session]:
        """A read-only unit of work (never commits). A server that went away raises
        :class:`StorageError` in French; the next unit of work reconnects."""
        session = self._sessions()()
        try:
            with self._server_errors():
                yield session
        finally:
            try:
                session.rollback()
            except OperationalError:
                pass
            session.close()

    @contextlib.contextmanager
    def table_reader(self) -> Iterator[Connection]:
        """Like :meth:`reader`, for Core statements on :mod:`.tables` (``execute``, ``scalar``
        as on a session), without loading the ORM; rolled back at the end."""
        with self._server_errors(), self.engine.connect() as conn:
            yield conn

    @contextlib.contextmanager
    def _server_errors(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as exc:
            if self.is_sqlite or not server_gone(exc):
                raise
            log.warning("Serveur injoignable (%s) : %s", self.display, exc)
            raise StorageError(SERVER_GONE) from exc

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class NeedsUpgrade(DatabaseRefused):
    """A read-only open of a base whose schema is older than this version's."""


def open_for_reading(target: str | Path) -> Database:
    """Open for reading only when possible (no lock, the file left as it is); an older
    base is opened normally so that it gets upgraded first."""
    try:
        return open_database(target, read_only=True)
    except NeedsUpgrade:
        return open_database(target)


def open_database(
    target: str | Path,
    *,
    create: bool = False,
    read_only: bool = False,
    upgrade: bool = True,
    backup_before_upgrade: bool = True,
    allow_unsafe_location: bool = False,
    must_be_new: bool = False,
) -> Database:
    """Open (and if asked create) a QPV Desk database, upgrading its schema if it is older.

    Raises :class:`DatabaseRefused` with a French message for a missing file, a foreign
    file, a damaged file (:class:`~.safety.DamagedDatabase`), a database written by a newer
    version, a SQLite file on a network share or in a cloud-synced folder (unless
    ``allow_unsafe_location``) or a base already open for writing by another instance
    (:class:`~.safety.DatabaseLocked`) — untouched in every case. A writable SQLite base
    keeps the writer lock until it is closed; ``read_only`` takes no lock.
    """
    tgt = resolve_target(target)
    head = migrate.head_revision()
    if tgt.is_sqlite:
        path = tgt.path
        if not allow_unsafe_location:
            check_location(path)
        if not path.exists():
            if not create:
                raise DatabaseMissing(f"La base {path} n'existe pas.")
            path.parent.mkdir(parents=True, exist_ok=True)
            current = None
        else:
            current = inspect_sqlite_file(path)
            if current is not None:
                check = quick_check(path)
                if check != "ok":
                    raise DamagedDatabase(f"La base {path.name} est endommagée ({check[:200]}).", path)
            elif not create and path.stat().st_size > 0:
                raise EmptyDatabase(f"La base {path.name} est vide : créez-la avec « qpv-desk db init ».")
        if current is not None and not migrate.is_known(current):
            raise DatabaseRefused(
                f"La base {path.name} a été créée par une version plus récente de QPV Desk "
                f"(schéma {current}) : mettez l'application à jour pour l'ouvrir."
            )
        if current is None and not create:
            raise EmptyDatabase(f"La base {path.name} est vide : créez-la avec « qpv-desk db init ».")
        if current is not None and must_be_new:
            raise DatabaseRefused(f"La base {path} existe déjà : rien n'a été modifié.")
        if read_only:
            if current != head and upgrade:
                raise NeedsUpgrade(f"La base {path.name} doit être mise à jour avant d'être ouverte en lecture seule.")
            return Database(tgt, make_engine(tgt, read_only=True), read_only=True)
        lock = acquire_writer_lock(path)
        engine = make_engine(tgt)
        try:
            if current != head and upgrade:
                base_id = known_base_id(path) or str(uuid.uuid4())  # kept by a restored old backup
                if current is not None and backup_before_upgrade:
                    backup_database(path, reason="migration", base_id=base_id)
                migrate.upgrade(engine, base_id=base_id)
            _ensure_identity(engine, known_base_id(path))
        except BaseException:
            engine.dispose()
            lock.release()
            raise
        return Database(tgt, engine, lock=lock)

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
        raise DatabaseRefused(f"Connexion impossible au serveur {tgt.display} : {connect_cause(exc)}.") from exc
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
        raise EmptyDatabase(f"La base {tgt.display} est vide : créez-la avec « qpv-desk db init ».")
    if current is not None and must_be_new:
        engine.dispose()
        raise DatabaseRefused(f"La base {tgt.display} existe déjà (schéma {current}) : rien n'a été modifié.")
    if current != head and upgrade:
        migrate.upgrade(engine)
    if not read_only:
        _ensure_identity(engine, None)
    return Database(tgt, engine, read_only=read_only)


def _ensure_identity(engine: Engine, wanted: str | None) -> None:
    """Give an up-to-date base without identity (a copy of the sample, built without
    one) its UUID — ``wanted`` when known (recorded beside its backups), else a new one."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if "setting" not in tables:
            return
        present = conn.exec_driver_sql("SELECT value FROM setting WHERE key = ?" if engine.dialect.name == "sqlite"
                                       else "SELECT value FROM setting WHERE key = %s", (BASE_ID_KEY,)).scalar()
        if present:
            return
        conn.exec_driver_sql(
            "INSERT INTO setting (key, value) VALUES (?, ?)" if engine.dialect.name == "sqlite"
            else "INSERT INTO setting (key, value) VALUES (%s, %s)", (BASE_ID_KEY, wanted or str(uuid.uuid4())))
        conn.commit()


def schema_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def check_structure(db: Database) -> list[str]:
    """What differs between the base and this version's schema (French sentences; empty
    when all is well): schema revision, tables, columns, indexes, keys and constraints —
    on PostgreSQL, constraints left « NOT VALID » too — and, on SQLite, rows whose
    foreign key points nowhere. Read-only."""
    from alembic.autogenerate import compare_metadata  # start-up: Alembic loads only to migrate or check
    from alembic.migration import MigrationContext  # start-up: (see store/migrate.py)

    problems: list[str] = []
    head = migrate.head_revision()
    with db.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        revision = None
        if "alembic_version" in tables:
            revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        if revision is None:
            return ["la base n'a pas de révision de schéma (table alembic_version absente ou vide)"]
        if not migrate.is_known(revision):
            return [f"révision de schéma {revision} inconnue de cette version"]
        if revision != head:
            return []  # an older schema: compared once upgraded
        missing = sorted(set(metadata.tables) - tables)
        if missing:
            problems.append("tables manquantes : " + ", ".join(missing))
        for diff in compare_metadata(MigrationContext.configure(conn), metadata):
            problems.append(_describe_diff(diff))
        if conn.dialect.name == "postgresql":
            rows = conn.exec_driver_sql(
                "SELECT conrelid::regclass::text, conname FROM pg_constraint c "
                "JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema() "
                "AND NOT c.convalidated").fetchall()
            problems += [f"contrainte {name} de la table {table} non vérifiée (NOT VALID)" for table, name in rows]
            expected_checks = {
                (t.name, c.name) for t in metadata.tables.values() for c in t.constraints
                if c.__class__.__name__ == "CheckConstraint" and isinstance(c.name, str)
            }
            present = {tuple(r) for r in conn.exec_driver_sql(
                "SELECT conrelid::regclass::text, conname FROM pg_constraint c "
                "JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema() "
                "AND c.contype = 'c'").fetchall()}
            problems += [f"contrainte {name} absente de la table {table}"
                         for table, name in sorted(expected_checks - present)]
        else:
            orphans = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if orphans:
                first = orphans[0]
                problems.append(f"{plural(len(orphans), 'ligne renvoie', 'lignes renvoient')} à une ligne absente "
                                f"(par exemple table {first[0]}, ligne {first[1]} → {first[2]})")
    return [p for p in problems if p]


def _describe_diff(diff) -> str:
    if isinstance(diff, list):  # column modifications come grouped
        return "; ".join(_describe_diff(d) for d in diff)
    kind = diff[0]
    labels = {
        "add_table": "table manquante", "remove_table": "table en trop",
        "add_column": "colonne manquante", "remove_column": "colonne en trop",
        "add_index": "index manquant", "remove_index": "index en trop",
        "add_constraint": "contrainte manquante", "remove_constraint": "contrainte en trop",
        "add_fk": "clé étrangère manquante", "remove_fk": "clé étrangère en trop",
        "modify_type": "type de colonne différent", "modify_nullable": "colonne obligatoire ou non différemment",
        "modify_default": "valeur par défaut différente",
    }
    obj = diff[-1] if kind.startswith(("modify",)) else diff[1]
    name = getattr(obj, "name", None) or (f"{diff[2]}.{diff[3]}" if kind.startswith("modify") else str(obj))
    table = getattr(getattr(obj, "table", None), "name", None) or (diff[2] if kind.endswith("column") else "")
    where = f" (table {table})" if table and table != name else ""
    return f"{labels.get(kind, kind)} : {name}{where}"
