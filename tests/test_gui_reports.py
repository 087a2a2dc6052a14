"""The Rapports page: COPIL workbook export in the background, open file/folder, programme import wizard."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemDelegate, QComboBox
from sqlalchemy import text

from copil_data import YEAR, build_dataset
from import_files import good_rows, make_zip_bomb, platform_file, template_file
from threads import watch
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.pages import reports as reports_page
from qpv_desk.gui.pages.reports import ReportsPage
from qpv_desk.services.referential import DEFAULT_FUNDERS


@pytest.fixture
def page(qtbot, sqlite_db, messages):
    build_dataset(sqlite_db)
    ctx = AppContext()
    ctx.set_database(sqlite_db)
    widget = ReportsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    widget.refresh()
    yield widget
    ctx.wait_for_background()


def count(db, sql):
    with db.reader() as s:
        return s.execute(text(sql)).scalar()


def choose(combo: QComboBox, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_export_workbook_then_open_file_and_folder(qtbot, page, tmp_path, monkeypatch, messages):
    target = tmp_path / "sortie" / "copil.xlsx"
    asked = []
    monkeypatch.setattr(reports_page, "ask_save_path", lambda parent, title, suggested: asked.append(suggested) or target)
    opened = []
    monkeypatch.setattr(reports_page, "open_in_system", lambda path: opened.append(path) or True)
    assert not page.open_file_button.isEnabled()
    choose(page.year, YEAR)
    choose(page.quartier, "QP 06 20 09")
    qtbot.mouseClick(page.export_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.last_file is not None, timeout=20_000)
    assert asked[0].name == f"suivi-contrat-de-ville-{YEAR}-QP-06-20-09.xlsx"
    assert page.last_file == target and target.exists()
    wb = openpyxl.load_workbook(target)
    assert wb["Programmation"]["A2"].value == "2025-001"
    assert "3 Îlots" in wb["Synthèse"]["A3"].value
    assert "Classeur enregistré" in page.status.text()
    assert page.open_file_button.isEnabled() and page.open_folder_button.isEnabled()
    qtbot.mouseClick(page.open_file_button, Qt.LeftButton)
    qtbot.mouseClick(page.open_folder_button, Qt.LeftButton)
    assert opened == [target, target.parent]
    assert not [m for m in messages if m[0] == "error"]


def test_export_cancelled_writes_nothing(qtbot, page, tmp_path, monkeypatch):
    monkeypatch.setattr(reports_page, "ask_save_path", lambda *a: None)
    qtbot.mouseClick(page.export_button, Qt.LeftButton)
    assert page.last_file is None and page.export_button.isEnabled()


def test_export_error_is_shown_in_french(qtbot, page, tmp_path, monkeypatch, messages):
    folder = tmp_path / "dossier"
    folder.mkdir()
    target = folder / "copil.xlsx"
    target.mkdir()  # a folder where the file should go: the rename fails
    monkeypatch.setattr(reports_page, "ask_save_path", lambda *a: target)
    qtbot.mouseClick(page.export_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: any(m[0] == "error" for m in messages), timeout=20_000)
    assert "copil.xlsx" in messages[-1][1]
    assert page.last_file is None and page.export_button.isEnabled()


def test_template_download(qtbot, page, tmp_path, monkeypatch, messages):
    target = tmp_path / "modele.xlsx"
    monkeypatch.setattr(reports_page, "ask_save_path", lambda *a: target)
    on_gui = watch(monkeypatch, reports_page.PI, "write_template")
    qtbot.mouseClick(page.template_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "Modèle enregistré" in page.status.text(), timeout=20_000)
    assert on_gui == [False]  # written by the background executor, never on the GUI thread
    assert page.template_button.isEnabled()
    wb = openpyxl.load_workbook(target)
    headers = [c.value for c in wb["Programmation"][1]]
    assert "Porteur" in headers and "Demandé – EPCI (CABBALR)" in headers  # the database's own funders
    assert "Notice" in wb.sheetnames
    assert str(target) in page.status.text()
    assert not [m for m in messages if m[0] == "error"]


def test_template_without_database_lists_the_default_funders(qtbot, tmp_path, monkeypatch, messages):
    ctx = AppContext()
    widget = ReportsPage(ctx)
    qtbot.addWidget(widget)
    target = tmp_path / "modele.xlsx"
    monkeypatch.setattr(reports_page, "ask_save_path", lambda *a: target)
    on_gui = watch(monkeypatch, reports_page.PI, "write_template")
    qtbot.mouseClick(widget.template_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "Modèle enregistré" in widget.status.text(), timeout=20_000)
    ctx.wait_for_background()
    assert on_gui == [False]
    headers = [c.value for c in openpyxl.load_workbook(target)["Programmation"][1]]
    assert [h for h in headers if h.startswith("Demandé – ")] == [f"Demandé – {name}" for _c, name, _s in DEFAULT_FUNDERS]


def test_template_error_is_shown_in_french(qtbot, page, tmp_path, monkeypatch, messages):
    target = tmp_path / "modele.xlsx"
    target.mkdir()  # a folder where the file should go: the rename fails
    monkeypatch.setattr(reports_page, "ask_save_path", lambda *a: target)
    qtbot.mouseClick(page.template_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: any(m[0] == "error" for m in messages), timeout=20_000)
    assert "modele.xlsx" in messages[-1][1]
    assert page.status.text() == "Le modèle n'a pas été créé."
    assert page.template_button.isEnabled() and target.is_dir()


def open_wizard(qtbot, page, monkeypatch, path):
    monkeypatch.setattr(reports_page, "ask_open_path", lambda *a: path)
    qtbot.mouseClick(page.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.import_dialog is not None and page.import_dialog.isVisible(), timeout=10_000)
    return page.import_dialog


def test_import_template_file(qtbot, page, tmp_path, monkeypatch, messages, qtmodeltester):
    db = page.ctx.db
    before = count(db, "SELECT COUNT(*) FROM action")
    path = template_file(db, tmp_path / "prog.xlsx", good_rows(db))
    dialog = open_wizard(qtbot, page, monkeypatch, path)
    qtmodeltester.check(dialog.mapping_model)
    assert dialog.mapping_model.mapping()[:3] == ["platform_code", "code", "year"]
    qtbot.mouseClick(dialog.next_button, Qt.LeftButton)
    assert dialog.stack.currentIndex() == 1
    assert [r.operation for r in dialog.preview_model.rows] == ["création"] * 3
    assert "Centre social" in dialog.summary.text()
    assert count(db, "SELECT COUNT(*) FROM action") == before  # nothing yet
    changed = []
    page.ctx.data_changed.connect(changed.append)
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20_000)
    assert count(db, "SELECT COUNT(*) FROM action") == before + 3
    assert changed == ["partners", "actions"]  # the holders it created are partners: that page refreshes too
    assert any(kind == "info" and "3 actions créées" in msg for kind, msg in messages)


def test_platform_file_mapped_by_the_user(qtbot, page, tmp_path, monkeypatch, messages):
    db = page.ctx.db
    path = platform_file(tmp_path / "plateforme.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active.cell(4, 9, "Axe du contrat")
    wb.active.cell(5, 9, "1.1.1")
    wb.active.cell(6, 9, "1.1.2")
    wb.save(path)
    dialog = open_wizard(qtbot, page, monkeypatch, path)
    model, view = dialog.mapping_model, dialog.mapping_view
    assert model.mapping()[8] == ""
    # the user double-clicks the « Correspond à » cell of « Axe du contrat » and picks the objective
    index = model.index(8, 2)
    view.scrollTo(index)
    view.edit(index)
    combo = view.findChild(QComboBox)
    assert combo is not None
    combo.setCurrentIndex(combo.findData("objective"))
    view.commitData(combo)
    view.closeEditor(combo, QAbstractItemDelegate.NoHint)
    assert model.mapping()[8] == "objective"
    # choosing a target already used moves it (one column per target)
    model.setData(model.index(3, 2), "title", Qt.EditRole)
    assert model.mapping()[1] == "" and model.mapping()[3] == "title"
    model.setData(model.index(1, 2), "title", Qt.EditRole)
    model.setData(model.index(3, 2), "", Qt.EditRole)
    qtbot.mouseClick(dialog.next_button, Qt.LeftButton)
    assert [r.operation for r in dialog.preview_model.rows] == ["création", "création"]
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20_000)
    assert count(db, "SELECT COUNT(*) FROM action WHERE platform_code IN ('2025-00017','2025-00018')") == 2


def test_preview_errors_then_confirm(qtbot, page, tmp_path, monkeypatch, messages):
    db = page.ctx.db
    rows = good_rows(db)[:1] + [{"Porteur": "Asso", "Intitulé": "Inconnu", "Objectif principal (code)": "7.7"}]
    path = template_file(db, tmp_path / "prog.xlsx", rows)
    dialog = open_wizard(qtbot, page, monkeypatch, path)
    qtbot.mouseClick(dialog.next_button, Qt.LeftButton)
    errors = [r for r in dialog.preview_model.rows if r.errors]
    assert len(errors) == 1 and "7.7" in errors[0].errors[0]
    column = [c.title for c in dialog.preview_model.columns].index("Erreurs")
    assert "inconnu" in dialog.preview_model.index(1, column).data()
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20_000)
    assert any("1 ligne en erreur ne sera pas importée ; corrigez-la" in msg for msg in messages.asked)
    assert count(db, "SELECT COUNT(*) FROM action WHERE title='Inconnu'") == 0
    assert count(db, "SELECT COUNT(*) FROM organisation WHERE name='Asso'") == 0


def test_mapping_without_holder_is_refused(qtbot, page, tmp_path, monkeypatch, messages):
    db = page.ctx.db
    path = template_file(db, tmp_path / "prog.xlsx", good_rows(db))
    dialog = open_wizard(qtbot, page, monkeypatch, path)
    holder_row = dialog.mapping_model.mapping().index("holder")
    dialog.mapping_model.setData(dialog.mapping_model.index(holder_row, 2), "", Qt.EditRole)
    qtbot.mouseClick(dialog.next_button, Qt.LeftButton)
    assert dialog.stack.currentIndex() == 0
    assert messages[-1][0] == "error" and "Porteur" in messages[-1][1]


def test_zip_bomb_refused_with_a_clear_message(qtbot, page, tmp_path, monkeypatch, messages):
    bomb = tmp_path / "bombe.xlsx"
    make_zip_bomb(bomb)
    monkeypatch.setattr(reports_page, "ask_open_path", lambda *a: bomb)
    qtbot.mouseClick(page.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: any(m[0] == "error" for m in messages), timeout=10_000)
    assert "bombe zip" in messages[-1][1] or "se décompresse" in messages[-1][1]
    assert page.import_dialog is None


def test_page_is_registered_last():
    from qpv_desk.gui.pages import PAGES

    assert PAGES[-1].spec == "reports:ReportsPage"


def test_export_whole_contract(qtbot, page, tmp_path, monkeypatch):
    target = tmp_path / "contrat.xlsx"
    monkeypatch.setattr(reports_page, "ask_save_path", lambda parent, title, suggested: target)
    choose(page.year, reports_page.ALL_YEARS)
    qtbot.mouseClick(page.export_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.last_file is not None, timeout=20_000)
    ws = openpyxl.load_workbook(target)["Programmation"]
    assert ws["B1"].value == "Année"
    codes = [ws.cell(r, 1).value for r in range(2, ws.max_row)]
    assert "2024-001" in codes and "2025-001" in codes


def test_choice_kept_when_the_page_is_shown_again(page):
    choose(page.year, YEAR)
    choose(page.quartier, "QP 06 20 09")
    page.refresh()
    assert page.year.currentData() == YEAR and page.quartier.currentData() == "QP 06 20 09"


def test_without_database(qtbot, messages):
    ctx = AppContext()
    widget = ReportsPage(ctx)
    qtbot.addWidget(widget)
    widget.refresh()
    assert not widget.export_button.isEnabled() and not widget.import_button.isEnabled()
    assert widget.template_button.isEnabled()


def test_leaving_the_wizard_asks_before_dropping_her_mapping(qtbot, page, tmp_path, monkeypatch, messages):
    from qpv_desk.gui.dialogs import base as dialog_base

    asked, answers = [], []
    monkeypatch.setattr(dialog_base, "ask_unsaved", lambda parent, what="": asked.append(what) or answers.pop(0))
    db = page.ctx.db
    path = platform_file(tmp_path / "plateforme.xlsx")
    dialog = open_wizard(qtbot, page, monkeypatch, path)
    qtbot.keyClick(dialog.mapping_view, Qt.Key_Escape)  # nothing changed: closes without a question
    assert not dialog.isVisible() and asked == []

    dialog = open_wizard(qtbot, page, monkeypatch, path)
    model, view = dialog.mapping_model, dialog.mapping_view
    before = model.mapping()
    index = model.index(3, 2)  # she double-clicks « Correspond à » of the fourth column and picks « Intitulé »
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.LeftButton, pos=rect.center())
    combo = view.findChild(QComboBox)
    assert combo is not None
    combo.setCurrentIndex(combo.findData("title"))
    view.commitData(combo)
    view.closeEditor(combo, QAbstractItemDelegate.NoHint)
    mine = model.mapping()
    assert mine != before and mine[3] == "title"

    answers.append(dialog_base.CANCEL)  # Échap: asked; « Annuler » keeps her in the wizard, mapping intact
    qtbot.keyClick(view, Qt.Key_Escape)
    assert dialog.isVisible() and len(asked) == 1 and "correspondances" in asked[0]
    assert model.mapping() == mine
    answers.append(dialog_base.CANCEL)  # the « Annuler » button asks too
    qtbot.mouseClick(dialog.cancel_button, Qt.LeftButton)
    assert dialog.isVisible() and len(asked) == 2
    answers.append(dialog_base.CANCEL)  # and the window's close button
    dialog.close()
    assert dialog.isVisible() and len(asked) == 3 and model.mapping() == mine
    answers.append(dialog_base.DISCARD)
    qtbot.keyClick(view, Qt.Key_Escape)
    assert not dialog.isVisible() and len(asked) == 4
    assert count(db, "SELECT COUNT(*) FROM action WHERE platform_code IN ('2025-00017','2025-00018')") == 0


def test_saving_from_the_question_shows_the_preview_first(qtbot, page, tmp_path, monkeypatch, messages):
    from qpv_desk.gui.dialogs import base as dialog_base

    monkeypatch.setattr(dialog_base, "ask_unsaved", lambda parent, what="": dialog_base.SAVE)
    db = page.ctx.db
    dialog = open_wizard(qtbot, page, monkeypatch, template_file(db, tmp_path / "prog.xlsx", good_rows(db)))
    dialog.year.setFocus()
    qtbot.keyClick(dialog.year, Qt.Key_Up)  # another year: a change
    qtbot.keyClick(dialog.year, Qt.Key_Escape)
    assert dialog.isVisible() and dialog.stack.currentIndex() == 1  # « Enregistrer »: the preview, nothing written
    assert [r.operation for r in dialog.preview_model.rows] == ["création"] * 3
