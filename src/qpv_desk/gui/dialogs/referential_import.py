"""Preview of a referential import: every change listed before anything is written."""

from __future__ import annotations

from collections import Counter

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTableView, QVBoxLayout, QWidget

from ...services.referential import Change
from ..models import Column, RowTableModel
from ..widgets.tables import setup_table

OPERATION_LABELS = {
    "ajout": "Ajout",
    "modification": "Modification",
    "retrait": "Retrait",
    "conservé": "Conservé",
}

COLUMNS = [
    Column("Rubrique", "section", width=110),
    Column("Élément", "key", width=200),
    Column("Changement", lambda c: OPERATION_LABELS.get(c.operation, c.operation.capitalize()), width=110),
    Column("Détail", "detail"),
]


def summary(changes: tuple[Change, ...] | list[Change]) -> str:
    if not changes:
        return "Le fichier est identique à ce qui est déjà dans la base : rien ne changera."
    counts = Counter(c.operation for c in changes)
    parts = []
    for op, one, many in (("ajout", "ajout", "ajouts"), ("modification", "modification", "modifications"),
                          ("retrait", "retrait", "retraits"), ("conservé", "élément conservé", "éléments conservés"),
                          ("à confirmer", "champ modifié dans l'application depuis le dernier import",
                           "champs modifiés dans l'application depuis le dernier import")):
        if counts.get(op):
            parts.append(f"{counts[op]} {one if counts[op] == 1 else many}")
    return "Changements prévus : " + ", ".join(parts) + ". Rien n'est supprimé ; un objectif absent du fichier est retiré " \
        "mais reste visible sur l'historique."


class ReferentialImportDialog(QDialog):
    """Shows ``changes`` (from ``preview_import``); « Importer » accepts."""

    def __init__(self, source: str, changes: tuple[Change, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.changes = tuple(changes)
        self.setWindowTitle("Importer un référentiel — aperçu")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>Fichier :</b> {source}")
        title.setWordWrap(True)
        layout.addWidget(title)
        self.summary = QLabel(summary(self.changes))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = RowTableModel(COLUMNS, self)
        self.model.set_rows(self.changes)
        self.view = QTableView()
        # file order until a header is clicked
        setup_table(self.view, self.model, sort=-1, selection="extended", stretch=len(COLUMNS) - 1)
        layout.addWidget(self.view, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Importer")
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(self.changes))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
