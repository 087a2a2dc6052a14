"""One way to set up a list: ``setup_table(view, model, …)``.

Every ``QTableView`` / ``QTreeView`` of the application is prepared here, so lists behave
alike: whole rows selected (one at a time unless told), alternating colours, no row
numbers, column titles that wrap instead of being cut (:mod:`.headers`), each
:class:`~qpv_desk.gui.models.Column`'s ``width``, sorting in the model, the same keys
(:func:`.table_keys.bind_list_keys`: Enter / double-click opens, Delete deletes; Tab
leaves a read-only list, the arrows move in it) and, when the list has a ``name``, the
columns' widths and order remembered between sessions in the user settings
(``tables/<name>``, see :func:`qpv_desk.gui.settings.table_layout`).

Usage::

    self.view = QTableView()
    setup_table(self.view, self.model, name="meetings", sort=0, order=Qt.DescendingOrder,
                open=self.open_selected, delete=self.delete_selected)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView

from ..settings import Settings, table_layout
from .headers import install_wrapping_header
from .table_keys import bind_list_keys

EDIT_TRIGGERS = (QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                 | QAbstractItemView.SelectedClicked)
_SELECTION = {"single": QAbstractItemView.SingleSelection, "extended": QAbstractItemView.ExtendedSelection,
              "none": QAbstractItemView.NoSelection}
_RESIZE = {"interactive": QHeaderView.Interactive, "contents": QHeaderView.ResizeToContents,
           "stretch": QHeaderView.Stretch}


def header_of(view: QAbstractItemView) -> QHeaderView:
    return view.header() if isinstance(view, QTreeView) else view.horizontalHeader()


def setup_table(view: QAbstractItemView, model=None, *, name: str | None = None, sort: int | None = None,
                order: Qt.SortOrder = Qt.AscendingOrder, edit=False, selection: str = "single", cells: bool = False,
                stretch: str | int | Iterable[int] | None = "last", resize: str = "interactive",
                wrap_header: bool = True, word_wrap: bool = False, alternating: bool = True,
                row_height: int | None = None, open: Callable[[], object] | None = None,  # noqa: A002
                delete: Callable[[], object] | None = None, **keys) -> QHeaderView:
    """Prepare ``view`` (showing ``model`` if given) the house way; returns its header.

    ``sort``: ``None`` no sorting; ``-1`` sortable, rows kept in the order given until a
    title is clicked; a column number: sorted by it (``order``). ``edit``: ``False``
    read-only, ``True`` double-click / F2 / click on the current cell, or Qt edit triggers.
    ``selection``: ``single``, ``extended`` or ``none`` (of whole rows; of cells with ``cells``,
    for a table typed in like a spreadsheet). ``stretch``: ``"last"`` (the last
    column takes the room left), ``"auto"`` (the columns without a ``width``), a column
    number or numbers, or ``None``. ``resize``: ``interactive``, ``contents``, ``stretch``.
    ``name``: remember the columns' widths and order under this name. ``open`` /
    ``delete`` (and ``bind_list_keys``'s other options): the list's keys.
    """
    if model is not None:
        view.setModel(model)
    model = view.model()
    view.setSelectionBehavior(QAbstractItemView.SelectItems if cells else QAbstractItemView.SelectRows)
    view.setSelectionMode(_SELECTION[selection])
    view.setEditTriggers(QAbstractItemView.NoEditTriggers if edit is False
                         else EDIT_TRIGGERS if edit is True else edit)
    view.setTabKeyNavigation(edit is not False)  # Tab leaves a read-only list; the arrows move in it
    view.setAlternatingRowColors(alternating)
    view.setWordWrap(word_wrap)
    if isinstance(view, QTreeView):
        view.setUniformRowHeights(not word_wrap)
    else:
        view.verticalHeader().hide()
        if row_height is not None:
            view.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
            view.verticalHeader().setDefaultSectionSize(row_height)
    header = header_of(view)
    header.setStretchLastSection(stretch == "last")
    if sort is not None:
        header.setSortIndicator(sort, order)  # first: Qt would sort by the first column, descending
        view.setSortingEnabled(True)
    if wrap_header:
        header = install_wrapping_header(view)
    header.setSectionResizeMode(_RESIZE[resize])
    columns = list(getattr(model, "columns", []) or [])
    for n, column in enumerate(columns):
        if getattr(column, "width", None):
            view.setColumnWidth(n, column.width)
    for n in _stretched(stretch, columns):
        header.setSectionResizeMode(n, QHeaderView.Stretch)
    if wrap_header and model is not None:
        header.widen_to_words()
    if name:
        remember_layout(view, name)
    if open is not None or delete is not None:
        bind_list_keys(view, open=open, delete=delete, **keys)
    return header


def _stretched(stretch, columns) -> list[int]:
    if stretch is None or stretch == "last":
        return []
    if stretch == "auto":
        return [n for n, c in enumerate(columns) if not getattr(c, "width", None)]
    if isinstance(stretch, int):
        return [stretch]
    return list(stretch)


# --------------------------------------------------------------------------- remembered layout


def layout_text(header: QHeaderView) -> str:
    """« widths;order » of a header: the width of each logical column, then the logical
    column shown at each place."""
    widths = ",".join(str(header.sectionSize(n)) for n in range(header.count()))
    order = ",".join(str(header.logicalIndex(v)) for v in range(header.count()))
    return f"{widths};{order}"


def apply_layout(header: QHeaderView, text: str) -> bool:
    """Put back a :func:`layout_text`; nothing if it does not fit the columns shown now."""
    try:
        widths_text, order_text = text.split(";")
        widths = [int(w) for w in widths_text.split(",")]
        order = [int(o) for o in order_text.split(",")]
    except ValueError:
        return False
    count = header.count()
    if len(widths) != count or sorted(order) != list(range(count)):
        return False  # the list changed since (a column added): its defaults
    for logical, width in enumerate(widths):
        if width > 0 and header.sectionResizeMode(logical) == QHeaderView.Interactive:
            header.resizeSection(logical, width)
    for visual, logical in enumerate(order):
        if header.visualIndex(logical) != visual:
            header.moveSection(header.visualIndex(logical), visual)
    return True


def remember_layout(view: QAbstractItemView, name: str) -> bool:
    """Restore the columns' widths and order saved under ``name``, and save every change.
    ``True`` when a saved layout was put back (the view then keeps her widths)."""
    header = header_of(view)
    key = table_layout(name)
    settings = Settings()
    header.setSectionsMovable(True)
    saved = settings.get(key)
    restored = bool(saved) and apply_layout(header, saved)

    def save(*_args) -> None:
        if header.count():
            settings.set(key, layout_text(header))

    header.sectionResized.connect(save)
    header.sectionMoved.connect(save)
    view._layout_settings = settings  # keep a reference (the slot above uses it)
    return restored


__all__ = ["EDIT_TRIGGERS", "apply_layout", "header_of", "layout_text", "remember_layout", "setup_table"]
