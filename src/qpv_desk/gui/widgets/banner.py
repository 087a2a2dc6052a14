"""The one look of a « why » note: a pale yellow band above a page, a list or a fiche that
says why something is read-only (another quartier, the server's copy)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

BANNER_STYLE = "background: #fff4ce; color: #5c4400; padding: 6px; border: 1px solid #e0c36a;"


def banner(object_name: str) -> QLabel:
    """A hidden, word-wrapping note label; ``setText`` + ``show`` (or ``setVisible``) when needed."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setStyleSheet(BANNER_STYLE)
    label.hide()
    return label
