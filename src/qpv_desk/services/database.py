"""The life of a base: create, open, check, upgrade, back up, list backups, restore, recover.

The GUI and the CLI call these functions and never ``qpv_desk.store`` directly.

Opening in the application goes through :func:`open_or_offer`: a damaged file or a base
already open for writing elsewhere is not an error to show but an *offer* (data) the
GUI presents — :class:`RecoveryOffer` (set the damaged file aside, restore the newest
sound backup) or :class:`ReadOnlyOffer`. The other refusals are the
:class:`~qpv_desk.domain.errors.DatabaseRefused` family, with
:class:`~qpv_desk.domain.errors.DatabaseMissing` for a base that does not exist.

PostgreSQL bases are restored by their administrator (pg_restore); a référente's backup of
one is a SQLite copy (:mod:`qpv_desk.services.transfer`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.engine import make_url

from ..domain.errors import DamagedDatabase, DatabaseLocked, DatabaseRefused
from ..paths import SERVER_COPY_KEY, stored_server_copy, user_data_dir
from ..store import backup as _backup
from ..store import migrate
from ..store import tables as T
from ..store.backup import PG_BACKUP_MESSAGE, BackupInfo, Restored, newest_sound_backup
from ..store.db import Database, NeedsUpgrade, Target, check_structure, resolve_target, schema_revision
from ..store.db import open_database as _open_database
from ..store.db import open_for_reading as _open_for_reading
from ..store.safety import set_aside_damaged
from ..store.sqlite_file import quick_check
from .settings import write_settings
from .transfer import copy_database

log = logging.getLogger("qpv_desk.services.database")

__all__ = [
    "PG_BACKUP_MESSAGE", "BackupInfo", "BaseStatus", "Restored", "CreatedBase", "Database", "Opening", "ReadOnlyOffer", "RecoveryOffer",
    "Target", "backup_base", "backup_on_close", "copy_base", "create_base", "daily_backup", "list_backups",
    "open_base", "open_for_reading", "open_or_offer", "base_status", "recover_from_backup", "recovery_offer", "resolve_target",
    "restore_base", "schema_revision", "upgrade_base",
]

PG_RESTORE_MESSAGE = "La restauration d'un serveur PostgreSQL se fait avec pg_restore, par son administrateur."
PG_BACKUP_SHORT = "La sauvegarde d'un serveur PostgreSQL se fait avec pg_dump, par son administrateur."


# --------------------------------------------------------------------------- opening


def open_base(target: str | Path, *, create: bool = False, read_only: bool = False, upgrade: bool = True) -> Database:
    """Open (and if asked create) a base, upgrading its schema after a backup.

    The SQLite copy of a server base (:func:`backup_base` on PostgreSQL) always opens
    read-only (:func:`server_copy` says of which server and when).

    Raises the :class:`DatabaseRefused` family (``DatabaseMissing``, ``DamagedDatabase``,
    ``DatabaseLocked``…), the file untouched in every case.
    """
    if not read_only and server_copy(target) is not None:
        log.info("Copie d'une base du serveur : ouverte en lecture seule (%s)", target)
        try:
            return _open_database(target, read_only=True)
        except NeedsUpgrade:  # a copy made by an older version: its schema brought up to date first
            _open_database(target, upgrade=upgrade).close()
            return _open_database(target, read_only=True)
    return _open_database(target, create=create, read_only=read_only, upgrade=upgrade)


def open_for_reading(target: str | Path) -> Database:
    """The opening of every command that only reads (listings, exports, snapshots).

    A current base is opened read-only (no writer lock: it may be open in the application
    meanwhile). A base of an older version cannot be read by this one as it is: it is
    upgraded first, after a backup, as any opening does — then read. When that is not
    possible (open for writing elsewhere, read-only medium…), the refusal says so: the base
    is older and must be upgraded, and why it could not be now."""
    try:
        return _open_for_reading(target)
    except DatabaseLocked as exc:  # only the upgrade takes the writer lock
        raise DatabaseLocked(f"Cette base vient d'une version antérieure de QPV Desk : elle doit être mise à jour "
                             f"avant d'être lue, ce qui est impossible pour l'instant. {exc}", exc.holder) from None


@dataclass(frozen=True)
class ServerCopy:
    """The SQLite copy of a server base she keeps to read offline: of which server, when."""

    server: str
    taken: dt.datetime | None

    @property
    def banner(self) -> str:
        when = f" du {self.taken:%d/%m/%Y} à {self.taken:%H} h {self.taken:%M}" if self.taken else ""
        return (f"Copie de la base du serveur ({self.server}){when}, ouverte en lecture seule : "
                "les modifications se font sur le serveur. Pour en faire une base modifiable, enregistrez-en une "
                "copie (Fichier ▸ Enregistrer une copie…, ou « qpv-desk db copy »).")


def server_copy(target: str | Path | Database) -> ServerCopy | None:
    """What the SQLite copy of a server base says of itself; ``None`` for any other base."""
    if isinstance(target, Database):
        path = target.path
    else:
        try:
            path = resolve_target(target).path
        except (DatabaseRefused, ValueError):
            return None
    data = stored_server_copy(path) if path is not None else None
    if data is None:
        return None
    try:
        taken = dt.datetime.fromisoformat(str(data.get("at")))
    except ValueError:
        taken = None
    return ServerCopy(str(data.get("server") or "?"), taken)


@dataclass(frozen=True)
class RecoveryOffer:
    """The base at ``path`` is damaged; ``backup`` is its newest sound backup (``None``: there is none)."""

    path: Path
    problem: str
    backup: Path | None
    backup_when: dt.datetime | None


@dataclass(frozen=True)
class ReadOnlyOffer:
    """The base is open for writing elsewhere (``problem`` says by whom); it can be opened read-only."""

    target: str
    problem: str


@dataclass(frozen=True)
class Opening:
    """What :func:`open_or_offer` found: an open base, or an offer to present (never both)."""

    db: Database | None = None
    offer: RecoveryOffer | ReadOnlyOffer | None = None


def open_or_offer(target: str | Path, *, read_only: bool = False) -> Opening:
    """Open a base for the application; a damaged or locked base becomes an offer.

    Any other refusal is raised (:class:`DatabaseRefused` family).
    """
    try:
        return Opening(db=open_base(target, read_only=read_only))
    except DamagedDatabase as exc:
        return Opening(offer=recovery_offer(exc.path, str(exc)))
    except DatabaseLocked as exc:
        return Opening(offer=ReadOnlyOffer(str(target), str(exc)))


def recovery_offer(path: str | Path, problem: str = "") -> RecoveryOffer:
    """The recovery offer for the damaged base at ``path``: its newest sound backup, if any."""
    path = Path(path)
    found = newest_sound_backup(path)
    backup, when = found if found is not None else (None, None)
    return RecoveryOffer(path, problem or f"La base {path.name} est endommagée.", backup, when)


def recover_from_backup(offer: RecoveryOffer) -> Path:
    """Accept a recovery offer: the damaged file is set aside untouched (returned), the backup restored in its place."""
    if offer.backup is None:
        raise DatabaseRefused(f"La base {offer.path.name} est endommagée et aucune sauvegarde saine n'a été trouvée.")
    aside = set_aside_damaged(offer.path)
    _backup.restore_backup(offer.path, offer.backup)
    log.warning("Base endommagée %s mise de côté sous %s ; restaurée depuis %s", offer.path, aside, offer.backup)
    return aside


# --------------------------------------------------------------------------- creating


@dataclass(frozen=True)
class CreatedBase:
    target: str  # what to open: the file's path or the server's URL
    display: str
    revision: str | None


def create_base(
    target: str | Path,
    referential: str | Path | None = None,
    *,
    progress: Callable[[int, int, str], None] | None = None,
) -> CreatedBase:
    """Create a base at the current schema (empty, or filled from a referential file).

    Refuses an existing non-empty file (nothing is modified). A creation that fails part
    way (a bad referential, a cancelled import) leaves no half-made file behind.
    """
    from .referential import import_referential, read_referential  # start-up: only to create, not to open

    ref = None
    if referential is not None:
        ref = read_referential(referential)  # a bad file is refused before anything is created
    tgt = resolve_target(target)
    if tgt.is_sqlite and tgt.path.exists() and tgt.path.stat().st_size > 0:
        raise DatabaseRefused(f"La base {tgt.path} existe déjà : rien n'a été modifié.")
    existed = tgt.is_sqlite and tgt.path.exists()
    db = _open_database(target, create=True, must_be_new=True)  # an existing server base is refused too
    try:
        if ref is not None:
            import_referential(db, ref, progress=progress)
    except BaseException:
        db.close()
        if tgt.is_sqlite and not existed:
            for suffix in ("", "-wal", "-shm", "-journal", ".lock"):
                tgt.path.with_name(tgt.path.name + suffix).unlink(missing_ok=True)
        raise
    revision = schema_revision(db)
    db.close()
    log.info("Base créée : %s%s", tgt.display, f" (référentiel {referential})" if referential else "")
    return CreatedBase(str(tgt.path) if tgt.is_sqlite else tgt.url, tgt.display, revision)


def load_orm(db: Database) -> None:
    """Prepare the units of work of ``db`` (the ORM, ≈ 0.2 s) ahead of the first one: the
    first page is read without it (:mod:`..store.tables`), every other screen needs it."""
    db.load_orm()


def copy_base(source: Path, destination: Path) -> Path:
    """A consistent copy of a SQLite base (it may be open meanwhile), checked once written.
    The copy of a server's backup copy is a base she may change (the mark is not kept)."""
    _backup.copy_sqlite(Path(source), Path(destination))
    if server_copy(destination) is not None:
        with _open_database(destination) as db, db.session() as s:
            s.execute(delete(T.setting).where(T.setting.c.key == SERVER_COPY_KEY))
    return Path(destination)


