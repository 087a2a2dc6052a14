"""The Suivi des objectifs tree: one line per objective with what is funded, done, late or missing.

Read-only, over the flat, tree-ordered list of
:class:`~qpv_desk.services.followup.ObjectiveSummary`; uncovered objectives in red and
bold, overdue bilans in orange and bold.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ...domain.text import euros, plural
from ...services import followup as F
from .table import ROW_ROLE

UNCOVERED_COLOUR = QColor("#b3261e")
OVERDUE_COLOUR = QColor("#c55a00")


def percent(p: float | None) -> str:
    return "—" if p is None else f"{round(p * 100):d}\u00a0%"


def _money(cents: int) -> str:
    return euros(cents) if cents else "—"


# (header, value getter, is number)
TREE_COLUMNS: list[tuple[str, callable]] = [
    ("Objectif", lambda o: o.label),
    ("Actions", lambda o: o.actions),
    ("En examen", lambda o: o.examen),
    ("Financées", lambda o: o.financee),
    ("Réalisées", lambda o: o.realisee),
    ("Non retenues / abandonnées", lambda o: o.non_retenue + o.abandonnee),
    ("Demandé", lambda o: _money(o.requested_cents)),
    ("dont État", lambda o: _money(o.state_requested_cents)),
    ("Accordé", lambda o: _money(o.granted_cents)),
    ("dont État ", lambda o: _money(o.state_granted_cents)),
    ("Bénéf. prévus", lambda o: o.beneficiaries_planned),
    ("Bénéf. touchés", lambda o: o.beneficiaries_reached),
    ("Bilans dus", lambda o: o.reviews_due),
    ("Bilans reçus", lambda o: o.reviews_received),
    ("Bilans en retard", lambda o: o.reviews_overdue),
    ("Avancement", lambda o: percent(o.progress)),
]
OVERDUE_COLUMN = 14


class SummaryTreeModel(QAbstractItemModel):
    """Read-only tree over the flat, tree-ordered list of :class:`ObjectiveSummary`."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._items: dict[int, F.ObjectiveSummary] = {}
        self._children: dict[int | None, list[int]] = {None: []}
        self._row: dict[int, int] = {}

    def set_summaries(self, items: Sequence[F.ObjectiveSummary]) -> None:
        self.beginResetModel()
        self._items = {o.objective_id: o for o in items}
        self._children = {None: []}
        for o in items:
            parent = o.parent_id if o.parent_id in self._items else None
            self._children.setdefault(parent, []).append(o.objective_id)
        self._row = {i: n for group in self._children.values() for n, i in enumerate(group)}
        self.endResetModel()

    def summaries(self) -> list[F.ObjectiveSummary]:
        return list(self._items.values())

    def item(self, index: QModelIndex) -> F.ObjectiveSummary | None:
        return self._items.get(index.internalId()) if index.isValid() else None

    def index_of_id(self, oid: int) -> QModelIndex:
        return self.createIndex(self._row[oid], 0, oid) if oid in self._items else QModelIndex()

    def index(self, row, column, parent=QModelIndex()):
        pid = parent.internalId() if parent.isValid() else None
        kids = self._children.get(pid, [])
        if 0 <= row < len(kids) and 0 <= column < len(TREE_COLUMNS):
            return self.createIndex(row, column, kids[row])
        return QModelIndex()

    def parent(self, index=QModelIndex()):
        item = self.item(index)
        if item is None or item.parent_id not in self._items:
            return QModelIndex()
        return self.createIndex(self._row[item.parent_id], 0, item.parent_id)

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children.get(parent.internalId() if parent.isValid() else None, []))

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return len(TREE_COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return TREE_COLUMNS[section][0].strip()
        if orientation == Qt.Horizontal and role == Qt.ToolTipRole and section == 15:
            return "Moyenne pondérée normalisée Σ(poids × avancement) / Σ poids — voir « Règle de calcul »"
        return None

    def data(self, index, role=Qt.DisplayRole):
        o = self.item(index)
        if o is None:
            return None
        col = index.column()
        if role == Qt.DisplayRole:
            value = TREE_COLUMNS[col][1](o)
            return str(value) if not isinstance(value, str) else value
        if role == Qt.TextAlignmentRole and col > 0:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ForegroundRole:
            if o.uncovered:
                return QBrush(UNCOVERED_COLOUR)
            if o.reviews_overdue and col in (0, OVERDUE_COLUMN):
                return QBrush(OVERDUE_COLOUR)
            if o.retired:
                return QBrush(QColor("gray"))
        if role == Qt.FontRole and (o.uncovered or (o.reviews_overdue and col in (0, OVERDUE_COLUMN))
                                    or (o.depth == 1 and col == 0)):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ToolTipRole:
            notes = [f"{o.level_name} {o.code} – {o.title}"]
            if o.uncovered:
                notes.append("Aucune action sur la période choisie.")
            if o.reviews_overdue:
                notes.append(f"{plural(o.reviews_overdue, 'bilan')} en retard.")
            if o.retired:
                notes.append("Objectif retiré.")
            return "\n".join(notes)
        if role == ROW_ROLE:
            return o
        return None

    def flags(self, index):
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable if index.isValid() else Qt.NoItemFlags
