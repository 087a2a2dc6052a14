"""A re-import never undoes what she changed in the application without asking (issue 15, item 12)."""

from __future__ import annotations

from sqlalchemy import select

from qpv_desk.cli import main
from qpv_desk.services import partners as P
from qpv_desk.services.referential import import_referential, parse_text, preview_import, read_referential
from qpv_desk.store.db import open_database
from qpv_desk.store.models import Body, Membership

from conftest import VERQUIN_TOML


def a_member_seat(db):
    with db.reader() as s:
        m = s.scalars(select(Membership).join(Body).where(Body.code == "COPIL", Membership.role == "membre",
                                                          Membership.organisation_id.is_not(None))
                      .order_by(Membership.id)).first()
        return m.id, m.version, m.seat


def seat(db, seat_id):
    with db.reader() as s:
        m = s.get(Membership, seat_id)
        return m.role, m.organisation_id


def test_reimport_lists_and_keeps_her_edits_unless_told(empty_db):
    ref = read_referential(VERQUIN_TOML)
    import_referential(empty_db, ref)
    seat_id, version, label = a_member_seat(empty_db)
    P.update_membership(empty_db, seat_id, {"role": "president", "organisation_id": None, "seat": label},
                        expected_version=version)
    with empty_db.session() as s:
        s.scalars(select(Body).where(Body.code == "GT")).one().name = "Groupe technique QPV"

    preview = preview_import(empty_db, ref)
    edited = [c for c in preview if c.operation == "à confirmer"]
    assert {(c.section, c.detail.split(" :")[0]) for c in edited} >= {("Siège", "rôle"), ("Siège", "organisation"),
                                                                     ("Instance", "nom")}
    assert any("Président" in c.detail or "president" in c.detail for c in edited)

    result = import_referential(empty_db, ref)
    assert seat(empty_db, seat_id) == ("president", None)  # kept
    assert sum(1 for c in result.changes if c.operation == "à confirmer") == len(edited)
    with empty_db.reader() as s:
        assert s.scalars(select(Body.name).where(Body.code == "GT")).one() == "Groupe technique QPV"

    # a field the file changes and she did not touch is still updated
    changed_file = VERQUIN_TOML.read_text(encoding="utf-8").replace('name = "Comité de pilotage"',
                                                                     'name = "Comité de pilotage QPV"', 1)
    import_referential(empty_db, parse_text(changed_file, "v2.toml"))
    with empty_db.reader() as s:
        assert s.scalars(select(Body.name).where(Body.code == "COPIL")).one() == "Comité de pilotage QPV"
    assert seat(empty_db, seat_id) == ("president", None)

    import_referential(empty_db, ref, overwrite=True)  # told to: the file wins
    role, org = seat(empty_db, seat_id)
    assert role == "membre" and org is not None
    assert not [c for c in preview_import(empty_db, ref) if c.operation == "à confirmer"]


def test_cli_dry_run_shows_them_and_an_option_overwrites(tmp_path, capsys):
    path = tmp_path / "v.sqlite"
    db_arg = ["--db", str(path)]
    assert main(["db", "init", *db_arg]) == 0
    assert main(["referential", "import", str(VERQUIN_TOML), *db_arg]) == 0
    with open_database(path) as db:
        seat_id, version, label = a_member_seat(db)
        P.update_membership(db, seat_id, {"role": "president", "seat": label}, expected_version=version)
    capsys.readouterr()
    assert main(["referential", "import", str(VERQUIN_TOML), "--dry-run", *db_arg]) == 0
    out = capsys.readouterr().out
    assert "à confirmer\tSiège" in out and "rôle" in out and "--overwrite-edits" in out
    assert main(["referential", "import", str(VERQUIN_TOML), *db_arg]) == 0
    with open_database(path) as db:
        assert seat(db, seat_id)[0] == "president"
    assert main(["referential", "import", str(VERQUIN_TOML), "--overwrite-edits", *db_arg]) == 0
    with open_database(path) as db:
        assert seat(db, seat_id)[0] == "membre"
