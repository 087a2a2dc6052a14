"""The agglomeration's shared server under 25 référents (issue 16).

A real PostgreSQL server is started on this machine (the test suite's ``tests/pgserver.py``),
the agglomeration-scale dataset (25 quartiers, ~5 000 actions, ~3 000 contacts) is copied
onto it with ``db copy`` (timed, then copied back to SQLite and checked identical), the
rights are installed, and 25 simulated référents run as separate processes, each with its
own login. Each one repeats read-modify-save cycles through the application's services for
the duration (60 s, 15 s with ``--quick``), with a short think time between cycles: on
actions of her own quartier (row-level security applies) and on a few organisations of the
shared directory that everybody edits. Every save increments a counter (the action's
planned beneficiaries, a number kept in the organisation's notes); a save refused as a
conflict increments nothing.

Reported: ``server_saves_per_second``, ``server_save_p95`` (target < 0.1 s),
``server_conflicts`` (detected, reported), ``server_lost_updates`` (counters whose final
value is not the initial value plus the acknowledged increments; target 0),
``server_unexpected_errors`` (target 0), ``server_copy_roundtrip`` (SQLite → PostgreSQL →
SQLite, seconds; ``ok`` only if the result is identical table by table).
Skipped (reported with ``skipped``) when PostgreSQL is not installed.
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, agglomeration_db, result
from server_worker import referent  # a module of its own: the processes import it by name

if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

REFERENTS = 25
SHARED_ORGS = 5


def _counters(url, actions, orgs):
    from sqlalchemy import select

    from qpv_desk.store.db import open_database
    from qpv_desk.store.models import Action, Organisation

    with open_database(url) as db, db.reader() as s:
        values = {f"action:{i}": v or 0 for i, v in s.execute(
            select(Action.id, Action.beneficiaries_planned).where(Action.id.in_(actions)))}
        values.update({f"org:{i}": int(v or 0) for i, v in s.execute(
            select(Organisation.id, Organisation.notes).where(Organisation.id.in_(orgs)))})
    return values


def run(quick: bool) -> list[dict]:
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from pgserver import PgServer

        server = PgServer()
    except RuntimeError as exc:
        return [result("server_saves_per_second", None, "saves/s", skipped=str(exc))]
    from sqlalchemy import select
    from sqlalchemy.engine import make_url

    from qpv_desk.services.server import grant_role, install_roles
    from qpv_desk.services.transfer import copy_database
    from qpv_desk.store import transfer
    from qpv_desk.store.db import open_database, open_for_reading
    from qpv_desk.store.models import Action, Organisation, Quartier

    source = agglomeration_db(quick)
    server.start()
    try:
        url = server.create_database("agglomeration")
        back = Path(tempfile.mkdtemp(prefix="qpv-bench-copy-")) / "retour.sqlite"
        t0 = time.perf_counter()
        copied = copy_database(source, url)
        copy_database(url, back)
        roundtrip = time.perf_counter() - t0
        with open_for_reading(source) as a, a.engine.connect() as ca, open_for_reading(back) as b, b.engine.connect() as cb:
            identical = transfer.summaries(ca) == transfer.summaries(cb)

        with open_database(url) as db:
            install_roles(db)
            with db.reader() as s:
                quartiers = list(s.execute(select(Quartier.id, Quartier.code).order_by(Quartier.id)))[:REFERENTS]
                own = {qid: list(s.scalars(select(Action.id).where(Action.quartier_id == qid).order_by(Action.id).limit(40)))
                       for qid, _ in quartiers}
                orgs = list(s.scalars(select(Organisation.id).order_by(Organisation.id).limit(SHARED_ORGS)))
            for n, (_qid, code) in enumerate(quartiers, 1):
                grant_role(db, f"ref{n:02d}", "referent", [code])
        all_actions = [a for ids in own.values() for a in ids]
        before = _counters(url, all_actions, orgs)

        duration = 15 if quick else 60
        ctx = mp.get_context("spawn")
        out = ctx.Queue()
        start_at = time.time() + 25  # every process imported and connected before the clock starts
        procs = []
        for n, (qid, _code) in enumerate(quartiers, 1):
            login_url = make_url(url).set(username=f"ref{n:02d}").render_as_string(hide_password=False)
            p = ctx.Process(target=referent, args=(login_url, own[qid], orgs, start_at, duration, n, out))
            p.start()
            procs.append(p)
        reports = [out.get(timeout=duration + 180) for _ in procs]
        for p in procs:
            p.join(timeout=30)
        after = _counters(url, all_actions, orgs)
    finally:
        server.stop()

    acknowledged: dict[str, int] = {}
    for r in reports:
        for key, count in r["acknowledged"].items():
            acknowledged[key] = acknowledged.get(key, 0) + count
    lost = sum(1 for key in before if after[key] - before[key] != acknowledged.get(key, 0))
    latencies = sorted(x for r in reports for x in r["latencies"])
    saves = sum(acknowledged.values())
    unexpected = [e for r in reports for e in r["unexpected"]]
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) >= 20 else float("nan")
    common_extra = {"referents": len(procs), "seconds": duration}
    return [
        result("server_saves_per_second", saves / duration, "saves/s", **common_extra),
        result("server_save_p95", p95, "s", target=0.1, **common_extra),
        result("server_conflicts", sum(r["conflicts"] for r in reports), "conflicts", **common_extra),
        result("server_lost_updates", lost, "counters", target=0, **common_extra),
        result("server_unexpected_errors", len(unexpected), "errors", target=0,
               **({"first": unexpected[0]} if unexpected else {})),
        {**result("server_copy_roundtrip", roundtrip, "s", rows=copied.rows), "ok": identical},
    ]


BENCHMARKS = {"server": run}
