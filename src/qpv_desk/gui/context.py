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

import inspect
import logging
import traceback
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from ..domain.errors import Cancelled, UserError
from ..services.changes import Change, changes_for, watch_changes
from . import errors

__all__ = ["AppContext", "Change", "Job"]

log = logging.getLogger("qpv_desk.gui")


class _WorkerSignals(QObject):
    progress = Signal(int, int, str)  # done, total, label
    finished = Signal(object)
    failed = Signal(object, str)  # exception, formatted traceback
    ended = Signal()  # on the GUI thread, once finished/failed has been handled


def _accepts_progress(fn: Callable) -> bool:
    """Whether ``fn`` takes a ``progress`` keyword (the convention of long services)."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "progress" or p.kind is inspect.Parameter.VAR_KEYWORD for p in params)


class Job(QRunnable):
    """One piece of long work run by :meth:`AppContext.run_in_background`.

    ``fn`` gets ``progress(done, total, label="")`` when it takes a ``progress`` keyword;
    once :meth:`cancel` was called, the next ``progress`` call raises
    :class:`~qpv_desk.domain.errors.Cancelled` (the service's unit of work is rolled back).
    After it ends: ``done`` is true and ``result`` or ``error`` is set (on the GUI thread).
    """

    def __init__(self, fn: Callable, args: tuple, kwargs: dict, title: str = ""):
        super().__init__()
        self.setAutoDelete(False)  # the context keeps it until it has ended
        self.fn, self.args, self.kwargs, self.title = fn, args, kwargs, title
        self.signals = _WorkerSignals()
        self.cancelled = False
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None

    @Slot()
    def run(self) -> None:
        try:
            kwargs = dict(self.kwargs)
            if _accepts_progress(self.fn):
                kwargs["progress"] = self._report
            result = self.fn(*self.args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.finished.emit(result)

    def _report(self, done: int, total: int, label: str = "") -> None:
        if self.cancelled:
            raise Cancelled()
        self.signals.progress.emit(done, total, label)

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self.cancelled = True

    def wait(self, msecs: int = 120_000) -> bool:
        """Wait until the job has ended, the GUI still painting (user input is held back meanwhile).
        Returns ``done``."""
        if not self.done:
            loop = QEventLoop()
            self.signals.ended.connect(loop.quit)
            timer = QTimer(loop)
            timer.setSingleShot(True)
            timer.timeout.connect(loop.quit)
            timer.start(msecs)
            if not self.done:
                loop.exec(QEventLoop.ExcludeUserInputEvents)
        return self.done


# Kept for the callers that named the worker's class.
_Worker = Job


class AppContext(QObject):
    database_changed = Signal(object)
    data_changed = Signal(object)  # Change
    navigate = Signal(str, dict)
    _written = Signal(object)  # list[Change], from whichever thread wrote
    remote_changed = Signal(object)  # services.live.RemoteChange: someone else wrote on the shared server
    _remote = Signal(object)  # the same, from the listener's thread

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.db = None
        self._pool = QThreadPool.globalInstance()
        self._jobs: set[Job] = set()
        self._unwatch = None
        self._listener = None
        self.rights = None  # services.server.Rights on a shared server (None: a local file, everything allowed)
        self.server_copy = None  # services.database.ServerCopy: the open file is a server's backup copy (read-only)
        self._written.connect(self._announce)  # queued when the write ran off the GUI thread
        self._remote.connect(self._on_remote)

    # ----------------------------------------------------------------- database

    def set_database(self, db) -> None:
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        self.rights = None
        self.server_copy = None
        self.db = db
        if db is not None and getattr(db, "is_sqlite", True) is False:
            self._watch_server(db)
        elif db is not None and getattr(db, "path", None) is not None:
            from ..services.database import server_copy  # start-up: SQLAlchemy (services.database)

            self.server_copy = server_copy(db)
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

    def _watch_server(self, db) -> None:
        """On a shared server: what this login may do, and the others' changes as they happen."""
        from ..services import live, server  # start-up: SQLAlchemy (services)

        try:
            self.rights = server.rights(db)
        except UserError as exc:
            log.warning("Droits inconnus sur le serveur : %s", exc)
        this = weakref.ref(self)

        def remote(change) -> None:  # in the listener's thread
            ctx = this()
            if ctx is not None:
                try:
                    ctx._remote.emit(change)
                except RuntimeError:
                    pass

        self._listener = live.listener(db, remote)

    @Slot(object)
    def _on_remote(self, change) -> None:
        changes = changes_for([change.table])
        if not changes:  # the history riding along with a change already announced
            return
        self.notify(*changes)
        self.remote_changed.emit(change)

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
        """Nothing may be written: a base opened read-only, or a reader's login on the server."""
        return bool(self.db is not None and (getattr(self.db, "read_only", False)
                                             or (self.rights is not None and self.rights.read_only)))

    @property
    def may_edit_referential(self) -> bool:
        """The contract, its objectives, quartiers and bodies: the server's administrator only."""
        return not self.read_only and (self.rights is None or self.rights.may_edit_referential)

    @property
    def read_only_reason(self) -> str:
        if self.rights is not None and self.rights.read_only:
            return self.rights.reason()
        if self.read_only and self.server_copy is not None:
            return self.server_copy.banner
        return "Base ouverte en lecture seule" if self.read_only else ""

    def may_edit_quartier(self, quartier_id: int | None) -> bool:
        """A record of this quartier (a meeting, an action, their rows): on the server, her
        quartiers only for a référent(e); everything on a local file."""
        return not self.read_only and (self.rights is None or self.rights.may_edit_quartier(quartier_id))

    def quartier_reason(self, quartier_id: int | None) -> str:
        """Why a record of this quartier is read-only ("" when she may write it), in French."""
        if self.read_only:
            return self.read_only_reason
        return "" if self.rights is None else self.rights.quartier_reason(quartier_id)

    # ----------------------------------------------------------------- messages (one path)

    @staticmethod
    def error(parent: QWidget | None, message: str | BaseException, title: str = "QPV Desk") -> None:
        errors.show_error(parent, message, title)

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

    # ----------------------------------------------------------------- errors (one route to the screen)

    def report(self, parent: QWidget | None, exc: BaseException, formatted: str = "") -> None:
        """Log and show an error: a :class:`UserError` as its French message, anything else as a bug."""
        if isinstance(exc, UserError):
            self.error(parent, exc)  # logs, then shows the French message
            return
        errors.report_unexpected(exc, formatted)

    # ----------------------------------------------------------------- background work (one executor)

    def run_in_background(
        self,
        parent: QWidget | None,
        title: str,
        fn: Callable[..., Any],
        *args,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        cancellable: bool = False,
        quiet: bool = False,
        **kwargs,
    ) -> Job:
        """Run ``fn(*args, **kwargs)`` off the GUI thread — the one way to run long work.

        ``fn`` also gets ``progress=callback(done, total, label="")`` if it takes a ``progress``
        keyword; a progress dialog titled ``title`` shows after 300 ms (none if ``quiet``), with
        an « Annuler » button if ``cancellable``. ``on_done(result)`` runs on the GUI thread. An
        error goes to ``on_error(exc)`` if given, else takes the one route to the screen
        (:meth:`report`: logged, then shown); a cancelled job is only logged.
        """
        job = Job(fn, args, kwargs, title)
        self._jobs.add(job)
        dialog = None
        if not quiet:
            dialog = QProgressDialog(title, "Annuler" if cancellable else None, 0, 0, parent)
            dialog.setWindowTitle("QPV Desk")
            dialog.setMinimumDuration(300)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            if cancellable:
                dialog.canceled.connect(job.cancel)
            job.dialog = dialog

        def progress(done: int, total: int, label: str) -> None:
            if dialog is not None:
                dialog.setMaximum(max(total, 0))
                dialog.setValue(done)
                if label:
                    dialog.setLabelText(label)

        def ended() -> None:
            job.done = True
            self._jobs.discard(job)
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()
            job.signals.ended.emit()

        def finish(result) -> None:
            job.result = result
            ended()
            if on_done is not None:
                on_done(result)

        def fail(exc: BaseException, formatted: str) -> None:
            job.error = exc
            ended()
            if isinstance(exc, Cancelled):
                log.info("Tâche annulée : %s", title)
            elif on_error is not None:
                on_error(exc)
            else:
                self.report(parent, exc, formatted)

        job.signals.progress.connect(progress)
        job.signals.finished.connect(finish)
        job.signals.failed.connect(fail)
        self._pool.start(job)
        return job

    def call_in_background(self, parent: QWidget | None, title: str, fn: Callable[..., Any], *args, **kwargs) -> Any:
        """Run ``fn(*args, **kwargs)`` through the executor and wait for it — the window keeps
        painting, a busy indicator shows, user input waits — then return its result or raise
        its exception here (for work whose result the caller needs before going on, such as
        opening a base: its integrity check and migrations never run on the GUI thread)."""
        job = self.run_in_background(parent, title, lambda: fn(*args, **kwargs), on_done=lambda _r: None,
                                     on_error=lambda _e: None)
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            job.wait(24 * 3600 * 1000)
        finally:
            QApplication.restoreOverrideCursor()
        if job.error is not None:
            raise job.error
        return job.result

    def wait_for_background(self, msecs: int = 30_000) -> bool:
        """For tests and for closing: wait until every background job has finished."""
        return self._pool.waitForDone(msecs)
