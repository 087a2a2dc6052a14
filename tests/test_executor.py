"""The one background executor: opening a base off the GUI thread, cancel, the one error route."""

from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import QTimer

from conftest import VERQUIN_TOML
from qpv_desk.gui import errors
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.main_window import MainWindow
from qpv_desk.services import database as D


def test_opening_runs_off_the_gui_thread_and_the_window_keeps_painting(qtbot, tmp_path, monkeypatch, messages):
    path = tmp_path / "base.sqlite"
    D.create_base(path, VERQUIN_TOML)
    threads, ticks = [], []
    real = D.open_or_offer

    def slow_open(target, **kwargs):
        threads.append(threading.current_thread())
        time.sleep(0.4)  # a long integrity check or migration
        return real(target, **kwargs)

    monkeypatch.setattr(D, "open_or_offer", slow_open)
    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    window.show()
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    assert window.open_target(path)
    timer.stop()
    assert threads and threads[0] is not threading.main_thread()
    assert len(ticks) >= 5  # the GUI thread went on processing events meanwhile
    assert window.ctx.db.path == path.resolve()
    window.close()
    window.ctx.db.close()


def test_a_cancelled_creation_leaves_nothing_and_shows_nothing(qtbot, tmp_path, messages):
    ctx = AppContext()
    target = tmp_path / "annulee.sqlite"
    done = []
    job = ctx.run_in_background(None, "Création…", D.create_base, target, VERQUIN_TOML, cancellable=True,
                                on_done=done.append)
    job.cancel()
    assert job.wait(60_000)
    assert done == [] and messages == []
    assert type(job.error).__name__ == "Cancelled"
    assert list(tmp_path.glob("annulee.sqlite*")) == []


def test_errors_in_background_take_the_one_route(qtbot, monkeypatch, messages, caplog):
    shown = []
    monkeypatch.setattr(errors, "show_unexpected", lambda exc, formatted: shown.append((exc, formatted)))
    ctx = AppContext()

    def broken():
        raise RuntimeError("panne en tâche de fond")

    with caplog.at_level(logging.ERROR, logger="qpv_desk.gui"):
        ctx.run_in_background(None, "…", broken).wait()
    assert shown and isinstance(shown[0][0], RuntimeError) and "panne en tâche de fond" in shown[0][1]
    assert "panne en tâche de fond" in caplog.text

    ctx.run_in_background(None, "…", D.open_base, "/nulle/part/absente.sqlite").wait()
    assert messages[-1][0] == "error" and "n'existe pas" in messages[-1][1]  # a known error: its message
    assert len(shown) == 1
