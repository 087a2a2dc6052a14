"""The window must show before the heavy libraries load (the database opens in the background)."""

from __future__ import annotations

import os
import subprocess
import sys

from qpv_desk.gui.pages import PAGES

CODE = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.main_window import MainWindow
window = MainWindow(AppContext(app), defer_pages=True)
window.show()
app.processEvents()
heavy = sorted(m for m in ("sqlalchemy", "alembic", "openpyxl", "docx", "shapely", "pyproj") if m in sys.modules)
pages = sorted(m for m in sys.modules if m.startswith("qpv_desk.gui.pages.") and m != "qpv_desk.gui.pages.base")
print(",".join(heavy))
print(window.nav.count(), ",".join(pages))
"""


def test_main_window_shows_without_database_libraries(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QPV_DESK_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    heavy, pages = result.stdout.split("\n")[:2]
    assert heavy == "", f"importés avant l'affichage : {heavy}"
    # every page listed (and its Ctrl+n bound) from the registry, no page module imported yet
    assert pages == f"{len(PAGES)} ", pages


READ_WITHOUT_ORM = """
import sys
from qpv_desk.services import database as D
from qpv_desk.services.dashboard import dashboard
from qpv_desk.services.settings import read_settings
db = D.open_base(sys.argv[1])
board = dashboard(db, 2025)
read_settings(db, {"privacy.retention_months": None})
print("before", sorted(m for m in ("sqlalchemy.orm", "qpv_desk.store.models") if m in sys.modules))
print("board", board.actions_total, len(board.by_enjeu))
D.load_orm(db)
from sqlalchemy import inspect
from qpv_desk.store.models import Action
from qpv_desk.services.partners import list_persons
print("after", inspect(Action).configured, len(list_persons(db)) > 0)
db.close()
"""


def test_the_first_page_reads_the_tables_without_the_orm(sample_path, tmp_path):
    """Opening a base and reading the dashboard use the Core tables only; the ORM, loaded
    afterwards (the application does it in the background), then serves every other screen."""
    env = {**os.environ, "QPV_DESK_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", READ_WITHOUT_ORM, str(sample_path)], capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert lines["before"] == "[]", result.stdout
    actions, enjeux = map(int, lines["board"].split())
    assert actions > 0 and enjeux == 3, result.stdout  # the sample's 2025 programme, the convention's 3 enjeux
    assert lines["after"] == "True True", result.stdout


def test_the_window_loads_the_orm_off_the_gui_thread(qtbot, sqlite_db, monkeypatch):
    import threading

    from qpv_desk.gui import app as A
    from qpv_desk.gui.context import AppContext
    from qpv_desk.gui.main_window import MainWindow
    from qpv_desk.services import database as D

    threads = []
    monkeypatch.setattr(D, "load_orm", lambda db: threads.append((db, threading.current_thread())))
    ctx = AppContext()
    ctx.set_database(sqlite_db)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    A.load_orm_quietly(ctx, window, sqlite_db)
    qtbot.waitUntil(lambda: bool(threads), timeout=10_000)
    assert threads[0][0] is sqlite_db and threads[0][1] is not threading.main_thread()
    A.load_orm_quietly(ctx, window, object())  # a base closed meanwhile: nothing to prepare
    qtbot.wait(100)
    assert len(threads) == 1
    window.close()
