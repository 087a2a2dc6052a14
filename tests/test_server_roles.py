"""The agglomeration's server: rights per role enforced by PostgreSQL itself (issue 16).

Each role is tried with a plain database client (psycopg, no application code in between)
to show what the server refuses; then through the application's services to show the
French message and the history signed with the real login.
"""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from pgserver import dsn
from qpv_desk.cli import main
from qpv_desk.domain.errors import PermissionDenied, ValidationError
from qpv_desk.services import partners
from qpv_desk.services.server import grant_role, rights
from qpv_desk.store.db import open_database
from qpv_desk.store.models import ChangeLog

pytestmark = pytest.mark.postgres

MINE = "QP 06 20 09"


def _try(conn, sql, params=()):
    """Run one statement in its own transaction: its row count, or the server's refusal."""
    try:
        with conn.transaction():
            return conn.execute(sql, params).rowcount
    except psycopg.errors.InsufficientPrivilege as exc:
        return f"refusé: {exc.diag.message_primary}"


def test_roles_are_listed_for_the_administrator(server_base, capsys):
    assert main(["db", "roles", "list", "--db", server_base["url"]]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "identifiant\trole\tquartiers"
    # Logins are the server's (shared by its databases): others may be listed too.
    assert {tuple(line.split("\t")) for line in lines[1:]} >= {
        ("alice", "referent", MINE), ("chef", "administrateur", ""), ("dgs", "lecteur", "")}
    assert all(len(line.split("\t")) == 3 for line in lines)


def test_the_reader_reads_everything_and_writes_nothing(server_base):
    with psycopg.connect(dsn(server_base["url"], "dgs"), autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM action").fetchone()[0] >= 70
        assert conn.execute("SELECT count(*) FROM person").fetchone()[0] > 0
        assert _try(conn, "UPDATE action SET title = 'x' WHERE id = %s", (server_base["mine_action"],)).startswith("refusé")
        assert _try(conn, "INSERT INTO organisation (name, kind, active, version) VALUES ('x', 'autre', true, 1)").startswith("refusé")
        assert _try(conn, "DELETE FROM change_log").startswith("refusé")


def test_a_referent_writes_her_quartier_and_the_directory_only(server_base):
    b = server_base
    with psycopg.connect(dsn(b["url"], "alice"), autocommit=True) as conn:
        assert _try(conn, "UPDATE meeting SET place = 'Salle B' WHERE id = %s", (b["mine_meeting"],)) == 1
        assert _try(conn, "UPDATE meeting SET place = 'Salle B' WHERE id = %s", (b["other_meeting"],)) == 0
        assert _try(conn, "UPDATE action SET title = 'Autre' WHERE id = %s", (b["other_action"],)) == 0
        assert _try(conn, "DELETE FROM funding_line WHERE action_id = %s", (b["other_action"],)) == 0
        assert _try(conn, "UPDATE action SET title = 'Mienne' WHERE id = %s", (b["mine_action"],)) == 1
        # Moving her meeting into another quartier, or adding an item to another's meeting: refused.
        other_q = conn.execute("SELECT quartier_id FROM meeting WHERE id = %s", (b["other_meeting"],)).fetchone()[0]
        assert "row-level security" in _try(conn, "UPDATE meeting SET quartier_id = %s WHERE id = %s", (other_q, b["mine_meeting"]))
        assert "row-level security" in _try(
            conn, "INSERT INTO agenda_item (meeting_id, position, title, version) VALUES (%s, 99, 'Point', 1)", (b["other_meeting"],))
        assert _try(conn, "INSERT INTO organisation (name, kind, active, version) VALUES ('Nouvelle asso', 'association', true, 1)") == 1
        assert _try(conn, "UPDATE contract SET name = 'x'").startswith("refusé")
        assert _try(conn, "UPDATE objective SET title = 'x'").startswith("refusé")
        assert _try(conn, "INSERT INTO referent_quartier (login, quartier_id) VALUES ('alice', %s)", (other_q,)).startswith("refusé")


def test_the_administrator_does_everything(server_base):
    b = server_base
    with psycopg.connect(dsn(b["url"], "chef"), autocommit=True) as conn:
        assert _try(conn, "UPDATE meeting SET place = 'Salle C' WHERE id = %s", (b["other_meeting"],)) == 1
        assert _try(conn, "UPDATE contract SET name = name") >= 1


def test_the_application_says_it_in_french_and_signs_with_the_login(server_base):
    url = make_url(server_base["url"])
    with open_database(url.set(username="dgs").render_as_string(hide_password=False)) as db:
        assert rights(db).read_only and "lecture seule" in rights(db).reason()
        with pytest.raises(PermissionDenied, match="Rien n'a été enregistré"):
            partners.create_organisation(db, {"name": "Association du lecteur", "kind": "association"})
    with open_database(url.set(username="alice").render_as_string(hide_password=False)) as db:
        r = rights(db)
        assert r.role == "referent" and not r.may_edit_referential and len(r.quartier_ids) == 1
        new_id = partners.create_organisation(db, {"name": "Association d'Alice", "kind": "association"})
        with db.reader() as s:
            author = s.scalars(select(ChangeLog.user).where(ChangeLog.entity == "organisation",
                                                             ChangeLog.entity_id == new_id)).one()
        assert author == "alice"


def test_role_requests_are_checked(server_base):
    with open_database(server_base["url"]) as db:
        with pytest.raises(ValidationError) as err:
            grant_role(db, "Robert Tables;--", "referent", ["QP 99 99 99"])
        assert set(err.value.errors) == {"login", "quartiers"}
        with pytest.raises(ValidationError, match="au moins un quartier"):
            grant_role(db, "bob", "referent", [])


def test_roles_need_a_server(sample_path, capsys):
    assert main(["db", "roles", "init", "--db", str(sample_path)]) == 2
    assert "serveur PostgreSQL" in capsys.readouterr().err


def test_every_write_is_announced_to_the_other_workstations(server_base):
    """LISTEN qpv_changes: what open pages use to refresh, with who and when."""
    b = server_base
    with psycopg.connect(dsn(b["url"], "dgs"), autocommit=True) as listener:
        listener.execute("LISTEN qpv_changes")
        with psycopg.connect(dsn(b["url"], "alice"), autocommit=True) as writer:
            writer.execute("UPDATE meeting SET place = 'Salle D' WHERE id = %s", (b["mine_meeting"],))
        import json

        note = next(listener.notifies(timeout=5, stop_after=1))
        payload = json.loads(note.payload)
        assert payload["table"] == "meeting" and payload["op"] == "UPDATE" and payload["by"] == "alice"


def test_only_an_account_allowed_to_create_roles_administers_them(server_base, capsys):
    as_reader = make_url(server_base["url"]).set(username="dgs").render_as_string(hide_password=False)
    assert main(["db", "roles", "add", "eve", "--role", "administrateur", "--db", as_reader]) == 2
    err = capsys.readouterr().err
    assert "n'a pas le droit d'administrer les rôles" in err and len(err.strip().splitlines()) == 1


def test_tls_settings_pass_through_the_address():
    from qpv_desk.store.db import resolve_target

    target = resolve_target("postgresql://mdupont@serveur:5432/qpv_agglo?sslmode=verify-full&sslrootcert=/etc/ca.pem")
    url = make_url(target.url)
    assert url.drivername == "postgresql+psycopg" and url.password is None
    assert dict(url.query) == {"sslmode": "verify-full", "sslrootcert": "/etc/ca.pem"}


def test_a_referente_saving_another_quartiers_meeting_is_told_why(server_base):
    """Row-level security hides the row from her UPDATE; the message says it may be the quartier."""
    from qpv_desk.services import meetings as M

    with open_database(make_url(server_base["url"]).set(username="alice").render_as_string(hide_password=False)) as db:
        other = M.get_meeting(db, server_base["other_meeting"])
        with pytest.raises(PermissionDenied, match="quartier dont vous n'êtes pas référent"):
            M.update_meeting(db, other.id, {"place": "Salle B"}, expected_version=other.version)
        mine = M.get_meeting(db, server_base["mine_meeting"])
        M.update_meeting(db, mine.id, {"place": "Salle B"}, expected_version=mine.version)
        assert M.get_meeting(db, mine.id).place == "Salle B"


def test_a_referente_losing_a_race_on_her_own_meeting_gets_the_conflict_not_a_refusal(server_base):
    """Her own quartier's row, changed by a colleague between her read and her UPDATE: the
    server did not hide it from her, so it is a conflict (side by side in the GUI), not a refusal."""
    from qpv_desk.domain.errors import ConflictError
    from qpv_desk.store.models import Meeting

    alice = make_url(server_base["url"]).set(username="alice").render_as_string(hide_password=False)
    with open_database(alice) as db, open_database(server_base["url"]) as colleague:
        with pytest.raises(ConflictError, match="modifiée entre-temps"):
            with db.session() as s:
                meeting = s.get(Meeting, server_base["mine_meeting"])
                meeting.place = "Salle C"
                with colleague.session() as other:
                    other.get(Meeting, server_base["mine_meeting"]).place = "Salle D"
                s.flush()
        with colleague.reader() as s:
            assert s.get(Meeting, server_base["mine_meeting"]).place == "Salle D"
