"""Fichier ▸ Fusionner la base d'une commune…, driven like the user (issue 16)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from gui_helpers import close_window, make_window
from merge_data import build_commune, build_target
from qpv_desk.gui import welcome
from qpv_desk.gui.dialogs.merge import MergeDialog
from qpv_desk.store.db import open_database
from qpv_desk.store.models import Attendance, Meeting, Organisation, Quartier


@pytest.fixture
def bases(tmp_path):
    target = tmp_path / "agglo.sqlite"
    with open_database(target, create=True) as db:
        build_target(db)
    source = tmp_path / "lens.sqlite"
    with open_database(source, create=True) as db:
        build_commune(db, "Lens", ("QN 62 001", "QN 62 002"), "CENTRE SOCIAL les ilots", "Amicale de Lens")
    return target, source


def _choose(qtbot, combo, downs: int) -> None:
    combo.setFocus()
    for _ in range(downs):
        qtbot.keyClick(combo, Qt.Key_Down)


def test_she_decides_each_clash_and_the_commune_comes_in(qtbot, bases, monkeypatch, messages):
    target, source = bases
    window = make_window(qtbot, target)
    monkeypatch.setattr(welcome, "ask_merge_source_path", lambda parent: source)
    seen = {}

    def ask(cls, parent, plan):
        dialog = cls(plan, parent)
        qtbot.addWidget(dialog)
        dialog.show()
        names = [dialog.model.index(r, 1).data() for r in range(dialog.model.rowCount())]
        assert names == ["CENTRE SOCIAL les ilots", "Mission locale", "M. Paul Conseiller"]
        kinds = [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]
        assert kinds == ["Organisme", "Organisme", "Contact"]  # her words, not the internal « O12 » / « P7 »
        assert dialog.view.verticalHeader().isHidden()
        assert dialog.model.index(1, 4).data() == "Mission locale (Lens)"
        assert "Lens" in dialog.summary.text() and "3 doublons possibles" in dialog.summary.text()
        assert not dialog.merge_button.isEnabled()
        _choose(qtbot, dialog.combos[0], 1)  # même organisme
        _choose(qtbot, dialog.combos[1], 2)  # organismes distincts
        assert not dialog.merge_button.isEnabled()  # the contact is still undecided
        _choose(qtbot, dialog.combos[2], 1)  # même personne
        assert dialog.combos[2].currentText() == "Même personne"
        assert dialog.merge_button.isEnabled()
        qtbot.mouseClick(dialog.merge_button, Qt.LeftButton)
        seen["result"] = dialog.result()
        return dialog.resolutions()

    monkeypatch.setattr(MergeDialog, "ask", classmethod(ask))
    window.action_merge.trigger()
    qtbot.waitUntil(lambda: any(kind == "info" for kind, _ in messages), timeout=60_000)
    window.ctx.wait_for_background()

    assert seen["result"] == MergeDialog.DialogCode.Accepted
    info = next(text for kind, text in messages if kind == "info")
    assert info.startswith("Fusion vérifiée : Lens (QN 62 001, QN 62 002)") and "2 fiches réunies" in info and "(s)" not in info
    with window.ctx.db.reader() as s:
        meeting = s.scalars(select(Meeting).join(Quartier).where(Quartier.code == "QN 62 001")).one()
        orgs = sorted(a.organisation.name for a in meeting.attendances)
        assert orgs == ["Centre social Les Îlots", "Mission locale (Lens)"]
        assert s.scalar(select(func.count()).select_from(Organisation)) == 5
        assert s.scalar(select(func.count()).select_from(Attendance)) == 4
    close_window(window)


def test_another_contract_is_refused_with_her_message(qtbot, bases, tmp_path, monkeypatch, messages):
    target, _ = bases
    other = tmp_path / "lievin.sqlite"
    with open_database(other, create=True) as db:
        build_commune(db, "Liévin", ("QN 62 100", "QN 62 101"), "Centre", "Amicale", contract="CV-LIEVIN")
    window = make_window(qtbot, target)
    monkeypatch.setattr(welcome, "ask_merge_source_path", lambda parent: other)
    monkeypatch.setattr(MergeDialog, "ask", classmethod(lambda cls, parent, plan: pytest.fail("pas de dialogue")))

    window.action_merge.trigger()

    assert messages and messages[-1][0] == "error" and "ne partagent pas le contrat de ville" in messages[-1][1]
    with window.ctx.db.reader() as s:
        assert s.scalar(select(func.count()).select_from(Quartier)) == 2
    close_window(window)


def test_the_menu_entry_is_greyed_without_a_base(qtbot):
    window = make_window(qtbot)
    assert not window.action_merge.isEnabled()
    close_window(window)


def test_escape_asks_before_dropping_her_decisions(qtbot, bases, messages):
    from qpv_desk.services.database import open_base
    from qpv_desk.services.merge import plan_merge

    target, source = bases
    with open_base(target) as db:
        plan = plan_merge(db, source)
    dialog = MergeDialog(plan)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key_Escape)  # nothing decided yet: closes without a question
    assert not dialog.isVisible() and messages.asked == []
    dialog.show()
    _choose(qtbot, dialog.combos[0], 1)
    messages.answer = False
    qtbot.keyClick(dialog.combos[0], Qt.Key_Escape)
    assert dialog.isVisible() and messages.asked == [
        "Abandonner la fusion ? La décision prise sur un doublon possible ne sera pas gardée."]
    assert dialog.combos[0].currentData() is not None  # her decision is still there
    messages.answer = True
    dialog.close()
    assert not dialog.isVisible() and len(messages.asked) == 2
