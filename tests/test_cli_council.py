"""Command line of the register and the perimeter: list members, list quartiers, export
annexe-arrete, quartier perimetre — tab-separated with a header, exit codes 0/2."""

from __future__ import annotations

import json

import pytest
from docx import Document

from qpv_desk.cli import main
from qpv_desk.services import council as S
from qpv_desk.services import partners as P
from qpv_desk.store.db import open_database

from conftest import VERQUIN_TOML

RING = [[2.60, 50.52], [2.62, 50.52], [2.62, 50.53], [2.60, 50.53], [2.60, 50.52]]


@pytest.fixture
def council_db(tmp_path):
    path = tmp_path / "verquin.sqlite"
    assert main(["db", "init", "--db", str(path)]) == 0
    assert main(["referential", "import", str(VERQUIN_TOML), "--db", str(path)]) == 0
    db = open_database(path)
    try:
        body = next(b.id for b in P.list_bodies(db) if b.code == "CC")
        pid = P.create_person(db, {"civility": "Mme", "first_name": "Claire", "last_name": "Dubois"})
        mid = P.create_membership(db, {"body_id": body, "person_id": pid, "start_date": "2024-01-01",
                                       "end_date": "2027-12-31"})
        S.update_register_entry(db, mid, {"college": "habitants", "entry_mode": "tirage"}, expected_version=1)
        pid2 = P.create_person(db, {"civility": "M.", "first_name": "Marc", "last_name": "Leroy"})
        mid2 = P.create_membership(db, {"body_id": body, "person_id": pid2, "role": "suppleant",
                                        "start_date": "2024-01-01"})
        S.update_register_entry(db, mid2, {"college": "habitants", "entry_mode": "volontaire",
                                           "substitute_of_id": mid}, expected_version=1)
    finally:
        db.close()
    return path, body, mid, mid2


def test_list_members(council_db, capsys):
    path, body, mid, mid2 = council_db
    capsys.readouterr()
    assert main(["list", "members", "--body", str(body), "--db", str(path)]) == 0
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert lines[0] == ["id", "nom", "college", "mode_entree", "titulaire_suppleant", "fin_mandat"]
    assert lines[1] == [str(mid), "Mme Claire Dubois", "Habitants", "Tirage au sort", "Titulaire", "2027-12-31"]
    assert lines[2] == [str(mid2), "M. Marc Leroy", "Habitants", "Volontaire", "Suppléant de Mme Claire Dubois", ""]
    assert main(["list", "members", "--db", str(path)]) == 2
    assert "--body" in capsys.readouterr().err
    assert main(["list", "members", "--body", "9999", "--db", str(path)]) == 2
    assert "introuvable" in capsys.readouterr().err


def test_export_annexe(council_db, tmp_path, capsys):
    path, body, _mid, _mid2 = council_db
    out = tmp_path / "annexe.docx"
    assert main(["export", "annexe-arrete", "--body", str(body), "--db", str(path), "-o", str(out)]) == 0
    rows = [[c.text for c in r.cells] for t in Document(str(out)).tables for r in t.rows]
    assert ["Habitants", "Mme Claire Dubois", "Habitante, titulaire"] in rows
    assert main(["export", "annexe-arrete", "--body", str(body), "--db", str(path),
                 "-o", str(tmp_path / "absent" / "a.docx")]) == 2


def test_quartier_perimetre_and_list_quartiers(council_db, tmp_path, capsys):
    path = council_db[0]
    geo = tmp_path / "qpv.geojson"
    geo.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code_qp": "QP062009"},
         "geometry": {"type": "Polygon", "coordinates": [RING]}}]}), encoding="utf-8")
    capsys.readouterr()
    assert main(["list", "quartiers", "--db", str(path)]) == 0
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert lines[0] == ["id", "code", "nom", "statut", "surface_ha"]
    assert lines[1][1:] == ["QP 06 20 09", "3 Îlots", "Quartier prioritaire de la politique de la ville", "56.00"]
    assert main(["quartier", "perimetre", str(geo), "--quartier", "QP 06 20 09", "--db", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "code\tsurface_ha\tperimetre_km\tsource" and out[1].startswith("QP 06 20 09\t")
    area = out[1].split("\t")[1]
    assert 150 < float(area) < 160  # 1.41 km × 1.11 km
    assert main(["list", "quartiers", "--db", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[1].split("\t")[4] == area
    assert main(["quartier", "perimetre", str(geo), "--quartier", "QP 01 01 01", "--db", str(path)]) == 2
    assert "QP 01 01 01" in capsys.readouterr().err
    geo.write_text(geo.read_text().replace("QP062009", "QP000000"), encoding="utf-8")
    assert main(["quartier", "perimetre", str(geo), "--quartier", "QP 06 20 09", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qpv-desk : Le quartier « QP 06 20 09 » n'est pas dans « qpv.geojson »")
    assert len(err.strip().splitlines()) == 1
