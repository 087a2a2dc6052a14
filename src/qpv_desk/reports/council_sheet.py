"""Workbook pieces of the conseil citoyen's register and of the quartier maps, ready to
plug into the COPIL workbook (``reports/copil_workbook.py``) — data in, cells out.

- :func:`write_register_sheet` writes, per conseil citoyen, the arrêté, the checks and
  the members (collège, name, entry mode, standing, mandate end) on a sheet;
- :func:`place_maps` puts each quartier's perimeter picture (:mod:`map_picture`) on a
  sheet (the Portrait), a caption above each.

The data are the plain dataclasses of ``services.council.council_registers(db)`` and
``services.perimeter.perimeters(db)`` (or any object with the same attributes). Every
text goes through :class:`reports.xlsx_common.XlsxWriter` (sanitised, never a formula).
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.utils import column_index_from_string

from .map_picture import map_png, xlsx_image

LEVEL_TEXT = {"ok": "Conforme", "alerte": "À surveiller", "ecart": "Non conforme"}
MAP_WIDTH_PX = 420
ROWS_PER_MAP = 18  # rows left for one picture of MAP_WIDTH_PX × 3/4 (default row height)


MEMBER_HEADERS = ["Instance", "Collège", "Nom", "Mode d'entrée", "Qualité", "Début du mandat", "Fin du mandat",
                  "Arrêté"]
CHECK_HEADERS = ["Instance", "Contrôle", "Résultat", "Constat"]


def _arrete(reg) -> str:
    if not (reg.arrete_reference or reg.arrete_date):
        return "non renseigné"
    return " ".join(p for p in (f"n° {reg.arrete_reference}" if reg.arrete_reference else "",
                                f"du {reg.arrete_date:%d/%m/%Y}" if reg.arrete_date else "") if p)


def write_register_sheet(xw, ws, registers: Sequence) -> int:
    """The members of every conseil citoyen as one table (header on row 1, one row a
    member, the instance and its arrêté repeated so that a filter keeps them); returns the
    last row written."""
    xw.header_row(ws, 1, MEMBER_HEADERS)
    row = 1
    for reg in registers:
        arrete = _arrete(reg)
        for m in reg.members:
            row += 1
            xw.text(ws, row, 1, reg.body_name)
            xw.text(ws, row, 2, m.college_label or "non renseigné")
            xw.text(ws, row, 3, m.name)
            xw.text(ws, row, 4, m.entry_mode_label)
            xw.text(ws, row, 5, m.standing, kind="wrap")
            xw.date(ws, row, 6, m.start_date)
            xw.date(ws, row, 7, m.end_date)
            xw.text(ws, row, 8, arrete)
    if row == 1:
        row = 2
        xw.text(ws, row, 1, "Aucun membre de conseil citoyen.", track=False)
    return row


def write_checks_sheet(xw, ws, registers: Sequence) -> int:
    """The law's checks of every conseil citoyen (parity, share of residents, mandates,
    suppléants, absences) as one table; returns the last row written."""
    xw.header_row(ws, 1, CHECK_HEADERS)
    row = 1
    for reg in registers:
        for f in reg.findings:
            row += 1
            variant = "body" if f.level.value == "ok" else "alert"
            xw.text(ws, row, 1, reg.body_name, variant)
            xw.text(ws, row, 2, f.label, variant, kind="wrap")
            xw.text(ws, row, 3, LEVEL_TEXT.get(f.level.value, f.level.label), variant)
            xw.text(ws, row, 4, f.message, variant, kind="wrap")
    if row == 1:
        row = 2
        xw.text(ws, row, 1, "Aucun conseil citoyen actif.", track=False)
    return row


def place_maps(xw, ws, maps: Sequence, *, column: str = "J", first_row: int = 1) -> int:
    """Each perimeter's picture, captioned « Nom (code) — surface ha », in ``column`` from
    ``first_row`` down; returns how many were placed."""
    col = column_index_from_string(column)
    row = first_row
    for info in maps:
        caption = f"Périmètre : {info.name} ({info.code}) — {float(info.area_ha):.1f} ha".replace(".", ",")  # as the rapport
        xw.text(ws, row, col, caption, track=False)
        ws.add_image(xlsx_image(map_png(info.geojson, 800, 600), MAP_WIDTH_PX), f"{column}{row + 1}")
        row += ROWS_PER_MAP + 2
    return len(maps)
