"""``qpv-desk snapshot take|list|compare``: programme snapshots and what changed since one.

Listings are tab-separated with an ASCII header line (like every other listing), the id
(or the kind of change) first.
"""

from __future__ import annotations

import sys

from . import add_db_option, db_target


def register(sub) -> None:
    snap = sub.add_parser("snapshot", help="photographies du programme (prises à chaque COPIL tenu) et évolutions")
    actions = snap.add_subparsers(dest="snapshot_command", metavar="ACTION", required=True, parser_class=type(snap))
    p = actions.add_parser("take", help="photographie le programme maintenant")
    p.add_argument("--label", metavar="TEXTE", help="libellé (par défaut : « Photographie du JJ/MM/AAAA »)")
    add_db_option(p)
    p.set_defaults(func=cmd_take)
    p = actions.add_parser("list", help="liste les photographies (identifiant, date, libellé, réunion, actions)")
    add_db_option(p)
    p.set_defaults(func=cmd_list)
    p = actions.add_parser("compare", help="ce qui a changé depuis une photographie (ou entre deux)")
    p.add_argument("old", type=int, metavar="ANCIENNE", help="identifiant de la photographie de départ")
    p.add_argument("new", type=int, nargs="?", metavar="NOUVELLE", help="photographie d'arrivée ; par défaut : maintenant")
    p.add_argument("--year", type=int, metavar="ANNÉE", help="seulement les actions de cette programmation")
    add_db_option(p)
    p.set_defaults(func=cmd_compare)


def cmd_take(args) -> int:
    from ..services.database import open_base  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..services.snapshots import take_snapshot  # start-up: SQLAlchemy (see cli/__init__.py)

    with open_base(db_target(args)) as db:
        info = take_snapshot(db, args.label)
    print(f"{info.id}\t{info.taken_at:%Y-%m-%d %H:%M}\t{info.label}\t{info.actions}")
    return 0


def cmd_list(args) -> int:
    from ..services.database import open_for_reading  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..services.snapshots import list_snapshots  # start-up: SQLAlchemy (see cli/__init__.py)

    with open_for_reading(db_target(args)) as db:
        rows = list_snapshots(db)
    out = sys.stdout
    out.write("id\tprise_le\tlibelle\treunion\tactions\n")
    for r in rows:
        out.write(f"{r.id}\t{r.taken_at:%Y-%m-%d %H:%M}\t{r.label}\t{r.meeting_id or ''}\t{r.actions}\n")
    return 0


def cmd_compare(args) -> int:
    from ..domain.programme_changes import change_lines  # start-up: pyuca (see cli/__init__.py)
    from ..domain.text import euros_plain  # start-up: pyuca (see cli/__init__.py)
    from ..services.database import open_for_reading  # start-up: SQLAlchemy (see cli/__init__.py)
    from ..services.snapshots import compare_snapshots  # start-up: SQLAlchemy (see cli/__init__.py)

    with open_for_reading(db_target(args)) as db:
        changes = compare_snapshots(db, args.old, args.new, year=args.year)
    out = sys.stdout
    out.write("changement\tcode\taction\tporteur\tdetail\tecart\n")
    for line in change_lines(changes, lambda cents: f"{euros_plain(cents)} €"):
        out.write(f"{line.kind}\t{line.code}\t{line.action}\t{line.holder}\t{line.detail}\t"
                  f"{euros_plain(line.delta_cents)}\n")
    for f in changes.funder_deltas:
        out.write(f"Total\t{f.code}\t{f.name}\t\tdemandé\t{euros_plain(f.requested_delta_cents)}\n")
        out.write(f"Total\t{f.code}\t{f.name}\t\taccordé\t{euros_plain(f.granted_delta_cents)}\n")
    return 0
