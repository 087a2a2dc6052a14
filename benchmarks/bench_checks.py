"""Durations the tests used to assert with a wall clock (issue 11): measured here, where a
slow or busy machine makes a number late instead of a test red. The tests keep the
functional part (what is refused, what is built).

``xlsx_bomb_refusal``: seconds for ``check_xlsx`` to refuse a spreadsheet that is a few MB
on disk and inflates to 500 MB (``tests/test_xlsx_safety.py`` checks it is refused before
openpyxl sees it). Best of several. Target: under 1 s.

``agglomeration_build``: seconds for ``tools/build_sample_db.py --scale agglomeration`` to
build the agglomeration-scale dataset (``tests/test_sample_db.py`` checks its contents);
the build every other agglomeration benchmark of the run uses. Target: under 60 s.

``live_change_latency``: on a PostgreSQL server started for the run, seconds from a write by
one login to the change reaching another login's listener (``services.live``), worst of
several writes; ``tests/test_live.py`` checks what arrives. Target: under 2 s (an open page
learns within two seconds what someone else changed). Skipped without PostgreSQL.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from common import ROOT, agglomeration_build_seconds, result

if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))


def _zip_bomb(path: Path, uncompressed_mb: int = 500) -> None:
    """The same shape as the tests' bomb: a minimal workbook whose one sheet inflates to zeros."""
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                           'package/2006/content-types"/>')
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for _ in range(uncompressed_mb):
                fh.write(chunk)


def bench_xlsx_bomb(quick: bool) -> list[dict]:
    from qpv_desk.reports.xlsx_guard import UnsafeSpreadsheet, check_xlsx

    folder = Path(tempfile.mkdtemp(prefix="qpv-bench-bomb-"))
    try:
        bomb = folder / "bombe.xlsx"
        _zip_bomb(bomb)
        best = float("inf")
        for _ in range(3 if quick else 7):
            start = time.perf_counter()
            try:
                check_xlsx(bomb)
            except UnsafeSpreadsheet:
                pass
            else:
                raise RuntimeError("la bombe zip n'a pas été refusée")
            best = min(best, time.perf_counter() - start)
        return [result("xlsx_bomb_refusal", best, "s", target=1.0, inflated_mb=500,
                       size_mb=round(bomb.stat().st_size / 2**20, 2))]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench_agglomeration_build(quick: bool) -> list[dict]:
    return [result("agglomeration_build", agglomeration_build_seconds(quick), "s", target=60.0)]


def bench_live_latency(quick: bool) -> list[dict]:
    import queue

    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from pgserver import PgServer

        server = PgServer()
    except RuntimeError as exc:
        return [result("live_change_latency", None, "s", skipped=str(exc))]
    import psycopg
    from sqlalchemy.engine import make_url

    from qpv_desk.services import live, partners
    from qpv_desk.store.db import open_database

    server.start()
    try:
        url = server.create_database("live")
        seen: queue.Queue = queue.Queue()
        latencies = []
        with open_database(url, create=True) as owner_db:
            with psycopg.connect(f"host=127.0.0.1 port={server.port} dbname=live user=qpv", autocommit=True) as c:
                c.execute("CREATE ROLE observatrice LOGIN")
                c.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO observatrice")
            watcher_url = make_url(url).set(username="observatrice").render_as_string(hide_password=False)
            with open_database(watcher_url) as watcher_db:
                listener = live.listener(watcher_db, seen.put)
                try:
                    if not listener.connected.wait(30):
                        raise RuntimeError("l'écoute des changements ne s'est pas connectée")
                    for n in range(5 if quick else 20):
                        start = time.perf_counter()
                        partners.create_organisation(owner_db, {"name": f"Association {n}", "kind": "association"})
                        seen.get(timeout=30)
                        latencies.append(time.perf_counter() - start)
                        time.sleep(0.1)
                finally:
                    listener.stop()
    finally:
        server.stop()
    return [result("live_change_latency", max(latencies), "s", target=2.0, writes=len(latencies),
                   median=round(sorted(latencies)[len(latencies) // 2], 4))]


BENCHMARKS = {
    "xlsx_bomb_refusal": bench_xlsx_bomb,
    "agglomeration_build": bench_agglomeration_build,
    "live_change_latency": bench_live_latency,
}
