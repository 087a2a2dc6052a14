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
