"""Mutation testing of the rules (cosmic-ray) on a fixed, representative subset.

    python tools/mutation.py [--json] [--keep DIR] [TARGET …]

Each target is one module (or some functions of it) with the fast tests that pin it. For
each, cosmic-ray mutates the code one change at a time (``<`` into ``<=``, ``and`` into
``or``, ``True`` into ``False``, a number into another…) and runs those tests; a mutant
the tests do not notice *survives*. The run happens in a temporary copy of ``src/`` and
``tests/`` (cosmic-ray edits files in place: the working tree is never touched).

Prints each surviving mutant (file, line, operator) and a summary; with ``--json``, the
last line is ``{"killed": …, "survived": …, "equivalent": …, "kill_rate": …}`` where
the survivors listed as equivalent in ``docs/mutation.md`` are set apart (they cannot
be killed: the mutated program behaves the same). Needs the ``mutation`` extra
(``pip install -e ".[mutation]"``). A few minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "mutation.md"

# Operators left out, everywhere: bit and power operators on numbers that are never
# combined that way, and the two "variable" operators whose mutants mostly crash at import.
EXCLUDED_OPERATORS = [
    r"core/ReplaceBinaryOperator_.*_(Pow|RShift|LShift|BitOr|BitAnd|BitXor|FloorDiv|Mod|Div|Mul)$",
    r"core/ReplaceBinaryOperator_(Pow|RShift|LShift|BitOr|BitAnd|BitXor)_.*",
    r"core/ReplaceUnaryOperator_.*",
    r"core/VariableReplacer",
    r"core/VariableInserter",
    r"core/RemoveDecorator",
    r"core/ExceptionReplacer",
]


@dataclass(frozen=True)
class Target:
    name: str
    module: str
    tests: tuple[str, ...]
    functions: tuple[str, ...] = ()  # only these functions (methods as Class.method); empty: the whole module


PYTEST = ("-x", "-q", "-p", "no:cacheprovider", "-p", "no:pytestqt", "-p", "no:xdist")

SUBSET = (  # the biggest first: two run side by side
    Target("aggregation", "src/qpv_desk/domain/aggregation.py", ("tests/test_rules.py",),
           ("action_progress", "action_weight", "weighted_progress", "Totals.add_action", "Totals.merge",
            "Totals.count", "Totals.progress", "roll_up")),
    Target("backup_rotation", "src/qpv_desk/store/backup.py",
           ("tests/test_rotation.py", "tests/test_backup.py::test_rotation_keeps_7_daily_4_weekly_12_monthly",
            "tests/test_backup.py::test_rotation_keeps_the_most_recent_and_future_dated"), ("backups_to_keep",)),
    Target("text", "src/qpv_desk/domain/text.py", ("tests/test_text.py",),
           ("euros", "euros_plain", "person_name", "feminine", "agree")),
    Target("rules", "src/qpv_desk/domain/rules.py", ("tests/test_rules.py",)),
    Target("common", "src/qpv_desk/services/common.py", ("tests/test_common.py",),
           ("check_version", "collect_errors", "refuse_unknown", "validate_fields")),
    Target("rules_sql", "src/qpv_desk/services/rules.py",
           ("tests/test_boundaries.py::test_sql_and_python_overdue_agree[sqlite]",)),
)


def _function_lines(path: Path, names: tuple[str, ...]) -> list[tuple[int, int]]:
    """Line ranges (first, last) of the named functions and methods of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, tuple[int, int]] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found[node.name] = (node.lineno, node.end_lineno)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found[f"{node.name}.{item.name}"] = (item.lineno, item.end_lineno)
    missing = [n for n in names if n not in found]
    if missing:
        raise SystemExit(f"{path}: fonctions introuvables : {', '.join(missing)}")
    return [found[n] for n in names]


