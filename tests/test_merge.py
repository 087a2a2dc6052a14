"""Agglomeration mode: a commune's base merged into the shared base (issue 16, « db merge »).

Two small commune bases built through the services share the contract « EQ2030-CABBALR »
(same objective tree) and differ by their quartiers. Both know the « Centre social Les
Îlots » (the same organisation, spelled differently) and each has an organisation of its
own; the target also has a « Mission locale » homonym of the commune's.
"""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from merge_data import build_commune, build_target
from qpv_desk.services import meetings, partners, snapshots
from qpv_desk.services.merge import (
    DISTINCT,
    SAME,
    MergeRefused,
    UnresolvedClashes,
    merge_base,
    plan_merge,
)
from qpv_desk.store import transfer
from qpv_desk.store.db import open_database
from qpv_desk.store.models import (
    Action,
    Attendance,
    ChangeLog,
    Meeting,
    Objective,
    Organisation,
    Person,
    Quartier,
)


@pytest.fixture
def source(tmp_path):
    """The commune of Lens's SQLite base, written and closed (as she would send it)."""
    path = tmp_path / "lens.sqlite"
    with open_database(path, create=True) as db:
        ids = build_commune(db, "Lens", ("QN 62 001", "QN 62 002"), "CENTRE SOCIAL les ilots", "Amicale de Lens")
        ids["snapshot"] = snapshots.take_snapshot(db, "Programme de Lens").id
    return path, ids


def _counts(db) -> dict[str, int]:
    with db.engine.connect() as conn:
        return transfer.row_counts(conn)


def _resolve(plan, **by_name) -> dict[str, str]:
    return {c.key: by_name[c.source_name] for c in plan.clashes}


def test_plan_lists_clashes_counts_and_renamed_codes(empty_db, source):
    path, src = source
    tgt = build_target(empty_db)
    before = _counts(empty_db)

    plan = plan_merge(empty_db, path)

    assert plan.commune == "Lens" and plan.quartiers == ("QN 62 001", "QN 62 002")
    clashes = {c.source_name: c for c in plan.clashes}
    assert set(clashes) == {"CENTRE SOCIAL les ilots", "Mission locale", "M. Paul Conseiller"}
    centre = clashes["CENTRE SOCIAL les ilots"]
    assert (centre.key, centre.target_id, centre.target_name) == (f"O{src['shared']}", tgt["shared"], "Centre social Les Îlots")
    assert centre.reason == "même nom" and centre.distinct_name == "CENTRE SOCIAL les ilots (Lens)"
    assert clashes["M. Paul Conseiller"].key == f"P{src['counsellor']}"
    assert any("GT → GT-LENS" in line for line in plan.renamed)
    assert sum(1 for line in plan.renamed if line.startswith("Action 202")) == 2
    counts = {c.table: c for c in plan.counts}
    assert (counts["quartier"].inserted, counts["objective"].unified, counts["contract"].unified) == (2, 3, 1)
    assert counts["organisation"].inserted == 3  # as if every clash were « distinct »
    assert _counts(empty_db) == before  # a plan writes nothing


