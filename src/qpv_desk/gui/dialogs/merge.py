"""Fichier ▸ Fusionner la base d'une commune…: what would come in, and a decision per clash.

:meth:`MergeDialog.ask` shows a :class:`~qpv_desk.services.merge.MergePlan` (the commune,
its quartiers, the rows, the renamed codes) and one line per possible duplicate with a
choice « même organisme » / « organismes distincts » (« même personne » / « personnes
distinctes » for a contact). « Fusionner » stays greyed until every line is decided; it
returns the resolutions for :func:`~qpv_desk.services.merge.merge_base`, or ``None``.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.text import plural
from ...services.merge import DISTINCT, KIND_ORGANISATION, KIND_PERSON, SAME, MergePlan
from ..context import AppContext
from ..models import Column, RowTableModel

CHOICES = {
    KIND_ORGANISATION: ("Même organisme", "Organismes distincts"),
    KIND_PERSON: ("Même personne", "Personnes distinctes"),
}
UNDECIDED = "— à décider —"

COLUMNS = [
    Column("Fiche", lambda c: "Organisme" if c.kind == KIND_ORGANISATION else "Contact"),  # not « O12 »: internal
    Column("Dans la base de la commune", "source_name"),
    Column("Déjà dans la base", "target_name"),
    Column("Motif", "reason"),
    Column("Si distinct, devient", "distinct_name"),
    Column("Décision", lambda c: ""),
]
DECISION = len(COLUMNS) - 1


class MergeDialog(QDialog):
    def __init__(self, plan: MergePlan, parent: QWidget | None = None):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("Fusionner la base d'une commune")
        self.resize(980, 520)
        layout = QVBoxLayout(self)
        summary = (f"<b>{plan.commune}</b> ({', '.join(plan.quartiers)}) : {plural(plan.rows, 'ligne')} à faire "
                   f"entrer dans {plan.target}, contrat {plan.contract}.")
        if plan.clashes:
            summary += (f"<br>{plural(len(plan.clashes), 'doublon possible', 'doublons possibles')} : dites pour "
                        "chacun s'il s'agit de la même fiche (celle de la base est gardée telle quelle) ou d'une "
                        "autre (ajoutée).")
        else:
            summary += "<br>Aucun doublon possible."
        self.summary = QLabel(summary, self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        if plan.renamed:  # may be hundreds of actions: a short scrolling list
            renamed = "renommé" if len(plan.renamed) == 1 else "renommés"
            layout.addWidget(QLabel(f"{plural(len(plan.renamed), 'code déjà pris', 'codes déjà pris')} dans la base, "
                                    f"{renamed} à l'entrée :", self))
            self.renamed = QPlainTextEdit("\n".join(plan.renamed), self)
            self.renamed.setReadOnly(True)
            self.renamed.setMaximumHeight(90)
            layout.addWidget(self.renamed)
        self.model = RowTableModel(COLUMNS, parent=self)
        self.model.set_rows(list(plan.clashes))
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setVisible(bool(plan.clashes))
        layout.addWidget(self.view, 1)
        self.combos: list[QComboBox] = []
        for row, clash in enumerate(plan.clashes):
            combo = QComboBox(self.view)
            combo.addItem(UNDECIDED, None)
            same, distinct = CHOICES[clash.kind]
            combo.addItem(same, SAME)
            combo.addItem(distinct, DISTINCT)
            combo.setAccessibleName(f"Décision pour {clash.source_name}")
            combo.currentIndexChanged.connect(self._update)
            self.view.setIndexWidget(self.model.index(row, DECISION), combo)
            self.combos.append(combo)
        self.buttons = QDialogButtonBox(self)
        self.merge_button = self.buttons.addButton("Fusionner", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        self.merge_button.setEnabled(all(c.currentData() is not None for c in self.combos))

    def resolutions(self) -> dict[str, str]:
        return {clash.key: combo.currentData() for clash, combo in zip(self.plan.clashes, self.combos)}

    def accept(self) -> None:
        if self.merge_button.isEnabled():
            super().accept()

    def reject(self) -> None:
        """Échap, « Annuler », the close button: decisions already taken are not dropped unasked."""
        decided = sum(c.currentData() is not None for c in self.combos)
        message = ("Abandonner la fusion ? La décision prise sur un doublon possible ne sera pas gardée."
                   if decided == 1 else f"Abandonner la fusion ? Les {decided} décisions prises sur les doublons "
                   "possibles ne seront pas gardées.")
        if decided and not AppContext.confirm(self, message):
            return
        super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, plan: MergePlan) -> dict[str, str] | None:
        """The resolution of every clash, or ``None`` if she cancels (patched in tests)."""
        dialog = cls(plan, parent)
        return dialog.resolutions() if dialog.exec() == QDialog.DialogCode.Accepted else None
