"""``qpv-desk db init|check|upgrade|backup|backups|restore``."""

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
        ("backups", "liste les sauvegardes de la base (date, taille, origine, fichier)", cmd_backups),
        ("restore", "restaure une sauvegarde (après avoir sauvegardé la base actuelle)", cmd_restore),
    ):
        p = actions.add_parser(name, help=helptext)
        add_db_option(p)
        p.set_defaults(func=func)
        if name == "backup":
            p.add_argument("-o", "--output", metavar="FICHIER", help="fichier de sauvegarde (par défaut : dossier des sauvegardes)")
        if name == "restore":
            p.add_argument("backup_file", metavar="SAUVEGARDE", help="fichier de sauvegarde à restaurer")
            p.add_argument("--yes", action="store_true", help="ne pas demander de confirmation")
            p.add_argument("--force", action="store_true",
                           help="remplacer même un fichier qui n'est pas une base QPV Desk (mis de côté) "
                                "ou une base d'une autre identité que la sauvegarde")


def cmd_init(args) -> int:
    from pathlib import Path

    from ..store.db import open_database, resolve_target, schema_revision

    target = resolve_target(db_target(args))
    if target.is_sqlite and target.path.exists() and target.path.stat().st_size > 0:
        raise DatabaseRefused(f"La base {target.path} existe déjà : rien n'a été modifié.")
    with open_database(db_target(args), create=True, must_be_new=True) as db:
        print(f"Base créée : {db.display} (schéma {schema_revision(db)})")
    return 0


def cmd_check(args) -> int:
    from ..store import migrate
    from ..store.db import check_structure, open_database, quick_check, resolve_target, schema_revision

    target = resolve_target(db_target(args))
    with open_database(target.path or target.url, upgrade=False, read_only=True) as db:
        revision = schema_revision(db)
        problems = [] if not target.is_sqlite else [quick_check(target.path)]
        problems = [p for p in problems if p != "ok"] + check_structure(db)
        state = "; ".join(problems) if problems else "ok"
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

    from ..store.backup import backup_database, copy_sqlite, ensure_sound_base
    from ..store.db import resolve_target

    target = resolve_target(db_target(args))
    if not target.is_sqlite:
        raise DatabaseRefused("La sauvegarde d'un serveur PostgreSQL se fait avec pg_dump, par son administrateur.")
    ensure_sound_base(target.path)  # refuses foreign or damaged files; works while the app has the base open
    if args.output:
        destination = Path(args.output).expanduser().resolve()
        copy_sqlite(target.path, destination)
    else:
        destination = backup_database(target.path, reason="manuelle")
    print(destination)
    return 0


def cmd_backups(args) -> int:
    from ..store.backup import list_backups
    from ..store.db import resolve_target

    target = resolve_target(db_target(args))
    if not target.is_sqlite:
        raise DatabaseRefused("La sauvegarde d'un serveur PostgreSQL se fait avec pg_dump, par son administrateur.")
    for b in list_backups(target.path):
        print(f"{b.when:%Y-%m-%d %H:%M:%S}\t{b.size}\t{b.reason_label}\t{b.path}")
    return 0


def cmd_restore(args) -> int:
    from pathlib import Path

    from ..store.backup import restore_backup
    from ..store.db import resolve_target

    target = resolve_target(db_target(args))
    if not target.is_sqlite:
        raise DatabaseRefused("La restauration d'un serveur PostgreSQL se fait avec pg_restore, par son administrateur.")
    backup = Path(args.backup_file).expanduser().resolve()
    if not backup.is_file():
        raise DatabaseRefused(f"La sauvegarde {backup} n'existe pas.")
    if not args.yes:
        if not sys.stdin.isatty():
            raise DatabaseRefused("Restauration non confirmée : ajoutez --yes pour remplacer le contenu de la base.")
        answer = input(f"Remplacer le contenu de {target.path} par {backup.name} ? [o/N] ").strip().lower()
        if answer not in ("o", "oui", "y", "yes"):
            print("Restauration annulée : rien n'a été modifié.")
            return 0
    before = restore_backup(target.path, backup, force=args.force)
    print(f"Base restaurée : {target.path}")
    if before is not None and ".endommagee-" in before.name:
        print(f"Fichier endommagé conservé tel quel sous : {before}")
    elif before is not None and ".remplacee-" in before.name:
        print(f"Fichier remplacé conservé tel quel sous : {before}")
    elif before is not None:
        print(f"Version remplacée sauvegardée dans : {before}")
    return 0
