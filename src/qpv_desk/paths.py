"""Where things live: bundled resources, per-user data, logs and backups.

Per-user directories come from ``platformdirs`` (the maintained successor of
``appdirs``, same ``user_data_dir`` API). The data directory is *local*, not roaming:
a SQLite file must not follow a roaming profile onto a network share.
"""

from __future__ import annotations

import os
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


def backups_dir_for(database: Path) -> Path:
    """Backups sit in the user data directory, in a folder named after the database file."""
    return user_data_dir() / "sauvegardes" / database.stem
