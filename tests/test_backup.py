"""Backups: naming, listing, rotation (grandfather-father-son), daily/close triggers, restore round trips, CLI."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from qpv_desk.cli import main
from qpv_desk.domain.errors import DatabaseRefused
from qpv_desk.store import backup as B
from qpv_desk.store.db import open_database
from qpv_desk.store.models import Organisation, Setting


def add_orgs(db, *names):
    with db.session() as s:
        for name in names:
            s.add(Organisation(name=name))


def org_names(db):
    with db.reader() as s:
        return sorted(o.name for o in s.query(Organisation))


def dump(path):
    """Every user table, row by row, for 'identical database' comparisons."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}
    finally:
        conn.close()


# --------------------------------------------------------------------------- naming and listing


def test_backup_name_carries_date_and_reason_and_is_listed(sqlite_db):
    when = dt.datetime(2026, 3, 4, 10, 11, 12, 345678)
    made = B.backup_database(sqlite_db.path, reason="avant restauration", now=when)
    assert made.name == "test_20260304-101112-345678_avant-restauration.sqlite"
    assert B.is_sound_backup(made)
    [info] = B.list_backups(sqlite_db.path)
    assert info.path == made and info.when == when and info.reason_label == "avant restauration"
    assert info.size == made.stat().st_size > 0
    with pytest.raises(ValueError):
        B.backup_database(sqlite_db.path, reason="n'importe quoi")


def test_list_ignores_other_bases_and_stray_files(sqlite_db, tmp_path):
    B.backup_database(sqlite_db.path, reason="manuelle")
    folder = B.list_backups(sqlite_db.path)[0].path.parent
    (folder / "test_x_20260101-000000-000000_manuelle.sqlite").write_bytes(b"")
    (folder / "notes.txt").write_text("x")
    (folder / "test_20260101-000000-000000_manuelle.sqlite.part").write_bytes(b"")
    assert len(B.list_backups(sqlite_db.path)) == 1


# --------------------------------------------------------------------------- rotation (pure)


def test_rotation_keeps_7_daily_4_weekly_12_monthly():
    now = dt.datetime(2026, 11, 25, 12, 0)  # a Wednesday
    # two backups a day (8:00 and 18:00) for 500 days
    whens = []
    for n in range(500):
        day = now.date() - dt.timedelta(days=n)
        for hour in (8, 18):
            w = dt.datetime.combine(day, dt.time(hour))
            if w <= now:
                whens.append(w)
    kept = {whens[i] for i in B.backups_to_keep(whens, now, recent=0)}
    days = {w.date() for w in kept if (now.date() - w.date()).days < 7}
    assert len(days) == 7
    for d in days:  # the newest of each day
        assert dt.datetime.combine(d, dt.time(18 if d != now.date() else 8)) in kept
    weeks = {w.isocalendar()[:2] for w in kept}
    for n in range(4):
        assert (now.date() - dt.timedelta(weeks=n)).isocalendar()[:2] in weeks
    months = {(w.year, w.month) for w in kept}
    assert len(months) == 12 and (2025, 12) in months and (2025, 11) not in months
    # newest of each month: last day of the month at 18:00
    assert dt.datetime(2026, 1, 31, 18) in kept and dt.datetime(2026, 1, 30, 18) not in kept
    assert len(kept) <= 7 + 4 + 12


def test_rotation_keeps_the_most_recent_and_future_dated():
    now = dt.datetime(2026, 6, 15, 12)
    whens = [now - dt.timedelta(minutes=m) for m in range(10)] + [now + dt.timedelta(days=3)]
    kept = B.backups_to_keep(whens, now, recent=5)
    # the 5 most recent (the future-dated one among them) are kept; the rest of the day goes
    assert kept == {10, 0, 1, 2, 3}
    assert B.backups_to_keep(whens[:10], now, recent=0) == {0}  # newest of the day only


