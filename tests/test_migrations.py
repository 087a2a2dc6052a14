"""Schema migrations: upgrade from the first revision, refusal of foreign and newer files."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from qpv_desk.domain.errors import DatabaseRefused
from qpv_desk.store import migrate
from qpv_desk.store.db import open_database, schema_revision
from qpv_desk.store.models import Base


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_single_head_and_models_match_migrations(tmp_path):
    assert migrate.head_revision() == "0004"
    db = open_database(tmp_path / "x.sqlite", create=True)
    try:
        from alembic.autogenerate import compare_metadata
        from alembic.migration import MigrationContext

        with db.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diffs == [], f"les modèles et les migrations divergent : {diffs}"
    finally:
        db.close()


def test_database_at_first_revision_is_upgraded_with_a_backup(tmp_path, isolated_home):
    path = tmp_path / "ancienne.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0001")
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO contract (code, name, start_year, end_year, version) VALUES ('C', 'Contrat', 2024, 2030, 1)")
    conn.commit()
    conn.close()
    assert "change_log" not in inspect(create_engine(f"sqlite:///{path}")).get_table_names()

    db = open_database(path)
    try:
        assert schema_revision(db) == "0004"
        assert "change_log" in inspect(db.engine).get_table_names()
        with db.engine.connect() as c:
            assert c.exec_driver_sql("SELECT name FROM contract").scalar() == "Contrat"
    finally:
        db.close()
    backups = list((isolated_home / "sauvegardes" / "ancienne").glob("*migration*.sqlite"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    old.close()


def test_newer_database_is_refused_untouched(tmp_path):
    path = tmp_path / "future.sqlite"
    open_database(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(DatabaseRefused, match="version plus récente"):
        open_database(path)
    assert digest(path) == before


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04 ceci est un classeur", b"Bonjour, ceci est un texte.\n", bytes(range(256)) * 10],
    ids=["zip", "texte", "binaire"],
)
def test_foreign_file_is_refused_untouched(tmp_path, content):
    path = tmp_path / "etranger.sqlite"
    path.write_bytes(content)
    with pytest.raises(DatabaseRefused, match="n'est pas une base QPV Desk"):
        open_database(path)
    assert path.read_bytes() == content


def test_foreign_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "autre.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE clients (id INTEGER PRIMARY KEY, nom TEXT)")
    conn.execute("INSERT INTO clients (nom) VALUES ('Dupont')")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(DatabaseRefused, match="pas une base QPV Desk"):
        open_database(path)
    assert digest(path) == before


def test_missing_file_is_not_created_without_create(tmp_path):
    path = tmp_path / "absente.sqlite"
    with pytest.raises(DatabaseRefused, match="n'existe pas"):
        open_database(path)
    assert not path.exists()


def test_sqlite_pragmas(sqlite_db):
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


@pytest.mark.postgres
def test_postgresql_upgrade_from_first_revision(pg_server):
    url = pg_server.create_database("migr_old")
    engine = create_engine(url)
    migrate.upgrade(engine, "0001")
    engine.dispose()
    db = open_database(url)
    try:
        assert schema_revision(db) == "0004"
    finally:
        db.close()


def test_head_read_without_alembic_matches_alembic():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.config())
    assert scripts.get_heads() == [migrate.head_revision()]
    assert all(migrate.is_known(r.revision) for r in scripts.walk_revisions())
