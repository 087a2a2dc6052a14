"""Models of the meeting editor: attendance and tasks are plain
:class:`~qpv_desk.gui.models.editable.EditableRowModel` (every edit goes to a service
through ``on_edit``); :class:`AgendaModel` adds drag and drop of agenda points.

Signals:
    AgendaModel.moved(int, int): a point (id) was dropped at a new position.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData, Qt, Signal

from .editable import EditableRowModel

AGENDA_MIME = "application/x-qpv-agenda-item"


class AgendaModel(EditableRowModel):
    """Agenda points, reorderable by drag and drop (``moved(item_id, position)``)."""

    moved = Signal(int, int)

    def flags(self, index):
        flags = super().flags(index)
        if index.isValid():
            return flags | Qt.ItemIsDragEnabled
        return flags | Qt.ItemIsDropEnabled

    def supportedDropActions(self):  # noqa: N802
        return Qt.MoveAction

    def supportedDragActions(self):  # noqa: N802
        return Qt.MoveAction

    def mimeTypes(self):  # noqa: N802
        return [AGENDA_MIME]

    def mimeData(self, indexes):  # noqa: N802
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data = QMimeData()
        data.setData(AGENDA_MIME, json.dumps([self.row_at(r).id for r in rows]).encode())
        return data

    def canDropMimeData(self, data, action, row, column, parent):  # noqa: N802
        return data.hasFormat(AGENDA_MIME)

    def dropMimeData(self, data, action, row, column, parent):  # noqa: N802
        """Dropping moves the dragged point before the line it is dropped on (or to the end)."""
        if not data.hasFormat(AGENDA_MIME):
            return False
        ids = json.loads(bytes(data.data(AGENDA_MIME)).decode())
        if not ids:
            return False
        target = row if row >= 0 else (parent.row() if parent.isValid() else self.rowCount())
        source = self.find_id(ids[0])
        if source < 0:
            return False
        position = target - 1 if target > source else target
        if position != source:
            self.moved.emit(ids[0], position)
        return False  # the editor reloads the rows; Qt must not remove anything
