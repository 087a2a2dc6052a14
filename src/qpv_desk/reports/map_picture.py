"""A quartier's perimeter as a PNG picture for the documents (workbook, rapport annuel).

Drawn with Pillow (no Qt, no web service, no tiles): the polygon filled in a light tint,
outlined in the documents' accent colour, holes left white, a scale bar at the bottom
left. Data in (a WGS84 GeoJSON geometry, text or dict), PNG bytes out.

Where to use it: ``map_png(info.geojson)`` with ``info`` from
``services.perimeter.quartier_perimeter`` / ``perimeters``; in openpyxl,
``openpyxl.drawing.image.Image(io.BytesIO(png))``; in python-docx,
``doc.add_picture(io.BytesIO(png), width=Cm(12))``.
"""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw, ImageFont

from ..domain.geometry import fit, polygons_of

FILL = (198, 219, 239)
OUTLINE = (31, 78, 121)  # docx_common.ACCENT
TEXT = (60, 60, 60)
BACKGROUND = (255, 255, 255)
EARTH_RADIUS_M = 6_371_008.8


def _nice_length(max_m: float) -> float:
    """The largest 1, 2 or 5 × 10ⁿ metres not longer than ``max_m``."""
    if max_m <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(max_m))
    for step in (5, 2, 1):
        if step * power <= max_m:
            return step * power
    return power


def metres_per_pixel(polygons, width: int, height: int, margin: float) -> float:
    points = [p for poly in polygons for ring in poly for p in ring]
    if not points:
        return 0.0
    lats = [p[1] for p in points]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = (max(p[0] for p in points) - min(p[0] for p in points)) * k
    span_y = max(lats) - min(lats)
    scale = min((width - 2 * margin) / max(span_x, 1e-12), (height - 2 * margin) / max(span_y, 1e-12))
    return math.radians(1) * EARTH_RADIUS_M / scale  # one degree of latitude over pixels per degree


def map_png(geojson, width: int = 800, height: int = 600) -> bytes:
    """The perimeter drawn on ``width`` × ``height`` pixels, as PNG bytes. No title in the
    picture (Pillow's built-in font lacks some accented capitals): the document captions it."""
    margin = max(16.0, min(width, height) * 0.06)
    polygons = polygons_of(geojson)
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    line = max(2, round(min(width, height) / 200))
    try:  # Pillow's built-in scalable font (accented letters: « 3 Îlots »)
        font = ImageFont.load_default(size=max(11, round(min(width, height) / 30)))
    except (TypeError, OSError):  # without FreeType: the small bitmap font
        font = ImageFont.load_default()
    for poly in fit(polygons, width, height, margin):
        outer, holes = poly[0], poly[1:]
        draw.polygon(outer, fill=FILL)
        for hole in holes:
            draw.polygon(hole, fill=BACKGROUND)
        for ring in poly:
            draw.line(ring + ring[:1], fill=OUTLINE, width=line, joint="curve")
    mpp = metres_per_pixel(polygons, width, height, margin)
    if mpp:
        length_m = _nice_length(mpp * width / 4)
        bar = length_m / mpp
        x0, y0 = margin / 2, height - margin / 2
        draw.line([(x0, y0), (x0 + bar, y0)], fill=TEXT, width=line)
        for x in (x0, x0 + bar):
            draw.line([(x, y0 - 4 * line), (x, y0)], fill=TEXT, width=line)
        text = f"{length_m / 1000:g} km" if length_m >= 1000 else f"{length_m:g} m"
        draw.text((x0 + bar + 3 * line, y0 - line), text, fill=TEXT, font=font, anchor="lm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def xlsx_image(png: bytes, width_px: int = 480):
    """The picture for openpyxl, scaled to ``width_px``: ``ws.add_image(xlsx_image(png), "H2")``."""
    from openpyxl.drawing.image import Image as XlImage  # start-up: openpyxl only for a workbook, not the Word report

    image = XlImage(io.BytesIO(png))
    ratio = width_px / image.width
    image.width, image.height = width_px, round(image.height * ratio)
    return image
