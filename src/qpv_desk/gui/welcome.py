"""First start without a database, and the file choices shared with the main window.

The file dialogs are module functions (``ask_open_path``, ``ask_new_database_path``,
``ask_referential_path``, ``ask_copy_path``) so tests replace one call instead of
driving a native dialog.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from .. import paths
from ..domain.errors import DatabaseRefused
from .context import AppContext

log = logging.getLogger("qpv_desk.gui")

DB_FILTER = "Bases QPV Desk (*.sqlite *.db);;Tous les fichiers (*)"
REFERENTIAL_FILTER = "Référentiels (*.toml);;Tous les fichiers (*)"


# --------------------------------------------------------------------------- file choices (patched in tests)


def ask_open_path(parent: QWidget | None) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Ouvrir une base", str(paths.user_data_dir()), DB_FILTER)
    return path or None


def ask_new_database_path(parent: QWidget | None) -> Path | None:
    suggested = paths.default_database()
    if suggested.exists():
        suggested = suggested.with_name("nouvelle-base.sqlite")
    path, _ = QFileDialog.getSaveFileName(parent, "Nouvelle base", str(suggested), DB_FILTER)
    return Path(path) if path else None


def ask_referential_path(parent: QWidget | None) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Choisir un référentiel", str(paths.resource("referentials")),
                                          REFERENTIAL_FILTER)
    return Path(path) if path else None


def ask_merge_source_path(parent: QWidget | None) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Base de la commune à fusionner", str(Path.home()), DB_FILTER)
    return Path(path) if path else None


def ask_copy_path(parent: QWidget | None, suggested: Path) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Enregistrer une copie de la base", str(suggested), DB_FILTER)
    return Path(path) if path else None


# --------------------------------------------------------------------------- actions


def bundled_referentials() -> list[Path]:
    """The referential files shipped with the application (Verquin's first)."""
    folder = paths.resource("referentials")
    files = sorted(folder.glob("*.toml"))
    files.sort(key=lambda p: (not p.name.startswith("verquin"), p.name))
    return files


def sample_copy() -> Path:
    """Copy the bundled sample database into the user data folder (a fresh copy each time)."""
    from ..services.database import copy_base  # start-up: SQLAlchemy (services.database)

    source = paths.sample_database()
    if not source.exists():
        raise DatabaseRefused("La base d'exemple n'est pas installée avec cette version de QPV Desk.")
    return copy_base(source, paths.user_data_dir() / "exemple" / source.name)


def start_creation(ctx: AppContext, parent: QWidget | None, referential: Path, on_done) -> bool:
    """Ask where to create the database, then create it from ``referential`` in the background
    (``services.database.create_base``); ``on_done(path)`` once created."""
    from ..services.database import create_base  # start-up: SQLAlchemy (services.database)

    db_path = ask_new_database_path(parent)
    if db_path is None:
        return False
    if db_path.suffix == "":
        db_path = db_path.with_suffix(".sqlite")
    ctx.run_in_background(parent, "Création de la base…", create_base, db_path, referential,
                          on_done=lambda created: on_done(created.target), cancellable=True)
    return True


class WelcomeDialog(QDialog):
    """Three ways to start: new database from a referential, the sample database, a file.

    After ``exec()`` returns ``Accepted``, :attr:`target` is the database to open.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.target: str | None = None
        self.setWindowTitle("Bienvenue dans QPV Desk")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "<h2>Bienvenue dans QPV Desk</h2>"
            "<p>Aucune base n'est encore ouverte. Une base contient le contrat de ville, les partenaires, "
            "les instances, les réunions et la programmation. Comment voulez-vous commencer&nbsp;?</p>"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.referential_combo = QComboBox()
        for path in bundled_referentials():
            self.referential_combo.addItem(self._referential_label(path), str(path))
        self.referential_combo.addItem("Autre fichier de référentiel…", "")
        self.create_button = QCommandLinkButton(
            "Créer une nouvelle base", "à partir du référentiel choisi ci-dessous (contrat, quartier, objectifs, "
            "instances) ; vous saisirez ensuite vos partenaires et vos réunions."
        )
        self.sample_button = QCommandLinkButton(
            "Découvrir avec la base d'exemple", "une copie de la base de démonstration de Verquin, "
            "pour essayer sans risque."
        )
        self.open_button = QCommandLinkButton("Ouvrir une base existante…", "un fichier .sqlite déjà créé.")
        layout.addWidget(self.create_button)
        chooser = QHBoxLayout()
        chooser.setContentsMargins(44, 0, 12, 8)
        chooser.addWidget(QLabel("Référentiel :"))
        chooser.addWidget(self.referential_combo, 1)
        layout.addLayout(chooser)
        layout.addWidget(self.sample_button)
        layout.addWidget(self.open_button)
        buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Cancel).setText("Quitter")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.sample_button.setEnabled(paths.sample_database().exists())
        self.create_button.clicked.connect(self.choose_create)
        self.sample_button.clicked.connect(self.choose_sample)
        self.open_button.clicked.connect(self.choose_open)

    @staticmethod
    def _referential_label(path: Path) -> str:
        if path.name.startswith("verquin"):
            return "Verquin — quartier « 3 Îlots » (fourni)"
        return path.stem.replace("-", " ")

    def _finish(self, target) -> None:
        self.target = str(target)
        self.accept()

    def choose_create(self) -> None:
        referential = self.referential_combo.currentData()
        path = Path(referential) if referential else ask_referential_path(self)
        if path is None:
            return
        start_creation(self.ctx, self, path, self._finish)

    def choose_sample(self) -> None:
        ok, path = self.ctx.attempt(self, sample_copy)
        if ok:
            self._finish(path)

    def choose_open(self) -> None:
        path = ask_open_path(self)
        if path:
            self._finish(path)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key_Escape:
            self.reject()
            return
        super().keyPressEvent(event)
