"""Answer modal dialogs as a user would: a timer finds the box that opened and clicks a button."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton


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
