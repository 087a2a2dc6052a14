"""Moving a commune's base onto the agglomeration's server and back (issue 16, « db copy »)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qpv_desk.cli import main
from qpv_desk.domain.errors import DatabaseRefused
from qpv_desk.services import partners
from qpv_desk.services.transfer import copy_database
from qpv_desk.store import transfer
from qpv_desk.store.db import open_database, open_for_reading
from qpv_desk.store.models import ChangeLog, Objective, Organisation

_names = iter(range(1, 1000))


def _summaries(target):
    with open_for_reading(target) as db, db.engine.connect() as conn:
        return transfer.summaries(conn)


@pytest.mark.postgres
def test_sample_base_goes_to_the_server_and_back_identical(sample_path, pg_server, tmp_path):
    original = _summaries(sample_path)
    assert sum(t.rows for t in original) > 1000
    url = pg_server.create_database(f"copy{next(_names)}")

    there = copy_database(sample_path, url)
    assert there.rows == sum(t.rows for t in original)
    assert _summaries(url) == original  # ids, versions, history: the same content, table by table

    back = tmp_path / "retour.sqlite"
    copy_database(url, back)
    assert _summaries(back) == original

    # The server's sequences follow the copied ids: the first new row does not collide.
    with open_database(url) as db:
        with db.reader() as s:
            highest = max(s.scalars(select(Organisation.id)))
            history = s.scalar(select(ChangeLog.id).order_by(ChangeLog.id.desc()).limit(1))
        new_id = partners.create_organisation(db, {"name": "Association créée sur le serveur", "kind": "association"})
        assert new_id > highest
        with db.reader() as s:
            assert s.scalar(select(ChangeLog.id).order_by(ChangeLog.id.desc()).limit(1)) > history


def test_objective_parents_survive_any_row_order(sample_path, tmp_path):
    """Parents are linked after every row is in, so a child whose parent has a larger id copies
    too (on PostgreSQL the foreign key is checked row by row)."""
    import sqlite3

    with sqlite3.connect(sample_path) as conn:
        leaf = conn.execute("SELECT MIN(id) FROM objective o WHERE parent_id IS NOT NULL AND NOT EXISTS "
                            "(SELECT 1 FROM objective c WHERE c.parent_id = o.id)").fetchone()[0]
        newest = conn.execute("SELECT MAX(id) FROM objective").fetchone()[0]
        assert newest > leaf
        conn.execute("UPDATE objective SET parent_id = ? WHERE id = ?", (newest, leaf))
    copy = tmp_path / "copie.sqlite"
    copy_database(sample_path, copy)
    with open_database(copy, read_only=True) as db, db.reader() as s:
        assert s.get(Objective, leaf).parent_id == newest


def test_a_target_with_data_is_refused_unless_replaced(sample_path, tmp_path, capsys):
    first = tmp_path / "premiere.sqlite"
    copy_database(sample_path, first)
    before = first.read_bytes()

    assert main(["db", "copy", str(sample_path), str(first)]) == 2
    err = capsys.readouterr().err
    assert "contient déjà des données" in err and "--replace" in err and len(err.strip().splitlines()) == 1
    assert first.read_bytes() == before

    assert main(["db", "copy", str(sample_path), str(first), "--replace"]) == 0
    assert "Copie vérifiée" in capsys.readouterr().out
    assert _summaries(first) == _summaries(sample_path)


def test_copy_onto_itself_is_refused(sample_path):
    with pytest.raises(DatabaseRefused, match="même base"):
        copy_database(sample_path, sample_path)


def test_a_refused_source_leaves_no_half_made_target(tmp_path, capsys):
    foreign = tmp_path / "notes.sqlite"
    foreign.write_bytes(b"ceci n'est pas une base")
    target = tmp_path / "cible.sqlite"
    assert main(["db", "copy", str(foreign), str(target)]) == 2
    assert not target.exists()


@pytest.mark.postgres
def test_server_backup_is_a_sqlite_copy_she_can_open(sample_path, pg_server, tmp_path, capsys):
    url = pg_server.create_database(f"copy{next(_names)}")
    copy_database(sample_path, url)
    out = tmp_path / "ma-copie.sqlite"
    assert main(["db", "backup", "--db", url, "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert _summaries(out) == _summaries(sample_path)
