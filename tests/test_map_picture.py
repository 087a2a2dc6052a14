"""The perimeter as a picture for the documents (Pillow, no Qt): read back pixel by pixel."""

from __future__ import annotations

import io
import json

from openpyxl import Workbook, load_workbook
from PIL import Image

from qpv_desk.domain.geometry import fit, polygons_of
from qpv_desk.reports.map_picture import FILL, OUTLINE, map_png, xlsx_image

SQUARE = [[2.60, 50.52], [2.62, 50.52], [2.62, 50.53], [2.60, 50.53], [2.60, 50.52]]
HOLE = [[2.605, 50.5225], [2.605, 50.5275], [2.615, 50.5275], [2.615, 50.5225], [2.605, 50.5225]]


def test_fit_keeps_proportions_and_centres():
    rings = fit(polygons_of({"type": "Polygon", "coordinates": [SQUARE]}), 400, 400, margin=0)
    xs = [p[0] for p in rings[0][0]]
    ys = [p[1] for p in rings[0][0]]
    # 0.02° of longitude at 50.5° ≈ 1.27 × 0.01° of latitude: wider than tall, centred
    assert max(xs) - min(xs) == 400
    assert abs((max(ys) - min(ys)) - 400 / (0.02 * 0.636 / 0.01)) < 2
    assert abs((min(ys) + max(ys)) / 2 - 200) < 1e-6
    assert rings[0][0][0][1] > rings[0][0][2][1]  # north is up


def test_map_png_draws_the_polygon_and_its_hole(tmp_path):
    geojson = json.dumps({"type": "Polygon", "coordinates": [SQUARE, HOLE]})
    png = map_png(geojson, 600, 400)
    (tmp_path / "carte.png").write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (600, 400)
    assert image.getpixel((300, 200)) == (255, 255, 255)  # the hole stays white
    assert image.getpixel((120, 200)) == FILL  # inside, outside the hole
    assert image.getpixel((3, 200)) == (255, 255, 255)  # outside
    colours = {c for _n, c in image.getcolors(maxcolors=100_000)}
    assert OUTLINE in colours
    empty = Image.open(io.BytesIO(map_png(None, 100, 80))).convert("RGB")
    assert empty.getcolors() == [(8000, (255, 255, 255))]


def test_picture_goes_into_a_workbook(tmp_path):
    png = map_png({"type": "Polygon", "coordinates": [SQUARE]})
    wb = Workbook()
    wb.active.add_image(xlsx_image(png, 400), "B2")
    wb.save(tmp_path / "x.xlsx")
    images = load_workbook(tmp_path / "x.xlsx").active._images
    assert len(images) == 1
    assert images[0].anchor.ext.cx == 400 * 9525 and (images[0].anchor._from.col, images[0].anchor._from.row) == (1, 1)
