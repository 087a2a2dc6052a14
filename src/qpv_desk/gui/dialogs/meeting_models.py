"""Qt models and delegates of the meeting editor (attendance, agenda, tasks).

They extend the read-only :class:`RowTableModel` with editable columns: an edit goes
straight to a service through the ``on_edit(row, column_key, value)`` callback given
by the editor, which reloads the rows afterwards; the model never holds a session.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QTableView

from ..models.table import Column, RowTableModel

OVERDUE_COLOUR = QColor("#b3261e")
AGENDA_MIME = "application/x-qpv-agenda-item"


class EditableRowModel(RowTableModel):
    """A :class:`RowTableModel` whose columns listed in ``editable`` accept edits.

    ``editable`` maps a column index to ``(key, value_of(row))``: ``value_of`` gives the
    EditRole value (a code, an id, a text). ``setData`` calls ``on_edit(row, key, value)``;
    the callback returns ``True`` when the service accepted the change.
    ``emphasis(row)`` shows a row in red bold (overdue tasks).
    """

    def __init__(self, columns: Sequence[Column], editable: dict[int, tuple[str, Callable]], parent=None, *,
                 on_edit: Callable | None = None, emphasis: Callable | None = None):
        super().__init__(columns, parent)
        self.editable = editable
        self.on_edit = on_edit
        self.emphasis = emphasis

    def flags(self, index):
        flags = super().flags(index)
        if index.isValid() and index.column() in self.editable and self.on_edit is not None:
            flags |= Qt.ItemIsEditable
        return flags

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.row_at(index)
        if role == Qt.EditRole and index.column() in self.editable:
            return self.editable[index.column()][1](row)
        if self.emphasis is not None and row is not None and self.emphasis(row):
            if role == Qt.ForegroundRole:
                return QBrush(OVERDUE_COLOUR)
            if role == Qt.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)

    def setData(self, index, value, role=Qt.EditRole):  # noqa: N802 - Qt override
        if role != Qt.EditRole or not index.isValid() or index.column() not in self.editable or self.on_edit is None:
            return False
        row = self.row_at(index)
        key, current = self.editable[index.column()]
        if value == current(row):
            return False
        return bool(self.on_edit(row, key, value))


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


class AgendaView(QTableView):
    """Alt+Haut / Alt+Bas move the current point (``move_requested(delta)``)."""

    move_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.AltModifier and event.key() in (Qt.Key_Up, Qt.Key_Down):
            self.move_requested.emit(-1 if event.key() == Qt.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box editor over ``choices()`` → ``[(value, label)]``; the model gets the value."""

    def __init__(self, choices: Callable[[], list[tuple]], parent=None):
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent, option, index):  # noqa: N802
        combo = QComboBox(parent)
        for value, label in self.choices():
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor, index):  # noqa: N802
        position = editor.findData(index.data(Qt.EditRole))
        editor.setCurrentIndex(max(position, 0))

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.currentData(), Qt.EditRole)


class ChooserDelegate(QStyledItemDelegate):
    """A searchable :class:`Chooser` editor; ``choices(row)`` → ``(choices, first_ids)``
    (the people of the row's organisation first); the model gets the chosen id."""

    def __init__(self, choices: Callable[[object], tuple[list, list]], parent=None, *, empty: str = "—"):
        super().__init__(parent)
        self.choices = choices
        self.empty = empty

    def createEditor(self, parent, option, index):  # noqa: N802
        from ..models.table import ROW_ROLE
        from ..widgets.chooser import Chooser

        chooser = Chooser(parent)
        choices, first = self.choices(index.data(ROW_ROLE))
        chooser.set_choices(choices, empty=self.empty, first=first)
        return chooser

    def setEditorData(self, editor, index):  # noqa: N802
        editor.select(index.data(Qt.EditRole))

    def setModelData(self, editor, model, index):  # noqa: N802
        if editor.is_valid():
            model.setData(index, editor.value(), Qt.EditRole)
