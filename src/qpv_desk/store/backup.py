"""Backups of a SQLite database with SQLite's online backup API, checked once written.

A backup is a plain SQLite file in the backups folder of its base
(:func:`qpv_desk.paths.backups_dir_for`: one folder per base *identity*, the UUID each
base holds in its ``setting`` table since schema 0003), named ``<base>_<AAAAMMJJ-HHMMSS-micro>_<raison>.sqlite``:
the name alone gives the date and what triggered it, so the list needs no manifest
that could disagree with the files. A backup is a copy of its base, so it carries the
base's identity too: only the backups holding the same identity (or none, taken before
identities existed) are listed, offered, rotated or restored without ``force``.

Automatic backups: at most one a day while the base is open (:func:`maybe_daily_backup`),
on closing after changes (:func:`backup_on_close`), before every migration and every
import (``backup_database(path, reason="import")``). After each one the folder is
rotated: the newest backup of each of the last 7 days, 4 ISO weeks and 12 months is
kept, plus the 5 most recent whatever their date (so the backup taken just before an
import can still undo it); backups older than the base's retention period
(setting ``retention_years``) are deleted.

PostgreSQL bases are backed up by their administrator with ``pg_dump``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import DatabaseMissing, DatabaseRefused, StorageError
from ..paths import backups_dir_for, known_base_id, record_backup_owner, stored_base_id
from . import migrate
from .safety import DamagedDatabase, acquire_writer_lock, check_location, set_aside_damaged
from .sqlite_file import check_file, connect_sqlite, french_cause, inspect_sqlite_file, quick_check

log = logging.getLogger("qpv_desk.backup")

REASONS = {
    "fermeture": "fermeture",
    "quotidienne": "quotidienne",
    "migration": "migration",
    "import": "import",
    "manuelle": "manuelle",
    "avant-restauration": "avant restauration",
}
KEEP_DAYS, KEEP_WEEKS, KEEP_MONTHS, KEEP_RECENT = 7, 4, 12, 5
RETENTION_KEY = "retention_years"
DEFAULT_RETENTION_YEARS = 5
STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
PG_BACKUP_MESSAGE = (
    "La sauvegarde d'une base PostgreSQL partagée se fait sur le serveur avec pg_dump, par son "
    "administrateur : QPV Desk ne sauvegarde que les bases SQLite."
)


def _connect_ro(path: Path) -> sqlite3.Connection:
    return connect_sqlite(path, read_only=True)


def reason_code(reason: str) -> str:
    code = reason.strip().lower().replace(" ", "-").replace("_", "-")
    if code not in REASONS:
        raise ValueError(f"raison de sauvegarde inconnue : {reason!r}")
    return code


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    when: dt.datetime
    size: int
    reason: str  # code (« avant-restauration »)

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)


def copy_sqlite(source: Path, destination: Path) -> None:
    """Consistent copy of a live database (readers and the writer may keep working)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(f"{destination.name}.{os.getpid()}.part")
    tmp.unlink(missing_ok=True)
    src = _connect_ro(source)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            check = dst.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            dst.close()
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(f"La sauvegarde de {source.name} a échoué : {french_cause(exc)}.") from exc
    finally:
        src.close()
    if check != "ok":
        tmp.unlink(missing_ok=True)
        raise StorageError(f"La sauvegarde de {source.name} est incohérente ({check}) : elle n'a pas été gardée.")
    tmp.replace(destination)


def backup_database(
    source: Path,
    *,
    reason: str = "manuelle",
    directory: Path | None = None,
    now: dt.datetime | None = None,
    base_id: str | None = None,
) -> Path:
    """Back ``source`` up into its backups folder; the name carries the time and the reason.

    Then rotates the folder (see the module docstring). Raises :class:`StorageError`.
    ``base_id``: the identity the base is about to receive (backup before migration 0003).
    """
    code = reason_code(reason)
    source = Path(source)
    default_dir = directory is None
    if default_dir:
        base_id = base_id or known_base_id(source)
        directory = backups_dir_for(source, base_id)
    now = now or dt.datetime.now()
    if default_dir:
        clean_partial_backups(directory)
    destination = directory / f"{source.stem[:80]}_{now.strftime(STAMP_FORMAT)}_{code}.sqlite"
    copy_sqlite(source, destination)
    if default_dir and base_id:
        record_backup_owner(directory, base_id, source)
    log.info("Sauvegarde %s (%s)", destination, REASONS[code])
    if default_dir:
        try:
            rotate_backups(source, now=now, retention_years=_retention_of(destination))
        except OSError as exc:  # a failed clean-up never makes the backup fail
            log.warning("Rotation des sauvegardes de %s impossible : %s", source, exc)
    return destination


