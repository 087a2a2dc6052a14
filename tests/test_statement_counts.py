"""Loading a screen issues the same number of SQL statements whatever the number of rows."""

from __future__ import annotations

import pytest

import programme_data as D
from statements import count
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.pages.dashboard import DashboardPage
from qpv_desk.gui.pages.followup import FollowupPage
from qpv_desk.gui.pages.programme import ProgrammePage
from qpv_desk.services import dashboard as B
from qpv_desk.services import followup as F
from qpv_desk.services import programme as P


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
    D.populate(seed, 8)
    small = measure(empty_db)
    assert len(P.list_actions(empty_db, 2026).rows) == 8
    D.populate(seed, 32)  # 5 × the small dataset
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

    D.populate(seed, 8)
    pages[ProgrammePage].refresh()
    pages[ProgrammePage].apply_filters({"year": 2026})
    small = screens()
    assert pages[ProgrammePage].model.rowCount() == 8
    D.populate(seed, 32)
    large = screens()
    assert pages[ProgrammePage].model.rowCount() == 40
    assert small == large
