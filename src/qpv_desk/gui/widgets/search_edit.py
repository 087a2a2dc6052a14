"""A search field that waits for the user to pause typing before searching.

Signals:
    search_changed(str): the text, stripped, ``delay_ms`` after the last keystroke
        (at once on Entrée or when cleared).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLineEdit


class SearchLineEdit(QLineEdit):
    search_changed = Signal(str)

    def __init__(self, parent=None, *, placeholder: str = "Rechercher…", delay_ms: int = 250):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._last = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._emit)
        self.textChanged.connect(self._on_text_changed)
        self.returnPressed.connect(self._emit)

    def _on_text_changed(self, text: str) -> None:
        if not text:
            self._timer.stop()
            self._emit()
        else:
            self._timer.start()

    def _emit(self) -> None:
        self._timer.stop()
        text = self.text().strip()
        if text != self._last:
            self._last = text
            self.search_changed.emit(text)

    def flush(self) -> None:
        """Emit now if a search is pending (tests, or before reading the results)."""
        if self._timer.isActive():
            self._emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)
