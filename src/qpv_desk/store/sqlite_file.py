"""A SQLite file as a file: its URI, a read-only look inside, its integrity check, and
the French cause of a SQLite or file error.

Plain :mod:`sqlite3`, below the rest of the store: :mod:`.db` (opening a base),
:mod:`.backup` (copies, restore) and :mod:`.safety` all use it, and it imports none of them.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
from pathlib import Path

from ..domain.errors import DamagedDatabase, DatabaseRefused

log = logging.getLogger("qpv_desk.store")

SQLITE_MAGIC = b"SQLite format 3\x00"


def sqlite_uri(path: str | Path, *, read_only: bool = False) -> str:
    """The ``file:`` URI of a SQLite file, percent-encoded so that any legal file name
    (``#``, ``?``, ``%``, ``&``, spaces, accents…) names that file and no other."""
    uri = Path(path).resolve().as_uri()
    return uri + "?mode=ro" if read_only else uri


def connect_sqlite(path: str | Path, *, read_only: bool = False, **kwargs) -> sqlite3.Connection:
    """``sqlite3.connect`` on exactly the file ``path`` (see :func:`sqlite_uri`)."""
    return sqlite3.connect(sqlite_uri(path, read_only=read_only), uri=True, **kwargs)


_SQLITE_CAUSES = (
    (("database or disk is full", "no space left on device"), "le disque est plein"),
    (("attempt to write a readonly database", "readonly database", "read-only file system"),
     "le fichier ou son support est en lecture seule"),
    (("database disk image is malformed", "file is not a database", "file is encrypted or is not a database",
      "malformed database schema"), "le fichier est endommagé"),
    (("database is locked", "database table is locked", "database schema is locked"),
     "la base est occupée par un autre programme"),
    (("disk i/o error",), "erreur d'entrée-sortie sur le disque (disque ou clé USB défaillant ?)"),
    (("unable to open database file",), "le fichier est inaccessible (droits, dossier absent ou support retiré)"),
    (("permission denied",), "l'accès au fichier est refusé"),
)


def french_cause(exc: BaseException) -> str:
    """The cause of a SQLite or file error in French (disk full, read-only, damaged,
    locked…). The original message goes to the log, never to the user."""
    orig = getattr(exc, "orig", None) or exc
    log.warning("Cause d'origine : %s: %s", type(orig).__name__, orig)
    if isinstance(orig, OSError) and not isinstance(orig, sqlite3.Error):
        if orig.errno == errno.ENOSPC:
            return "le disque est plein"
        if orig.errno == errno.EROFS:
            return "le support est en lecture seule"
        if orig.errno in (errno.EACCES, errno.EPERM):
            return "l'accès au fichier est refusé"
        if orig.errno == errno.ENOENT:
            return "le fichier ou son dossier n'existe pas"
        return f"erreur du système de fichiers ({orig.strerror or 'inconnue'})" if orig.strerror else \
            "erreur du système de fichiers"
    text = str(orig).lower()
    for needles, cause in _SQLITE_CAUSES:
        if any(n in text for n in needles):
            return cause
    return "erreur inattendue de SQLite (détails dans le journal)"


def inspect_sqlite_file(path: Path) -> str | None:
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
        conn = connect_sqlite(path, read_only=True)
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
        raise DamagedDatabase(f"Le fichier {path.name} est illisible ou endommagé ({french_cause(exc)}).", path) from exc


def check_file(path: Path, pragma: str = "quick_check") -> str:
    """``PRAGMA quick_check`` (or ``integrity_check``, the thorough one) on a SQLite file
    opened read-only. Returns ``"ok"`` or the first problems found."""
    conn = connect_sqlite(path, read_only=True)
    try:
        rows = conn.execute(f"PRAGMA {pragma}").fetchall()
    except sqlite3.DatabaseError as exc:
        return french_cause(exc)
    finally:
        conn.close()
    return "; ".join(r[0] for r in rows[:5])


def quick_check(path: Path) -> str:
    return check_file(path, "quick_check")
