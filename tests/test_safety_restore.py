"""Restore from the command line: over a damaged base, never over a foreign file or into a synced folder
(issue 15, item 5)."""

from __future__ import annotations

import sqlite3

from qpv_desk.cli import main
from qpv_desk.store import backup as B
from qpv_desk.store.db import open_database
from qpv_desk.store.models import Organisation


def make(path, *names):
    with open_database(path, create=True) as db:
        with db.session() as s:
            for n in names:
                s.add(Organisation(name=n))


def orgs(path):
    conn = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in conn.execute("SELECT name FROM organisation"))
    finally:
        conn.close()


def damage(path):
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):
        data[offset:offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


def test_restore_over_a_damaged_base_sets_it_aside_then_restores(tmp_path, capsys):
    path = tmp_path / "d.sqlite"
    make(path, "Mairie", "CCAS")
    saved = B.backup_database(path, reason="manuelle")
    damage(path)
    damaged = path.read_bytes()
    capsys.readouterr()
    assert main(["db", "restore", str(saved), "--yes", "--db", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "échoué" not in err and "malformed" not in out + err
    assert orgs(path) == ["CCAS", "Mairie"]
    [aside] = tmp_path.glob("d.endommagee-*.sqlite")
    assert aside.read_bytes() == damaged and aside.name in out


def test_restore_refuses_a_foreign_target_unless_forced(tmp_path, capsys):
    src = tmp_path / "base.sqlite"
    make(src, "Mairie")
    saved = B.backup_database(src, reason="manuelle")
    target = tmp_path / "notes.sqlite"
    target.write_text("mes notes importantes\n" * 50, encoding="utf-8")
    before = target.read_bytes()
    capsys.readouterr()
    assert main(["db", "restore", str(saved), "--yes", "--db", str(target)]) == 2
    assert "pas une base QPV Desk" in capsys.readouterr().err
    assert target.read_bytes() == before
    assert main(["db", "restore", str(saved), "--yes", "--force", "--db", str(target)]) == 0
    assert orgs(target) == ["Mairie"]
    [aside] = tmp_path.glob("notes.remplacee-*.sqlite")
    assert aside.read_bytes() == before


def test_restore_checks_the_target_location_like_opening(tmp_path, capsys):
    src = tmp_path / "base.sqlite"
    make(src, "Mairie")
    saved = B.backup_database(src, reason="manuelle")
    target = tmp_path / "OneDrive - Mairie" / "qpv.sqlite"
    capsys.readouterr()
    assert main(["db", "restore", str(saved), "--yes", "--db", str(target)]) == 2
    assert "OneDrive" in capsys.readouterr().err
    assert not target.exists()


def test_what_is_kept_is_said_from_the_restoration_not_from_a_name(tmp_path, capsys):
    """A sound base whose own name looks like a set-aside file is backed up, and said so."""
    path = tmp_path / "quartier.endommagee-2024.sqlite"
    make(path, "Mairie")
    saved = B.backup_database(path, reason="manuelle")
    make(path, "CCAS")
    capsys.readouterr()
    assert main(["db", "restore", str(saved), "--yes", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert orgs(path) == ["Mairie"]
    assert "Version remplacée sauvegardée dans" in out and "endommagé" not in out
    kept = next(line for line in out.splitlines() if line.startswith("Version remplacée"))
    assert "avant-restauration" in kept and orgs(kept.split(" : ", 1)[1]) == ["CCAS", "Mairie"]
