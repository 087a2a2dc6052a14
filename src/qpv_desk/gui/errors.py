"""The one route of an error to the screen: :func:`report` logs it, then shows it.

Known situations (:class:`UserError`) are shown as a plain French message
(:func:`show_error`, behind ``AppContext.error``); anything else is a bug: the traceback goes to the log file and
the user sees a dialog saying so, with the log folder, and can keep working. The
global exception hook and the background executor (``AppContext.run_in_background``)
both end here.
"""

from __future__ import annotations

import logging
import sys
import traceback

from PySide6.QtWidgets import QApplication, QMessageBox

from ..domain.errors import UserError
from ..logs import log_file

log = logging.getLogger("qpv_desk.gui")

_showing = False


def show_error(parent, message: str | BaseException, title: str = "QPV Desk") -> None:
    """A known situation, in its French words (logged as a warning)."""
    text = str(message)
    log.warning("Message d'erreur : %s", text)
    QMessageBox.warning(parent, title, text)


def show_unexpected(exc: BaseException, formatted: str = "") -> None:
    """Tell the user something went wrong (the details are in the log)."""
    global _showing
    if isinstance(exc, UserError):
        QMessageBox.warning(QApplication.activeWindow(), "QPV Desk", str(exc))
        return
    if _showing or QApplication.instance() is None:
        return  # an error while showing an error: the log has it already
    _showing = True
    try:
        box = QMessageBox(QApplication.activeWindow())
        box.setIcon(QMessageBox.Critical)
        box.setWindowTitle("QPV Desk — erreur inattendue")
        box.setText(
            "Une erreur inattendue s'est produite. Vos données enregistrées ne sont pas perdues ; "
            "l'opération en cours n'a peut-être pas abouti."
        )
        box.setInformativeText(f"Le détail a été écrit dans le journal :\n{log_file()}")
        box.setDetailedText(formatted or "".join(traceback.format_exception(exc)))
        box.setStandardButtons(QMessageBox.Ok)
        box.exec()
    finally:
        _showing = False


def report_unexpected(exc: BaseException, formatted: str = "") -> None:
    """A bug: log its traceback, then tell the user."""
    formatted = formatted or "".join(traceback.format_exception(exc))
    log.error("Erreur inattendue :\n%s", formatted)
    show_unexpected(exc, formatted)


def report(exc: BaseException, formatted: str = "", parent=None) -> None:
    """Log ``exc``, then show it: a :class:`UserError` as its message, anything else as a bug
    (``AppContext.report`` takes the same route, its French message through ``AppContext.error``)."""
    if isinstance(exc, UserError):
        show_error(parent, exc)
        return
    report_unexpected(exc, formatted)


def excepthook(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    try:
        report(exc, "".join(traceback.format_exception(exc_type, exc, tb)))
    except Exception:  # noqa: BLE001 - never let the hook itself crash the app
        log.exception("Impossible d'afficher l'erreur")


def install_excepthook() -> None:
    sys.excepthook = excepthook
