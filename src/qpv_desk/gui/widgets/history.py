"""The « Historique » tab of an action, a meeting or a contact: who changed what, and when.

Usage (in a detail pane)::

    self.history = HistoryView(ctx, "action", action_id)
    tabs.addTab(self.history, "Historique")
    ...
    self.history.set_record("action", other_id)   # when the selection changes

The view refreshes itself when something is written (``ctx.data_changed``) or a base is
opened, only while it is visible (otherwise at its next showing).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from ...services.history import history
from ..models import Column, RowTableModel
from .tables import setup_table


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


COLUMNS = [
    Column("Date", "when", display=_when),
    Column("Par", "who"),
    Column("Opération", "operation_label"),
    Column("Modifications", "summary", tooltip=lambda e: e.summary.replace(" ; ", "\n") or None),
]


class HistoryView(QWidget):
    """A read-only table of the change history of one record (newest first)."""

    def __init__(self, ctx, entity: str | None = None, entity_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.entity = entity
        self.entity_id = entity_id
        self._stale = True
        self.model = RowTableModel(COLUMNS, self)
        self.view = QTableView(self)
        # newest first, as read from the base: not sortable
        setup_table(self.view, self.model, selection="extended", word_wrap=True, resize="contents")
        self.empty = QLabel("Aucune modification enregistrée.", self)
        self.empty.setObjectName("historyEmpty")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addWidget(self.empty)
        ctx.data_changed.connect(self._on_data_changed)
        ctx.database_changed.connect(self._on_data_changed)
        self.refresh()

    def set_record(self, entity: str | None, entity_id: int | None) -> None:
        self.entity, self.entity_id = entity, entity_id
        self.refresh()

    def refresh(self) -> None:
        entries = []
        db = self.ctx.db
        if db is not None and self.entity and self.entity_id is not None:
            ok, result = self.ctx.attempt(self, history, db, self.entity, self.entity_id)
            entries = result if ok else []
        self.model.set_rows(entries)
        self.empty.setVisible(not entries)
        self._stale = False

    def _on_data_changed(self, *_args) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._stale:
            self.refresh()
        super().showEvent(event)
