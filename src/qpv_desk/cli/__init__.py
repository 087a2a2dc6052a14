"""The ``qpv-desk`` command line: a stable, documented interface for people and scripts.

Exit status: 0 success; 2 a user mistake (one line in French on stderr, never a
traceback); 1 any other failure (the details go to the log file).

Without a command, ``qpv-desk`` opens the window, after building this parser (which imports
every command module): so the command modules import the services (SQLAlchemy), and
:mod:`qpv_desk.domain.text` (pyuca), inside the command that needs them, and the window is
imported only to be opened — the commands never load Qt. Each such import is marked
``# start-up:`` (see docs/architecture.md).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import re
import sys

from .. import __version__
from ..domain.errors import UserError
from ..logs import setup_logging
from ..paths import default_database

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2

# Each module registers its sub-commands with ``register(subparsers)``.
COMMAND_MODULES = ("db", "referential", "listing", "export", "person", "snapshot", "quartier")

_ARGPARSE_FR = [
    (r"the following arguments are required: (.*)", r"arguments obligatoires manquants : \1"),
    (r"unrecognized arguments: (.*)", r"arguments inconnus : \1"),
    (r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.*)\)", r"argument \1 : choix « \2 » invalide (possibles : \3)"),
    (r"argument (\S+): invalid int value: '?([^']*)'?", r"argument \1 : « \2 » n'est pas un nombre entier"),
    (r"argument (\S+): expected one argument", r"argument \1 : une valeur est attendue"),
    (r"argument (\S+): (.*)", r"argument \1 : \2"),
]


def _french(message: str) -> str:
    for pattern, replacement in _ARGPARSE_FR:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class _FrenchHelp(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix="Utilisation : " if prefix is None else prefix)


class FrenchParser(argparse.ArgumentParser):
    """argparse, but in French: help texts, and errors as one line with exit status 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _FrenchHelp)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="affiche cette aide et quitte")

    def error(self, message: str):  # noqa: D401 - argparse override
        sys.stderr.write(f"qpv-desk : {_french(message)}\n")
        sys.exit(EXIT_USAGE)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="CHEMIN|URL",
        help="base SQLite (chemin) ou PostgreSQL (postgresql://…) ; par défaut la base de l'utilisateur",
    )


def db_target(args) -> str:
    return args.db or str(default_database())


def _add_window_options(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("--demo", action="store_true", help="ouvre une copie temporaire de la base d'exemple")
    parser.add_argument("--read-only", action="store_true", help="ouvre la base en lecture seule")


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchParser(
        prog="qpv-desk",
        description="QPV Desk — pilotage local du contrat de ville. Sans commande : lance l'application.",
    )
    parser.add_argument("--version", action="version", version=f"QPV Desk {__version__}",
                        help="affiche la version et quitte")
    _add_window_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=FrenchParser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def _window_only(argv: list[str]) -> argparse.Namespace | None:
    """The window's own options and nothing else (the usual start, from the shortcut): read
    without building every command's parser, which the start-up need not wait for. Anything
    else (a command, ``--help``, ``--version``, a mistake) goes to the whole parser."""
    parser = argparse.ArgumentParser(add_help=False, exit_on_error=False, allow_abbrev=False)
    _add_window_options(parser)
    try:
        args, rest = parser.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    if rest:
        return None
    args.command = None
    return args


def main(argv: list[str] | None = None) -> int:
    setup_logging()
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _window_only(argv) or build_parser().parse_args(argv)
    try:
        if args.command is None:
            from ..gui.app import run_gui  # start-up: Qt only for the window (see cli/__init__.py)

            return run_gui(db=args.db, demo=args.demo, read_only=args.read_only)
        return int(args.func(args) or 0)
    except UserError as exc:
        logging.getLogger("qpv_desk.cli").info("Erreur utilisateur : %s", exc)
        sys.stderr.write(f"qpv-desk : {str(exc).splitlines()[0] if str(exc) else 'erreur'}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("qpv-desk : interrompu.\n")
        return EXIT_FAILURE
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: one line here, the traceback in the log
        logging.getLogger("qpv_desk.cli").exception("Erreur inattendue")
        sys.stderr.write(f"qpv-desk : erreur inattendue ({type(exc).__name__}) — détails dans le journal.\n")
        return EXIT_FAILURE


def run_gui_entry() -> None:
    sys.exit(main(sys.argv[1:]))


def run() -> None:
    sys.exit(main())
