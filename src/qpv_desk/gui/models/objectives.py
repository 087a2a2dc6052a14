"""A tree model over :class:`~qpv_desk.services.objectives.ObjectiveTree` (plain data).

Columns: « Code », « Intitulé », « Niveau ». Retired objectives stay in the tree, greyed,
their title followed by « (retiré) ». The node dataclass is available under
:data:`~qpv_desk.gui.models.table.ROW_ROLE`; :meth:`index_of_id` finds a node again
after a reload (to keep the selection).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import QApplication

from ...services.objectives import ObjectiveNode, ObjectiveTree
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
