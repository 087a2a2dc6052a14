"""A working day through the real window at 1366×768, as the référente drives it (issue 12).

Keyboard and mouse on real widgets; modal questions answered by clicking their buttons.
After each step, what she sees and what the base holds.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from gui_helpers import answer_next_box, pick
from qpv_desk.domain.text import plural
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.dialogs import meeting_editor as editor_module
from qpv_desk.gui.dialogs import meeting_tabs
from qpv_desk.gui.dialogs.meeting_new import NewMeetingDialog
from qpv_desk.gui.main_window import MainWindow
from qpv_desk.services import attendance as A
from qpv_desk.services import meetings as M
from qpv_desk.services import tasks as T
from qpv_desk.store.db import open_database

SCREEN_W, SCREEN_H = 1366, 728  # 1366×768 minus the Windows taskbar


def open_window(qtbot, path) -> MainWindow:
    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    assert window.open_target(path)
    window.show()
    window.ensure_initial_page()
    return window


def go(qtbot, window, key: str):
    row = window.page_keys.index(key)
    rect = window.nav.visualItemRect(window.nav.item(row))
    qtbot.mouseClick(window.nav.viewport(), Qt.LeftButton, pos=rect.center())  # a click in the navigation
    page = window.current_page()
    assert page.key == key
    return page


def fits(widget: QWidget) -> bool:
    frame = widget.frameGeometry()
    return widget.width() <= SCREEN_W and widget.height() + 32 <= SCREEN_H and frame.width() <= SCREEN_W


@pytest.mark.slow
def test_the_working_day(qtbot, sample_path, messages, monkeypatch, tmp_path):
    window = open_window(qtbot, sample_path)
    db = window.ctx.db
    assert fits(window), window.size()

    # ---- Tableau de bord: a title, every funder visible
    dashboard = go(qtbot, window, "dashboard")
    assert dashboard.findChild(QWidget, "pageHeading").text() == "Tableau de bord"
    chart = dashboard.funder_chart
    assert chart.groups, "des montants par financeur dans la base d'exemple"
    assert chart.height() >= chart.sizeHint().height()  # all funders drawn, none cut (defect 8)

    # ---- Réunions: a new GT meeting typed with slashes, the weekday shown (defects 5, 7)
    meetings = go(qtbot, window, "meetings")
    gt = next(b for b in M.bodies(db) if b.detail == "GT")
    seen_dialog = {}

    def fill(ctx, parent, bodies, body_id=None):
        dialog = NewMeetingDialog(ctx, bodies, parent, body_id=body_id)
        qtbot.addWidget(dialog)
        dialog.show()
        seen_dialog["width"] = dialog.width()
        dialog.body.setCurrentIndex(dialog.body.findData(gt.id))
        dialog.date.edit.selectAll()
        qtbot.keyClicks(dialog.date.edit, "08/12/2026")
        assert dialog.date.weekday.text() == "mardi"
        qtbot.keyClicks(dialog.start, "14:00")
        qtbot.keyClicks(dialog.place, "Salle du conseil")
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.LeftButton)
        return dialog.meeting_id

    monkeypatch.setattr(NewMeetingDialog, "ask", staticmethod(fill))
    qtbot.mouseClick(meetings.new_button, Qt.LeftButton)
    assert seen_dialog["width"] >= 480
    meeting_id, editor = next(iter(meetings.editors.items()))
    qtbot.addWidget(editor)
    detail = M.get_meeting(db, meeting_id)
    assert detail.date == dt.date(2026, 12, 8) and detail.place == "Salle du conseil"
    assert editor.width() <= SCREEN_W and editor.height() + 32 <= SCREEN_H

    # ---- Ordre du jour: an objective found by typing without accents; the next point starts empty (defects 2, 3)
    agenda = editor.agenda
    editor.tabs.setCurrentWidget(agenda)
    qtbot.keyClicks(agenda.title_edit, "Acces aux droits")
    pick(qtbot, agenda.objective, "acces droits")
    objective_id = agenda.objective.value()
    assert objective_id is not None and "1.1" in agenda.objective.currentText()
    assert agenda.objective.view().minimumWidth() >= agenda.objective.fontMetrics().horizontalAdvance(
        agenda.objective.currentText())  # the popup shows the whole label
    qtbot.mouseClick(agenda.add_button, Qt.LeftButton)
    assert agenda.objective.value() is None and agenda.title_edit.text() == ""
    qtbot.keyClicks(agenda.title_edit, "Questions diverses")
    qtbot.keyClick(agenda.title_edit, Qt.Key_Return)
    items = M.list_agenda(db, meeting_id)
    assert [(i.title, i.objective_id) for i in items] == [("Acces aux droits", objective_id),
                                                           ("Questions diverses", None)]

    # ---- Convocation: written, then offered to mark « Convoquée »; the note clears (defect 10)
    monkeypatch.setattr(editor_module, "choose_folder", lambda parent, start: tmp_path)
    monkeypatch.setattr(editor_module, "open_file", lambda path: True)
    editor._status_timer.setInterval(2000)  # long enough to read the note on a busy machine
    qtbot.mouseClick(editor.doc_buttons["convocation"], Qt.LeftButton)
    qtbot.waitUntil(lambda: editor.last_written is not None, timeout=20_000)
    assert editor.status_label.text().startswith("Écrit")
    assert any("Convoquée" in text for text in messages.asked)
    assert M.get_meeting(db, meeting_id).status.value == "convoquee"
    qtbot.waitUntil(lambda: editor.status_label.text() == "", timeout=10_000)

    # ---- Présences: « Représenté(e) par » lists the same organisation first (defect 4)
    attendance = editor.attendance
    editor.tabs.setCurrentWidget(attendance)
    rows = M.list_attendance(db, meeting_id)
    target = next(r for r in rows if r.organisation_id is not None)
    asked = {}

    def ask(parent, choices, title, first=()):
        asked["first"] = list(first)
        return first[0] if first and first[0] != target.person_id else next(c.id for c in choices if c.id != target.person_id)

    monkeypatch.setattr(meeting_tabs, "ask_person", ask)
    model = attendance.model
    assert model.setData(model.index(model.find(lambda r: r.id == target.id), 3), "represente")
    colleagues = {c.id for c in M.persons(db) if c.extra == target.organisation_id}
    assert asked["first"] and set(asked["first"]) == colleagues
    qtbot.mouseClick(attendance.all_present, Qt.LeftButton)
    assert M.attendance_summary(db, meeting_id).attended == len(rows)

    # ---- Relevé: an avis on an action picked by typing; the chooser never jumps back (defect 3)
    minutes = editor.minutes
    editor.tabs.setCurrentWidget(minutes)
    minutes.items_view.setCurrentIndex(minutes.items.index(0, 1))
    qtbot.keyClicks(minutes.discussion, "Le CCAS presente la permanence.")
    minutes.kind.setCurrentIndex(minutes.kind.findData("avis"))
    minutes.opinion.setCurrentIndex(minutes.opinion.findData("favorable"))
    action = M.actions(db)[1]  # « 2026-34 – Médiation sociale de proximité »
    pick(qtbot, minutes.decision_action, "mediation proximite")
    assert minutes.decision_action.value() == action.id
    qtbot.keyClicks(minutes.decision_text, "Avis favorable")
    qtbot.keyClick(minutes.decision_text, Qt.Key_Return)
    assert minutes.decision_action.value() is None  # the next avis starts empty
    assert minutes.kind.currentData() == "decision" and minutes.opinion.currentData() is None  # no choice carried over
    decisions = M.list_decisions(db, meeting_id)
    assert [(d.action_id, d.opinion.value if d.opinion else None) for d in decisions] == [(action.id, "favorable")]
    assert M.list_agenda(db, meeting_id)[0].discussion == "Le CCAS presente la permanence."  # saved on the way

    # ---- Suites à donner: a date typed short, the form resets (defects 2, 5)
    tasks = editor.tasks
    editor.tabs.setCurrentWidget(tasks)
    qtbot.keyClicks(tasks.description, "Envoyer le compte rendu")
    pick(qtbot, tasks.owner_org, "ccas")
    qtbot.keyClicks(tasks.due.edit, "15/1/27")
    assert tasks.due.weekday.text() == "vendredi"
    qtbot.mouseClick(tasks.add_button, Qt.LeftButton)
    saved = T.list_tasks(db, meeting_id)
    assert [(t.description, t.due_date, t.owner_organisation_id is not None) for t in saved] == [
        ("Envoyer le compte rendu", dt.date(2027, 1, 15), True)]
    assert tasks.owner_org.value() is None and tasks.due.edit.text() == ""

    # ---- Échap with typed Échanges asks; « Annuler » keeps the window, « Enregistrer » saves (defect 1)
    editor.tabs.setCurrentWidget(minutes)
    minutes.items_view.setCurrentIndex(minutes.items.index(1, 1))
    qtbot.keyClicks(minutes.discussion, "Rien a signaler.")
    questions: list[str] = []
    answer_next_box(qtbot, "Annuler", questions)
    qtbot.keyClick(editor, Qt.Key_Escape)
    assert editor.isVisible() and minutes.discussion.toPlainText() == "Rien a signaler."
    answer_next_box(qtbot, "Enregistrer", questions)
    qtbot.keyClick(editor, Qt.Key_Escape)
    assert len(questions) == 2 and "échanges" in questions[0]
    assert not editor.isVisible()
    assert M.list_agenda(db, meeting_id)[1].discussion == "Rien a signaler."

    # ---- Réunions list: Enter opens, Delete asks then deletes (defect 6)
    row = meetings.model.find_id(meeting_id)
    meetings.view.setFocus()
    meetings.view.selectRow(row)
    qtbot.keyClick(meetings.view, Qt.Key_Return)
    assert meetings.editors[meeting_id].isVisible()
    reopened = meetings.editors[meeting_id]
    qtbot.addWidget(reopened)
    reopened.close()

    # ---- Programmation and Suivi: titled; Enter opens the action (defects 6, 10)
    programme = go(qtbot, window, "programme")
    assert programme.findChild(QWidget, "pageHeading").text() == "Programmation"
    opened = []
    monkeypatch.setattr("qpv_desk.gui.pages.programme.ActionEditor.run",
                        classmethod(lambda cls, ctx, parent, action_id=None, year=None: opened.append(action_id)))
    programme.view.setFocus()
    programme.view.selectRow(0)
    qtbot.keyClick(programme.view, Qt.Key_Enter)
    assert opened == [programme.model.row_at(0).id]
    followup = go(qtbot, window, "followup")
    assert followup.findChild(QWidget, "pageHeading").text() == "Suivi des objectifs"

    # ---- Rapports: the COPIL workbook counts beneficiaries as the Programmation footer does (defect 9)
    reports = go(qtbot, window, "reports")
    monkeypatch.setattr("qpv_desk.gui.pages.reports.ask_save_path", lambda parent, title, suggested: tmp_path / "copil.xlsx")
    reports.year.setCurrentIndex(reports.year.findData(2026))
    qtbot.mouseClick(reports.export_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: reports.last_file is not None, timeout=30_000)
    from openpyxl import load_workbook

    sheet = load_workbook(reports.last_file)["Synthèse"]
    figures = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and isinstance(row[0], str)}
    programme.apply_filters({"year": 2026})
    from qpv_desk.services import programme as PR

    footer = PR.programme_totals(PR.list_actions(db, 2026).rows).beneficiaries_planned
    assert figures["Bénéficiaires prévus"] == footer
    assert f"prévus {footer}," in programme.footer.text()

    # ---- Partenaires › Présences: the same rule as the service, absentees in red
    partners = go(qtbot, window, "partners")
    partners.tabs.setCurrentWidget(partners.attendance)
    tab = partners.attendance
    tab.start.setDate(dt.date(2020, 1, 1))
    tab.end.setDate(dt.date(2030, 12, 31))
    tab.body.setCurrentIndex(tab.body.findData(gt.id))
    report = A.attendance_report(db, start=dt.date(2020, 1, 1), end=dt.date(2030, 12, 31), body_id=gt.id, missed=3)
    qtbot.waitUntil(lambda: plural(report.meetings, "réunion tenue", "réunions tenues") in tab.summary.text()
                    and not tab.computing and not tab._timer.isActive(), timeout=10_000)
    assert tab.org_model.rowCount() == len(report.organisations) > 0
    assert plural(report.meetings, "réunion tenue", "réunions tenues") in tab.summary.text()
    tab.missed.setValue(1)
    qtbot.waitUntil(lambda: not tab.computing and not tab._timer.isActive(), timeout=10_000)
    flagged = [tab.person_model.row_at(n) for n in range(tab.person_model.rowCount())
               if tab.person_model.row_at(n).flagged]
    assert flagged, "une absence suffit : des contacts doivent être signalés"
    for line in flagged:
        n = tab.person_model.find_id(line.id)
        assert tab.person_model.index(n, 0).data(Qt.ForegroundRole) is not None

    # ---- Quitting with typed text asks; « Annuler » keeps everything open (defect 1)
    editor = meetings.open_meeting(meeting_id)
    qtbot.addWidget(editor)
    editor.tabs.setCurrentWidget(editor.tasks)
    qtbot.keyClicks(editor.tasks.description, "Relancer la CAF")
    answer_next_box(qtbot, "Annuler")
    assert not window.close()
    assert editor.isVisible() and editor.tasks.description.text() == "Relancer la CAF"
    answer_next_box(qtbot, "Enregistrer")
    assert window.close()
    assert "Relancer la CAF" in [t.description for t in T.list_tasks(db, meeting_id)]

    # ---- Close and reopen: everything is there
    window.ctx.wait_for_background()
    window.ctx.db.close() if window.ctx.db is not None else None
    again = open_database(sample_path)
    try:
        assert M.get_meeting(again, meeting_id).status.value == "convoquee"
        assert len(T.list_tasks(again, meeting_id)) == 2
    finally:
        again.close()
