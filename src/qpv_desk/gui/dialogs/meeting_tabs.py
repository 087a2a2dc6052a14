"""The tabs of the meeting editor: Ordre du jour, Présences, Relevé, Suites à donner.

Each tab calls the meeting services for every user action (one unit of work each)
through ``editor.attempt(fn, …)``, which shows a refused input in French and tells
the other tabs and pages that the meeting changed. Their ``editor`` is the
:class:`~qpv_desk.gui.dialogs.meeting_editor.MeetingEditor` (typed ``QDialog``: that
module imports this one).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain import enums as E
from ...domain.text import plural
from ...services import meetings as M
from ...services import tasks as T
from ..models.editable import EditableRowModel
from ..models.meetings import AgendaModel
from ..models.table import Column, RowTableModel
from ..widgets.chooser import Chooser
from ..widgets.date_field import DateField
from ..widgets.delegates import ChoiceDelegate, ChooserDelegate
from ..widgets.table_keys import bind_list_keys
from ..widgets.tables import setup_table

log = logging.getLogger("qpv_desk.gui")


def _getter(model, key: str):
    """The function giving a row's value of the editable field ``key`` of ``model``."""
    return next(get for k, get in model.editable.values() if k == key)


def _find(rows, row_id: int):
    return next((r for r in rows if r.id == row_id), None)


def same_organisation_first(choices: list[M.Choice], organisation_id: int | None) -> list[int]:
    """Ids of the people of ``organisation_id`` (listed first in « Représenté(e) par »)."""
    return [c.id for c in choices if organisation_id is not None and c.extra == organisation_id]


def ask_person(parent: QWidget, choices: list[M.Choice], title: str, first: list[int] = ()) -> int | None:
    """Choose a person in a searchable list (monkeypatched in tests). The person's id or ``None``."""
    if not choices:
        return None
    dialog = QDialog(parent)
    dialog.setWindowTitle("QPV Desk")
    dialog.setMinimumWidth(460)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel(title))
    chooser = Chooser(dialog, placeholder="Tapez un nom ou une structure…")
    chooser.setObjectName("person_chooser")
    chooser.set_choices(choices, empty="", first=first)
    layout.addWidget(chooser)
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.button(QDialogButtonBox.Cancel).setText("Annuler")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    if dialog.exec() != QDialog.Accepted:
        return None
    return chooser.value()


def fill_combo(combo: QComboBox, choices, *, empty: str | None = "—") -> None:
    """Fill a chooser; long entries (objective titles…) never widen the window."""
    if isinstance(combo, Chooser):
        combo.lineEdit().setPlaceholderText(empty or "")
        combo.set_choices(choices, empty="")
        return
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    combo.clear()
    if empty is not None:
        combo.addItem(empty, None)
    for c in choices:
        combo.addItem(f"{c.label} — {c.detail}" if getattr(c, "detail", "") else c.label, c.id)


class AgendaView(QTableView):
    """Alt+Haut / Alt+Bas move the current point (``move_requested(delta)``)."""

    move_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.AltModifier and event.key() in (Qt.Key_Up, Qt.Key_Down):
            self.move_requested.emit(-1 if event.key() == Qt.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)


def make_view(model, view: QTableView | None = None) -> QTableView:
    view = view or QTableView()
    setup_table(view, model, edit=True)
    return view


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def select_row(view: QTableView, row: int) -> None:
    if 0 <= row < view.model().rowCount():
        view.selectionModel().setCurrentIndex(
            view.model().index(row, 0), QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)


# --------------------------------------------------------------------------- agenda


