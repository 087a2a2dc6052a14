"""Crash safety: SIGKILL the writing process mid-stream; every committed change survives, the file is sound."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from qpv_desk.store.db import open_database
from qpv_desk.store.models import Organisation

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL est propre à POSIX")

WRITER = textwrap.dedent("""
    import sys
    from qpv_desk.store.db import open_database
    from qpv_desk.store.models import Organisation
    from qpv_desk.services.common import record_change

    db = open_database(sys.argv[1])
    n = int(sys.argv[2])
    while True:
        n += 1
        with db.session() as s:  # one committed unit of work per number
            org = Organisation(name=f"crash-{n:05d}", notes="x" * (n % 700))
            s.add(org)
            s.flush()
            record_change(s, "organisation", org.id, "create", {"name": org.name})
        print(n, flush=True)  # printed only once committed
""")


def committed_names(path):
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = {r[0] for r in conn.execute("SELECT name FROM organisation")}
        logged = conn.execute("SELECT count(*) FROM change_log WHERE entity='organisation'").fetchone()[0]
        return names, logged
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("round_, kill_after", [(1, 7), (2, 60), (3, 230)])
def test_sigkill_mid_stream_loses_nothing_committed(sqlite_db, round_, kill_after):
    path = sqlite_db.path
    sqlite_db.close()
    start = 0
    printed: list[int] = []
    for attempt in range(round_):  # each round kills a writer once more, on the same file
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(start)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            target = kill_after + attempt * 13
            while True:
                line = proc.stdout.readline()
                assert line, proc.stderr.read()
                printed.append(int(line))
                if printed[-1] >= start + target:
                    break
            os.kill(proc.pid, signal.SIGKILL)  # no cleanup, no close, mid-stream
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.stdout.close()
            proc.stderr.close()
        names, logged = committed_names(path)
        for n in printed:
            assert f"crash-{n:05d}" in names
        # at most the change in flight beyond what we read (and it is whole or absent)
        numbers = sorted(int(name.split("-")[1]) for name in names)
        assert numbers == list(range(1, numbers[-1] + 1))  # no hole: nothing half-written
        assert logged == len(numbers)  # each change came with its history line, or not at all
        start = numbers[-1]
    with open_database(path) as db:  # reopens for writing: no stale lock, no damage
        with db.session() as s:
            s.add(Organisation(name="après"))
