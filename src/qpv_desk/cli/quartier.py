"""``qpv-desk quartier perimetre FICHIER --quartier CODE``: import a quartier's official
perimeter (GeoJSON or shapefile, Lambert-93 or WGS84); prints code, area and length."""

from __future__ import annotations

import sys

from . import add_db_option, db_target


def register(sub) -> None:
    quartier = sub.add_parser("quartier", help="quartiers : importer le périmètre officiel")
    actions = quartier.add_subparsers(dest="quartier_command", metavar="ACTION", required=True,
                                      parser_class=type(quartier))
    p = actions.add_parser("perimetre", help="importe le périmètre d'un quartier (GeoJSON ou shapefile)")
    p.add_argument("file", metavar="FICHIER", help="fichier .geojson/.json ou .shp (avec son .prj)")
    p.add_argument("--quartier", required=True, metavar="CODE", help="code du quartier, ex. « QP 06 20 09 »")
    add_db_option(p)
    p.set_defaults(func=cmd_perimetre)


def cmd_perimetre(args) -> int:
    from ..services.database import open_base  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..services.perimeter import import_perimeter, perimeter_target  # start-up: SQLAlchemy (see cli/__init__.py)

    with open_base(db_target(args)) as db:
        target = perimeter_target(db, args.quartier)
        info = import_perimeter(db, args.file, args.quartier, expected_version=target.version)
    sys.stdout.write("code\tsurface_ha\tperimetre_km\tsource\n")
    sys.stdout.write(f"{info.code}\t{info.area_ha:.2f}\t{info.length_km:.3f}\t{info.source}\n")
    return 0
