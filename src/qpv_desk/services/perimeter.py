"""A quartier's official perimeter, imported from the geographic file she downloaded.

The perimeters of the QPV are published as GeoJSON or shapefiles, in Lambert-93
(EPSG:2154) or in WGS84 (EPSG:4326). Maintained libraries do the work: pyshp reads
shapefiles, pyproj understands the projection (the ``.prj`` file or GeoJSON's ``crs``
member) and converts to WGS84, shapely tells whether the geometry is valid, and
``pyproj.Geod`` computes the area and length on the ellipsoid — true whatever the
file's projection, in metropolitan France or overseas.

The geometry is stored as WGS84 GeoJSON text on the quartier, with the area (ha) and
the perimeter's length (km). A file without the quartier's code, in an unknown
projection or with an invalid geometry is refused with a French message and nothing
changes.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from ..domain.errors import NotFoundError, ValidationError
from ..domain.geometry import polygons_of
from ..domain.text import plural
from ..store.db import Database
from ..store.models import Quartier
from .common import check_version, get, record_change
from .listing import Listing

GEOJSON_SUFFIXES = (".geojson", ".json")
SHAPEFILE_SUFFIXES = (".shp",)
COORD_DECIMALS = 7  # about 1 cm in WGS84


class PerimeterRefused(ValidationError):
    """The file cannot give this quartier's perimeter; the message says why, in French."""

    def __init__(self, message: str):
        super().__init__("file", message)


@dataclass(frozen=True)
class PerimeterInfo:
    quartier_id: int
    code: str
    name: str
    area_ha: Decimal
    length_km: Decimal
    source: str | None
    geojson: str  # WGS84 Polygon or MultiPolygon

    @property
    def polygons(self):
        return polygons_of(self.geojson)


def normalise_code(code: str) -> str:
    """« QP 06 20 09 », « qp062009 », « QP-06-20-09 » → « QP062009 »."""
    return re.sub(r"[^0-9A-Z]", "", str(code).upper())


# --------------------------------------------------------------------------- reading


