"""The Programmation page and the fiche action driven like a user; the database is checked after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from gui_helpers import answer_next_box, funder_row, type_in_cell
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

import programme_data as D
from qpv_desk.domain import enums as E
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.dialogs import action_editor as editor_module
from qpv_desk.gui.dialogs.action_editor import ActionEditor
from qpv_desk.gui.dialogs.action_status import StatusChangeDialog
from qpv_desk.gui.pages.programme import ProgrammePage
from qpv_desk.services import programme as P
from qpv_desk.store.db import open_database
from qpv_desk.store.models import Action, ActionObjective, ActionStatusChange, FundingLine, Indicator, ProgrammeYear


@pytest.fixture
def seed(tmp_path):
    db = open_database(tmp_path / "base.sqlite", create=True)
    yield D.programme(db)
    db.close()



@pytest.fixture
def ctx(seed, messages):
    context = AppContext()
    context.set_database(seed.db)
    return context


@pytest.fixture
def page(qtbot, ctx):
    widget = ProgrammePage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    widget.refresh()
    widget.apply_filters({"year": 2026})
    return widget


def footer_text(page) -> str:
    """The footer without its no-break markup."""
    import re

    return re.sub(r"</?nobr>", "", page.footer.text())


def choose(combo, text: str) -> None:
    index = combo.findText(text, Qt.MatchContains)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def tick(qtbot, dialog: ActionEditor, code: str, column: int = 0) -> None:
    """Select the objective's row and press Space on the check box column, as a user would."""
    oid = next(c.id for c in dialog._choices if c.code == code)
    index = dialog.objective_model.index_of_id(oid, column)
    view = dialog.objective_view
    view.scrollTo(index)
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key_Space)


def test_create_action_by_typing(qtbot, ctx, seed, messages):
    dialog = ActionEditor(ctx, None, year=2026)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.title, "Atelier informatique seniors")
    qtbot.keyClicks(dialog.holder.lineEdit(), "Mission locale de l'Artois")
    qtbot.keyClicks(dialog.place, "Maison de quartier")
    qtbot.keyClicks(dialog.start_date.edit, "01/03/2026")
    qtbot.keyClicks(dialog.end_date.edit, "30/11/2026")
    qtbot.keyClicks(dialog.platform_code, "DOS-PV-2026-77")
    qtbot.keyClicks(dialog.beneficiaries_planned, "45")
    dialog.multi_year.click()
    # objectives: 1.1.3 first ticked → principal; 2.2.1 secondary; then make 2.2.1 the principal one
    dialog.tabs.setCurrentIndex(1)
    tick(qtbot, dialog, "1.1.3")
    tick(qtbot, dialog, "2.2.1")
    assert dialog.objective_model.principal == seed.obj["1.1.3"]
    tick(qtbot, dialog, "2.2.1", column=1)
    assert dialog.objective_model.principal == seed.obj["2.2.1"]
    assert "2.2.1" in dialog.principal_label.text()
    # financing: unbalanced first, then balanced
    dialog.tabs.setCurrentIndex(2)
    qtbot.keyClicks(dialog.total_cost, "10 000")
    type_in_cell(qtbot, dialog.funding_view, funder_row(dialog, "etat_pv"), 1, "9000")
    assert any("pas équilibré" in w for w in dialog.warnings)
    assert any("90,0 %" in w and "80 %" in w for w in dialog.warnings), dialog.warnings
    type_in_cell(qtbot, dialog.funding_view, funder_row(dialog, "etat_pv"), 1, "6000")
    type_in_cell(qtbot, dialog.funding_view, funder_row(dialog, "commune"), 1, "4 000,50")
    assert any("excédent de 0,50" in w for w in dialog.warnings)
    type_in_cell(qtbot, dialog.funding_view, funder_row(dialog, "commune"), 1, "4000")
    type_in_cell(qtbot, dialog.funding_view, funder_row(dialog, "commune"), 2, "3500")
    assert dialog.warnings == [] and dialog.warnings_label.isHidden()
    # indicators
    dialog.tabs.setCurrentIndex(4)
    qtbot.mouseClick(dialog.add_indicator_button, Qt.LeftButton)
    dialog.indicator_view.closePersistentEditor(dialog.indicator_model.index(0, 0))
    type_in_cell(qtbot, dialog.indicator_view, 0, 0, "Participants")
    type_in_cell(qtbot, dialog.indicator_view, 0, 1, "personnes")
    type_in_cell(qtbot, dialog.indicator_view, 0, 2, "40")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted, dialog.error_label.text()
    with seed.db.reader() as s:
        a = s.scalar(select(Action).where(Action.title == "Atelier informatique seniors"))
        assert a.code == "2026-007" and a.programme_year.year == 2026
        assert a.holder.name == "Mission locale de l'Artois" and a.place == "Maison de quartier"
        assert (a.start_date, a.end_date, a.review_due) == (dt.date(2026, 3, 1), dt.date(2026, 11, 30),
                                                             dt.date(2027, 5, 30))
        assert a.multi_year and a.platform_code == "DOS-PV-2026-77" and a.beneficiaries_planned == 45
        assert a.status == "deposee" and a.total_cost_cents == 1_000_000
        links = {(l.objective.code, l.is_principal) for l in a.objective_links}
        assert links == {("1.1.3", False), ("2.2.1", True)}
        lines = {(l.funder.code, l.requested_cents, l.granted_cents) for l in a.funding_lines}
        assert lines == {("etat_pv", 600_000, None), ("commune", 400_000, 350_000)}
        ind = s.scalar(select(Indicator).where(Indicator.action_id == a.id))
        assert (ind.label, ind.unit, ind.target) == ("Participants", "personnes", Decimal(40))


