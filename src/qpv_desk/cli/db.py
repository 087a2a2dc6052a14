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
    copy = actions.add_parser("copy", help="copie toute une base (SQLite ↔ PostgreSQL) et vérifie la copie")
    copy.add_argument("source", metavar="SOURCE", help="base à copier (fichier SQLite ou URL postgresql://…)")
    copy.add_argument("destination", metavar="CIBLE", help="base qui reçoit la copie (fichier SQLite ou URL postgresql://…)")
    copy.add_argument("--replace", action="store_true", help="remplacer le contenu d'une cible qui n'est pas vide")
    copy.set_defaults(func=cmd_copy)
    _register_roles(actions)


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
    with open_database(target.path or target.url, upgrade=False, read_only=True) as db:
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

    from ..store.backup import backup_database, copy_sqlite, ensure_sound_base
    from ..store.db import resolve_target

    target = resolve_target(db_target(args))
    if not target.is_sqlite:
        return _backup_server(target, args.output)
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
    before = restore_backup(target.path, backup)
    print(f"Base restaurée : {target.path}")
    if before is not None:
        print(f"Version remplacée sauvegardée dans : {before}")
    return 0


def cmd_copy(args) -> int:
    from ..services.transfer import copy_database

    result = copy_database(args.source, args.destination, replace=args.replace)
    print(f"Copie vérifiée : {result.rows} lignes dans {result.tables} tables, de {result.source} vers {result.target}")
    return 0


def _backup_server(target, output) -> int:
    """A PostgreSQL base is saved as a consistent SQLite copy she can keep and open offline."""
    import datetime as dt
    from pathlib import Path

    from ..paths import user_data_dir
    from ..services.transfer import copy_database

    if output:
        destination = Path(output).expanduser().resolve()
    else:
        name = (target.url.rsplit("/", 1)[-1] or "serveur").split("?")[0]
        destination = user_data_dir() / "Sauvegardes du serveur" / f"{name}-{dt.datetime.now():%Y%m%d-%H%M%S}.sqlite"
    if destination.exists():
        raise DatabaseRefused(f"Le fichier {destination} existe déjà : choisissez un autre nom.")
    copy_database(target.url, destination)
    print(destination)
    return 0


def _register_roles(actions) -> None:
    roles = actions.add_parser("roles", help="serveur partagé : rôles et droits des utilisateurs (administrateur du serveur)")
    verbs = roles.add_subparsers(dest="roles_command", metavar="ACTION", required=True, parser_class=type(roles))
    for name, helptext, func in (
        ("init", "crée les rôles qpv_administrateur, qpv_referent, qpv_lecteur et leurs droits", cmd_roles_init),
        ("add", "donne un rôle à un identifiant (créé s'il n'existe pas)", cmd_roles_add),
        ("list", "liste les identifiants, leur rôle et leurs quartiers", cmd_roles_list),
        ("remove", "retire ses rôles et ses quartiers à un identifiant", cmd_roles_remove),
    ):
        p = verbs.add_parser(name, help=helptext)
        add_db_option(p)
        p.set_defaults(func=func)
        if name in ("add", "remove"):
            p.add_argument("login", metavar="IDENTIFIANT", help="identifiant PostgreSQL de la personne")
        if name == "add":
            p.add_argument("--role", required=True, choices=("administrateur", "referent", "lecteur"), help="son rôle")
            p.add_argument("--quartier", action="append", default=[], metavar="CODE",
                           help="quartier dont elle est référente (répétable)")


def _open_server(args):
    from ..services.server import open_server

    return open_server(db_target(args))


def cmd_roles_init(args) -> int:
    from ..services.server import install_roles

    with _open_server(args) as db:
        install_roles(db)
    print("Rôles installés : qpv_administrateur, qpv_referent, qpv_lecteur.")
    return 0


def cmd_roles_add(args) -> int:
    from ..services.server import ROLE_LABELS, grant_role

    with _open_server(args) as db:
        grant = grant_role(db, args.login, args.role, args.quartier)
    where = f" ({', '.join(grant.quartiers)})" if grant.quartiers else ""
    print(f"{grant.login} : {ROLE_LABELS[grant.role]}{where}")
    return 0


def cmd_roles_list(args) -> int:
    from ..services.server import list_grants

    with _open_server(args) as db:
        grants = list_grants(db)
    print("identifiant\trole\tquartiers")
    for g in grants:
        print(f"{g.login}\t{g.role}\t{','.join(g.quartiers)}")
    return 0


def cmd_roles_remove(args) -> int:
    from ..services.server import revoke_role

    with _open_server(args) as db:
        revoke_role(db, args.login)
    print(f"{args.login} : plus aucun rôle.")
    return 0