# --------------------------------------------------------------------------- checking, upgrading


@dataclass(frozen=True)
class BaseStatus:
    display: str
    integrity: str  # "ok" or the first problems found
    revision: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.revision == self.head


def base_status(target: str | Path) -> BaseStatus:
    """Integrity (``PRAGMA quick_check`` for SQLite), then the structure compared with this
    version's schema (tables, columns, keys, constraints — on PostgreSQL too), and the
    schema revision; the base left as it is."""
    tgt = resolve_target(target)
    with _open_database(tgt.path or tgt.url, upgrade=False, read_only=True) as db:
        revision = schema_revision(db)
        problems = [quick_check(tgt.path)] if tgt.is_sqlite else []
        problems = [p for p in problems if p != "ok"] + check_structure(db)
    return BaseStatus(tgt.display, "; ".join(problems) if problems else "ok", revision, migrate.head_revision())


def upgrade_base(target: str | Path) -> str | None:
    """Bring the schema to the current revision (after a backup); returns the revision."""
    with _open_database(target) as db:
        return schema_revision(db)


# --------------------------------------------------------------------------- backups


def _sqlite_path(target: str | Path, refusal: str = PG_BACKUP_SHORT) -> Path:
    tgt = resolve_target(target)
    if not tgt.is_sqlite:
        raise DatabaseRefused(refusal)
    return tgt.path


