"""Build the demonstration database (or the agglomeration-scale benchmark dataset).

    python tools/build_sample_db.py                       # sample_db/verquin-demo.sqlite
    python tools/build_sample_db.py --scale agglomeration -o /tmp/agglo.sqlite

The build is deterministic: the same seed gives the same content. The generator itself
lives in the package ``qpv_desk.sampledata``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from qpv_desk.sampledata import DEFAULT_SEED, SCALES, build_sample_database  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Construit la base de démonstration de QPV Desk.")
    parser.add_argument("-o", "--output", type=Path, help="fichier à créer (remplacé s'il existe) ; "
                        "par défaut sample_db/verquin-demo.sqlite pour l'échelle « demo »")
    parser.add_argument("--scale", choices=SCALES, default="demo",
                        help="demo : Verquin ; agglomeration : jeu de données d'agglomération pour les mesures")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"graine du tirage (par défaut {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    output = args.output
    if output is None:
        if args.scale != "demo":
            parser.error("indiquez le fichier à créer avec -o pour l'échelle « agglomeration »")
        output = ROOT / "sample_db" / "verquin-demo.sqlite"
    result = build_sample_database(output, scale=args.scale, seed=args.seed,
                                   progress=lambda message: print(f"… {message}", flush=True))
    size = result.path.stat().st_size
    print(f"Base construite : {result.path} ({size / 1024:.0f} Kio) en {result.seconds:.1f} s")
    for table, count in result.counts.items():
        print(f"  {table}\t{count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
