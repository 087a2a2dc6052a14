"""Test configuration: offscreen Qt, isolated user folders, SQLite and PostgreSQL databases."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DB = ROOT / "sample_db" / "verquin-demo.sqlite"
VERQUIN_TOML = ROOT / "resources" / "referentials" / "verquin-3-ilots.toml"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Each test gets its own user data folder (database, backups, logs, settings)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("QPV_DESK_HOME", str(home))
    return home


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Windows a test leaves open with typed text are closed by pytest-qt after the test:
    nobody is there to answer « Enregistrer ? », so they close without saving."""
    import sys

    base = sys.modules.get("qpv_desk.gui.dialogs.base")
    if base is not None:
        base.unattended_answer = None
    try:
        return (yield)
    finally:
        base = sys.modules.get("qpv_desk.gui.dialogs.base")
        if base is not None:
            base.unattended_answer = base.DISCARD


# --------------------------------------------------------------------------- PostgreSQL

_pg_server = None


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server for the session (skipped only if PostgreSQL is not installed
    and QPV_REQUIRE_PG is not set; CI sets it, so there a missing server fails)."""
    from pgserver import PgServer

    try:
        server = PgServer()
        server.start()
        from qpv_desk.store.db import open_database

        open_database(server.create_database("qpv_template"), create=True).close()
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("QPV_REQUIRE_PG"):
            raise
        pytest.skip(f"PostgreSQL indisponible : {exc}")
    yield server
    server.stop()


@pytest.fixture
def own_server(pg_server):
    """A PostgreSQL server of the test's own, to stop and restart (``pause``/``resume``) while
    the session's server stays up for the other tests."""
    from pgserver import PgServer

    server = PgServer()
    server.start()
    yield server
    server.stop()


_role_bases = iter(range(1, 1000))


@pytest.fixture
def server_base(sample_path, pg_server, capsys):
    """The sample base on the server, a second quartier (« QP 06 20 99 ») with one meeting and one
    action, and three people: alice (référente of the 3 Îlots), dgs (lecteur), chef (administrateur)."""
    import psycopg  # the « postgresql » extra, as for pg_server

    from pgserver import dsn
    from qpv_desk.cli import main
    from qpv_desk.services.transfer import copy_database

    mine = "QP 06 20 09"
    url = pg_server.create_database(f"roles{next(_role_bases)}")
    copy_database(sample_path, url)
    with psycopg.connect(dsn(url)) as conn:
        contract = conn.execute("SELECT contract_id FROM quartier WHERE code = %s", (mine,)).fetchone()[0]
        other = conn.execute(
            "INSERT INTO quartier (contract_id, code, name, status, version) VALUES (%s, 'QP 06 20 99', 'Autre quartier', 'qpv', 1) RETURNING id",
            (contract,)).fetchone()[0]
        mine_meeting, other_meeting = [r[0] for r in conn.execute("SELECT id FROM meeting ORDER BY id LIMIT 2")]
        conn.execute("UPDATE meeting SET quartier_id = %s WHERE id = %s", (other, other_meeting))
        mine_action, other_action = [r[0] for r in conn.execute("SELECT id FROM action ORDER BY id LIMIT 2")]
        conn.execute("UPDATE action SET quartier_id = %s WHERE id = %s", (other, other_action))
    assert main(["db", "roles", "init", "--db", url]) == 0
    assert main(["db", "roles", "add", "alice", "--role", "referent", "--quartier", mine, "--db", url]) == 0
    assert main(["db", "roles", "add", "dgs", "--role", "lecteur", "--db", url]) == 0
    assert main(["db", "roles", "add", "chef", "--role", "administrateur", "--db", url]) == 0
    capsys.readouterr()
    return dict(url=url, mine_meeting=mine_meeting, other_meeting=other_meeting,
                mine_action=mine_action, other_action=other_action)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory):
    from qpv_desk.store.db import open_database

    path = tmp_path_factory.mktemp("template") / "empty.sqlite"
    open_database(path, create=True).close()
    return path


