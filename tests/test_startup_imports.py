"""The window must show before the heavy libraries load (the database opens in the background)."""

from __future__ import annotations

import os
import subprocess
import sys

CODE = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.main_window import MainWindow
window = MainWindow(AppContext(app), defer_pages=True)
window.show()
app.processEvents()
heavy = sorted(m for m in ("sqlalchemy", "alembic", "openpyxl", "docx") if m in sys.modules)
print(",".join(heavy))
"""


def test_main_window_shows_without_database_libraries(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QPV_DESK_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"importés avant l'affichage : {result.stdout.strip()}"
