"""Backups of a SQLite database with SQLite's online backup API, checked once written."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path

from ..domain.errors import StorageError
from ..paths import backups_dir_for

log = logging.getLogger("qpv_desk.backup")


def copy_sqlite(source: Path, destination: Path) -> None:
    """Consistent copy of a live database (readers and the writer may keep working)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".part")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
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
        raise StorageError(f"La sauvegarde de {source.name} a échoué : {exc}.") from exc
    finally:
        src.close()
    if check != "ok":
        tmp.unlink(missing_ok=True)
        raise StorageError(f"La sauvegarde de {source.name} est incohérente ({check}) : elle n'a pas été gardée.")
    tmp.replace(destination)


def backup_database(source: Path, *, reason: str = "manuelle", directory: Path | None = None) -> Path:
    """Back ``source`` up into its backups folder; the name carries the time and the reason."""
    directory = directory or backups_dir_for(source)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    destination = directory / f"{source.stem}_{stamp}_{reason}.sqlite"
    copy_sqlite(source, destination)
    log.info("Sauvegarde %s (%s)", destination, reason)
    return destination
