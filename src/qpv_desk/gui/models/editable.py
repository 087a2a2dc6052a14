"""The one editable table model: a :class:`RowTableModel` whose listed columns accept edits.

Two ways to keep what is typed, chosen by ``on_edit``:

* **through a service** (``on_edit`` given — the meeting editor): ``setData`` calls
  ``on_edit(row, key, value)``, which writes in one unit of work and returns ``True`` when
  the service accepted; the caller reloads the rows (:meth:`set_rows`), the model never
  holds a session;
* **in the model** (no ``on_edit`` — the action editor's financing plan and indicators):
  the rows are mutable dataclasses, ``setData`` stores the value in the row attribute
  ``key``, marks the model :attr:`dirty` and emits :attr:`changed`; the dialog reads the
  rows back when it saves. :meth:`add_row` / :meth:`remove_row` edit the list.

Usage::

    model = EditableRowModel(
        [Column("Indicateur", "label"), Column("Cible", "target", align="right")],
        {0: ("label", lambda r: r.label), 1: ("target", lambda r: r.target)},
        self, new_row=IndicatorEntry, check=lambda key, text: None if ok(text) else "…")

``editable`` maps a column index to ``(key, value_of(row))``: ``value_of`` gives the
EditRole value (a code, an id, a typed text). ``check(key, value)`` returns the French
message of a value that will be refused (shown in red, as the cell's tooltip, and under
:data:`ERROR_ROLE`), ``None`` when it is fine: the cell keeps what was typed so nothing is
lost. ``emphasis(row)`` shows a row in red bold (overdue tasks), as in :class:`RowTableModel`.

Signals:
    changed(): a value was stored in the model, or a row added or removed (``on_edit`` unset).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from .table import Column, RowTableModel

#: The French message of a cell whose value will be refused (``None`` when fine).
ERROR_ROLE = Qt.UserRole + 3
ERROR_COLOUR = QColor("#b3261e")


def bold_font() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class EditableRowModel(RowTableModel):
    changed = Signal()

    def __init__(self, columns: Sequence[Column], editable: dict[int, tuple[str, Callable[[Any], Any]]],
                 parent=None, *, on_edit: Callable[[Any, str, Any], bool] | None = None,
                 emphasis: Callable[[Any], bool] | None = None,
                 check: Callable[[str, Any], str | None] | None = None,
                 new_row: Callable[[], Any] | None = None, muted: Callable[[Any], bool] | None = None):
        super().__init__(columns, parent, muted=muted, emphasis=emphasis)
        self.editable = dict(editable)
        self.on_edit = on_edit
        self.check = check
        self.new_row = new_row
        self.dirty = False

    # ----------------------------------------------------------------- content

    def set_rows(self, rows: Sequence) -> None:
        """Replace every row; what is shown is now what is saved (:attr:`dirty` is cleared)."""
        super().set_rows(rows)
        self.dirty = False

    def mark_clean(self) -> None:
        self.dirty = False

    def add_row(self, row: Any = None) -> int:
        """Append ``row`` (or ``new_row()``); its row number."""
        if row is None:
            if self.new_row is None:
                raise TypeError("EditableRowModel.add_row needs a row or a new_row factory")
            row = self.new_row()
        position = len(self._rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.append(row)
        self.endInsertRows()
        self._touched()
        return position

    def remove_row(self, number: int) -> bool:
        """Remove the row at ``number`` (nothing if out of range)."""
        if not 0 <= number < len(self._rows):
            return False
        self.beginRemoveRows(QModelIndex(), number, number)
        del self._rows[number]
        self.endRemoveRows()
        self._touched()
        return True

    def error(self, index: QModelIndex) -> str | None:
        """The message of a cell whose value will be refused, or ``None``."""
        if self.check is None or not index.isValid() or index.column() not in self.editable:
            return None
        row = self.row_at(index)
        if row is None:
            return None
        key, value_of = self.editable[index.column()]
        return self.check(key, value_of(row))

    def errors(self) -> list[tuple[int, int, str]]:
        """(row, column, message) of every cell in error, in reading order."""
        found = []
        for number in range(len(self._rows)):
            for column in sorted(self.editable):
                message = self.error(self.index(number, column))
                if message:
                    found.append((number, column, message))
        return found

    def _touched(self) -> None:
        self.dirty = True
        self.changed.emit()

    # ----------------------------------------------------------------- Qt model API

    def flags(self, index):
        flags = super().flags(index)
        if index.isValid() and index.column() in self.editable:
            flags |= Qt.ItemIsEditable
        return flags

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.row_at(index)
        if row is None:
            return None
        if role == Qt.EditRole and index.column() in self.editable:
            return self.editable[index.column()][1](row)
        if role == ERROR_ROLE:
            return self.error(index)
        if role in (Qt.ForegroundRole, Qt.ToolTipRole) and self.check is not None:
            message = self.error(index)
            if message:
                return QBrush(ERROR_COLOUR) if role == Qt.ForegroundRole else message
        return super().data(index, role)

    def setData(self, index, value, role=Qt.EditRole):  # noqa: N802 - Qt override
        if role != Qt.EditRole or not index.isValid() or index.column() not in self.editable:
            return False
        row = self.row_at(index)
        if row is None:
            return False
        key, current = self.editable[index.column()]
        if self.on_edit is not None:
            return value != current(row) and bool(self.on_edit(row, key, value))
        if value is None or isinstance(value, str):
            value = str(value or "").strip()  # what was typed, kept as text until saved
        if value == current(row):
            return False
        setattr(row, key, value)
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.columnCount() - 1))
        self._touched()
        return True
