"""Where things live: bundled resources, per-user data, logs and backups.

Per-user directories come from ``platformdirs`` (the maintained successor of
``appdirs``, same ``user_data_dir`` API). The data directory is *local*, not roaming:
a SQLite file must not follow a roaming profile onto a network share.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
from pathlib import Path

import platformdirs

APP_DIR_NAME = "QPV Desk"


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package in a checkout, inside the bundle when frozen."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    here = Path(__file__).resolve()
    for candidate in (here.parent / "resources", here.parents[2] / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("Dossier « resources » introuvable : l'installation de QPV Desk est incomplète.")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def sample_database() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "sample_db" / "verquin-demo.sqlite"
    return Path(__file__).resolve().parents[2] / "sample_db" / "verquin-demo.sqlite"


def user_data_dir() -> Path:
    override = os.environ.get("QPV_DESK_HOME")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False, roaming=False))


def user_log_dir() -> Path:
    override = os.environ.get("QPV_DESK_HOME")
    if override:
        return Path(override) / "logs"
    return Path(platformdirs.user_log_dir(APP_DIR_NAME, appauthor=False))


def default_database() -> Path:
    return user_data_dir() / "qpv-desk.sqlite"


BASE_ID_KEY = "base_id"
#: Carried by the SQLite copy of a server base (« db backup » on PostgreSQL): JSON
#: ``{"server": …, "at": ISO date-time}``; such a copy opens read-only. Never copied further.
SERVER_COPY_KEY = "server_copy"
OWNER_FILE = "base.json"


def backups_root() -> Path:
    return user_data_dir() / "sauvegardes"


_UNREADABLE = object()


def _stored_setting(database: str | os.PathLike, key: str, tables: set[str]):
    """The value of ``key`` in the ``setting`` table of a SQLite file (``None`` when not set),
    or ``_UNREADABLE`` when the file is missing, empty, foreign (lacks one of ``tables``) or
    unreadable. Reads through a percent-encoded read-only URI; never changes the file."""
    path = Path(database)
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return _UNREADABLE
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            found = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables <= found:
                return _UNREADABLE
            row = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, OSError, ValueError):
        return _UNREADABLE
    return row[0] if row else None


def stored_base_id(database: str | os.PathLike) -> str | None:
    """The identity (UUID) stored in a QPV Desk SQLite file: ``""`` for a readable QPV Desk
    base from before identities (schema 0002), ``None`` for anything unreadable or foreign."""
    value = _stored_setting(database, BASE_ID_KEY, {"setting", "contract"})
    if value is _UNREADABLE:
        return None
    return str(value) if value else ""


def stored_server_copy(database: str | os.PathLike) -> dict | None:
    """The :data:`SERVER_COPY_KEY` marker of a SQLite file (``None``: not a server copy, or
    unreadable)."""
    value = _stored_setting(database, SERVER_COPY_KEY, {"setting"})
    if value is _UNREADABLE or not value:
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _owners() -> list[tuple[Path, dict]]:
    found = []
    root = backups_root()
    try:
        entries = list(root.iterdir()) if root.is_dir() else []
    except OSError:
        return []
    for folder in entries:
        try:
            data = json.loads((folder / OWNER_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("id"):
            found.append((folder, data))
    return found


def known_base_id(database: str | os.PathLike) -> str | None:
    """The identity of the base at ``database``: read from the file, else (a damaged file)
    from the backups folder that last recorded this very path; ``None`` if unknown."""
    stored = stored_base_id(database)
    if stored:
        return stored
    where = os.path.normcase(str(Path(database).resolve()))
    for _folder, data in _owners():
        if os.path.normcase(str(data.get("path", ""))) == where:
            return str(data["id"])
    return None


def _folder_stem(stem: str) -> str:
    stem = re.sub(r"[^\w.\- ]", "_", stem).strip(" .") or "base"
    return stem[:60]


def backups_dir_for(database: Path, base_id: str | None = None) -> Path:
    """The backups folder of a base: in the user data directory, one folder per base
    *identity* (``<nom>-<uuid>``), so two files with the same name never share one.
    A base without identity (schema 0002, not yet opened by this version) keeps the
    former folder named after the file."""
    database = Path(database)
    base_id = base_id or known_base_id(database)
    if not base_id:
        return backups_root() / database.stem
    return backups_root() / f"{_folder_stem(database.stem)}-{base_id}"


def record_backup_owner(folder: Path, base_id: str, database: Path) -> None:
    """Write ``base.json`` in a backups folder: whose backups these are and where that base was last seen."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        data = {"id": base_id, "path": str(Path(database).resolve()), "nom": Path(database).name}
        (folder / OWNER_FILE).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError:
        pass  # a courtesy for the recovery of a damaged base; the backups themselves hold the identity
