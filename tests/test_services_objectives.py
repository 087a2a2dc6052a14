"""Objective tree, contract, quartier and portrait services on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qpv_desk.domain.errors import ConflictError, NotFoundError, ValidationError
from qpv_desk.services import objectives as O
from qpv_desk.services import portrait as T
from qpv_desk.services.referential import import_referential, read_referential

from conftest import VERQUIN_TOML


@pytest.fixture
def db(empty_db):
    import_referential(empty_db, read_referential(VERQUIN_TOML))
    return empty_db


def node(tree, code):
    return next(n for n in tree.nodes if n.code == code)


def test_tree_is_read_in_order_with_level_names(db):
    tree = O.objective_tree(db)
    assert tree.levels == ("Enjeu", "Orientation", "Objectif opérationnel")
    assert [n.code for n in tree.children(None)] == ["1", "2", "3"]
    assert node(tree, "2.3.1").level == "Objectif opérationnel"
    codes = [n.code for n in tree.nodes]
    assert codes.index("1.1") < codes.index("1.1.1") < codes.index("1.2")


def test_add_rename_move(db):
    tree = O.objective_tree(db)
    parent = node(tree, "2.4")
    new_id = O.add_objective(db, "Soutenir les jeunes créateurs", parent_id=parent.id)
    tree = O.objective_tree(db)
    assert tree.by_id(new_id).code == "2.4.3" and tree.by_id(new_id).depth == 3
    sibling = O.add_objective(db, "Entre deux", parent_id=parent.id, after_id=node(tree, "2.4.1").id)
    tree = O.objective_tree(db)
    assert [n.code for n in tree.children(parent.id)] == ["2.4.1", "2.4.4", "2.4.2", "2.4.3"]
    assert O.rename_objective(db, sibling, "  Nouveau titre ", expected_version=1) == 2
    assert O.objective_tree(db).by_id(sibling).title == "Nouveau titre"
    with pytest.raises(ValidationError):
        O.rename_objective(db, sibling, "   ", expected_version=2)
    with pytest.raises(ConflictError):
        O.rename_objective(db, sibling, "X", expected_version=1)
    assert O.move_objective(db, sibling, -1)
    assert [n.code for n in O.objective_tree(db).children(parent.id)][:2] == ["2.4.4", "2.4.1"]
    assert not O.move_objective(db, sibling, -1)
    with pytest.raises(ValidationError):
        O.add_objective(db, "Trop profond", parent_id=new_id)
    with pytest.raises(ValidationError):
        O.add_objective(db, "Doublon", parent_id=parent.id, code="2.4.1")
    with pytest.raises(NotFoundError):
        O.add_objective(db, "Orphelin", parent_id=999_999)


def test_reparent_checks_cycles_and_depth(db):
    tree = O.objective_tree(db)
    n21, n11, n111 = node(tree, "2.1"), node(tree, "1.1"), node(tree, "1.1.1")
    with pytest.raises(ValidationError) as info:
        O.reparent_objective(db, n11.id, n111.id)
    assert "lui-même" in str(info.value)
    with pytest.raises(ValidationError) as info:
        O.reparent_objective(db, n11.id, n21.id)  # 1.1 has children: 4 levels would be needed
    assert "niveaux" in str(info.value)
    O.reparent_objective(db, n111.id, n21.id, position=0)
    tree = O.objective_tree(db)
    assert tree.by_id(n111.id).parent_id == n21.id and tree.children(n21.id)[0].id == n111.id
    O.reparent_objective(db, n11.id, None)
    tree = O.objective_tree(db)
    assert tree.by_id(n11.id).depth == 1
    assert all(c.depth == 2 for c in tree.children(n11.id))


def test_retire_and_reactivate(db):
    tree = O.objective_tree(db)
    n13 = node(tree, "1.3") if any(n.code == "1.3" for n in tree.nodes) else node(tree, "1.2")
    count = O.retire_objective(db, n13.id)
    tree = O.objective_tree(db)
    assert count == 1 + len(tree.children(n13.id))
    assert tree.by_id(n13.id).retired and tree.by_id(n13.id).label.endswith("(retiré)")
    assert all(c.retired for c in tree.children(n13.id))
    child = tree.children(n13.id)[0]
    with pytest.raises(ValidationError):
        O.reactivate_objective(db, child.id)
    with pytest.raises(ValidationError):
        O.add_objective(db, "Sous un retiré", parent_id=n13.id)
    O.reactivate_objective(db, n13.id)
    assert not O.objective_tree(db).by_id(n13.id).retired


def test_contract_quartier_and_statistics(db):
    contract = T.contracts(db)[0]
    assert contract.code == "EQ2030-VERQUIN"
    T.update_contract(db, contract.id, {"epci": "CABBALR ", "end_year": "2031"}, expected_version=contract.version)
    assert T.contracts(db)[0].end_year == 2031
    with pytest.raises(ValidationError) as info:
        T.update_contract(db, contract.id, {"start_year": 2032}, expected_version=contract.version + 1)
    assert info.value.field == "end_year"
    q = T.quartiers(db)[0]
    T.update_quartier(db, q.id, {"population": "3 400", "surface_ha": "56,5"}, expected_version=q.version)
    q2 = T.quartiers(db)[0]
    assert q2.population == 3400 and q2.surface_ha == Decimal("56.5")
    with pytest.raises(ValidationError) as info:
        T.update_quartier(db, q.id, {"population": "-3", "name": ""}, expected_version=q.version + 1)
    assert set(info.value.errors) == {"population", "name"}
    stats = T.statistics(db, q.id)
    poverty = next(s for s in stats if s.key == "taux_pauvrete")
    assert poverty.comparable and poverty.gap == Decimal("21.5")
    assert not next(s for s in stats if s.key == "population").comparable
    T.update_statistic(db, poverty.id, {"value": "41,0"}, expected_version=poverty.version)
    assert next(s for s in T.statistics(db, q.id) if s.key == "taux_pauvrete").value == Decimal("41.0")
    with pytest.raises(ValidationError):
        T.update_statistic(db, poverty.id, {"value": "beaucoup"}, expected_version=poverty.version + 1)


def test_tree_is_read_in_two_queries(db):
    from sqlalchemy import event

    statements = []

    def count_statement(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count_statement)
    try:
        tree = O.objective_tree(db)
    finally:
        event.remove(db.engine, "before_cursor_execute", count_statement)
    assert len(tree.nodes) > 40
    assert len(statements) <= 3, statements
