"""Regenerate ``resources/templates/modele-programmation.xlsx``, the programme import template.

    python tools/make_import_template.py [-o FICHIER]

Funders are the default ones of a new contract (see ``services/referential.py``); the
Rapports screen writes the same template with the open database's own funders.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from qpv_desk.services.programme_import import write_template  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "resources" / "templates" / "modele-programmation.xlsx")
    args = parser.parse_args(argv)
    write_template(None, args.output)  # no base: the default funders
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