def test_merge_repoints_the_unified_organisation_and_keeps_the_rest(empty_db, source):
    path, src = source
    tgt = build_target(empty_db)
    before = _counts(empty_db)
    plan = plan_merge(empty_db, path)
    resolutions = _resolve(plan, **{"CENTRE SOCIAL les ilots": SAME, "Mission locale": DISTINCT,
                                    "M. Paul Conseiller": DISTINCT})
    seen = []

    result = merge_base(empty_db, path, resolutions, progress=lambda done, total, label="": seen.append(done))

    assert (result.same, result.distinct) == (1, 2)
    assert seen and seen[-1] == len(result.counts)
    after = _counts(empty_db)
    for c in result.counts:  # target after = target before + rows inserted
        assert after[c.table] == before[c.table] + c.inserted, c.table
    counts = {c.table: c for c in result.counts}
    assert (counts["organisation"].inserted, counts["organisation"].unified) == (2, 1)
    assert (counts["person"].inserted, counts["meeting"].inserted, counts["quartier"].inserted) == (2, 1, 2)
    assert (counts["funder"].unified, counts["programme_year"].unified, counts["body"].inserted) == (2, 2, 1)
    with empty_db.reader() as s:
        lens_meeting = s.scalars(select(Meeting).join(Quartier).where(Quartier.code == "QN 62 001")).one()
        assert lens_meeting.body.code == "GT-LENS" and lens_meeting.body.name == "Groupe technique (Lens)"
        by_org = {a.organisation.name: a.person.last_name for a in lens_meeting.attendances}
        # the director's attendance points to the target's own Centre social (unified)
        assert by_org == {"Centre social Les Îlots": "Directrice Lens", "Mission locale (Lens)": "Conseiller"}
        director = s.scalars(select(Person).where(Person.last_name == "Directrice Lens")).one()
        assert director.organisation_id == tgt["shared"]
        names = sorted(s.scalars(select(Organisation.name)))
        assert names == sorted(["Centre social Les Îlots", "Théâtre de Verquin", "Mission locale",
                                "Amicale de Lens", "Mission locale (Lens)"])
        assert s.get(Organisation, tgt["shared"]).version == 1  # the target's record is left as it was
        ateliers, suite = s.scalars(select(Action).where(Action.title == "Ateliers de Lens").order_by(Action.id)).all()
        assert ateliers.holder_id == tgt["shared"] and ateliers.contact_id == director.id
        assert ateliers.quartier_id == lens_meeting.quartier_id and ateliers.code.endswith("-LENS")
        assert ateliers.objective_links[0].objective.code == "1.1"
        assert ateliers.objective_links[0].objective.contract_id == s.scalar(select(Objective.contract_id).limit(1))
        assert suite.predecessor_id == ateliers.id and suite.programme_year.year == 2027
        assert [h.status for h in ateliers.status_history] == ["deposee"]
        # the history comes along, about the merged records
        logged = s.scalars(select(ChangeLog.entity_id).where(ChangeLog.entity == "action",
                                                             ChangeLog.operation == "create")).all()
        assert ateliers.id in logged and suite.id in logged
        assert s.scalar(select(func.count()).select_from(Quartier)) == 4


def test_a_merged_snapshot_still_matches_its_actions(empty_db, source):
    path, _ = source
    build_target(empty_db)
    plan = plan_merge(empty_db, path)
    merge_base(empty_db, path, {c.key: DISTINCT for c in plan.clashes})
    snap = next(s for s in snapshots.list_snapshots(empty_db) if s.label == "Programme de Lens")

    changes = snapshots.compare_snapshots(empty_db, snap.id)

    assert changes.withdrawn == () and changes.status_changed == ()  # Lens's actions found under their new ids
    assert sorted(a.title for a in changes.added) == ["Ateliers de Verquin", "Ateliers de Verquin"]


def test_next_insert_after_merge_gets_a_fresh_id(empty_db, source):
    path, _ = source
    build_target(empty_db)
    plan = plan_merge(empty_db, path)
    result = merge_base(empty_db, path, {c.key: DISTINCT for c in plan.clashes})
    assert result.counts == plan.counts  # the plan counted as if every clash were « distinct »
    with empty_db.reader() as s:
        highest = s.scalar(select(func.max(Organisation.id)))
        highest_log = s.scalar(select(func.max(ChangeLog.id)))
    new_id = partners.create_organisation(empty_db, {"name": "Association créée après la fusion", "kind": "association"})
    assert new_id > highest
    with empty_db.reader() as s:
        assert s.scalar(select(func.max(ChangeLog.id))) > highest_log


