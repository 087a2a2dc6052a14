"""Spreadsheets for the programme import tests: the app's template filled with rows, a file laid
out like the State's subsidy platform export, and hostile zips (a bomb, minimal parts)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
from sqlalchemy import text

from qpv_desk.services import programme_import as PI


def minimal_parts(zf: zipfile.ZipFile) -> None:
    zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    zf.writestr("xl/workbook.xml", "<workbook/>")


def make_zip_bomb(path, uncompressed_mb: int = 500) -> None:
    """A zip whose one entry inflates to ``uncompressed_mb`` MB of zeros, written streamed."""
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        minimal_parts(zf)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for _ in range(uncompressed_mb):
                fh.write(chunk)


def template_file(db, path, rows) -> Path:
    PI.write_template(db, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Programmation"]
    headers = [c.value for c in ws[1]]
    for r, row in enumerate(rows, start=2):
        for key, value in row.items():
            ws.cell(r, headers.index(key) + 1, value)
    wb.save(path)
    return path


def state_name(db) -> str:
    with db.reader() as s:
        return s.execute(text("SELECT name FROM funder WHERE is_state")).scalar_one()


def good_rows(db):
    state = state_name(db)
    return [
        {"N° dossier plateforme": "DOS-1", "Porteur": "Association Les Îlots", "Intitulé": "Atelier cuisine",
         "Objectif principal (code)": "1.2.1", "Coût total (€)": 12000, f"Demandé – {state}": 5000,
         f"Accordé – {state}": 4500.5, "Demandé – Commune": "2 000,00", "Début": dt.datetime(2025, 2, 1),
         "Fin": "30/11/2025", "Bénéficiaires prévus": 40, "Reconduction (oui/non)": "oui"},
        {"Porteur": "Centre social", "Intitulé": "Permanence numérique", "Objectif principal (code)": "1.1.3",
         f"Demandé – {state}": 3000, "Année": 2025},
        {"N° dossier plateforme": "DOS-3", "Porteur": "Association Les Îlots", "Intitulé": "Sport au pied des tours",
         "Objectif principal (code)": "1.2.3", f"Demandé – {state}": 1000},
    ]


def platform_file(path: Path) -> Path:
    """A file laid out like an export of the State's subsidy platform (title rows, other headers)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Export"
    ws["A1"] = "Export des dossiers – Politique de la ville – Campagne 2025"
    ws["A2"] = "Généré le 12/01/2025"
    headers = ["N° dossier", "Intitulé de l'action", "Porteur", "SIRET", "Montant sollicité État",
               "Montant accordé État", "Coût total du projet", "Statut"]
    for c, h in enumerate(headers, start=1):
        ws.cell(4, c, h)
    data = [
        ["2025-00017", "Coup de pouce CLAS", "Ligue de l'enseignement", "77567227221138", 8000, None, 20000, "Déposé"],
        ["2025-00018", "Jardins partagés", "Les Jardiniers", "", "3 500", 3000, 9000, "Instruit"],
    ]
    for r, row in enumerate(data, start=5):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)
    wb.save(path)
    return path