class AgendaTab(QWidget):
    def __init__(self, editor: QDialog):
        super().__init__(editor)
        self.editor = editor
        layout = QVBoxLayout(self)
        form = QHBoxLayout()
        self.title_edit = QLineEdit(placeholderText="Intitulé du point")
        self.title_edit.setMinimumWidth(260)
        self.presenter = Chooser()
        self.presenter.setObjectName("agenda_presenter")
        self.duration = QSpinBox(minimum=0, maximum=600, singleStep=5, suffix=" min", specialValueText="durée")
        self.objective = Chooser()
        self.objective.setObjectName("agenda_objective")
        self.action = Chooser()
        self.action.setObjectName("agenda_action")
        self.add_button = QPushButton("Ajouter le point")
        for w, stretch in ((self.title_edit, 3), (self.presenter, 2), (self.duration, 0), (self.objective, 2),
                           (self.action, 2), (self.add_button, 0)):
            form.addWidget(w, stretch)
        layout.addLayout(form)
        persons = [(None, "—")] + [(c.id, c.label) for c in editor.persons]
        objectives = [(None, "—")] + [(c.id, c.label) for c in editor.objectives]
        actions = [(None, "—")] + [(c.id, c.label) for c in editor.actions]
        columns = [
            Column("N°", "number", width=40),
            Column("Intitulé", "title", width=320),
            Column("Intervenant(e)", "presenter", width=150),
            Column("Durée", lambda r: f"{r.duration_min} min" if r.duration_min is not None else "", width=70),
            Column("Objectif", "objective_label", width=180),
            Column("Action", "action_label"),
        ]
        editable = {1: ("title", lambda r: r.title), 2: ("presenter_id", lambda r: r.presenter_id),
                    3: ("duration_min", lambda r: r.duration_min), 4: ("objective_id", lambda r: r.objective_id),
                    5: ("action_id", lambda r: r.action_id)}
        self.model = AgendaModel(columns, editable, self, on_edit=self._edit)
        self.view = make_view(self.model, AgendaView())
        self.view.setObjectName("agenda_view")
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropMode(QAbstractItemView.DragDrop)
        self.view.setDefaultDropAction(Qt.MoveAction)
        self.view.setDragDropOverwriteMode(False)
        for column, choices in ((2, persons), (4, objectives), (5, actions)):
            self.view.setItemDelegateForColumn(column, ChoiceDelegate(lambda c=choices: c, self.view))
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.up_button = QPushButton("Monter (Alt+↑)")
        self.down_button = QPushButton("Descendre (Alt+↓)")
        self.delete_button = QPushButton("Supprimer le point")
        for b in (self.up_button, self.down_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(QLabel("Glissez-déposez les lignes pour les réordonner ; double-cliquez pour modifier."))
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add)
        self.title_edit.returnPressed.connect(self.add)
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))
        self.view.move_requested.connect(self.move)
        self.model.moved.connect(self.move_to)
        self.delete_button.clicked.connect(self.delete)
        bind_list_keys(self.view, delete=self.delete, double_click=False)

    def load_choices(self) -> None:
        fill_combo(self.presenter, self.editor.persons, empty="Intervenant(e)")
        fill_combo(self.objective, self.editor.objectives, empty="Objectif")
        fill_combo(self.action, self.editor.actions, empty="Action")

    def reload(self) -> None:
        self.model.set_rows(M.list_agenda(self.editor.db, self.editor.meeting_id))

    def current(self):
        return self.model.row_at(self.view.currentIndex())

    def add(self) -> bool:
        ok, _ = self.editor.attempt(
            M.add_agenda_item, self.editor.db, self.editor.meeting_id, self.title_edit.text(),
            presenter_id=self.presenter.value(), duration_min=self.duration.value() or None,
            objective_id=self.objective.value(), action_id=self.action.value())
        if ok:  # the next point starts empty: never silently linked to this one's objective or action
            self.title_edit.clear()
            self.duration.setValue(0)
            for chooser in (self.presenter, self.objective, self.action):
                chooser.reset()
            select_row(self.view, self.model.rowCount() - 1)
            self.title_edit.setFocus()
        return ok

    def _edit(self, row, key, value) -> bool:
        if key == "duration_min" and isinstance(value, str):
            value = value.replace("min", "").strip()
        db, mid = self.editor.db, self.editor.meeting_id
        ok, _ = self.editor.save_row(
            row, key, value, lambda version: M.update_agenda_item(db, row.id, {key: value}, expected_version=version),
            lambda rid: _find(M.list_agenda(db, mid), rid), _getter(self.model, key),
            what=f"le point « {row.title[:60]} »")
        return ok

    def move(self, delta: int) -> None:
        row = self.current()
        if row is None:
            return
        ok, position = self.editor.attempt(M.move_agenda_item, self.editor.db, row.id, delta)
        if ok:
            select_row(self.view, position)

    def move_to(self, item_id: int, position: int) -> None:
        ok, position = self.editor.attempt(M.move_agenda_item_to, self.editor.db, item_id, position)
        if ok:
            select_row(self.view, position)

    def delete(self) -> None:
        row = self.current()
        if row is None or not self.editor.ctx.confirm(self, f"Supprimer le point « {row.title} » de l'ordre du jour ?"):
            return
        self.editor.attempt(M.delete_agenda_item, self.editor.db, row.id)