def test_refused_input_saves_nothing_and_shows_the_tab(qtbot, ctx, seed, messages):
    dialog = ActionEditor(ctx, None, year=2026)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.holder.lineEdit(), "Association Sport et Quartier")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert dialog.result() != QDialog.Accepted
    assert "Intitulé" in dialog.error_label.text() and "rien n'a été enregistré" in dialog.error_label.text()
    assert "obligatoire" in dialog.errors.message("title") and dialog.tabs.currentIndex() == 0  # under the field
    qtbot.keyClicks(dialog.title, "Sans objectif")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert "objectif" in dialog.error_label.text() and dialog.tabs.currentIndex() == 1
    tick(qtbot, dialog, "3.1.1")
    qtbot.keyClicks(dialog.end_date.edit, "31/02/2026")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert "n'est pas une date valide" in dialog.error_label.text()
    with seed.db.reader() as s:
        assert s.scalar(select(func.count()).select_from(Action)) == 7
    dialog.end_date.clear()
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted
    with seed.db.reader() as s:
        assert s.scalar(select(func.count()).select_from(Action)) == 8


def test_status_change_renew_and_bilan(qtbot, ctx, seed, messages, monkeypatch):
    aid = seed.actions["Ateliers cuisine"]
    dialog = ActionEditor(ctx, None, action_id=aid)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.title.text() == "Ateliers cuisine" and dialog.history_model.rowCount() == 1
    # GT opinion, citing the meeting
    monkeypatch.setattr(StatusChangeDialog, "ask", classmethod(lambda cls, parent, current, meetings: {
        "status": "avis_favorable", "date": dt.date(2026, 2, 10),
        "meeting_id": next(m.id for m in meetings if m.id == seed.meeting_id), "note": "Avis du GT"}))
    dialog.tabs.setCurrentIndex(3)
    qtbot.mouseClick(dialog.status_button, Qt.LeftButton)
    # COPIL decision
    monkeypatch.setattr(StatusChangeDialog, "ask", classmethod(lambda cls, parent, current, meetings: {
        "status": "accordee", "date": dt.date(2026, 3, 20), "meeting_id": None, "note": ""}))
    qtbot.mouseClick(dialog.status_button, Qt.LeftButton)
    assert dialog.history_model.rowCount() == 3
    assert dialog.history_model.index(1, 2).data() == "Groupe technique du 10/02/2026"
    assert "Accordée" in dialog.status_label.text()
    # bilan typed after the status changes: the save uses the refreshed version (no conflict)
    dialog.tabs.setCurrentIndex(5)
    qtbot.keyClicks(dialog.review_received.edit, "15/12/2026")
    qtbot.keyClicks(dialog.beneficiaries_reached, "28")
    qtbot.keyClicks(dialog.beneficiaries_qpv, "20")
    qtbot.keyClicks(dialog.review_notes, "Bilan complet")
    qtbot.mouseClick(dialog.renew_button, Qt.LeftButton)
    assert dialog.renewed_id is not None
    assert messages[-1][0] == "info" and "2027-001" in messages[-1][1]
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted, dialog.error_label.text()
    with seed.db.reader() as s:
        a = s.get(Action, aid)
        assert a.status == "accordee"
        assert (a.review_received, a.beneficiaries_reached, a.beneficiaries_qpv, a.review_notes) == (
            dt.date(2026, 12, 15), 28, 20, "Bilan complet")
        hist = s.scalars(select(ActionStatusChange).where(ActionStatusChange.action_id == aid)
                         .order_by(ActionStatusChange.date)).all()
        assert [(h.status, h.meeting_id) for h in hist] == [
            ("deposee", None), ("avis_favorable", seed.meeting_id), ("accordee", None)]
        new = s.get(Action, dialog.renewed_id)
        assert new.is_renewal and new.predecessor_id == aid and new.programme_year.year == 2027
        assert new.status == "deposee"
        assert s.scalar(select(func.count()).select_from(FundingLine).where(FundingLine.action_id == new.id)) == 2
        assert s.scalar(select(ActionObjective.objective_id).where(ActionObjective.action_id == new.id)) == \
            seed.obj["1.2.1"]


