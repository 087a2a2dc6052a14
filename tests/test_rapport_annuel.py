"""The rapport annuel contribution (Word): read back with python-docx, figures equal to the Suivi screen's."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from programme_data import TODAY, programme

from qpv_desk.domain.errors import ValidationError
from qpv_desk.domain.text import euros
from qpv_desk.services import rapport as R
from qpv_desk.services.followup import objective_tree_summary


def _tables(doc):
    return [[[c.text for c in row.cells] for row in table.rows] for table in doc.tables]


def test_rapport_holds_the_actions_and_the_suivi_totals(empty_db, tmp_path):
    programme(empty_db)
    R.record_citizen_avis(empty_db, 2026, {"date": "12/12/2026", "text": "Le conseil citoyen salue la permanence."},
                          expected_version=None)
    path = R.write_rapport(empty_db, 2026, tmp_path / "rapport.docx", today=TODAY)
    doc = Document(path)
    text = "\n".join(p.text for p in doc.paragraphs)
    tables = _tables(doc)
    assert "Rapport annuel 2026 sur la politique de la ville" in text
    for heading in ("1. Les orientations du contrat de ville", "2. La situation des quartiers prioritaires",
                    "3. Les actions de l'année 2026", "4. Le travail des instances", "5. Perspectives",
                    "Annexe – Avis du conseil citoyen"):
        assert heading in text
    assert text.count("[À compléter : ") >= 3
    assert "samedi 12 décembre 2026" in text and "Le conseil citoyen salue la permanence." in text

    # every action of the year, none of 2025
    cells = "\n".join(c for t in tables for row in t for c in row)
    for title in ("Permanence d'accès aux droits", "Épicerie solidaire", "Ateliers cuisine", "Projet refusé",
                  "Chantier jeunes", "Forum emploi"):
        assert title in cells
    assert "Permanence 2025" not in cells

    # the per-enjeu table is the Suivi screen's figures
    suivi = [o for o in objective_tree_summary(empty_db, 2026, today=TODAY) if o.depth == 1]
    enjeux = next(t for t in tables if t[0][0] == "Enjeu")
    assert [row[:4] for row in enjeux[1:]] == [[o.label, str(o.actions), euros(o.requested_cents),
                                                euros(o.granted_cents)] for o in suivi]
    assert sum(o.granted_cents for o in suivi) == 800_000 + 1_000_000 + 300_000 + 100_000
    funders = next(t for t in tables if t[0][0] == "Financeur")
    assert funders[-1][:3] == ["Total", euros(sum(o.requested_cents for o in suivi)),
                               euros(sum(o.granted_cents for o in suivi))]
    # a chart picture
    pictures = [r for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(pictures) == 1 and pictures[0].target_part.blob[:8] == b"\x89PNG\r\n\x1a\n"
    # quartier statistics with sources and years
    stats = next(t for t in tables if t[0][0] == "Indicateur")
    assert stats[0] == ["Indicateur", "Quartier", "Agglomération", "Source", "Année"] and len(stats) > 2
    assert all(row[4].isdigit() for row in stats[1:] if row[4])


def test_citizen_avis_is_recorded_once_per_year(empty_db):
    programme(empty_db)
    assert R.citizen_avis(empty_db, 2026) is None
    first = R.record_citizen_avis(empty_db, 2026, {"date": dt.date(2026, 12, 1), "text": "Avis favorable."},
                                  expected_version=None)
    second = R.record_citizen_avis(empty_db, 2026, {"date": dt.date(2026, 12, 2), "text": "Avis modifié."},
                                   expected_version=first.version)
    assert (second.id, second.text, second.date) == (first.id, "Avis modifié.", dt.date(2026, 12, 2))
    with pytest.raises(ValidationError) as err:
        R.record_citizen_avis(empty_db, 2027, {"date": "", "text": ""}, expected_version=None)
    assert set(err.value.errors) == {"date", "text"}
    R.delete_citizen_avis(empty_db, 2026, expected_version=second.version)
    assert R.citizen_avis(empty_db, 2026) is None


def test_chart_picture_without_a_system_font(monkeypatch):
    from PIL import Image

    from qpv_desk.reports import chart_image

    monkeypatch.setattr(chart_image, "SYSTEM_FONTS", ())  # Pillow's font: accents transliterated
    assert chart_image.ascii_text("Accordé 1\u202f200,00\u00a0€") == "Accorde 1 200,00 EUR"
    png = chart_image.bar_chart_png(["Enjeu 1", "Enjeu 2 – éducation"], [("Demandé", [100, 300]), ("Accordé", [50, 0])],
                                    title="Titre")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width == chart_image.WIDTH
    # the longest bar (300) is the dark colour of the first series
    row = [image.getpixel((x, y)) for y in range(image.height) for x in (chart_image.WIDTH - 300,)]
    assert chart_image.COLOURS[0] in row


def test_the_quartier_map_is_in_the_situation_part(empty_db, tmp_path):
    import json

    from qpv_desk.services import perimeter, portrait

    programme(empty_db)
    quartier = portrait.quartiers(empty_db)[0]
    ring = [[2.60, 50.50], [2.62, 50.50], [2.62, 50.51], [2.60, 50.51], [2.60, 50.50]]
    path = tmp_path / "qp.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"code_qp": quartier.code},
        "geometry": {"type": "Polygon", "coordinates": [ring]}}]}), encoding="utf-8")
    info = perimeter.import_perimeter(empty_db, path, quartier.code, expected_version=quartier.version)

    doc = Document(R.write_rapport(empty_db, 2026, tmp_path / "rapport.docx", today=TODAY))
    pictures = [r.target_part.blob for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(pictures) == 2 and all(p[:8] == b"\x89PNG\r\n\x1a\n" for p in pictures)  # the chart and the map
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == [f"Périmètre du quartier {quartier.name} ({info.area_ha:.1f} ha, ".replace(".", ",")
                        + f"{info.length_km:.2f} km de contour).".replace(".", ",", 1)]
    texts = [p.text for p in doc.paragraphs]
    assert texts.index(captions[0]) > texts.index("2. La situation des quartiers prioritaires")
