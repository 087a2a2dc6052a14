"""What every editing dialog shares: errors shown under each field, saving through a service,
and never dropping typed text.

A dialog subclasses :class:`ServiceDialog`, builds its form (``self.ui``), registers its
fields with :meth:`ServiceDialog.watch_fields` and implements :meth:`save` (call the
service, return anything). « OK » runs ``save()``: a :class:`ValidationError` is shown
under the offending field(s), with a summary at the bottom, and the dialog stays open
with nothing saved; another :class:`UserError` goes to ``ctx.error``; success accepts.

Leaving with typed changes (Échap, « Annuler », the window's close button) asks
:func:`ask_unsaved` — « Enregistrer » / « Ne pas enregistrer » / « Annuler » — instead of
dropping them: what was typed is compared with what the dialog showed when it opened.

A save refused because someone else saved first (:class:`ConflictError`) shows both values
side by side where both changed a field (``conflict_target`` / ``save_resolved``); going back to
her form, the fields only the colleague changed show the base's value (``show_values``).

Signals:
    saved(object): what ``save()`` returned (typically the record id).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from ...domain.errors import ConflictError, UserError, ValidationError
from ...services import conflicts
from ...services.history import FIELD_LABELS
from ..context import AppContext
from ..widgets.chooser import install_word_search
from ..widgets.date_field import DateField
from .conflict import ConflictDialog, show_theirs

log = logging.getLogger("qpv_desk.gui")

ERROR_STYLE = "color: #b3261e;"
INVALID_STYLE = "border: 1px solid #b3261e;"


def make_read_only(roots, reason: str) -> None:
    """What is shown in ``roots`` can be read (and copied) but not changed; the reason as tooltip.

    The one way an editor opens read-only (a read-only base, another quartier's record)."""
    for root in roots:
        for widget in [root, *root.findChildren(QWidget)]:
            if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
                if isinstance(widget, QLineEdit) and isinstance(widget.parent(), (QComboBox, QAbstractSpinBox)):
                    continue
                widget.setReadOnly(True)
            elif isinstance(widget, (QComboBox, QAbstractSpinBox, QAbstractButton)):
                widget.setEnabled(False)
            elif isinstance(widget, QAbstractItemView):
                widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            else:
                continue
            widget.setToolTip(reason)


class FieldErrors:
    """The one way to show a refused input: a red message under each wrong field, the
    field outlined, a summary (how many fields, « rien n'a été enregistré », every
    message), the tab holding the first wrong field brought forward and that field focused.

    ``fields`` maps the service's field names (``ValidationError.errors`` keys) to widgets.
    A field in a :class:`QFormLayout` gets its message on the row below; a widget in a
    box layout (a list, a table) right under it; ``form`` is only a hint (the layout of
    each field is found by itself). A message for a field not listed goes to the summary.
    """

    def __init__(self, form: QFormLayout | None, fields: dict[str, QWidget], summary: QLabel):
        self.fields = fields
        self.summary = summary
        self.labels: dict[str, QLabel] = {}
        summary.setStyleSheet(ERROR_STYLE)
        summary.setWordWrap(True)
        summary.hide()
        positions = []
        for name, widget in fields.items():
            layout = form if form is not None and form.getWidgetPosition(widget)[0] >= 0 else _layout_of(widget)
            if isinstance(layout, QFormLayout):
                positions.append((id(layout), layout.getWidgetPosition(widget)[0], name, layout))
            elif isinstance(layout, QBoxLayout):
                label = self._label(name)
                layout.insertWidget(layout.indexOf(widget) + 1, label)
        for _layout_id, row, name, layout in sorted(positions, key=lambda p: (p[0], p[1]), reverse=True):
            layout.insertRow(row + 1, "", self._label(name))

    def _label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"error_{name}")
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        self.labels[name] = label
        return label

    def clear(self) -> None:
        for name, label in self.labels.items():
            label.hide()
            label.clear()
            self.fields[name].setStyleSheet("")
        self.summary.hide()
        self.summary.clear()

    def show(self, errors: dict[str, str], fallback: str = "") -> None:
        """Show every message of ``errors`` at once (``fallback``: the text when it is empty)."""
        self.clear()
        first = None
        for name, message in errors.items():
            label = self.labels.get(name)
            if label is None:
                continue
            label.setText(message)
            label.show()
            self.fields[name].setStyleSheet(INVALID_STYLE)
            first = first or self.fields[name]
        count = len(errors)
        if count == 0:
            text = f"{fallback} Rien n'a été enregistré." if fallback else "Rien n'a été enregistré."
        else:
            head = "Corrigez le champ signalé : rien n'a été enregistré." if count == 1 else \
                f"Corrigez les {count} champs signalés : rien n'a été enregistré."
            text = "\n".join([head, *(f"• {message}" for message in errors.values())])
        self.summary.setText(text)
        self.summary.show()
        if first is not None:
            bring_forward(first)
            first.setFocus(Qt.OtherFocusReason)

    def message(self, field: str) -> str:
        label = self.labels.get(field)
        return label.text() if label is not None and not label.isHidden() else ""


