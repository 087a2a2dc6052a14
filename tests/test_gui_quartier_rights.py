"""On the agglomeration's server a référente writes her quartier only (issue 16): the
records of the other quartiers are greyed, their editors open read-only, with the reason."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from pgserver import as_login
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.dialogs.action_editor import ActionEditor
from qpv_desk.gui.dialogs.meeting_editor import MeetingEditor
from qpv_desk.gui.main_window import MainWindow
from qpv_desk.services import meetings as M
from qpv_desk.services import programme as P
from qpv_desk.services.database import open_base

pytestmark = pytest.mark.postgres

REASON = ("Lecture seule : vous êtes référent(e) du quartier « QP 06 20 09 – {mine} », "
          "pas de « QP 06 20 99 – Autre quartier »")


@pytest.fixture
def alice(qtbot, server_base, messages):
    ctx = AppContext()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    db = open_base(as_login(server_base["url"], "alice"))
    window.adopt_database(db)
    mine = dict(ctx.rights.quartier_names)[ctx.rights.quartier_ids[0]].split(" – ", 1)[1]
    yield ctx, window, db, REASON.format(mine=mine)
    ctx.set_database(None)
    db.close()


def test_her_action_is_editable_the_other_quartier_s_is_greyed_with_the_reason(qtbot, server_base, alice):
    ctx, window, db, reason = alice
    b = server_base
    other, mine = P.get_action(db, b["other_action"]), P.get_action(db, b["mine_action"])
    window.show_page("programme")
    page = window.page("programme")
    page.apply_filters({"year": other.year})
    row = page.model.find_id(other.id)
    page.view.setCurrentIndex(page.model.index(row, 0))
    assert page.rights_note.isVisibleTo(page) and page.rights_note.text().startswith(reason)
    assert not page.renew_button.isEnabled() and page.renew_button.toolTip().startswith(reason)
    grey = QApplication.instance().palette().color(QPalette.Disabled, QPalette.Text)
    assert page.model.index(row, 2).data(Qt.ForegroundRole).color() == grey
    assert page.model.index(row, 2).data(Qt.ToolTipRole).startswith(reason)
    page.apply_filters({"year": mine.year})
    row = page.model.find_id(mine.id)
    page.view.setCurrentIndex(page.model.index(row, 0))
    assert page.rights_note.isHidden() and page.renew_button.isEnabled()
    assert page.model.index(row, 2).data(Qt.ToolTipRole) != reason

    editor = ActionEditor(ctx, window, action_id=other.id)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.lock_banner.isVisible() and editor.lock_banner.text().startswith(reason)
    assert not editor.save_button.isEnabled() and editor.save_button.toolTip().startswith(reason)
    assert editor.title.isReadOnly() and not editor.add_funder_button.isEnabled()
    assert editor.save() is False  # even if something called it: nothing is sent to the server
    editor.close()

    editor = ActionEditor(ctx, window, action_id=mine.id)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.lock_banner.isHidden() and editor.save_button.isEnabled() and not editor.title.isReadOnly()
    other_index = editor.quartier.findData(other.quartier_id)  # she cannot move it to another quartier
    assert not editor.quartier.model().item(other_index).isEnabled()
    assert editor.quartier.itemData(other_index, Qt.ToolTipRole).startswith(reason)
    assert editor.quartier.model().item(editor.quartier.findData(mine.quartier_id)).isEnabled()
    editor.title.clear()
    qtbot.keyClicks(editor.title, "Action de mon quartier")
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    assert P.get_action(db, mine.id).title == "Action de mon quartier"

    editor = ActionEditor(ctx, window, year=mine.year)  # a new action: in her quartier only
    qtbot.addWidget(editor)
    assert [editor.quartier.itemData(i) for i in range(editor.quartier.count())] == [mine.quartier_id]
    assert editor.save_button.isEnabled() and editor.lock_banner.isHidden()
    editor.close()


def test_her_meeting_is_editable_the_other_quartier_s_is_greyed_with_the_reason(qtbot, server_base, alice):
    ctx, window, db, reason = alice
    b = server_base
    window.show_page("meetings")
    page = window.page("meetings")
    page.apply_filters({"body_id": None, "year": None, "status": None})
    page.reload()
    row = page.model.find_id(b["other_meeting"])
    page.view.selectRow(row)
    assert not page.delete_button.isEnabled() and page.delete_button.toolTip().startswith(reason)
    assert page.rights_note.text().startswith(reason)
    row = page.model.find_id(b["mine_meeting"])
    page.view.selectRow(row)
    assert page.delete_button.isEnabled() and page.rights_note.isHidden()

    editor = MeetingEditor(ctx, b["other_meeting"], window)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.lock_banner.isVisible() and editor.lock_banner.text().startswith(reason)
    assert editor.info.place.isReadOnly() and not editor.info.save_button.isEnabled()
    assert editor.info.save_button.toolTip().startswith(reason)
    before = M.get_meeting(db, b["other_meeting"]).place
    assert editor.attempt(M.update_meeting, db, b["other_meeting"], {"place": "Ailleurs"},
                          expected_version=M.get_meeting(db, b["other_meeting"]).version) == (False, None)
    assert M.get_meeting(db, b["other_meeting"]).place == before
    editor.close()

    editor = MeetingEditor(ctx, b["mine_meeting"], window)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.lock_banner.isHidden() and editor.info.save_button.isEnabled()
    editor.info.place.clear()
    qtbot.keyClicks(editor.info.place, "Salle des fetes")
    qtbot.mouseClick(editor.info.save_button, Qt.LeftButton)
    assert M.get_meeting(db, b["mine_meeting"]).place == "Salle des fetes"
    editor.close()


def test_the_reason_names_her_quartiers():
    from qpv_desk.services.server import Rights

    names = ((1, "A – Nord"), (2, "B – Sud"), (3, "C – Est"))
    two = Rights("referent", (1, 2), names)
    assert two.may_edit_quartier(2) and not two.may_edit_quartier(3) and two.quartier_reason(1) == ""
    assert two.quartier_reason(3).startswith(
        "Lecture seule : vous êtes référent(e) des quartiers « A – Nord » et « B – Sud », pas de « C – Est »")
    assert "aucun quartier" in two.quartier_reason(None)
    assert Rights(None).quartier_reason(3) == "" and Rights("administrateur").quartier_reason(3) == ""
    assert "rôle lecteur" in Rights("lecteur").quartier_reason(1)