def test_rotation_deletes_files_and_applies_retention(sqlite_db):
    now = dt.datetime(2026, 11, 25, 12)
    ages = [(2000, 1), (400, 1), (60, 2), (60, 1), (31, 1), (30, 1), (2, 1), (1, 3), (1, 2), (1, 1), (0, 1)]
    for days, hours in ages:  # oldest first, as time goes by
        B.backup_database(sqlite_db.path, reason="quotidienne", now=now - dt.timedelta(days=days, hours=hours))
    # automatic rotation ran after each backup, with the retention of 5 years (default)
    whens = [b.when for b in B.list_backups(sqlite_db.path)]
    assert now - dt.timedelta(days=2000, hours=1) not in whens  # past retention
    assert now - dt.timedelta(days=60, hours=2) not in whens  # not the newest of its month
    assert now - dt.timedelta(days=400, hours=1) not in whens  # 13 months ago: past the 12 monthly
    assert now - dt.timedelta(days=31, hours=1) not in whens  # same month as a newer one, older week
    assert now - dt.timedelta(days=30, hours=1) in whens  # newest of October
    assert now - dt.timedelta(days=60, hours=1) in whens  # newest of September
    assert len(whens) == 7
    later = now + dt.timedelta(days=340)  # one year before: 31 October 2026
    deleted = B.prune_backups(sqlite_db.path, 1, now=later)
    assert len(deleted) == 2 and not any(p.exists() for p in deleted)
    assert all(b.when >= dt.datetime(2026, 10, 31) for b in B.list_backups(sqlite_db.path))
    assert len(B.list_backups(sqlite_db.path)) == 5
    with pytest.raises(ValueError):
        B.prune_backups(sqlite_db.path, 0)


def test_retention_setting_is_read_from_the_base(sqlite_db):
    with sqlite_db.session() as s:
        s.add(Setting(key="retention_years", value="1"))
    now = dt.datetime(2026, 11, 25, 12)
    old = B.backup_database(sqlite_db.path, reason="quotidienne", now=now - dt.timedelta(days=500))
    assert old.exists()  # alone and recent-ish at that time
    B.backup_database(sqlite_db.path, reason="quotidienne", now=now)
    assert not old.exists()


# --------------------------------------------------------------------------- triggers


def test_daily_backup_at_most_once_a_day(sqlite_db):
    day = dt.datetime(2026, 5, 1, 9)
    first = B.maybe_daily_backup(sqlite_db.path, day)
    assert first is not None and "quotidienne" in first.name
    assert B.maybe_daily_backup(sqlite_db.path, day + dt.timedelta(hours=5)) is None
    assert B.maybe_daily_backup(sqlite_db.path, day + dt.timedelta(days=1)) is not None


def test_backup_on_close_only_after_changes(sqlite_db):
    assert sqlite_db.writes == 0
    with sqlite_db.reader() as s:
        s.query(Organisation).all()
    with sqlite_db.session() as s:
        s.query(Organisation).all()  # a unit of work that writes nothing
    assert sqlite_db.writes == 0
    assert B.backup_on_close(sqlite_db.path, sqlite_db.writes > 0) is None
    add_orgs(sqlite_db, "Centre social")
    assert sqlite_db.writes == 1
    made = B.backup_on_close(sqlite_db.path, sqlite_db.writes > 0)
    assert made is not None and made.name.endswith("_fermeture.sqlite")
    assert B.backup_on_close(None, True) is None


def test_backup_before_import(sqlite_db):
    made = B.backup_before(sqlite_db, "import")
    assert made is not None and B.list_backups(sqlite_db.path)[0].reason == "import"

    class FakePg:
        is_sqlite = False
        path = None

    assert B.backup_before(FakePg()) is None


def test_migration_backup_is_listed(tmp_path):
    from qpv_desk.store import migrate

    path = tmp_path / "old.sqlite"
    db = open_database(path, create=True, upgrade=False)
    migrate.upgrade(db.engine, "0001")
    db.close()
    open_database(path).close()
    [info] = B.list_backups(path)
    assert info.reason == "migration"


# --------------------------------------------------------------------------- restore round trips


def test_restore_round_trip_into_open_database_is_identical(sqlite_db):
    add_orgs(sqlite_db, "Mairie", "CCAS")
    saved = B.backup_database(sqlite_db.path, reason="manuelle")
    expected = dump(saved)
    add_orgs(sqlite_db, "Association ajoutée après")
    with sqlite_db.session() as s:
        s.query(Organisation).filter_by(name="Mairie").one().name = "Mairie renommée"
    assert dump(sqlite_db.path) != expected

    restored = B.restore_backup(sqlite_db.path, saved, db=sqlite_db)
    before = restored.kept
    assert restored.kept_as == "sauvegarde"
    assert dump(sqlite_db.path) == expected  # table by table
    assert org_names(sqlite_db) == ["CCAS", "Mairie"]  # the open Database sees it
    assert before is not None and before.name.endswith("_avant-restauration.sqlite")
    assert "Association ajoutée après" in str(dump(before)["organisation"])
    assert B.integrity_check(sqlite_db.path) == "ok"
    add_orgs(sqlite_db, "Après restauration")  # still writable
    assert "Après restauration" in org_names(sqlite_db)


