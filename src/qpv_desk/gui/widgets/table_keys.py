"""The same keys in every list: Enter and double-click open, Delete deletes.

``bind_list_keys(view, open=…, delete=…)`` wires a ``QTableView``/``QTreeView``: the
callbacks take no argument and work on the view's current row (the page's usual « Ouvrir »
and « Supprimer » handlers, which already ask for confirmation). A cell being edited keeps
its own keys.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView

_OPEN_KEYS = (Qt.Key_Return, Qt.Key_Enter)
_DELETE_KEYS = (Qt.Key_Delete,)


class _ListKeys(QObject):
    def __init__(self, view: QAbstractItemView, on_open: Callable[[], object] | None,
                 on_delete: Callable[[], object] | None):
        super().__init__(view)
        self.view = view
        self.on_open = on_open
        self.on_delete = on_delete

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.KeyPress or self.view.state() == QAbstractItemView.EditingState:
            return False
        if event.modifiers() not in (Qt.NoModifier, Qt.KeypadModifier):
            return False
        if not self.view.currentIndex().isValid():
            return False
        if event.key() in _OPEN_KEYS and self.on_open is not None:
            self.on_open()
            return True
        if event.key() in _DELETE_KEYS and self.on_delete is not None:
            self.on_delete()
            return True
        return False


def bind_list_keys(view: QAbstractItemView, *, open: Callable[[], object] | None = None,  # noqa: A002
                   delete: Callable[[], object] | None = None, double_click: bool = True,
                   delete_button=None) -> None:
    """Enter (and double-click, unless already wired) opens; Delete deletes — only when
    ``delete_button`` (the page's own button, or a callable returning it) is enabled, so the
    key never offers what the screen greys out (a read-only base, nothing to delete)."""
    if delete is not None and delete_button is not None:
        action = delete

        def delete() -> None:
            button = delete_button() if callable(delete_button) and not hasattr(delete_button, "isEnabled") \
                else delete_button
            if button.isEnabled():
                action()

    keys = _ListKeys(view, open, delete)
    view.installEventFilter(keys)
    view._list_keys = keys  # keep a reference
    if open is not None and double_click:
        view.doubleClicked.connect(lambda _index: open())