def _read_geojson(path: Path) -> tuple[list[tuple[dict, dict]], object | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PerimeterRefused(f"« {path.name} » n'est pas un fichier GeoJSON lisible ({exc}).") from None
    if not isinstance(data, dict):
        raise PerimeterRefused(f"« {path.name} » n'est pas un fichier GeoJSON.")
    if data.get("type") == "FeatureCollection":
        features = data.get("features") or []
    elif data.get("type") == "Feature":
        features = [data]
    else:
        raise PerimeterRefused(f"« {path.name} » ne contient pas d'entités GeoJSON (FeatureCollection attendue).")
    crs = None
    declared = ((data.get("crs") or {}).get("properties") or {}).get("name")
    if declared:
        crs = _crs(declared, path)
    return [(f.get("properties") or {}, f.get("geometry") or {}) for f in features if isinstance(f, dict)], crs


def _read_shapefile(path: Path) -> tuple[list[tuple[dict, dict]], object]:
    import shapefile  # start-up: pyshp loads only to import a perimeter

    prj = path.with_suffix(".prj")
    if not prj.is_file():
        prj = next((p for p in path.parent.glob(path.stem + ".*") if p.suffix.lower() == ".prj"), prj)
    if not prj.is_file():
        raise PerimeterRefused(f"Projection inconnue : le fichier « {prj.name} » qui accompagne "
                               f"« {path.name} » est absent. Téléchargez le shapefile complet (.shp, .shx, .dbf, .prj).")
    crs = _crs(prj.read_text(encoding="utf-8", errors="replace"), prj)
    try:
        with shapefile.Reader(str(path), encodingErrors="replace") as reader:
            names = [f[0] for f in reader.fields[1:]]
            features = [(dict(zip(names, rec.record)), rec.shape.__geo_interface__)
                        for rec in reader.iterShapeRecords()]
    except shapefile.ShapefileException as exc:
        raise PerimeterRefused(f"Le shapefile « {path.name} » ne peut pas être lu ({exc}).") from None
    return features, crs


def _crs(text: str, path: Path):
    from pyproj import CRS  # start-up: pyproj loads only to import a perimeter
    from pyproj.exceptions import CRSError  # start-up: (pyproj)

    try:
        return CRS.from_user_input(text.strip())
    except CRSError:
        raise PerimeterRefused(f"Projection inconnue dans « {path.name} » : seules les projections reconnues "
                               "(Lambert-93 EPSG:2154, WGS84 EPSG:4326…) sont acceptées.") from None


def _find(features: list[tuple[dict, dict]], code: str, path: Path) -> dict:
    wanted = normalise_code(code)
    hits = [geom for props, geom in features
            if any(isinstance(v, str) and normalise_code(v) == wanted for v in props.values())]
    if not hits:
        raise PerimeterRefused(f"Le quartier « {code} » n'est pas dans « {path.name} » "
                               f"({plural(len(features), 'entité lue', 'entités lues')}, aucune avec ce code).")
    if len(hits) > 1:
        raise PerimeterRefused(f"Le quartier « {code} » apparaît {len(hits)} fois dans « {path.name} ».")
    return hits[0]


def _polygons(geom: dict, code: str) -> list[list[list[tuple[float, float]]]]:
    kind, coords = geom.get("type"), geom.get("coordinates")
    if kind == "Polygon":
        coords = [coords]
    elif kind != "MultiPolygon":
        raise PerimeterRefused(f"La géométrie du quartier « {code} » n'est pas un polygone ({kind or 'vide'}).")
    try:
        polys = [[[(float(p[0]), float(p[1])) for p in ring] for ring in poly] for poly in coords or []]
    except (TypeError, ValueError, IndexError):
        raise PerimeterRefused(f"Les coordonnées du quartier « {code} » sont illisibles.") from None
    if not polys or any(not poly for poly in polys):
        raise PerimeterRefused(f"La géométrie du quartier « {code} » est vide.")
    if not all(math.isfinite(v) for poly in polys for ring in poly for p in ring for v in p):
        raise PerimeterRefused(f"Les coordonnées du quartier « {code} » ne sont pas des nombres finis.")
    return polys


_VALIDITY_FR = {
    "Self-intersection": "le contour se recoupe (auto-intersection)",
    "Ring Self-intersection": "un anneau se recoupe",
    "Too few points": "un anneau a trop peu de points",
    "Interior is disconnected": "l'intérieur est déconnecté",
    "Hole lies outside shell": "un trou est hors du contour",
    "Nested holes": "des trous sont imbriqués",
    "Nested shells": "des polygones sont imbriqués",
    "Duplicate Rings": "des anneaux sont en double",
    "Invalid Coordinate": "une coordonnée est invalide",
    "Ring is not closed": "un anneau n'est pas fermé",
}


def _check_valid(polys, code: str) -> None:
    from shapely.geometry import MultiPolygon, Polygon  # start-up: shapely loads only to import a perimeter
    from shapely.validation import explain_validity  # start-up: (shapely)

    for poly in polys:
        for ring in poly:
            if len(ring) < 4 or ring[0] != ring[-1]:
                raise PerimeterRefused(f"La géométrie du quartier « {code} » n'est pas valide : un anneau "
                                       "n'est pas fermé ou a moins de trois sommets.")
    try:
        shape = MultiPolygon([Polygon(poly[0], poly[1:]) for poly in polys])
    except (ValueError, TypeError) as exc:
        raise PerimeterRefused(f"La géométrie du quartier « {code} » n'est pas valide ({exc}).") from None
    if shape.is_valid:
        return
    reason = explain_validity(shape)
    head, _, where = reason.partition("[")
    text = _VALIDITY_FR.get(head.strip(), head.strip())
    near = f" (près du point {where.rstrip(']')})" if where else ""
    raise PerimeterRefused(f"La géométrie du quartier « {code} » n'est pas valide : {text}{near}. "
                           "Rien n'a été modifié.")


def _to_wgs84(polys, crs, code: str, path: Path):
    from pyproj import CRS, Transformer  # start-up: pyproj loads only to import a perimeter

    wgs84 = CRS.from_epsg(4326)
    if crs is None:  # GeoJSON without « crs »: RFC 7946 says WGS84 — if the numbers can be degrees
        if not all(-180 <= x <= 180 and -90 <= y <= 90 for poly in polys for ring in poly for x, y in ring):
            raise PerimeterRefused(f"Projection inconnue : « {path.name} » ne déclare pas sa projection et ses "
                                   "coordonnées ne sont pas des degrés WGS84 (Lambert-93 ? ajoutez le membre "
                                   "« crs » ou utilisez le shapefile avec son .prj).")
        return polys
    if crs.equals(wgs84, ignore_axis_order=True) or crs.to_epsg() == 4326 or crs.name == "WGS 84 (CRS84)":
        out = polys
    else:
        transformer = Transformer.from_crs(crs, wgs84, always_xy=True)
        out = []
        for poly in polys:
            rings = []
            for ring in poly:
                xs, ys = transformer.transform([p[0] for p in ring], [p[1] for p in ring])
                rings.append(list(zip(xs, ys)))
            out.append(rings)
    if not all(math.isfinite(x) and math.isfinite(y) and -180 <= x <= 180 and -90 <= y <= 90
               for poly in out for ring in poly for x, y in ring):
        raise PerimeterRefused(f"Les coordonnées du quartier « {code} » ne correspondent pas à la projection "
                               f"déclarée ({crs.name}).")
    return out


def measure(polys) -> tuple[float, float]:
    """Area (m²) and boundary length (m) on the WGS84 ellipsoid of WGS84 polygons."""
    from pyproj import Geod  # start-up: pyproj loads only to measure a perimeter

    geod = Geod(ellps="WGS84")
    area = length = 0.0
    for poly in polys:
        for n, ring in enumerate(poly):
            a, p = geod.polygon_area_perimeter([q[0] for q in ring], [q[1] for q in ring])
            area += abs(a) if n == 0 else -abs(a)
            length += p
    return area, length


# --------------------------------------------------------------------------- use cases


def _quartier_by_code(s, code: str) -> Quartier:
    wanted = normalise_code(code)
    for q in s.scalars(select(Quartier)):
        if normalise_code(q.code) == wanted or q.name.casefold() == str(code).strip().casefold():
            return q
    raise NotFoundError(f"Aucun quartier « {code} » dans la base (voir « qpv-desk list quartiers »).")


def read_perimeter(path: str | Path, code: str):
    """The WGS84 polygons of quartier ``code`` in the file, with area (m²) and length (m).
    Nothing is written; a refused file raises :class:`PerimeterRefused`."""
    path = Path(path)
    if not path.is_file():
        raise PerimeterRefused(f"Le fichier « {path} » est introuvable.")
    suffix = path.suffix.lower()
    if suffix in GEOJSON_SUFFIXES:
        features, crs = _read_geojson(path)
    elif suffix in SHAPEFILE_SUFFIXES:
        features, crs = _read_shapefile(path)
    else:
        raise PerimeterRefused(f"« {path.name} » : format non pris en charge (GeoJSON .geojson/.json ou shapefile .shp).")
    polys = _polygons(_find(features, code, path), code)
    _check_valid(polys, code)
    wgs = _to_wgs84(polys, crs, code, path)
    area, length = measure(wgs)
    if area <= 0:
        raise PerimeterRefused(f"La géométrie du quartier « {code} » a une surface nulle.")
    return wgs, area, length


def _geojson(polys) -> str:
    r = COORD_DECIMALS
    coords = [[[[round(x, r), round(y, r)] for x, y in ring] for ring in poly] for poly in polys]
    geom = {"type": "Polygon", "coordinates": coords[0]} if len(coords) == 1 else {"type": "MultiPolygon",
                                                                                   "coordinates": coords}
    return json.dumps(geom, separators=(",", ":"))


@dataclass(frozen=True)
class PerimeterTarget:
    """The quartier a perimeter is imported into, with the version read (``qpv-desk quartier perimetre``)."""
    quartier_id: int
    code: str
    name: str
    version: int


def perimeter_target(db: Database, code: str) -> PerimeterTarget:
    """The quartier of code (or name) ``code``, with its current version."""
    with db.reader() as s:
        q = _quartier_by_code(s, code)
        return PerimeterTarget(q.id, q.code, q.name, q.version)


def import_perimeter(db: Database, path: str | Path, code: str, *, expected_version: int) -> PerimeterInfo:
    """Import the perimeter of quartier ``code`` from a GeoJSON or shapefile.
    ``expected_version``: the quartier's version she read (the import changes the quartier)."""
    path = Path(path)
    with db.reader() as s:
        check_version(_quartier_by_code(s, code), expected_version, "Le quartier")  # before the file is read
    wgs, area, length = read_perimeter(path, code)
    area_ha = Decimal(str(round(area / 10_000, 4)))
    length_km = Decimal(str(round(length / 1000, 4)))
    with db.session() as s:
        q = _quartier_by_code(s, code)
        check_version(q, expected_version, "Le quartier")
        q.perimeter_geojson = _geojson(wgs)
        q.perimeter_area_ha = area_ha
        q.perimeter_length_km = length_km
        q.perimeter_source = path.name[:300]
        s.flush()
        record_change(s, "quartier", q.id, "perimeter", {"source": path.name, "area_ha": str(area_ha),
                                                         "length_km": str(length_km)})
        return PerimeterInfo(q.id, q.code, q.name, area_ha, length_km, q.perimeter_source, q.perimeter_geojson)


def quartier_perimeter(db: Database, quartier_id: int) -> PerimeterInfo | None:
    """The stored perimeter of a quartier, or None when none was imported."""
    with db.reader() as s:
        q = get(s, Quartier, quartier_id, "Le quartier")
        if not q.perimeter_geojson:
            return None
        return PerimeterInfo(q.id, q.code, q.name, q.perimeter_area_ha, q.perimeter_length_km, q.perimeter_source,
                             q.perimeter_geojson)


def perimeters(db: Database) -> list[PerimeterInfo]:
    """Every stored perimeter (for the documents: the map of each quartier)."""
    with db.reader() as s:
        return [PerimeterInfo(q.id, q.code, q.name, q.perimeter_area_ha, q.perimeter_length_km, q.perimeter_source,
                              q.perimeter_geojson)
                for q in s.scalars(select(Quartier).where(Quartier.perimeter_geojson.is_not(None))
                                   .order_by(Quartier.code))]


def quartiers_listing(db: Database) -> Listing:
    """``qpv-desk list quartiers``: the area is the one computed from the perimeter when
    imported, otherwise the surface declared in the referential."""
    header = ("id", "code", "nom", "statut", "surface_ha")
    with db.reader() as s:
        rows = [(q.id, q.code, q.name, q.status or "",
                 f"{(q.perimeter_area_ha if q.perimeter_area_ha is not None else q.surface_ha):.2f}"
                 if (q.perimeter_area_ha is not None or q.surface_ha is not None) else "")
                for q in s.scalars(select(Quartier).order_by(Quartier.code))]
    return Listing(header, rows)