def test_restore_without_open_database_and_to_missing_file(sqlite_db, tmp_path):
    add_orgs(sqlite_db, "Mairie")
    saved = B.backup_database(sqlite_db.path)
    expected = dump(saved)
    path = sqlite_db.path
    add_orgs(sqlite_db, "Autre")
    sqlite_db.close()
    B.restore_backup(path, saved)
    assert dump(path) == expected
    gone = tmp_path / "nouvelle" / "test.sqlite"
    assert B.restore_backup(gone, saved) == B.Restored(None, "")
    assert dump(gone) == expected
    with open_database(gone) as db:
        assert org_names(db) == ["Mairie"]


def test_restore_of_an_older_schema_into_open_base_is_upgraded(sqlite_db, tmp_path):
    from qpv_desk.store import migrate
    from qpv_desk.store.db import schema_revision

    old_path = tmp_path / "ancienne.sqlite"
    old = open_database(old_path, create=True, upgrade=False)
    migrate.upgrade(old.engine, "0001")
    old.close()
    B.restore_backup(sqlite_db.path, old_path, db=sqlite_db)
    assert schema_revision(sqlite_db) == migrate.head_revision()
    add_orgs(sqlite_db, "Après")
    assert org_names(sqlite_db) == ["Après"]


def test_restore_refuses_foreign_or_damaged_backup_and_leaves_base(sqlite_db, tmp_path):
    add_orgs(sqlite_db, "Mairie")
    before = dump(sqlite_db.path)
    foreign = tmp_path / "autre.sqlite"
    sqlite3.connect(foreign).execute("CREATE TABLE t(x)").connection.commit()
    with pytest.raises(DatabaseRefused, match="pas une base QPV Desk"):
        B.restore_backup(sqlite_db.path, foreign, db=sqlite_db)
    text = tmp_path / "texte.sqlite"
    text.write_text("bonjour")
    with pytest.raises(DatabaseRefused):
        B.restore_backup(sqlite_db.path, text, db=sqlite_db)
    assert dump(sqlite_db.path) == before
    assert B.list_backups(sqlite_db.path) == []  # nothing backed up for nothing


# --------------------------------------------------------------------------- command line


def test_cli_backups_list_and_restore(sqlite_db, capsys):
    add_orgs(sqlite_db, "Mairie")
    path = sqlite_db.path
    assert main(["db", "backup", "--db", str(path)]) == 0
    made = capsys.readouterr().out.strip()
    add_orgs(sqlite_db, "Autre")
    sqlite_db.close()
    assert main(["db", "backups", "--db", str(path)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    when, size, reason, file = lines[0].split("\t")
    assert reason == "manuelle" and file == made and int(size) > 0
    dt.datetime.strptime(when, "%Y-%m-%d %H:%M:%S")

    assert main(["db", "restore", made, "--db", str(path)]) == 2  # not confirmed (no terminal)
    assert "--yes" in capsys.readouterr().err
    assert main(["db", "restore", made, "--db", str(path), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Base restaurée" in out and "avant-restauration" in out
    with open_database(path) as db:
        assert org_names(db) == ["Mairie"]
    assert main(["db", "backups", "--db", str(path)]) == 0
    assert "avant restauration" in capsys.readouterr().out


def test_cli_backup_of_an_unreachable_server_and_missing_backup(tmp_path, capsys):
    # A server base is backed up as a SQLite copy (tests/test_transfer.py); unreachable: one French line.
    assert main(["db", "backup", "--db", "postgresql://u@127.0.0.1:9/x", "-o", str(tmp_path / "c.sqlite")]) == 2
    assert "Connexion impossible" in capsys.readouterr().err
    assert not (tmp_path / "c.sqlite").exists()
    path = tmp_path / "b.sqlite"
    open_database(path, create=True).close()
    assert main(["db", "restore", str(tmp_path / "absente.sqlite"), "--db", str(path), "--yes"]) == 2
    assert "n'existe pas" in capsys.readouterr().err


def test_cli_backup_works_while_base_is_open_elsewhere(sqlite_db, tmp_path, capsys):
    """The app holds the writer lock; an online backup still works."""
    import subprocess
    import sys

    add_orgs(sqlite_db, "Mairie")
    out = subprocess.run([sys.executable, "-m", "qpv_desk", "db", "backup", "--db", str(sqlite_db.path),
                          "-o", str(tmp_path / "copie.sqlite")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "Mairie" in str(dump(tmp_path / "copie.sqlite")["organisation"])
