"""``qpv-desk list objectives|organisations|meetings|actions|members|quartiers``: tab-separated,
one header line, id first. ``members`` lists the register of one body (``--body ID``)."""

from __future__ import annotations

import re
import sys

from ..domain.errors import UserError
from . import add_db_option, db_target

KINDS = ("objectives", "organisations", "meetings", "actions", "members", "quartiers")


def register(sub) -> None:
    p = sub.add_parser("list", help="liste tabulée (objectifs, organisations, réunions, actions, membres, quartiers)")
    p.add_argument("kind", choices=KINDS, metavar="{" + ",".join(KINDS) + "}")
    add_db_option(p)
    p.add_argument("--year", type=int, metavar="ANNÉE", help="limite aux réunions ou actions de cette année")
    p.add_argument("--body", type=int, metavar="ID",
                   help="instance dont lister les membres (list members ; voir « qpv-desk list organisations »)")
    p.set_defaults(func=cmd_list)


def _cell(value) -> str:
    if value is None:
        return ""
    return re.sub(r"[\t\r\n]+", " ", str(value))


def cmd_list(args) -> int:
    from ..services import listing  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..services.database import open_for_reading  # start-up: SQLAlchemy (see cli/__init__.py)

    if args.kind == "members" and args.body is None:
        raise UserError("« list members » demande l'instance : --body ID.")
    with open_for_reading(db_target(args)) as db:
        if args.kind == "members":
            from ..services.council import members_listing  # start-up: SQLAlchemy (see cli/__init__.py)

            result = members_listing(db, args.body)
        elif args.kind == "quartiers":
            from ..services.perimeter import quartiers_listing  # start-up: SQLAlchemy (see cli/__init__.py)

            result = quartiers_listing(db)
        elif args.kind in ("meetings", "actions"):
            result = getattr(listing, args.kind)(db, args.year)
        else:
            result = getattr(listing, args.kind)(db)
    out = sys.stdout
    out.write("\t".join(result.header) + "\n")
    for row in result.rows:
        out.write("\t".join(_cell(v) for v in row) + "\n")
    return 0