_PART = re.compile(r".+\.sqlite(?:\.(\d+))?\.part$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return False  # decided by age below
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def clean_partial_backups(directory: Path, *, now: float | None = None) -> list[Path]:
    """Delete the ``*.sqlite.part`` files a killed backup left in a backups folder.

    A part being written by a living process (its id is in the name) is left alone; on
    Windows, where that cannot be asked cheaply, a part younger than ten minutes is.
    """
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(Path(directory).iterdir())
    except OSError:
        return removed
    for entry in entries:
        m = _PART.fullmatch(entry.name)
        if not m:
            continue
        try:
            pid = int(m.group(1)) if m.group(1) else None
            if pid is not None and _alive(pid):
                continue
            if pid is not None and os.name == "nt" and now - entry.stat().st_mtime < 600:
                continue
            entry.unlink()
            removed.append(entry)
            log.info("Sauvegarde interrompue supprimée : %s", entry)
        except OSError:
            continue
    return removed


def _retention_of(database: Path) -> int:
    """The retention setting stored in a (backup) file; the default if absent or unreadable."""
    try:
        conn = _connect_ro(database)
        try:
            row = conn.execute("SELECT value FROM setting WHERE key = ?", (RETENTION_KEY,)).fetchone()
        finally:
            conn.close()
        years = int(row[0]) if row else DEFAULT_RETENTION_YEARS
        return years if years >= 1 else DEFAULT_RETENTION_YEARS
    except (sqlite3.Error, ValueError, TypeError):
        return DEFAULT_RETENTION_YEARS


def _pattern(stem: str | None) -> re.Pattern:
    prefix = re.escape(stem) if stem is not None else r".+"
    return re.compile(prefix + r"_(\d{8}-\d{6}-\d{6})_([a-z-]+)\.sqlite$")


def list_backups(path: Path, *, directory: Path | None = None) -> list[BackupInfo]:
    """Backups of the base ``path`` (same identity only), newest first."""
    path = Path(path)
    base_id = known_base_id(path)
    directory = directory or backups_dir_for(path, base_id)
    if not directory.is_dir():
        return []
    pattern = _pattern(None if base_id else path.stem)
    found = []
    for entry in directory.iterdir():
        m = pattern.fullmatch(entry.name)
        if not m or not entry.is_file():
            continue
        if base_id and stored_base_id(entry) not in (base_id, ""):
            continue  # another base's file (copied here by hand), or not a base at all
        try:
            when = dt.datetime.strptime(m.group(1), STAMP_FORMAT)
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(BackupInfo(entry, when, size, m.group(2)))
    found.sort(key=lambda b: b.when, reverse=True)
    return found


def backups_to_keep(
    whens: Sequence[dt.datetime],
    now: dt.datetime,
    *,
    days: int = KEEP_DAYS,
    weeks: int = KEEP_WEEKS,
    months: int = KEEP_MONTHS,
    recent: int = KEEP_RECENT,
) -> set[int]:
    """Grandfather-father-son: indexes of ``whens`` to keep at time ``now`` (pure function).

    Kept: the newest backup of each of the last ``days`` days, of the last ``weeks`` ISO
    weeks and of the last ``months`` months (the current one included), and the ``recent``
    newest backups whatever their date.
    """
    order = sorted(range(len(whens)), key=lambda i: whens[i], reverse=True)
    keep = set(order[:recent])
    today = now.date()
    day_keys = {today - dt.timedelta(days=n) for n in range(days)}
    week_keys = {(today - dt.timedelta(weeks=n)).isocalendar()[:2] for n in range(weeks)}
    month_keys = set()
    y, m = today.year, today.month
    for _ in range(months):
        month_keys.add((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    seen_day, seen_week, seen_month = set(), set(), set()
    for i in order:  # newest first: the first seen in a bucket is the newest of it
        when = whens[i]
        if when > now + dt.timedelta(minutes=5):
            keep.add(i)  # from the future (clock changed): never delete what we cannot place
            continue
        d = when.date()
        if d in day_keys and d not in seen_day:
            seen_day.add(d)
            keep.add(i)
        w = tuple(d.isocalendar()[:2])
        if w in week_keys and w not in seen_week:
            seen_week.add(w)
            keep.add(i)
        mo = (d.year, d.month)
        if mo in month_keys and mo not in seen_month:
            seen_month.add(mo)
            keep.add(i)
    return keep


def _years_before(when: dt.datetime, years: int) -> dt.datetime:
    try:
        return when.replace(year=when.year - years)
    except ValueError:  # 29 February
        return when.replace(year=when.year - years, day=28)


def _delete(backups: Iterable[BackupInfo]) -> list[Path]:
    deleted = []
    for b in backups:
        try:
            b.path.unlink()
            deleted.append(b.path)
        except FileNotFoundError:
            pass
    return deleted


def rotate_backups(
    path: Path, *, now: dt.datetime | None = None, retention_years: int | None = None
) -> list[Path]:
    """Delete the backups the rotation no longer keeps (and those past retention). Returns them."""
    now = now or dt.datetime.now()
    backups = list_backups(path)
    keep = backups_to_keep([b.when for b in backups], now)
    doomed = [b for i, b in enumerate(backups) if i not in keep]
    deleted = _delete(doomed)
    if retention_years is not None:
        deleted += prune_backups(path, retention_years, now=now)
    for p in deleted:
        log.info("Sauvegarde supprimée (rotation) : %s", p)
    return deleted


def prune_backups(path: Path, retention_years: int, *, now: dt.datetime | None = None) -> list[Path]:
    """Delete the backups of ``path`` older than the retention period (RGPD). Returns them."""
    if retention_years < 1:
        raise ValueError("la durée de conservation doit être d'au moins un an")
    limit = _years_before(now or dt.datetime.now(), retention_years)
    deleted = _delete(b for b in list_backups(path) if b.when < limit)
    for p in deleted:
        log.info("Sauvegarde supprimée (durée de conservation de %d ans) : %s", retention_years, p)
    return deleted


def maybe_daily_backup(path: Path, now: dt.datetime | None = None) -> Path | None:
    """The daily backup, unless the base already has a backup dated today."""
    if path is None:
        return None
    now = now or dt.datetime.now()
    if any(b.when.date() == now.date() for b in list_backups(path)):
        return None
    return backup_database(path, reason="quotidienne", now=now)


def backup_on_close(path: Path | None, changed: bool, now: dt.datetime | None = None) -> Path | None:
    """The backup taken when the application closes a base it changed (``None`` otherwise)."""
    if path is None or not changed or not Path(path).exists():
        return None
    return backup_database(path, reason="fermeture", now=now)


def backup_before(db, reason: str = "import") -> Path | None:
    """The backup to take before an import (or any bulk change) of an open ``Database``.

    ``None`` for a PostgreSQL base (backed up by its administrator with pg_dump).
    """
    if db is None or not db.is_sqlite or db.path is None:
        return None
    return backup_database(db.path, reason=reason)


def is_sound_backup(path: Path) -> bool:
    """A readable QPV Desk base passing ``quick_check``."""
    try:
        revision = inspect_sqlite_file(Path(path))
    except DatabaseRefused:
        return False
    return revision is not None and migrate.is_known(revision) and quick_check(Path(path)) == "ok"


def newest_sound_backup(path: Path) -> tuple[Path, dt.datetime] | None:
    """The most recent backup of ``path`` that passes ``quick_check`` and is a QPV Desk base."""
    for info in list_backups(path):
        if is_sound_backup(info.path):
            return info.path, info.when
    return None


def ensure_sound_base(path: Path) -> None:
    """Refuse (:class:`DatabaseRefused`) a missing, foreign, empty or damaged base, without opening it for writing."""
    path = Path(path)
    if not path.is_file():
        raise DatabaseMissing(f"La base {path} n'existe pas.")
    if inspect_sqlite_file(path) is None:
        raise DatabaseRefused(f"La base {path.name} est vide : il n'y a rien à sauvegarder.")
    check = quick_check(path)
    if check != "ok":
        raise DamagedDatabase(f"La base {path.name} est endommagée ({check[:200]}).", path)


def integrity_check(path: Path) -> str:
    """``PRAGMA integrity_check`` (the thorough one): ``"ok"`` or the first problems."""
    return check_file(path, "integrity_check")


@dataclass(frozen=True)
class Restored:
    """What a restoration did with the content it replaced — said by the restoration itself
    (what it found in the file), never guessed from a file name."""

    kept: Path | None  # where the replaced content is kept; None: there was no base there
    kept_as: str  # "sauvegarde" (backed up « avant restauration »), "endommagee" (a damaged file
    # set aside as it is), "remplacee" (a foreign file set aside, on --force), "" (nothing)


def restore_backup(
    db_path: Path, backup_path: Path, *, db=None, force: bool = False, allow_unsafe_location: bool = False
) -> Restored:
    """Replace the content of the base ``db_path`` by the backup ``backup_path``.

    The current file is first backed up (« avant restauration »). A damaged base cannot
    be backed up: it is set aside beside itself, bytes untouched
    (« <nom>.endommagee-<date>.sqlite »), and the
    backup copied in its place. A file that is not a QPV Desk base, or a base with
    another identity than the backup's, is refused unless ``force`` (a foreign file is
    then set aside too, as « <nom>.remplacee-<date> »). The target's location is checked
    like when opening (network share, synced folder) unless ``allow_unsafe_location``.

    The copy goes through SQLite's online backup API into the live file — atomic, and
    connections held by ``db`` (an open ``Database`` on that file) see the restored
    content — then ``integrity_check`` runs. Without ``db`` the writer lock is taken for
    the duration, so a base open in the application is refused. Returns :class:`Restored`:
    where the replaced content is kept, and as what.
    """
    db_path, backup_path = Path(db_path), Path(backup_path)
    if not backup_path.is_file():
        raise StorageError(f"La sauvegarde {backup_path} n'existe pas.")
    revision = inspect_sqlite_file(backup_path)  # refuses a foreign file
    if revision is None:
        raise DatabaseRefused(f"Le fichier {backup_path.name} est vide : ce n'est pas une sauvegarde QPV Desk.")
    if not migrate.is_known(revision):
        raise DatabaseRefused(
            f"La sauvegarde {backup_path.name} vient d'une version plus récente de QPV Desk : mettez l'application à jour."
        )
    if not is_sound_backup(backup_path):
        raise DatabaseRefused(f"La sauvegarde {backup_path.name} est endommagée : elle ne peut pas être restaurée.")
    if not allow_unsafe_location:
        check_location(db_path)
    target_id = known_base_id(db_path)
    backup_id = stored_base_id(backup_path)
    if target_id and backup_id and backup_id != target_id and not force:
        raise DatabaseRefused(
            f"La sauvegarde {backup_path.name} est celle d'une autre base que {db_path.name} : elle n'a pas été "
            "restaurée (ajoutez --force pour remplacer quand même le contenu de la base)."
        )

    state = "absent"
    if db_path.exists() and db_path.stat().st_size > 0:
        try:
            state = "sound" if inspect_sqlite_file(db_path) is not None else "absent"
            if state == "sound" and quick_check(db_path) != "ok":
                state = "damaged"
        except DamagedDatabase:
            state = "damaged"
        except DatabaseRefused:
            state = "foreign"
    if state == "foreign" and not force:
        raise DatabaseRefused(
            f"Le fichier {db_path.name} n'est pas une base QPV Desk : il n'a pas été remplacé (ajoutez --force "
            "pour le mettre de côté et restaurer la sauvegarde à sa place)."
        )

    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = acquire_writer_lock(db_path) if db is None else None
    try:
        before = None
        if state == "sound":
            before = backup_database(db_path, reason="avant restauration")
        elif state in ("damaged", "foreign"):
            before = set_aside_damaged(db_path, label="endommagee" if state == "damaged" else "remplacee")
            log.warning("Fichier %s mis de côté sous %s avant restauration", db_path, before)
        if not db_path.exists() or db_path.stat().st_size == 0:
            copy_sqlite(backup_path, db_path)
        else:
            _backup_into(backup_path, db_path)
        if db is not None:
            db.engine.dispose()  # fresh connections: nothing cached from before
        check = integrity_check(db_path)
        if check != "ok":
            raise StorageError(
                f"La base restaurée ne passe pas le contrôle d'intégrité ({check[:200]}). "
                f"La version remplacée est conservée dans {before}."
            )
        if db is not None and revision != migrate.head_revision():
            # a backup from an older version, restored into the open base: it keeps its identity
            migrate.upgrade(db.engine, base_id=target_id)
    finally:
        if lock is not None:
            lock.release()
    log.info("Base %s restaurée depuis %s (version remplacée : %s)", db_path, backup_path, before)
    kept_as = {"sound": "sauvegarde", "damaged": "endommagee", "foreign": "remplacee"}.get(state, "")
    return Restored(before, kept_as if before is not None else "")


def _backup_into(backup_path: Path, db_path: Path) -> None:
    src = _connect_ro(backup_path)
    try:
        dst = sqlite3.connect(db_path, timeout=10)
        try:
            dst.execute("PRAGMA busy_timeout=10000")
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    except sqlite3.OperationalError as exc:
        raise StorageError(
            f"La restauration dans {db_path.name} a échoué ({french_cause(exc)}) : la base n'a pas été modifiée."
        ) from exc
    finally:
        src.close()
