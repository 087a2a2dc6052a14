"""What every page shares: the open database, user messages, background work.

Signals:
    database_changed(object): a database was opened or closed (``Database`` or ``None``).
    data_changed(Change): something was written; the :class:`~qpv_desk.services.changes.Change`
        says what (``Change.PARTNERS``, ``OBJECTIVES``, ``MEETINGS``, ``ACTIONS``,
        ``REFERENTIAL``, ``SETTINGS``, ``ALL``). Emitted centrally, on the GUI thread, after
        each unit of work that wrote to the open base (derived from the tables written, see
        :func:`~qpv_desk.services.changes.watch_changes`): pages never emit it after a write.
        :meth:`AppContext.notify` is for changes made outside a unit of work (a restored backup).
    navigate(str, dict): ask the main window to show a page (its key) with filters.
"""

from __future__ import annotations

import logging
import traceback
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from ..domain.errors import UserError
from ..services.changes import Change, watch_changes

__all__ = ["AppContext", "Change"]

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
    data_changed = Signal(object)  # Change
    navigate = Signal(str, dict)
    _written = Signal(object)  # list[Change], from whichever thread wrote

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.db = None
        self._pool = QThreadPool.globalInstance()
        self._jobs: set[_Worker] = set()
        self._unwatch = None
        self._written.connect(self._announce)  # queued when the write ran off the GUI thread

    # ----------------------------------------------------------------- database

    def set_database(self, db) -> None:
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None
        self.db = db
        if db is not None and hasattr(db, "write_listeners"):
            this = weakref.ref(self)

            def written(changes) -> None:
                ctx = this()
                if ctx is not None:
                    try:
                        ctx._written.emit(changes)
                    except RuntimeError:  # the context was deleted meanwhile
                        pass

            self._unwatch = watch_changes(db, written)
        self.database_changed.emit(db)

    # ----------------------------------------------------------------- change notifications (one place)

    def notify(self, *changes: Change) -> None:
        """Announce changes made outside a unit of work on the open base (a restored backup…)."""
        for change in changes:
            self.data_changed.emit(Change(change))

    @Slot(object)
    def _announce(self, changes) -> None:
        self.notify(*changes)

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
