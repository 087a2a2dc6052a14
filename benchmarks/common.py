"""Helpers shared by the benchmark modules."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DB = ROOT / "sample_db" / "verquin-demo.sqlite"


def result(name, value, unit, *, baseline=None, target=None, higher_is_better=False, **extra) -> dict:
    out = {"name": name, "value": round(value, 4) if isinstance(value, float) else value, "unit": unit}
    if baseline is not None:
        out["baseline"] = round(baseline, 4) if isinstance(baseline, float) else baseline
        out["ratio"] = round(value / baseline, 3) if baseline else None
    if target is not None:
        out["target"] = target
        measured = out.get("ratio", value) if "ratio" in out else value
        out["ok"] = bool(measured is not None and (measured >= target if higher_is_better else measured <= target))
    out.update(extra)
    return out


def timed(fn, *args, repeat: int = 1, **kwargs) -> float:
    """Best wall time of ``repeat`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best


_scale_cache: dict[str, Path] = {}
_scale_seconds: dict[str, float] = {}


def agglomeration_db(quick: bool) -> Path:
    """The agglomeration-scale dataset, built once per run in a temporary folder."""
    key = "quick" if quick else "full"
    if key not in _scale_cache:
        folder = Path(tempfile.mkdtemp(prefix="qpv-bench-"))
        path = folder / "agglomeration.sqlite"
        env = dict(os.environ, QPV_DESK_HOME=str(folder / "home"))
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "tools" / "build_sample_db.py"), "--scale", "agglomeration",
                        "-o", str(path)], check=True, env=env, stdout=subprocess.DEVNULL)
        _scale_seconds[key] = time.perf_counter() - start
        _scale_cache[key] = path
    return _scale_cache[key]


def agglomeration_build_seconds(quick: bool) -> float:
    """Seconds the agglomeration-scale dataset of this run took to build (built now if needed)."""
    agglomeration_db(quick)
    return _scale_seconds["quick" if quick else "full"]
