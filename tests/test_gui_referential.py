"""The Référentiel page: contract and quartier forms, portrait, objective tree editor, import preview."""

from __future__ import annotations

from decimal import Decimal

import pytest
from gui_helpers import answer_next_box
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from conftest import VERQUIN_TOML
from referential_data import node_by_code
from qpv_desk.gui.dialogs.referential_import import ReferentialImportDialog
from qpv_desk.gui.models import ROW_ROLE
from qpv_desk.gui.pages import referential as referential_page
from qpv_desk.services import objectives as O
from qpv_desk.services import portrait as T


@pytest.fixture
def db(verquin_db):
    return verquin_db


@pytest.fixture
def page(ref_page):
    return ref_page


def select_code(page, code):
    tab = page.objectives
    node = next(n for n in tab.model.tree.nodes if n.code == code)
    tab.select(node.id)
    assert tab.selected().code == code


def ok(qtbot, dialog):
    qtbot.mouseClick(dialog.ui.buttonBox.button(QDialogButtonBox.Ok), Qt.LeftButton)


def test_models_pass_modeltester(page, qtmodeltester):
    assert page.objectives.model.rowCount() == 3
    qtmodeltester.check(page.objectives.model)
    assert page.portrait.model.rowCount() > 0
    qtmodeltester.check(page.portrait.model)


def test_portrait_table_and_chart(page, db):
    stats = T.statistics(db, T.quartiers(db)[0].id)
    assert page.portrait.model.rowCount() == len(stats)
    comparable = [s.label for s in stats if s.comparable]
    assert [g.label for g in page.portrait.chart.groups] == comparable
    assert "Population" not in comparable
    poverty = next(g for g in page.portrait.chart.groups if g.label == "Taux de pauvreté")
    assert poverty.values == (40.3, 18.8)
    assert not page.portrait.chart.grab().isNull()


def test_rename_objective(qtbot, page, db):
    select_code(page, "1.1")
    qtbot.mouseClick(page.objectives.buttons["rename"], Qt.LeftButton)
    dialog = page.active_dialog
    dialog.ui.title.clear()
    qtbot.keyClicks(dialog.ui.title, "Faciliter l'acces aux droits")
    ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert node_by_code(db, "1.1").title == "Faciliter l'acces aux droits"
    assert page.objectives.selected().code == "1.1"


def test_rename_to_empty_is_refused(qtbot, page, db):
    before = node_by_code(db, "1.2").title
    select_code(page, "1.2")
    qtbot.mouseClick(page.objectives.buttons["rename"], Qt.LeftButton)
    dialog = page.active_dialog
    dialog.ui.title.clear()
    ok(qtbot, dialog)
    assert dialog.isVisible() and "obligatoire" in dialog.errors.message("title")
    assert node_by_code(db, "1.2").title == before
    answer_next_box(qtbot, "Ne pas enregistrer")  # « Annuler » with the title erased: asked, then dropped
    dialog.reject()
    assert not dialog.isVisible() and node_by_code(db, "1.2").title == before


def test_add_child_and_sibling(qtbot, page, db):
    select_code(page, "2.4")
    qtbot.mouseClick(page.objectives.buttons["child"], Qt.LeftButton)
    dialog = page.active_dialog
    assert "Objectif opérationnel" in dialog.windowTitle()
    qtbot.keyClicks(dialog.ui.title, "Soutenir les jeunes createurs")
    ok(qtbot, dialog)
    added = node_by_code(db, "2.4.3")
    assert added.title == "Soutenir les jeunes createurs" and added.depth == 3
    assert page.objectives.selected().id == added.id
    qtbot.mouseClick(page.objectives.buttons["sibling"], Qt.LeftButton)
    dialog = page.active_dialog
    qtbot.keyClicks(dialog.ui.code, "2.4.9")
    qtbot.keyClicks(dialog.ui.title, "Un voisin")
    ok(qtbot, dialog)
    parent = node_by_code(db, "2.4")
    assert [n.code for n in O.objective_tree(db).children(parent.id)] == ["2.4.1", "2.4.2", "2.4.3", "2.4.9"]
    # no sub-objective below the last level
    assert not page.objectives.buttons["child"].isEnabled()


def test_move_up_and_reparent(qtbot, page, db, monkeypatch, messages):
    select_code(page, "1.2")
    qtbot.mouseClick(page.objectives.buttons["up"], Qt.LeftButton)
    root = node_by_code(db, "1")
    assert [n.code for n in O.objective_tree(db).children(root.id)][:2] == ["1.2", "1.1"]
    qtbot.mouseClick(page.objectives.buttons["down"], Qt.LeftButton)
    assert [n.code for n in O.objective_tree(db).children(root.id)][:2] == ["1.1", "1.2"]
    target = node_by_code(db, "2.1")
    select_code(page, "1.1.1")
    monkeypatch.setattr(referential_page, "ask_new_parent", lambda parent, tree, node: (True, target.id))
    qtbot.mouseClick(page.objectives.buttons["reparent"], Qt.LeftButton)
    assert node_by_code(db, "1.1.1").parent_id == target.id
    # a move that breaks the depth rule is refused with a message
    select_code(page, "1.1")
    qtbot.mouseClick(page.objectives.buttons["reparent"], Qt.LeftButton)
    assert messages[-1][0] == "error" and "niveaux" in messages[-1][1]
    assert node_by_code(db, "1.1").parent_id == root.id


