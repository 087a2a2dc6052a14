"""Start the desktop application: Qt in French, the exception hook, the database, the window.

Start-up shows the window at once, its navigation listed from the page registry; the
first page's module (with SQLAlchemy Core: longer to import than Qt needs to show a
window) is imported and the database opened by the background executor, then that page is
shown — read from the Core tables, without the ORM. Once it is painted, the ORM the other
screens need is loaded in the background; the other pages' modules are imported when first
shown.

``QPV_DESK_EXIT_WHEN_IDLE=1`` (benchmarks, smoke tests): print ``idle <seconds since the
process started>`` when the window is shown and the event loop idle, then ``ready <s>``
once the database is open and the first page filled, and quit.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QDialog

from .. import APP_NAME, APP_ORG, __version__, paths
from ..domain.errors import DamagedDatabase, DatabaseLocked, UserError
from .context import AppContext
from .errors import install_excepthook
from .main_window import MainWindow, app_icon, load_page_class
from .settings import Settings

log = logging.getLogger("qpv_desk.gui")

_translators: list[QTranslator] = []

ORM_DELAY_MS = 300  # after the first page is shown, before the ORM is loaded in the background


def install_french(app: QApplication) -> bool:
    """Qt's own French strings (« Annuler », « Oui ») and the French locale for dates and numbers."""
    QLocale.setDefault(QLocale(QLocale.French, QLocale.France))
    folder = QLibraryInfo.path(QLibraryInfo.TranslationsPath)
    loaded = False
    for name in ("qtbase_fr",):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _translators.append(translator)
            loaded = True
        else:
            log.warning("Traduction Qt %s introuvable dans %s", name, folder)
    return loaded


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ORG)
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName(APP_NAME)
    install_french(app)
    return app


def demo_copy() -> Path:
    """A temporary copy of the sample database (``--demo``): the bundled one is never written."""
    from ..services.database import copy_base  # start-up: SQLAlchemy (services.database)

    source = paths.sample_database()
    if not source.exists():
        raise UserError("La base d'exemple n'est pas installée : impossible de lancer la démonstration.")
    folder = Path(tempfile.mkdtemp(prefix="qpv-desk-demo-"))
    destination = folder / source.name
    return copy_base(source, destination)


def initial_target(db: str | None, demo: bool) -> str | None:
    """What to open at start: ``--db``, the demo copy, the default database, or the last one used."""
    if demo:
        return str(demo_copy())
    if db:
        return db
    default = paths.default_database()
    if default.exists():
        return str(default)

    for target in Settings().recent_databases():
        if "://" in target or Path(target).exists():
            return target
    return None


def load_and_open(target: str, read_only: bool, first_page=None) -> tuple[list, object, BaseException | None, str]:
    """Start-up work, run by the executor: import the first page's module and open the base.

    Returns ``(page classes imported, Database or None, error met while opening or None, its
    traceback)``: the page is imported even when the base cannot be opened.
    """
    cls = load_page_class(first_page) if first_page is not None else None
    classes = [cls] if cls is not None else []
    try:
        from ..services.database import open_base  # start-up: SQLAlchemy (services.database)

        return classes, open_base(target, read_only=read_only), None, ""
    except Exception as exc:  # noqa: BLE001 - shown on the GUI thread, through the one error route
        return classes, None, exc, traceback.format_exc()


def load_orm_quietly(ctx: AppContext, window, database) -> None:
    """Load the ORM in the background (the first unit of work would, on the GUI thread); a
    failure is only logged: the unit of work that needs it then reports it."""
    from ..services.database import load_orm  # start-up: SQLAlchemy (services.database)

    if ctx.db is database:
        ctx.run_in_background(window, "", load_orm, database, quiet=True,
                              on_error=lambda exc: log.warning("Préparation de l'ORM impossible : %s", exc))


def run_gui(db: str | None = None, demo: bool = False, read_only: bool = False) -> int:
    # Start-up allocates a few hundred thousand long-lived objects (Qt wrappers, SQLAlchemy,
    # the models) and nothing worth collecting: the cyclic collector, run again and again
    # over the growing heap, would cost about a tenth of the time to the first page.
    gc.disable()
    app = make_application()
    install_excepthook()

    app.setWindowIcon(app_icon())
    ctx = AppContext(app)
    exit_when_idle = bool(os.environ.get("QPV_DESK_EXIT_WHEN_IDLE"))
    target = initial_target(db, demo)
    if target is None:
        from .welcome import WelcomeDialog  # start-up: only without a base to open

        dialog = WelcomeDialog(ctx)
        dialog.setWindowIcon(app_icon())
        gc.enable()  # while she chooses
        if dialog.exec() != QDialog.Accepted or not dialog.target:
            return 0
        gc.disable()
        target = dialog.target
    window = MainWindow(ctx, defer_pages=True)
    window.db_label.setText(f"Ouverture de {target}…")
    window.loading.setText("Ouverture de la base…")
    window.show()
    status = {"code": 0}

    def loaded(outcome) -> None:
        classes, database, error, formatted = outcome
        for cls in classes:
            window.add_page_class(cls)
        if database is not None:
            window.adopt_database(database)
        elif isinstance(error, (DamagedDatabase, DatabaseLocked)):
            # offers a backup, or read-only access; declined or impossible: the same exit
            # status as any other base refused on the command line (2, documented in README)
            if not window.open_target(target, read_only=read_only) and (db or demo):
                status["code"] = 2
        else:
            window._update_status()
            ctx.report(window, error, formatted)
            if db or demo:
                status["code"] = 2
        window.end_loading()
        if database is not None:  # once the first page is painted, the ORM the other screens need
            QTimer.singleShot(ORM_DELAY_MS, lambda: load_orm_quietly(ctx, window, database))
        # what start-up built stays: out of the collector's way, then collection as usual
        gc.freeze()
        gc.enable()
        if exit_when_idle:
            QTimer.singleShot(0, lambda: _report(app, "ready", quit_after=True))

    if exit_when_idle:
        QTimer.singleShot(0, lambda: _report(app, "idle"))
    # Once the window is painted: the loading job would otherwise compete for the GIL.
    QTimer.singleShot(0, lambda: ctx.run_in_background(window, "Ouverture de la base…", load_and_open, target,
                                                       read_only, window.initial_page(), on_done=loaded, quiet=True))
    QTimer.singleShot(0, window.show_icons)  # while the base opens
    try:
        code = app.exec()
    finally:
        gc.enable()
    ctx.wait_for_background(10_000)  # a job still running (quit without closing the window) ends first
    if ctx.db is not None:
        ctx.db.close()
    if demo and target:
        shutil.rmtree(Path(target).parent, ignore_errors=True)
    return code or status["code"]


def process_uptime() -> float:
    """Seconds since this process started (from /proc when available)."""
    try:
        with open("/proc/self/stat") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as fh:
            uptime = float(fh.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter()


def _report(app: QApplication, what: str, *, quit_after: bool = False) -> None:
    """Print ``<what> <seconds since the process started>`` (``QPV_DESK_EXIT_WHEN_IDLE``)."""
    print(f"{what} {process_uptime():.3f}", flush=True)
    if quit_after:
        app.quit()
