"""``qpv-desk db init|check|upgrade|backup|backups|restore|copy|merge|roles``."""

from __future__ import annotations

import sys
from pathlib import Path

from ..domain.errors import DatabaseRefused
from ..domain.text import match_key, plural
from . import add_db_option, db_target


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
    copy = actions.add_parser("copy", help="copie toute une base (SQLite ↔ PostgreSQL) et vérifie la copie")
    copy.add_argument("source", metavar="SOURCE", help="base à copier (fichier SQLite ou URL postgresql://…)")
    copy.add_argument("destination", metavar="CIBLE", help="base qui reçoit la copie (fichier SQLite ou URL postgresql://…)")
    copy.add_argument("--replace", action="store_true", help="remplacer le contenu d'une cible qui n'est pas vide")
    copy.set_defaults(func=cmd_copy)
    merge = actions.add_parser("merge", help="fusionne la base d'une commune dans une base partagée (même contrat)")
    merge.add_argument("source", metavar="SOURCE", help="base de la commune (fichier SQLite), qui n'est pas modifiée")
    merge.add_argument("destination", metavar="CIBLE", help="base qui la reçoit (URL postgresql://… ou fichier SQLite)")
    merge.add_argument("--same", action="append", default=[], metavar="ID_OU_NOM",
                       help="ce doublon possible est la même fiche que celle de la cible (répétable)")
    merge.add_argument("--distinct", action="append", default=[], metavar="ID_OU_NOM",
                       help="ce doublon possible est une autre fiche, ajoutée à la cible (répétable)")
    merge.add_argument("--dry-run", action="store_true",
                       help="liste les doublons possibles (et, sur la sortie d'erreur, ce qui serait fusionné) sans rien écrire")
    merge.set_defaults(func=cmd_merge)
    _register_roles(actions)


def cmd_init(args) -> int:
    from ..services.database import create_base  # start-up: SQLAlchemy (see cli/__init__.py)

    created = create_base(db_target(args))
    print(f"Base créée : {created.display} (schéma {created.revision})")
    return 0


def cmd_check(args) -> int:
    from ..services.database import base_status  # start-up: SQLAlchemy (see cli/__init__.py)

    status = base_status(db_target(args))
    print(f"base\t{status.display}")
    print(f"integrite\t{status.integrity}")
    print(f"schema\t{status.revision}")
    print(f"schema_courant\t{status.head}")
    if status.integrity != "ok":
        sys.stderr.write(f"qpv-desk : la base est endommagée ({status.integrity[:200]}).\n")
        return 1
    if not status.up_to_date:
        print("La base sera mise à jour à sa prochaine ouverture (ou par « qpv-desk db upgrade »).")
    return 0


def cmd_upgrade(args) -> int:
    from ..services.database import upgrade_base  # start-up: SQLAlchemy (see cli/__init__.py)

    print(f"Schéma à jour : {upgrade_base(db_target(args))}")
    return 0


def cmd_backup(args) -> int:
    from ..services.database import backup_base  # start-up: SQLAlchemy (see cli/__init__.py)

    print(backup_base(db_target(args), args.output))  # works while the app has the base open
    return 0


def cmd_backups(args) -> int:
    from ..services.database import list_backups  # start-up: SQLAlchemy (see cli/__init__.py)

    for b in list_backups(db_target(args)):
        print(f"{b.when:%Y-%m-%d %H:%M:%S}\t{b.size}\t{b.reason_label}\t{b.path}")
    return 0


def cmd_restore(args) -> int:
    from ..services.database import resolve_target, restore_base  # start-up: SQLAlchemy (see cli/__init__.py)

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
    restored = restore_base(target.path, backup, force=args.force)
    print(f"Base restaurée : {target.path}")
    said = {"endommagee": "Fichier endommagé conservé tel quel sous", "remplacee": "Fichier remplacé conservé tel quel sous",
            "sauvegarde": "Version remplacée sauvegardée dans"}  # what the restoration found, not the name
    if restored.kept is not None:
        print(f"{said[restored.kept_as]} : {restored.kept}")
    return 0


def cmd_copy(args) -> int:
    from ..services.transfer import copy_database  # start-up: SQLAlchemy (see cli/__init__.py)

    result = copy_database(args.source, args.destination, replace=args.replace)
    print(f"Copie vérifiée : {result.rows} lignes dans {result.tables} tables, de {result.source} vers {result.target}")
    return 0


