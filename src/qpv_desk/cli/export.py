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

from ..domain.errors import ValidationError
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
        from ..services.database import open_for_reading  # start-up: SQLAlchemy (see cli/__init__.py)
        from ..services.meeting_documents import write_meeting_document  # start-up: SQLAlchemy (see cli/__init__.py)

        with open_for_reading(db_target(args)) as db:  # reads only: no writer lock taken
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
    from ..services.database import open_for_reading  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..services.reporting import write_copil_workbook  # start-up: SQLAlchemy (see cli/__init__.py)

    db = open_for_reading(db_target(args))
    try:
        return write_copil_workbook(db, args.year, args.output, quartier_code=args.quartier)
    finally:
        db.close()


def _warn(lines, heading: str) -> None:
    """People the user must reach otherwise, on stderr (the export still succeeds: exit 0)."""
    if lines:
        sys.stderr.write(heading + "\n" + "".join(f"  {line}\n" for line in lines))


def _invitation_handler(args) -> Path:
    from ..services.database import open_base  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..services.invitations import export_invitation  # start-up: SQLAlchemy (see cli/__init__.py)

    with open_base(db_target(args)) as db:  # writes: the UID and SEQUENCE are kept in the base
        result = export_invitation(db, args.meeting, args.output)
    _warn(result.without_email, "Invités sans adresse électronique (à prévenir autrement) :")
    return result.path


_NO_YEAR = object()


def _mail_arguments(parser) -> None:
    parser.add_argument("what", choices=("convocation", "minutes", "copil"), metavar="convocation|minutes|copil",
                        help="convocation ou compte rendu d'une réunion (--meeting), classeur du COPIL (--year)")
    parser.add_argument("--meeting", metavar="ID", help="identifiant de la réunion (convocation, minutes)")
    parser.add_argument("--year", type=_copil_year, default=_NO_YEAR, metavar="ANNÉE",
                        help="année du classeur (copil), ou « tout »")
    parser.add_argument("--quartier", metavar="CODE", help="code (ou nom) du quartier du classeur ; par défaut tous")


def _mail_handler(args) -> Path:
    from ..services.database import open_base  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..services.mail import write_mail_draft  # start-up: SQLAlchemy (see cli/__init__.py)

    if args.what == "copil" and args.year is _NO_YEAR:
        raise ValidationError("year", "Indiquez l'année du classeur : --year ANNÉE (ou --year tout).")
    if args.what != "copil" and args.meeting is None:
        raise ValidationError("meeting", "Indiquez la réunion : --meeting ID (voir « qpv-desk list meetings »).")
    with open_base(db_target(args)) as db:  # writes: the invitation's SEQUENCE is kept in the base
        year = None if args.year is _NO_YEAR else args.year
        draft = write_mail_draft(db, args.what, args.output, meeting_id=args.meeting, year=year,
                                 quartier=args.quartier)
    _warn(draft.without_email, "Invités sans adresse électronique (à prévenir autrement) :")
    _warn(draft.warnings, "Attention :")
    return draft.path


def _rapport_arguments(parser) -> None:
    parser.add_argument("--year", required=True, type=int, metavar="ANNÉE", help="année du rapport")


def _rapport_handler(args) -> Path:
    from ..services.database import open_for_reading  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..services.rapport import write_rapport  # start-up: SQLAlchemy (see cli/__init__.py)

    with open_for_reading(db_target(args)) as db:
        return write_rapport(db, args.year, args.output)
def _body_arguments(parser) -> None:
    parser.add_argument("--body", required=True, type=int, metavar="ID", help="identifiant du conseil citoyen (instance)")


def _annexe_handler(args) -> Path:
    from ..services.council import write_annexe_arrete  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..services.database import open_for_reading  # start-up: SQLAlchemy (see cli/__init__.py)

    with open_for_reading(db_target(args)) as db:
        return write_annexe_arrete(db, args.body, args.output)


EXPORTS: dict[str, Export] = {
    "convocation": Export("convocation d'une réunion (Word)", _meeting_arguments, _meeting_handler("convocation")),
    "emargement": Export("feuille d'émargement d'une réunion (Word)", _meeting_arguments, _meeting_handler("emargement")),
    "minutes": Export("compte rendu d'une réunion (Word)", _meeting_arguments, _meeting_handler("minutes")),
    "copil": Export("classeur de suivi pour le COPIL et la direction (Excel)", _copil_arguments, _copil_handler),
    "invitation": Export("invitation d'une réunion pour les agendas (.ics)", _meeting_arguments, _invitation_handler),
    "mail": Export("brouillon d'e-mail prêt à envoyer (.eml) : convocation, compte rendu ou classeur du COPIL",
                   _mail_arguments, _mail_handler),
    "rapport": Export("contribution de la commune au rapport annuel politique de la ville (Word)",
                      _rapport_arguments, _rapport_handler),
    "annexe-arrete": Export("annexe de l'arrêté du conseil citoyen : membres par collège (Word)", _body_arguments,
                            _annexe_handler),
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
