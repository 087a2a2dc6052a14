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

from .map_picture import map_png, xlsx_image

LEVEL_TEXT = {"ok": "Conforme", "alerte": "À surveiller", "ecart": "Non conforme"}
MAP_WIDTH_PX = 420
ROWS_PER_MAP = 18  # rows left for one picture of MAP_WIDTH_PX × 3/4 (default row height)


def write_register_sheet(xw, ws, registers: Sequence) -> int:
    """The registers one under the other; returns the last row written."""
    row = 0
    if not registers:
        xw.text(ws, 1, 1, "Aucun conseil citoyen actif.", track=False)
        return 1
    for reg in registers:
        row += 1
        xw.text(ws, row, 1, reg.body_name, "header")
        arrete = "Arrêté : " + " ".join(p for p in (
            f"n° {reg.arrete_reference}" if reg.arrete_reference else "",
            f"du {reg.arrete_date:%d/%m/%Y}" if reg.arrete_date else "") if p) if (
            reg.arrete_reference or reg.arrete_date) else "Arrêté : non renseigné"
        xw.text(ws, row, 2, arrete, track=False)
        row += 1
        xw.header_row(ws, row, ["Contrôle", "Résultat", "Constat"])
        for f in reg.findings:
            row += 1
            xw.text(ws, row, 1, f.label, kind="wrap")
            xw.text(ws, row, 2, LEVEL_TEXT.get(f.level.value, f.level.label))
            xw.text(ws, row, 3, f.message, kind="wrap")
        row += 2
        xw.header_row(ws, row, ["Collège", "Nom", "Mode d'entrée", "Qualité", "Début du mandat", "Fin du mandat"])
        for m in reg.members:
            row += 1
            xw.text(ws, row, 1, m.college_label or "non renseigné")
            xw.text(ws, row, 2, m.name)
            xw.text(ws, row, 3, m.entry_mode_label)
            xw.text(ws, row, 4, m.standing, kind="wrap")
            xw.date(ws, row, 5, m.start_date)
            xw.date(ws, row, 6, m.end_date)
        row += 1
    return row


def place_maps(xw, ws, maps: Sequence, *, column: str = "J", first_row: int = 1) -> int:
    """Each perimeter's picture, captioned « Nom (code) — surface ha », in ``column`` from
    ``first_row`` down; returns how many were placed."""
    from openpyxl.utils import column_index_from_string

    col = column_index_from_string(column)
    row = first_row
    for info in maps:
        caption = f"Périmètre : {info.name} ({info.code}) — {float(info.area_ha):.2f} ha".replace(".", ",")
        xw.text(ws, row, col, caption, track=False)
        ws.add_image(xlsx_image(map_png(info.geojson, 800, 600), MAP_WIDTH_PX), f"{column}{row + 1}")
        row += ROWS_PER_MAP + 2
    return len(maps)