# --------------------------------------------------------------------------- attendance


class AttendanceTab(QWidget):
    def __init__(self, editor: QDialog):
        super().__init__(editor)
        self.editor = editor
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.all_present = QPushButton("Tous présents")
        self.all_present.setToolTip("Marque présentes toutes les personnes dont la présence n'est pas encore renseignée")
        self.add_guest_button = QPushButton("Ajouter un invité…")
        self.remove_button = QPushButton("Retirer l'invité")
        for b in (self.all_present, self.add_guest_button, self.remove_button):
            top.addWidget(b)
        top.addStretch(1)
        layout.addLayout(top)
        splitter = QSplitter(Qt.Horizontal)
        columns = [
            Column("Nom", "name", width=150),
            Column("Structure", "organisation", width=190),
            Column("Fonction", "function", width=140),
            Column("Présence", "status", width=100),
            Column("Représenté(e) par", "represented_by", width=140),
            Column("Invité(e)", "guest", check=True),
        ]
        editable = {3: ("status", lambda r: r.status.value), 4: ("represented_by_id", lambda r: r.represented_by_id)}
        self.model = EditableRowModel(columns, editable, self, on_edit=self._edit)
        self.view = make_view(self.model)
        self.view.setObjectName("attendance_view")
        self.view.setItemDelegateForColumn(3, ChoiceDelegate(lambda: E.AttendanceStatus.choices(), self.view))
        self.view.setItemDelegateForColumn(4, ChooserDelegate(
            lambda row: (self.editor.persons,
                         same_organisation_first(self.editor.persons, row.organisation_id if row else None)),
            self.view))
        splitter.addWidget(self.view)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        self.summary = QLabel()
        self.summary.setObjectName("attendance_summary")
        self.summary.setWordWrap(True)
        self.quorum = QLabel()
        self.quorum.setObjectName("quorum_label")
        self.quorum.setWordWrap(True)
        self.by_org = RowTableModel([Column("Structure", lambda r: r[0], width=150),
                                     Column("Invités", lambda r: r[1], align="right", width=55),
                                     Column("Participants", lambda r: r[2], align="right")], self)
        org_view = make_view(self.by_org)
        org_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        side_layout.addWidget(self.summary)
        side_layout.addWidget(self.quorum)
        side_layout.addWidget(QLabel("Par structure :"))
        side_layout.addWidget(org_view, 1)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([840, 350])  # both tables whole at the editor's width (3:1 cut the counts off)
        layout.addWidget(splitter, 1)
        self.all_present.clicked.connect(self.set_all_present)
        self.add_guest_button.clicked.connect(self.add_guest)
        self.remove_button.clicked.connect(self.remove)
        bind_list_keys(self.view, delete=self.remove, double_click=False)

    def reload(self) -> None:
        db, mid = self.editor.db, self.editor.meeting_id
        self.model.set_rows(M.list_attendance(db, mid))
        summary = M.attendance_summary(db, mid)
        order = (E.AttendanceStatus.PRESENT, E.AttendanceStatus.DISTANCE, E.AttendanceStatus.REPRESENTE,
                 E.AttendanceStatus.EXCUSE, E.AttendanceStatus.ABSENT, E.AttendanceStatus.INVITE)
        parts = [f"{s.label} : {summary.by_status[s]}" for s in order
                 if s is not E.AttendanceStatus.INVITE or summary.by_status[s]]
        self.summary.setText(" · ".join(parts)
                             + f"\n{plural(summary.attended, 'participant')} sur {plural(summary.invited, 'invité')}.")
        self.quorum.setText(summary.quorum_text)
        colour = "" if summary.quorum_reached is None else ("color:#1b5e20;" if summary.quorum_reached else "color:#b3261e;")
        self.quorum.setStyleSheet(colour + "font-weight:bold;" if colour else "")
        self.by_org.set_rows(list(summary.by_organisation))

    def _edit(self, row, key, value) -> bool:
        db, mid = self.editor.db, self.editor.meeting_id

        def attempt(save):
            return self.editor.save_row(row, key, value, save, lambda rid: _find(M.list_attendance(db, mid), rid),
                                        _getter(self.model, key), what=f"la présence de {row.name}")

        if key == "status":
            status = E.AttendanceStatus(value)
            representative = row.represented_by_id
            if status is E.AttendanceStatus.REPRESENTE and representative is None:
                representative = ask_person(self, self.editor.persons, f"{row.name} est représenté(e) par :",
                                            first=same_organisation_first(self.editor.persons, row.organisation_id))
                if representative is None:
                    return False
            ok, _ = attempt(lambda version: M.set_attendance(db, row.id, status.value, representative,
                                                             expected_version=version))
            return ok
        if value is None:
            status = E.AttendanceStatus.INVITE if row.status is E.AttendanceStatus.REPRESENTE else row.status
            ok, _ = attempt(lambda version: M.set_attendance(db, row.id, status.value, None, expected_version=version))
        else:
            ok, _ = attempt(lambda version: M.set_attendance(db, row.id, E.AttendanceStatus.REPRESENTE.value, value,
                                                             expected_version=version))
        return ok

    def set_all_present(self) -> None:
        self.editor.attempt(M.set_all_present, self.editor.db, self.editor.meeting_id)

    def add_guest(self) -> None:
        person = ask_person(self, self.editor.persons, "Inviter la personne :")
        if person is not None:
            self.editor.attempt(M.add_guest, self.editor.db, self.editor.meeting_id, person)

    def remove(self) -> None:
        row = self.model.row_at(self.view.currentIndex())
        if row is None or not self.editor.ctx.confirm(self, f"Retirer {row.name} des invités de cette réunion ?"):
            return
        self.editor.attempt(M.remove_invitee, self.editor.db, row.id)


