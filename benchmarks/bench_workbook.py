"""The COPIL workbook at agglomeration scale (about 5 000 actions), against a plain openpyxl baseline.

The agglomeration dataset spreads its 5 000 actions over the contract's seven years, so
the workbook measured is the whole-contract one (``copil_data(db, None)``: every action,
every meeting), the largest the application writes.

- ``workbook_write``: :func:`render_copil_workbook` (styles, table, outlines, charts, print
  setup, widths, cached formula values) versus a baseline that writes *the same cells*
  (values read back from the styled workbook) into a fresh openpyxl workbook with no
  styling, both saved to disk, in the same run. Target: ratio ≤ 1.5.
- ``workbook_data``: :func:`copil_data` (the queries), for information.
- ``workbook_peak_memory``: peak resident memory of a fresh process that opens the
  database, gathers the data and writes the workbook (``ru_maxrss``). Target < 200 MB.

``python benchmarks/run.py --quick workbook_write workbook_peak_memory`` runs both.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, agglomeration_db, result

sys.path.insert(0, str(ROOT / "src"))

YEAR = None  # the whole contract: every action of the dataset
TODAY = dt.date(2025, 10, 1)

_CHILD = r"""
import json, resource, sys, datetime as dt
sys.path.insert(0, {src!r})
from qpv_desk.store.db import open_database
from qpv_desk.services.reporting import write_copil_workbook
db = open_database({db!r}, read_only=True)
write_copil_workbook(db, {year}, {out!r}, today=dt.date(2025, 10, 1))
db.close()
# VmHWM is this process's own high-water mark; ru_maxrss would also count the parent's
# memory copied at fork (Linux carries it across exec), so a big parent inflates it.
try:
    kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"peak_mb": kb / 1024}}))
"""


def _cells(path: Path) -> list[tuple[str, list[tuple[int, int, object]]]]:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        cells = [(c.row, c.column, c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        out.append((ws.title, cells))
    return out


def _baseline(sheets, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, cells in sheets:
        ws = wb.create_sheet(title)
        for r, c, v in cells:
            ws.cell(r, c, v)
    wb.save(path)


def _write(quick: bool) -> list[dict]:
    from qpv_desk.reports.copil_workbook import render_copil_workbook
    from qpv_desk.services.reporting import copil_data
    from qpv_desk.store.db import open_database

    db_path = agglomeration_db(quick)
    folder = Path(tempfile.mkdtemp(prefix="qpv-bench-xlsx-"))
    db = open_database(db_path, read_only=True)
    try:
        start = time.perf_counter()
        data = copil_data(db, YEAR, today=TODAY)
        data_time = time.perf_counter() - start
    finally:
        db.close()
    repeat = 1 if quick else 3
    styled = float("inf")
    target = folder / "copil.xlsx"
    for _ in range(repeat):
        start = time.perf_counter()
        render_copil_workbook(data, target)
        styled = min(styled, time.perf_counter() - start)
    sheets = _cells(target)
    plain = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        _baseline(sheets, folder / "baseline.xlsx")
        plain = min(plain, time.perf_counter() - start)
    ncells = sum(len(c) for _t, c in sheets)
    return [
        result("workbook_write", styled, "s", baseline=plain, target=1.5, actions=len(data.programme), cells=ncells),
        result("workbook_data", data_time, "s", actions=len(data.programme)),
    ]


def _memory(quick: bool) -> list[dict]:
    db_path = agglomeration_db(quick)
    folder = Path(tempfile.mkdtemp(prefix="qpv-bench-xlsx-"))
    child = _CHILD.format(src=str(ROOT / "src"), db=str(db_path), year=YEAR, out=str(folder / "mem.xlsx"))
    proc = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True)
    measured = json.loads(proc.stdout.strip().splitlines()[-1])
    return [result("workbook_peak_memory", round(measured["peak_mb"], 1), "MB", target=200)]


BENCHMARKS = {
    "workbook_write": _write,  # also reports workbook_data (the queries), for information
    "workbook_peak_memory": _memory,
}
