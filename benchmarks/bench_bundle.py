"""The frozen app (PyInstaller one-folder build): its size, and its start time beside the venv's.

* ``bundle_size``: MB of ``dist/qpv-desk`` (built once with ``packaging/build.py`` if it is
  absent: 1–3 minutes), with the share of Qt and of the Python runtime.
* ``frozen_start``: the frozen ``dist/qpv-desk/qpv-desk --demo`` against ``qpv-desk --demo``
  from the venv running the benchmarks, measured in the same run, alternately, with the
  same mechanism: ``QPV_DESK_EXIT_WHEN_IDLE=1`` makes the app print ``idle <s>`` (window
  shown, seconds since the process started) and ``ready <s>`` (database open, first page
  filled), then quit. Medians; the ratio is frozen / venv (below 1: the frozen app is faster).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, result

APP_DIR = ROOT / "dist" / "qpv-desk"
WINDOWS = sys.platform == "win32"


def _frozen_executable() -> Path:
    return APP_DIR / ("qpv-desk.exe" if WINDOWS else "qpv-desk")


def _venv_executable() -> Path:
    scripts = Path(sys.executable).parent
    return scripts / ("qpv-desk.exe" if WINDOWS else "qpv-desk")


def ensure_bundle() -> Path:
    """``dist/qpv-desk``, built now if absent (the build itself is not timed here)."""
    if not _frozen_executable().is_file():
        try:
            import PyInstaller  # noqa: F401
        except ImportError as exc:
            raise NoBundle("pas de dist/qpv-desk et PyInstaller absent : pip install -e \".[packaging]\"") from exc
        subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py")], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
    return APP_DIR


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


class NoBundle(Exception):
    """No frozen build here and no PyInstaller to make one: the measure is skipped."""


def _skipped(name: str, why: str) -> list[dict]:
    return [{"name": name, "value": None, "unit": "", "skipped": why}]


def bench_bundle_size(quick: bool) -> list[dict]:
    try:
        app = ensure_bundle()
    except NoBundle as exc:
        return _skipped("bundle_size", str(exc))
    internal = app / "_internal"
    total = _size(app)
    qt = _size(internal / "PySide6")
    files = sum(1 for p in app.rglob("*") if p.is_file())
    python = sum(_size(p) for p in internal.glob("libpython*")) + sum(_size(p) for p in internal.glob("python3*"))
    return [result("bundle_size", total / 1e6, "MB", files=files, qt_mb=round(qt / 1e6, 1),
                   python_runtime_mb=round(python / 1e6, 1), platform=sys.platform)]


def _start_once(executable: Path, home: Path) -> dict[str, float]:
    env = dict(os.environ, QPV_DESK_HOME=str(home), QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               QPV_DESK_EXIT_WHEN_IDLE="1")
    start = time.perf_counter()
    proc = subprocess.run([str(executable), "--demo"], capture_output=True, text=True, env=env, timeout=180,
                          cwd=home)
    wall = time.perf_counter() - start
    marks = {}
    for line in proc.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name in ("idle", "ready"):
            marks[name] = float(value)
    if proc.returncode != 0 or "idle" not in marks:
        raise RuntimeError(f"{executable.name} --demo : code {proc.returncode}, sortie {proc.stdout[-300:]!r} "
                           f"{proc.stderr[-500:]!r}")
    marks["exit"] = wall
    return marks


def bench_frozen_start(quick: bool) -> list[dict]:
    try:
        ensure_bundle()
    except NoBundle as exc:
        return _skipped("frozen_start", str(exc))
    frozen, venv = _frozen_executable(), _venv_executable()
    if not venv.is_file():
        raise RuntimeError(f"commande du venv introuvable : {venv}")
    runs = 3 if quick else 7
    samples: dict[str, list[dict]] = {"frozen": [], "venv": []}
    with tempfile.TemporaryDirectory(prefix="qpv-bench-start-") as tmp:
        for i in range(runs + 1):  # alternate, so that a load spike hits both; the first round warms the caches
            for label, exe in (("venv", venv), ("frozen", frozen)):
                home = Path(tmp) / f"{label}-{i}"
                home.mkdir()
                marks = _start_once(exe, home)
                if i:
                    samples[label].append(marks)
    out = []
    for mark, what in (("idle", "fenêtre affichée"), ("ready", "base ouverte, première page remplie"),
                       ("exit", "du lancement à la sortie")):
        if not all(mark in s for s in samples["frozen"] + samples["venv"]):
            continue
        f = statistics.median(s[mark] for s in samples["frozen"])
        v = statistics.median(s[mark] for s in samples["venv"])
        out.append(result(f"frozen_start_{mark}", f, "s", baseline=v, runs=runs, measure=what,
                          baseline_is="qpv-desk --demo depuis le venv"))
    return out


BENCHMARKS = {
    "bundle_size": bench_bundle_size,
    "frozen_start": bench_frozen_start,
}
