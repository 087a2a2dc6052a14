"""Drawing a quartier's perimeter on a small picture: the same fitting for the screen (Qt)
and for the documents (Pillow). Plain Python.

A perimeter is a list of polygons, each a list of rings (exterior first, then holes),
each ring a list of (longitude, latitude) in WGS84. Over a quartier (a few km), a local
equirectangular view — x scaled by the cosine of the latitude — keeps the shapes true.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

Ring = list[tuple[float, float]]
Polygon = list[Ring]


def polygons_of(geojson: str | dict | None) -> list[Polygon]:
    """The polygons of a GeoJSON Polygon / MultiPolygon geometry (text or dict)."""
    if not geojson:
        return []
    geom = json.loads(geojson) if isinstance(geojson, str) else geojson
    kind, coords = geom.get("type"), geom.get("coordinates") or []
    if kind == "Polygon":
        coords = [coords]
    elif kind != "MultiPolygon":
        return []
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in poly] for poly in coords]


def fit(polygons: Sequence[Polygon], width: float, height: float, margin: float = 8.0) -> list[list[Ring]]:
    """The polygons in pixel coordinates (y down), centred in ``width`` × ``height``."""
    points = [p for poly in polygons for ring in poly for p in ring]
    if not points:
        return []
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    x0, x1 = min(lons) * k, max(lons) * k
    y0, y1 = min(lats), max(lats)
    span_x, span_y = max(x1 - x0, 1e-12), max(y1 - y0, 1e-12)
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    off_x = (width - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2
    return [[[(off_x + (lon * k - x0) * scale, off_y + (y1 - lat) * scale) for lon, lat in ring] for ring in poly]
            for poly in polygons]
