"""User settings of the desktop application, each declared once with its type and default.

Stored in an INI file in the user data folder (``paths.user_data_dir()``), so tests
isolated with ``QPV_DESK_HOME`` never touch the real profile, and a user can read or
delete the file. Settings that belong to the *database* (shared by every user of
it) live in the ``setting`` table instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from ..paths import user_data_dir

RECENT_MAX = 8


@dataclass(frozen=True)
class Key:
    name: str
    type: type
    default: Any
    doc: str = ""


# Every key the application reads or writes.
GEOMETRY = Key("window/geometry", QByteArray, QByteArray(), "Position et taille de la fenêtre principale")
WINDOW_STATE = Key("window/state", QByteArray, QByteArray(), "Barres d'outils et panneaux")
LAST_PAGE = Key("window/last_page", str, "", "Clé de la dernière page affichée")
RECENT_DATABASES = Key("databases/recent", list, [], f"Bases ouvertes récemment ({RECENT_MAX} au plus)")
LAST_FOLDER = Key("dialogs/last_folder", str, "", "Dernier dossier choisi dans un sélecteur de fichier")
PARTNERS_TAB = Key("partners/tab", int, 0, "Onglet affiché dans Partenaires")
PARTNERS_BODIES_SPLITTER = Key("partners/bodies_splitter", QByteArray, QByteArray(), "Séparateur Instances")
REFERENTIAL_TAB = Key("referential/tab", int, 0, "Onglet affiché dans Référentiel")
REFERENTIAL_PORTRAIT_SPLITTER = Key("referential/portrait_splitter", QByteArray, QByteArray(), "Séparateur Portrait")
MEETING_DOCUMENTS_FOLDER = Key("meetings/documents_folder", str, "", "Dossier où sont écrits les documents de réunion")



def table_layout(name: str) -> Key:
    """Widths and order of the columns of the list ``name`` (kept by ``widgets/tables.setup_table``)."""
    return Key(f"tables/{name}", str, "", "Largeur et ordre des colonnes d'une liste : « l1,l2,…;o1,o2,… »")


ALL_KEYS = (GEOMETRY, WINDOW_STATE, LAST_PAGE, RECENT_DATABASES, LAST_FOLDER, PARTNERS_TAB,
            PARTNERS_BODIES_SPLITTER, REFERENTIAL_TAB, REFERENTIAL_PORTRAIT_SPLITTER, MEETING_DOCUMENTS_FOLDER)


def settings_path() -> Path:
    return user_data_dir() / "qpv-desk.ini"


class Settings:
    """Typed access to the settings file: ``settings.get(KEY)``, ``settings.set(KEY, value)``."""

    def __init__(self, path: Path | None = None):
        path = path or settings_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._qs = QSettings(str(path), QSettings.IniFormat)

    def get(self, key: Key):
        raw = self._qs.value(key.name, None)
        if raw is None:
            return key.default.copy() if isinstance(key.default, list) else key.default
        try:
            if key.type is list:
                if isinstance(raw, str):
                    return [raw]
                return [str(v) for v in raw]
            if key.type is int:
                return int(raw)
            if key.type is str:
                return str(raw)
            if key.type is QByteArray:
                return raw if isinstance(raw, QByteArray) else QByteArray(raw)
        except (TypeError, ValueError):
            return key.default
        return raw

    def set(self, key: Key, value) -> None:
        self._qs.setValue(key.name, value)

    def sync(self) -> None:
        self._qs.sync()

    # ----------------------------------------------------------------- recent databases

    def recent_databases(self) -> list[str]:
        return self.get(RECENT_DATABASES)

    def add_recent(self, target: str) -> list[str]:
        """Put ``target`` first (no duplicates), keep :data:`RECENT_MAX` entries."""
        items = [t for t in self.recent_databases() if t != target]
        items.insert(0, target)
        items = items[:RECENT_MAX]
        self.set(RECENT_DATABASES, items)
        return items

    def remove_recent(self, target: str) -> None:
        self.set(RECENT_DATABASES, [t for t in self.recent_databases() if t != target])
