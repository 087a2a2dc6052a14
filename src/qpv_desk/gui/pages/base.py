"""The contract between the main window and its pages."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from ..context import AppContext


class Page(QWidget):
    """A screen shown from the navigation list.

    Subclasses set ``key`` (stable, used in settings and ``navigate``), ``title``
    (French, shown in the list) and ``icon`` (a standard-pixmap name or a resource
    file in ``resources/icons``). The main window calls :meth:`refresh` whenever the
    page is shown or the database changes; :meth:`apply_filters` when another page
    (the dashboard) asks to show it filtered.
    """

    key: str = ""
    title: str = ""
    icon: str = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx

    @staticmethod
    def heading(text: str) -> QLabel:
        """The page's title, styled the same on every page."""
        label = QLabel(text)
        label.setObjectName("pageHeading")
        label.setStyleSheet("font-size: 16pt; font-weight: 600;")
        return label

    def refresh(self) -> None:
        """Reload from ``self.ctx.db`` (may be ``None``: then show nothing)."""

    def apply_filters(self, filters: dict) -> None:
        """Show the page filtered as asked (keys documented by each page)."""

    def has_unsaved_edits(self) -> bool:
        """Text typed on the page itself and not saved yet (a refresh would replace it)."""
        return False

    def can_close(self) -> bool:
        """Return ``False`` to stop the window closing (e.g. unsaved edits the user kept)."""
        return True
