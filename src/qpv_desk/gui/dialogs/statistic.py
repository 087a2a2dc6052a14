"""Correct one value of the statistical portrait."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...services import portrait
from ...services.portrait import StatisticRow
from ..context import AppContext
from .base import ServiceDialog


def _text(value) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f").replace(".", ",")


class StatisticDialog(ServiceDialog):
    """``saved(int)`` gives the statistic id."""

    FIELDS = (("label", "Indicateur *"), ("value", "Valeur du quartier *"),
              ("agglomeration_value", "Valeur de l'agglomération"), ("unit", "Unité"), ("source", "Source"),
              ("year", "Année"))

    def __init__(self, ctx: AppContext, statistic: StatisticRow, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.statistic = statistic
        self.setWindowTitle(f"Statistique — {statistic.label}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for name, label in self.FIELDS:
            edit = QLineEdit()
            edit.setObjectName(name)
            value = getattr(statistic, name)
            edit.setText(_text(value) if name in ("value", "agglomeration_value") else
                         ("" if value is None else str(value)))
            self.form.addRow(label, edit)
            self.edits[name] = edit
        layout.addLayout(self.form)
        hint = QLabel("Un indicateur en « % » avec une valeur d'agglomération figure sur le graphique.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        layout.addWidget(self.buttons)
        self.watch_fields(self.form, self.edits, self.summary, self.buttons)

    def save(self) -> int:
        values = {name: edit.text() for name, edit in self.edits.items()}
        portrait.update_statistic(self.ctx.db, self.statistic.id, values, expected_version=self.statistic.version)
        return self.statistic.id
