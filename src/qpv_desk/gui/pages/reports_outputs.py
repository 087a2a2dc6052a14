"""The Rapports page's part for what is sent: rapport annuel, workbook e-mail, programme evolutions.

A group box added to :class:`~qpv_desk.gui.pages.reports.ReportsPage`: the commune's
contribution to the rapport annuel (Word) with the conseil citoyen's avis, the COPIL
workbook as a ready-to-send e-mail draft (.eml) to the DGS list, the comparison of
programme snapshots, and the sending settings. File choosers go through
:func:`ask_output_path` (patched in tests); files open with the page's ``open_file``
(:func:`qpv_desk.gui.pages.reports.open_in_system`).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...services.programme import programme_years

log = logging.getLogger("qpv_desk.gui")

ALL_YEARS = 0  # year combo of the Rapports page: the whole contract
FILTERS = {".docx": "Documents Word (*.docx)", ".eml": "E-mails (*.eml)"}


def ask_output_path(parent: QWidget | None, title: str, suggested: Path) -> Path | None:
    suffix = suggested.suffix.lower()
    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), FILTERS.get(suffix, ""))
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == suffix else path.with_suffix(suffix)


class OutputsBox(QGroupBox):
    def __init__(self, page):
        super().__init__("Rapport annuel, envoi et évolutions du programme")
        self.page = page
        self.ctx = page.ctx
        self.dialog = None
        self.last_file: Path | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Rapport annuel politique de la ville :"))
        self.year = QComboBox()
        self.year.setObjectName("rapport_year")
        row.addWidget(self.year)
        self.avis_button = QPushButton("Avis du conseil citoyen…")
        self.rapport_button = QPushButton("Créer le rapport…")
        row.addWidget(self.avis_button)
        row.addWidget(self.rapport_button)
        row.addStretch(1)
        layout.addLayout(row)
        row2 = QHBoxLayout()
        self.mail_button = QPushButton("E-mail du classeur au DGS…")
        self.mail_button.setToolTip("Brouillon d'e-mail (.eml) avec le classeur de l'année choisie ci-dessus, "
                                    "adressé à la liste de diffusion des paramètres d'envoi")
        self.changes_button = QPushButton("Évolutions du programme…")
        self.changes_button.setToolTip("Ce qui a changé depuis le dernier COPIL, ou entre deux photographies")
        self.settings_button = QPushButton("Paramètres d'envoi…")
        for b in (self.mail_button, self.changes_button, self.settings_button):
            row2.addWidget(b)
        row2.addStretch(1)
        layout.addLayout(row2)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.avis_button.clicked.connect(self.edit_avis)
        self.rapport_button.clicked.connect(self.write_rapport)
        self.mail_button.clicked.connect(self.write_mail)
        self.changes_button.clicked.connect(self.show_changes)
        self.settings_button.clicked.connect(self.edit_settings)
        self.refresh()

    def refresh(self) -> None:
        chosen = self.year.currentData()
        self.year.clear()
        db = self.ctx.db
        if db is not None:
            years = programme_years(db)
            for y in years:
                self.year.addItem(str(y), y)
            today = dt.date.today().year
            if chosen is not None and self.year.findData(chosen) >= 0:
                self.year.setCurrentIndex(self.year.findData(chosen))
            elif years:
                self.year.setCurrentIndex(years.index(today - 1) if today - 1 in years else len(years) - 1)
        has_year = db is not None and self.year.count() > 0
        writable = db is not None and not self.ctx.read_only
        self.rapport_button.setEnabled(has_year)
        self.avis_button.setEnabled(has_year and writable)
        self.mail_button.setEnabled(db is not None and self.page.year.count() > 0)
        self.changes_button.setEnabled(db is not None)
        self.settings_button.setEnabled(writable)

    # ----------------------------------------------------------------- actions

    def _folder(self) -> Path:
        return self.last_file.parent if self.last_file else Path.home()

    def _run(self, title: str, work, done_text: str) -> None:
        def done(result) -> None:
            path = Path(getattr(result, "path", result))
            self.last_file = path
            self.status.setText(f"{done_text} : {path}")
            log.info("%s : %s", done_text, path)
            notes = list(getattr(result, "warnings", ()))
            without = getattr(result, "without_email", ())
            if without:
                notes.append("Sans adresse électronique (à prévenir autrement) :\n" + "\n".join(f"• {n}" for n in without))
            if notes:
                self.ctx.info(self, f"{done_text} :\n{path}\n\n" + "\n\n".join(notes))
            self.page.open_file(path)

        def failed(exc: BaseException) -> None:
            self.status.setText("")
            self.ctx.report(self, exc)  # a UserError as its message, anything else as a bug

        self.status.setText(title)
        self.ctx.run_in_background(self, title, work, on_done=done, on_error=failed)

    def write_rapport(self) -> None:
        from ...services import rapport as R  # start-up: ~50 ms, only to write (the page may show first)

        year = self.year.currentData()
        if self.ctx.db is None or year is None:
            return
        path = ask_output_path(self, "Enregistrer le rapport annuel", self._folder() / R.rapport_filename(year))
        if path is None:
            return
        db = self.ctx.db
        self._run("Rédaction du rapport annuel…", lambda progress=None: R.write_rapport(db, year, path, progress=progress),
                  "Rapport annuel enregistré")

    def write_mail(self) -> None:
        from ...services.mail import write_mail_draft  # start-up: icalendar and writers, ~200 ms, only to write

        year = self.page.year.currentData()
        if self.ctx.db is None or year is None:
            return
        quartier = self.page.quartier.currentData()
        label = "contrat" if year == ALL_YEARS else year
        path = ask_output_path(self, "Enregistrer le brouillon d'e-mail", self._folder() / f"envoi-classeur-{label}.eml")
        if path is None:
            return
        db = self.ctx.db
        year = None if year == ALL_YEARS else year
        self._run("Préparation de l'e-mail du classeur…",
                  lambda progress=None: write_mail_draft(db, "copil", path, year=year, quartier=quartier),
                  "Brouillon d'e-mail enregistré")

    def edit_avis(self) -> None:
        from ..dialogs.outputs import CitizenAvisDialog  # start-up: ~100 ms, only when opened (the page may show first)

        year = self.year.currentData()
        if year is None:
            return
        self.dialog = CitizenAvisDialog(self.ctx, year, self)
        self.dialog.saved.connect(lambda avis: self.status.setText(
            f"Avis du conseil citoyen du {avis.date:%d/%m/%Y} enregistré pour le rapport {avis.year}."))
        self.dialog.open()

    def edit_settings(self) -> None:
        from ..dialogs.outputs import SendingSettingsDialog  # start-up: ~100 ms, only when opened (the page may show first)

        self.dialog = SendingSettingsDialog(self.ctx, self)
        self.dialog.open()

    def show_changes(self) -> None:
        from ..dialogs.outputs import ProgrammeChangesDialog  # start-up: ~100 ms, only when opened (the page may show first)

        year = self.page.year.currentData() or None  # ALL_YEARS (0): every year
        self.dialog = ProgrammeChangesDialog(self.ctx, programme_years(self.ctx.db), year, self)
        self.dialog.open()