def test_add_funder_from_the_editor(qtbot, ctx, seed, messages, monkeypatch):
    dialog = ActionEditor(ctx, None, action_id=seed.actions["Forum emploi"])
    qtbot.addWidget(dialog)
    monkeypatch.setattr(ActionEditor, "ask_funder_name", staticmethod(lambda parent: "Fondation Entreprendre"))
    dialog.tabs.setCurrentIndex(2)
    qtbot.mouseClick(dialog.add_funder_button, Qt.LeftButton)
    row = funder_row(dialog, "fondation_entreprendre")
    type_in_cell(qtbot, dialog.funding_view, row, 1, "500")
    qtbot.keyClicks(dialog.total_cost, "500")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted, dialog.error_label.text()
    d = P.get_action(seed.db, seed.actions["Forum emploi"])
    assert [(f.funder_name, f.requested_cents) for f in d.funding] == [("Fondation Entreprendre", 50_000)]


def test_page_filters_search_and_totals(qtbot, page, seed):
    assert page.model.rowCount() == 6
    assert "<b>6 actions</b>" in page.footer.text() and "coût total 33\u202f000,00\u00a0€" in footer_text(page)
    # status group filter
    choose(page.status, "Groupe : Réalisée")
    assert sorted(r.title for r in page.visible_rows) == ["Forum emploi", "Épicerie solidaire"]
    # objective filter: an orientation includes its objectives
    choose(page.status, "Tous les statuts")
    choose(page.objective, "    1.2 – ")
    assert sorted(r.title for r in page.visible_rows) == ["Ateliers cuisine", "Projet refusé"]
    assert "<b>2 actions</b>" in page.footer.text() and "demandé 7\u202f000,00\u00a0€" in footer_text(page)
    choose(page.objective, "Tous les objectifs")
    choose(page.holder, "Mission locale")
    assert len(page.visible_rows) == 3
    choose(page.holder, "Tous les porteurs")
    choose(page.funder, "CAF")
    assert [r.title for r in page.visible_rows] == ["Épicerie solidaire"]
    choose(page.funder, "Tous les financeurs")
    # debounced search, in memory
    qtbot.keyClicks(page.search, "perman")
    page.search.flush()
    assert [r.title for r in page.visible_rows] == ["Permanence d'accès aux droits"]
    assert "<b>1 action</b>" in page.footer.text()
    # rows shown == service with the same filters, totals == the test's own sum
    page.search.clear()
    page.search.flush()
    choose(page.status, "Groupe : En examen")
    with seed.db.reader() as s:
        total = s.scalar(select(func.sum(Action.total_cost_cents)).join(ProgrammeYear)
                         .where(ProgrammeYear.year == 2026, Action.status.in_(
                             [x.value for x in E.ActionStatus if x.group == E.StatusGroup.EN_COURS_EXAMEN])))
    assert P.programme_totals(page.visible_rows).total_cost_cents == total
    # per-funder columns: « demandé / accordé »
    headers = [page.model.headerData(i, Qt.Horizontal) for i in range(page.model.columnCount())]
    assert any(h.startswith("État – politique de la ville") for h in headers)
    page.reset_filters()
    assert page.model.rowCount() == 6
    col = next(i for i, h in enumerate(headers) if h.startswith("État"))
    row = page.model.find(lambda r: r.code == "2026-001")
    assert page.model.index(row, col).data() == "10\u202f000,00\u00a0€ / 8\u202f000,00\u00a0€"


