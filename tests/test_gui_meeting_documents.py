"""The documents' settings and the compte rendu's validation, driven like a user."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document
from PySide6.QtCore import Qt

from meetings_data import GT_DAY, build_world, tiny_png
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.dialogs import meeting_editor as editor_module
from qpv_desk.gui.dialogs.documents_settings import DocumentsSettingsDialog
from qpv_desk.gui.dialogs.meeting_editor import MeetingEditor
from qpv_desk.services import meeting_documents as MD
from qpv_desk.services import meetings as M


@pytest.fixture
def db(sqlite_db):
    return sqlite_db


@pytest.fixture
def world(db):
    return build_world(db)


@pytest.fixture
def ctx(db, world, messages):
    context = AppContext()
    context.set_database(db)
    return context


def test_letterhead_and_signatories_in_their_dialog(qtbot, ctx, db, world, tmp_path, messages):
    logo = tmp_path / "logo.png"
    logo.write_bytes(tiny_png())
    dialog = DocumentsSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.ask_logo_path = lambda: logo
    qtbot.keyClicks(dialog.address, "Mairie de Verquin")
    qtbot.mouseClick(dialog.choose_logo, Qt.LeftButton)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.LeftButton)
    head = MD.letterhead(db)
    assert head.address == "Mairie de Verquin" and head.logo == tiny_png() and head.logo_name == "logo.png"

    dialog.body.setCurrentIndex(dialog.body.findData(world.copil_id))
    dialog.signatories.clear()
    qtbot.keyClicks(dialog.signatories, "M. Jean Maire ; Maire de Verquin")
    qtbot.mouseClick(dialog.save_signatories, Qt.LeftButton)
    assert MD.body_signatories(db, world.copil_id).people == (("M. Jean Maire", "Maire de Verquin"),)

    qtbot.mouseClick(dialog.remove_logo, Qt.LeftButton)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.LeftButton)
    assert MD.letterhead(db).logo is None
    assert not [m for m in messages if m[0] == "error"], messages


@pytest.mark.parametrize("answer", ["cancel", "discard", "save"])
def test_escape_in_the_letterhead_dialog_never_drops_typed_text(qtbot, ctx, db, world, monkeypatch, answer):
    from qpv_desk.gui.dialogs import base as dialog_base

    dialog = DocumentsSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.address, "Mairie de Verquin")
    dialog.body.setCurrentIndex(dialog.body.findData(world.copil_id))
    qtbot.keyClicks(dialog.signatories, "M. Jean Maire ; Maire")
    asked = []
    monkeypatch.setattr(dialog_base, "ask_unsaved", lambda parent, what="": asked.append(what) or answer)
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert asked == ["L'en-tête ou les signataires"]
    assert dialog.isVisible() is (answer == "cancel")
    saved = answer == "save"
    assert (MD.letterhead(db).address == "Mairie de Verquin") is saved
    assert (MD.body_signatories(db, world.copil_id).people == (("M. Jean Maire", "Maire"),)) is saved
    if answer == "cancel":
        assert dialog.address.toPlainText() == "Mairie de Verquin"


def test_no_logo_to_remove_and_closing_asks_nothing(qtbot, ctx, db, monkeypatch, tmp_path):
    """Without a logo « Retirer le logo » is greyed: clicking it used to make « Aucun logo »
    an unsaved change, so closing asked to save what she had not changed."""
    from qpv_desk.gui.dialogs import base as dialog_base

    asked = []
    monkeypatch.setattr(dialog_base, "ask_unsaved", lambda parent, what="": asked.append(what) or dialog_base.CANCEL)
    dialog = DocumentsSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.logo_label.text() == "Aucun logo" and not dialog.remove_logo.isEnabled()
    qtbot.mouseClick(dialog.remove_logo, Qt.LeftButton)
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert not dialog.isVisible() and asked == []

    logo = tmp_path / "logo.png"
    logo.write_bytes(tiny_png())
    dialog = DocumentsSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ask_logo_path = lambda: logo
    qtbot.mouseClick(dialog.choose_logo, Qt.LeftButton)
    assert dialog.remove_logo.isEnabled()
    qtbot.mouseClick(dialog.remove_logo, Qt.LeftButton)
    assert dialog.logo_label.text() == "Aucun logo" and not dialog.remove_logo.isEnabled()


def test_validate_then_unvalidate_the_minutes_from_the_editor(qtbot, ctx, db, world, messages, monkeypatch):
    mid = M.create_meeting(db, world.gt_id, GT_DAY, start_time="14:00")
    M.update_meeting(db, mid, {"status": "tenue"}, expected_version=M.get_meeting(db, mid).version)
    asked: list[str] = []
    answers = [False, True, True]
    monkeypatch.setattr(AppContext, "confirm", staticmethod(lambda parent, msg, title="": asked.append(msg)
                                                            or answers.pop(0)))
    editor = MeetingEditor(ctx, mid)
    qtbot.addWidget(editor)
    assert editor.validate_button.text() == "Valider le compte rendu…"
    qtbot.mouseClick(editor.validate_button, Qt.LeftButton)  # she says no: nothing changes
    assert "figé" in asked[0] and MD.minutes_record(db, mid) is None
    qtbot.mouseClick(editor.validate_button, Qt.LeftButton)
    record = MD.minutes_record(db, mid)
    assert record is not None and record.validated_on == dt.date.today()
    assert editor.validate_button.text() == "Dévalider le compte rendu…"
    assert editor.info.status.currentData() == "cr_valide"

    monkeypatch.setattr(editor_module, "ask_reason", lambda parent: ("Erreur de date", True))
    qtbot.mouseClick(editor.validate_button, Qt.LeftButton)
    assert "historique" in asked[-1]
    assert MD.minutes_record(db, mid) is None
    assert editor.validate_button.text() == "Valider le compte rendu…"
    assert M.get_meeting(db, mid).status.value == "tenue"


def test_reply_by_date_typed_in_the_information_tab(qtbot, ctx, db, world, messages):
    mid = M.create_meeting(db, world.gt_id, GT_DAY, start_time="14:00")
    editor = MeetingEditor(ctx, mid)
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.info.reply_by, "07/01/2025")
    qtbot.mouseClick(editor.info.save_button, Qt.LeftButton)
    assert MD.meeting_reply_by(db, mid) == dt.date(2025, 1, 7)
    assert editor.info.reply_by.text() == "07/01/2025"
    editor.info.reply_by.clear()
    qtbot.keyClicks(editor.info.reply_by, "20/01/2025")  # after the meeting: refused, shown
    qtbot.mouseClick(editor.info.save_button, Qt.LeftButton)
    assert ("error", "La date de réponse doit précéder la réunion.") in messages
    assert MD.meeting_reply_by(db, mid) == dt.date(2025, 1, 7)


def test_a_point_presented_by_someone_absent_is_flagged_before_export(qtbot, ctx, db, world, monkeypatch, tmp_path):
    mid = M.create_meeting(db, world.gt_id, GT_DAY, start_time="14:00")
    M.add_agenda_item(db, mid, "Bilan CAF", presenter_id=world.persons["caf"])
    rows = {r.person_id: r for r in M.list_attendance(db, mid)}
    M.set_attendance(db, rows[world.persons["caf"]].id, "excuse", expected_version=rows[world.persons["caf"]].version)
    asked: list[str] = []
    answers = [False, True]
    monkeypatch.setattr(AppContext, "confirm", staticmethod(lambda parent, msg, title="": asked.append(msg)
                                                            or answers.pop(0)))
    opened = []
    monkeypatch.setattr(editor_module, "choose_folder", lambda parent, start: tmp_path)
    monkeypatch.setattr(editor_module, "open_file", lambda path: opened.append(path) or True)
    editor = MeetingEditor(ctx, mid)
    qtbot.addWidget(editor)
    qtbot.mouseClick(editor.doc_buttons["minutes"], Qt.LeftButton)
    assert "Sophie Petit" in asked[0] and "Bilan CAF" in asked[0]
    assert not list(tmp_path.glob("*.docx"))  # she said no: nothing written
    qtbot.mouseClick(editor.doc_buttons["minutes"], Qt.LeftButton)  # yes: written
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=20_000)
    assert "Bilan CAF" in "\n".join(p.text for p in Document(str(opened[0])).paragraphs)


def test_the_editor_gathers_the_minutes_once_per_export(qtbot, ctx, db, world, monkeypatch, tmp_path, messages):
    mid = M.create_meeting(db, world.gt_id, GT_DAY, start_time="14:00")
    calls = []
    gather = MD._gather
    monkeypatch.setattr(MD, "_gather", lambda *a, **k: calls.append(1) or gather(*a, **k))
    opened = []
    monkeypatch.setattr(editor_module, "choose_folder", lambda parent, start: tmp_path)
    monkeypatch.setattr(editor_module, "open_file", lambda path: opened.append(path) or True)
    editor = MeetingEditor(ctx, mid)
    qtbot.addWidget(editor)
    qtbot.mouseClick(editor.doc_buttons["minutes"], Qt.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=20_000)
    assert opened[0].name == "2025-01-14_GT_3-Ilots_compte-rendu.docx"
    assert len(calls) == 1
    pdf = tmp_path / "cr.pdf"
    monkeypatch.setattr(editor_module, "choose_pdf_path", lambda parent, suggested: pdf)
    assert editor.export_pdf() == pdf and len(calls) == 2


def _assert_locked(qtbot, dialog, reason, monkeypatch):
    from qpv_desk.gui.dialogs import base as dialog_base

    asked = []
    monkeypatch.setattr(dialog_base, "ask_unsaved", lambda parent, what="": asked.append(what) or dialog_base.CANCEL)
    dialog.show()
    assert dialog.lock_banner.isVisible() and dialog.lock_banner.text() == reason
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    for button in (save, dialog.choose_logo, dialog.remove_logo, dialog.save_signatories):
        assert not button.isEnabled() and button.toolTip() == reason, button.text()
    assert dialog.buttons.button(dialog.buttons.StandardButton.Close).isEnabled()
    assert dialog.body.isEnabled()  # she can still read each body's signatories
    assert dialog.address.isReadOnly() and dialog.signatories.isReadOnly()
    before = dialog.address.toPlainText()
    qtbot.keyClicks(dialog.address, "Mairie")
    assert dialog.address.toPlainText() == before
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert not dialog.isVisible() and asked == []


def test_letterhead_dialog_on_a_read_only_base_is_greyed_with_the_reason(qtbot, sample_path, monkeypatch, messages):
    from qpv_desk.services.database import open_base

    with open_base(sample_path, read_only=True) as db:
        ctx = AppContext()
        ctx.set_database(db)
        dialog = DocumentsSettingsDialog(ctx)
        qtbot.addWidget(dialog)
        _assert_locked(qtbot, dialog, ctx.read_only_reason, monkeypatch)
        ctx.set_database(None)
    assert messages == []  # nothing was refused at the end: nothing could be tried


def test_letterhead_dialog_for_a_referente_is_greyed_with_the_reason(qtbot, ctx, monkeypatch, messages):
    from qpv_desk.services.server import Rights

    ctx.rights = Rights("referent", (1,), ((1, "QP 06 20 09 – Centre"),))
    dialog = DocumentsSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    _assert_locked(qtbot, dialog, "Lecture seule : l'en-tête des documents et les signataires des convocations sont "
                                  "réservés à l'administrateur du serveur.", monkeypatch)
