"""The one editable table model (gui/models/editable.py): edit, add, remove, errors, dirty flag."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QTableView

from qpv_desk.gui.models import ERROR_ROLE, Column, EditableRowModel
from qpv_desk.gui.models.funding import FundingModel, amount_error
from qpv_desk.gui.models.indicators import IndicatorModel
from qpv_desk.services.programme import FunderRow


@dataclass
class Line:
    label: str = ""
    amount: str = ""


def _check(key, value):
    return amount_error("Montant", value) if key == "amount" else None


def _model(**kwargs) -> EditableRowModel:
    return EditableRowModel([Column("Libellé", "label"), Column("Montant", "amount", align="right")],
                            {0: ("label", lambda r: r.label), 1: ("amount", lambda r: r.amount)},
                            new_row=Line, check=_check, **kwargs)


def test_edit_in_the_model_marks_it_dirty(qtmodeltester, qtbot):
    model = _model()
    model.set_rows([Line("Loyer", "1200"), Line("Repas", "")])
    qtmodeltester.check(model)
    assert not model.dirty
    assert model.flags(model.index(0, 1)) & Qt.ItemIsEditable
    assert model.data(model.index(0, 1), Qt.EditRole) == "1200"
    with qtbot.waitSignal(model.changed):
        assert model.setData(model.index(1, 1), "  35,50 ")
    assert model.rows[1].amount == "35,50"  # stored stripped, as typed
    assert model.data(model.index(1, 1)) == "35,50"
    assert model.dirty
    assert not model.setData(model.index(1, 1), "35,50")  # the same value: nothing changes
    model.mark_clean()
    assert not model.dirty
    model.set_rows([Line("X")])
    assert not model.dirty


def test_add_and_remove_rows(qtmodeltester):
    model = _model()
    model.set_rows([Line("A")])
    assert model.add_row() == 1
    assert model.rowCount() == 2 and model.rows[1] == Line()
    assert model.dirty
    model.mark_clean()
    assert model.add_row(Line("C", "3")) == 2
    assert model.remove_row(0)
    assert [r.label for r in model.rows] == ["", "C"]
    assert not model.remove_row(7)  # out of range: nothing
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_a_refused_value_is_kept_and_shown_in_red_with_its_reason():
    model = _model()
    model.set_rows([Line("Loyer", "12O0"), Line("Repas", "35")])
    bad, good = model.index(0, 1), model.index(1, 1)
    assert model.data(bad) == "12O0"  # nothing typed is lost
    assert "n'est pas un montant valide" in model.data(bad, ERROR_ROLE)
    assert model.data(bad, Qt.ToolTipRole) == model.data(bad, ERROR_ROLE)
    assert model.data(bad, Qt.ForegroundRole).color().name() == "#b3261e"
    assert model.data(good, ERROR_ROLE) is None and model.data(good, Qt.ForegroundRole) is None
    assert [(r, c) for r, c, _m in model.errors()] == [(0, 1)]
    model.setData(bad, "1200")
    assert model.errors() == []


def test_through_a_service_the_callback_decides_and_nothing_is_stored():
    calls = []
    model = _model(on_edit=lambda row, key, value: calls.append((row.label, key, value)) or value != "refusé")
    model.set_rows([Line("Loyer", "1")])
    assert model.setData(model.index(0, 0), "Bail")
    assert not model.setData(model.index(0, 0), "refusé")
    assert not model.setData(model.index(0, 0), "Loyer")  # unchanged: the service is not called
    assert calls == [("Loyer", "label", "Bail"), ("Loyer", "label", "refusé")]
    assert model.rows[0].label == "Loyer" and not model.dirty  # the editor reloads from the service


def test_emphasis_shows_a_row_in_red_bold():
    model = _model(emphasis=lambda r: r.label == "retard")
    model.set_rows([Line("retard"), Line("ok")])
    assert model.data(model.index(0, 0), Qt.FontRole).bold()
    assert model.data(model.index(1, 0), Qt.FontRole) is None


def test_typing_in_a_funding_cell_like_a_user(qtbot):
    model = FundingModel()
    model.set_lines([FunderRow(1, "ETAT", "État", True, 10_000, False), FunderRow(2, "VIL", "Ville", False, 10_000, False)], ())
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.AllEditTriggers)
    view.show()
    qtbot.waitExposed(view)
    view.setFocus()
    view.setCurrentIndex(model.index(1, 1))
    qtbot.keyClick(view, Qt.Key_F2)  # the user opens the cell editor
    line = next(w for w in view.findChildren(QLineEdit) if w.isVisible())
    qtbot.keyClicks(line, "2500,5")
    qtbot.keyClick(line, Qt.Key_Return)
    QApplication.processEvents()
    assert model.entries[1].requested == "2500,5"
    assert model.data(model.index(1, 1)) == "2\u202f500,50\u00a0€"
    assert model.totals() == (250050, 0, 0)
    assert model.dirty
    assert model.data(model.index(0, 0), Qt.FontRole).bold()  # the State's funder stands out
    model.setData(model.index(0, 2), "beaucoup")
    assert "Accordé" in model.data(model.index(0, 2), ERROR_ROLE)


def test_indicators_are_rows_added_and_removed():
    model = IndicatorModel()
    row = model.add_row()
    model.setData(model.index(row, 0), "Participants")
    model.setData(model.index(row, 2), "40")
    assert model.values() == [{"label": "Participants", "unit": "", "target": "40", "result": ""}]
    model.remove_row(0)
    assert model.values() == []
