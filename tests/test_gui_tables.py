"""One table set-up (gui/widgets/tables.py): the house behaviour and the remembered layout."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeView

from qpv_desk.gui.models import Column, ObjectiveTreeModel, RowTableModel
from qpv_desk.gui.settings import Settings, table_layout
from qpv_desk.gui.widgets.headers import WrappingHeader, cut_titles
from qpv_desk.gui.widgets.tables import apply_layout, layout_text, setup_table


@dataclass(frozen=True)
class Row:
    id: int
    name: str
    town: str


COLUMNS = [Column("Nom de la structure", "name", width=150), Column("Commune", "town", width=120),
           Column("Numéro", "id", align="right")]
ROWS = [Row(1, "Bravo", "Verquin"), Row(2, "alpha", "Béthune"), Row(3, "Charlie", "Annezin")]


def _view(qtbot, **kwargs) -> tuple[QTableView, RowTableModel]:
    model = RowTableModel(COLUMNS)
    model.set_rows(ROWS)
    view = QTableView()
    qtbot.addWidget(view)
    setup_table(view, model, **kwargs)
    view.resize(600, 300)
    view.show()
    qtbot.waitExposed(view)
    return view, model


def test_the_house_list(qtbot):
    opened = []
    view, model = _view(qtbot, sort=-1, open=lambda: opened.append(model.row_at(view.currentIndex())))
    assert view.selectionBehavior() == QAbstractItemView.SelectRows
    assert view.selectionMode() == QAbstractItemView.SingleSelection
    assert view.editTriggers() == QAbstractItemView.NoEditTriggers
    assert view.alternatingRowColors() and not view.verticalHeader().isVisible()
    assert isinstance(view.horizontalHeader(), WrappingHeader) and cut_titles(view) == []
    assert view.columnWidth(1) == 120
    assert [r.id for r in model.rows] == [1, 2, 3]  # sortable, but in the order given until a title is clicked
    header = view.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(0) + 20, header.height() // 2))  # « Nom… »
    assert [r.name for r in model.rows] == ["alpha", "Bravo", "Charlie"]
    view.setFocus()
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key_Down)  # the arrows move in the list
    qtbot.keyClick(view, Qt.Key_Return)  # Enter opens
    assert opened == [ROWS[0]]  # « Bravo », second once sorted
    assert not view.tabKeyNavigation()  # Tab leaves a read-only list


def test_sorted_by_a_column_on_request(qtbot):
    _view_, model = _view(qtbot, sort=0, order=Qt.DescendingOrder)
    assert [r.name for r in model.rows] == ["Charlie", "Bravo", "alpha"]


def test_an_editable_list_and_a_tree(qtbot):
    view, _model = _view(qtbot, edit=True, stretch="auto", cells=True)
    assert view.editTriggers() & QAbstractItemView.DoubleClicked
    assert view.selectionBehavior() == QAbstractItemView.SelectItems
    assert view.horizontalHeader().sectionResizeMode(2) == QHeaderView.Stretch  # no width: the rest
    assert view.horizontalHeader().sectionResizeMode(0) == QHeaderView.Interactive
    tree = QTreeView()
    qtbot.addWidget(tree)
    setup_table(tree, ObjectiveTreeModel(), stretch=1)
    assert tree.selectionBehavior() == QAbstractItemView.SelectRows and tree.alternatingRowColors()
    assert tree.header().sectionResizeMode(1) == QHeaderView.Stretch


def test_widths_and_order_are_remembered_under_the_list_name(qtbot):
    view, _model = _view(qtbot, name="essai")
    header = view.horizontalHeader()
    header.resizeSection(0, 230)
    header.moveSection(2, 0)  # « Numéro » first
    saved = Settings().get(table_layout("essai"))
    assert saved.split(";")[1] == "2,0,1"
    assert saved.split(";")[0].split(",")[0] == "230"

    again, _m = _view(qtbot, name="essai")  # the next session
    header = again.horizontalHeader()
    assert header.sectionSize(0) == 230
    assert [header.logicalIndex(v) for v in range(3)] == [2, 0, 1]
    other, _m = _view(qtbot, name="autre")  # another list keeps its defaults
    assert other.horizontalHeader().sectionSize(0) == 150 and other.horizontalHeader().logicalIndex(0) == 0


def test_a_layout_that_no_longer_fits_is_ignored(qtbot):
    view, _model = _view(qtbot)
    header = view.horizontalHeader()
    before = layout_text(header)
    assert not apply_layout(header, "100,100;1,0")  # two columns saved, three shown now
    assert not apply_layout(header, "n'importe quoi")
    assert layout_text(header) == before


def test_the_meetings_page_remembers_its_columns(qtbot, sample_db):
    from qpv_desk.gui.context import AppContext
    from qpv_desk.gui.pages.meetings import MeetingsPage

    ctx = AppContext()
    ctx.set_database(sample_db)
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    page.view.horizontalHeader().resizeSection(1, 333)
    second = MeetingsPage(ctx)
    qtbot.addWidget(second)
    assert second.view.horizontalHeader().sectionSize(1) == 333
