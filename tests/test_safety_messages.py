"""Logging failures stay silent; SQLite causes reach the user in French (issue 15, item 7)."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from qpv_desk.domain.errors import StorageError
from qpv_desk.store import backup as B
from qpv_desk.store.db import open_database
from qpv_desk.store.sqlite_file import french_cause


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full absent (disque plein simulé)")
def test_cli_on_a_full_log_disk_prints_only_its_french_line(tmp_path, isolated_home):
    logs = isolated_home / "logs"
    logs.mkdir()
    (logs / "qpv-desk.log").symlink_to("/dev/full")  # every write: « No space left on device »
    env = dict(os.environ, QPV_DESK_HOME=str(isolated_home))
    for args in (["list", "organisations", "--db", str(tmp_path / "absente.sqlite")],
                 ["db", "init", "--db", str(tmp_path / "nouvelle.sqlite")]):
        result = subprocess.run([sys.executable, "-m", "qpv_desk", *args], capture_output=True, text=True,
                                env=env, timeout=120)
        assert "Logging error" not in result.stderr and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.splitlines()) <= 1, result.stderr
    assert result.returncode == 0 and "Base créée" in result.stdout


@pytest.mark.parametrize("english,french", [
    ("database or disk is full", "le disque est plein"),
    ("attempt to write a readonly database", "lecture seule"),
    ("database disk image is malformed", "endommagé"),
    ("file is not a database", "endommagé"),
    ("database is locked", "occupée"),
])
def test_sqlite_causes_are_translated_and_the_original_logged(english, french, caplog):
    with caplog.at_level(logging.WARNING, logger="qpv_desk"):
        cause = french_cause(sqlite3.OperationalError(english))
    assert french in cause and english not in cause
    assert english in caplog.text


def _damage(path):
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):
        data[offset:offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


def test_backup_of_a_damaged_file_says_why_in_french(tmp_path, caplog):
    path = tmp_path / "d.sqlite"
    open_database(path, create=True).close()
    _damage(path)
    with caplog.at_level(logging.WARNING, logger="qpv_desk"):
        with pytest.raises(StorageError) as err:
            B.copy_sqlite(path, tmp_path / "copie.sqlite")
    message = str(err.value)
    assert "endommagé" in message and "malformed" not in message and "database" not in message
    assert "malformed" in caplog.text
