"""Editable Qt models of the action editor: objective picker, financing plan, indicators.

They hold plain Python values (ids, texts typed by the user) and never touch the
database: the editor hands their content to :mod:`qpv_desk.services.programme`.

Signals:
    ObjectivePickModel.changed(): a box was (un)ticked.
    FundingModel.changed(): an amount was edited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ...domain import validation as V
from ...domain.errors import ValidationError
from ...services.programme import FunderRow, ObjectiveChoice, euros


def cents_text(cents: int | None) -> str:
    """Cents as text a user can edit back: « 1234,50 » (empty for ``None``)."""
    if cents is None:
        return ""
    whole, frac = divmod(int(cents), 100)
    return f"{whole}" if frac == 0 else f"{whole},{frac:02d}"


def parse_cents(text: str) -> int | None:
    """The same parsing as the services; ``None`` when empty or not a valid amount."""
    try:
        return V.amount_cents(text, "montant", "amount")
    except ValidationError:
        return None


# --------------------------------------------------------------------------- objectives


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


# --------------------------------------------------------------------------- financing


@dataclass
class FundingEntry:
    funder: FunderRow
    requested: str = ""
    granted: str = ""
    paid: str = ""


class FundingModel(QAbstractTableModel):
    """One line per funder: requested / granted / paid, typed as euros."""

    changed = Signal()
    HEADERS = ("Financeur", "Demandé (€)", "Accordé (€)", "Versé (€)")
    _FIELDS = (None, "requested", "granted", "paid")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[FundingEntry] = []

    def set_lines(self, funders: Sequence[FunderRow], lines: Sequence) -> None:
        """``funders``: active funders (always shown); ``lines``: the action's FundingLineRow."""
        self.beginResetModel()
        by_id = {l.funder_id: l for l in lines}
        shown = list(funders)
        known = {f.id for f in shown}
        for l in lines:
            if l.funder_id not in known:
                shown.append(FunderRow(l.funder_id, l.funder_code, l.funder_name, l.is_state, 10_000, False))
        self.entries = []
        for f in shown:
            l = by_id.get(f.id)
            self.entries.append(FundingEntry(
                f, cents_text(l.requested_cents) if l and l.requested_cents else "",
                cents_text(l.granted_cents) if l else "", cents_text(l.paid_cents) if l and l.paid_cents else ""))
        self.endResetModel()

    def add_funder(self, funder: FunderRow) -> None:
        if any(e.funder.id == funder.id for e in self.entries):
            return
        self.beginInsertRows(QModelIndex(), len(self.entries), len(self.entries))
        self.entries.append(FundingEntry(funder))
        self.endInsertRows()

    def lines(self) -> list[dict]:
        return [{"funder_id": e.funder.id, "requested": e.requested, "granted": e.granted or None, "paid": e.paid}
                for e in self.entries if (e.requested or e.granted or e.paid).strip()]

    def requested(self) -> list[tuple[str, int]]:
        """(funder name, requested cents) of the lines whose amount parses."""
        return [(e.funder.name, parse_cents(e.requested) or 0) for e in self.entries if e.requested.strip()]

    def totals(self) -> tuple[int, int, int]:
        return tuple(sum(parse_cents(getattr(e, f)) or 0 for e in self.entries) for f in ("requested", "granted", "paid"))

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        col = index.column()
        if role == Qt.EditRole:
            return e.funder.name if col == 0 else getattr(e, self._FIELDS[col])
        if role == Qt.DisplayRole:  # typed text while editing, « 9 700,00 € » once it parses
            if col == 0:
                return e.funder.name
            text = getattr(e, self._FIELDS[col])
            cents = parse_cents(text) if text.strip() else None
            return euros(cents) if cents is not None else text
        if role == Qt.TextAlignmentRole and col > 0:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ForegroundRole and col > 0 and getattr(e, self._FIELDS[col]).strip() \
                and parse_cents(getattr(e, self._FIELDS[col])) is None:
            return QBrush(QColor("#b3261e"))
        if role == Qt.FontRole and col == 0 and e.funder.is_state:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.NoItemFlags
        flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        return flags | Qt.ItemIsEditable if index.column() > 0 else flags

    def setData(self, index, value, role=Qt.EditRole):  # noqa: N802
        if not index.isValid() or index.column() == 0 or role != Qt.EditRole:
            return False
        setattr(self.entries[index.row()], self._FIELDS[index.column()], str(value or "").strip())
        self.dataChanged.emit(index, index)
        self.changed.emit()
        return True


# --------------------------------------------------------------------------- indicators


@dataclass
class IndicatorEntry:
    label: str = ""
    unit: str = ""
    target: str = ""
    result: str = ""


def _num_text(value) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text.replace(".", ",")


class IndicatorModel(QAbstractTableModel):
    HEADERS = ("Indicateur", "Unité", "Cible", "Résultat")
    _FIELDS = ("label", "unit", "target", "result")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[IndicatorEntry] = []

    def set_indicators(self, indicators) -> None:
        self.beginResetModel()
        self.entries = [IndicatorEntry(i.label, i.unit or "", _num_text(i.target), _num_text(i.result))
                        for i in indicators]
        self.endResetModel()

    def add_row(self) -> int:
        self.beginInsertRows(QModelIndex(), len(self.entries), len(self.entries))
        self.entries.append(IndicatorEntry())
        self.endInsertRows()
        return len(self.entries) - 1

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.entries[row]
            self.endRemoveRows()

    def values(self) -> list[dict]:
        return [{"label": e.label, "unit": e.unit, "target": e.target, "result": e.result} for e in self.entries]

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        if role in (Qt.DisplayRole, Qt.EditRole):
            return getattr(self.entries[index.row()], self._FIELDS[index.column()])
        if role == Qt.TextAlignmentRole and index.column() >= 2:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsEditable

    def setData(self, index, value, role=Qt.EditRole):  # noqa: N802
        if not index.isValid() or role != Qt.EditRole:
            return False
        setattr(self.entries[index.row()], self._FIELDS[index.column()], str(value or "").strip())
        self.dataChanged.emit(index, index)
        return True
