"""Run the benchmarks and print one JSON object per line.

    python benchmarks/run.py --quick [NAME …]

Each ``benchmarks/bench_*.py`` module defines ``BENCHMARKS``: a dict mapping a name to
a function ``fn(quick: bool) -> list[dict]``. Each dict has ``name``, ``value`` and
``unit`` and, where it applies, ``baseline``, ``ratio`` (value / baseline, measured in
the same run), ``target`` and ``ok``. ``--quick`` keeps the whole run within a few
minutes on a 2-core machine. A module's ``EXPLICIT`` names run only when asked for
(``mutation``: the mutation kill rate, several minutes).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def discover() -> tuple[dict, set]:
    """All benchmarks, and those that run only when named (a module's ``EXPLICIT``)."""
    found, explicit = {}, set()
    for path in sorted(HERE.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name, fn in module.BENCHMARKS.items():
            found[name] = fn
        explicit |= set(getattr(module, "EXPLICIT", ()))
    return found, explicit


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs, a few minutes in all")
    parser.add_argument("names", nargs="*", help="only these benchmarks (default: all)")
    args = parser.parse_args(argv)
    benches, explicit = discover()
    unknown = [n for n in args.names if n not in benches]
    if unknown:
        print(f"benchmarks inconnus : {', '.join(unknown)} (connus : {', '.join(benches)})", file=sys.stderr)
        return 2
    failed = False
    for name in args.names or [n for n in benches if n not in explicit]:
        try:
            results = benches[name](args.quick)
        except Exception as exc:  # report and go on with the others
            results = [{"name": name, "value": None, "unit": "", "ok": False, "error": f"{type(exc).__name__}: {exc}"}]
        for result in results:
            if result.get("ok") is False:
                failed = True
            print(json.dumps(result, ensure_ascii=False), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
