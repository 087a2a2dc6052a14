"""The objective trees: :class:`ObjectiveTreeModel` (the Objectifs page) and
:class:`ObjectivePickModel` (the action editor's « Objectifs » tab, with check boxes).

:class:`ObjectiveTreeModel` is a tree over :class:`~qpv_desk.services.objectives.ObjectiveTree` (plain data).

Columns: « Code », « Intitulé », « Niveau ». Retired objectives stay in the tree, greyed,
their title followed by « (retiré) ». The node dataclass is available under
:data:`~qpv_desk.gui.models.table.ROW_ROLE`; :meth:`index_of_id` finds a node again
after a reload (to keep the selection).

Signals:
    ObjectivePickModel.changed(): a box was (un)ticked.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import QApplication

from ...services.objectives import ObjectiveNode, ObjectiveTree
from ...services.programme import ObjectiveChoice
from .table import ROW_ROLE

HEADERS = ("Code", "Intitulé", "Niveau")


class ObjectiveTreeModel(QAbstractItemModel):
    def __init__(self, parent=None, *, show_retired: bool = True):
        super().__init__(parent)
        self._tree = ObjectiveTree(None, (), ())
        self._show_retired = show_retired
        self._children: dict[int | None, list[ObjectiveNode]] = {None: []}
        self._nodes: dict[int, ObjectiveNode] = {}
        self._row_of: dict[int, int] = {}

    # ----------------------------------------------------------------- content

    @property
    def tree(self) -> ObjectiveTree:
        return self._tree

    def set_tree(self, tree: ObjectiveTree) -> None:
        self.beginResetModel()
        self._tree = tree
        self._children = {None: []}
        self._nodes = {}
        for node in tree.nodes:
            if node.retired and not self._show_retired:
                continue
            if node.parent_id is not None and node.parent_id not in self._nodes:
                continue  # parent hidden
            self._nodes[node.id] = node
            self._children.setdefault(node.parent_id, []).append(node)
        self._row_of = {n.id: i for group in self._children.values() for i, n in enumerate(group)}
        self.endResetModel()

    def set_show_retired(self, show: bool) -> None:
        if show != self._show_retired:
            self._show_retired = show
            self.set_tree(self._tree)

    def node(self, index: QModelIndex) -> ObjectiveNode | None:
        if not index.isValid():
            return None
        return self._nodes.get(index.internalId())

    def index_of_id(self, ident: int, column: int = 0) -> QModelIndex:
        node = self._nodes.get(ident)
        if node is None:
            return QModelIndex()
        return self.createIndex(self._row_of[ident], column, node.id)

    # ----------------------------------------------------------------- Qt model API

    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(HEADERS) or row < 0:
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        parent_id = parent.internalId() if parent.isValid() else None
        group = self._children.get(parent_id, [])
        if row >= len(group):
            return QModelIndex()
        return self.createIndex(row, column, group[row].id)

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node = self._nodes.get(index.internalId())
        if node is None or node.parent_id is None:
            return QModelIndex()
        return self.createIndex(self._row_of[node.parent_id], 0, node.parent_id)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        if parent.isValid():
            if parent.column() != 0:
                return 0
            return len(self._children.get(parent.internalId(), []))
        return len(self._children.get(None, []))

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return len(HEADERS)

    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: N802
        return self.rowCount(parent) > 0

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        node = self._nodes.get(index.internalId())
        if node is None:
            return None
        column = index.column()
        if role == Qt.DisplayRole:
            if column == 0:
                return node.code
            if column == 1:
                return f"{node.title} (retiré)" if node.retired else node.title
            return node.level
        if role == Qt.ToolTipRole:
            text = f"{node.level} {node.code} : {node.title}"
            if node.retired:
                when = node.retired_on.strftime("%d/%m/%Y") if node.retired_on else ""
                text += f"\nRetiré{' le ' + when if when else ''} — reste visible sur les actions et réunions passées."
            if node.description:
                text += f"\n\n{node.description}"
            return text
        if role == Qt.ForegroundRole and node.retired:
            app = QApplication.instance()
            return QBrush(app.palette().color(QPalette.Disabled, QPalette.Text)) if app else None
        if role == Qt.FontRole:
            font = QFont()
            if node.depth == 1:
                font.setBold(True)
            if node.retired:
                font.setItalic(True)
            return font
        if role == ROW_ROLE:
            return node
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable


class ObjectivePickModel(QAbstractItemModel):
    """The objective tree with two check columns: « Objectif » (linked) and « Principal ».

    Ticking « Principal » on a node links it and un-ticks the previous principal:
    there is at most one principal, and the service refuses zero.
    """

    changed = Signal()
    HEADERS = ("Objectif", "Principal", "Niveau")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._nodes: dict[int, ObjectiveChoice] = {}
        self._children: dict[int | None, list[int]] = {None: []}
        self._row: dict[int, int] = {}
        self.checked: set[int] = set()
        self.principal: int | None = None

    def set_tree(self, choices: Sequence[ObjectiveChoice], links: Sequence[tuple[int, bool]] = ()) -> None:
        self.beginResetModel()
        self._nodes = {c.id: c for c in choices}
        self._children = {None: []}
        for c in choices:
            self._children.setdefault(c.parent_id, []).append(c.id)
        self._row = {i: n for group in self._children.values() for n, i in enumerate(group)}
        self.checked = {oid for oid, _p in links if oid in self._nodes}
        self.principal = next((oid for oid, p in links if p and oid in self._nodes), None)
        self.endResetModel()

    def links(self) -> list[tuple[int, bool]]:
        return [(oid, oid == self.principal) for oid in self._ordered(self.checked)]

    def _ordered(self, ids) -> list[int]:
        order = {oid: n for n, oid in enumerate(self._nodes)}
        return sorted(ids, key=lambda i: order.get(i, 0))

    def index_of_id(self, oid: int, column: int = 0) -> QModelIndex:
        if oid not in self._nodes:
            return QModelIndex()
        return self.createIndex(self._row[oid], column, oid)

    def node(self, index: QModelIndex) -> ObjectiveChoice | None:
        return self._nodes.get(index.internalId()) if index.isValid() else None

    # Qt API
    def index(self, row, column, parent=QModelIndex()):
        pid = parent.internalId() if parent.isValid() else None
        kids = self._children.get(pid, [])
        if 0 <= row < len(kids) and 0 <= column < len(self.HEADERS):
            return self.createIndex(row, column, kids[row])
        return QModelIndex()

    def parent(self, index=QModelIndex()):
        if not index.isValid():
            return QModelIndex()
        node = self._nodes.get(index.internalId())
        if node is None or node.parent_id is None or node.parent_id not in self._nodes:
            return QModelIndex()
        return self.createIndex(self._row[node.parent_id], 0, node.parent_id)

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children.get(parent.internalId() if parent.isValid() else None, []))

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        node = self.node(index)
        if node is None:
            return None
        col = index.column()
        if role == Qt.DisplayRole:
            if col == 0:
                return node.label + (" (retiré)" if node.retired else "")
            if col == 2:
                return node.level_name
            return None
        if role == Qt.CheckStateRole:
            if col == 0:
                return Qt.Checked if node.id in self.checked else Qt.Unchecked
            if col == 1:
                return Qt.Checked if node.id == self.principal else Qt.Unchecked
        if role == Qt.FontRole and node.id == self.principal:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ToolTipRole and col == 0:
            return node.label
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.NoItemFlags
        flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        node = self.node(index)
        # a retired objective keeps its existing links but takes no new one
        if index.column() in (0, 1) and node is not None and (not node.retired or node.id in self.checked):
            flags |= Qt.ItemIsUserCheckable
        return flags

    def setData(self, index, value, role=Qt.EditRole):  # noqa: N802
        node = self.node(index)
        if node is None or role != Qt.CheckStateRole:
            return False
        on = value in (Qt.Checked, Qt.Checked.value, 2, True)
        self.set_checked(node.id, on, principal=index.column() == 1)
        return True

    def set_checked(self, oid: int, on: bool, *, principal: bool = False) -> None:
        """Tick/untick an objective (``principal``: the « Principal » column)."""
        touched = {oid}
        if principal:
            if on:
                if self.principal is not None:
                    touched.add(self.principal)
                self.principal = oid
                self.checked.add(oid)
            elif self.principal == oid:
                self.principal = None
        else:
            if on:
                self.checked.add(oid)
                if self.principal is None:
                    self.principal = oid  # the first objective ticked is the principal one
            else:
                self.checked.discard(oid)
                if self.principal == oid:
                    self.principal = None
        for t in touched:
            self.dataChanged.emit(self.index_of_id(t, 0), self.index_of_id(t, 2))
        self.changed.emit()