def test_page_double_click_opens_editor_and_new_action(qtbot, page, seed, monkeypatch):
    opened = []

    def fake_exec(dialog):
        opened.append(dialog)
        if dialog.action_id is None:
            qtbot.keyClicks(dialog.title, "Nouvelle action via la page")
            qtbot.keyClicks(dialog.holder.lineEdit(), "Association Sport et Quartier")
            tick(qtbot, dialog, "3.2.1")
            qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ActionEditor, "exec", fake_exec)
    row = page.model.find(lambda r: r.title == "Épicerie solidaire")
    index = page.model.index(row, 2)
    page.view.scrollTo(index)
    pos = page.view.visualRect(index).center()
    qtbot.mouseClick(page.view.viewport(), Qt.LeftButton, pos=pos)
    qtbot.mouseDClick(page.view.viewport(), Qt.LeftButton, pos=pos)
    assert opened and opened[-1].action_id == seed.actions["Épicerie solidaire"]
    assert opened[-1].title.text() == "Épicerie solidaire"
    qtbot.mouseClick(page.new_button, Qt.LeftButton)
    assert page.model.rowCount() == 7
    assert page.selected().title == "Nouvelle action via la page"
    # renewal from the page
    qtbot.mouseClick(page.renew_button, Qt.LeftButton)
    assert [r.title for r in P.list_actions(seed.db, 2027).rows] == ["Nouvelle action via la page"]


def test_models_pass_qtmodeltester(qtbot, qtmodeltester, ctx, seed, page):
    qtmodeltester.check(page.model)
    dialog = ActionEditor(ctx, None, action_id=seed.actions["Permanence d'accès aux droits"])
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.objective_model)
    qtmodeltester.check(dialog.funding_model)
    qtmodeltester.check(dialog.indicator_model)
    assert editor_module.TAB_OF_FIELD["funding"] == 2


