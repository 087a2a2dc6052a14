"""Issue 12, defect by defect, on real widgets: typed text kept, date field, choosers, list keys, icons."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QStyleOptionViewItem

from gui_helpers import answer_next_box, pick
from qpv_desk.domain.errors import ValidationError
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.dialogs.organisation import OrganisationDialog
from qpv_desk.gui.main_window import load_page_classes
from qpv_desk.gui.pages.meetings import MeetingsPage
from qpv_desk.gui.pages.partners import PartnersPage
from qpv_desk.gui.widgets.chooser import Chooser
from qpv_desk.gui.widgets.date_field import DateField, parse_french_date
from qpv_desk.services import meetings as M
from qpv_desk.services import partners as P


@pytest.fixture
def ctx(sample_db):
    context = AppContext()
    context.set_database(sample_db)
    return context


# --------------------------------------------------------------------------- 1. typed text is never dropped


def test_an_editing_dialog_asks_before_dropping_typed_text(qtbot, ctx, sample_db, messages):
    before = {o.name for o in P.list_organisations(sample_db)}
    dialog = OrganisationDialog(ctx, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.ui.buttonBox.button(QDialogButtonBox.Cancel), Qt.LeftButton)  # nothing typed: no question
    assert not dialog.isVisible()

    dialog = OrganisationDialog(ctx, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.ui.name, "Maison des familles")
    questions: list[str] = []
    answer_next_box(qtbot, "Annuler", questions)
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert dialog.isVisible() and dialog.ui.name.text() == "Maison des familles"
    answer_next_box(qtbot, "Ne pas enregistrer", questions)
    dialog.close()  # the window's close button
    assert not dialog.isVisible() and len(questions) == 2
    assert {o.name for o in P.list_organisations(sample_db)} == before

    dialog = OrganisationDialog(ctx, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.ui.name, "Maison des familles")
    answer_next_box(qtbot, "Enregistrer")
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert not dialog.isVisible()
    assert "Maison des familles" in {o.name for o in P.list_organisations(sample_db)}


# --------------------------------------------------------------------------- 5. one date field


@pytest.mark.parametrize("typed", ["08/12/2026", "8/12/26", "08122026", "8.12.2026", "2026-12-08", "081226"])
def test_the_date_field_reads_what_a_french_user_types(qtbot, typed):
    field = DateField()
    qtbot.addWidget(field)
    qtbot.keyClicks(field.edit, typed)
    assert field.value() == dt.date(2026, 12, 8)
    assert field.weekday.text() == "mardi"
    field.edit.editingFinished.emit()
    assert field.edit.text() == "08/12/2026"


def test_the_date_field_refuses_the_impossible_and_never_changes_it(qtbot):
    field = DateField()
    qtbot.addWidget(field)
    field.show()
    qtbot.keyClicks(field.edit, "31/02/2026")
    assert field.edit.text() == "31/02/2026"  # kept as typed, not turned into 03/03
    assert field.error() == "Le 31/02/2026 n'existe pas : vérifiez le jour et le mois."
    assert field.message.isVisible() and field.weekday.text() == ""
    assert not field.date().isValid()
    with pytest.raises(ValidationError):
        parse_french_date("demain")


# --------------------------------------------------------------------------- 3/4. choosers


def test_a_chooser_searches_by_words_without_accents_and_stays_put(qtbot, sample_db):
    chooser = Chooser()
    qtbot.addWidget(chooser)
    chooser.show()
    chooser.set_choices(M.actions(sample_db), empty="")
    pick(qtbot, chooser, "eco ateliers energie")
    assert chooser.currentText() == "2026-33 – Éco-ateliers énergie et budget dans les logements sociaux"
    assert chooser.toolTip() == chooser.currentText()
    widest = max(chooser.fontMetrics().horizontalAdvance(chooser.itemText(i)) for i in range(chooser.count()))
    assert chooser.view().minimumWidth() >= widest  # the list shows whole labels
    chooser.set_choices(M.actions(sample_db), empty="")  # a reload keeps the choice
    assert chooser.value() == M.actions(sample_db)[2].id


def test_represented_by_lists_the_same_organisation_first(qtbot, sample_db, ctx, messages):
    meeting = next(m for m in M.list_meetings(sample_db) if m.invited)
    from qpv_desk.gui.dialogs.meeting_editor import MeetingEditor

    editor = MeetingEditor(ctx, meeting.id)
    qtbot.addWidget(editor)
    editor.show()
    view = editor.attendance.view
    model = editor.attendance.model
    row = model.find(lambda r: r.organisation_id is not None)
    index = model.index(row, 4)
    delegate = view.itemDelegateForColumn(4)
    chooser = delegate.createEditor(view.viewport(), QStyleOptionViewItem(), index)
    colleagues = [c.id for c in M.persons(sample_db) if c.extra == model.row_at(row).organisation_id]
    assert [chooser.itemData(i) for i in range(1, len(colleagues) + 1)] == colleagues
    assert isinstance(chooser, Chooser)


# --------------------------------------------------------------------------- 6. Enter opens, Delete deletes


def test_enter_opens_and_delete_deletes_in_the_meetings_list(qtbot, ctx, sample_db, messages):
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    target = page.model.row_at(0)
    page.view.setFocus()
    page.view.selectRow(0)
    qtbot.keyClick(page.view, Qt.Key_Return)
    assert page.editors[target.id].isVisible()
    qtbot.addWidget(page.editors[target.id])
    page.editors[target.id].close()
    page.view.selectRow(0)
    qtbot.keyClick(page.view, Qt.Key_Delete)
    assert target.id not in {m.id for m in M.list_meetings(sample_db)}  # confirmed (the fixture says yes)


def test_delete_in_the_organisations_list_asks_first(qtbot, ctx, sample_db, monkeypatch):
    asked = []
    monkeypatch.setattr(AppContext, "confirm", staticmethod(lambda parent, msg, title="": asked.append(msg) or False))
    page = PartnersPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    tab = page.organisations
    tab.view.setFocus()
    tab.view.selectRow(0)
    name = tab.model.row_at(0).name
    qtbot.keyClick(tab.view, Qt.Key_Delete)
    assert asked and name in asked[0]
    assert name in {o.name for o in P.list_organisations(sample_db)}  # « Non »: nothing deleted


# --------------------------------------------------------------------------- 10. one icon per page


def test_each_page_has_its_own_icon():
    icons = [cls.icon for cls in load_page_classes()]
    assert len(icons) == len(set(icons)), icons


# --------------------------------------------------------------------------- 7. nothing cut, numbers never break


def test_headers_are_never_cut_in_a_word_and_amounts_never_break(qtbot, ctx, sample_db, messages):
    import re

    from qpv_desk.gui.dialogs.meeting_editor import MeetingEditor
    from qpv_desk.gui.pages.followup import FollowupPage
    from qpv_desk.gui.pages.programme import ProgrammePage
    from qpv_desk.gui.widgets.headers import cut_titles

    programme = ProgrammePage(ctx)
    qtbot.addWidget(programme)
    programme.resize(1366 - 200, 640)
    programme.show()
    programme.refresh()
    programme.apply_filters({"year": 2026})
    assert programme.model.columnCount() > 10
    assert cut_titles(programme.view) == []
    footer = programme.footer.text()
    assert "€" in footer and not re.search(r"\d \d|\d €", footer), footer  # only no-break spaces in amounts
    assert re.search(r"<nobr>[^<]*\d[^<]*€</nobr>", footer)  # and an amount is never wrapped

    followup = FollowupPage(ctx)
    qtbot.addWidget(followup)
    followup.resize(1366 - 200, 640)
    followup.show()
    followup.refresh()
    assert cut_titles(followup.tree) == []

    editor = MeetingEditor(ctx, M.list_meetings(sample_db)[0].id)
    qtbot.addWidget(editor)
    editor.show()
    assert cut_titles(editor.attendance.view) == []
    assert cut_titles(editor.tasks.own_view) == []


# --------------------------------------------------------------------------- 9. one definition per figure


def test_beneficiaries_have_one_definition_on_every_screen(sample_db):
    from qpv_desk.domain.aggregation import counts_for_beneficiaries
    from qpv_desk.services import followup as F
    from qpv_desk.services import programme as PR

    rows = PR.list_actions(sample_db, 2026).rows
    assert any(not counts_for_beneficiaries(r.status) and r.beneficiaries_planned for r in rows), \
        "la base d'exemple doit avoir une action non retenue avec des bénéficiaires"
    footer = PR.programme_totals(rows).beneficiaries_planned
    tree = F.objective_tree_summary(sample_db, 2026)
    suivi = sum(o.beneficiaries_planned for o in tree if o.depth == min(t.depth for t in tree))
    assert footer == suivi == sum(r.beneficiaries_planned or 0 for r in rows if counts_for_beneficiaries(r.status))


def test_typing_in_the_territory_form_survives_switching_page_and_asks_on_quitting(qtbot, ctx, sample_db, messages):
    from qpv_desk.gui.pages.referential import ReferentialPage
    from qpv_desk.services import portrait

    page = ReferentialPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    epci = page.territory.ui.epci
    epci.selectAll()
    qtbot.keyClicks(epci, "CA Bethune-Bruay")
    page.refresh()  # coming back to the page after another one wrote something
    assert epci.text() == "CA Bethune-Bruay"
    answer_next_box(qtbot, "Annuler")
    assert not page.can_close()  # the window asks, « Annuler »: nothing closes
    answer_next_box(qtbot, "Enregistrer")
    assert page.can_close()
    assert portrait.contracts(sample_db)[0].epci == "CA Bethune-Bruay"


def test_the_holder_of_an_action_is_found_by_words_without_accents(qtbot, ctx, sample_db, messages):
    from qpv_desk.gui.dialogs.action_editor import ActionEditor

    dialog = ActionEditor(ctx, None, year=2026)
    qtbot.addWidget(dialog)
    dialog.show()
    pick(qtbot, dialog.holder, "solidaires ecrivains")
    assert dialog.holder.currentText().startswith("Écrivains publics solidaires")


def test_the_status_change_dialog_asks_before_dropping_a_comment(qtbot):
    from qpv_desk.domain.enums import ActionStatus
    from qpv_desk.gui.dialogs.action_status import StatusChangeDialog

    dialog = StatusChangeDialog(None, ActionStatus.DEPOSEE, [])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.status.setFocus()
    qtbot.keyClick(dialog.status, Qt.Key_Down)  # a new status chosen (none is, when it opens)
    qtbot.keyClicks(dialog.note, "Avis du GT du 10 fevrier")
    asked: list[str] = []
    answer_next_box(qtbot, "Annuler", asked)
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert dialog.isVisible() and asked
    answer_next_box(qtbot, "Enregistrer", asked)
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.values()["note"] == "Avis du GT du 10 fevrier"


def test_the_status_change_dialog_opens_with_no_new_status_chosen(qtbot):
    from qpv_desk.domain.enums import ActionStatus
    from qpv_desk.gui.dialogs.action_status import StatusChangeDialog

    dialog = StatusChangeDialog(None, ActionStatus.EN_INSTRUCTION, [])
    qtbot.addWidget(dialog)
    dialog.show()
    offered = [dialog.status.itemData(i) for i in range(dialog.status.count())]
    assert dialog.status.currentIndex() == -1 and dialog.status.currentData() is None
    assert ActionStatus.EN_INSTRUCTION.value not in offered  # the current one is no change
    assert "En instruction" in dialog.status.placeholderText()  # but she sees which it is
    ok = dialog.ui.buttonBox.button(QDialogButtonBox.Ok)
    qtbot.mouseClick(ok, Qt.LeftButton)  # « Enregistrer le statut » with nothing chosen: refused, said under the field
    assert dialog.isVisible() and dialog.result() != dialog.DialogCode.Accepted
    assert dialog.errors.message("status") == "Choisissez le nouveau statut de l'action."
    assert dialog.focusWidget() is dialog.status
    qtbot.keyClick(dialog.status, Qt.Key_Down)
    chosen = dialog.status.currentData()
    assert chosen is not None and chosen != ActionStatus.EN_INSTRUCTION.value
    qtbot.mouseClick(ok, Qt.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.values()["status"] == chosen
    again = StatusChangeDialog(None, ActionStatus.EN_INSTRUCTION, [])  # the previous choice does not leak in
    qtbot.addWidget(again)
    assert again.status.currentData() is None