def _layout_of(widget: QWidget):
    """The layout that holds ``widget`` (searched from its parent's layout)."""
    parent = widget.parentWidget()
    root = parent.layout() if parent is not None else None
    pending = [root] if root is not None else []
    while pending:
        layout = pending.pop()
        for i in range(layout.count()):
            item = layout.itemAt(i)
            if item.widget() is widget:
                return layout
            if item.layout() is not None:
                pending.append(item.layout())
    return None


def bring_forward(widget: QWidget) -> None:
    """Show the tab (of every enclosing tab widget) that holds ``widget``."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QTabWidget):
            for i in range(parent.count()):
                if parent.widget(i).isAncestorOf(widget):
                    parent.setCurrentIndex(i)
        parent = parent.parentWidget()


def text_of(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit) or hasattr(widget, "weekday"):  # a line or a DateField
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    raise TypeError(widget)


def set_value(widget: QWidget, value) -> None:
    """Show ``value`` in a form's widget: a line or date (text), a text box, a combo (by its
    data) or a check box — the reverse of reading the form."""
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value or "")
    elif isinstance(widget, QComboBox):
        select_data(widget, value)
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    else:
        widget.setText(value or "")


def date_field_in_place_of(form: QFormLayout, line: QLineEdit, field: str):
    """Put the French :class:`DateField` where a form (generated from a .ui) has a plain line."""
    date = DateField(field=field)
    date.setObjectName(line.objectName())
    if line.placeholderText():
        date.setPlaceholderText(line.placeholderText())
    form.replaceWidget(line, date)
    line.hide()
    line.deleteLater()
    return date


def make_searchable(combo: QComboBox) -> None:
    """An editable combo whose completer finds an entry by the words typed (see ``widgets/chooser``)."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.NoInsert)
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(30)

    install_word_search(combo)  # every typed word, in any order, accents folded


def combo_id(combo: QComboBox, field: str, label: str):
    """The id behind an (editable) combo's text; ``None`` if empty; a ValidationError if unknown."""
    text = combo.currentText().strip()
    if not text:
        return None
    index = combo.findText(text, Qt.MatchFixedString)
    if index < 0:
        raise ValidationError(field, f"« {text[:60]} » ne figure pas dans la liste « {label} » : choisissez-y une entrée.")
    return combo.itemData(index)


def select_data(combo: QComboBox, value) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(index if index >= 0 else 0)


SAVE, DISCARD, CANCEL = "save", "discard", "cancel"

#: When set (the test suite does so while it closes the windows a test left open), the
#: answer given without asking. ``None`` in the application: always ask.
unattended_answer: str | None = None


def ask_unsaved(parent: QWidget | None, what: str = "Vos modifications") -> str:
    """Ask what to do with unsaved typing: :data:`SAVE`, :data:`DISCARD` or :data:`CANCEL`.

    A real modal ``QMessageBox`` (tests answer it by clicking its buttons); Échap = Annuler.
    """
    if unattended_answer is not None:
        log.info("Modifications non enregistrées (%s) : réponse sans question « %s »", what, unattended_answer)
        return unattended_answer
    log.info("Modifications non enregistrées : question posée (%s)", what)
    box = QMessageBox(QMessageBox.Warning, "QPV Desk",
                      f"{what} ne sont pas enregistrées.\n\nLes enregistrer avant de fermer ?", QMessageBox.NoButton,
                      parent)
    box.setObjectName("unsaved_question")
    save = box.addButton("Enregistrer", QMessageBox.AcceptRole)
    discard = box.addButton("Ne pas enregistrer", QMessageBox.DestructiveRole)
    cancel = box.addButton("Annuler", QMessageBox.RejectRole)
    save.setObjectName("unsaved_save")
    discard.setObjectName("unsaved_discard")
    cancel.setObjectName("unsaved_cancel")
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    answer = SAVE if clicked is save else DISCARD if clicked is discard else CANCEL
    log.info("Réponse : %s", answer)
    return answer


