"""Invitation, e-mail drafts, snapshots comparison and rapport annuel driven from the screens."""

from __future__ import annotations

import email
from email import policy

import icalendar
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import update

from meetings_data import GT_DAY, build_world
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.dialogs import meeting_editor as editor_module
from qpv_desk.gui.dialogs.meeting_editor import MeetingEditor
from qpv_desk.services import meetings as M
from qpv_desk.services.sending import update_sending_settings
from qpv_desk.store.db import open_database


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "base.sqlite", create=True)
    yield database
    database.close()


@pytest.fixture
def meeting(db):
    from qpv_desk.store.models import Person

    world = build_world(db)
    with db.session() as s:
        s.execute(update(Person).where(Person.id == world.persons["caf"]).values(email=None))
    mid = M.create_meeting(db, world.gt_id, GT_DAY, start_time="14:00", end_time="16:00", place="Mairie")
    M.add_agenda_item(db, mid, "Programmation 2025")
    update_sending_settings(db, {"organiser_name": "Claire Martin", "organiser_email": "claire@verquin.fr"})
    return world, mid


@pytest.fixture
def editor(qtbot, db, meeting, messages, monkeypatch, tmp_path):
    ctx = AppContext()
    ctx.set_database(db)
    dialog = MeetingEditor(ctx, meeting[1])
    qtbot.addWidget(dialog)
    dialog.show()
    opened = []
    monkeypatch.setattr(editor_module, "choose_folder", lambda parent, start: tmp_path)
    monkeypatch.setattr(editor_module, "open_file", lambda path: opened.append(path) or True)
    dialog.opened = opened
    return dialog


def test_invitation_button_then_change_then_again(qtbot, editor, db, meeting, messages, tmp_path):
    qtbot.mouseClick(editor.outputs.invitation_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(editor.opened) == 1, timeout=20_000)
    path = editor.opened[0]
    assert path == tmp_path / "invitation-GT-2025-01-14.ics"
    first = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
    assert messages[-1][0] == "info" and "Sophie Petit (CAF du Pas-de-Calais)" in messages[-1][1]
    # the user moves the meeting to 15:00 in the Informations tab, saves, exports again
    editor.info.start.clear()
    qtbot.keyClicks(editor.info.start, "15:00")
    editor.info.end.clear()
    qtbot.keyClicks(editor.info.end, "17:00")
    qtbot.mouseClick(editor.info.save_button, Qt.LeftButton)
    qtbot.mouseClick(editor.outputs.invitation_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(editor.opened) == 2, timeout=20_000)
    second = icalendar.Calendar.from_ical(editor.opened[1].read_bytes()).walk("VEVENT")[0]
    assert str(second["UID"]) == str(first["UID"]) and second["SEQUENCE"] == 1
    assert second.decoded("DTSTART").hour == 15


def test_mail_buttons_write_drafts(qtbot, editor, messages, tmp_path):
    qtbot.mouseClick(editor.outputs.mail_buttons["convocation"], Qt.LeftButton)
    qtbot.waitUntil(lambda: len(editor.opened) == 1, timeout=20_000)
    msg = email.message_from_bytes(editor.opened[0].read_bytes(), policy=policy.default)
    assert msg["X-Unsent"] == "1" and msg["Subject"].startswith("Convocation – Groupe technique")
    assert sorted(p.get_content_type() for p in msg.iter_attachments()) == [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "text/calendar"]
    assert "Sophie Petit" in messages[-1][1]
    qtbot.mouseClick(editor.outputs.mail_buttons["minutes"], Qt.LeftButton)
    qtbot.waitUntil(lambda: len(editor.opened) == 2, timeout=20_000)
    msg = email.message_from_bytes(editor.opened[1].read_bytes(), policy=policy.default)
    assert msg["Subject"].startswith("Compte rendu (projet)")
