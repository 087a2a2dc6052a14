"""Loading a screen issues the same number of SQL statements whatever the number of rows."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from sqlalchemy import event

import programme_data as D
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.pages.dashboard import DashboardPage
from qpv_desk.gui.pages.followup import FollowupPage
from qpv_desk.gui.pages.programme import ProgrammePage
from qpv_desk.services import dashboard as B
from qpv_desk.services import followup as F
from qpv_desk.services import programme as P

LEAVES = ["1.1.1", "1.1.2", "1.2.1", "1.3.2", "2.1.1", "2.2.3", "3.1.1", "3.3.2"]
STATUSES = ["deposee", "accordee", "notifiee", "cloturee", "refusee", "abandonnee", "justifiee", "avis_favorable"]


def populate(seed, n: int) -> None:
    for i in range(n):
        aid = D.make_action(
            seed, 2026, f"Action {i}", LEAVES[i % len(LEAVES)], holder=("cs", "ml", "asso")[i % 3],
            secondary=(LEAVES[(i + 1) % len(LEAVES)],), cost=100_000 + i,
            funding={"etat_pv": (50_000, 40_000 if i % 2 else None, 0), "commune": (50_000 + i, 50_000, 10_000)},
            end=dt.date(2026, 6, 30), planned=10 + i, reached=i, status=STATUSES[i % len(STATUSES)],
        )
        if i % 4 == 0:
            P.add_indicator(seed.db, aid, {"label": "Participants", "target": 10})


@contextlib.contextmanager
def counting(db):
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def count(db, fn, *args, **kwargs) -> int:
    with counting(db) as statements:
        fn(*args, **kwargs)
    return len(statements)


def measure(db) -> dict[str, int]:
    return {
        "list_actions": count(db, P.list_actions, db, 2026),
        "list_actions_searched": count(db, P.list_actions, db, 2026, search="action"),
        "list_by_objective": count(db, P.list_actions, db, 2026, group="financee", objective_id=1, funder_id=1),
        "tree_year": count(db, F.objective_tree_summary, db, 2026),
        "tree_contract": count(db, F.objective_tree_summary, db, None),
        "objective_detail": count(db, F.objective_detail, db, 1, 2026),
        "dashboard": count(db, B.dashboard, db, 2026),
    }


def test_service_statement_counts_do_not_grow_with_rows(empty_db, tmp_path):
    seed = D.base(empty_db)
    populate(seed, 8)
    small = measure(empty_db)
    assert len(P.list_actions(empty_db, 2026).rows) == 8
    populate(seed, 32)  # 5 × the small dataset
    assert len(P.list_actions(empty_db, 2026).rows) == 40
    large = measure(empty_db)
    assert small == large
    assert small["list_actions"] <= 4 and small["tree_year"] <= 6


@pytest.fixture
def quiet(monkeypatch):
    monkeypatch.setattr(AppContext, "error", staticmethod(lambda parent, msg, title="": pytest.fail(str(msg))))


def test_screen_statement_counts_do_not_grow_with_rows(qtbot, sqlite_db, quiet):
    seed = D.base(sqlite_db)
    ctx = AppContext()
    ctx.set_database(sqlite_db)
    pages = {cls: cls(ctx) for cls in (ProgrammePage, FollowupPage, DashboardPage)}
    for page in pages.values():
        qtbot.addWidget(page)
        page.show()

    def screens() -> dict[str, int]:
        out = {}
        for cls, page in pages.items():
            out[cls.__name__] = count(sqlite_db, page.refresh)
        return out

    populate(seed, 8)
    pages[ProgrammePage].refresh()
    pages[ProgrammePage].apply_filters({"year": 2026})
    small = screens()
    assert pages[ProgrammePage].model.rowCount() == 8
    populate(seed, 32)
    large = screens()
    assert pages[ProgrammePage].model.rowCount() == 40
    assert small == large