def form_state(root: QWidget) -> tuple:
    """What the user can type or choose in ``root``, to tell whether something changed."""
    state = []
    for widget in root.findChildren(QWidget):
        if not widget.isEnabled() or widget.property("unsaved_ignore"):
            continue
        if isinstance(widget, QLineEdit):
            if isinstance(widget.parent(), (QComboBox, QAbstractSpinBox)):
                continue
            if not widget.isReadOnly():
                state.append((widget.objectName(), widget.text()))
        elif isinstance(widget, QPlainTextEdit):
            if not widget.isReadOnly():
                state.append((widget.objectName(), widget.toPlainText()))
        elif isinstance(widget, QTextEdit):
            if not widget.isReadOnly():
                state.append((widget.objectName(), widget.toPlainText()))
        elif isinstance(widget, QComboBox):
            state.append((widget.objectName(), widget.currentIndex(),
                          widget.currentText() if widget.isEditable() else ""))
        elif isinstance(widget, QAbstractSpinBox):
            state.append((widget.objectName(), widget.text()))
        elif isinstance(widget, QCheckBox):
            state.append((widget.objectName(), widget.isChecked()))
    return tuple(state)


class KeepsTypedText:
    """Mixin for a dialog (list it before ``QDialog``): one place decides that Échap,
    « Annuler » / « Fermer » and the window's close button (``QDialog.closeEvent`` calls
    ``reject``) ask :func:`ask_unsaved` before dropping typed text.

    A dialog may override three things: :attr:`unsaved_what` (the subject of the
    question); :meth:`has_unsaved_changes` (by default: what can be typed or chosen
    differs from when the dialog was first shown, or since :meth:`mark_clean`);
    :meth:`save_unsaved` (by default ``accept()``; returns ``True`` when what was typed
    is saved — the dialog then closes, unless saving closed it already). Nothing is asked
    when nothing could be saved: a read-only base (``self.ctx.read_only``) or a dialog
    whose ``locked`` is true (the user's rights do not allow the change).
    """

    unsaved_what = "Les modifications de cette fenêtre"
    _initial_state: tuple | None = None
    _leaving = False

    def mark_clean(self) -> None:
        """What is shown now is what the base holds."""
        self._initial_state = form_state(self)

    def has_unsaved_changes(self) -> bool:
        return self._initial_state is not None and form_state(self) != self._initial_state

    def save_unsaved(self) -> bool:
        self.accept()
        return self.result() == QDialog.Accepted

    def can_save_typed_text(self) -> bool:
        ctx = getattr(self, "ctx", None)
        return not (ctx is not None and ctx.read_only) and not getattr(self, "locked", False)

    def keeping_clean(self, fill) -> None:
        """Run ``fill()``, which puts in the form values the base holds: what it changes on screen
        is not « unsaved typing » (the rest of what she typed still is)."""
        before = form_state(self)
        fill()
        if self._initial_state is None:
            return
        after = form_state(self)
        if len(before) == len(after) == len(self._initial_state):
            self._initial_state = tuple(
                now if was != now and now[0] == initial[0] else initial
                for initial, was, now in zip(self._initial_state, before, after))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._leaving = False
        if self._initial_state is None:
            self.mark_clean()
        super().showEvent(event)

    def reject(self) -> None:
        """Échap, « Annuler » / « Fermer », the close button: typed text is saved or dropped as she says."""
        if self._leaving or not self.can_save_typed_text() or not self.has_unsaved_changes():
            super().reject()
            return
        answer = ask_unsaved(self, self.unsaved_what)
        if answer == CANCEL:
            return
        if answer == SAVE and (not self.save_unsaved() or not self.isVisible()):
            return  # refused (she stays with her text), or saving closed the dialog
        self._leaving = True
        super().reject()


def field_label(field: str) -> str:
    """A field's name as the history and the side-by-side choice say it (« structure »)."""
    return FIELD_LABELS.get(field, field.replace("_", " "))


