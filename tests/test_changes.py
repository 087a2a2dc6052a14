"""Change notifications: emitted centrally, on the GUI thread, after every unit of work that wrote."""

from __future__ import annotations

import threading

from qpv_desk.gui.context import AppContext
from qpv_desk.gui.main_window import MainWindow
from qpv_desk.services import partners as P
from qpv_desk.services.changes import Change, changes_for
from qpv_desk.services.referential import import_referential, read_referential

from conftest import VERQUIN_TOML


def test_changes_are_derived_from_the_tables_written():
    assert changes_for({"organisation", "change_log"}) == [Change.PARTNERS]
    assert changes_for({"action", "funding_line", "meeting"}) == [Change.MEETINGS, Change.ACTIONS]
    assert changes_for({"change_log"}) == []
    assert changes_for({"une_table_nouvelle", "action"}) == [Change.ALL]
    assert changes_for({"*"}) == [Change.ALL]
    assert Change.SETTINGS == "settings"  # the historical strings still compare equal


def test_a_service_write_is_announced_without_any_emit(qtbot, sqlite_db):
    ctx = AppContext()
    ctx.set_database(sqlite_db)
    seen = []
    ctx.data_changed.connect(seen.append)
    P.list_organisations(sqlite_db)  # a read announces nothing
    assert seen == []
    org = P.create_organisation(sqlite_db, {"name": "Centre social", "kind": "association"})
    assert seen == [Change.PARTNERS] and isinstance(seen[0], Change)
    from qpv_desk.services.privacy import set_retention_years

    set_retention_years(sqlite_db, 6)
    assert seen[-1] == Change.SETTINGS
    ctx.set_database(None)  # a closed context stops listening
    P.create_person(sqlite_db, {"last_name": "Martin", "first_name": "Léa", "organisation_id": org})
    assert seen[-1] == Change.SETTINGS


def test_background_writes_are_announced_on_the_gui_thread(qtbot, sqlite_db, messages):
    ctx = AppContext()
    ctx.set_database(sqlite_db)
    seen = []
    ctx.data_changed.connect(lambda change: seen.append((change, threading.current_thread() is threading.main_thread())))
    done = []
    ctx.run_in_background(None, "Import…", import_referential, sqlite_db, read_referential(VERQUIN_TOML),
                          on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=60_000)
    changes = {change for change, _ in seen}
    assert {Change.REFERENTIAL, Change.OBJECTIVES, Change.PARTNERS} <= changes
    assert all(on_gui for _, on_gui in seen)


def test_a_write_marks_the_other_pages_stale(qtbot, sqlite_db, messages):
    ctx = AppContext()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.adopt_database(sqlite_db)
    window.show()
    window.show_page("partners")
    window.show_page("referential")
    partners_row = window.page_keys.index("partners")
    assert partners_row not in window._stale
    P.create_organisation(sqlite_db, {"name": "Mairie", "kind": "commune"})  # as a dialog that forgot to say so
    assert partners_row in window._stale
    window.show_page("partners")
    assert "Mairie" in [window.page("partners").organisations.model.index(r, 0).data()
                        for r in range(window.page("partners").organisations.model.rowCount())]
    window.backups.close_current()
    ctx.set_database(None)


def test_every_table_says_which_pages_it_changes():
    """A table missing from the map would refresh every page at each write (Change.ALL)."""
    from qpv_desk.services.changes import TABLE_CHANGES
    from qpv_desk.store.models import Base

    assert sorted(set(Base.metadata.tables) - set(TABLE_CHANGES)) == []
