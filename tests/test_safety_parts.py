"""A backup killed half-way leaves a ``.part`` file: the next backup removes it (issue 15, item 8)."""

from __future__ import annotations

import subprocess
import sys

from qpv_desk.store import backup as B


def test_next_backup_removes_parts_left_by_killed_backups(sqlite_db):
    first = B.backup_database(sqlite_db.path, reason="manuelle")
    folder = first.parent
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    living = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        old_style = folder / "test_20260101-000000-000000_quotidienne.sqlite.part"
        killed = folder / f"test_20260102-000000-000000_fermeture.sqlite.{dead.pid}.part"
        running = folder / f"test_20260103-000000-000000_manuelle.sqlite.{living.pid}.part"
        for p in (old_style, killed, running):
            p.write_bytes(b"\0" * 1_000_000)
        other = folder / "notes.part"
        other.write_text("pas une sauvegarde")
        B.backup_database(sqlite_db.path, reason="manuelle")
        assert not old_style.exists() and not killed.exists()
        assert running.exists()  # another process is still writing it
        assert other.exists()
        assert not list(folder.glob(f"*.{__import__('os').getpid()}.part"))  # ours was renamed into place
    finally:
        living.kill()
        living.wait()
