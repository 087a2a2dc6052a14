"""The shared Qt models and widgets, on plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from qpv_desk.domain.enums import OrganisationKind
from qpv_desk.gui.models import ROW_ROLE, Column, ObjectiveTreeModel, RowTableModel
from qpv_desk.gui.widgets import BarChart, BarGroup, SearchLineEdit
from qpv_desk.gui.widgets.bar_chart import french_number
from qpv_desk.services.objectives import ObjectiveNode, ObjectiveTree


@dataclass(frozen=True)
class Row:
    id: int
    name: str
    kind: OrganisationKind
    amount: Decimal | None
    day: dt.date | None
    active: bool


ROWS = [
    Row(1, "épicerie", OrganisationKind.ASSOCIATION, Decimal("12.5"), dt.date(2025, 1, 31), True),
    Row(2, "Bailleur", OrganisationKind.BAILLEUR, None, None, False),
    Row(3, "caf", OrganisationKind.CAF, Decimal("3"), dt.date(2024, 5, 1), True),
]

COLUMNS = [
    Column("Nom", "name"),
    Column("Type", "kind"),
    Column("Montant", "amount", align="right"),
    Column("Date", "day"),
    Column("Actif", "active", check=True),
    Column("Longueur", lambda r: len(r.name), align="right"),
]


def test_row_table_model(qtmodeltester):
    model = RowTableModel(COLUMNS, muted=lambda r: not r.active)
    model.set_rows(ROWS)
    qtmodeltester.check(model)
    assert model.headerData(2, Qt.Horizontal) == "Montant"
    assert model.data(model.index(0, 1)) == "Association"
    assert model.data(model.index(0, 2)) == "12,5"
    assert model.data(model.index(0, 3)) == "31/01/2025"
    assert model.data(model.index(1, 3)) == ""
    assert model.data(model.index(0, 4), Qt.CheckStateRole) == Qt.Checked
    assert model.data(model.index(1, 0), Qt.ForegroundRole) is not None
    assert model.data(model.index(0, 0), Qt.ForegroundRole) is None
    assert model.data(model.index(2, 0), ROW_ROLE) is ROWS[2]
    assert model.find_id(3) == 2 and model.find_id(99) == -1
    assert model.row_at(QModelIndex()) is None


def test_sorting_in_the_model_keeps_selection(qtmodeltester, qapp):
    model = RowTableModel(COLUMNS)
    model.set_rows(ROWS)
    view = QTableView()
    view.setModel(model)
    view.selectRow(0)  # « épicerie »
    model.sort(0, Qt.AscendingOrder)
    assert [r.name for r in model.rows] == ["Bailleur", "caf", "épicerie"]
    assert model.row_at(view.selectionModel().selectedRows()[0]).id == 1
    model.sort(2, Qt.AscendingOrder)  # None last
    assert [r.id for r in model.rows] == [3, 1, 2]
    model.set_rows(list(reversed(ROWS)))  # new rows keep the sort order
    assert [r.id for r in model.rows] == [3, 1, 2]
    model.sort(-1)  # back to the order given
    model.set_rows(ROWS)
    assert [r.id for r in model.rows] == [1, 2, 3]
    qtmodeltester.check(model)


def test_server_side_sort_emits_request():
    model = RowTableModel(COLUMNS, server_sort=True)
    model.set_rows(ROWS)
    asked = []
    model.sort_requested.connect(lambda key, desc: asked.append((key, desc)))
    model.sort(1, Qt.DescendingOrder)
    assert asked == [("kind", True)]
    assert [r.id for r in model.rows] == [1, 2, 3]  # untouched: the page reloads from SQL


def test_large_model_sorts_in_the_model():
    rows = [Row(i, f"nom {i * 7919 % 10000}", OrganisationKind.AUTRE, Decimal(i), None, bool(i % 2))
            for i in range(10_000)]
    model = RowTableModel(COLUMNS)
    model.set_rows(rows)
    model.sort(0, Qt.DescendingOrder)
    names = [r.name for r in model.rows]
    assert names == sorted(names, reverse=True) and model.rowCount() == 10_000
    model.sort(2, Qt.AscendingOrder)
    assert [r.id for r in model.rows[:3]] == [0, 1, 2]


def node(ident, parent, code, depth, retired=False):
    return ObjectiveNode(ident, 1, parent, code, f"Objectif {code}", None, depth, 0, retired, None, 1, "Niveau")


TREE = ObjectiveTree(1, ("Enjeu", "Orientation"), (
    node(1, None, "1", 1), node(2, 1, "1.1", 2), node(3, 1, "1.2", 2, retired=True),
    node(4, None, "2", 1, retired=True), node(5, 4, "2.1", 2, retired=True),
))


def test_objective_tree_model(qtmodeltester):
    model = ObjectiveTreeModel()
    model.set_tree(TREE)
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    first = model.index(0, 0)
    assert model.rowCount(first) == 2
    child = model.index(1, 1, first)
    assert model.data(child) == "Objectif 1.2 (retiré)"
    assert model.parent(child) == first
    assert model.index_of_id(5).parent() == model.index_of_id(4)
    model.set_show_retired(False)
    qtmodeltester.check(model)
    assert model.rowCount() == 1 and model.rowCount(model.index(0, 0)) == 1
    assert not model.index_of_id(5).isValid()


def test_bar_chart_draws(qtbot):
    chart = BarChart(series=("Quartier", "Agglomération"), unit="%")
    qtbot.addWidget(chart)
    chart.resize(600, 300)
    assert not chart.grab().isNull()  # empty state
    chart.set_groups([BarGroup("Taux de pauvreté", (40.3, 18.8)), BarGroup("Sans valeur", (None, 3.0))])
    image = chart.grab().toImage()
    assert chart.sizeHint().height() >= 160
    colours = {image.pixelColor(x, y).name() for x in range(0, 600, 4) for y in range(0, 300, 4)}
    assert "#1f4e99" in colours and "#e0a526" in colours
    assert french_number(40.3, "%") == "40,3 %" and french_number(31.0) == "31"


def test_search_line_edit_debounces(qtbot):
    edit = SearchLineEdit(delay_ms=400)
    qtbot.addWidget(edit)
    seen = []
    edit.search_changed.connect(seen.append)
    qtbot.keyClicks(edit, "dur")
    assert seen == []
    qtbot.waitUntil(lambda: seen == ["dur"], timeout=10_000)
    edit.clear()
    assert seen == ["dur", ""]
