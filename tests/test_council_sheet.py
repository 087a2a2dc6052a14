"""The register's and the maps' workbook pieces, written with the workbook's own writer and read back."""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook, load_workbook

from qpv_desk.reports.council_sheet import place_maps, write_checks_sheet, write_register_sheet
from qpv_desk.reports.xlsx_common import XlsxWriter
from qpv_desk.services import council as S
from qpv_desk.services import partners as P
from qpv_desk.services import perimeter as PM
from qpv_desk.services.referential import import_referential, read_referential
from qpv_desk.store.db import open_database

from conftest import VERQUIN_TOML

RING = [[2.60, 50.52], [2.62, 50.52], [2.62, 50.53], [2.60, 50.53], [2.60, 50.52]]


def test_register_and_maps_in_a_workbook(tmp_path):
    import json

    db = open_database(tmp_path / "b.sqlite", create=True)
    try:
        import_referential(db, read_referential(VERQUIN_TOML))
        body = next(b.id for b in P.list_bodies(db) if b.code == "CC")
        pid = P.create_person(db, {"civility": "Mme", "first_name": "Claire", "last_name": "=Dubois"})
        mid = P.create_membership(db, {"body_id": body, "person_id": pid, "start_date": "2024-01-01",
                                       "end_date": "2027-06-30"})
        S.update_register_entry(db, mid, {"college": "habitants", "entry_mode": "tirage"}, expected_version=1)
        S.set_arrete(db, body, "2024-117", dt.date(2024, 6, 12), expected_version=S.council_register(db, body).version)
        geo = tmp_path / "q.geojson"
        geo.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
            "code": "QP062009"}, "geometry": {"type": "Polygon", "coordinates": [RING]}}]}), encoding="utf-8")
        PM.import_perimeter(db, geo, "QP 06 20 09",
                            expected_version=PM.perimeter_target(db, "QP 06 20 09").version)
        registers, maps = S.council_registers(db), PM.perimeters(db)
    finally:
        db.close()
    wb = Workbook()
    xw = XlsxWriter(wb)
    ws = xw.sheet("Conseil citoyen", first=True)
    write_register_sheet(xw, ws, registers)
    write_checks_sheet(xw, xw.sheet("Contrôles"), registers)
    portrait = xw.sheet("Portrait")
    assert place_maps(xw, portrait, maps) == 1
    wb.save(tmp_path / "w.xlsx")
    back = load_workbook(tmp_path / "w.xlsx")
    values = [tuple(row) for row in back["Conseil citoyen"].iter_rows(values_only=True)]
    assert values[0] == ("Instance", "Collège", "Nom", "Mode d'entrée", "Qualité", "Début du mandat",
                         "Fin du mandat", "Arrêté")
    member = next(row for row in values if row[2] == "Mme Claire =Dubois")
    assert member[:5] == ("Conseil citoyen", "Habitants", "Mme Claire =Dubois", "Tirage au sort", "Titulaire")
    assert member[6].date() == dt.date(2027, 6, 30) and member[7] == "n° 2024-117 du 12/06/2024"
    flat = [v for row in back["Contrôles"].iter_rows(values_only=True) for v in row if v is not None]
    assert "Parité femmes-hommes dans le collège des habitants" in flat and "Non conforme" not in flat
    assert back["Portrait"]["J1"].value.startswith("Périmètre : 3 Îlots (QP 06 20 09) — ")
    assert len(back["Portrait"]._images) == 1
