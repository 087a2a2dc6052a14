"""Read-only commands (snapshot list|compare, export …) on a base of an older version:
they work — the base is upgraded first, after a backup, like every opening — or say
clearly why they cannot (the base is older and open for writing elsewhere)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

from openpyxl import load_workbook
from sqlalchemy import create_engine

from qpv_desk.cli import main
from qpv_desk.store import migrate


def older_base(path, revision="0006"):
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, revision)
    engine.dispose()
    return path


def revision(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()


def test_read_commands_work_on_an_older_base(tmp_path, capsys, isolated_home):
    path = older_base(tmp_path / "ancienne.sqlite")
    assert main(["snapshot", "list", "--db", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == ["id\tprise_le\tlibelle\treunion\tactions"]
    assert revision(path) == migrate.head_revision()
    assert list((isolated_home / "sauvegardes").glob("ancienne-*/*migration*.sqlite"))  # kept before the upgrade

    other = older_base(tmp_path / "autre.sqlite")
    out = tmp_path / "suivi.xlsx"
    assert main(["export", "copil", "--year", "tout", "--db", str(other), "-o", str(out)]) == 0
    assert "Synthèse" in load_workbook(out).sheetnames


HOLDER = textwrap.dedent("""
    import sys
    from qpv_desk.store.db import open_database
    db = open_database(sys.argv[1], upgrade=False)
    print("ouvert", flush=True)
    sys.stdin.readline()
    db.close()
""")


def test_an_older_base_open_elsewhere_says_why(tmp_path, capsys):
    path = older_base(tmp_path / "ancienne.sqlite")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:  # another instance holds it open for writing
        assert holder.stdout.readline().strip() == "ouvert", holder.stderr.read()
        assert main(["snapshot", "compare", "1", "--db", str(path)]) == 2
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "version antérieure" in err and "mise à jour" in err and "ouverte" in err
    assert revision(path) == "0006"  # untouched
