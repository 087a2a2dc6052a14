"""Programme snapshots and their comparison: exactly the changes made, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from programme_data import base, make_action, populate, programme
from sqlalchemy import select
from statements import count

from qpv_desk.domain.errors import ValidationError
from qpv_desk.services import meetings as M
from qpv_desk.services import programme as P
from qpv_desk.services import snapshots as S
from qpv_desk.store.models import Body, ProgrammeSnapshot


@pytest.fixture
def seed(empty_db):
    return programme(empty_db)


def _copil(db) -> int:
    with db.reader() as s:
        return s.scalar(select(Body.id).where(Body.code == "COPIL"))


def test_held_copil_freezes_the_programme_and_changes_are_listed_exactly(empty_db, seed):
    db = empty_db
    copil = M.create_meeting(db, _copil(db), dt.date(2026, 3, 20))
    assert S.list_snapshots(db) == []
    M.update_meeting(db, copil, {"status": "convoquee"}, expected_version=M.get_meeting(db, copil).version)
    assert S.list_snapshots(db) == []  # only a held COPIL freezes
    M.update_meeting(db, copil, {"status": "tenue"}, expected_version=M.get_meeting(db, copil).version)
    (first,) = S.list_snapshots(db)
    assert first.label == "COPIL du 20/03/2026" and first.meeting_id == copil and first.actions == 7
    M.update_meeting(db, copil, {"status": "cr_valide"}, expected_version=M.get_meeting(db, copil).version)
    assert len(S.list_snapshots(db)) == 1  # still held: no second snapshot

    # the changes made after the COPIL
    new = make_action(seed, 2026, "Nouvelle action", "2.2.1", holder="asso", cost=200_000,
                      funding={"epci": (50_000, None, 0)})
    P.delete_action(db, seed.actions["Ateliers cuisine"])
    P.change_status(db, seed.actions["Forum emploi"], "a_justifier", dt.date(2026, 4, 1))
    permanence = seed.actions["Permanence d'accès aux droits"]
    P.update_action(db, permanence, {"funding": [
        {"funder_id": seed.funder["etat_pv"], "requested": 1_000_000, "granted": 900_000, "paid": 400_000},
        {"funder_id": seed.funder["commune"], "requested": 1_000_000, "granted": 1_000_000, "paid": 0}]},
        expected_version=P.get_action(db, permanence).version)
    second = S.take_snapshot(db, "Avant le COPIL de juin")

    changes = S.compare_snapshots(db, first.id, second.id, year=2026)
    assert [a.title for a in changes.added] == ["Nouvelle action"] and changes.added[0].action_id == new
    assert changes.added[0].requested_cents == 50_000
    assert [a.title for a in changes.withdrawn] == ["Ateliers cuisine"]
    assert [(c.action.title, c.old, c.new) for c in changes.status_changed] == [
        ("Forum emploi", "Clôturée", "À justifier")]
    (amounts,) = changes.amounts_changed
    assert amounts.action.title == "Permanence d'accès aux droits"
    assert [(c.funder_code, c.kind, c.old_cents, c.new_cents) for c in amounts.changes] == [
        ("etat_pv", "accordé", 800_000, 900_000)]
    deltas = {d.code: (d.requested_delta_cents, d.granted_delta_cents) for d in changes.funder_deltas}
    # État: −150 000 requested (Ateliers withdrawn), +100 000 granted; EPCI: +50 000 − 150 000
    assert deltas == {"etat_pv": (-150_000, 100_000), "epci": (-100_000, 0)}
    assert (changes.requested_delta_cents, changes.granted_delta_cents) == (-250_000, 100_000)
    assert (changes.since_label, changes.until_label) == ("COPIL du 20/03/2026", "Avant le COPIL de juin")

    # the same against now, and the 2025 programme did not change
    now = S.changes_since_last_copil(db, 2026)
    assert (len(now.added), len(now.withdrawn), len(now.status_changed), len(now.amounts_changed)) == (1, 1, 1, 1)
    assert S.changes_since_last_copil(db, 2025).empty


def test_snapshots_are_never_modified(empty_db, seed):
    db = empty_db
    snap = S.take_snapshot(db)
    assert snap.label.startswith("Photographie du ")
    with pytest.raises(ValidationError, match="ne peut pas être modifiée"):
        with db.session() as s:
            s.get(ProgrammeSnapshot, snap.id).label = "changé"
    with pytest.raises(ValidationError, match="ne peut pas être modifiée"):
        with db.session() as s:
            s.get(ProgrammeSnapshot, snap.id).content = "{}"
    P.change_status(db, seed.actions["Forum emploi"], "a_justifier", dt.date(2026, 4, 1))
    (again,) = S.list_snapshots(db)
    assert again == snap
    assert not hasattr(S, "update_snapshot")
    assert len(S.compare_snapshots(db, snap.id).status_changed) == 1


def test_copil_workbook_shows_the_changes_since_the_last_copil(empty_db, seed, tmp_path):
    import openpyxl

    from qpv_desk.services.reporting import write_copil_workbook

    db = empty_db
    plain = write_copil_workbook(db, 2026, tmp_path / "avant.xlsx")
    assert "Évolutions depuis le COPIL" not in openpyxl.load_workbook(plain).sheetnames  # no snapshot yet
    copil = M.create_meeting(db, _copil(db), dt.date(2026, 3, 20))
    M.update_meeting(db, copil, {"status": "tenue"}, expected_version=M.get_meeting(db, copil).version)
    P.change_status(db, seed.actions["Forum emploi"], "a_justifier", dt.date(2026, 4, 1))
    P.delete_action(db, seed.actions["Ateliers cuisine"])
    path = write_copil_workbook(db, 2026, tmp_path / "apres.xlsx")
    ws = openpyxl.load_workbook(path)["Évolutions depuis le COPIL"]
    cells = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert cells[0][0] == "Évolutions depuis le COPIL du 20/03/2026"
    flat = [tuple(c for c in row if c is not None) for row in cells]
    assert ("Total", -3000, 0) in flat  # 150 000 + 150 000 cents requested withdrawn = −3 000 €
    header = flat.index(("Code", "Action", "Porteur", "Ancien statut", "Nouveau statut"))
    assert flat[header + 1][1:] == ("Forum emploi", "Mission locale de l'Artois", "Clôturée", "À justifier")
    withdrawn = flat.index(("Actions retirées",))
    assert flat[withdrawn + 2][1:3] == ("Ateliers cuisine", "Centre social Les Îlots")
    assert flat[withdrawn + 2][3:] == ("Déposée", 3000, 0)  # demandé 3 000 €, rien d'accordé


def test_statement_counts_do_not_grow_with_the_programme(empty_db):
    from qpv_desk.services.rapport import rapport_data

    seed = base(empty_db)
    populate(seed, 6)
    first = S.take_snapshot(empty_db)

    def measure():
        return {"take": count(empty_db, S.take_snapshot, empty_db),
                "compare_now": count(empty_db, S.compare_snapshots, empty_db, first.id),
                "rapport": count(empty_db, rapport_data, empty_db, 2026)}

    small = measure()
    populate(seed, 30)
    assert measure() == small
    assert small["take"] <= 8 and small["compare_now"] <= 6
