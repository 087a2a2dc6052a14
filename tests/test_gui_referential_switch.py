"""Choosing another quartier never drops what she typed for the one shown (issue 12, defect 1)."""

from __future__ import annotations

import pytest

from qpv_desk.gui.dialogs import base as dialog_base
from qpv_desk.services import portrait
from qpv_desk.store.models import Quartier


@pytest.mark.parametrize("answer", ["cancel", "discard", "save"])
def test_switching_quartier_asks_first(qtbot, ref_page, verquin_db, monkeypatch, answer):
    with verquin_db.session() as s:
        first = s.query(Quartier).first()
        s.add(Quartier(contract_id=first.contract_id, code="QP 06 20 99", name="Autre quartier", status="QPV"))
    ref_page.refresh()
    tab = ref_page.territory
    assert tab.ui.quartier.count() == 2
    tab.ui.quartier.setCurrentIndex(0)
    shown = tab.ui.quartier.currentData()
    tab.ui.quartier_name.clear()
    qtbot.keyClicks(tab.ui.quartier_name, "Les Trois Ilots")
    asked = []
    choice = {"cancel": dialog_base.CANCEL, "discard": dialog_base.DISCARD, "save": dialog_base.SAVE}[answer]
    monkeypatch.setattr(dialog_base, "ask_unsaved", lambda parent, what="": asked.append(what) or choice)
    tab.ui.quartier.setCurrentIndex(1)
    assert asked == ["Les informations du contrat et du quartier"]
    names = {q.id: q.name for q in portrait.quartiers(verquin_db)}
    if answer == "cancel":  # she stays on the quartier she was editing, her text on screen
        assert tab.ui.quartier.currentData() == shown and tab.ui.quartier_name.text() == "Les Trois Ilots"
        assert names[shown] != "Les Trois Ilots"
    else:
        assert tab.ui.quartier.currentData() != shown and tab.ui.quartier_name.text() == "Autre quartier"
        assert (names[shown] == "Les Trois Ilots") is (answer == "save")
