"""Partenaires › Instances › « Registre du conseil citoyen… » driven like a user: set the
collège and the suppléance, see the checks change, record the arrêté, replace a member,
draw the residents from a list and write the arrêté's annex."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document
from PySide6.QtCore import Qt

from threads import watch
from qpv_desk.domain import council as CC
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.dialogs import council_register as register_dialog
from qpv_desk.gui.pages.partners import PartnersPage
from qpv_desk.services import council as S
from qpv_desk.services import partners as P
from qpv_desk.services.history import history


@pytest.fixture
def db(verquin_db):
    body = next(b.id for b in P.list_bodies(verquin_db) if b.code == "CC")
    for civ, first, last in (("Mme", "Claire", "Dubois"), ("M.", "Marc", "Leroy"), ("Mme", "Inès", "Zidane")):
        pid = P.create_person(verquin_db, {"civility": civ, "first_name": first, "last_name": last})
        P.create_membership(verquin_db, {"body_id": body, "person_id": pid, "start_date": "2024-01-01"})
    return verquin_db


@pytest.fixture
def dialog(qtbot, db, messages):
    ctx = AppContext()
    ctx.set_database(db)
    page = PartnersPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    page.refresh()
    page.apply_filters({"tab": "instances"})
    tab = page.instances
    gt = next(b.id for b in P.list_bodies(db) if b.code == "GT")
    tab.select_body(gt)
    assert not tab.register_button.isEnabled()  # only for a conseil citoyen
    tab.select_body(next(b.id for b in P.list_bodies(db) if b.code == "CC"))
    assert tab.register_button.isEnabled()
    qtbot.mouseClick(tab.register_button, Qt.LeftButton)
    dlg = page.active_dialog
    assert isinstance(dlg, register_dialog.CouncilRegisterDialog)
    qtbot.waitExposed(dlg)
    return dlg


def set_member(qtbot, dlg, name, college, mode, titulaire=None, end=""):
    dlg.select_name(name)
    assert dlg.selected().name == name
    dlg.college.setCurrentIndex(dlg.college.findText(college))
    dlg.entry_mode.setCurrentIndex(dlg.entry_mode.findText(mode))
    dlg.titulaire.setCurrentIndex(dlg.titulaire.findText(titulaire or "Titulaire"))
    dlg.end_date.clear()
    qtbot.keyClicks(dlg.end_date, end)
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)


def test_register_in_the_gui(dialog, qtbot, db, tmp_path, monkeypatch, messages):
    dlg = dialog
    assert dlg.model.rowCount() == 3
    assert "Aucun habitant titulaire" in dlg.checks.text()
    end = (dt.date.today() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    set_member(qtbot, dlg, "Mme Claire Dubois", "Habitants", "Tirage au sort", end=end)
    set_member(qtbot, dlg, "M. Marc Leroy", "Habitants", "Volontaire")
    set_member(qtbot, dlg, "Mme Inès Zidane", "Habitants", "Tirage au sort",
               titulaire="Suppléant(e) de Mme Claire Dubois")
    assert messages == []
    reg = S.council_register(db, dlg.body_id)
    ines = next(r for r in reg.members if r.name == "Mme Inès Zidane")
    assert ines.substitute and ines.standing == "Suppléante de Mme Claire Dubois"
    text = dlg.checks.text()
    assert "1 femme et 1 homme" in text  # parity among the titulaires
    assert "Mme Claire Dubois (" in text  # mandate ending within three months
    assert "M. Marc Leroy." in text  # titulaire without suppléant
    assert [dlg.model.row_at(i).name for i in range(3)] == ["Mme Claire Dubois", "Mme Inès Zidane", "M. Marc Leroy"]

    # a bad date: the field says so, nothing saved
    dlg.select_name("M. Marc Leroy")
    dlg.end_date.clear()
    qtbot.keyClicks(dlg.end_date, "31/02/2027")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.errors.labels["end_date"].isVisibleTo(dlg)
    assert next(r for r in S.council_register(db, dlg.body_id).members if r.name == "M. Marc Leroy").end_date is None

    # the arrêté
    qtbot.keyClicks(dlg.arrete_reference, "2024-117")
    qtbot.keyClicks(dlg.arrete_date, "12/06/2024")
    qtbot.mouseClick(dlg.arrete_save, Qt.LeftButton)
    reg = S.council_register(db, dlg.body_id)
    assert (reg.arrete_reference, reg.arrete_date) == ("2024-117", dt.date(2024, 6, 12))

    # Marc is replaced by a new contact
    P.create_person(db, {"civility": "M.", "first_name": "Paul", "last_name": "Bernard"})
    dlg.select_name("M. Marc Leroy")
    monkeypatch.setattr(register_dialog, "ask_replacement", lambda parent, name, persons: (
        next(i for label, i in persons if "Paul Bernard" in label), dt.date.today()))
    qtbot.mouseClick(dlg.replace_button, Qt.LeftButton)
    names = [dlg.model.row_at(i).name for i in range(dlg.model.rowCount())]
    assert "M. Paul Bernard" in names and "M. Marc Leroy" not in names
    assert dlg.selected().name == "M. Paul Bernard" and dlg.selected().entry_mode == CC.EntryMode.VOLONTAIRE
    assert [dlg.former_model.row_at(i).name for i in range(dlg.former_model.rowCount())] == ["M. Marc Leroy"]
    assert any(e.operation_label == "Remplacement" for e in history(db, "body", dlg.body_id))

    # the annex
    out = tmp_path / "annexe.docx"
    monkeypatch.setattr(register_dialog, "ask_annexe_path", lambda parent, suggested: out)
    qtbot.mouseClick(dlg.annexe_button, Qt.LeftButton)
    qtbot.waitUntil(out.exists, timeout=10_000)
    rows = [[c.text for c in r.cells] for t in Document(str(out)).tables for r in t.rows]
    assert ["Habitants", "Mme Inès Zidane", "Habitante, suppléante de Mme Claire Dubois"] in rows


def test_draw_in_the_gui(dialog, qtbot, db, tmp_path, monkeypatch, messages):
    dlg = dialog
    listing = tmp_path / "volontaires.csv"
    listing.write_text("Civilité;Prénom;Nom\n" + "\n".join(
        f"{'Mme' if i % 2 else 'M.'};P{i};Nom{i:02d}" for i in range(10)), encoding="utf-8")
    monkeypatch.setattr(register_dialog, "ask_draw", lambda parent: (listing, 4, "graine-test"))
    reads, draws = watch(monkeypatch, S, "read_candidates"), watch(monkeypatch, S, "record_draw")
    qtbot.mouseClick(dlg.draw_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dlg.model.rowCount() == 3 + 4, timeout=10_000)
    assert reads == draws == [False]  # the list is read and drawn off the GUI thread
    draw = S.list_draws(db, dlg.body_id)[0]
    assert draw.seed == "graine-test" and draw.reproduced and len(draw.drawn) == 4
    assert dlg.model.rowCount() == 3 + 4  # the confirmation (yes in tests) registered them
    drawn = {c.name for c in draw.drawn}
    added = [dlg.model.row_at(i) for i in range(dlg.model.rowCount()) if dlg.model.row_at(i).name in drawn]
    assert len(added) == 4 and all(r.entry_mode == CC.EntryMode.TIRAGE for r in added)
    assert "1 femme" not in dlg.checks.text() and "2 femmes et 2 hommes" in dlg.checks.text()


def test_typed_register_text_is_never_dropped(dialog, qtbot, db, monkeypatch, messages):
    from qpv_desk.gui.dialogs import base as dialog_base

    dlg = dialog
    asked = []
    answers = iter([dialog_base.CANCEL, dialog_base.SAVE, dialog_base.CANCEL, dialog_base.SAVE])
    monkeypatch.setattr(dialog_base, "ask_unsaved", lambda parent, what="": asked.append(what) or next(answers))
    # another member chosen while the first one's dates are typed: asked; « Annuler » stays
    dlg.select_name("Mme Claire Dubois")
    qtbot.keyClicks(dlg.end_date, "31/12/2027")
    dlg.select_name("M. Marc Leroy")
    assert asked == ["Les informations de ce membre"] and dlg.selected().name == "Mme Claire Dubois"
    assert dlg.end_date.text() == "31/12/2027"
    dlg.select_name("M. Marc Leroy")  # « Enregistrer »: saved, then on to Marc
    assert dlg.selected().name == "M. Marc Leroy"
    claire = next(r for r in S.council_register(db, dlg.body_id).members if r.name == "Mme Claire Dubois")
    assert claire.end_date == dt.date(2027, 12, 31)
    # Escape with the arrêté typed: asked; « Annuler » keeps it, « Enregistrer » saves and closes
    qtbot.keyClicks(dlg.arrete_reference, "2024-117")
    qtbot.keyClick(dlg, Qt.Key_Escape)
    assert dlg.isVisible() and dlg.arrete_reference.text() == "2024-117"
    qtbot.keyClick(dlg, Qt.Key_Escape)
    assert not dlg.isVisible()
    assert S.council_register(db, dlg.body_id).arrete_reference == "2024-117"
    assert asked[2:] == ["Les modifications du registre"] * 2
