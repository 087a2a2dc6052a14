"""Her save met someone else's: both versions side by side, field by field, and she chooses.

:meth:`ConflictDialog.choose` shows a :class:`~qpv_desk.services.conflicts.Conflict` and
returns the fields where she keeps *their* value (``None`` if she cancels: she goes back to
her form, nothing she typed is lost). Going back, the fields that only the colleague changed
show their value in her form (:func:`show_theirs`), since the next save keeps it, and she is
told so in one sentence (:func:`theirs_note`).

Each value is shown whole, wrapped over as many lines as it needs (a row is as tall as its
longer value, the list scrolls when the rows outgrow the window); a click on a value chooses
it, as on its button.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...services import conflicts
from ...services.conflicts import Conflict


class ValueChoice(QWidget):
    """One side of a field: its radio button and the value beside it, whole and wrapped."""

    def __init__(self, text: str, parent=None):
        super().__init__(parent)
        self.button = QRadioButton(self)
        self.button.setAccessibleName(text)
        self.label = QLabel(text, self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 3, 4, 3)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)

    def text(self) -> str:
        return self.label.text()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        """A click on the value (the label passes it on) chooses it."""
        self.button.setChecked(True)
        self.button.setFocus(Qt.FocusReason.MouseFocusReason)
        event.accept()


class ConflictDialog(QDialog):
    def __init__(self, conflict: Conflict, parent=None):
        super().__init__(parent)
        self.conflict = conflict
        self.setWindowTitle("Modification simultanée")
        self.resize(760, 360)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"<b>{conflict.changed_by}</b> pendant que vous modifiiez cette fiche. "
            "Pour chaque champ, choisissez la valeur à garder : rien de ce que vous avez saisi n'est perdu."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(conflict.fields), 3, self)
        self.table.setObjectName("conflict_table")
        self.table.setHorizontalHeaderLabels(["Champ", "Votre saisie", "Leur version"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)  # rows of many lines
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.groups: dict[str, QButtonGroup] = {}
        self.mine_buttons: dict[str, QRadioButton] = {}
        self.theirs_buttons: dict[str, QRadioButton] = {}
        for row, f in enumerate(conflict.fields):
            name = QTableWidgetItem(f.label[:1].upper() + f.label[1:])
            name.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.table.setItem(row, 0, name)
            mine_cell, theirs_cell = ValueChoice(f.mine_text), ValueChoice(f.theirs_text)
            mine, theirs = mine_cell.button, theirs_cell.button
            mine.setChecked(True)
            group = QButtonGroup(self)
            group.addButton(mine)
            group.addButton(theirs)
            self.groups[f.field] = group
            self.mine_buttons[f.field] = mine
            self.theirs_buttons[f.field] = theirs
            self.table.setCellWidget(row, 1, mine_cell)
            self.table.setCellWidget(row, 2, theirs_cell)
        header.sectionResized.connect(lambda *_args: self._fit_rows())
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton("Enregistrer mes choix", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton("Revenir à ma saisie", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _fit_rows(self) -> None:
        """Each row as tall as the longer of its two values at the columns' current width."""
        for row in range(self.table.rowCount()):
            height = self.table.sizeHintForRow(row)
            for column in (1, 2):
                cell = self.table.cellWidget(row, column)
                if cell is not None:
                    height = max(height, cell.heightForWidth(self.table.columnWidth(column)))
            if self.table.rowHeight(row) != height:
                self.table.setRowHeight(row, height)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._fit_rows()

    def keep_theirs(self) -> set[str]:
        return {field for field, button in self.theirs_buttons.items() if button.isChecked()}

    @classmethod
    def choose(cls, parent, conflict: Conflict) -> set[str] | None:
        """The fields where she keeps their value, or None if she goes back to her form."""
        dialog = cls(conflict, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.keep_theirs()


def theirs_note(by: str | None, labels) -> str:
    """The one sentence that tells her which fields of her form now show the colleague's value."""
    who = by or "quelqu'un d'autre"
    labels = list(labels)
    names = ", ".join(labels)
    if len(labels) == 1:
        return f"Le champ modifié entre-temps par {who} seulement ({names}) montre maintenant sa valeur."
    return f"Les champs modifiés entre-temps par {who} seulement ({names}) montrent maintenant sa valeur."


def show_theirs(base: dict, mine: Mapping, theirs: Mapping, by: str | None, label, show) -> str:
    """She goes back to her form: the fields only they changed (:func:`~qpv_desk.services.
    conflicts.theirs_only`) are put in the form by ``show(values)`` — her own fields untouched —
    and in ``base`` (what the form shows of the record: the next save sees them as theirs, not
    as her changes). The sentence to tell her (:func:`theirs_note`), « » when none."""
    only = conflicts.theirs_only(base, mine, theirs)
    if not only:
        return ""
    show(only)
    base.update(only)
    return theirs_note(by, (label(field) for field in only))


@dataclass(frozen=True)
class Resolution:
    """What :func:`resolve` decided: the values to save again, or ``None`` when she goes back to
    her form (or the record could not be read); then ``note`` says which fields now show their value."""

    values: dict | None
    note: str = ""


def resolve(parent, ctx, entity: str, entity_id: int, base: dict, mine: dict, theirs: dict, version: int,
            label, text, *, show=None) -> Resolution:
    """After a refused save in an editor that keeps what it showed at opening (``base``): the
    values to save again against ``version`` — her changes, with their value where both changed
    the same field and she keeps theirs. ``values`` is ``None`` when she goes back to her form as
    she typed it: then the fields only they changed show their value (``show(values)`` fills them
    in the form, ``base`` is updated, see :func:`show_theirs`).

    Nothing to choose (they changed other fields): her changes and theirs are kept together,
    and she is told so."""
    changed, clashing = conflicts.three_way(base, mine, theirs)
    ok, found = ctx.attempt(parent, conflicts.side_by_side, ctx.db, entity, entity_id, version, mine, theirs,
                            clashing, label, text)
    if not ok:
        return Resolution(None)
    if not clashing:
        ctx.info(parent, f"{found.changed_by} pendant que vous modifiiez cette fiche, sur d'autres champs que les vôtres : "
                         "vos modifications et les siennes sont enregistrées ensemble.")
        return Resolution(changed)
    keep_theirs = ConflictDialog.choose(parent, found)
    if keep_theirs is None:
        return Resolution(None, show_theirs(base, mine, theirs, found.by, label, show) if show is not None else "")
    return Resolution({k: v for k, v in changed.items() if k not in keep_theirs})
