"""The programme import wizard: column mapping, then preview, then the import on confirmation.

Step 1 lists the file's columns with an example value and the field each one feeds
(guessed from the header; the user changes any of them in the « Correspond à » column).
Step 2 shows what each row will do, or why it cannot be imported (in French), and the
holder organisations that will be created. Nothing is written before « Importer »;
the import then runs in the background, in one transaction.

Leaving (Échap, « Annuler », the close button) after changing the mapping, the year or the
default objective asks first (:class:`~.base.KeepsTypedText`); « Enregistrer » there goes on
to the preview (or, from the preview, to the import) — nothing is written unconfirmed.

Signals:
    imported(object): the :class:`~qpv_desk.services.programme_import.ImportResult`.
"""

from __future__ import annotations

import logging
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.text import plural
from ...services import programme_import as PI
from ...services.programme import objective_choices
from ..context import AppContext
from ..models import Column, RowTableModel
from ..models.programme import MappingLine, MappingModel
from ..widgets.tables import setup_table
from .base import KeepsTypedText

log = logging.getLogger("qpv_desk.gui")


class TargetDelegate(QStyledItemDelegate):
    def createEditor(self, parent, option, index):  # noqa: N802
        combo = QComboBox(parent)
        for key, label in index.model().targets:
            combo.addItem(label, key)
        return combo

    def setEditorData(self, editor, index):  # noqa: N802
        found = editor.findData(index.data(Qt.EditRole))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.currentData(), Qt.EditRole)


PREVIEW_COLUMNS = [
    Column("Ligne", "line", align="right", width=50),
    Column("Opération", "operation", width=90),
    Column("Année", "year", align="right", width=50),
    Column("Code / dossier", "code", width=100),
    Column("Porteur", lambda r: r.holder + (" (nouveau)" if r.new_holder and r.ok else ""), width=170),
    Column("Intitulé", "title", width=190),
    Column("Erreurs", lambda r: " ".join(r.errors)),
]


