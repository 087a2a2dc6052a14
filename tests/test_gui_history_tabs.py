"""The « Historique » of actions, meetings and contacts is readable where they are edited."""

from __future__ import annotations

import datetime as dt

import pytest

from qpv_desk.gui.context import AppContext
from qpv_desk.services import meetings, partners, programme


@pytest.fixture
def ctx(qtbot, sample_db):
    context = AppContext()
    context.set_database(sample_db)
    return context


def rows(view) -> list[str]:
    model = view.model
    return [" | ".join(str(model.index(r, c).data() or "") for c in range(model.columnCount()))
            for r in range(model.rowCount())]


def test_action_editor_has_a_history_tab(ctx, qtbot):
    from qpv_desk.gui.dialogs.action_editor import ActionEditor

    programme.change_status(ctx.db, 1, "abandonnee", dt.date(2026, 11, 20), note="Porteur dissous")
    editor = ActionEditor(ctx, None, action_id=1)
    qtbot.addWidget(editor)
    titles = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
    assert titles[-1] == "Historique"
    editor.tabs.setCurrentIndex(editor.tabs.count() - 1)
    assert any("Abandonnée" in line for line in rows(editor.history)), rows(editor.history)


def test_meeting_editor_has_a_history_tab(ctx, qtbot):
    from qpv_desk.gui.dialogs.meeting_editor import MeetingEditor

    meetings.update_meeting(ctx.db, 16, {"place": "Salle du conseil municipal"},
                            expected_version=meetings.get_meeting(ctx.db, 16).version)
    editor = MeetingEditor(ctx, 16)
    qtbot.addWidget(editor)
    assert editor.tabs.tabText(editor.tabs.count() - 1) == "Historique"
    assert any("Salle du conseil municipal" in line for line in rows(editor.history)), rows(editor.history)


def test_contact_dialog_shows_its_history(ctx, qtbot):
    from qpv_desk.gui.dialogs.person import PersonDialog

    person = partners.get_person(ctx.db, 1)
    partners.update_person(ctx.db, 1, {"function": "Cheffe de projet renouvellement urbain"},
                           expected_version=person.version)
    dialog = PersonDialog(ctx, None, partners.get_person(ctx.db, 1))
    qtbot.addWidget(dialog)
    assert any("renouvellement urbain" in line for line in rows(dialog.history)), rows(dialog.history)