def test_retire_and_reactivate(qtbot, page, db, messages):
    select_code(page, "3.3")
    qtbot.mouseClick(page.objectives.buttons["retire"], Qt.LeftButton)
    retired = node_by_code(db, "3.3")
    assert retired.retired
    model = page.objectives.model
    index = model.index_of_id(retired.id, 1)
    assert index.isValid() and model.data(index).endswith("(retiré)")
    assert model.data(index, ROW_ROLE).retired
    assert page.objectives.buttons["retire"].text() == "Réactiver"
    page.objectives.show_retired.setChecked(False)
    assert not model.index_of_id(retired.id).isValid()
    page.objectives.show_retired.setChecked(True)
    select_code(page, "3.3")
    qtbot.mouseClick(page.objectives.buttons["retire"], Qt.LeftButton)
    assert not node_by_code(db, "3.3").retired


def test_contract_and_quartier_forms(qtbot, page, db):
    ui = page.territory.ui
    ui.end_year.clear()
    qtbot.keyClicks(ui.end_year, "2020")
    qtbot.mouseClick(ui.contractSave, Qt.LeftButton)
    assert "précède" in page.territory.contract_errors.message("end_year")
    assert T.contracts(db)[0].end_year == 2030
    ui.end_year.clear()
    qtbot.keyClicks(ui.end_year, "2031")
    qtbot.mouseClick(ui.contractSave, Qt.LeftButton)
    assert T.contracts(db)[0].end_year == 2031
    ui.population.clear()
    qtbot.keyClicks(ui.population, "beaucoup")
    qtbot.mouseClick(ui.quartierSave, Qt.LeftButton)
    assert "nombre entier" in page.territory.quartier_errors.message("population")
    ui.population.clear()
    qtbot.keyClicks(ui.population, "3400")
    ui.surface_ha.clear()
    qtbot.keyClicks(ui.surface_ha, "56,5")
    qtbot.mouseClick(ui.quartierSave, Qt.LeftButton)
    q = T.quartiers(db)[0]
    assert (q.population, q.surface_ha) == (3400, Decimal("56.5"))


def test_import_preview_then_import(qtbot, qtmodeltester, page, db, tmp_path, monkeypatch, messages):
    text = VERQUIN_TOML.read_text(encoding="utf-8")
    text = text.replace('title = "Favoriser l\'entrepreneuriat"', 'title = "Favoriser la création d\'entreprises"')
    text += '\n[[objectives]]\ncode = "3.3.3"\ntitle = "Ouvrir un lieu ressources"\n'
    changed = tmp_path / "verquin-modifie.toml"
    changed.write_text(text, encoding="utf-8")
    monkeypatch.setattr(referential_page, "ask_referential_file", lambda parent: changed)
    qtbot.mouseClick(page.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: isinstance(page.active_dialog, ReferentialImportDialog), timeout=60_000)
    dialog = page.active_dialog
    qtmodeltester.check(dialog.model)
    rows = {(c.key, c.operation) for c in dialog.model.rows}
    assert ("2.4.1", "modification") in rows and ("3.3.3", "ajout") in rows
    assert "1 ajout" in dialog.summary.text() and "1 modification" in dialog.summary.text()
    assert node_by_code(db, "2.4.1").title == "Favoriser l'entrepreneuriat"  # nothing written by the preview
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    qtbot.waitUntil(lambda: any(kind == "info" for kind, _ in messages), timeout=60_000)
    assert node_by_code(db, "2.4.1").title == "Favoriser la création d'entreprises"
    assert node_by_code(db, "3.3.3").depth == 3
    assert any(n.code == "3.3.3" for n in page.objectives.model.tree.nodes)


def test_import_of_invalid_file_shows_message(qtbot, page, tmp_path, monkeypatch, messages):
    bad = tmp_path / "casse.toml"
    bad.write_text("format = 1\n[contract]\ncode = 3\n", encoding="utf-8")
    monkeypatch.setattr(referential_page, "ask_referential_file", lambda parent: bad)
    qtbot.mouseClick(page.import_button, Qt.LeftButton)
    assert messages and messages[-1][0] == "error"
    assert page.active_dialog is None


def test_edit_statistic_from_the_portrait(qtbot, page, db):
    tab = page.portrait
    row = tab.model.find(lambda s: s.key == "taux_pauvrete")
    tab.view.selectRow(row)
    tab.edit()
    dialog = page.active_dialog
    assert dialog.edits["value"].text() == "40,3"
    dialog.edits["value"].clear()
    qtbot.keyClicks(dialog.edits["value"], "quarante")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert dialog.isVisible() and "n'est pas un nombre" in dialog.errors.message("value")
    dialog.edits["value"].clear()
    qtbot.keyClicks(dialog.edits["value"], "41,2")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert not dialog.isVisible()
    stat = next(s for s in T.statistics(db, T.quartiers(db)[0].id) if s.key == "taux_pauvrete")
    assert stat.value == Decimal("41.2")
    assert next(g for g in tab.chart.groups if g.label == "Taux de pauvreté").values == (41.2, 18.8)
