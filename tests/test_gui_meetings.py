"""The Réunions page driven like a user: a whole GT meeting from creation to the minutes file."""

from __future__ import annotations

import datetime as dt

import pytest
from gui_helpers import pick
from docx import Document
from PySide6.QtCore import QDate, Qt
from sqlalchemy import select

from meetings_data import build_world
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.dialogs import meeting_editor as editor_module
from qpv_desk.gui.dialogs import meeting_tabs
from qpv_desk.gui.dialogs.meeting_new import NewMeetingDialog
from qpv_desk.gui.pages.meetings import MeetingsPage
from qpv_desk.services import meetings as M
from qpv_desk.services import tasks as T
from qpv_desk.store.models import Action, ActionStatusChange, Meeting


@pytest.fixture
def db(sqlite_db):
    return sqlite_db


@pytest.fixture
def world(db):
    return build_world(db)


@pytest.fixture
def page(qtbot, db, world, messages):
    ctx = AppContext()
    ctx.set_database(db)
    widget = MeetingsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.refresh()
    return widget


def choose(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def fill_new_meeting(qtbot, world, day=QDate(2025, 1, 14)):
    def ask(ctx, parent, bodies, body_id=None):
        dialog = NewMeetingDialog(ctx, bodies, parent, body_id=body_id)
        qtbot.addWidget(dialog)
        choose(dialog.body, world.gt_id)
        dialog.date.setDate(day)
        qtbot.keyClicks(dialog.start, "14:00")
        qtbot.keyClicks(dialog.end, "16:30")
        qtbot.keyClicks(dialog.place, "Salle du conseil")
        dialog.accept()
        return dialog.meeting_id

    return ask


def test_a_whole_meeting_through_the_screen(qtbot, page, db, world, messages, monkeypatch, tmp_path, qtmodeltester):
    seen, answers = messages, messages.answers
    monkeypatch.setattr(NewMeetingDialog, "ask", staticmethod(fill_new_meeting(qtbot, world)))
    qtbot.mouseClick(page.new_button, Qt.LeftButton)
    assert len(page.editors) == 1
    meeting_id, editor = next(iter(page.editors.items()))
    qtbot.addWidget(editor)
    assert page.model.rowCount() == 1 and page.model.row_at(0).invited == 6
    qtmodeltester.check(page.model)

    # ---- Présences: one excused, one represented, then « Tous présents »
    editor.tabs.setCurrentWidget(editor.attendance)
    model = editor.attendance.model
    caf = model.find(lambda r: r.person_id == world.persons["caf"])
    bailleur = model.find(lambda r: r.person_id == world.persons["bailleur"])
    assert model.setData(model.index(caf, 3), "excuse")
    monkeypatch.setattr(meeting_tabs, "ask_person", lambda parent, choices, title, first=(): world.persons["futur"])
    bailleur = model.find(lambda r: r.person_id == world.persons["bailleur"])
    assert model.setData(model.index(bailleur, 3), "represente")
    qtbot.mouseClick(editor.attendance.all_present, Qt.LeftButton)
    assert "Présent(e) : 4" in editor.attendance.summary.text()
    assert "5 participants sur 6 invités" in editor.attendance.summary.text()
    assert editor.attendance.quorum.text() == "Quorum (4) atteint : 5 participants."
    qtmodeltester.check(model)
    rows = {r.person_id: r for r in M.list_attendance(db, meeting_id)}
    assert rows[world.persons["bailleur"]].represented_by == "Mme Eva Future"
    assert rows[world.persons["caf"]].status.value == "excuse"

    # ---- Ordre du jour: two points, reordered with Alt+Up
    editor.tabs.setCurrentWidget(editor.agenda)
    agenda = editor.agenda
    qtbot.keyClicks(agenda.title_edit, "Questions diverses")
    qtbot.mouseClick(agenda.add_button, Qt.LeftButton)
    qtbot.keyClicks(agenda.title_edit, "Examen des demandes 2025")
    choose(agenda.action, world.action_id)
    agenda.duration.setValue(45)
    qtbot.mouseClick(agenda.add_button, Qt.LeftButton)
    assert [r.title for r in agenda.model.rows] == ["Questions diverses", "Examen des demandes 2025"]
    agenda.view.setCurrentIndex(agenda.model.index(1, 1))
    agenda.view.setFocus()
    qtbot.keyClick(agenda.view, Qt.Key_Up, Qt.AltModifier)
    assert [r.title for r in M.list_agenda(db, meeting_id)] == ["Examen des demandes 2025", "Questions diverses"]
    assert agenda.model.row_at(agenda.view.currentIndex()).title == "Examen des demandes 2025"
    # drag and drop: the model's drop moves « Questions diverses » back on top
    mime = agenda.model.mimeData([agenda.model.index(1, 0)])
    agenda.model.dropMimeData(mime, Qt.MoveAction, 0, 0, agenda.view.rootIndex())
    assert [r.title for r in M.list_agenda(db, meeting_id)] == ["Questions diverses", "Examen des demandes 2025"]
    qtmodeltester.check(agenda.model)

    # ---- Relevé: notes and an avis on the action
    editor.tabs.setCurrentWidget(editor.minutes)
    minutes = editor.minutes
    minutes.items_view.setCurrentIndex(minutes.items.index(1, 1))
    assert minutes.item_title.text() == "2. Examen des demandes 2025"
    qtbot.keyClicks(minutes.discussion, "L'association presente son projet.")
    qtbot.mouseClick(minutes.save_discussion, Qt.LeftButton)
    choose(minutes.kind, "avis")
    choose(minutes.opinion, "favorable")
    assert minutes.decision_action.value() is None  # never chosen on its own
    pick(qtbot, minutes.decision_action, "remobilisation 2025")  # words in any order, found by typing
    assert minutes.decision_action.value() == world.action_id
    qtbot.keyClicks(minutes.decision_text, "Avis favorable, a articuler avec le PRE.")
    qtbot.mouseClick(minutes.add_decision_button, Qt.LeftButton)
    assert minutes.decisions.rowCount() == 1
    assert not [m for m in seen if m[0] == "error"], seen
    with db.reader() as s:
        assert s.get(Action, world.action_id).status == "avis_favorable"
        change = s.execute(select(ActionStatusChange)).scalar_one()
        assert change.meeting_id == meeting_id and change.date == dt.date(2025, 1, 14)
    assert M.list_agenda(db, meeting_id)[1].discussion == "L'association presente son projet."

    # ---- Suites à donner: a task, its status edited in the table
    editor.tabs.setCurrentWidget(editor.tasks)
    tasks = editor.tasks
    qtbot.keyClicks(tasks.description, "Transmettre les avis au COPIL")
    choose(tasks.owner_person, world.persons["referente"])
    due = dt.date.today() + dt.timedelta(days=30)
    qtbot.keyClicks(tasks.due.edit, due.strftime("%d/%m/%Y"))
    choose(tasks.task_action, world.action_id)
    qtbot.mouseClick(tasks.add_button, Qt.LeftButton)
    assert tasks.own.rowCount() == 1
    assert tasks.own.headerData(0, Qt.Horizontal, Qt.DisplayRole) == "Qui"
    assert tasks.own.index(0, 0).data() == "Mme Claire Martin"  # « Qui »: named with her civility
    assert tasks.own.setData(tasks.own.index(0, 3), "en_cours")
    saved = T.list_tasks(db, meeting_id)[0]
    assert saved.status.value == "en_cours" and saved.due_date == due
    assert saved.owner_person_id == world.persons["referente"] and saved.action_id == world.action_id

    # ---- Informations: the meeting was held
    editor.tabs.setCurrentWidget(editor.info)
    choose(editor.info.status, "tenue")
    editor.info.place.clear()
    qtbot.keyClicks(editor.info.place, "Mairie de Verquin")
    qtbot.mouseClick(editor.info.save_button, Qt.LeftButton)
    with db.reader() as s:
        meeting = s.get(Meeting, meeting_id)
        assert meeting.status == "tenue" and meeting.place == "Mairie de Verquin"
    assert "Tenue" in editor.windowTitle()
    assert page.model.row_at(0).attended == 5

    # ---- the minutes file, in a chosen folder (remembered), then opened
    opened = []
    folders = []
    monkeypatch.setattr(editor_module, "choose_folder", lambda parent, start: folders.append(start) or tmp_path)
    monkeypatch.setattr(editor_module, "open_file", lambda path: opened.append(path) or True)
    qtbot.mouseClick(editor.doc_buttons["minutes"], Qt.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=20_000)
    path = opened[0]
    assert path == tmp_path / "2025-01-14_GT_3-Ilots_compte-rendu.docx"
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Compte rendu – Groupe technique (PROJET)" in text
    assert "Sophie Petit (CAF du Pas-de-Calais)" in text
    assert "M. Marc Lefebvre (Pas-de-Calais Habitat), représenté par Mme Eva Future" in text
    assert "L'association presente son projet." in text
    avis = doc.tables[0]  # decisions on actions: a table
    assert [c.text for c in avis.rows[1].cells][:1] == ["2025-01"]
    assert avis.rows[1].cells[2].text == "Avis favorable\nA articuler avec le PRE."
    assert [c.text for c in doc.tables[-1].rows[1].cells] == ["Mme Claire Martin", "Transmettre les avis au COPIL",
                                                              due.strftime("%d/%m/%Y"), "En cours"]

    # ---- the same file open in Word: a clear message, another name, nothing overwritten
    before = path.read_bytes()
    (tmp_path / ("~$" + path.name[2:])).write_bytes(b"owner")
    answers.append(True)
    qtbot.mouseClick(editor.doc_buttons["minutes"], Qt.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=20_000)
    assert opened[1].name == "2025-01-14_GT_3-Ilots_compte-rendu (2).docx"
    assert any("ouvert dans Word" in m for m in messages.asked)
    assert path.read_bytes() == before
    assert folders[1] == str(tmp_path)  # the folder was remembered

    # ---- the sign-in sheet and the convocation too
    for kind in ("emargement", "convocation"):
        qtbot.mouseClick(editor.doc_buttons[kind], Qt.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 4, timeout=20_000)
    sheet = Document(str(tmp_path / "2025-01-14_GT_3-Ilots_emargement.docx"))
    names = [r.cells[0].text for r in sheet.tables[0].rows[1:]]
    assert len([n for n in names if n]) == 6 and names[6:] == [""] * (len(names) - 6) and len(names) >= 6 + 3  # blank lines for walk-ins

    # ---- PDF of the minutes through Qt print support
    pdf = tmp_path / "cr.pdf"
    monkeypatch.setattr(editor_module, "choose_pdf_path", lambda parent, suggested: pdf)
    assert editor.export_pdf() == pdf
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
    previews = []
    monkeypatch.setattr(editor_module, "print_preview", lambda parent, document: previews.append(document.toPlainText()))
    qtbot.mouseClick(editor.preview_button, Qt.LeftButton)
    assert "Transmettre les avis au COPIL" in previews[0] and "PROJET" in previews[0]
    assert not [m for m in seen if m[0] == "error"], seen


def test_bad_input_is_shown_and_nothing_is_lost(qtbot, page, db, world, messages, monkeypatch):
    seen = messages
    meeting_id = M.create_meeting(db, world.gt_id, dt.date(2025, 1, 14), start_time="14:00")
    page.refresh()
    editor = page.open_meeting(meeting_id)
    qtbot.addWidget(editor)
    editor.info.end.setText("13:00")
    qtbot.mouseClick(editor.info.save_button, Qt.LeftButton)
    assert seen[-1] == ("error", "L'heure de fin précède l'heure de début.")
    assert editor.info.end.text() == "13:00"  # what was typed stays
    assert M.get_meeting(db, meeting_id).end_time is None
    # a « représenté » without a person is refused (the chooser was cancelled)
    monkeypatch.setattr(meeting_tabs, "ask_person", lambda parent, choices, title, first=(): None)
    model = editor.attendance.model
    assert not model.setData(model.index(0, 3), "represente")
    assert M.list_attendance(db, meeting_id)[0].status.value == "invite"
    # an empty task is refused with a French message, the form keeps its content
    qtbot.keyClicks(editor.tasks.due.edit, "32/13/2025")
    assert "n'existe pas" in editor.tasks.due.error()
    qtbot.mouseClick(editor.tasks.add_button, Qt.LeftButton)
    assert seen[-1][0] == "error" and "Quoi" in seen[-1][1]
    assert editor.tasks.due.edit.text() == "32/13/2025"
    # a control character is refused with the field named; a formula-looking title is kept as typed
    editor.info.end.clear()
    editor.info.title_edit.setText("=cmd|' /C calc'!A0\x07")
    qtbot.mouseClick(editor.info.save_button, Qt.LeftButton)
    assert seen[-1][0] == "error" and "contrôle" in seen[-1][1]
    editor.info.title_edit.setText("=cmd|' /C calc'!A0")
    qtbot.mouseClick(editor.info.save_button, Qt.LeftButton)
    assert M.get_meeting(db, meeting_id).title == "=cmd|' /C calc'!A0"


def test_filters_and_open_tasks_of_earlier_meetings(qtbot, page, db, world, messages):
    first = M.create_meeting(db, world.gt_id, dt.date(2024, 11, 5))
    M.update_meeting(db, first, {"status": "cr_valide"}, expected_version=1)
    late = T.add_task(db, first, description="Bilan en retard", due_date=dt.date(2024, 12, 1),
                      owner_person_id=world.persons["asso"])
    T.add_task(db, first, description="Tâche close", status="fait")
    M.create_meeting(db, world.copil_id, dt.date(2025, 3, 1))
    second = M.create_meeting(db, world.gt_id, dt.date(2025, 1, 14))
    page.refresh()
    assert page.model.rowCount() == 3
    assert page.count_label.text() == "3 réunions"
    page.apply_filters({"year": 2024})
    assert [r.id for r in page.model.rows] == [first]
    assert page.count_label.text() == "1 réunion"  # not « 1 réunion(s) »
    page.apply_filters({"year": None, "body_id": world.gt_id})
    assert {r.id for r in page.model.rows} == {first, second}
    assert page.count_label.text() == "2 réunions"
    page.apply_filters({"body_id": None, "status": "cr_valide"})
    assert [r.id for r in page.model.rows] == [first]
    page.apply_filters({"status": None, "meeting_id": second})
    editor = page.editors[second]
    qtbot.addWidget(editor)
    review = editor.tasks.review
    assert [r.id for r in review.rows] == [late]
    index = review.index(0, 2)
    assert review.data(index, Qt.ForegroundRole) is not None and review.data(index, Qt.FontRole).bold()
    assert "1 en retard" in editor.tasks.review_label.text()
    assert review.setData(review.index(0, 4), "fait")  # closed from the review at the next meeting
    assert review.rowCount() == 0
    done = [t for t in T.list_tasks(db, first) if t.id == late][0]
    assert done.status.value == "fait" and done.done_on == dt.date.today()


def test_the_meeting_editor_names_people_with_their_civility_as_the_documents_do(qtbot, db, world, messages):
    mid = M.create_meeting(db, world.gt_id, dt.date(2025, 1, 14))
    ctx = AppContext()
    ctx.set_database(db)
    editor = editor_module.MeetingEditor(ctx, mid)
    qtbot.addWidget(editor)
    editor.show()
    # Présences: the bailleur is represented by Eva Future, chosen in the cell's picker.
    editor.tabs.setCurrentWidget(editor.attendance)
    view, model = editor.attendance.view, editor.attendance.model
    row = model.find(lambda r: r.person_id == world.persons["bailleur"])
    index = model.index(row, 4)
    view.setCurrentIndex(index)
    if view.indexWidget(index) is None:
        view.edit(index)
    picker = view.indexWidget(index)
    entries = [picker.itemText(i) for i in range(picker.count())]
    assert "Mme Eva Future — Pas-de-Calais Habitat" in entries and "M. Paul Durand — CCAS de Verquin" in entries
    pick(qtbot, picker, "Future")
    qtbot.keyClick(picker.lineEdit(), Qt.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(index) is None)
    row = model.find(lambda r: r.person_id == world.persons["bailleur"])
    assert model.data(model.index(row, 4)) == "Mme Eva Future"
    # Ordre du jour: a point presented by Claire Martin, chosen in the « Intervenant(e) » picker.
    editor.tabs.setCurrentWidget(editor.agenda)
    agenda = editor.agenda
    assert "Mme Claire Martin — Commune de Verquin" in [agenda.presenter.itemText(i)
                                                        for i in range(agenda.presenter.count())]
    qtbot.keyClicks(agenda.title_edit, "Bilan de l'annee")
    pick(qtbot, agenda.presenter, "Martin")
    qtbot.mouseClick(agenda.add_button, Qt.LeftButton)
    assert agenda.model.data(agenda.model.index(0, 2)) == "Mme Claire Martin"
    cell_choices = agenda.view.itemDelegateForColumn(2).choices()
    assert (world.persons["referente"], "Mme Claire Martin") in cell_choices
    # The screen and the printed documents say the same.
    doc = M.meeting_document(db, mid)
    represented = next(a for a in doc.attendees if a.represented_by)
    assert represented.represented_by == model.data(model.index(row, 4))
    assert doc.agenda[0].presenter == agenda.model.data(agenda.model.index(0, 2))
    assert not [m for m in messages if m[0] == "error"]
