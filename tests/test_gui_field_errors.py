"""One way to show a refused input (dialogs/base.FieldErrors) and one place that keeps typed
text (dialogs/base.KeepsTypedText)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qpv_desk.gui.dialogs import base
from qpv_desk.gui.dialogs.base import FieldErrors, KeepsTypedText


class Form(KeepsTypedText, QDialog):
    """Two tabs: a form (name, town) and a list in a box layout (members)."""

    def __init__(self, saves: bool = True):
        super().__init__()
        self.saves = saves
        self.saved = 0
        tabs = QTabWidget()
        first = QWidget()
        form = QFormLayout(first)
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.town = QLineEdit()
        self.town.setObjectName("town")
        form.addRow("Nom", self.name)
        form.addRow("Commune", self.town)
        second = QWidget()
        box = QVBoxLayout(second)
        self.members = QListWidget()
        box.addWidget(QLabel("Membres"))
        box.addWidget(self.members)
        tabs.addTab(first, "Identité")
        tabs.addTab(second, "Membres")
        self.tabs = tabs
        self.summary = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.summary)
        self.errors = FieldErrors(None, {"name": self.name, "town": self.town, "members": self.members},
                                  self.summary)

    def save_unsaved(self) -> bool:
        self.saved += 1
        if self.saves:
            self.mark_clean()
        return self.saves


@pytest.fixture
def form(qtbot):
    dialog = Form()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_every_field_error_at_once_under_its_field(qtbot, form):
    form.tabs.setCurrentIndex(0)
    form.activateWindow()
    form.errors.show({"members": "Ajoutez au moins un membre.", "town": "La commune est obligatoire."})
    assert form.errors.message("members") == "Ajoutez au moins un membre."
    assert form.errors.message("town") == "La commune est obligatoire."
    assert form.errors.message("name") == ""
    assert form.tabs.currentIndex() == 1  # the first wrong field's tab comes forward…
    assert QApplication.focusWidget() is form.members  # …and the field has the focus
    label = form.findChild(QLabel, "error_members")
    assert label.isVisible() and label.parentWidget() is form.members.parentWidget()  # under the list
    text = form.summary.text()
    assert text.startswith("Corrigez les 2 champs signalés : rien n'a été enregistré.")
    assert "• Ajoutez au moins un membre." in text and "• La commune est obligatoire." in text
    assert form.town.styleSheet() == base.INVALID_STYLE
    form.errors.clear()
    assert form.errors.message("town") == "" and form.summary.isHidden() and form.town.styleSheet() == ""


def test_a_message_for_no_field_goes_to_the_summary(form):
    form.errors.show({"year": "L'année 1850 n'est pas plausible."})
    assert "L'année 1850 n'est pas plausible." in form.summary.text()
    form.errors.show({}, "La fiche a été supprimée.")
    assert form.summary.text() == "La fiche a été supprimée. Rien n'a été enregistré."


@pytest.fixture
def asked(monkeypatch):
    answers, questions = [], []

    def ask(parent, what="Vos modifications"):
        questions.append(what)
        return answers.pop(0)

    monkeypatch.setattr(base, "ask_unsaved", ask)
    return answers, questions


def test_escape_with_nothing_typed_closes_without_asking(qtbot, form, asked):
    _answers, questions = asked
    qtbot.keyClick(form, Qt.Key_Escape)
    assert not form.isVisible() and questions == []


def test_escape_with_typed_text_asks_first(qtbot, form, asked):
    answers, questions = asked
    qtbot.keyClicks(form.name, "Maison de quartier")
    answers.append(base.CANCEL)
    qtbot.keyClick(form.name, Qt.Key_Escape)
    assert form.isVisible() and form.name.text() == "Maison de quartier"  # « Annuler »: nothing dropped
    assert questions == ["Les modifications de cette fenêtre"]
    answers.append(base.DISCARD)
    form.close()  # the window's close button
    assert not form.isVisible() and form.result() == QDialog.Rejected and len(questions) == 2


def test_save_keeps_the_dialog_open_when_refused(qtbot, asked):
    answers, _questions = asked
    dialog = Form(saves=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.town, "Verquin")
    answers.append(base.SAVE)
    dialog.reject()
    assert dialog.isVisible() and dialog.saved == 1  # refused: she stays with her text
    dialog.saves = True
    answers.append(base.SAVE)
    dialog.reject()
    assert not dialog.isVisible() and dialog.saved == 2


def test_nothing_asked_on_a_read_only_base(qtbot, asked):
    _answers, questions = asked
    dialog = Form()
    dialog.ctx = type("Ctx", (), {"read_only": True})()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.town, "Verquin")
    dialog.reject()
    assert not dialog.isVisible() and questions == []
    locked = Form()  # a record her rights do not let her change
    locked.locked = True
    qtbot.addWidget(locked)
    locked.show()
    qtbot.keyClicks(locked.town, "Verquin")
    locked.reject()
    assert not locked.isVisible() and questions == []


def test_the_new_meeting_dialog_shows_all_its_errors_at_once(qtbot, sample_db, messages):
    from qpv_desk.gui.context import AppContext
    from qpv_desk.gui.dialogs.meeting_new import NewMeetingDialog
    from qpv_desk.services import meetings as M

    ctx = AppContext()
    ctx.set_database(sample_db)
    before = len(M.list_meetings(sample_db))
    dialog = NewMeetingDialog(ctx, [])  # no body to choose
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.date.edit.clear()
    qtbot.keyClicks(dialog.date.edit, "31/02/2026")
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.LeftButton)
    assert dialog.isVisible() and dialog.meeting_id is None
    assert "instance" in dialog.errors.message("body_id")
    assert "31/02/2026 n'existe pas" in dialog.errors.message("date")
    assert "Corrigez les 2 champs signalés" in dialog.summary.text()
    assert messages == []  # under the fields, not in a message box
    # the service's refusals take the same way
    dialog = NewMeetingDialog(ctx, M.bodies(sample_db))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.start, "16:00")
    qtbot.keyClicks(dialog.end, "14:00")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.LeftButton)
    assert dialog.isVisible() and "précède" in dialog.errors.message("end_time")
    assert messages == [] and len(M.list_meetings(sample_db)) == before
    dialog.end.clear()
    qtbot.keyClicks(dialog.end, "18:00")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted and len(M.list_meetings(sample_db)) == before + 1