class ProgrammeImportDialog(KeepsTypedText, QDialog):
    imported = Signal(object)
    unsaved_what = "Les correspondances de colonnes que vous avez choisies"

    def __init__(self, ctx: AppContext, sheet: PI.SheetData, default_year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.sheet = sheet
        self.preview: PI.ImportPreview | None = None
        self.setWindowTitle(f"Importer une programmation – {sheet.source}")
        self.resize(1000, 600)
        funders = PI.funder_targets(ctx.db)
        mapping = PI.auto_mapping(sheet.headers, funders)
        lines = [MappingLine(h, sheet.sample(i), m) for i, (h, m) in enumerate(zip(sheet.headers, mapping))]
        self.mapping_model = MappingModel(lines, PI.targets(funders), self)
        self._guessed_mapping = self.mapping_model.mapping()

        self.stack = QStackedWidget()
        # step 1: mapping
        step1 = QWidget()
        v1 = QVBoxLayout(step1)
        intro = QLabel(
            f"Feuille « {sheet.sheet} », en-têtes ligne {sheet.header_row}, "
            f"{plural(len(sheet.rows), 'ligne')} de données. "
            "Vérifiez à quoi correspond chaque colonne (double-clic dans « Correspond à » pour la changer). "
            "Le porteur et l'intitulé sont obligatoires ; l'objectif principal l'est pour une nouvelle action."
        )
        intro.setWordWrap(True)
        v1.addWidget(intro)
        year_row = QHBoxLayout()
        year_row.addWidget(QLabel("Année de programmation (si le fichier ne la donne pas) :"))
        self.year = QSpinBox()
        self.year.setRange(1990, 2200)
        self.year.setValue(default_year)
        year_row.addWidget(self.year)
        year_row.addSpacing(20)
        year_row.addWidget(QLabel("Objectif principal des lignes qui n'en donnent pas :"))
        self.default_objective = QComboBox()
        self.default_objective.addItem("— aucun (ligne en erreur) —", None)

        for o in objective_choices(ctx.db, include_retired=False):
            self.default_objective.addItem(("   " * (o.depth - 1)) + o.label[:90], o.code)
        self.default_objective.setMaximumWidth(420)
        year_row.addWidget(self.default_objective, 1)
        v1.addLayout(year_row)
        self.mapping_view = QTableView()
        setup_table(self.mapping_view, self.mapping_model, edit=True, selection="extended", resize="stretch",
                    stretch=None, alternating=False)
        self.mapping_view.verticalHeader().show()  # the file's column numbers
        self.mapping_view.setItemDelegateForColumn(2, TargetDelegate(self.mapping_view))
        v1.addWidget(self.mapping_view, 1)
        self.stack.addWidget(step1)
        # step 2: preview
        step2 = QWidget()
        v2 = QVBoxLayout(step2)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.PlainText)
        v2.addWidget(self.summary)
        self.preview_model = RowTableModel(PREVIEW_COLUMNS, self, emphasis=lambda r: bool(r.errors), emphasis_bold=False)
        self.preview_view = QTableView()
        setup_table(self.preview_view, self.preview_model, selection="extended", word_wrap=True, alternating=False)
        self.preview_view.verticalHeader().show()
        v2.addWidget(self.preview_view, 1)
        self.stack.addWidget(step2)

        self.back_button = QPushButton("‹ Retour")
        self.next_button = QPushButton("Aperçu ›")
        self.import_button = QPushButton("Importer")
        self.cancel_button = QPushButton("Annuler")
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_preview)
        self.import_button.clicked.connect(self.run_import)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.back_button, self.next_button, self.import_button, self.cancel_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    # ----------------------------------------------------------------- never drop her choices

    def has_unsaved_changes(self) -> bool:
        """The year, the default objective (form state) or a column's target changed."""
        return super().has_unsaved_changes() or self.mapping_model.mapping() != self._guessed_mapping

    def save_unsaved(self) -> bool:
        """« Enregistrer »: on to the preview (she then confirms « Importer »), or from the
        preview the import itself; the dialog stays open until the import closes it."""
        if self.stack.currentIndex() == 0:
            self.go_preview()
        elif self.import_button.isEnabled():
            self.run_import()
        return False

    # ----------------------------------------------------------------- steps

    def _update_buttons(self) -> None:
        on_preview = self.stack.currentIndex() == 1
        self.back_button.setEnabled(on_preview)
        self.next_button.setVisible(not on_preview)
        self.import_button.setVisible(on_preview)
        ok_rows = self.preview is not None and any(r.ok for r in self.preview.rows)
        self.import_button.setEnabled(on_preview and ok_rows)

    def go_back(self) -> None:
        self.stack.setCurrentIndex(0)
        self._update_buttons()

    def go_preview(self) -> None:
        ok, preview = self.ctx.attempt(self, PI.preview_import, self.ctx.db, self.sheet,
                                       self.mapping_model.mapping(), self.year.value(),
                                       self.default_objective.currentData())
        if not ok:
            return
        self.preview = preview
        self.preview_model.set_rows(preview.rows)
        self.summary.setText(preview_summary(preview))
        self.stack.setCurrentIndex(1)
        self._update_buttons()
        if len(preview.rows) <= 2000:  # wrapped error messages, once the columns have their final width
            QTimer.singleShot(0, self.preview_view.resizeRowsToContents)

    def run_import(self) -> None:
        if self.preview is None:
            return
        errors = self.preview.errors
        left = "ne sera pas importée ; corrigez-la" if errors == 1 else "ne seront pas importées ; corrigez-les"
        if errors and not self.ctx.confirm(
            self, f"{plural(errors, 'ligne')} en erreur {left} dans le fichier puis réimportez-le (sans créer de "
                  "doublon). Importer les autres lignes maintenant ?"):
            return
        self.import_button.setEnabled(False)

        def done(result: PI.ImportResult) -> None:
            self.ctx.info(self, result_summary(result))
            self.imported.emit(result)
            self.accept()

        def failed(exc: BaseException) -> None:
            self._update_buttons()
            self.ctx.report(self, exc)  # a UserError as its message, anything else as a bug

        self.ctx.run_in_background(self, "Import de la programmation…", PI.apply_import, self.ctx.db, self.sheet,
                                   self.mapping_model.mapping(), self.year.value(),
                                   self.default_objective.currentData(), on_done=done, on_error=failed)


def preview_summary(preview: PI.ImportPreview) -> str:
    parts = [f"{plural(preview.count('création'), 'action')} à créer",
             f"{preview.count('mise à jour')} à mettre à jour"]
    if preview.errors:
        left = "qui ne sera pas importée" if preview.errors == 1 else "qui ne seront pas importées"
        parts.append(f"{plural(preview.errors, 'ligne')} en erreur, {left}")
    text = ", ".join(parts) + "."
    if preview.new_holders:
        text += "\nStructures porteuses qui seront créées : " + ", ".join(preview.new_holders) + "."
    return text + "\nRien n'est enregistré avant « Importer »."


def result_summary(result: PI.ImportResult) -> str:
    text = (f"Import terminé : {plural(result.created, 'action créée', 'actions créées')}, "
            f"{plural(result.updated, 'mise à jour', 'mises à jour')}")
    if result.skipped:
        text += f", {plural(result.skipped, 'ligne en erreur non importée', 'lignes en erreur non importées')}"
    text += "."
    if result.holders_created:
        text += f"\nStructures créées : {', '.join(result.holders_created)}."
    return text
