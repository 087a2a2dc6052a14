"""Programme import from spreadsheets: template, column mapping, preview, one transaction, re-import."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from import_files import good_rows, platform_file, state_name, template_file
from qpv_desk.domain.errors import ValidationError
from qpv_desk.services import programme_import as PI

ROOT = Path(__file__).resolve().parents[1]
VERQUIN = ROOT / "resources" / "referentials" / "verquin-3-ilots.toml"


@pytest.fixture
def db(empty_db):
    from qpv_desk.services.referential import import_referential, read_referential

    import_referential(empty_db, read_referential(VERQUIN))
    return empty_db


def q(db, sql, **params):
    with db.reader() as s:
        return s.execute(text(sql), params).all()


def test_template_resource_is_documented():
    path = ROOT / "resources" / "templates" / "modele-programmation.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Programmation", "Notice"]
    headers = [c.value for c in wb["Programmation"][1]]
    assert headers[:len(PI.FIELDS)] == [f.label for f in PI.FIELDS]
    documented = {wb["Notice"].cell(r, 1).value for r in range(1, wb["Notice"].max_row + 1)}
    assert set(headers) <= documented


def test_good_file(db, tmp_path):
    path = template_file(db, tmp_path / "prog.xlsx", good_rows(db))
    sheet = PI.read_sheet(path)
    mapping = PI.auto_mapping(sheet.headers, PI.funder_targets(db))
    assert mapping[:len(PI.FIELDS)] == [f.key for f in PI.FIELDS]
    preview = PI.preview_import(db, sheet, mapping, 2025)
    assert [r.operation for r in preview.rows] == ["création"] * 3
    assert preview.new_holders == ("Association Les Îlots", "Centre social")
    assert q(db, "SELECT COUNT(*) FROM action")[0][0] == 0  # nothing written by the preview
    assert q(db, "SELECT COUNT(*) FROM organisation WHERE name='Centre social'")[0][0] == 0
    result = PI.apply_import(db, sheet, mapping, 2025)
    assert (result.created, result.updated, result.skipped) == (3, 0, 0)
    rows = q(db, """SELECT a.code, a.title, o.name, a.total_cost_cents, a.platform_code, a.start_date, a.end_date,
        a.beneficiaries_planned, a.is_renewal, a.status, py.year, a.review_due FROM action a
        JOIN organisation o ON o.id=a.holder_id JOIN programme_year py ON py.id=a.programme_year_id ORDER BY a.code""")
    first = rows[0]
    assert first.code == "2025-001" and first.title == "Atelier cuisine" and first.name == "Association Les Îlots"
    assert first.total_cost_cents == 1_200_000 and first.platform_code == "DOS-1" and first.is_renewal
    assert str(first.start_date) == "2025-02-01" and str(first.end_date) == "2025-11-30"
    assert str(first.review_due) == "2026-05-30" and first.status == "deposee" and first.year == 2025
    lines = dict((name, (req, gr)) for name, req, gr in q(db, """SELECT f.code, fl.requested_cents, fl.granted_cents
        FROM funding_line fl JOIN funder f ON f.id=fl.funder_id JOIN action a ON a.id=fl.action_id
        WHERE a.platform_code='DOS-1'"""))
    assert lines == {"etat_pv": (500_000, 450_050), "commune": (200_000, None)}
    principal = q(db, """SELECT o.code FROM action_objective ao JOIN objective o ON o.id=ao.objective_id
        JOIN action a ON a.id=ao.action_id WHERE ao.is_principal AND a.platform_code='DOS-1'""")
    assert principal[0][0] == "1.2.1"
    assert q(db, "SELECT COUNT(*) FROM action_status_change")[0][0] == 3
    assert q(db, "SELECT COUNT(*) FROM organisation WHERE name IN ('Association Les Îlots','Centre social')")[0][0] == 2


def test_broken_rows_are_reported_in_french_and_skipped(db, tmp_path):
    state = state_name(db)
    rows = good_rows(db) + [
        {"Porteur": "Asso X", "Intitulé": "Montant faux", "Objectif principal (code)": "1.1.1",
         f"Demandé – {state}": "douze mille"},
        {"Porteur": "Asso X", "Intitulé": "Objectif inconnu", "Objectif principal (code)": "9.9.9"},
        {"Intitulé": "Sans porteur", "Objectif principal (code)": "1.1.1"},
        {"Porteur": "Asso X", "Intitulé": "Dates", "Objectif principal (code)": "1.1.1", "Début": "01/12/2025",
         "Fin": "01/01/2025"},
        {"Porteur": "Asso X", "Intitulé": "Sans objectif"},
        {"N° dossier plateforme": "DOS-1", "Porteur": "Asso X", "Intitulé": "Doublon", "Objectif principal (code)": "1.1.1"},
        {"Porteur": "Asso X", "Intitulé": "Négatif", "Objectif principal (code)": "1.1.1", "Coût total (€)": -5},
    ]
    path = template_file(db, tmp_path / "prog.xlsx", rows)
    sheet = PI.read_sheet(path)
    mapping = PI.auto_mapping(sheet.headers, PI.funder_targets(db))
    preview = PI.preview_import(db, sheet, mapping, 2025)
    errors = {r.title: r.errors for r in preview.rows}
    assert "n'est pas un montant valide" in errors["Montant faux"][0]
    assert "inconnu" in errors["Objectif inconnu"][0]
    assert "Porteur" in errors["Sans porteur"][0] and "obligatoire" in errors["Sans porteur"][0]
    assert "précède" in errors["Dates"][0]
    assert "Objectif principal manquant" in errors["Sans objectif"][0]
    assert "figure déjà ligne 2" in errors["Doublon"][0]
    assert "négatif" in errors["Négatif"][0]
    assert preview.errors == 7 and preview.count("création") == 3
    assert "Asso X" not in preview.new_holders  # only rows that will be imported create holders
    result = PI.apply_import(db, sheet, mapping, 2025)
    assert (result.created, result.skipped) == (3, 7)
    assert q(db, "SELECT COUNT(*) FROM action")[0][0] == 3
    assert q(db, "SELECT COUNT(*) FROM organisation WHERE name='Asso X'")[0][0] == 0


@pytest.mark.slow
def test_reimport_updates_without_duplicates(db, tmp_path):
    state = state_name(db)
    first = good_rows(db)
    first[0]["Description"] = "Saisie lors du premier import"
    path = template_file(db, tmp_path / "prog.xlsx", first)
    sheet = PI.read_sheet(path)
    mapping = PI.auto_mapping(sheet.headers, PI.funder_targets(db))
    PI.apply_import(db, sheet, mapping, 2025)
    ids_before = dict(q(db, "SELECT title, id FROM action"))
    changed = good_rows(db)
    del changed[0]["Reconduction (oui/non)"], changed[0]["Début"]
    changed[0][f"Accordé – {state}"] = 4800  # matched on the platform file code
    changed[0]["Intitulé"] = "Atelier cuisine et santé"
    changed[1]["Coût total (€)"] = 7000  # matched on holder + title + year
    changed[2]["Porteur"] = "association les îlots"  # same holder, other case
    path2 = template_file(db, tmp_path / "prog2.xlsx", changed)
    sheet2 = PI.read_sheet(path2)
    preview = PI.preview_import(db, sheet2, mapping, 2025)
    assert [r.operation for r in preview.rows] == ["mise à jour"] * 3
    assert preview.new_holders == ()
    result = PI.apply_import(db, sheet2, mapping, 2025)
    assert (result.created, result.updated) == (0, 3)
    assert q(db, "SELECT COUNT(*) FROM action")[0][0] == 3
    assert q(db, "SELECT COUNT(*) FROM organisation WHERE lower(name) LIKE 'association les%'")[0][0] == 1
    row = q(db, "SELECT id, title FROM action WHERE platform_code='DOS-1'")[0]
    assert row.id == ids_before["Atelier cuisine"] and row.title == "Atelier cuisine et santé"
    granted = q(db, """SELECT fl.granted_cents FROM funding_line fl JOIN funder f ON f.id=fl.funder_id
        WHERE fl.action_id=:a AND f.is_state""", a=row.id)[0][0]
    assert granted == 480_000
    # the Commune line not in the second file's mapping is kept
    assert q(db, """SELECT COUNT(*) FROM funding_line fl JOIN funder f ON f.id=fl.funder_id
        WHERE fl.action_id=:a AND f.code='commune'""", a=row.id)[0][0] == 1
    assert q(db, "SELECT total_cost_cents FROM action WHERE title='Permanence numérique'")[0][0] == 700_000
    # empty cells of the second file erase nothing
    kept = q(db, "SELECT description, is_renewal, start_date FROM action WHERE platform_code='DOS-1'")[0]
    assert kept.description == "Saisie lors du premier import" and kept.is_renewal and kept.start_date is not None


def test_platform_file_through_the_mapping(db, tmp_path):
    sheet = PI.read_sheet(platform_file(tmp_path / "plateforme.xlsx"))
    assert sheet.header_row == 4 and len(sheet.rows) == 2
    funders = PI.funder_targets(db)
    mapping = PI.auto_mapping(sheet.headers, funders)
    assert mapping == ["platform_code", "title", "holder", "", "requested:etat_pv", "granted:etat_pv", "total_cost", ""]
    # no objective column: new actions need one, the preview says so in French
    preview = PI.preview_import(db, sheet, mapping, 2025)
    assert all("Objectif principal manquant" in r.errors[0] for r in preview.rows)
    # the user maps the ignored SIRET column? No: the mapping step lets her fix the targets;
    # here she adds an objective column in the file and maps it by hand.
    wb = openpyxl.load_workbook(tmp_path / "plateforme.xlsx")
    ws = wb.active
    ws.cell(4, 9, "Axe")
    ws.cell(5, 9, "2.1")
    ws.cell(6, 9, "2.1")
    wb.save(tmp_path / "plateforme.xlsx")
    sheet = PI.read_sheet(tmp_path / "plateforme.xlsx")
    mapping = PI.auto_mapping(sheet.headers, funders)
    assert mapping[8] == ""
    mapping[8] = "objective"
    preview = PI.preview_import(db, sheet, mapping, 2025)
    assert [r.operation for r in preview.rows] == ["création", "création"], preview.rows
    PI.apply_import(db, sheet, mapping, 2025)
    rows = q(db, """SELECT a.platform_code, fl.requested_cents, fl.granted_cents, a.total_cost_cents FROM action a
        JOIN funding_line fl ON fl.action_id=a.id ORDER BY a.platform_code""")
    assert [tuple(r) for r in rows] == [("2025-00017", 800_000, None, 2_000_000), ("2025-00018", 350_000, 300_000, 900_000)]
    # re-import of the same platform file: updates, no duplicates
    PI.apply_import(db, sheet, mapping, 2025)
    assert q(db, "SELECT COUNT(*) FROM action")[0][0] == 2


def test_mapping_checks(db):
    with pytest.raises(ValidationError, match="Porteur"):
        PI.check_mapping(["title", ""])
    with pytest.raises(ValidationError, match="même destination"):
        PI.check_mapping(["title", "holder", "title"])


def test_auto_mapping_synonyms():
    funders = [PI.FunderTarget(1, "etat_pv", "État – politique de la ville (BOP 147)", True),
               PI.FunderTarget(2, "commune", "Commune", False), PI.FunderTarget(3, "caf", "CAF", False)]
    headers = ["N° du dossier", "Nom de la structure", "Titre de l'action", "Montant demandé Commune",
               "Montant sollicité CAF", "Subvention accordée BOP 147", "Budget prévisionnel (€)", "Divers", "Titre"]
    assert PI.auto_mapping(headers, funders) == [
        "platform_code", "holder", "title", "requested:commune", "requested:caf", "granted:etat_pv", "total_cost", "", ""]


def test_damaged_file_message(tmp_path):
    from qpv_desk.domain.errors import UserError

    path = tmp_path / "vide.xlsx"
    wb = openpyxl.Workbook()
    wb.save(path)
    with pytest.raises(UserError, match="Aucune ligne d'en-tête"):
        PI.read_sheet(path)


def test_default_objective_for_rows_without_one(db, tmp_path):
    sheet = PI.read_sheet(platform_file(tmp_path / "plateforme.xlsx"))
    mapping = PI.auto_mapping(sheet.headers, PI.funder_targets(db))
    preview = PI.preview_import(db, sheet, mapping, 2025, "2.1")
    assert [r.operation for r in preview.rows] == ["création", "création"]
    result = PI.apply_import(db, sheet, mapping, 2025, "2.1")
    assert result.created == 2
    codes = {r[0] for r in q(db, """SELECT o.code FROM action_objective ao JOIN objective o ON o.id=ao.objective_id
        WHERE ao.is_principal""")}
    assert codes == {"2.1"}
    with pytest.raises(ValidationError, match="inconnu"):
        PI.preview_import(db, sheet, mapping, 2025, "8.8")
