"""Import of referential files into SQLite and PostgreSQL: in place, never duplicated, nothing linked lost."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qpv_desk.domain.errors import ValidationError
from qpv_desk.services import listing
from qpv_desk.services.referential import import_referential, parse_text, preview_import, read_referential
from qpv_desk.store.models import (
    Action,
    ActionObjective,
    Body,
    Membership,
    Objective,
    ObjectiveLevel,
    Organisation,
    ProgrammeYear,
    Quartier,
    Statistic,
)

from conftest import VERQUIN_TOML

OTHER = """
format = 1
[contract]
code = "CV-LENS-2030"
name = "Contrat de ville de Lens"
commune = "Lens"
start_year = 2024
end_year = 2030

[[levels]]
name = "Axe"
[[levels]]
name = "Action-cadre"

[[quartiers]]
code = "QN 62 001"
name = "Cité 12"
status = "QPV"
[[quartiers]]
code = "QIC-LENS-2"
name = "Grande Résidence"
status = "QIC"

[[statistics]]
quartier = "QN 62 001"
key = "chomage"
label = "Taux de chômage"
value = 27.5
agglomeration = 14.1
unit = "%"

[[objectives]]
code = "A"
title = "Cohésion sociale"
[[objectives]]
code = "A-1"
parent = "A"
title = "Lien social"
[[objectives]]
code = "B"
title = "Emploi"

[[bodies]]
code = "CP"
name = "Comité de pilotage de Lens"
kind = "copil"
quorum = 4
"""


def count(db, model):
    with db.reader() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_verquin_whole_tree_is_listed(empty_db):
    result = import_referential(empty_db, read_referential(VERQUIN_TOML))
    assert result.count("ajout") > 50
    rows = listing.objectives(empty_db).rows
    codes = [r[1] for r in rows]
    assert codes[:3] == ["1", "1.1", "1.1.1"]
    assert len(codes) == 48 and len(set(codes)) == 48
    assert {r[2] for r in rows} == {"Enjeu", "Orientation", "Objectif opérationnel"}
    assert count(empty_db, Statistic) == 9
    with empty_db.reader() as s:
        pauvrete = s.scalars(select(Statistic).where(Statistic.key.like("%pauvrete%"))).one()
        assert str(pauvrete.value) .startswith("40.3") and str(pauvrete.agglomeration_value).startswith("18.8")
        copil = s.scalars(select(Body).where(Body.code == "COPIL")).one()
        seats = s.scalars(select(Membership).where(Membership.body_id == copil.id)).all()
        assert len(seats) == 5 and sum(m.role == "president" for m in seats) == 1


def test_reimport_updates_in_place_and_never_duplicates(empty_db):
    ref = read_referential(VERQUIN_TOML)
    import_referential(empty_db, ref)
    before = {m.__table__.name: count(empty_db, m) for m in (Objective, Statistic, Quartier, Body, Membership, Organisation)}
    again = import_referential(empty_db, ref)
    assert again.count("ajout") == 0 and again.count("modification") == 0
    assert preview_import(empty_db, ref) == ()
    after = {m.__table__.name: count(empty_db, m) for m in (Objective, Statistic, Quartier, Body, Membership, Organisation)}
    assert before == after


def test_objective_removed_from_file_is_retired_not_deleted(empty_db, tmp_path):
    import_referential(empty_db, read_referential(VERQUIN_TOML))
    with empty_db.session() as s:
        org = Organisation(name="Porteur", kind="association")
        year = ProgrammeYear(contract_id=1, year=2025)
        s.add_all([org, year])
        s.flush()
        action = Action(programme_year_id=year.id, code="A1", title="Action liée", holder_id=org.id)
        s.add(action)
        s.flush()
        target = s.scalars(select(Objective).where(Objective.code == "3.3.2")).one()
        s.add(ActionObjective(action_id=action.id, objective_id=target.id, is_principal=True))

    text = VERQUIN_TOML.read_text(encoding="utf-8")
    start = text.index('code = "3.3.2"')
    block_start = text.rindex("[[objectives]]", 0, start)
    block_end = text.find("[[", start)
    trimmed = text[:block_start] + (text[block_end:] if block_end != -1 else "")
    ref = parse_text(trimmed, "verquin-modifie.toml")

    preview = preview_import(empty_db, ref)
    assert [(c.operation, c.key) for c in preview if c.section == "Objectif"] == [("retrait", "3.3.2")]
    with empty_db.reader() as s:  # the preview changed nothing
        assert not s.scalars(select(Objective).where(Objective.code == "3.3.2")).one().retired

    import_referential(empty_db, ref)
    with empty_db.reader() as s:
        retired = s.scalars(select(Objective).where(Objective.code == "3.3.2")).one()
        assert retired.retired and retired.retired_on is not None
        assert s.scalar(select(func.count()).select_from(ActionObjective)) == 1
    # and putting it back un-retires it
    import_referential(empty_db, read_referential(VERQUIN_TOML))
    with empty_db.reader() as s:
        assert not s.scalars(select(Objective).where(Objective.code == "3.3.2")).one().retired


def test_second_differently_shaped_referential(empty_db):
    import_referential(empty_db, read_referential(VERQUIN_TOML))
    import_referential(empty_db, parse_text(OTHER, "lens.toml"))
    with empty_db.reader() as s:
        lens_levels = s.scalars(
            select(ObjectiveLevel.name).where(ObjectiveLevel.contract_id == 2).order_by(ObjectiveLevel.depth)
        ).all()
        assert lens_levels == ["Axe", "Action-cadre"]
        assert s.scalar(select(func.count()).select_from(Quartier)) == 3
        child = s.scalars(select(Objective).where(Objective.code == "A-1")).one()
        assert child.depth == 2 and child.parent.code == "A"
        assert s.scalars(select(Body).where(Body.code == "CP")).one().quorum == 4
    rows = listing.objectives(empty_db).rows
    assert ("A-1", "Action-cadre") in {(r[1], r[2]) for r in rows}


def test_errors_name_file_line_and_field():
    broken = OTHER.replace('title = "Lien social"', 'titre = "Lien social"')
    with pytest.raises(ValidationError) as err:
        parse_text(broken, "lens.toml")
    message = str(err.value)
    assert message.startswith("lens.toml, ligne ")
    assert "titre" in message


def test_failed_import_commits_nothing(empty_db, monkeypatch):
    """A failure half-way through (here: while writing the seats) leaves the base as it was."""
    from qpv_desk.services import referential as service

    real = service._Guard.set

    def explode(self, entity, row, values, created):
        if isinstance(row, Membership):
            raise RuntimeError("panne simulée")
        return real(self, entity, row, values, created)

    monkeypatch.setattr(service._Guard, "set", explode)
    with pytest.raises(RuntimeError):
        import_referential(empty_db, read_referential(VERQUIN_TOML))
    for model in (Objective, Quartier, Statistic, Body, Organisation):
        assert count(empty_db, model) == 0