_pg_counter = iter(range(1, 1_000_000))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db(request, tmp_path):
    """An empty, migrated database on each dialect — the same test runs on both."""
    from qpv_desk.store.db import open_database

    if request.param == "sqlite":
        path = tmp_path / "test.sqlite"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        db = open_database(path)
    else:
        server = request.getfixturevalue("pg_server")
        url = server.create_database(f"t{next(_pg_counter)}", template="qpv_template")
        db = open_database(url)
    yield db
    db.close()


@pytest.fixture
def sqlite_db(tmp_path, _sqlite_template):
    from qpv_desk.store.db import open_database

    path = tmp_path / "test.sqlite"
    shutil.copyfile(_sqlite_template, path)
    db = open_database(path)
    yield db
    db.close()


@pytest.fixture
def verquin_db(sqlite_db):
    """A SQLite base holding only Verquin's referential (contract, quartiers, bodies, objectives)."""
    from qpv_desk.services.referential import import_referential, read_referential

    import_referential(sqlite_db, read_referential(VERQUIN_TOML))
    return sqlite_db


@pytest.fixture
def ref_page(qtbot, verquin_db, messages):
    """The Référentiel page, shown and filled, on a base holding only Verquin's referential."""
    from qpv_desk.gui.context import AppContext
    from qpv_desk.gui.pages.referential import ReferentialPage

    ctx = AppContext()
    ctx.set_database(verquin_db)
    widget = ReferentialPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.refresh()
    return widget


@pytest.fixture
def sample_path(tmp_path) -> Path:
    """A private copy of the bundled sample database."""
    if not SAMPLE_DB.exists():
        pytest.fail("sample_db/verquin-demo.sqlite manque : lancez « python tools/build_sample_db.py »")
    path = tmp_path / "verquin-demo.sqlite"
    shutil.copyfile(SAMPLE_DB, path)
    return path


@pytest.fixture
def sample_db(sample_path):
    from qpv_desk.store.db import open_database

    db = open_database(sample_path)
    yield db
    db.close()


@pytest.fixture(autouse=True)
def no_unanswered_conflict_dialog(monkeypatch):
    """A conflict choice nobody answers would wait forever offscreen: a test that expects
    one patches ``ConflictDialog.choose``; any other opening fails at once."""
    if "qpv_desk.gui.dialogs.conflict" not in sys.modules and "PySide6.QtWidgets" not in sys.modules:
        return

    def unexpected(cls, parent, found):
        raise AssertionError(f"choix de conflit inattendu : {found}")

    from qpv_desk.gui.dialogs.conflict import ConflictDialog

    monkeypatch.setattr(ConflictDialog, "choose", classmethod(unexpected))


class Messages(list):
    """What the user would see instead of a modal box, in order: ``("error", text)``, ``("info", text)``.

    ``asked``: the questions put to her (``ctx.confirm``), in order. She answers the next of
    ``answers`` (a list the test fills), then ``answer`` (« Oui » unless the test changes it).
    """

    def __init__(self):
        super().__init__()
        self.asked: list[str] = []
        self.answers: list[bool] = []
        self.answer = True

    def confirm(self, parent, msg, title="") -> bool:
        self.asked.append(str(msg))
        return self.answers.pop(0) if self.answers else self.answer


@pytest.fixture
def messages(monkeypatch) -> Messages:
    """Every message the user would see, recorded instead of a modal box; questions answered (see Messages)."""
    from qpv_desk.gui.context import AppContext

    seen = Messages()
    monkeypatch.setattr(AppContext, "error", staticmethod(lambda parent, msg, title="": seen.append(("error", str(msg)))))
    monkeypatch.setattr(AppContext, "info", staticmethod(lambda parent, msg, title="": seen.append(("info", str(msg)))))
    monkeypatch.setattr(AppContext, "confirm", staticmethod(seen.confirm))
    return seen
