"""« db backup » on the server writes a SQLite copy a référente keeps and opens offline,
read-only (issue 16): the copy says so, opens read-only in the application and on the
command line, and a copy of it is a base she may change again."""

from __future__ import annotations

import datetime as dt

import pytest

from qpv_desk.cli import main
from qpv_desk.domain.errors import UserError
from qpv_desk.services import partners
from qpv_desk.services.database import backup_base, copy_base, open_base, open_or_offer, server_copy

pytestmark = pytest.mark.postgres

_names = iter(range(1, 1000))


@pytest.fixture
def backup(pg_server, tmp_path):
    url = pg_server.create_database(f"copie{next(_names)}", template="qpv_template")
    with open_base(url) as db:
        partners.create_organisation(db, {"name": "Centre social du serveur", "kind": "association"})
    before = dt.datetime.now().replace(microsecond=0)
    path = backup_base(url, tmp_path / "copie-agglo.sqlite")
    return url, path, before


def test_the_server_s_copy_says_what_it_is_and_opens_read_only(backup, capsys):
    url, path, before = backup
    found = server_copy(path)
    name = url.rsplit("/", 1)[1]
    assert found.server.startswith(f"{name} sur 127.0.0.1:")
    assert before <= found.taken <= dt.datetime.now()
    assert found.banner.startswith(f"Copie de la base du serveur ({found.server}) du {found.taken:%d/%m/%Y} à ")
    assert "lecture seule" in found.banner
    with open_base(path) as db:  # asked writable: read-only all the same
        assert db.read_only
        assert [o.name for o in partners.list_organisations(db)] == ["Centre social du serveur"]
        with pytest.raises(UserError, match="lecture seule"):
            partners.create_organisation(db, {"name": "Écrite hors ligne", "kind": "association"})
    opening = open_or_offer(path)
    try:
        assert opening.offer is None and opening.db.read_only
    finally:
        opening.db.close()
    # The command line reads it, and refuses to write it with one French line.
    assert main(["list", "organisations", "--db", str(path)]) == 0
    assert "Centre social du serveur" in capsys.readouterr().out
    assert main(["snapshot", "take", "--label", "hors ligne", "--db", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "lecture seule" in err and len(err.splitlines()) == 1
    assert server_copy(url) is None


def test_a_copy_of_the_copy_is_a_base_she_may_change(backup, tmp_path, capsys):
    _url, path, _before = backup
    for copy in (copy_base(path, tmp_path / "mienne.sqlite"), tmp_path / "mienne2.sqlite"):
        if not copy.exists():
            assert main(["db", "copy", str(path), str(copy)]) == 0
        assert server_copy(copy) is None
        with open_base(copy) as db:
            assert not db.read_only
            partners.create_organisation(db, {"name": "Écrite hors ligne", "kind": "association"})
    assert server_copy(path) is not None  # the backup itself is left as it was


def test_the_application_shows_the_copy_read_only_with_a_banner(qtbot, backup, messages):
    from qpv_desk.gui.context import AppContext
    from qpv_desk.gui.main_window import MainWindow

    _url, path, _before = backup
    ctx = AppContext()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.banner.isHidden()
    assert window.open_target(path)
    try:
        assert ctx.read_only and ctx.read_only_reason == server_copy(path).banner
        assert window.banner.isVisible() and window.banner.text().startswith("Copie de la base du serveur (")
        assert "(lecture seule)" in window.windowTitle() and "copie du serveur" in window.db_label.text()
        window.show_page("partners")
        new = window.page("partners").organisations.new_button
        assert not new.isEnabled()
    finally:
        db = ctx.db
        ctx.set_database(None)
        db.close()
    window._update_status()
    assert window.banner.isHidden()
