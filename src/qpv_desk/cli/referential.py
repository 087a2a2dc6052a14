"""``qpv-desk referential import FILE [--dry-run]``."""

from __future__ import annotations

from . import add_db_option, db_target


def register(sub) -> None:
    p = sub.add_parser("referential", help="importer un référentiel (contrat, quartiers, objectifs, instances)")
    actions = p.add_subparsers(dest="ref_command", metavar="ACTION", required=True, parser_class=type(p))
    imp = actions.add_parser("import", help="importe ou met à jour un référentiel TOML")
    imp.add_argument("file", metavar="FICHIER")
    add_db_option(imp)
    imp.add_argument("--dry-run", action="store_true", help="affiche ce qui changerait, sans rien écrire")
    imp.add_argument("--create", action="store_true", help="crée la base si elle n'existe pas")
    imp.add_argument("--overwrite-edits", action="store_true",
                     help="remplace aussi les champs modifiés dans l'application depuis le dernier import "
                          "(sinon ils sont gardés et listés « à confirmer »)")
    imp.set_defaults(func=cmd_import)


def cmd_import(args) -> int:
    from ..services.database import open_base  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..services.referential import import_referential, preview_import, read_referential  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..domain.text import plural  # start-up: pyuca (see cli/__init__.py)

    ref = read_referential(args.file)
    with open_base(db_target(args), create=args.create) as db:
        if args.dry_run:
            changes = preview_import(db, ref, overwrite=args.overwrite_edits)
        else:
            changes = [c for c in import_referential(db, ref, overwrite=args.overwrite_edits).changes
                       if c.operation != "inchangé"]
    for c in changes:
        print(f"{c.operation}\t{c.section}\t{c.key}\t{c.detail}")
    kept = [c for c in changes if c.operation == "à confirmer"]
    changes = [c for c in changes if c.operation != "à confirmer"]
    verb = "changerait" if args.dry_run else "a changé"
    print(f"{ref.source} : l'import {verb} {plural(len(changes), 'élément')}.")
    if kept:
        print(f"{plural(len(kept), 'champ modifié', 'champs modifiés')} dans l'application depuis le dernier import "
              f"{_kept(len(kept), args.dry_run)} : ajoutez --overwrite-edits pour les "
              "remplacer par les valeurs du fichier.")
    return 0


def _kept(count: int, dry_run: bool) -> str:
    if count < 2:
        return "serait gardé" if dry_run else "a été gardé"
    return "seraient gardés" if dry_run else "ont été gardés"
