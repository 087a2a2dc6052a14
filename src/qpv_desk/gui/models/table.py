"""A read-only table model over a list of plain rows (dataclasses), described by columns.

Usage::

    from qpv_desk.gui.models import Column, RowTableModel

    COLUMNS = [
        Column("Nom", "name"),                                   # attribute name
        Column("Type", lambda o: o.kind.label, sort_key="kind"),  # callable, SQL sort key
        Column("Montant", "granted_cents", display=euros, align="right"),
        Column("Active", "active", check=True),                  # shown as a check mark
    ]
    model = RowTableModel(COLUMNS, parent=self)
    model.set_rows(service.list_things(db))
    view.setModel(model); view.setSortingEnabled(True)
    row = model.row_at(view.currentIndex())                   # the dataclass behind a line

Sorting happens in the model (``sort()`` re-orders the Python list with a key per
column: fast at 10 000 rows, no ``QSortFilterProxyModel``). Note that Qt's header starts
with a *descending* indicator on column 0 when ``setSortingEnabled(True)`` is called:
follow it with ``view.horizontalHeader().setSortIndicator(column, Qt.AscendingOrder)``,
or ``setSortIndicator(-1, Qt.AscendingOrder)`` to keep the rows in the order given. Pages that sort in SQL
instead set ``server_sort=True`` and listen to :attr:`sort_requested`, then call
:meth:`set_rows` with the rows in the new order.

``muted`` (a predicate on the row) greys a line (inactive records, retired objectives);
``emphasis`` (a predicate) shows a line in red, bold unless ``emphasis_bold=False``
(members who missed too many meetings, overdue tasks, import lines in error).
The row object itself is available to views and delegates under :data:`ROW_ROLE`.

Signals:
    sort_requested(str, bool): with ``server_sort``, the user clicked a header
        (column ``sort_key``, descending).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from ...domain.text import sort_key

ROW_ROLE = Qt.UserRole + 1
SORT_ROLE = Qt.UserRole + 2
EMPHASIS_COLOUR = QColor("#b3261e")

_ALIGN = {
    "left": Qt.AlignLeft | Qt.AlignVCenter,
    "right": Qt.AlignRight | Qt.AlignVCenter,
    "center": Qt.AlignCenter,
}


def _default_display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    label = getattr(value, "label", None)  # LabelledEnum
    if isinstance(label, str):
        return label
    return str(value)


SORT_PREFIX = 200  # collation keys of the first characters only (a pasted novel must not stall the sort)


def _sortable(value: Any):
    """A key that orders None last and text by French rules (:func:`~qpv_desk.domain.text.sort_key`:
    « Éducation » with the E's, case and accents only breaking ties), whatever the type."""
    if value is None:
        return (1, 0, ())
    if isinstance(value, str):
        return (0, 0, sort_key(value[:SORT_PREFIX]))
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return (0, 0, sort_key(label[:SORT_PREFIX]))
    if isinstance(value, (int, float, Decimal)):
        return (0, 1, value)
    if isinstance(value, dt.date):
        return (0, 2, value.toordinal())
    return (0, 3, str(value))


@dataclass(frozen=True)
class Column:
    """How one column shows a row.

    ``value``: attribute name or ``callable(row)``; ``display``: value → text (default:
    dates jj/mm/aaaa, booleans oui/non, enums their label); ``align``: left/right/center;
    ``sort_key``: name handed to the service when sorting in SQL (defaults to the
    attribute name); ``check``: show a boolean as a check mark instead of text;
    ``tooltip``: ``callable(row)`` giving a tooltip.
    """

    title: str
    value: str | Callable[[Any], Any]
    display: Callable[[Any], str] | None = None
    align: str = "left"
    sort_key: str | None = None
    check: bool = False
    tooltip: Callable[[Any], str | None] | None = None
    width: int | None = None

    def get(self, row) -> Any:
        return self.value(row) if callable(self.value) else getattr(row, self.value)

    def text(self, row) -> str:
        value = self.get(row)
        return (self.display or _default_display)(value)

    @property
    def key(self) -> str:
        if self.sort_key:
            return self.sort_key
        return self.value if isinstance(self.value, str) else self.title


class RowTableModel(QAbstractTableModel):
    sort_requested = Signal(str, bool)

    def __init__(self, columns: Sequence[Column], parent=None, *, muted: Callable[[Any], bool] | None = None,
                 server_sort: bool = False, emphasis: Callable[[Any], bool] | None = None,
                 emphasis_bold: bool = True):
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list = []
        self._muted = muted
        self.emphasis = emphasis
        self.emphasis_bold = emphasis_bold
        self.server_sort = server_sort
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # ----------------------------------------------------------------- content

    @property
    def columns(self) -> list[Column]:
        return list(self._columns)

    @property
    def rows(self) -> list:
        return list(self._rows)

    def set_rows(self, rows: Sequence) -> None:
        """Replace every row (kept in the current model sort order unless sorting is server-side)."""
        self.beginResetModel()
        self._rows = list(rows)
        if self._sort is not None and not self.server_sort:
            self._sort_in_place(*self._sort)
        self.endResetModel()

    def row_at(self, index: QModelIndex | int):
        """The row object at a view index (or a row number); ``None`` if out of range."""
        number = index if isinstance(index, int) else (index.row() if index.isValid() else -1)
        return self._rows[number] if 0 <= number < len(self._rows) else None

    def find(self, predicate: Callable[[Any], bool]) -> int:
        """Row number of the first row matching ``predicate``, or -1."""
        for number, row in enumerate(self._rows):
            if predicate(row):
                return number
        return -1

    def find_id(self, ident) -> int:
        return self.find(lambda r: getattr(r, "id", None) == ident)

    # ----------------------------------------------------------------- Qt model API

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and 0 <= section < len(self._columns):
            column = self._columns[section]
            if role == Qt.DisplayRole:
                return column.title
            if role == Qt.TextAlignmentRole:
                return int(_ALIGN[column.align])
        if orientation == Qt.Vertical and role == Qt.DisplayRole and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) or not (0 <= index.column() < len(self._columns)):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.DisplayRole:
            if column.check:
                return None
            return column.text(row)
        if role == Qt.CheckStateRole and column.check:
            return Qt.Checked if column.get(row) else Qt.Unchecked
        if role == Qt.TextAlignmentRole:
            return int(_ALIGN[column.align])
        if role == Qt.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(row)
            text = column.text(row)
            return text if len(text) > 40 else None
        if role in (Qt.ForegroundRole, Qt.FontRole) and self.emphasis is not None and self.emphasis(row):
            if role == Qt.ForegroundRole:
                return QBrush(EMPHASIS_COLOUR)
            if self.emphasis_bold:
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.ForegroundRole and self._muted is not None and self._muted(row):
            app = QApplication.instance()
            colour = app.palette().color(QPalette.Disabled, QPalette.Text) if app else QColor("gray")
            return QBrush(colour)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return _sortable(column.get(row))
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemNeverHasChildren

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        """Sort by ``column`` (in the model, or through :attr:`sort_requested`); -1 keeps the given order."""
        if column < 0:
            self._sort = None  # rows set from now on keep the order they were given in
            return
        if column >= len(self._columns):
            return
        self._sort = (column, order)
        if self.server_sort:
            self.sort_requested.emit(self._columns[column].key, order == Qt.DescendingOrder)
            return
        self.layoutAboutToBeChanged.emit()
        old = list(self._rows)
        persistent = self.persistentIndexList()
        self._sort_in_place(column, order)
        position = {id(r): n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            persistent,
            [self.index(position[id(old[p.row()])], p.column()) if 0 <= p.row() < len(old) else QModelIndex()
             for p in persistent],
        )
        self.layoutChanged.emit()

    def _sort_in_place(self, column: int, order: Qt.SortOrder) -> None:
        col = self._columns[column]
        self._rows.sort(key=lambda r: _sortable(col.get(r)), reverse=order == Qt.DescendingOrder)