def test_unresolved_clash_refuses_and_changes_nothing(empty_db, source):
    path, src = source
    build_target(empty_db)
    before = _counts(empty_db)
    plan = plan_merge(empty_db, path)
    partial = {c.key: SAME for c in plan.clashes if c.kind == "organisation"}

    with pytest.raises(UnresolvedClashes) as err:
        merge_base(empty_db, path, partial)

    assert err.value.keys == (f"P{src['counsellor']}",)
    assert "M. Paul Conseiller" in str(err.value) and "rien n'a été fusionné" in str(err.value)
    assert _counts(empty_db) == before


def test_a_different_contract_is_refused(empty_db, tmp_path):
    build_target(empty_db)
    before = _counts(empty_db)
    other = tmp_path / "autre.sqlite"
    with open_database(other, create=True) as db:
        build_commune(db, "Liévin", ("QN 62 100", "QN 62 101"), "Centre social", "Amicale", contract="CV-LIEVIN")

    with pytest.raises(MergeRefused, match="ne partagent pas le contrat de ville : « CV-LIEVIN »"):
        plan_merge(empty_db, other)
    with pytest.raises(MergeRefused):
        merge_base(empty_db, other, {})
    assert _counts(empty_db) == before


def test_a_different_objective_tree_is_refused(empty_db, tmp_path):
    build_target(empty_db)
    other = tmp_path / "arbre.sqlite"
    with open_database(other, create=True) as db:
        build_commune(db, "Liévin", ("QN 62 100", "QN 62 101"), "Centre social", "Amicale", leaf="1.3")

    with pytest.raises(MergeRefused, match=r"arborescence des objectifs.*base de la commune : 1\.3.*base cible : 1\.2"):
        plan_merge(empty_db, other)


def test_a_quartier_already_there_is_refused(empty_db, tmp_path):
    build_target(empty_db)
    before = _counts(empty_db)
    twin = tmp_path / "jumelle.sqlite"
    with open_database(twin, create=True) as db:
        build_commune(db, "Verquin", ("QP 06 20 09", "QN 62 200"), "Centre social", "Amicale")

    with pytest.raises(MergeRefused, match="Le quartier QP 06 20 09 est déjà dans"):
        merge_base(empty_db, twin, {})
    assert _counts(empty_db) == before


def test_two_contacts_made_one_in_the_same_meeting_are_refused(empty_db, source):
    path, src = source
    with open_database(path) as db:  # a homonym in the commune, at the same meeting
        twin = partners.create_person(db, {"civility": "M.", "first_name": "Paul", "last_name": "Conseiller"})
        meetings.add_guest(db, src["meeting"], twin)
    build_target(empty_db)
    before = _counts(empty_db)
    plan = plan_merge(empty_db, path)
    assert sum(1 for c in plan.clashes if c.source_name == "M. Paul Conseiller") == 2

    with pytest.raises(MergeRefused, match="invités à la même réunion"):
        merge_base(empty_db, path, {c.key: SAME for c in plan.clashes})
    assert _counts(empty_db) == before


def test_an_empty_target_asks_for_a_copy_first(empty_db, source):
    path, _ = source
    with pytest.raises(MergeRefused, match="pas encore de contrat de ville.*db copy"):
        plan_merge(empty_db, path)


def test_the_open_base_cannot_be_merged_into_itself(sqlite_db):
    with pytest.raises(MergeRefused, match="la base ouverte elle-même"):
        plan_merge(sqlite_db, sqlite_db.path)


def test_a_failure_half_way_keeps_nothing(sqlite_db, source, monkeypatch):
    path, _ = source
    build_target(sqlite_db)
    before = _counts(sqlite_db)
    plan = plan_merge(sqlite_db, path)

    def broken(done, total, label=""):
        if "attendance" in label:
            raise RuntimeError("panne simulée")

    with pytest.raises(RuntimeError):
        merge_base(sqlite_db, path, {c.key: DISTINCT for c in plan.clashes}, progress=broken)
    assert _counts(sqlite_db) == before


