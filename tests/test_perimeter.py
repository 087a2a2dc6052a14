"""Importing a quartier's perimeter from a GeoJSON or a shapefile made here, in Lambert-93
and in WGS84, with its area and length checked against independent computations; the
refusals (no code, unknown projection, invalid geometry) change nothing."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest

from qpv_desk.domain.errors import NotFoundError, ValidationError
from qpv_desk.services import perimeter as PM
from qpv_desk.services import portrait
from qpv_desk.services.history import history
from qpv_desk.services.referential import import_referential, read_referential

from conftest import VERQUIN_TOML

CODE = "QP 06 20 09"
# a 1 000 m × 500 m rectangle in Lambert-93, near Béthune: planar area 50 ha, length 3 km
X0, Y0, W, H = 680_000.0, 7_045_000.0, 1000.0, 500.0
L93_RING = [(X0, Y0), (X0 + W, Y0), (X0 + W, Y0 + H), (X0, Y0 + H), (X0, Y0)]
# a 0.02° × 0.01° quadrangle in WGS84
LON0, LAT0, DLON, DLAT = 2.60, 50.52, 0.02, 0.01
WGS_RING = [(LON0, LAT0), (LON0 + DLON, LAT0), (LON0 + DLON, LAT0 + DLAT), (LON0, LAT0 + DLAT), (LON0, LAT0)]

A_WGS84 = 6_378_137.0
F_WGS84 = 1 / 298.257223563
E2 = F_WGS84 * (2 - F_WGS84)


def quadrangle_area(lon0, lat0, dlon, dlat) -> float:
    """Exact area between two meridians and two parallels on the ellipsoid (closed form)."""
    e = math.sqrt(E2)

    def f(lat):
        s = math.sin(math.radians(lat))
        return s / (1 - E2 * s * s) + math.log((1 + e * s) / (1 - e * s)) / (2 * e)

    return A_WGS84 ** 2 * (1 - E2) / 2 * math.radians(dlon) * (f(lat0 + dlat) - f(lat0))


def quadrangle_length(lon0, lat0, dlon, dlat) -> float:
    """Two parallel arcs (N cos φ Δλ) and two meridian arcs (M Δφ, M at the mid latitude)."""
    def n(lat):
        return A_WGS84 / math.sqrt(1 - E2 * math.sin(math.radians(lat)) ** 2)

    mid = lat0 + dlat / 2
    m = A_WGS84 * (1 - E2) / (1 - E2 * math.sin(math.radians(mid)) ** 2) ** 1.5
    parallels = (n(lat0) * math.cos(math.radians(lat0)) + n(lat0 + dlat) * math.cos(math.radians(lat0 + dlat)))
    return parallels * math.radians(dlon) + 2 * m * math.radians(dlat)


def feature(ring, code="QP062009", **extra):
    return {"type": "Feature", "properties": {"code_qp": code, "nom_qp": "3 Îlots", **extra},
            "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}}


def write_geojson(path, features, crs: str | None = None):
    data = {"type": "FeatureCollection", "features": features}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def write_shapefile(path, rings_by_code: dict, epsg: int | None):
    import shapefile
    from pyproj import CRS

    with shapefile.Writer(str(path), shapeType=shapefile.POLYGON) as w:
        w.field("CODE_QP", "C", size=20)
        w.field("NOM_QP", "C", size=80)
        for code, ring in rings_by_code.items():
            # shapefile outer rings are clockwise
            w.poly([list(reversed(ring))])
            w.record(code, "Quartier")
    if epsg:
        path.with_suffix(".prj").write_text(CRS.from_epsg(epsg).to_wkt("WKT1_ESRI"), encoding="utf-8")
    return path


@pytest.fixture
def db(empty_db):
    import_referential(empty_db, read_referential(VERQUIN_TOML))
    return empty_db


def quartier_id(db) -> int:
    return next(q.id for q in portrait.quartiers(db) if q.code == CODE)


def l93_expected():
    """Geodesic area and length of the Lambert-93 rectangle: planar values divided by the
    projection's scale (pyproj's projection factors, not its geodesic code)."""
    from pyproj import Proj, Transformer

    lon, lat = Transformer.from_crs(2154, 4326, always_xy=True).transform(X0 + W / 2, Y0 + H / 2)
    factors = Proj("EPSG:2154").get_factors(lon, lat)
    return W * H / factors.areal_scale, 2 * (W + H) / factors.meridional_scale


def test_wgs84_geojson(db, tmp_path):
    path = write_geojson(tmp_path / "qpv.geojson", [feature(WGS_RING, "QP999999"), feature(WGS_RING)])
    info = PM.import_perimeter(db, path, CODE, expected_version=_version(db, CODE))
    area, length = quadrangle_area(LON0, LAT0, DLON, DLAT), quadrangle_length(LON0, LAT0, DLON, DLAT)
    assert float(info.area_ha) == pytest.approx(area / 10_000, rel=2e-4)
    assert float(info.length_km) == pytest.approx(length / 1000, rel=2e-4)
    stored = PM.quartier_perimeter(db, quartier_id(db))
    assert stored.area_ha == info.area_ha and stored.source == "qpv.geojson"
    geom = json.loads(stored.geojson)
    assert geom["type"] == "Polygon" and geom["coordinates"][0][0] == [LON0, LAT0]
    listing = PM.quartiers_listing(db)
    assert listing.header == ("id", "code", "nom", "statut", "surface_ha")
    assert listing.rows[0][1] == CODE and listing.rows[0][4] == f"{info.area_ha:.2f}"
    assert any(e.operation_label == "Périmètre" and "qpv.geojson" in e.summary
               for e in history(db, "quartier", quartier_id(db)))


def test_lambert93_geojson_and_shapefile(db, tmp_path):
    area, length = l93_expected()
    assert area == pytest.approx(W * H, rel=5e-3)  # near Béthune Lambert-93 distorts by a few per mille
    path = write_geojson(tmp_path / "l93.geojson", [feature(L93_RING, "QP 06 20 09")],
                         crs="urn:ogc:def:crs:EPSG::2154")
    info = PM.import_perimeter(db, path, "qp062009", expected_version=_version(db, "qp062009"))
    assert float(info.area_ha) == pytest.approx(area / 10_000, rel=1e-4)
    assert float(info.length_km) == pytest.approx(length / 1000, rel=1e-4)

    shp = write_shapefile(tmp_path / "qpv_2024.shp", {"QP062008": L93_RING, "QP062009": L93_RING}, 2154)
    info2 = PM.import_perimeter(db, shp, CODE, expected_version=_version(db, CODE))
    assert float(info2.area_ha) == pytest.approx(area / 10_000, rel=1e-4)
    assert info2.source == "qpv_2024.shp"
    ring = json.loads(info2.geojson)["coordinates"][0]
    assert all(2 < lon < 3 and 50 < lat < 51 for lon, lat in ring)  # converted to WGS84


def test_wgs84_shapefile(db, tmp_path):
    shp = write_shapefile(tmp_path / "wgs.shp", {"QP062009": WGS_RING}, 4326)
    info = PM.import_perimeter(db, shp, CODE, expected_version=_version(db, CODE))
    assert float(info.area_ha) == pytest.approx(quadrangle_area(LON0, LAT0, DLON, DLAT) / 10_000, rel=2e-4)


def _version(db, code):
    return PM.perimeter_target(db, code).version


def refused(db, path, code=CODE) -> str:
    before = PM.quartier_perimeter(db, quartier_id(db))
    with pytest.raises(ValidationError) as info:
        PM.import_perimeter(db, path, code, expected_version=_version(db, code))
    assert PM.quartier_perimeter(db, quartier_id(db)) == before  # nothing changed
    return str(info.value)


def test_refusals_change_nothing(db, tmp_path):
    PM.import_perimeter(db, write_geojson(tmp_path / "ok.geojson", [feature(WGS_RING)]), CODE,
                        expected_version=_version(db, CODE))
    good = PM.quartier_perimeter(db, quartier_id(db))
    assert good is not None

    msg = refused(db, write_geojson(tmp_path / "autre.geojson", [feature(WGS_RING, "QP062008")]))
    assert "« QP 06 20 09 » n'est pas dans « autre.geojson »" in msg
    # Lambert-93 numbers without a declared projection
    msg = refused(db, write_geojson(tmp_path / "sans_crs.geojson", [feature(L93_RING)]))
    assert msg.startswith("Projection inconnue")
    msg = refused(db, write_geojson(tmp_path / "crs_bidon.geojson", [feature(WGS_RING)], crs="EPSG:999999"))
    assert msg.startswith("Projection inconnue")
    shp = write_shapefile(tmp_path / "sans_prj.shp", {"QP062009": L93_RING}, None)
    msg = refused(db, shp)
    assert "Projection inconnue" in msg and "sans_prj.prj" in msg
    # a bow tie: the outline crosses itself
    bow = [(LON0, LAT0), (LON0 + DLON, LAT0 + DLAT), (LON0 + DLON, LAT0), (LON0, LAT0 + DLAT), (LON0, LAT0)]
    msg = refused(db, write_geojson(tmp_path / "noeud.geojson", [feature(bow)]))
    assert "n'est pas valide" in msg and "auto-intersection" in msg
    msg = refused(db, write_geojson(tmp_path / "ouvert.geojson", [feature(WGS_RING[:-1])]))
    assert "n'est pas valide" in msg
    (tmp_path / "casse.geojson").write_text("{ pas du json", encoding="utf-8")
    assert "GeoJSON" in refused(db, tmp_path / "casse.geojson")
    assert "format non pris en charge" in refused(db, _touch(tmp_path / "carte.kml"))
    with pytest.raises(NotFoundError):
        PM.import_perimeter(db, tmp_path / "ok.geojson", "QP 99 99 99", expected_version=1)
    assert PM.quartier_perimeter(db, quartier_id(db)) == good


def _touch(path):
    path.write_text("<kml/>", encoding="utf-8")
    return path


def test_multipolygon_with_hole(db, tmp_path):
    hole = [(LON0 + 0.005, LAT0 + 0.002), (LON0 + 0.005, LAT0 + 0.004), (LON0 + 0.01, LAT0 + 0.004),
            (LON0 + 0.01, LAT0 + 0.002), (LON0 + 0.005, LAT0 + 0.002)]
    second = [(x + 0.05, y) for x, y in WGS_RING]
    geom = {"type": "MultiPolygon", "coordinates": [[[list(p) for p in WGS_RING], [list(p) for p in hole]],
                                                    [[list(p) for p in second]]]}
    path = tmp_path / "multi.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": CODE}, "geometry": geom}]}), encoding="utf-8")
    info = PM.import_perimeter(db, path, CODE, expected_version=_version(db, CODE))
    expected = (2 * quadrangle_area(LON0, LAT0, DLON, DLAT)
                - quadrangle_area(LON0 + 0.005, LAT0 + 0.002, 0.005, 0.002))
    assert float(info.area_ha) == pytest.approx(expected / 10_000, rel=2e-4)
    assert len(info.polygons) == 2 and len(info.polygons[0]) == 2
    assert isinstance(info.area_ha, Decimal)