# --------------------------------------------------------------------------- minutes (relevé)


class MinutesTab(QWidget):
    """Per agenda point: the discussion notes and the decisions (information / avis / décision)."""

    def __init__(self, editor: QDialog):
        super().__init__(editor)
        self.editor = editor
        layout = QHBoxLayout(self)
        splitter = QSplitter(Qt.Horizontal)
        self.items = RowTableModel([Column("N°", "number", width=36), Column("Point", "title")], self)
        self.items_view = make_view(self.items)
        self.items_view.setObjectName("minutes_items")
        self.items_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        splitter.addWidget(self.items_view)
        right = QWidget()
        rl = QVBoxLayout(right)
        self.item_title = QLabel()
        self.item_title.setStyleSheet("font-weight:bold;")
        rl.addWidget(self.item_title)
        notes_box = QGroupBox("Échanges")
        nl = QVBoxLayout(notes_box)
        self.discussion = QPlainTextEdit()
        self.discussion.setObjectName("discussion")
        self.discussion.setPlaceholderText("Ce qui a été dit sur ce point…")
        self.save_discussion = QPushButton("Enregistrer les échanges")
        nl.addWidget(self.discussion)
        nl.addWidget(self.save_discussion, 0, Qt.AlignRight)
        rl.addWidget(notes_box, 2)
        decisions_box = QGroupBox("Décisions et avis")
        dl = QVBoxLayout(decisions_box)
        self.decisions = RowTableModel([
            Column("Nature", "kind", width=90), Column("Avis", "opinion", width=90),
            Column("Action", "action_label", width=160), Column("Texte", "text"),
        ], self)
        self.decisions_view = make_view(self.decisions)
        self.decisions_view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        dl.addWidget(self.decisions_view, 1)
        form = QHBoxLayout()
        self.kind = QComboBox()
        for value, label in E.DecisionKind.choices():
            self.kind.addItem(label, value)
        self.kind.setCurrentIndex(self.kind.findData(E.DecisionKind.DECISION.value))
        self.opinion = QComboBox()
        self.opinion.addItem("Sans avis", None)
        for value, label in E.Opinion.choices():
            self.opinion.addItem(label, value)
        self.decision_action = Chooser(min_chars=24)
        self.decision_action.setObjectName("decision_action")
        self.decision_text = QLineEdit(placeholderText="Texte de la décision ou de l'avis")
        self.add_decision_button = QPushButton("Ajouter")
        self.delete_decision_button = QPushButton("Supprimer")
        for w, stretch in ((self.kind, 0), (self.opinion, 0), (self.decision_action, 1), (self.decision_text, 3),
                           (self.add_decision_button, 0), (self.delete_decision_button, 0)):
            form.addWidget(w, stretch)
        dl.addLayout(form)
        rl.addWidget(decisions_box, 3)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter)
        self._item_id: int | None = None
        self._item_row = None
        self._item_version: int | None = None
        self._saved_versions: dict[int, int] = {}
        self._all_decisions: list[M.DecisionRow] = []
        self.items_view.selectionModel().currentRowChanged.connect(self._item_changed)
        self.save_discussion.clicked.connect(self.save)
        self.add_decision_button.clicked.connect(self.add_decision)
        self.decision_text.returnPressed.connect(self.add_decision)
        self.delete_decision_button.clicked.connect(self.delete_decision)
        bind_list_keys(self.decisions_view, delete=self.delete_decision, double_click=False)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def load_choices(self) -> None:
        fill_combo(self.decision_action, self.editor.actions, empty="Action concernée (facultatif)")

    def _kind_changed(self) -> None:
        is_avis = self.kind.currentData() == E.DecisionKind.AVIS.value
        self.opinion.setEnabled(is_avis)
        if not is_avis:
            self.opinion.setCurrentIndex(0)

    def reload(self) -> None:
        keep = self._item_id
        self._saved_versions.clear()  # versions saved without a reload (switching points), now read again
        rows = M.list_agenda(self.editor.db, self.editor.meeting_id)
        self.items.set_rows(rows)
        self._all_decisions = M.list_decisions(self.editor.db, self.editor.meeting_id)
        number = self.items.find_id(keep) if keep is not None else 0
        if rows:
            select_row(self.items_view, max(number, 0))
        self._show_item()

    def _current_item(self):
        return self.items.row_at(self.items_view.currentIndex())

    def _item_changed(self, current=None, previous=None):
        if not self.save(quiet=True) and previous is not None and previous.isValid():
            # her « Échanges » were not saved: back to their point, as she typed them
            selection = self.items_view.selectionModel()
            selection.blockSignals(True)
            self.items_view.setCurrentIndex(previous)
            selection.select(previous, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
            selection.blockSignals(False)
            return
        self._show_item()

    def _show_item(self) -> None:
        row = self._current_item()
        self._item_id = row.id if row else None
        self._item_version = self._saved_versions.get(row.id, row.version) if row else None
        if row is None:
            self.item_title.setText("Décisions hors ordre du jour" if not self.items.rowCount() else "")
        else:
            self.item_title.setText(f"{row.number}. {row.title}")
        self.discussion.setEnabled(row is not None)
        self.save_discussion.setEnabled(row is not None)
        self._item_row = row
        self.discussion.setPlainText(row.discussion if row else "")
        self.discussion.document().setModified(False)
        self.decisions.set_rows([d for d in self._all_decisions if d.agenda_item_id == self._item_id])

    def has_unsaved(self) -> bool:
        return self._item_id is not None and self.discussion.document().isModified()

    def save(self, quiet: bool = False) -> bool:
        if self._item_id is None or (quiet and not self.discussion.document().isModified()):
            return True
        self.discussion.document().setModified(False)
        db, mid, item_id, text = self.editor.db, self.editor.meeting_id, self._item_id, self.discussion.toPlainText()
        row = dataclasses.replace(self._item_row, version=self._item_version)
        ok, version = self.editor.save_row(
            row, "discussion", text,
            lambda version: M.update_agenda_item(db, item_id, {"discussion": text}, expected_version=version),
            lambda rid: _find(M.list_agenda(db, mid), rid), lambda r: r.discussion,
            what=f"les échanges du point « {row.title[:60]} »", reload=not quiet)
        if not ok:
            self.discussion.document().setModified(True)
        else:
            self._saved_versions[self._item_id] = version
        return ok

    def add_decision(self) -> bool:
        ok, _ = self.editor.attempt(
            M.add_decision, self.editor.db, self.editor.meeting_id, self.decision_text.text(),
            kind=self.kind.currentData(), opinion=self.opinion.currentData(),
            action_id=self.decision_action.value(), agenda_item_id=self._item_id)
        if ok:  # the next one starts empty: never recorded as an avis, or on the previous action, by mistake
            self.decision_text.clear()
            self.decision_action.reset()
            self.opinion.setCurrentIndex(0)
            self.kind.setCurrentIndex(self.kind.findData(E.DecisionKind.DECISION.value))
        return ok

    def delete_decision(self) -> None:
        row = self.decisions.row_at(self.decisions_view.currentIndex())
        if row is None or not self.editor.ctx.confirm(self, "Supprimer cette décision ?"):
            return
        self.editor.attempt(M.delete_decision, self.editor.db, row.id)


# --------------------------------------------------------------------------- follow-up tasks


def task_columns(with_meeting: bool) -> list[Column]:
    columns = [Column("Réunion", "meeting_date", width=85)] if with_meeting else []
    return columns + [
        Column("Qui", "owner", width=200),
        Column("Quoi", "description", width=300),
        Column("Échéance", lambda r: r.due_date, width=85),
        Column("État", "status", width=90),
        Column("Fait le", "done_on", width=85),
        Column("En retard", lambda r: "en retard" if r.overdue else "", width=75),
        Column("Lien", lambda r: r.action_label or r.objective_label),
    ]


class TasksTab(QWidget):
    def __init__(self, editor: QDialog):
        super().__init__(editor)
        self.editor = editor
        layout = QVBoxLayout(self)
        form = QHBoxLayout()
        self.description = QLineEdit(placeholderText="Quoi : la tâche à faire")
        self.owner_person = Chooser()
        self.owner_person.setObjectName("task_person")
        self.owner_org = Chooser()
        self.owner_org.setObjectName("task_organisation")
        self.due = DateField(placeholder="Échéance", field="due_date")
        self.task_action = Chooser()
        self.task_action.setObjectName("task_action")
        self.add_button = QPushButton("Ajouter la tâche")
        for w, stretch in ((self.description, 3), (self.owner_person, 2), (self.owner_org, 2), (self.due, 0),
                           (self.task_action, 1), (self.add_button, 0)):
            form.addWidget(w, stretch)
        layout.addLayout(form)
        statuses = E.TaskStatus.choices
        layout.addWidget(QLabel("Tâches décidées lors de cette réunion :"))
        own_cols = task_columns(False)
        self.own = EditableRowModel(own_cols, {1: ("description", lambda r: r.description),
                                               2: ("due_date", lambda r: _date(r.due_date)),
                                               3: ("status", lambda r: r.status.value)},
                                    self, on_edit=self._edit, emphasis=lambda r: r.overdue)
        self.own_view = make_view(self.own)
        self.own_view.setObjectName("tasks_view")
        self.own_view.setItemDelegateForColumn(3, ChoiceDelegate(statuses, self.own_view))
        layout.addWidget(self.own_view, 1)
        row_buttons = QHBoxLayout()
        self.delete_button = QPushButton("Supprimer la tâche")
        row_buttons.addWidget(self.delete_button)
        row_buttons.addStretch(1)
        layout.addLayout(row_buttons)
        self.review_label = QLabel("Tâches encore ouvertes des réunions précédentes de l'instance (à revoir) :")
        layout.addWidget(self.review_label)
        self.review = EditableRowModel(task_columns(True), {2: ("description", lambda r: r.description),
                                                            3: ("due_date", lambda r: _date(r.due_date)),
                                                            4: ("status", lambda r: r.status.value)},
                                       self, on_edit=self._edit, emphasis=lambda r: r.overdue)
        self.review_view = make_view(self.review)
        self.review_view.setObjectName("review_view")
        self.review_view.setItemDelegateForColumn(4, ChoiceDelegate(statuses, self.review_view))
        layout.addWidget(self.review_view, 1)
        self.add_button.clicked.connect(self.add)
        self.description.returnPressed.connect(self.add)
        self.delete_button.clicked.connect(self.delete)
        bind_list_keys(self.own_view, delete=self.delete, double_click=False)

    def load_choices(self) -> None:
        fill_combo(self.owner_person, self.editor.persons, empty="Qui (personne)")
        fill_combo(self.owner_org, self.editor.organisations, empty="Qui (structure)")
        fill_combo(self.task_action, self.editor.actions, empty="Action liée")

    def reload(self) -> None:
        today = dt.date.today()
        self.own.set_rows(T.list_tasks(self.editor.db, self.editor.meeting_id, today=today))
        self.review.set_rows(T.open_tasks_before(self.editor.db, self.editor.meeting_id, today=today))
        late = sum(1 for r in self.review.rows if r.overdue)
        self.review_label.setText(
            "Tâches encore ouvertes des réunions précédentes de l'instance (à revoir)"
            + (f" — {late} en retard :" if late else " :"))

    def add(self) -> bool:
        ok, _ = self.editor.attempt(
            T.add_task, self.editor.db, self.editor.meeting_id, description=self.description.text(),
            owner_person_id=self.owner_person.value(), owner_organisation_id=self.owner_org.value(),
            due_date=self.due.text(), action_id=self.task_action.value())
        if ok:  # the next task starts empty: never silently given to the same person or action
            self.description.clear()
            self.due.clear()
            for chooser in (self.owner_person, self.owner_org, self.task_action):
                chooser.reset()
            self.description.setFocus()
        return ok

    def _edit(self, row, key, value) -> bool:
        db, mid = self.editor.db, self.editor.meeting_id

        def fetch(rid):
            today = dt.date.today()
            return _find(T.list_tasks(db, mid, today=today), rid) or _find(T.open_tasks_before(db, mid, today=today), rid)

        getter = {"description": lambda r: r.description, "due_date": lambda r: _date(r.due_date),
                  "status": lambda r: r.status.value}[key]
        ok, _ = self.editor.save_row(
            row, key, value, lambda version: T.update_task(db, row.id, {key: value}, expected_version=version),
            fetch, getter, what=f"la tâche « {row.description[:60]} »")
        return ok

    def delete(self) -> None:
        row = self.own.row_at(self.own_view.currentIndex())
        if row is None or not self.editor.ctx.confirm(self, f"Supprimer la tâche « {row.description[:80]} » ?"):
            return
        self.editor.attempt(T.delete_task, self.editor.db, row.id)
