"""Another process holding a SQLite base open for writing (the single-writer lock tests)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

HOLDER = textwrap.dedent("""
    import sys
    from qpv_desk.store.db import open_database
    db = open_database(sys.argv[1])
    print("ouvert", flush=True)
    sys.stdin.readline()
    db.close()
    print("ferme", flush=True)
""")


def start_holder(path) -> subprocess.Popen:
    """A Python process that opens ``path`` and keeps it open until a line is written to its stdin."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    assert line == "ouvert", proc.stderr.read()
    return proc
