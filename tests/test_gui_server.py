"""The application on the agglomeration's server (issue 16): rights shown, others' changes live."""

from __future__ import annotations

import pytest

from pgserver import as_login
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.main_window import MainWindow
from qpv_desk.services import partners
from qpv_desk.services.database import open_base

pytestmark = pytest.mark.postgres


def test_the_reader_sees_everything_greyed_and_the_referente_cannot_touch_the_referential(qtbot, server_base,
                                                                                           messages):
    ctx = AppContext()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    db = open_base(as_login(server_base["url"], "dgs"))
    try:
        window.adopt_database(db)
        assert ctx.read_only and "lecture seule" in ctx.read_only_reason
        assert "rôle lecteur" in window.db_label.text()
        window.show_page("partners")
        assert not window.page("partners").organisations.new_button.isEnabled()
    finally:
        ctx.set_database(None)
        db.close()
    db = open_base(as_login(server_base["url"], "alice"))
    try:
        window.adopt_database(db)
        assert not ctx.read_only and not ctx.may_edit_referential
        window.show_page("referential")
        assert not window.page("referential").import_button.isEnabled()
    finally:
        ctx.set_database(None)
        db.close()


def test_a_change_by_someone_else_refreshes_the_page(qtbot, server_base, messages):
    ctx = AppContext()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    db = open_base(as_login(server_base["url"], "dgs"))
    try:
        window.adopt_database(db)
        window.show()
        window.show_page("partners")
        page = window.page("partners")
        names = lambda: [page.organisations.model.index(r, 0).data() for r in range(page.organisations.model.rowCount())]  # noqa: E731
        assert "Régie créée à l'agglomération" not in names()
        assert ctx._listener.connected.wait(10)
        # how quickly (two seconds promised): benchmarks/bench_checks.py live_change_latency
        with qtbot.waitSignal(ctx.remote_changed, timeout=15_000):
            with open_base(as_login(server_base["url"], "alice")) as other:
                partners.create_organisation(other, {"name": "Régie créée à l'agglomération", "kind": "association"})
        window.show_page("partners")
        qtbot.waitUntil(lambda: "Régie créée à l'agglomération" in names(), timeout=15_000)
        assert window.last_remote_message.startswith("Structure : modifié par alice à ")
    finally:
        ctx.set_database(None)
        db.close()
