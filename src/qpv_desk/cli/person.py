"""``qpv-desk person export|anonymise|inactive``: a person's data (RGPD)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..domain.errors import UserError
from . import add_db_option, db_target


def register(sub) -> None:
    person = sub.add_parser("person", help="données personnelles d'un contact (export, anonymisation, inactifs)")
    actions = person.add_subparsers(dest="person_command", metavar="ACTION", required=True, parser_class=type(person))
    p = actions.add_parser("export", help="exporte tout ce que la base contient sur un contact (.xlsx)")
    p.add_argument("--person", required=True, type=int, metavar="ID", help="identifiant du contact")
    p.add_argument("-o", "--output", metavar="FICHIER", help="fichier .xlsx (par défaut : donnees-contact-ID.xlsx)")
    add_db_option(p)
    p.set_defaults(func=cmd_export)
    p = actions.add_parser("anonymise", help="anonymise un contact (irréversible ; présences et statistiques gardées)")
    p.add_argument("--person", required=True, type=int, metavar="ID", help="identifiant du contact")
    p.add_argument("--yes", action="store_true", help="ne pas demander de confirmation")
    add_db_option(p)
    p.set_defaults(func=cmd_anonymise)
    p = actions.add_parser("list", help="liste les contacts (identifiant, nom, structure, anonymisé le)")
    p.add_argument("--search", metavar="TEXTE", default="", help="ne garder que les noms contenant ce texte")
    add_db_option(p)
    p.set_defaults(func=cmd_list)
    p = actions.add_parser("inactive", help="liste les contacts sans activité depuis la durée de conservation")
    p.add_argument("--years", type=int, metavar="ANS", help="durée en années (par défaut : réglage de la base)")
    add_db_option(p)
    p.set_defaults(func=cmd_inactive)


def cmd_export(args) -> int:
    from ..services.database import open_for_reading  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..services.privacy import export_person  # start-up: SQLAlchemy (see cli/__init__.py)

    output = Path(args.output or f"donnees-contact-{args.person}.xlsx").expanduser().resolve()
    with open_for_reading(db_target(args)) as db:  # a reader never takes the writer lock
        path = export_person(db, args.person, output)
    print(path)
    return 0


def cmd_anonymise(args) -> int:
    from ..services.database import open_base  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..domain.text import plural  # start-up: pyuca (see cli/__init__.py)
    from ..services.privacy import anonymise_person, mentions  # start-up: SQLAlchemy (see cli/__init__.py)

    with open_base(db_target(args)) as db:
        found = mentions(db, args.person)
        for m in found:
            print(f"mention\t{m.where}\t{m.entity_id}\t{m.excerpt}")
        if found:
            print(f"{plural(len(found), 'mention')} dans les textes libres : "
                  f"{'elle sera remplacée' if len(found) < 2 else 'elles seront remplacées'} par le pseudonyme.")
        if not args.yes:
            if not sys.stdin.isatty():
                raise UserError("Anonymisation non confirmée : ajoutez --yes (l'opération est irréversible).")
            answer = input(f"Anonymiser définitivement le contact n° {args.person} ? [o/N] ").strip().lower()
            if answer not in ("o", "oui", "y", "yes"):
                print("Anonymisation annulée : rien n'a été modifié.")
                return 0
        name = anonymise_person(db, args.person)
    print(f"Contact n° {args.person} anonymisé : {name}")
    return 0


def cmd_list(args) -> int:
    from ..services.database import open_for_reading  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..domain.text import fold_text  # start-up: pyuca (see cli/__init__.py)
    from ..services.privacy import persons  # start-up: SQLAlchemy (see cli/__init__.py)

    wanted = fold_text(args.search.strip())
    with open_for_reading(db_target(args)) as db:  # a reader never takes the writer lock
        for p in persons(db):
            if wanted and wanted not in fold_text(p.name):
                continue
            anonymised = p.anonymised_on.isoformat() if p.anonymised_on else ""
            print(f"{p.id}\t{p.name}\t{p.organisation}\t{anonymised}")
    return 0


def cmd_inactive(args) -> int:
    from ..services.database import open_for_reading  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..services.privacy import inactive_contacts  # start-up: SQLAlchemy (see cli/__init__.py)

    with open_for_reading(db_target(args)) as db:  # a reader never takes the writer lock
        for c in inactive_contacts(db, args.years):
            last = c.last_activity.isoformat() if c.last_activity else ""
            print(f"{c.id}\t{c.name}\t{c.organisation}\t{last}")
    return 0
