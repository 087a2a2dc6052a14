"""``qpv-desk db init|check|upgrade|backup``."""

from __future__ import annotations

import sys

from . import add_db_option, db_target
from ..domain.errors import DatabaseRefused


def register(sub) -> None:
    db = sub.add_parser("db", help="créer, vérifier, mettre à jour ou sauvegarder une base")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True, parser_class=type(db))
    for name, helptext, func in (
        ("init", "crée une base vide au schéma courant", cmd_init),
        ("check", "vérifie l'intégrité et affiche la révision du schéma", cmd_check),
        ("upgrade", "met le schéma à jour (après sauvegarde)", cmd_upgrade),
        ("backup", "sauvegarde la base (API de sauvegarde de SQLite)", cmd_backup),
    ):
        p = actions.add_parser(name, help=helptext)
        add_db_option(p)
        p.set_defaults(func=func)
        if name == "backup":
            p.add_argument("-o", "--output", metavar="FICHIER", help="fichier de sauvegarde (par défaut : dossier des sauvegardes)")


def cmd_init(args) -> int:
    from pathlib import Path

    from ..store.db import open_database, resolve_target, schema_revision

    target = resolve_target(db_target(args))
    if target.is_sqlite and target.path.exists() and target.path.stat().st_size > 0:
        raise DatabaseRefused(f"La base {target.path} existe déjà : rien n'a été modifié.")
    with open_database(db_target(args), create=True) as db:
        print(f"Base créée : {db.display} (schéma {schema_revision(db)})")
    return 0


def cmd_check(args) -> int:
    from ..store import migrate
    from ..store.db import open_database, quick_check, resolve_target, schema_revision

    target = resolve_target(db_target(args))
    with open_database(target.path or target.url, upgrade=False) as db:
        revision = schema_revision(db)
        state = quick_check(target.path) if target.is_sqlite else "ok"
    head = migrate.head_revision()
    print(f"base\t{target.display}")
    print(f"integrite\t{state}")
    print(f"schema\t{revision}")
    print(f"schema_courant\t{head}")
    if state != "ok":
        sys.stderr.write(f"qpv-desk : la base est endommagée ({state[:200]}).\n")
        return 1
    if revision != head:
        print("La base sera mise à jour à sa prochaine ouverture (ou par « qpv-desk db upgrade »).")
    return 0


def cmd_upgrade(args) -> int:
    from ..store.db import open_database, schema_revision

    with open_database(db_target(args)) as db:
        print(f"Schéma à jour : {schema_revision(db)}")
    return 0


def cmd_backup(args) -> int:
    from pathlib import Path

    from ..store.backup import backup_database, copy_sqlite
    from ..store.db import open_database, resolve_target

    target = resolve_target(db_target(args))
    if not target.is_sqlite:
        raise DatabaseRefused("La sauvegarde d'un serveur PostgreSQL se fait avec pg_dump, par son administrateur.")
    open_database(target.path, upgrade=False).close()  # refuses foreign or damaged files
    if args.output:
        destination = Path(args.output).expanduser().resolve()
        copy_sqlite(target.path, destination)
    else:
        destination = backup_database(target.path, reason="manuelle")
    print(destination)
    return 0
