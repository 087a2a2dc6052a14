"""What every page shares: the open database, user messages, background work.

Signals:
    database_changed(object): a database was opened or closed (``Database`` or ``None``).
    data_changed(str): something was written; the argument names what (« partners »,
        « objectives », « meetings », « actions », « referential », « all »).
    navigate(str, dict): ask the main window to show a page (its key) with filters.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from ..domain.errors import UserError

log = logging.getLogger("qpv_desk.gui")


class _WorkerSignals(QObject):
    progress = Signal(int, int, str)  # done, total, label
    finished = Signal(object)
    failed = Signal(object, str)  # exception, formatted traceback


class _Worker(QRunnable):
    def __init__(self, fn: Callable, args: tuple, kwargs: dict):
        super().__init__()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = _WorkerSignals()

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(*self.args, progress=self._report, **self.kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.finished.emit(result)

    def _report(self, done: int, total: int, label: str = "") -> None:
        self.signals.progress.emit(done, total, label)


class AppContext(QObject):
    database_changed = Signal(object)
    data_changed = Signal(str)
    navigate = Signal(str, dict)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.db = None
        self._pool = QThreadPool.globalInstance()
        self._jobs: set[_Worker] = set()

    # ----------------------------------------------------------------- database

    def set_database(self, db) -> None:
        self.db = db
        self.database_changed.emit(db)

    @property
    def read_only(self) -> bool:
        return bool(self.db is not None and getattr(self.db, "read_only", False))

    # ----------------------------------------------------------------- messages (one path)

    @staticmethod
    def error(parent: QWidget | None, message: str | BaseException, title: str = "QPV Desk") -> None:
        text = str(message)
        log.warning("Message d'erreur : %s", text)
        QMessageBox.warning(parent, title, text)

    @staticmethod
    def info(parent: QWidget | None, message: str, title: str = "QPV Desk") -> None:
        log.info("Message : %s", message)
        QMessageBox.information(parent, title, message)

    @staticmethod
    def confirm(parent: QWidget | None, message: str, title: str = "QPV Desk") -> bool:
        log.info("Confirmation demandée : %s", message)
        answer = QMessageBox.question(parent, title, message, QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        return answer == QMessageBox.Yes

    def attempt(self, parent: QWidget | None, fn: Callable[..., Any], *args, **kwargs) -> tuple[bool, Any]:
        """Call a service; a :class:`UserError` is shown to the user. Returns ``(ok, result)``."""
        try:
            return True, fn(*args, **kwargs)
        except UserError as exc:
            self.error(parent, exc)
            return False, None

    # ----------------------------------------------------------------- background work

    def run_in_background(
        self,
        parent: QWidget | None,
        title: str,
        fn: Callable[..., Any],
        *args,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        **kwargs,
    ) -> _Worker:
        """Run ``fn(*args, progress=callback, **kwargs)`` off the GUI thread with a progress dialog.

        ``progress(done, total, label)`` may be called from the worker; ``on_done(result)``
        runs on the GUI thread. A :class:`UserError` is shown; anything else goes to the
        global exception handler.
        """
        dialog = QProgressDialog(title, None, 0, 0, parent)
        dialog.setWindowTitle("QPV Desk")
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        worker = _Worker(fn, args, kwargs)
        self._jobs.add(worker)

        def progress(done: int, total: int, label: str) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(done)
            if label:
                dialog.setLabelText(label)

        def finish(result) -> None:
            self._jobs.discard(worker)
            dialog.close()
            dialog.deleteLater()
            if on_done is not None:
                on_done(result)

        def fail(exc: BaseException, formatted: str) -> None:
            self._jobs.discard(worker)
            dialog.close()
            dialog.deleteLater()
            if on_error is not None:
                on_error(exc)
            elif isinstance(exc, UserError):
                self.error(parent, exc)
            else:
                log.error("Erreur dans une tâche de fond :\n%s", formatted)
                from .errors import show_unexpected

                show_unexpected(exc, formatted)

        worker.signals.progress.connect(progress)
        worker.signals.finished.connect(finish)
        worker.signals.failed.connect(fail)
        self._pool.start(worker)
        return worker

    def wait_for_background(self, msecs: int = 30_000) -> bool:
        """For tests and for closing: wait until every background job has finished."""
        return self._pool.waitForDone(msecs)
