"""Exit codes and checks that mean what they say (issue 15, item 10)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap

import psycopg
import pytest
from sqlalchemy import make_url

from qpv_desk.cli import main
from qpv_desk.store.db import open_database

from conftest import ROOT


def _gui(db_path, home):
    script = textwrap.dedent("""
        import sys
        from qpv_desk.gui import app
        from qpv_desk.gui.context import AppContext
        AppContext.error = staticmethod(lambda parent, msg, title="": print("erreur", msg))
        AppContext.confirm = staticmethod(lambda parent, msg, title="": False)
        sys.exit(app.run_gui(db=%r))
    """ % str(db_path))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QPV_DESK_EXIT_WHEN_IDLE="1", QPV_DESK_HOME=str(home))
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)


@pytest.mark.slow
def test_gui_exits_2_on_a_damaged_file_as_on_a_foreign_one(tmp_path, isolated_home):
    foreign = tmp_path / "etranger.sqlite"
    foreign.write_bytes(b"ceci n'est pas une base" * 100)
    damaged = tmp_path / "abimee.sqlite"
    open_database(damaged, create=True).close()
    data = bytearray(damaged.read_bytes())
    for offset in range(4096, len(data), 4096):
        data[offset:offset + 64] = b"\xa5" * 64
    damaged.write_bytes(bytes(data))
    r_foreign = _gui(foreign, isolated_home)
    r_damaged = _gui(damaged, isolated_home)
    assert r_foreign.returncode == 2, r_foreign.stderr
    assert r_damaged.returncode == 2, r_damaged.stderr
    assert "endommagée" in r_damaged.stdout


def _pg(url):
    u = make_url(url)
    return psycopg.connect(host=u.host, port=u.port, user=u.username, dbname=u.database, autocommit=True)


@pytest.mark.postgres
def test_db_init_on_an_existing_postgresql_base_says_it_exists(pg_server, capsys):
    url = pg_server.create_database("init_existe", template="qpv_template")
    capsys.readouterr()
    assert main(["db", "init", "--db", url]) == 2
    out, err = capsys.readouterr()
    assert "Base créée" not in out and "existe déjà" in err


@pytest.mark.postgres
def test_db_check_on_postgresql_checks_tables_and_constraints(pg_server, capsys):
    url = pg_server.create_database("check_pg", template="qpv_template")
    capsys.readouterr()
    assert main(["db", "check", "--db", url]) == 0
    assert "integrite\tok" in capsys.readouterr().out
    with _pg(url) as conn:
        fk = conn.execute("SELECT conname FROM pg_constraint WHERE conrelid = 'membership'::regclass "
                          "AND contype = 'f' ORDER BY conname LIMIT 1").fetchone()[0]
        conn.execute(f'ALTER TABLE membership DROP CONSTRAINT "{fk}"')
        conn.execute("DROP TABLE change_log")
    assert main(["db", "check", "--db", url]) == 1
    out, err = capsys.readouterr()
    assert "change_log" in out and "membership" in out and "endommagée" in err


def test_db_check_on_sqlite_sees_a_missing_index_and_orphans(tmp_path, capsys):
    path = tmp_path / "q.sqlite"
    open_database(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX ix_change_log_entity")
    conn.execute("INSERT INTO person (id, civility, last_name, organisation_id, active, version, created_at, updated_at) "
                 "VALUES (5, '', 'X', 999, 1, 1, '2026-01-01', '2026-01-01')")
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert main(["db", "check", "--db", str(path)]) == 1
    out = capsys.readouterr().out
    assert "ix_change_log_entity" in out and "person" in out
