"""The committed demonstration database and the agglomeration-scale dataset."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from qpv_desk.domain.rules import add_months
from qpv_desk.sampledata import DEMO_TODAY, build_sample_database
from qpv_desk.store.db import open_database
from qpv_desk.store.sqlite_file import quick_check

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_db" / "verquin-demo.sqlite"
REBUILD = "lancez « python tools/build_sample_db.py » puis reprenez le fichier sample_db/verquin-demo.sqlite"


def dump(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table except alembic_version: its columns and its rows ordered by primary key."""
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name <> 'alembic_version' ORDER BY name")]
        out = {}
        for table in tables:
            info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
            columns = [c[1] for c in info]
            keys = [c[1] for c in sorted((c for c in info if c[5]), key=lambda c: c[5])] or columns
            order = ", ".join(f'"{k}"' for k in keys)
            out[table] = (columns, conn.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall())
        return out
    finally:
        conn.close()


def first_difference(a, b) -> str:
    columns_a, rows_a = a
    columns_b, rows_b = b
    if columns_a != columns_b:
        return f"colonnes {columns_a} ≠ {columns_b}"
    if len(rows_a) != len(rows_b):
        return f"{len(rows_a)} lignes dans le fichier livré, {len(rows_b)} après reconstruction"
    for ra, rb in zip(rows_a, rows_b):
        if ra != rb:
            return f"ligne {ra[:3]}… diffère"
    return "?"


@pytest.fixture(scope="module")
def sample():
    if not SAMPLE.exists():
        pytest.fail(f"{SAMPLE} manque : {REBUILD}.")
    conn = sqlite3.connect(f"file:{SAMPLE.as_posix()}?mode=ro", uri=True)
    yield conn
    conn.close()


def scalar(conn, sql, *params):
    return conn.execute(sql, params).fetchone()[0]


# --------------------------------------------------------------------------- freshness


def test_committed_sample_has_the_content_of_a_fresh_build(tmp_path):
    if not SAMPLE.exists():
        pytest.fail(f"{SAMPLE} manque : {REBUILD}.")
    fresh = build_sample_database(tmp_path / "verquin-demo.sqlite").path
    committed, rebuilt = dump(SAMPLE), dump(fresh)
    assert sorted(committed) == sorted(rebuilt), f"Les tables diffèrent ({sorted(set(committed) ^ set(rebuilt))}) : {REBUILD}."
    differing = {t: first_difference(committed[t], rebuilt[t]) for t in committed if committed[t] != rebuilt[t]}
    assert not differing, f"La base de démonstration livrée n'est plus à jour ({differing}) : {REBUILD}."


def test_build_is_deterministic_and_follows_the_seed(tmp_path):
    one = dump(build_sample_database(tmp_path / "a.sqlite", seed=7).path)
    two = dump(build_sample_database(tmp_path / "b.sqlite", seed=7).path)
    other = dump(build_sample_database(tmp_path / "c.sqlite", seed=8).path)
    assert one == two
    assert one["person"] != other["person"]
    assert not list(tmp_path.glob("*.construction*")), "fichier de travail laissé sur le disque"


def test_build_replaces_an_existing_file_only_when_done(tmp_path, monkeypatch):
    from qpv_desk.sampledata import demo as sample_demo

    target = tmp_path / "demo.sqlite"
    target.write_bytes(b"ancien contenu")

    def broken(self, say):
        raise RuntimeError("panne au milieu de la construction")

    with monkeypatch.context() as m:
        m.setattr(sample_demo.Demo, "build", broken)
        with pytest.raises(RuntimeError):
            build_sample_database(target)
    assert target.read_bytes() == b"ancien contenu"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.sqlite"]
    build_sample_database(target)
    assert quick_check(target) == "ok"
    with pytest.raises(ValueError):
        build_sample_database(tmp_path / "x.sqlite", scale="galaxie")
    assert not (tmp_path / "x.sqlite").exists()


# --------------------------------------------------------------------------- committed file


