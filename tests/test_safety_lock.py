"""The single-writer lock follows the file, not its name (issue 15, item 3)."""

from __future__ import annotations

import os

import pytest

from lock_holder import start_holder
from qpv_desk.store import safety as S
from qpv_desk.store.db import open_database


def test_hard_link_to_an_open_base_is_refused(sqlite_db, tmp_path):
    path = sqlite_db.path
    sqlite_db.close()
    other = tmp_path / "ailleurs"
    other.mkdir()
    link = other / "autre-nom.sqlite"
    os.link(path, link)
    proc = start_holder(path)
    try:
        with pytest.raises(S.DatabaseLocked) as err:
            open_database(link)
        assert "déjà ouverte en écriture" in str(err.value)
        assert err.value.holder is not None and err.value.holder.pid == proc.pid
        assert not S.lock_path_for(link).exists() or S.read_lock_holder(S.lock_path_for(link)) is None
        with open_database(link, read_only=True):
            pass  # reading stays possible
    finally:
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(timeout=30)
    open_database(link).close()  # free again, by either name
    open_database(path).close()


def test_lock_by_the_link_refuses_the_original_name(sqlite_db, tmp_path):
    path = sqlite_db.path
    sqlite_db.close()
    link = tmp_path / "lien.sqlite"
    os.link(path, link)
    proc = start_holder(link)
    try:
        with pytest.raises(S.DatabaseLocked):
            open_database(path)
    finally:
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(timeout=30)