def test_closing_with_unsaved_edits_asks_and_keeps_them(qtbot, ctx, seed, monkeypatch):
    dialog = ActionEditor(ctx, None, action_id=seed.actions["Forum emploi"])
    qtbot.addWidget(dialog)
    dialog.show()
    asked = []
    qtbot.mouseClick(dialog.cancel_button, Qt.LeftButton)  # nothing typed: closes without asking
    assert asked == [] and not dialog.isVisible()
    dialog.show()
    qtbot.keyClicks(dialog.place, "Salle des sports")
    answer_next_box(qtbot, "Annuler", asked)
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert len(asked) == 1 and "pas enregistrées" in asked[0] and dialog.isVisible()
    assert dialog.place.text() == "Salle des sports"
    assert not dialog.quartier.isVisible()  # a single quartier: nothing to choose
    answer_next_box(qtbot, "Enregistrer", asked)
    dialog.close()  # the window's close button: « Enregistrer » saves
    assert len(asked) == 2 and not dialog.isVisible()
    assert P.get_action(seed.db, seed.actions["Forum emploi"]).place == "Salle des sports"


def test_delete_a_wrong_history_line(qtbot, ctx, seed):
    aid = seed.actions["Forum emploi"]  # déposée, then clôturée
    dialog = ActionEditor(ctx, None, action_id=aid)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(3)
    dialog.history_view.selectRow(1)
    qtbot.mouseClick(dialog.delete_status_button, Qt.LeftButton)
    assert dialog.history_model.rowCount() == 1
    assert P.get_action(seed.db, aid).status is E.ActionStatus.DEPOSEE
    dialog.history_view.selectRow(0)
    qtbot.mouseClick(dialog.delete_status_button, Qt.LeftButton)  # the first line stays: refused with a message
    assert dialog.history_model.rowCount() == 1


def test_max_funder_share_setting_from_the_page(qtbot, page, seed, monkeypatch, messages):
    monkeypatch.setattr(ProgrammePage, "ask_max_share", staticmethod(lambda parent, current: "150"))
    qtbot.mouseClick(page.share_button, Qt.LeftButton)
    assert messages[-1][0] == "error" and "100 %" in messages[-1][1]
    assert P.get_setting(seed.db, "max_funder_share") == "80"
    monkeypatch.setattr(ProgrammePage, "ask_max_share", staticmethod(lambda parent, current: "60,5"))
    qtbot.mouseClick(page.share_button, Qt.LeftButton)
    assert P.get_setting(seed.db, "max_funder_share") == "60.5"
    dialog = ActionEditor(page.ctx, None, action_id=seed.actions["Épicerie solidaire"])  # CAF 60 %: within
    qtbot.addWidget(dialog)
    assert dialog.warnings == []
    P.set_setting(seed.db, "max_funder_share", "50")
    dialog = ActionEditor(page.ctx, None, action_id=seed.actions["Épicerie solidaire"])
    qtbot.addWidget(dialog)
    assert len(dialog.warnings) == 1 and "« CAF »" in dialog.warnings[0]


