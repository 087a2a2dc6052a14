"""Mutation kill rate of the rules' tests (``tools/mutation.py``, cosmic-ray).

Runs only when named (``python benchmarks/run.py --quick mutation``): it takes a few
minutes. The value is killed / (killed + survived) over the fixed subset, survivors
documented as equivalent in ``docs/mutation.md`` set apart.
"""

from __future__ import annotations

import json
import subprocess
import sys

from common import ROOT, result

EXPLICIT = {"mutation"}  # not part of a run without names


def mutation(quick: bool) -> list[dict]:
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "mutation.py"), "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=3600)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [""]
        return [{"name": "mutation_kill_rate", "value": None, "unit": "ratio", "target": 0.9, "ok": False,
                 "error": tail[0]}]
    summary = json.loads(lines[-1])
    rate = summary["kill_rate"]
    return [result("mutation_kill_rate", rate, "ratio", target=0.9, higher_is_better=True,
                   killed=summary["killed"], survived=summary["survived"], equivalent=summary["equivalent"],
                   mutants=summary["mutants"], seconds=summary["seconds"])]


BENCHMARKS = {"mutation": mutation}