def _merge_resolutions(plan, same: list[str], distinct: list[str]) -> dict[str, str]:
    """``--same``/``--distinct`` arguments to clash keys: a key (« O12 ») or the name the record
    has in the commune's base (case, accents and punctuation ignored; a name given for
    several clashes resolves them all)."""
    from ..services.merge import DISTINCT, SAME  # start-up: SQLAlchemy (see cli/__init__.py)

    resolutions: dict[str, str] = {}
    for choice, given in ((SAME, same), (DISTINCT, distinct)):
        for value in given:
            hits = [c.key for c in plan.clashes
                    if c.key.casefold() == value.strip().casefold() or match_key(c.source_name) == match_key(value)]
            if not hits:
                raise DatabaseRefused(f"« {value} » ne désigne aucun doublon possible (voir « qpv-desk db merge "
                                      "SOURCE CIBLE --dry-run ») : rien n'a été fusionné.")
            for key in hits:
                if resolutions.get(key, choice) != choice:
                    raise DatabaseRefused(f"Le doublon possible {key} est déclaré à la fois --same et --distinct : "
                                          "rien n'a été fusionné.")
                resolutions[key] = choice
    return resolutions


def cmd_merge(args) -> int:
    from ..services.database import open_base  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..services.merge import merge_base, plan_merge  # start-up: SQLAlchemy (see cli/__init__.py)

    with open_base(args.destination, read_only=args.dry_run) as db:
        plan = plan_merge(db, args.source)
        if args.dry_run:
            print("id\ttype\tnom_dans_la_commune\tid_cible\tnom_dans_la_cible\tmotif\tnom_si_distinct")
            for c in plan.clashes:
                print(f"{c.key}\t{c.kind}\t{c.source_name}\t{c.target_id}\t{c.target_name}\t{c.reason}\t{c.distinct_name}")
            sys.stderr.write(f"{plan.commune} ({', '.join(plan.quartiers)}) : {plural(plan.rows, 'ligne')} à fusionner dans "
                             f"{plan.target}, {plural(len(plan.clashes), 'doublon possible', 'doublons possibles')} à résoudre.\n")
            for line in plan.renamed:
                sys.stderr.write(f"{line}\n")
            return 0
        result = merge_base(db, args.source, _merge_resolutions(plan, args.same, args.distinct))
    print(f"Fusion vérifiée : {result.commune} ({', '.join(result.quartiers)}), {plural(result.inserted, 'ligne ajoutée', 'lignes ajoutées')} "
          f"à {result.target} ; {plural(result.same, 'fiche réunie', 'fiches réunies')} avec celles de la cible, "
          f"{plural(result.distinct, 'fiche ajoutée', 'fiches ajoutées')} comme distinctes.")
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
    from ..services.server import open_server  # start-up: SQLAlchemy (see cli/__init__.py)

    return open_server(db_target(args))


def cmd_roles_init(args) -> int:
    from ..services.server import install_roles  # start-up: SQLAlchemy (see cli/__init__.py)

    with _open_server(args) as db:
        install_roles(db)
    print("Rôles installés : qpv_administrateur, qpv_referent, qpv_lecteur.")
    return 0


def cmd_roles_add(args) -> int:
    from ..services.server import ROLE_LABELS, grant_role  # start-up: SQLAlchemy (see cli/__init__.py)

    with _open_server(args) as db:
        grant = grant_role(db, args.login, args.role, args.quartier)
    where = f" ({', '.join(grant.quartiers)})" if grant.quartiers else ""
    print(f"{grant.login} : {ROLE_LABELS[grant.role]}{where}")
    return 0


def cmd_roles_list(args) -> int:
    from ..services.server import list_grants  # start-up: SQLAlchemy (see cli/__init__.py)

    with _open_server(args) as db:
        grants = list_grants(db)
    print("identifiant\trole\tquartiers")
    for g in grants:
        print(f"{g.login}\t{g.role}\t{','.join(g.quartiers)}")
    return 0


def cmd_roles_remove(args) -> int:
    from ..services.server import revoke_role  # start-up: SQLAlchemy (see cli/__init__.py)

    with _open_server(args) as db:
        revoke_role(db, args.login)
    print(f"{args.login} : plus aucun rôle.")
    return 0
