"""Rapports: the COPIL / DGS follow-up workbook, and the import of a programme from a spreadsheet.

The workbook is written in the background (progress dialog), then « Ouvrir le fichier »
and « Ouvrir le dossier » open it with the system's application. The import reads the
file (refused before parsing if it looks hostile), then opens the mapping / preview
wizard (:class:`~qpv_desk.gui.dialogs.programme_import.ProgrammeImportDialog`).

File choosers and the system « open » go through module functions (``ask_*``,
:func:`open_in_system`) so tests patch one call.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...services import portrait
from ...services import programme_import as PI
from ...services.programme import programme_years
from .base import Page
from .reports_outputs import ALL_YEARS, OutputsBox

log = logging.getLogger("qpv_desk.gui")

XLSX_FILTER = "Classeurs Excel (*.xlsx)"


def ask_save_path(parent: QWidget | None, title: str, suggested: Path) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), XLSX_FILTER)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")


def ask_open_path(parent: QWidget | None, title: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, str(Path.home()), XLSX_FILTER + ";;Tous les fichiers (*)")
    return Path(name) if name else None


def open_in_system(path: Path) -> bool:
    """Open a file or a folder with the desktop's default application."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def _safe_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text, flags=re.UNICODE).strip("-") or "tous"


class ReportsPage(Page):
    key = "reports"
    title = "Rapports"
    icon = "SP_DialogSaveButton"

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.last_file: Path | None = None
        self.import_dialog = None

        # --- workbook
        box = QGroupBox("Classeur de suivi pour le COPIL et la direction (Excel)")
        form = QFormLayout()
        self.year = QComboBox()
        self.quartier = QComboBox()
        form.setFieldGrowthPolicy(QFormLayout.FieldsStayAtSizeHint)
        for combo in (self.year, self.quartier):
            combo.setMinimumWidth(260)
        form.addRow("Année de programmation :", self.year)
        form.addRow("Quartier :", self.quartier)
        explain = QLabel("Synthèse avec graphiques, programmation par financeur, suivi par objectif, "
                         "financements par enjeu, réunions et présences, suites à donner, portrait du quartier. "
                         "Prêt à imprimer (paysage, la programmation en A3) et à envoyer.")
        explain.setWordWrap(True)
        self.export_button = QPushButton("Créer le classeur…")
        self.export_button.clicked.connect(self.export_workbook)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.open_file_button = QPushButton("Ouvrir le fichier")
        self.open_folder_button = QPushButton("Ouvrir le dossier")
        self.open_file_button.clicked.connect(lambda: self._open(self.last_file))
        self.open_folder_button.clicked.connect(lambda: self._open(self.last_file.parent if self.last_file else None))
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.open_file_button)
        row.addWidget(self.open_folder_button)
        row.addStretch(1)
        v = QVBoxLayout(box)
        v.addWidget(explain)
        v.addLayout(form)
        v.addLayout(row)
        v.addWidget(self.status)

        # --- import
        import_box = QGroupBox("Importer une programmation depuis un tableur")
        iv = QVBoxLayout(import_box)
        text = QLabel("Utilisez le modèle de l'application, ou un autre tableau (par exemple un export de la "
                      "plateforme de subventions de l'État) : vous indiquerez à quoi correspond chaque colonne. "
                      "Un aperçu montre ce qui sera créé ou mis à jour, et les erreurs ligne par ligne ; rien n'est "
                      "enregistré avant votre confirmation. Réimporter un fichier corrigé met à jour sans doublon.")
        text.setWordWrap(True)
        self.template_button = QPushButton("Enregistrer le modèle vide…")
        self.import_button = QPushButton("Importer un fichier…")
        self.template_button.clicked.connect(self.save_template)
        self.import_button.clicked.connect(self.choose_import_file)
        irow = QHBoxLayout()
        irow.addWidget(self.template_button)
        irow.addWidget(self.import_button)
        irow.addStretch(1)
        iv.addWidget(text)
        iv.addLayout(irow)

        layout = QVBoxLayout(self)
        heading = self.heading("Rapports")
        layout.addWidget(heading)
        layout.addWidget(box)
        layout.addWidget(import_box)
        self.outputs = OutputsBox(self)  # rapport annuel, e-mail, évolutions du programme
        layout.addWidget(self.outputs)
        layout.addStretch(1)
        self.ctx.database_changed.connect(lambda _db: self.refresh())
        self._update_buttons()

    # ----------------------------------------------------------------- state

    def refresh(self) -> None:
        db = self.ctx.db
        chosen_year, chosen_quartier = self.year.currentData(), self.quartier.currentData()
        self.year.clear()
        self.quartier.clear()
        if db is None:
            self._update_buttons()
            self.outputs.refresh()
            return

        years = programme_years(db)
        today = dt.date.today()
        for y in years:
            self.year.addItem(str(y), y)
        if years:
            self.year.setCurrentIndex(years.index(today.year) if today.year in years else len(years) - 1)
            self.year.addItem("Toute la durée du contrat", ALL_YEARS)
        self.quartier.addItem("Tous les quartiers", None)
        for q in portrait.quartiers(db):
            self.quartier.addItem(f"{q.name} ({q.code})", q.code)
        # keep what the user chose when the page is shown again
        if chosen_year is not None and self.year.findData(chosen_year) >= 0:
            self.year.setCurrentIndex(self.year.findData(chosen_year))
        if chosen_quartier is not None and self.quartier.findData(chosen_quartier) >= 0:
            self.quartier.setCurrentIndex(self.quartier.findData(chosen_quartier))
        self._update_buttons()
        self.outputs.refresh()

    def _update_buttons(self) -> None:
        has_db = self.ctx.db is not None
        writable = has_db and not self.ctx.read_only
        self.export_button.setEnabled(has_db and self.year.count() > 0)
        self.template_button.setEnabled(True)
        self.import_button.setEnabled(writable)
        exists = self.last_file is not None and self.last_file.exists()
        self.open_file_button.setEnabled(exists)
        self.open_folder_button.setEnabled(exists)

    def open_file(self, path: Path) -> bool:
        """Open ``path`` with the system's application (:func:`open_in_system`, patched in tests)."""
        return open_in_system(path)

    def _open(self, path: Path | None) -> None:
        if path is None:
            return
        if not open_in_system(path):
            self.ctx.error(self, f"Impossible d'ouvrir « {path} » : aucune application associée.")

    # ----------------------------------------------------------------- workbook

    def export_workbook(self) -> None:
        year = self.year.currentData()
        if self.ctx.db is None or year is None:
            return
        quartier = self.quartier.currentData()
        name = f"suivi-contrat-de-ville-{'contrat' if year == ALL_YEARS else year}"
        name += (f"-{_safe_name(quartier)}" if quartier else "") + ".xlsx"
        year = None if year == ALL_YEARS else year
        folder = self.last_file.parent if self.last_file else Path.home()
        path = ask_save_path(self, "Enregistrer le classeur de suivi", folder / name)
        if path is None:
            return
        db = self.ctx.db

        def work(progress=None):
            from ...services.reporting import write_copil_workbook  # start-up: ~50 ms, only to write (the page may show first)

            return write_copil_workbook(db, year, path, quartier_code=quartier, progress=progress)

        def done(result: Path) -> None:
            self.last_file = Path(result)
            self.status.setText(f"Classeur enregistré : {self.last_file}")
            log.info("Classeur de suivi écrit : %s", self.last_file)
            self._update_buttons()

        self.export_button.setEnabled(False)
        self.status.setText("Écriture du classeur en cours…")

        def failed(exc: BaseException) -> None:
            self.status.setText("Le classeur n'a pas été créé.")
            self._update_buttons()
            self.ctx.report(self, exc)  # a UserError as its message, anything else as a bug

        self.ctx.run_in_background(self, "Création du classeur de suivi…", work, on_done=done, on_error=failed)

    # ----------------------------------------------------------------- import

    def save_template(self) -> None:
        path = ask_save_path(self, "Enregistrer le modèle d'import", Path.home() / "modele-programmation.xlsx")
        if path is None:
            return
        db = self.ctx.db

        def work(progress=None):
            # without a base: the funders a new contract starts with; a StorageError in French if it cannot be written
            return PI.write_template(db, path, progress=progress)

        def done(result: Path) -> None:
            self.template_button.setEnabled(True)
            self.status.setText(f"Modèle enregistré : {result}")
            log.info("Modèle d'import écrit : %s", result)

        def failed(exc: BaseException) -> None:
            self.template_button.setEnabled(True)
            self.status.setText("Le modèle n'a pas été créé.")
            self.ctx.report(self, exc)  # a UserError as its message, anything else as a bug

        self.template_button.setEnabled(False)
        self.status.setText("Écriture du modèle en cours…")
        self.ctx.run_in_background(self, "Création du modèle d'import…", work, on_done=done, on_error=failed)

    def choose_import_file(self) -> None:
        if self.ctx.db is None:
            return
        path = ask_open_path(self, "Choisir le fichier de programmation")
        if path is None:
            return

        self.ctx.run_in_background(self, "Lecture du fichier…", lambda progress=None: PI.read_sheet(path),
                                   on_done=self.open_import_dialog)

    def open_import_dialog(self, sheet) -> None:
        from ..dialogs.programme_import import ProgrammeImportDialog  # start-up: ~40 ms, only to import (the page may show first)

        if not sheet.rows:
            self.ctx.error(self, f"Le fichier « {sheet.source} » ne contient aucune ligne de données.")
            return
        year = self.year.currentData() or dt.date.today().year  # ALL_YEARS (0): this year
        self.import_dialog = ProgrammeImportDialog(self.ctx, sheet, year, self)
        self.import_dialog.open()
