"""Two writers on one action or one meeting (issue 16): her save meets the colleague's, she
sees both values side by side, field by field, chooses, and each choice ends up in the base.
What only one of them changed is kept without asking; nothing she typed is lost.

Each test runs on SQLite and PostgreSQL (``empty_db``): the colleague writes through the
services in a unit of work of their own, as another window or workstation would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

import programme_data as D
from gui_helpers import funder_row, type_in_cell
from qpv_desk.domain.text import euros
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.dialogs.action_editor import ActionEditor
from qpv_desk.gui.dialogs.conflict import ConflictDialog
from qpv_desk.gui.dialogs.meeting_editor import MeetingEditor
from qpv_desk.services import meetings as M
from qpv_desk.services import programme as P
from qpv_desk.store.models import FundingLine

REAL_CHOOSE = ConflictDialog.__dict__["choose"]  # conftest makes an unexpected choice fail; here it is expected


@pytest.fixture
def ctx(empty_db):
    """The application's context on the base (on PostgreSQL it listens to the others' changes: stopped after)."""
    context = AppContext()
    context.set_database(empty_db)
    yield context
    context.set_database(None)


def _answer_conflict(qtbot, monkeypatch, seen: list, keep_theirs: set[str] | None) -> None:
    """When the side-by-side dialog opens: note what it shows, click « theirs » for the fields
    in ``keep_theirs`` and « Enregistrer mes choix » (``None``: « Revenir à ma saisie »)."""
    monkeypatch.setattr(ConflictDialog, "choose", REAL_CHOOSE)

    def answer(tries=[0]):  # noqa: B006 - a counter shared by the retries
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ConflictDialog) and w.isVisible()]
        if not dialogs:
            tries[0] += 1
            if tries[0] < 300:
                QTimer.singleShot(10, answer)
            return
        dialog = dialogs[-1]
        table = dialog.table
        seen.append({f.field: (table.item(r, 0).text(), table.cellWidget(r, 1).text(), table.cellWidget(r, 2).text())
                     for r, f in enumerate(dialog.conflict.fields)})
        if keep_theirs is None:
            qtbot.mouseClick(dialog.cancel_button, Qt.LeftButton)
            return
        for field in keep_theirs:
            button = dialog.theirs_buttons[field]
            qtbot.mouseClick(button, Qt.LeftButton, pos=QPoint(6, button.height() // 2))
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)

    QTimer.singleShot(0, answer)


def _funding(db, action_id):
    with db.reader() as s:
        return {(line.funder.code, line.requested_cents) for line in s.scalars(
            select(FundingLine).where(FundingLine.action_id == action_id))}


def test_two_writers_on_an_action_she_chooses_field_by_field(qtbot, empty_db, ctx, messages, monkeypatch):
    seed = D.programme(empty_db)
    aid = D.make_action(seed, 2026, "Atelier vélo", "1.1.1", cost=100_000, funding={"etat_pv": (100_000, None, 0)})
    editor = ActionEditor(ctx, None, action_id=aid)
    qtbot.addWidget(editor)
    editor.show()
    # Her colleague saves first: the title, the place (which she does not touch) and the funding.
    read = P.get_action(empty_db, aid)
    P.update_action(empty_db, aid, {"title": "Atelier vélo solidaire", "place": "Garage associatif",
                                    "funding": [{"funder_id": seed.funder["etat_pv"], "requested": "800"},
                                                {"funder_id": seed.funder["commune"], "requested": "200"}]},
                    expected_version=read.version)
    # She types her title, a description and her own funding.
    editor.title.clear()
    qtbot.keyClicks(editor.title, "Atelier velo des jeunes")
    qtbot.keyClicks(editor.description, "Reparer et rouler")
    editor.tabs.setCurrentIndex(2)
    type_in_cell(qtbot, editor.funding_view, funder_row(editor, "etat_pv"), 1, "600")
    type_in_cell(qtbot, editor.funding_view, funder_row(editor, "caf"), 1, "400")
    seen = []
    _answer_conflict(qtbot, monkeypatch, seen, keep_theirs={"title"})
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    # Only what both changed is offered: the title and the funding, hers and theirs side by side.
    assert list(seen[0]) == ["title", "funding"]
    assert seen[0]["title"] == ("Intitulé", "Atelier velo des jeunes", "Atelier vélo solidaire")
    label, hers, theirs = seen[0]["funding"]
    assert label == "Plan de financement" and "600" in hers and "CAF" in hers.upper() and "200" in theirs
    saved = P.get_action(empty_db, aid)
    assert saved.title == "Atelier vélo solidaire"  # she kept theirs
    assert saved.description == "Reparer et rouler"  # only she changed it
    assert saved.place == "Garage associatif"  # only they changed it: kept without asking
    assert _funding(empty_db, aid) == {("etat_pv", 60_000), ("caf", 40_000)}  # she kept hers
    assert editor.result() == editor.DialogCode.Accepted
    assert not [m for m in messages if m[0] == "error"]


def test_back_to_her_form_loses_nothing_and_no_clash_saves_both(qtbot, empty_db, ctx, messages, monkeypatch):
    seed = D.programme(empty_db)
    aid = D.make_action(seed, 2026, "Atelier vélo", "1.1.1")
    editor = ActionEditor(ctx, None, action_id=aid)
    qtbot.addWidget(editor)
    editor.show()
    read = P.get_action(empty_db, aid)
    P.update_action(empty_db, aid, {"title": "Leur titre"}, expected_version=read.version)
    editor.title.clear()
    qtbot.keyClicks(editor.title, "Mon titre")
    seen = []
    _answer_conflict(qtbot, monkeypatch, seen, keep_theirs=None)  # « Revenir à ma saisie »
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    assert seen and editor.isVisible() and editor.title.text() == "Mon titre"
    assert "rien n'a été enregistré, votre saisie est toujours là" in editor.error_label.text()
    assert P.get_action(empty_db, aid).title == "Leur titre"
    # She adds the beneficiaries and saves again: the title is offered again, she keeps hers.
    qtbot.keyClicks(editor.beneficiaries_planned, "35")
    seen.clear()
    _answer_conflict(qtbot, monkeypatch, seen, keep_theirs=set())  # hers everywhere
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    saved = P.get_action(empty_db, aid)
    assert (saved.title, saved.beneficiaries_planned) == ("Mon titre", 35)

    # A change on other fields only: nothing to choose, both kept, and she is told.
    editor = ActionEditor(ctx, None, action_id=aid)
    qtbot.addWidget(editor)
    editor.show()
    P.update_action(empty_db, aid, {"place": "Gymnase"}, expected_version=saved.version)
    qtbot.keyClicks(editor.target_public, "Jeunes de 12 a 16 ans")
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    saved = P.get_action(empty_db, aid)
    assert (saved.place, saved.target_public) == ("Gymnase", "Jeunes de 12 a 16 ans")
    assert any(kind == "info" and "sur d'autres champs que les vôtres" in text for kind, text in messages)


def test_two_writers_on_a_meeting_she_chooses_field_by_field(qtbot, empty_db, ctx, messages, monkeypatch):
    seed = D.programme(empty_db)
    editor = MeetingEditor(ctx, seed.meeting_id)
    qtbot.addWidget(editor)
    editor.show()
    read = M.get_meeting(empty_db, seed.meeting_id)
    M.update_meeting(empty_db, seed.meeting_id, {"place": "Salle du conseil", "notes": "Ordre du jour envoyé",
                                                 "start_time": "09:30"}, expected_version=read.version)
    info = editor.info
    info.place.clear()
    qtbot.keyClicks(info.place, "Maison de quartier")
    info.notes.clear()
    qtbot.keyClicks(info.notes, "Penser au videoprojecteur")
    info.title_edit.clear()
    qtbot.keyClicks(info.title_edit, "Comite de pilotage")
    seen = []
    _answer_conflict(qtbot, monkeypatch, seen, keep_theirs={"notes"})
    qtbot.mouseClick(info.save_button, Qt.LeftButton)
    assert list(seen[0]) == ["place", "notes"]
    assert seen[0]["place"] == ("Lieu", "Maison de quartier", "Salle du conseil")
    assert seen[0]["notes"] == ("Notes", "Penser au videoprojecteur", "Ordre du jour envoyé")
    saved = M.get_meeting(empty_db, seed.meeting_id)
    assert saved.place == "Maison de quartier"  # hers
    assert saved.notes == "Ordre du jour envoyé"  # theirs, as she chose
    assert saved.title == "Comite de pilotage"  # only hers
    assert saved.start_time.strftime("%H:%M") == "09:30"  # only theirs, kept
    # The form now shows what the base holds, and nothing is left unsaved.
    assert info.notes.toPlainText() == "Ordre du jour envoyé" and not info.has_unsaved()
    assert not [m for m in messages if m[0] == "error"]


def _meeting_with_rows(db):
    import datetime as dt

    from meetings_data import build_world
    from qpv_desk.services import tasks as T

    world = build_world(db)
    mid = M.create_meeting(db, world.gt_id, dt.date(2026, 12, 8), title="GT de décembre")
    first = M.add_agenda_item(db, mid, "Bilan de l'été")
    second = M.add_agenda_item(db, mid, "Programmation 2027")
    task = T.add_task(db, mid, description="Envoyer le bilan", owner_person_id=world.persons["asso"])
    return mid, first, second, task


def test_two_writers_on_the_echanges_of_a_point_side_by_side_and_nothing_lost(qtbot, empty_db, ctx, messages, monkeypatch):
    mid, first, second, _task = _meeting_with_rows(empty_db)
    editor = MeetingEditor(ctx, mid)
    qtbot.addWidget(editor)
    editor.show()
    minutes = editor.minutes
    editor.tabs.setCurrentWidget(minutes)
    assert minutes._item_id == first
    row = next(r for r in M.list_agenda(empty_db, mid) if r.id == first)
    M.update_agenda_item(empty_db, first, {"discussion": "Leurs notes"}, expected_version=row.version)
    qtbot.keyClicks(minutes.discussion, "Mes notes")
    # She goes to the next point: her « Échanges » meet theirs; she goes back to her form.
    seen = []
    _answer_conflict(qtbot, monkeypatch, seen, keep_theirs=None)
    minutes.items_view.setCurrentIndex(minutes.items.index(1, 0))
    assert seen == [{"discussion": ("Échanges", "Mes notes", "Leurs notes")}]
    assert minutes._item_id == first and minutes.discussion.toPlainText() == "Mes notes"  # nothing lost
    assert any(kind == "error" and "rien n'a été enregistré" in text and "Mes notes" in text for kind, text in messages)
    # « Enregistrer les échanges »: this time she keeps hers.
    seen.clear()
    _answer_conflict(qtbot, monkeypatch, seen, keep_theirs=set())
    qtbot.mouseClick(minutes.save_discussion, Qt.LeftButton)
    assert seen and next(r for r in M.list_agenda(empty_db, mid) if r.id == first).discussion == "Mes notes"


def test_a_presence_and_a_task_changed_by_both(qtbot, empty_db, ctx, messages, monkeypatch):
    from qpv_desk.domain import enums as E
    from qpv_desk.services import tasks as T

    mid, _first, _second, task = _meeting_with_rows(empty_db)
    editor = MeetingEditor(ctx, mid)
    qtbot.addWidget(editor)
    editor.show()
    # The colleague marks someone excused; she marks the same person present, and keeps theirs.
    attendance = editor.attendance
    row = attendance.model.rows[0]
    M.set_attendance(empty_db, row.id, E.AttendanceStatus.EXCUSE.value, None, expected_version=row.version)
    seen = []
    _answer_conflict(qtbot, monkeypatch, seen, keep_theirs={"status"})
    assert attendance.model.setData(attendance.model.index(0, 3), E.AttendanceStatus.PRESENT.value)
    assert seen == [{"status": ("Statut", "Présent(e)", E.AttendanceStatus.EXCUSE.label)}]
    assert next(r for r in M.list_attendance(empty_db, mid) if r.id == row.id).status is E.AttendanceStatus.EXCUSE
    # The colleague rewrites the task; she changes its status only: both kept, she is told.
    own = editor.tasks.own
    trow = own.rows[0]
    T.update_task(empty_db, task, {"description": "Envoyer le bilan aux partenaires"}, expected_version=trow.version)
    column = next(c for c, (key, _get) in own.editable.items() if key == "status")
    assert own.setData(own.index(0, column), E.TaskStatus.FAIT.value)
    saved = next(t for t in T.list_tasks(empty_db, mid) if t.id == task)
    assert (saved.description, saved.status) == ("Envoyer le bilan aux partenaires", E.TaskStatus.FAIT)
    assert any(kind == "info" and "sur d'autres champs que les vôtres" in text for kind, text in messages)


def test_the_organisation_dialog_keeps_their_other_fields_without_asking(qtbot, empty_db, ctx, messages):
    from qpv_desk.gui.dialogs.organisation import OrganisationDialog
    from qpv_desk.services import partners

    oid = partners.create_organisation(empty_db, {"name": "Centre social", "kind": "association", "city": "Verquin"})
    dialog = OrganisationDialog(ctx, None, partners.get_organisation(empty_db, oid))
    qtbot.addWidget(dialog)
    dialog.show()
    row = partners.get_organisation(empty_db, oid)
    partners.update_organisation(empty_db, oid, {"city": "Béthune"}, expected_version=row.version)
    qtbot.keyClicks(dialog.ui.notes, "Ouvert le samedi")
    qtbot.mouseClick(dialog.ui.buttonBox.button(dialog.ui.buttonBox.StandardButton.Ok), Qt.LeftButton)
    saved = partners.get_organisation(empty_db, oid)
    assert (saved.city, saved.notes) == ("Béthune", "Ouvert le samedi")  # theirs and hers, nothing asked
    assert dialog.result() == dialog.DialogCode.Accepted
    assert any(kind == "info" and "sur d'autres champs que les vôtres" in text for kind, text in messages)


# --------------------------------------------------------------------------- back to her form: what only they changed

def test_back_to_her_form_the_action_shows_what_only_the_colleague_changed(qtbot, empty_db, ctx, messages, monkeypatch):
    seed = D.programme(empty_db)
    aid = D.make_action(seed, 2026, "Atelier velo", "1.1.1", cost=100_000, funding={"etat_pv": (100_000, None, 0)})
    editor = ActionEditor(ctx, None, action_id=aid)
    qtbot.addWidget(editor)
    editor.show()
    # Her colleague saves first: the title (she changes it too), the place and the funding (she does not).
    read = P.get_action(empty_db, aid)
    P.update_action(empty_db, aid, {"title": "Leur titre", "place": "Garage associatif",
                                    "funding": [{"funder_id": seed.funder["etat_pv"], "requested": "800"},
                                                {"funder_id": seed.funder["commune"], "requested": "200"}]},
                    expected_version=read.version)
    editor.title.clear()
    qtbot.keyClicks(editor.title, "Mon titre")
    qtbot.keyClicks(editor.description, "Reparer et rouler")
    seen = []
    _answer_conflict(qtbot, monkeypatch, seen, keep_theirs=None)  # « Revenir à ma saisie »
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    assert list(seen[0]) == ["title"] and editor.isVisible()
    # What she typed is still there; what only the colleague changed shows the base's value.
    assert (editor.title.text(), editor.description.toPlainText()) == ("Mon titre", "Reparer et rouler")
    assert editor.place.text() == "Garage associatif"
    assert {(line["funder_id"], line["requested"]) for line in editor.funding_model.lines()} == {
        (seed.funder["etat_pv"], "800"), (seed.funder["commune"], "200")}
    assert editor.funding_totals.text().startswith(f"Total demandé : {euros(100_000)} ")
    message = editor.error_label.text()
    assert "rien n'a été enregistré, votre saisie est toujours là" in message
    assert "Les champs modifiés entre-temps par " in message
    assert "seulement (lieu, plan de financement) montrent maintenant sa valeur." in message
    assert P.get_action(empty_db, aid).title == "Leur titre"
    # Her own title put back as it was: only the description is hers to save now.
    editor.title.clear()
    qtbot.keyClicks(editor.title, "Atelier velo")
    editor.description.clear()
    assert not editor.has_unsaved_changes()  # the colleague's values on screen are not « her typing »
    # She types her description again and saves: what the screen shows is what the base holds.
    qtbot.keyClicks(editor.description, "Reparer et rouler")
    qtbot.keyClicks(editor.title, " des jeunes")
    seen.clear()
    _answer_conflict(qtbot, monkeypatch, seen, keep_theirs=set())  # hers where both changed
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    assert list(seen[0]) == ["title"]
    saved = P.get_action(empty_db, aid)
    assert (saved.title, saved.description, saved.place) == ("Atelier velo des jeunes", "Reparer et rouler",
                                                             "Garage associatif")
    assert _funding(empty_db, aid) == {("etat_pv", 80_000), ("commune", 20_000)}
    assert editor.result() == editor.DialogCode.Accepted


def test_back_to_her_form_the_person_dialog_shows_what_only_the_colleague_changed(qtbot, empty_db, ctx, messages,
                                                                                  monkeypatch):
    from qpv_desk.gui.dialogs.person import PersonDialog
    from qpv_desk.services import partners

    oid = partners.create_organisation(empty_db, {"name": "Centre social", "kind": "association"})
    pid = partners.create_person(empty_db, {"first_name": "Claire", "last_name": "Dubois", "organisation_id": oid,
                                            "email": "claire@example.org"})
    dialog = PersonDialog(ctx, None, partners.get_person(empty_db, pid))
    qtbot.addWidget(dialog)
    dialog.show()
    # The colleague sets the civility, the function and the e-mail; she changes the e-mail and the phone.
    row = partners.get_person(empty_db, pid)
    partners.update_person(empty_db, pid, {"civility": "Mme", "function": "Directrice",
                                           "email": "c.dubois@example.org"}, expected_version=row.version)
    dialog.ui.email.clear()
    qtbot.keyClicks(dialog.ui.email, "claire.dubois@example.org")
    qtbot.keyClicks(dialog.ui.phone, "03 21 00 00 02")
    seen = []
    _answer_conflict(qtbot, monkeypatch, seen, keep_theirs=None)  # « Revenir à ma saisie »
    ok = dialog.ui.buttonBox.button(dialog.ui.buttonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.LeftButton)
    assert seen == [{"email": ("Courriel", "claire.dubois@example.org", "c.dubois@example.org")}]
    assert dialog.isVisible() and dialog.result() != dialog.DialogCode.Accepted
    ui = dialog.ui
    assert (ui.email.text(), ui.phone.text()) == ("claire.dubois@example.org", "03 21 00 00 02")  # hers, untouched
    assert (ui.civility.currentText(), ui.function.text()) == ("Mme", "Directrice")  # theirs, as the base holds
    summary = ui.errorSummary.text()
    assert not ui.errorSummary.isHidden() and "rien n'a été enregistré, votre saisie est toujours là" in summary
    assert "Les champs modifiés entre-temps par " in summary
    assert "seulement (civilité, fonction) montrent maintenant sa valeur." in summary
    # Her typing still counts as unsaved; the colleague's values on screen do not.
    assert dialog.has_unsaved_changes()
    ui.email.clear()
    qtbot.keyClicks(ui.email, "claire@example.org")
    ui.phone.clear()
    assert not dialog.has_unsaved_changes()
    # She types her e-mail and phone again and saves: the e-mail is offered again, she keeps hers.
    ui.email.clear()
    qtbot.keyClicks(ui.email, "claire.dubois@example.org")
    qtbot.keyClicks(ui.phone, "03 21 00 00 02")
    seen.clear()
    _answer_conflict(qtbot, monkeypatch, seen, keep_theirs=set())
    qtbot.mouseClick(ok, Qt.LeftButton)
    assert list(seen[0]) == ["email"]
    saved = partners.get_person(empty_db, pid)  # what the screen showed is what the base holds
    assert (saved.civility.value, saved.function) == ("Mme", "Directrice")
    assert (saved.email, saved.phone) == ("claire.dubois@example.org", "03 21 00 00 02")
    assert dialog.result() == dialog.DialogCode.Accepted


def test_back_to_her_form_the_meeting_shows_what_only_the_colleague_changed(qtbot, empty_db, ctx, messages,
                                                                           monkeypatch):
    seed = D.programme(empty_db)
    editor = MeetingEditor(ctx, seed.meeting_id)
    qtbot.addWidget(editor)
    editor.show()
    read = M.get_meeting(empty_db, seed.meeting_id)
    M.update_meeting(empty_db, seed.meeting_id, {"place": "Salle du conseil", "start_time": "09:30"},
                     expected_version=read.version)
    info = editor.info
    info.place.clear()
    qtbot.keyClicks(info.place, "Maison de quartier")
    qtbot.keyClicks(info.notes, "Penser au videoprojecteur")
    seen = []
    _answer_conflict(qtbot, monkeypatch, seen, keep_theirs=None)
    qtbot.mouseClick(info.save_button, Qt.LeftButton)
    assert list(seen[0]) == ["place"]
    assert (info.place.text(), info.notes.toPlainText()) == ("Maison de quartier", "Penser au videoprojecteur")
    assert info.start.text() == "09:30"  # only theirs: shown as the base holds it
    assert any(kind == "error" and "rien n'a été enregistré" in text
               and "Le champ modifié entre-temps par " in text
               and "seulement (heure de début) montre maintenant sa valeur." in text for kind, text in messages)


def test_every_dialog_offering_a_side_by_side_choice_can_show_their_values():
    """A :class:`ServiceDialog` with a ``conflict_target`` fills its form from those values
    (``show_values``) when she goes back to her form: none may forget it."""
    import importlib
    import pkgutil

    from qpv_desk.gui.dialogs import __path__ as dialogs_path
    from qpv_desk.gui.dialogs.base import ServiceDialog

    for info in pkgutil.iter_modules(dialogs_path):
        importlib.import_module(f"qpv_desk.gui.dialogs.{info.name}")
    pending = list(ServiceDialog.__subclasses__())
    offering = []
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.conflict_target is not ServiceDialog.conflict_target:
            offering.append(cls.__name__)
            assert cls.show_values is not ServiceDialog.show_values, cls.__name__
    assert {"PersonDialog", "OrganisationDialog"} <= set(offering)


def test_back_to_her_form_the_organisation_dialog_shows_their_type_and_city(qtbot, empty_db, ctx, messages, monkeypatch):
    from qpv_desk.gui.dialogs.organisation import OrganisationDialog
    from qpv_desk.services import partners

    oid = partners.create_organisation(empty_db, {"name": "Centre social", "kind": "association", "city": "Verquin"})
    dialog = OrganisationDialog(ctx, None, partners.get_organisation(empty_db, oid))
    qtbot.addWidget(dialog)
    dialog.show()
    row = partners.get_organisation(empty_db, oid)
    partners.update_organisation(empty_db, oid, {"kind": "bailleur", "city": "Béthune", "phone": "03 21 00 00 01"},
                                 expected_version=row.version)
    qtbot.keyClicks(dialog.ui.phone, "03 21 00 00 02")
    seen = []
    _answer_conflict(qtbot, monkeypatch, seen, keep_theirs=None)
    qtbot.mouseClick(dialog.ui.buttonBox.button(dialog.ui.buttonBox.StandardButton.Ok), Qt.LeftButton)
    assert list(seen[0]) == ["phone"]
    ui = dialog.ui
    assert (ui.phone.text(), ui.kind.currentText(), ui.city.text()) == ("03 21 00 00 02", "Bailleur social", "Béthune")
    assert "seulement (type, commune) montrent maintenant sa valeur." in ui.errorSummary.text()
    assert partners.get_organisation(empty_db, oid).phone == "03 21 00 00 01"  # nothing saved
