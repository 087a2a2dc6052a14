"""One simulated référente of ``bench_server``: read-modify-save cycles through the services."""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THINK = (0.1, 0.4)  # seconds between two cycles of one person


def referent(url, own_actions, shared_orgs, start_at, duration, seed, out):
    sys.path.insert(0, str(ROOT / "src"))
    from qpv_desk.domain.errors import ConflictError
    from qpv_desk.services import partners, programme
    from qpv_desk.store.db import open_database

    rng = random.Random(seed)
    acknowledged: dict[str, int] = {}
    latencies: list[float] = []
    conflicts = 0
    unexpected: list[str] = []
    db = open_database(url)
    try:
        while time.time() < start_at:
            time.sleep(0.05)
        deadline = start_at + duration
        while time.time() < deadline:
            shared = rng.random() < 0.3
            try:
                if shared:
                    oid = rng.choice(shared_orgs)
                    org = partners.get_organisation(db, oid)
                    value = int(org.notes or 0) + 1
                    t0 = time.perf_counter()
                    partners.update_organisation(db, oid, {"notes": str(value)}, expected_version=org.version)
                    key = f"org:{oid}"
                else:
                    aid = rng.choice(own_actions)
                    action = programme.get_action(db, aid)
                    value = (action.beneficiaries_planned or 0) + 1
                    t0 = time.perf_counter()
                    programme.update_action(db, aid, {"beneficiaries_planned": value}, expected_version=action.version)
                    key = f"action:{aid}"
                latencies.append(time.perf_counter() - t0)
                acknowledged[key] = acknowledged.get(key, 0) + 1
            except ConflictError:
                latencies.append(time.perf_counter() - t0)
                conflicts += 1
            except Exception as exc:  # noqa: BLE001 - counted, the run goes on
                unexpected.append(f"{type(exc).__name__}: {str(exc)[:200]}")
            time.sleep(rng.uniform(*THINK))
    finally:
        db.close()
    out.put({"acknowledged": acknowledged, "latencies": latencies, "conflicts": conflicts, "unexpected": unexpected})


