"""Column headers that are never cut in the middle of a word.

:class:`WrappingHeader` wraps a header's text on several lines at the width of its
column (the header grows as tall as the longest title needs) and keeps every column at
least as wide as the longest word of its title; the full title is also its tooltip.
``install_wrapping_header(view)`` puts one on a ``QTableView`` or ``QTreeView``.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeView

PADDING = 14


class WrappingHeader(QHeaderView):
    def __init__(self, parent=None):
        super().__init__(Qt.Horizontal, parent)
        self.setDefaultAlignment(Qt.AlignCenter | Qt.TextWordWrap)
        self.setTextElideMode(Qt.ElideNone)
        self.setSectionsClickable(True)
        self.setHighlightSections(False)
        self.sectionResized.connect(self._resized)
        self._adjusting = False

    def _title(self, logical: int) -> str:
        model = self.model()
        if model is None:
            return ""
        text = model.headerData(logical, Qt.Horizontal, Qt.DisplayRole)
        return "" if text is None else str(text)

    def min_width(self, logical: int) -> int:
        """The widest word of the title (a column never cuts a word)."""
        metrics = self.fontMetrics()
        words = self._title(logical).replace("\n", " ").split()
        return max((metrics.horizontalAdvance(w) for w in words), default=0) + PADDING

    def wrapped(self, logical: int, width: int) -> str:
        """The title broken into lines at word boundaries to fit ``width`` pixels."""
        metrics = self.fontMetrics()
        lines = []
        for paragraph in self._title(logical).split("\n"):
            line = ""
            for word in paragraph.split():
                candidate = f"{line} {word}" if line else word
                if line and metrics.horizontalAdvance(candidate) > width:
                    lines.append(line)
                    line = word
                else:
                    line = candidate
            lines.append(line)
        return "\n".join(lines)

    def initStyleOptionForIndex(self, option, logical: int) -> None:  # noqa: N802 - Qt override
        super().initStyleOptionForIndex(option, logical)
        width = max(self.sectionSize(logical), self.min_width(logical)) - PADDING
        option.text = self.wrapped(logical, max(width, 10))
        option.textAlignment = Qt.AlignCenter

    def sectionSizeFromContents(self, logical: int) -> QSize:  # noqa: N802 - Qt override
        size = super().sectionSizeFromContents(logical)
        width = max(self.sectionSize(logical), self.min_width(logical)) - PADDING
        rect = self.fontMetrics().boundingRect(QRect(0, 0, max(width, 10), 2000), int(Qt.AlignCenter),
                                               self.wrapped(logical, max(width, 10)))
        return QSize(size.width(), max(size.height(), rect.height() + 10))

    def _resized(self, logical: int, _old: int, new: int) -> None:
        if self._adjusting:
            return
        minimum = self.min_width(logical)
        if new < minimum and not self.isSectionHidden(logical):
            self._adjusting = True
            try:
                self.resizeSection(logical, minimum)
            finally:
                self._adjusting = False
        if self.count():
            self.headerDataChanged(Qt.Horizontal, 0, self.count() - 1)  # the height follows the new width

    def widen_to_words(self) -> None:
        """Every column at least as wide as its title's longest word."""
        for logical in range(self.count()):
            if self.sectionSize(logical) < self.min_width(logical):
                self.resizeSection(logical, self.min_width(logical))


def install_wrapping_header(view: QAbstractItemView) -> WrappingHeader:
    """Give ``view`` a wrapping header, keeping the old header's stretch setting."""
    old = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
    header = WrappingHeader(view)
    header.setStretchLastSection(old.stretchLastSection())
    header.setSortIndicatorShown(old.isSortIndicatorShown())
    sort = (old.sortIndicatorSection(), old.sortIndicatorOrder())  # read now: the old header is deleted below
    header.setSortIndicator(*sort)  # before it is installed: a sortable view sorts by it at once
    if isinstance(view, QTableView):
        view.setHorizontalHeader(header)
    elif isinstance(view, QTreeView):
        view.setHeader(header)
    header.setSectionResizeMode(QHeaderView.Interactive)
    header.setSortIndicator(*sort)  # the order shown stays
    if isinstance(view, QTableView) and view.isSortingEnabled():
        view.setSortingEnabled(True)
    if view.model() is not None:
        header.widen_to_words()
    return header


def cut_titles(view: QAbstractItemView) -> list[str]:
    """The column titles shown narrower than one of their words (for tests: must be empty)."""
    header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
    metrics = header.fontMetrics()
    cut = []
    for logical in range(header.count()):
        if header.isSectionHidden(logical):
            continue
        title = str(view.model().headerData(logical, Qt.Horizontal, Qt.DisplayRole) or "")
        widest = max((metrics.horizontalAdvance(w) for w in title.replace("\n", " ").split()), default=0)
        wraps = bool(header.defaultAlignment() & Qt.TextWordWrap)
        needed = widest if wraps else metrics.horizontalAdvance(title.split("\n")[0])
        if header.sectionSize(logical) < needed + 8:
            cut.append(title)
    return cut
