"""GUI test helpers: answer modal dialogs as a user would (a timer finds the box that opened and
clicks a button), type into a chooser or a table cell, open and close the main window."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton

from qpv_desk.gui.context import AppContext
from qpv_desk.gui.main_window import MainWindow


def answer_next_box(qtbot, button_text: str, seen: list | None = None, *, delay: int = 0) -> None:
    """When the next modal message box opens, click its button labelled ``button_text``."""

    def click(tries=[0]):  # noqa: B006 - a counter shared by the retries
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        box = boxes[-1] if boxes else None
        if box is None:
            tries[0] += 1
            if tries[0] < 200:
                QTimer.singleShot(10, click)
            return
        if seen is not None:
            seen.append(box.text())
        for button in box.findChildren(QPushButton):
            if button.text().replace("&", "") == button_text:
                qtbot.mouseClick(button, Qt.LeftButton)
                return
        raise AssertionError(f"Pas de bouton « {button_text} » dans {[b.text() for b in box.findChildren(QPushButton)]}")

    QTimer.singleShot(delay, click)


def pick(qtbot, chooser, typed: str) -> None:
    """Type into a :class:`Chooser` and take the first entry its popup proposes (Down, Enter)."""
    edit = chooser.lineEdit()
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key_Backspace)
    qtbot.keyClicks(edit, typed)
    popup = chooser.completer().popup()
    assert popup.isVisible(), f"aucune proposition pour « {typed} »"
    qtbot.keyClick(popup, Qt.Key_Down)
    qtbot.keyClick(popup, Qt.Key_Return)


def type_in_cell(qtbot, view, row: int, column: int, text: str) -> None:
    """Edit a cell of ``view`` as a user would: open its editor, type ``text``, press Enter."""
    index = view.model().index(row, column)
    view.setCurrentIndex(index)  # with « any » edit triggers, this may open the editor already
    if view.indexWidget(index) is None:
        view.edit(index)
    editor = view.indexWidget(index)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(index) is None)  # the delegate commits on a queued call


def funder_row(dialog, code: str) -> int:
    """The row of the funder ``code`` in an action editor's financing table."""
    return next(i for i, e in enumerate(dialog.funding_model.entries) if e.funder.code == code)


def make_window(qtbot, target=None, **kwargs) -> MainWindow:
    """The main window, shown on its first page; opened on ``target`` (a base) when given."""
    ctx = AppContext()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    if target is not None:
        assert window.open_target(target, **kwargs)
    window.show()
    window.ensure_initial_page()
    return window


def close_window(window: MainWindow) -> None:
    """Close the window and the base it had open."""
    window.close()
    if window.ctx.db is not None:
        window.ctx.db.close()
