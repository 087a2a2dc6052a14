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


@pytest.fixture
def db(sqlite_db):
    return sqlite_db


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


# ---------------------------------------------------------------- the Rapports page


@pytest.fixture
def reports(qtbot, sqlite_db, messages, monkeypatch, tmp_path):
    from programme_data import programme

    from qpv_desk.gui.pages import reports_outputs
    from qpv_desk.gui.pages import reports as reports_page
    from qpv_desk.gui.pages.reports import ReportsPage

    seed = programme(sqlite_db)
    ctx = AppContext()
    ctx.set_database(sqlite_db)
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    page.opened = []
    page.asked = []
    monkeypatch.setattr(reports_page, "open_in_system", lambda path: page.opened.append(path) or True)
    monkeypatch.setattr(reports_outputs, "ask_output_path",
                        lambda parent, title, suggested: page.asked.append(suggested) or tmp_path / suggested.name)
    page.seed = seed
    yield page
    ctx.wait_for_background()


def test_settings_avis_and_rapport_from_the_reports_page(qtbot, reports, sqlite_db, messages):
    from docx import Document

    from qpv_desk.gui.dialogs.outputs import CitizenAvisDialog, SendingSettingsDialog
    from qpv_desk.services.sending import sending_settings

    box = reports.outputs
    qtbot.mouseClick(box.settings_button, Qt.LeftButton)
    dialog = box.dialog
    assert isinstance(dialog, SendingSettingsDialog)
    qtbot.keyClicks(dialog.edits["organiser_name"], "Claire Martin")
    qtbot.keyClicks(dialog.edits["organiser_email"], "claire.martin")
    qtbot.keyClicks(dialog.edits["dgs_recipients"], "dgs@verquin.fr; maire@")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible()  # refused: both bad fields shown, nothing saved
    assert "claire.martin" in dialog.errors.message("organiser_email")
    assert "maire@" in dialog.errors.message("dgs_recipients")
    assert sending_settings(sqlite_db).organiser_email == ""
    qtbot.keyClicks(dialog.edits["organiser_email"], "@verquin.fr")
    qtbot.keyClicks(dialog.edits["dgs_recipients"], "verquin.fr")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible()
    assert sending_settings(sqlite_db).dgs_recipients == ("dgs@verquin.fr", "maire@verquin.fr")

    box.year.setCurrentIndex(box.year.findData(2026))
    qtbot.mouseClick(box.avis_button, Qt.LeftButton)
    avis = box.dialog
    assert isinstance(avis, CitizenAvisDialog)
    qtbot.keyClicks(avis.text, "Le conseil citoyen approuve le rapport.")
    avis.buttons.button(avis.buttons.StandardButton.Ok).click()
    assert "enregistré pour le rapport 2026" in box.status.text()

    qtbot.mouseClick(box.rapport_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(reports.opened) == 1, timeout=30_000)
    assert reports.asked[-1].name == "rapport-politique-de-la-ville-2026.docx"
    doc = Document(str(reports.opened[0]))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Rapport annuel 2026" in text and "Le conseil citoyen approuve le rapport." in text


def test_workbook_mail_and_programme_changes(qtbot, reports, sqlite_db, messages, monkeypatch):
    import datetime as dt
    import io

    import openpyxl
    from sqlalchemy import select

    from qpv_desk.gui.dialogs.outputs import ProgrammeChangesDialog
    from qpv_desk.services import programme as P
    from qpv_desk.store.models import Body

    box = reports.outputs
    # no snapshot yet: the dialog says how to get one
    qtbot.mouseClick(box.changes_button, Qt.LeftButton)
    dialog = box.dialog
    assert isinstance(dialog, ProgrammeChangesDialog)
    assert dialog.model.rowCount() == 0 and "Aucune photographie" in dialog.totals.text()
    qtbot.mouseClick(dialog.snapshot_button, Qt.LeftButton)
    assert dialog.since.count() == 1
    P.change_status(sqlite_db, reports.seed.actions["Forum emploi"], "a_justifier", dt.date(2026, 4, 1))
    from threads import watch

    from qpv_desk.gui.dialogs import outputs

    compared = watch(monkeypatch, outputs.S, "compare_snapshots")
    dialog.compare()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10_000)
    assert compared == [False]  # compared off the GUI thread
    row = dialog.model.row_at(0) if hasattr(dialog.model, "row_at") else dialog.model.rows[0]
    assert (row.kind, row.action, row.detail) == ("Statut", "Forum emploi", "Clôturée → À justifier")
    # against itself: nothing
    dialog.until.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not dialog.comparing, timeout=10_000)
    assert dialog.model.rowCount() == 0 and compared == [False, False]
    dialog.close()

    # a held COPIL, then the workbook's e-mail to the DGS carries the « Évolutions » sheet
    from qpv_desk.services import meetings as M
    from qpv_desk.services.sending import update_sending_settings

    update_sending_settings(sqlite_db, {"dgs_recipients": "dgs@verquin.fr"})
    with sqlite_db.reader() as s:
        copil = s.scalar(select(Body.id).where(Body.code == "COPIL"))
    mid = M.create_meeting(sqlite_db, copil, dt.date(2026, 5, 5))
    M.update_meeting(sqlite_db, mid, {"status": "tenue"}, expected_version=M.get_meeting(sqlite_db, mid).version)
    P.change_status(sqlite_db, reports.seed.actions["Forum emploi"], "justifiee", dt.date(2026, 6, 1))
    reports.year.setCurrentIndex(reports.year.findData(2026))
    qtbot.mouseClick(box.mail_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(reports.opened) == 1, timeout=30_000)
    msg = email.message_from_bytes(reports.opened[0].read_bytes(), policy=policy.default)
    assert msg["X-Unsent"] == "1" and [a.addr_spec for a in msg["To"].addresses] == ["dgs@verquin.fr"]
    (part,) = list(msg.iter_attachments())
    wb = openpyxl.load_workbook(io.BytesIO(part.get_content()))
    ws = wb["Évolutions depuis le COPIL"]
    assert ws["A1"].value == "Évolutions depuis le COPIL du 05/05/2026"
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "À justifier" in values and "Justifiée" in values