def _toml_list(items) -> str:
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def _bin(name: str) -> str:
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def run_target(target: Target, work: Path, env: dict, timeout: float) -> list[dict]:
    """Run cosmic-ray on one target in ``work`` (a copy of the repository); return the results."""
    session = work / f"{target.name}.sqlite"
    config = work / f"{target.name}.toml"
    test_command = shlex.join([sys.executable, "-m", "pytest", *PYTEST, *target.tests])
    lines = ""
    if target.functions:
        ranges = _function_lines(work / target.module, target.functions)
        lines = (f"\n[cosmic-ray.filters.line-filter.lines]\n"
                 f"{json.dumps(target.module)} = {_toml_list(f'{a}-{b}' for a, b in ranges)}\n")
    config.write_text(
        "[cosmic-ray]\n"
        f"module-path = {json.dumps(target.module)}\n"
        f"timeout = {timeout}\n"
        "excluded-modules = []\n"
        f"test-command = {json.dumps(test_command)}\n"
        "[cosmic-ray.distributor]\nname = \"local\"\n"
        "[cosmic-ray.filters.operators-filter]\n"
        f"exclude-operators = {_toml_list(EXCLUDED_OPERATORS)}\n" + lines,
        encoding="utf-8",
    )

    def call(*args):
        subprocess.run([*args], cwd=work, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    call(_bin("cosmic-ray"), "init", str(config), str(session))
    call(_bin("cr-filter-operators"), str(session), str(config))
    if target.functions:
        call(_bin("cr-filter-lines"), str(session), "--config", str(config))
    call(_bin("cosmic-ray"), "exec", str(config), str(session))
    dump = subprocess.run([_bin("cosmic-ray"), "dump", str(session)], cwd=work, env=env, check=True,
                          capture_output=True, text=True).stdout
    results = []
    for line in dump.splitlines():
        item, result = json.loads(line)
        if result is None:
            continue
        outcome = result.get("worker_outcome")
        if outcome == "skipped":
            continue
        for mutation in item["mutations"]:
            results.append({
                "target": target.name,
                "module": mutation["module_path"],
                "line": mutation["start_pos"][0],
                "operator": mutation["operator_name"],
                "occurrence": mutation["occurrence"],
                "outcome": outcome,
                "test_outcome": result.get("test_outcome"),
                "diff": result.get("diff") or "",
            })
    return results


def _source_line(module: str, line: int) -> str:
    try:
        return (ROOT / module).read_text(encoding="utf-8").splitlines()[line - 1].strip()
    except (OSError, IndexError):
        return ""


def equivalents() -> list[tuple[str, str, str]]:
    """(module, operator, source line) of the survivors documented as equivalent in docs/mutation.md.

    Table rows: ``| module | operator | `source line` | reason |``."""
    if not DOC.exists():
        return []
    out = []
    for row in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`?([\w/.]+\.py)`?\s*\|\s*`?(core/\w+)`?\s*\|\s*`(.+?)`\s*\|", row)
        if m:
            out.append((m.group(1), m.group(2), m.group(3).strip()))
    return out


def summarise(results: list[dict]) -> dict:
    known = equivalents()
    killed = survived = equivalent = 0
    survivors = []
    for r in results:
        if r["test_outcome"] == "killed" or r["outcome"] == "exception":
            killed += 1
            continue
        if r["test_outcome"] == "incompetent":  # the mutant could not even be imported: noticed
            killed += 1
            continue
        source = _source_line(r["module"], r["line"])
        if any(m == r["module"] and op == r["operator"] and src == source for m, op, src in known):
            equivalent += 1
            continue
        survived += 1
        survivors.append({**r, "source": source})
    total = killed + survived
    return {"killed": killed, "survived": survived, "equivalent": equivalent,
            "kill_rate": round(killed / total, 4) if total else None, "survivors": survivors}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help=f"parmi : {', '.join(t.name for t in SUBSET)} (défaut : tous)")
    parser.add_argument("--json", action="store_true", help="dernière ligne : le résumé en JSON")
    parser.add_argument("--keep", type=Path, help="garder la copie de travail et les sessions dans ce dossier")
    parser.add_argument("--timeout", type=float, default=60.0, help="secondes par mutant (défaut 60)")
    parser.add_argument("--jobs", type=int, default=2, help="cibles menées en parallèle (défaut 2)")
    args = parser.parse_args(argv)
    chosen = [t for t in SUBSET if not args.targets or t.name in args.targets]
    if not chosen:
        print(f"cibles inconnues : {', '.join(args.targets)}", file=sys.stderr)
        return 2
    if shutil.which(_bin("cosmic-ray")) is None and not Path(_bin("cosmic-ray")).exists():
        print("cosmic-ray n'est pas installé : pip install -e \".[mutation]\"", file=sys.stderr)
        return 2
    base = Path(tempfile.mkdtemp(prefix="qpv-mutation-")) if args.keep is None else args.keep
    base.mkdir(parents=True, exist_ok=True)

    def one(target: Target) -> list[dict]:
        work = base / target.name  # one copy per target: targets run side by side, never on the same files
        if not work.exists():
            work.mkdir()
            for part in ("src", "tests", "resources"):
                if (ROOT / part).exists():
                    shutil.copytree(ROOT / part, work / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            shutil.copy2(ROOT / "pyproject.toml", work / "pyproject.toml")
        env = dict(os.environ, PYTHONPATH=str(work / "src"), QT_QPA_PLATFORM="offscreen",
                   PYTHONDONTWRITEBYTECODE="1", QPV_DESK_HOME=str(work / "home"))
        env.pop("QPV_REQUIRE_PG", None)  # the subset's tests run on SQLite only
        t0 = time.perf_counter()
        found = run_target(target, work, env, args.timeout)
        print(f"{target.name}: {len(found)} mutants en {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        return found

    start = time.perf_counter()
    results: list[dict] = []
    try:
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for found in pool.map(one, chosen):
                results.extend(found)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    summary = summarise(results)
    for s in summary["survivors"]:
        print(f"SURVIVANT {s['module']}:{s['line']} {s['operator']} #{s['occurrence']}  `{s['source']}`")
    summary["seconds"] = round(time.perf_counter() - start, 1)
    summary["mutants"] = len(results)
    line = {k: v for k, v in summary.items() if k != "survivors"}
    print(json.dumps(line, ensure_ascii=False) if args.json else
          f"{summary['killed']} tués, {summary['survived']} survivants, {summary['equivalent']} équivalents "
          f"documentés : taux {summary['kill_rate']} en {summary['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