def test_committed_file_is_sound_small_and_self_contained(tmp_path):
    assert quick_check(SAMPLE) == "ok"
    assert SAMPLE.stat().st_size < 2 * 1024 * 1024
    wal = SAMPLE.with_name(SAMPLE.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "le fichier livré dépend d'un fichier -wal"
    # the build leaves a rollback-journal file (no -wal needed), compacted by VACUUM
    fresh = build_sample_database(tmp_path / "demo.sqlite").path
    assert fresh.read_bytes()[18:20] == b"\x01\x01", "journal DELETE attendu (pas de -wal)"
    conn = sqlite3.connect(fresh)
    try:
        assert scalar(conn, "PRAGMA freelist_count") == 0
    finally:
        conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.sqlite"]


def test_counts_are_in_the_expected_ranges(sample):
    assert 35 <= scalar(sample, "SELECT count(*) FROM organisation") <= 45
    assert 80 <= scalar(sample, "SELECT count(*) FROM person") <= 100
    for year in (2025, 2026):
        n = scalar(sample, "SELECT count(*) FROM action a JOIN programme_year p ON p.id = a.programme_year_id "
                           "WHERE p.year = ?", year)
        assert 30 <= n <= 40, (year, n)
    by_kind = dict(sample.execute("SELECT b.kind, count(*) FROM meeting m JOIN body b ON b.id = m.body_id "
                                  "WHERE m.status <> 'prevue' GROUP BY b.kind").fetchall())
    assert by_kind["gt"] >= 12 and by_kind["copil"] == 2 and by_kind["conseil_citoyen"] >= 1
    upcoming = sample.execute("SELECT date FROM meeting m JOIN body b ON b.id = m.body_id "
                              "WHERE b.kind = 'gt' AND m.status = 'prevue'").fetchall()
    assert [d for (d,) in upcoming if d.startswith("2026-12")]
    members = dict(sample.execute("SELECT b.code, count(*) FROM membership m JOIN body b ON b.id = m.body_id "
                                  "WHERE m.person_id IS NOT NULL AND m.end_date IS NULL GROUP BY b.code").fetchall())
    assert members["COPIL"] >= 5 and 20 <= members["GT"] <= 30 and 10 <= members["CC"] <= 14


def test_every_action_has_exactly_one_principal_objective(sample):
    wrong = sample.execute("SELECT a.code FROM action a WHERE (SELECT count(*) FROM action_objective o "
                           "WHERE o.action_id = a.id AND o.is_principal) <> 1").fetchall()
    assert wrong == []
    assert scalar(sample, "SELECT count(*) FROM action_objective WHERE NOT is_principal") > 10


def test_some_objectives_have_no_action_in_2026(sample):
    gaps = sample.execute(
        "SELECT o.code FROM objective o WHERE o.depth = 3 AND NOT EXISTS (SELECT 1 FROM action_objective ao "
        "JOIN action a ON a.id = ao.action_id JOIN programme_year p ON p.id = a.programme_year_id "
        "WHERE ao.objective_id = o.id AND p.year = 2026)").fetchall()
    total = scalar(sample, "SELECT count(*) FROM objective WHERE depth = 3")
    assert 3 <= len(gaps) <= 5
    assert total - len(gaps) >= 0.8 * total


def test_tasks_and_bilans_include_overdue_ones(sample):
    today = DEMO_TODAY.isoformat()
    overdue = scalar(sample, "SELECT count(*) FROM follow_up_task WHERE status IN ('a_faire', 'en_cours') "
                             "AND due_date < ?", today)
    done = scalar(sample, "SELECT count(*) FROM follow_up_task WHERE status = 'fait' AND done_on IS NOT NULL")
    upcoming = scalar(sample, "SELECT count(*) FROM follow_up_task WHERE status IN ('a_faire', 'en_cours') "
                              "AND due_date >= ?", today)
    assert overdue >= 3 and done >= 10 and upcoming >= 1
    late_bilans = scalar(sample, "SELECT count(*) FROM action WHERE review_due < ? AND review_received IS NULL "
                                 "AND status = 'a_justifier'", today)
    received = scalar(sample, "SELECT count(*) FROM action WHERE review_received IS NOT NULL")
    assert late_bilans >= 3 and received >= 10


def test_programme_follows_the_lifecycle(sample):
    rows = sample.execute("SELECT id, status, end_date, review_due FROM action").fetchall()
    history = {}
    for action_id, status, day, meeting in sample.execute(
            "SELECT action_id, status, date, meeting_id FROM action_status_change ORDER BY action_id, id"):
        history.setdefault(action_id, []).append((status, day, meeting))
    for action_id, status, end, due in rows:
        chain = history[action_id]
        assert chain[0][0] == "deposee" and chain[-1][0] == status
        dates = [d for _, d, _ in chain]
        assert dates == sorted(dates) and dates[-1] <= DEMO_TODAY.isoformat()
        if due is not None:
            assert due == add_months(dt.date.fromisoformat(end), 6).isoformat()
    statuses = {s for _, s, _, _ in rows}
    assert {"cloturee", "a_justifier", "versee", "refusee", "notifiee", "en_instruction"} <= statuses
    # opinions and decisions are dated by the meetings that gave them
    linked = sample.execute("SELECT c.status, m.date, b.kind, c.date FROM action_status_change c "
                            "JOIN meeting m ON m.id = c.meeting_id JOIN body b ON b.id = m.body_id").fetchall()
    assert linked and all(d == c for _, d, _, c in linked)
    assert {k for s, _, k, _ in linked if s.startswith("avis_")} == {"gt"}
    assert {k for s, _, k, _ in linked if s in ("accordee", "refusee", "ajournee")} == {"copil"}


def test_renewals_and_money(sample):
    total, renewals, linked = sample.execute(
        "SELECT count(*), sum(a.is_renewal), sum(a.predecessor_id IS NOT NULL) FROM action a "
        "JOIN programme_year p ON p.id = a.programme_year_id WHERE p.year = 2026").fetchone()
    assert 0.6 <= renewals / total <= 0.8 and linked == renewals
    assert scalar(sample, "SELECT count(*) FROM action a JOIN action p ON p.id = a.predecessor_id "
                          "WHERE p.title <> a.title OR p.programme_year_id = a.programme_year_id") == 0
    assert scalar(sample, "SELECT count(*) FROM funding_line WHERE typeof(requested_cents) <> 'integer' "
                          "OR typeof(paid_cents) <> 'integer' OR granted_cents > requested_cents "
                          "OR paid_cents > coalesce(granted_cents, 0)") == 0
    assert scalar(sample, "SELECT count(*) FROM action a WHERE total_cost_cents <> "
                          "(SELECT sum(requested_cents) FROM funding_line f WHERE f.action_id = a.id)") == 0
    low, high = sample.execute("SELECT min(total_cost_cents), max(total_cost_cents) FROM action").fetchone()
    assert 150_000 <= low and high <= 6_000_000
    with_state = scalar(sample, "SELECT count(DISTINCT f.action_id) FROM funding_line f JOIN funder u "
                                "ON u.id = f.funder_id WHERE u.code = 'etat_pv'")
    assert with_state >= 0.8 * scalar(sample, "SELECT count(*) FROM action")
    assert scalar(sample, "SELECT count(DISTINCT funder_id) FROM funding_line") >= 6


def test_every_invitee_has_an_attendance_line(sample):
    meetings = sample.execute("SELECT m.id, m.body_id, m.date, m.status FROM meeting m").fetchall()
    for meeting_id, body_id, day, status in meetings:
        members = {p for (p,) in sample.execute(
            "SELECT person_id FROM membership WHERE body_id = ? AND person_id IS NOT NULL "
            "AND (start_date IS NULL OR start_date <= ?) AND (end_date IS NULL OR end_date >= ?)", (body_id, day, day))}
        attended = dict(sample.execute("SELECT person_id, status FROM attendance WHERE meeting_id = ? AND NOT guest",
                                       (meeting_id,)).fetchall())
        assert members == set(attended), meeting_id
        if status != "prevue":
            assert "invite" not in attended.values()
    statuses = {s for (s,) in sample.execute("SELECT DISTINCT status FROM attendance")}
    assert {"present", "excuse", "represente", "absent", "distance"} <= statuses
    assert scalar(sample, "SELECT count(*) FROM attendance WHERE status = 'represente' AND represented_by_id IS NULL") == 0
    kinds = {k for (k,) in sample.execute("SELECT DISTINCT kind FROM decision")}
    assert kinds == {"information", "avis", "decision"}
    assert scalar(sample, "SELECT count(*) FROM agenda_item WHERE action_id IS NOT NULL") >= 3
    assert scalar(sample, "SELECT count(*) FROM agenda_item WHERE objective_id IS NOT NULL") >= 5


def test_data_is_clearly_fictitious(sample):
    emails = [e for (e,) in sample.execute("SELECT email FROM person WHERE email IS NOT NULL "
                                           "UNION ALL SELECT email FROM organisation WHERE email IS NOT NULL")]
    assert emails and all(e.endswith(".example") for e in emails)
    phones = [p for (p,) in sample.execute("SELECT phone FROM person WHERE phone IS NOT NULL "
                                           "UNION ALL SELECT phone FROM organisation WHERE phone IS NOT NULL")]
    assert phones and all(p.startswith(("03 53 01", "06 39 98")) for p in phones)
    assert {c for (c,) in sample.execute("SELECT DISTINCT postcode FROM organisation")} <= {"62131", "62400"}


def test_sample_opens_and_lists_through_the_services(sample_db):
    from qpv_desk.services import listing

    assert 30 <= len(listing.actions(sample_db, 2025).rows) <= 40
    assert len(listing.meetings(sample_db).rows) >= 15
    assert len(listing.organisations(sample_db).rows) >= 35


# --------------------------------------------------------------------------- agglomeration scale


@pytest.mark.slow
def test_agglomeration_scale_builds(tmp_path):
    # how long it takes: benchmarks/bench_checks.py (agglomeration_build), not a wall clock here
    target = tmp_path / "agglomeration.sqlite"
    env = dict(os.environ, QPV_DESK_HOME=str(tmp_path / "home"))
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "build_sample_db.py"), "--scale", "agglomeration",
                           "-o", str(target)], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Base construite" in done.stdout
    conn = sqlite3.connect(target)
    try:
        count = lambda table: scalar(conn, f"SELECT count(*) FROM {table}")  # noqa: E731
        assert count("quartier") == 25
        assert [y for (y,) in conn.execute("SELECT year FROM programme_year ORDER BY year")] == list(range(2024, 2031))
        assert 4500 <= count("action") <= 5500
        assert 1400 <= count("meeting") <= 1600
        assert 55_000 <= count("attendance") <= 65_000
        assert 2800 <= count("person") <= 3200
        assert scalar(conn, "SELECT count(*) FROM action a WHERE (SELECT count(*) FROM action_objective o "
                            "WHERE o.action_id = a.id AND o.is_principal) <> 1") == 0
        assert scalar(conn, "SELECT count(*) FROM action a JOIN action p ON p.id = a.predecessor_id "
                            "WHERE p.programme_year_id >= a.programme_year_id OR p.quartier_id <> a.quartier_id") == 0
        assert count("action WHERE predecessor_id IS NOT NULL") >= 0.4 * count("action")
        assert scalar(conn, "PRAGMA quick_check") == "ok"
    finally:
        conn.close()
    with open_database(target) as db:
        from qpv_desk.services import listing

        assert len(listing.actions(db, 2026).rows) > 600


def test_cli_needs_an_output_for_the_agglomeration_scale():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "build_sample_db.py"), "--scale", "agglomeration"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "-o" in done.stderr
