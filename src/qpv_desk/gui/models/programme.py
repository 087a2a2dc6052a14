"""Models of the programme: the Programmation list (fast painting of thousands of actions)
and the import wizard's column mapping (file column → field, the third column editable).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication

from .table import ROW_ROLE, SORT_ROLE, RowTableModel

_DISPLAY = int(Qt.DisplayRole.value)
_ALIGN_ROLE = int(Qt.TextAlignmentRole.value)
_RIGHT = int((Qt.AlignRight | Qt.AlignVCenter).value)
_LEFT = int((Qt.AlignLeft | Qt.AlignVCenter).value)
_FOREGROUND = int(Qt.ForegroundRole.value)
_TOOLTIP = int(Qt.ToolTipRole.value)
_CHECK = int(Qt.CheckStateRole.value)
_HANDLED = {_DISPLAY, _ALIGN_ROLE, _FOREGROUND, _TOOLTIP, _CHECK, int(ROW_ROLE), int(SORT_ROLE)}
_FLAGS = Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemNeverHasChildren


class ProgrammeTableModel(RowTableModel):
    """The shared :class:`RowTableModel` with a fast path for painting thousands of rows:
    display texts are computed once per row object (rows are immutable and kept across
    searches), roles nobody draws are answered at once, flags are a constant."""

    def __init__(self, columns, parent=None, **kwargs):
        super().__init__(columns, parent, **kwargs)
        self._texts: dict[tuple[int, int], str] = {}
        self._aligns = [_RIGHT if c.align == "right" else _LEFT for c in columns]
        self._muted_brush: QBrush | None = None
        self.locked = None  # row -> why she may not change it ("" : she may), set by the page

    def forget_texts(self) -> None:
        """Call when the row objects are replaced (a reload): cached texts are keyed by ``id(row)``."""
        self._texts.clear()

    def data(self, index, role=Qt.DisplayRole):
        role = int(role)
        if role not in _HANDLED:
            return None
        if role == _DISPLAY:
            r, c = index.row(), index.column()
            rows = self._rows
            if not (0 <= r < len(rows)):
                return None
            row = rows[r]
            key = (id(row), c)
            text = self._texts.get(key)
            if text is None:
                text = self._texts[key] = self._columns[c].text(row)
            return text
        if role == _ALIGN_ROLE:
            return self._aligns[index.column()]
        if role == _FOREGROUND:
            r = index.row()
            if 0 <= r < len(self._rows) and self._muted is not None and self._muted(self._rows[r]):
                if self._muted_brush is None:
                    app = QApplication.instance()
                    self._muted_brush = QBrush(app.palette().color(QPalette.Disabled, QPalette.Text)
                                               if app else QColor("gray"))
                return self._muted_brush
            return None
        if role == _TOOLTIP:
            r = index.row()
            if 0 <= r < len(self._rows) and self.locked is not None:
                reason = self.locked(self._rows[r])
                if reason:
                    return reason
            text = self.data(index, _DISPLAY)
            return text if text and len(text) > 40 else None
        if role == _CHECK:
            return None
        return super().data(index, role)

    def flags(self, index):
        return _FLAGS if index.isValid() else Qt.NoItemFlags


@dataclass
class MappingLine:
    header: str
    sample: str
    target: str


class MappingModel(QAbstractTableModel):
    """File column → target field; the third column is editable (a key from ``targets``)."""

    HEADERS = ("Colonne du fichier", "Exemple", "Correspond à")

    def __init__(self, lines: list[MappingLine], targets: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.lines = lines
        self.targets = targets
        self.labels = dict(targets)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 3

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < 3:
            return self.HEADERS[section]
        if orientation == Qt.Vertical and role == Qt.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index):
        base = super().flags(index)
        if index.isValid() and index.column() == 2:
            return base | Qt.ItemIsEditable
        return base

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        line = self.lines[index.row()]
        if role == Qt.DisplayRole:
            return (line.header or "(sans titre)", line.sample, self.labels.get(line.target, ""))[index.column()]
        if role == Qt.EditRole and index.column() == 2:
            return line.target
        if role == Qt.ForegroundRole and index.column() == 2 and not line.target:
            return QBrush(QColor("#777777"))
        return None

    def setData(self, index, value, role=Qt.EditRole):  # noqa: N802
        if not index.isValid() or index.column() != 2 or role != Qt.EditRole or value not in self.labels:
            return False
        line = self.lines[index.row()]
        if value:
            for other in self.lines:  # a target feeds one column only
                if other is not line and other.target == value:
                    other.target = ""
        line.target = value
        self.dataChanged.emit(self.index(0, 2), self.index(len(self.lines) - 1, 2))
        return True

    def mapping(self) -> list[str]:
        return [line.target for line in self.lines]
