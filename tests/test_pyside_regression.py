"""Guard against PySide6 6.12.0, which aborts the interpreter (« none_dealloc ») after a few
thousand calls of Qt methods returning ``None`` on Python 3.11."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import PySide6


def test_installed_pyside_is_not_6_12_0():
    assert PySide6.__version__ != "6.12.0"


def test_many_none_returning_calls_do_not_abort():
    script = textwrap.dedent("""
        from PySide6.QtWidgets import QApplication, QWidget
        app = QApplication([])
        w = QWidget()
        for i in range(20_000):
            w.setWindowTitle(f"titre {i}")
        print("fini", w.windowTitle())
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "fini titre 19999" in result.stdout
