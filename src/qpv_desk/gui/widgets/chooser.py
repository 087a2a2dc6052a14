"""One chooser for actions, objectives, people and organisations.

A :class:`Chooser` is a ``QComboBox`` (so ``findData``/``setCurrentIndex``/``currentData``
work as usual) that:

* shows the whole label: its popup is as wide as the longest entry, and the current
  entry's full text is the tooltip (the field itself may elide);
* is searchable by typing: every word typed must appear in the entry, in any order, case
  and accents folded (« ecole jules » finds « 2026-04 – École Jules-Ferry »);
* never changes on its own: only the user or :meth:`reset`/:meth:`set_choices` move it.

``set_choices(choices, empty=…, first=…)`` fills it from ``Choice``-like rows (``id``,
``label``, optional ``detail``); ``first`` (ids) are listed before the others (the people
of the same organisation in « Représenté(e) par »).

Signals:
    chosen(object): the id the user picked (``None`` for the empty entry).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from ...domain.text import fold_text

FOLD_ROLE = Qt.UserRole + 7


def label_of(choice) -> str:
    detail = getattr(choice, "detail", "")
    return f"{choice.label} — {detail}" if detail else choice.label


class _WordFilter(QSortFilterProxyModel):
    """Rows whose folded text contains every folded word typed."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.words: list[str] = []

    def set_text(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.9
            self.beginFilterChange()
            self.words = fold_text(text).split()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.words = fold_text(text).split()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, row, parent) -> bool:  # noqa: N802 - Qt override
        if not self.words:
            return True
        index = self.sourceModel().index(row, 0, parent)
        key = index.data(FOLD_ROLE)
        if key is None:
            key = fold_text(str(index.data(Qt.DisplayRole) or ""))
        return all(word in key for word in self.words)


def install_word_search(combo: QComboBox) -> QCompleter:
    """Make any editable combo searchable like a :class:`Chooser` (words, any order, accents folded)."""
    search = _WordFilter(combo)
    search.setSourceModel(combo.model())
    completer = QCompleter(search, combo)
    completer.setCompletionMode(QCompleter.UnfilteredPopupCompletion)
    completer.setCaseSensitivity(Qt.CaseInsensitive)
    completer.setMaxVisibleItems(15)
    combo.setCompleter(completer)

    def typed(text: str) -> None:
        search.set_text(text)
        if text:
            completer.complete()

    combo.lineEdit().textEdited.connect(typed)
    combo._word_search = search  # keep a reference
    return completer


class Chooser(QComboBox):
    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "", min_chars: int = 14):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(min_chars)
        self._items = QStandardItemModel(self)
        self.setModel(self._items)
        self._filter = _WordFilter(self)
        self._filter.setSourceModel(self._items)
        completer = QCompleter(self._filter, self)
        completer.setCompletionMode(QCompleter.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseInsensitive)
        completer.setMaxVisibleItems(15)
        self.setCompleter(completer)
        completer.activated[str].connect(self._picked_text)
        self.lineEdit().textEdited.connect(self._typed)
        if placeholder:
            self.lineEdit().setPlaceholderText(placeholder)
        self.currentIndexChanged.connect(self._index_changed)
        self.activated.connect(lambda _i: self.chosen.emit(self.currentData()))

    # ----------------------------------------------------------------- filling

    def set_choices(self, choices: Iterable, *, empty: str | None = "—", first: Iterable[int] = ()) -> None:
        """Fill from rows with ``id``/``label``/``detail``; keeps the current id if still there."""
        keep = self.currentData()
        choices = list(choices)
        first_ids = list(first)
        if first_ids:
            rank = {cid: n for n, cid in enumerate(first_ids)}
            choices.sort(key=lambda c: rank.get(c.id, len(rank)))
        self.blockSignals(True)
        self._items.clear()
        if empty is not None:
            self._add(empty, None, fold="")
        for c in choices:
            self._add(label_of(c), c.id)
        self.blockSignals(False)
        self.select(keep)
        self._widen_popup()

    def _add(self, text: str, data, fold: str | None = None) -> None:
        item = QStandardItem(text)
        item.setData(data, Qt.UserRole)
        item.setData(fold_text(text) if fold is None else fold, FOLD_ROLE)
        item.setToolTip(text)
        self._items.appendRow(item)

    def _widen_popup(self) -> None:
        view = self.view()
        metrics = view.fontMetrics()
        widest = max((metrics.horizontalAdvance(self.itemText(i)) for i in range(self.count())), default=0)
        screen = self.screen()
        limit = screen.availableGeometry().width() - 40 if screen is not None else 1300
        width = min(widest + 40, limit)
        view.setMinimumWidth(width)
        popup = self.completer().popup()
        popup.setMinimumWidth(width)

    # ----------------------------------------------------------------- state

    def select(self, value) -> None:
        """Show the entry of id ``value`` (the empty entry if absent)."""
        index = self.findData(value)
        if index < 0:
            index = self.findData(None)
        self.setCurrentIndex(max(index, 0))
        self._sync_text()

    def reset(self) -> None:
        """Back to the empty entry (after « Ajouter »)."""
        self.select(None)

    def value(self):
        """The id chosen; the typed text must be an entry (else ``None``)."""
        text = self.currentText().strip()
        index = self.findText(text, Qt.MatchFixedString)
        if index < 0:
            return None
        return self.itemData(index)

    def is_valid(self) -> bool:
        """False when the user typed text that is not an entry."""
        text = self.currentText().strip()
        return not text or self.findText(text, Qt.MatchFixedString) >= 0

    # ----------------------------------------------------------------- user

    def _typed(self, text: str) -> None:
        self._filter.set_text(text)
        if text:
            self.completer().complete()

    def _picked_text(self, text: str) -> None:
        index = self.findText(text, Qt.MatchFixedString)
        if index >= 0:
            self.setCurrentIndex(index)
            self._sync_text()
            self.chosen.emit(self.currentData())

    def _index_changed(self, _index: int) -> None:
        self.setToolTip(self.currentText())
        self.lineEdit().setCursorPosition(0)

    def _sync_text(self) -> None:
        if self.currentIndex() >= 0:
            self.lineEdit().setText(self.itemText(self.currentIndex()))
            self.lineEdit().setCursorPosition(0)
        self.setToolTip(self.currentText())