def test_whole_life_of_an_action_on_the_sample_database(qtbot, sample_db, messages, monkeypatch):
    """Enter an action with its financing and objectives, move it through GT opinion and COPIL
    decision to its bilan, renew it, and read it in the Suivi des objectifs."""
    from qpv_desk.gui.pages.followup import FollowupPage
    from qpv_desk.services import followup as F

    ctx = AppContext()
    ctx.set_database(sample_db)
    target = next(o for o in P.objective_choices(sample_db) if o.code == "3.1.2")
    before = {o.code: o for o in F.objective_tree_summary(sample_db, 2026)}
    meetings = P.meeting_choices(sample_db)
    copil = min((m for m in meetings if m.body_name == "Comité de pilotage" and m.date.year == 2026),
                key=lambda m: m.date)
    gt = max((m for m in meetings if m.body_name == "Groupe technique" and m.date < copil.date), key=lambda m: m.date)
    later = lambda days: copil.date + dt.timedelta(days=days)  # noqa: E731
    steps = iter([
        {"status": "avis_favorable", "date": gt.date, "meeting_id": gt.id, "note": ""},
        {"status": "accordee", "date": copil.date, "meeting_id": copil.id, "note": "Montants votés"},
        {"status": "versee", "date": later(30), "meeting_id": None, "note": ""},
        {"status": "justifiee", "date": later(200), "meeting_id": None, "note": "Bilan reçu"},
    ])
    monkeypatch.setattr(StatusChangeDialog, "ask", classmethod(lambda cls, parent, current, m: next(steps)))
    dialog = ActionEditor(ctx, None, year=2026)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.title, "Velo pour tous")
    qtbot.keyClicks(dialog.filed_on.edit, (gt.date - dt.timedelta(days=30)).strftime("%d/%m/%Y"))
    qtbot.keyClicks(dialog.holder.lineEdit(), "Commune de Verquin")
    qtbot.keyClicks(dialog.end_date.edit, "31/10/2026")
    tick(qtbot, dialog, "3.1.2")
    qtbot.keyClicks(dialog.total_cost, "5000")
    type_in_cell(qtbot, dialog.funding_view, funder_row(dialog, "etat_pv"), 1, "3000")
    type_in_cell(qtbot, dialog.funding_view, funder_row(dialog, "commune"), 1, "2000")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted, dialog.error_label.text()
    aid = dialog.action_id
    editor = ActionEditor(ctx, None, action_id=aid)
    qtbot.addWidget(editor)
    editor.show()
    for _ in range(4):
        qtbot.mouseClick(editor.status_button, Qt.LeftButton)
    type_in_cell(qtbot, editor.funding_view, funder_row(editor, "etat_pv"), 2, "3000")
    type_in_cell(qtbot, editor.funding_view, funder_row(editor, "commune"), 2, "2000")
    qtbot.keyClicks(editor.review_received, "15/11/2026")
    qtbot.keyClicks(editor.beneficiaries_reached, "25")
    qtbot.mouseClick(editor.renew_button, Qt.LeftButton)
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    assert editor.result() == QDialog.Accepted, editor.error_label.text()
    d = P.get_action(sample_db, aid)
    assert d.status is E.ActionStatus.JUSTIFIEE and d.review_received == dt.date(2026, 11, 15)
    assert [h.meeting_id for h in d.history][1:3] == [gt.id, copil.id]
    assert d.granted_cents == 500_000 and len(d.successor_ids) == 1
    page = FollowupPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    page.apply_filters({"year": 2026, "objective_id": target.id})
    after = {o.code: o for o in page.model.summaries()}
    assert after["3.1.2"].actions == before["3.1.2"].actions + 1 and not after["3.1.2"].uncovered
    assert after["3.1.2"].realisee == before["3.1.2"].realisee + 1
    assert after["3"].granted_cents == before["3"].granted_cents + 500_000
    assert after["3"].state_granted_cents == before["3"].state_granted_cents + 300_000
    assert after["3.1.2"].reviews_received == before["3.1.2"].reviews_received + 1
    assert [r.title for r in page.actions_model.rows if r.id == aid] == ["Velo pour tous"]
    renewed = P.get_action(sample_db, d.successor_ids[0])
    assert renewed.year == 2027 and renewed.is_renewal and renewed.requested_cents == 500_000


def test_backdated_status_change_is_explained(qtbot, ctx, seed, messages, monkeypatch):
    aid = seed.actions["Permanence d'accès aux droits"]  # notifiée on 01/03/2026
    dialog = ActionEditor(ctx, None, action_id=aid)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(StatusChangeDialog, "ask", classmethod(lambda cls, parent, current, meetings: {
        "status": "en_instruction", "date": dt.date(2026, 1, 5), "meeting_id": None, "note": ""}))
    qtbot.mouseClick(dialog.status_button, Qt.LeftButton)
    assert messages[-1][0] == "info" and "le statut actuel ne change pas" in messages[-1][1]
    assert [dialog.history_model.index(r, 1).data() for r in range(3)] == ["Déposée", "En instruction", "Notifiée"]
    assert P.get_action(seed.db, aid).status is E.ActionStatus.NOTIFIEE