class ServiceDialog(KeepsTypedText, QDialog):
    saved = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.errors: FieldErrors | None = None
        self.result_value = None
        self._shown_values: dict | None = None  # the record's values as the form showed them (three-way merge)

    def watch_fields(self, form: QFormLayout, fields: dict[str, QWidget], summary: QLabel,
                     buttons: QDialogButtonBox) -> None:
        self.errors = FieldErrors(form, fields, summary)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        ok = buttons.button(QDialogButtonBox.Ok)
        if ok is not None:
            ok.setText("Enregistrer")
        if self.ctx.read_only and ok is not None:
            ok.setEnabled(False)
            ok.setToolTip(self.ctx.read_only_reason)

    def save(self):  # pragma: no cover - abstract
        raise NotImplementedError

    # ----------------------------------------------------------------- someone else saved first

    def conflict_target(self) -> tuple[str, int, dict] | None:
        """(entity, id, values typed) of the record this dialog edits, for the side-by-side
        choice when its save meets someone else's; None: the conflict is only reported."""
        return None

    def save_resolved(self, values: dict, version: int):  # pragma: no cover - with conflict_target
        """Save ``values`` (hers, with the fields she gave up replaced by theirs) against ``version``."""
        raise NotImplementedError

    def show_values(self, values: dict) -> None:  # pragma: no cover - with conflict_target
        """Put ``values`` (some fields of :meth:`conflict_target`'s values, in that shape) in the
        form, leaving the other fields as they are."""
        raise NotImplementedError

    def _show_theirs(self, entity: str, ident: int, mine: dict) -> None:
        """Back to her form after a conflict: the fields only the colleague changed show the value
        the base now holds (the next save keeps it), her own untouched, and she is told so."""
        shown = self._shown_values
        if shown is None:
            return
        ok, read = self.ctx.attempt(self, conflicts.changed_since, self.ctx.db, entity, ident, shown)
        if not ok:
            return
        by, theirs = read
        note = show_theirs(shown, mine, {**shown, **theirs}, by, field_label,
                           lambda values: self.keeping_clean(lambda: self.show_values(values)))
        if self.errors is not None:
            self.errors.clear()
            self.errors.summary.setText(" ".join(part for part in (
                "Quelqu'un d'autre a modifié cette fiche entre-temps : rien n'a été enregistré, votre saisie est "
                "toujours là. « Enregistrer » pour choisir à nouveau.", note) if part))
            self.errors.summary.show()

    def _resolve_conflict(self, exc: ConflictError) -> tuple[bool, object]:
        """Her values and theirs side by side; she chooses, nothing she typed is lost."""
        target = self.conflict_target()
        if target is None:
            self.ctx.error(self, exc)
            return False, None
        entity, ident, values = target
        shown = self._shown_values
        if shown is not None:  # only what she changed is hers to save; the fields both changed are offered
            values = {k: v for k, v in values.items() if k not in shown or shown[k] != v}
            ok, theirs = self.ctx.attempt(self, conflicts.conflict, self.ctx.db, entity, ident,
                                          {k: shown[k] for k in values if k in shown})
            if not ok:
                return False, None
            changed_by_them = {f.field for f in theirs.fields} | {k for k in values if k not in shown}
            ok, found = self.ctx.attempt(self, conflicts.conflict, self.ctx.db, entity, ident,
                                         {k: v for k, v in values.items() if k in changed_by_them})
        else:
            ok, found = self.ctx.attempt(self, conflicts.conflict, self.ctx.db, entity, ident, values)
        if not ok:
            return False, None
        if not found.fields:
            self.ctx.info(self, f"{found.changed_by} pendant que vous modifiiez cette fiche, sur d'autres champs que "
                                "les vôtres : vos modifications et les siennes sont enregistrées ensemble.")
            return self.ctx.attempt(self, self.save_resolved, values, found.version)
        keep_theirs = ConflictDialog.choose(self, found)
        if keep_theirs is None:  # back to her form, as she typed it; what only they changed shows their value
            self._show_theirs(entity, ident, target[2])
            return False, None
        return self.ctx.attempt(self, self.save_resolved, conflicts.merged(found, values, keep_theirs), found.version)

    def mark_clean(self) -> None:
        """What is shown now is what the base holds (called when first shown); the record's
        values are remembered for the three-way merge of a later conflict."""
        super().mark_clean()
        try:
            target = self.conflict_target()
        except UserError:
            target = None
        self._shown_values = dict(target[2]) if target is not None else None

    def accept(self) -> None:
        if self.ctx.read_only:
            return
        try:
            result = self.save()
        except ValidationError as exc:
            log.info("Saisie refusée : %s", exc)
            if self.errors is not None:
                self.errors.show(exc.errors, str(exc))
            else:
                self.ctx.error(self, exc)
            return
        except ConflictError as exc:
            log.info("Enregistrement en conflit : %s", exc)
            ok, result = self._resolve_conflict(exc)
            if not ok:
                return
        except UserError as exc:
            self.ctx.error(self, exc)
            return
        self.result_value = result
        self.saved.emit(result)
        super().accept()
