"""Cell editors for editable tables: a combo box over fixed choices, a searchable chooser.

Both hand the model the chosen *value* (a code, an id) through ``setData(EditRole)``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from ..models.table import ROW_ROLE
from .chooser import Chooser


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box editor over ``choices()`` → ``[(value, label)]``; the model gets the value."""

    def __init__(self, choices: Callable[[], list[tuple]], parent=None):
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent, option, index):  # noqa: N802
        combo = QComboBox(parent)
        for value, label in self.choices():
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor, index):  # noqa: N802
        position = editor.findData(index.data(Qt.EditRole))
        editor.setCurrentIndex(max(position, 0))

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.currentData(), Qt.EditRole)


class ChooserDelegate(QStyledItemDelegate):
    """A searchable :class:`Chooser` editor; ``choices(row)`` → ``(choices, first_ids)``
    (the people of the row's organisation first); the model gets the chosen id."""

    def __init__(self, choices: Callable[[object], tuple[list, list]], parent=None, *, empty: str = "—"):
        super().__init__(parent)
        self.choices = choices
        self.empty = empty

    def createEditor(self, parent, option, index):  # noqa: N802

        chooser = Chooser(parent)
        choices, first = self.choices(index.data(ROW_ROLE))
        chooser.set_choices(choices, empty=self.empty, first=first)
        return chooser

    def setEditorData(self, editor, index):  # noqa: N802
        editor.select(index.data(Qt.EditRole))

    def setModelData(self, editor, model, index):  # noqa: N802
        if editor.is_valid():
            model.setData(index, editor.value(), Qt.EditRole)