def test_merged_copy_of_sqlite_source_is_left_untouched(sqlite_db, source, tmp_path):
    path, _ = source
    build_target(sqlite_db)
    pristine = tmp_path / "avant.sqlite"
    shutil.copyfile(path, pristine)
    plan = plan_merge(sqlite_db, path)
    merge_base(sqlite_db, path, {c.key: DISTINCT for c in plan.clashes})
    assert path.read_bytes() == pristine.read_bytes()


# --------------------------------------------------------------------------- command line


@pytest.fixture
def target_file(tmp_path):
    path = tmp_path / "agglo.sqlite"
    with open_database(path, create=True) as db:
        ids = build_target(db)
    return path, ids


def test_cli_dry_run_lists_the_clashes_and_writes_nothing(source, target_file, capsys):
    from qpv_desk.cli import main

    path, src = source
    target, _ = target_file
    before = target.read_bytes()

    assert main(["db", "merge", str(path), str(target), "--dry-run"]) == 0

    out, err = capsys.readouterr()
    lines = [line.split("\t") for line in out.splitlines()]
    assert lines[0][:3] == ["id", "type", "nom_dans_la_commune"]
    assert {(row[0], row[2]) for row in lines[1:]} == {
        (f"O{src['shared']}", "CENTRE SOCIAL les ilots"), (f"O{src['ml']}", "Mission locale"),
        (f"P{src['counsellor']}", "M. Paul Conseiller")}
    assert "Lens (QN 62 001, QN 62 002)" in err and "3 doublons possibles à résoudre" in err and "(s)" not in err
    assert target.read_bytes() == before


def test_cli_unresolved_clash_exits_2_then_merges_by_id_and_name(source, target_file, capsys):
    from qpv_desk.cli import main

    path, src = source
    target, tgt = target_file
    assert main(["db", "merge", str(path), str(target), "--same", "centre social les îlots"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "2 doublons possibles sans décision" in err
    assert main(["db", "merge", str(path), str(target), "--same", "Inconnu"]) == 2
    assert "« Inconnu » ne désigne aucun doublon possible" in capsys.readouterr().err

    code = main(["db", "merge", str(path), str(target), "--same", "centre social les îlots",
                 "--distinct", f"o{src['ml']}", "--same", "M. Paul Conseiller"])

    assert code == 0, capsys.readouterr().err
    assert capsys.readouterr().out.startswith("Fusion vérifiée : Lens (QN 62 001, QN 62 002)")
    with open_database(target) as db, db.reader() as s:
        assert s.scalar(select(func.count()).select_from(Quartier)) == 4
        counsellor = s.scalars(select(Person).where(Person.last_name == "Conseiller")).one()
        assert counsellor.id == tgt["counsellor"]  # the same contact: one record, two meetings
        assert s.scalar(select(func.count()).select_from(Attendance).where(Attendance.person_id == counsellor.id)) == 2
        assert s.scalar(select(func.count()).select_from(Organisation).where(Organisation.name == "Mission locale (Lens)")) == 1


@pytest.mark.postgres
def test_others_writing_on_the_server_meanwhile_do_not_spoil_the_check(pg_server, source):
    """A référente saves a contact while the merge runs: both are kept, the merge's own row
    count still adds up (it reads one snapshot of the server)."""
    path, _ = source
    url = pg_server.create_database("fusion_concurrente", template="qpv_template")
    with open_database(url) as db, open_database(url) as other:
        build_target(db)
        plan = plan_merge(db, path)
        written = []

        def meanwhile(done, total, label=""):
            if "person" in label and not written:
                written.append(partners.create_organisation(other, {"name": "Créée pendant la fusion",
                                                                    "kind": "association"}))

        result = merge_base(db, path, {c.key: DISTINCT for c in plan.clashes}, progress=meanwhile)
        assert written and result.inserted > 0
        with db.reader() as s:
            names = set(s.scalars(select(Organisation.name)))
        assert {"Créée pendant la fusion", "Amicale de Lens"} <= names