def backup_base(target: str | Path, output: str | Path | None = None, *, reason: str = "manuelle") -> Path:
    """Back a SQLite base up (into its backups folder, or to ``output``). Works while it is open.

    A missing, foreign, empty or damaged base is refused untouched. A PostgreSQL base is
    saved as a consistent SQLite copy (``db copy``) she can keep and open offline.
    """
    resolved = resolve_target(target)
    if not resolved.is_sqlite:
        return _backup_server(resolved, output)
    path = resolved.path
    _backup.ensure_sound_base(path)
    if output is not None:
        destination = Path(output).expanduser().resolve()
        _backup.copy_sqlite(path, destination)
        return destination
    return _backup.backup_database(path, reason=reason)


def _backup_server(target: Target, output: str | Path | None) -> Path:
    if output is not None:
        destination = Path(output).expanduser().resolve()
    else:
        name = (target.url.rsplit("/", 1)[-1] or "serveur").split("?")[0]
        destination = user_data_dir() / "Sauvegardes du serveur" / f"{name}-{dt.datetime.now():%Y%m%d-%H%M%S}.sqlite"
    if destination.exists():
        raise DatabaseRefused(f"Le fichier {destination} existe déjà : choisissez un autre nom.")
    taken = dt.datetime.now().replace(microsecond=0)
    copy_database(target.url, destination)
    _mark_server_copy(destination, target, taken)
    return destination


def _mark_server_copy(destination: Path, target: Target, taken: dt.datetime) -> None:
    """The copy says it is one (:func:`server_copy`): it will open read-only."""
    url = make_url(target.url)
    server = f"{url.database} sur {url.host or 'localhost'}" + (f":{url.port}" if url.port else "")
    with _open_database(destination) as db:
        write_settings(db, {SERVER_COPY_KEY: json.dumps({"server": server, "at": taken.isoformat()})})


def list_backups(target: str | Path) -> list[BackupInfo]:
    """The backups of a SQLite base, newest first."""
    return _backup.list_backups(_sqlite_path(target))


def restore_base(target: str | Path, backup: str | Path, *, db: Database | None = None,
                 force: bool = False) -> Restored:
    """Replace a base's content by a backup, after backing up the current content (a damaged
    or foreign file is set aside as it is); :class:`Restored` says where it is kept and as what.

    ``db``: the base is open in this process (its connections then see the restored content).
    ``force``: replace a file that is not a QPV Desk base, or a base of another identity.
    """
    path = _sqlite_path(target, PG_RESTORE_MESSAGE)
    backup = Path(backup).expanduser().resolve()
    if not backup.is_file():
        raise DatabaseRefused(f"La sauvegarde {backup} n'existe pas.")
    return _backup.restore_backup(path, backup, db=db, force=force)


def daily_backup(db: Database | None, now: dt.datetime | None = None) -> Path | None:
    """The daily backup of an open SQLite base (none if it already has one dated today)."""
    if db is None or not db.is_sqlite or db.read_only:
        return None
    return _backup.maybe_daily_backup(db.path, now)


def backup_on_close(db: Database | None, now: dt.datetime | None = None) -> Path | None:
    """The backup taken when the application closes a SQLite base it changed (``None`` otherwise)."""
    if db is None or not db.is_sqlite or db.read_only:
        return None
    return _backup.backup_on_close(db.path, db.writes > 0, now)
