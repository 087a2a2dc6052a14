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
    imp.set_defaults(func=cmd_import)


def cmd_import(args) -> int:
    from ..services.referential import import_referential, preview_import, read_referential
    from ..services.database import open_base

    ref = read_referential(args.file)
    with open_base(db_target(args), create=args.create) as db:
        if args.dry_run:
            changes = preview_import(db, ref)
        else:
            changes = [c for c in import_referential(db, ref).changes if c.operation != "inchangé"]
    for c in changes:
        print(f"{c.operation}\t{c.section}\t{c.key}\t{c.detail}")
    verb = "changerait" if args.dry_run else "a changé"
    print(f"{ref.source} : l'import {verb} {len(changes)} élément(s).")
    return 0
