"""``qpv-desk export KIND …``: write a document from the database.

Each kind is one entry of :data:`EXPORTS` (kind → ``Export``): its help line, a
function adding its own options to the sub-parser, and the handler that writes the
file. Meeting documents: ``qpv-desk export convocation|emargement|minutes
--meeting ID --db … -o FICHIER``. Other kinds (the COPIL workbook…) register here too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import add_db_option, db_target


@dataclass(frozen=True)
class Export:
    help: str
    add_arguments: Callable  # (parser) -> None
    handler: Callable  # (args) -> Path


def _meeting_arguments(parser) -> None:
    parser.add_argument("--meeting", required=True, metavar="ID", help="identifiant de la réunion (voir « qpv-desk list meetings »)")


def _meeting_handler(kind: str) -> Callable:
    def handler(args) -> Path:
        from ..services.meeting_documents import write_meeting_document
        from ..store.db import open_database

        with open_database(db_target(args), read_only=True) as db:  # reads only: no writer lock taken
            return write_meeting_document(db, args.meeting, kind, args.output)

    return handler


def _copil_year(text: str) -> int | None:
    if text.strip().casefold() in ("tout", "toutes", "contrat"):
        return None
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas une année (ou « tout » pour tout le contrat)") from None


def _copil_arguments(parser) -> None:
    parser.add_argument("--year", required=True, type=_copil_year, metavar="ANNÉE",
                        help="année de la programmation, ou « tout » pour toute la durée du contrat")
    parser.add_argument("--quartier", metavar="CODE", help="code (ou nom) du quartier ; par défaut tous")


def _copil_handler(args) -> Path:
    from ..reports.copil_workbook import write_copil_workbook
    from ..services.reporting import copil_data
    from ..store.db import open_database

    db = open_database(db_target(args), read_only=True)
    try:
        return write_copil_workbook(copil_data(db, args.year, args.quartier), args.output)
    finally:
        db.close()


EXPORTS: dict[str, Export] = {
    "convocation": Export("convocation d'une réunion (Word)", _meeting_arguments, _meeting_handler("convocation")),
    "emargement": Export("feuille d'émargement d'une réunion (Word)", _meeting_arguments, _meeting_handler("emargement")),
    "minutes": Export("compte rendu d'une réunion (Word)", _meeting_arguments, _meeting_handler("minutes")),
    "copil": Export("classeur de suivi pour le COPIL et la direction (Excel)", _copil_arguments, _copil_handler),
}


def register(sub) -> None:
    p = sub.add_parser("export", help="écrit un document (convocation, émargement, compte rendu…)")
    kinds = p.add_subparsers(dest="export_kind", metavar="DOCUMENT", parser_class=type(p))
    kinds.required = True
    for kind, spec in EXPORTS.items():
        kp = kinds.add_parser(kind, help=spec.help)
        spec.add_arguments(kp)
        add_db_option(kp)
        kp.add_argument("-o", "--output", required=True, type=Path, metavar="FICHIER", help="fichier à écrire")
        kp.set_defaults(func=cmd_export, export_handler=spec.handler)


def cmd_export(args) -> int:
    path = args.export_handler(args)
    sys.stdout.write(f"{path}\n")
    return 0
