"""Réunions: the meetings of every body, filtered by body, year and status.

« Nouvelle réunion » starts from a body (its members at that date are invited);
opening a meeting shows the meeting editor (a separate window, one per meeting).

Filters accepted by :meth:`MeetingsPage.apply_filters`: ``body_id``, ``year``,
``status`` (code), ``meeting_id`` (opens that meeting).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from ...domain import enums as E
from ...domain.text import plural
from ...services import meetings as M
from ...services.changes import Change
from ..dialogs.meeting_editor import MeetingEditor
from ..dialogs.meeting_new import NewMeetingDialog
from ..widgets.banner import banner
from ..widgets.tables import setup_table
from ..widgets.table_keys import bind_list_keys
from ..models.table import Column, RowTableModel
from .base import Page

COLUMNS = [
    Column("Date", "date", width=90),
    Column("Heure", lambda r: r.start_time.strftime("%H:%M") if r.start_time else "", width=55),
    Column("Instance", "body_name", width=170),
    Column("Titre", "title", width=260),
    Column("Statut", "status", width=140),
    Column("Lieu", "place", width=160),
    Column("Présents / invités", lambda r: f"{r.attended} / {r.invited}", align="center",
           tooltip=lambda r: "présents, à distance et représentés, sur le nombre d'invités"),
]


class MeetingsPage(Page):
    key = "meetings"
    title = "Réunions"
    icon = "SP_FileDialogContentsView"

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.editors: dict[int, MeetingEditor] = {}
        layout = QVBoxLayout(self)
        heading = self.heading("Réunions des instances")
        layout.addWidget(heading)
        bar = QHBoxLayout()
        self.body_filter = QComboBox()
        self.year_filter = QComboBox()
        self.status_filter = QComboBox()
        bar.addWidget(QLabel("Instance :"))
        bar.addWidget(self.body_filter)
        bar.addWidget(QLabel("Année :"))
        bar.addWidget(self.year_filter)
        bar.addWidget(QLabel("Statut :"))
        bar.addWidget(self.status_filter)
        self.overdue_filter = QCheckBox("Avec des suites en retard")
        self.overdue_filter.setToolTip("Seulement les réunions dont des suites à donner sont encore ouvertes après leur échéance")
        bar.addWidget(self.overdue_filter)
        bar.addStretch(1)
        self.new_button = QPushButton("Nouvelle réunion…")
        self.open_button = QPushButton("Ouvrir")
        self.delete_button = QPushButton("Supprimer")
        for b in (self.new_button, self.open_button, self.delete_button):
            bar.addWidget(b)
        layout.addLayout(bar)
        self.model = RowTableModel(COLUMNS, self, muted=lambda r: r.status is E.MeetingStatus.ANNULEE
                                   or bool(self.locked_reason(r)))
        self.view = QTableView()
        self.view.setObjectName("meetings_view")
        setup_table(self.view, self.model, name="meetings", sort=0, order=Qt.DescendingOrder)
        self.rights_note = banner("rightsNote")
        layout.addWidget(self.rights_note)
        layout.addWidget(self.view, 1)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        self.status_filter.addItem("Tous les statuts", None)
        for value, label in E.MeetingStatus.choices():
            self.status_filter.addItem(label, value)
        for combo in (self.body_filter, self.year_filter, self.status_filter):
            combo.currentIndexChanged.connect(self.reload)
        self.overdue_filter.toggled.connect(lambda _on: self.reload())
        self.new_button.clicked.connect(self.new_meeting)
        self.open_button.clicked.connect(self.open_current)
        self.delete_button.clicked.connect(self.delete_current)
        bind_list_keys(self.view, open=self.open_current, delete=self.delete_current,
                       delete_button=lambda: self.delete_button)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        ctx.data_changed.connect(self._data_changed)
        self._loading = False

    # ----------------------------------------------------------------- loading

    def refresh(self) -> None:
        db = self.ctx.db
        self._loading = True
        try:
            body, year = self.body_filter.currentData(), self.year_filter.currentData()
            self.body_filter.clear()
            self.year_filter.clear()
            self.body_filter.addItem("Toutes les instances", None)
            self.year_filter.addItem("Toutes les années", None)
            if db is not None:
                for b in M.bodies(db):
                    self.body_filter.addItem(b.label, b.id)
                for y in M.meeting_years(db):
                    self.year_filter.addItem(str(y), y)
            self.body_filter.setCurrentIndex(max(self.body_filter.findData(body), 0))
            self.year_filter.setCurrentIndex(max(self.year_filter.findData(year), 0))
        finally:
            self._loading = False
        self.reload()
        can_write = db is not None and not self.ctx.read_only
        self.new_button.setEnabled(can_write)

    def reload(self) -> None:
        if self._loading:
            return
        db = self.ctx.db
        if db is None:
            self.model.set_rows([])
            self.count_label.setText("Aucune base ouverte.")
            return
        current = self.current()
        rows = M.list_meetings(db, body_id=self.body_filter.currentData(), year=self.year_filter.currentData(),
                               status=self.status_filter.currentData(),
                               overdue_tasks_on=dt.date.today() if self.overdue_filter.isChecked() else None)
        self.model.set_rows(rows)
        self.count_label.setText(plural(len(rows), "réunion"))
        if current is not None and self.model.find_id(current.id) >= 0:
            self.view.selectRow(self.model.find_id(current.id))
        self._update_buttons()

    def _data_changed(self, what: str) -> None:
        if what in (Change.MEETINGS, Change.PARTNERS, Change.ALL, Change.REFERENTIAL) and self.isVisible():
            self.reload()

    def apply_filters(self, filters: dict) -> None:
        """Keys: ``body_id``, ``year``, ``status``, ``meeting_id`` (opens it) and
        ``tasks="overdue"`` (meetings with overdue follow-up tasks, whatever their year)."""
        overdue = filters.get("tasks") == "overdue"
        self.overdue_filter.setChecked(overdue)
        if overdue:
            filters = {k: v for k, v in filters.items() if k != "year"}
            self.year_filter.setCurrentIndex(0)
        for key, combo in (("body_id", self.body_filter), ("year", self.year_filter), ("status", self.status_filter)):
            if key in filters:
                combo.setCurrentIndex(max(combo.findData(filters[key]), 0))
        if filters.get("meeting_id"):
            self.open_meeting(int(filters["meeting_id"]))

    def current(self):
        return self.model.row_at(self.view.currentIndex())

    def locked_reason(self, row) -> str:
        """Why she may not change this meeting, for a référent(e) of another quartier ("" otherwise;
        a read-only base greys everything already)."""
        if row is None or self.ctx.read_only or self.ctx.rights is None or self.ctx.may_edit_quartier(row.quartier_id):
            return ""
        return self.ctx.quartier_reason(row.quartier_id)

    def _update_buttons(self, *_):
        row = self.current()
        selected = row is not None
        reason = self.locked_reason(row)
        self.open_button.setEnabled(selected)
        self.delete_button.setEnabled(selected and not self.ctx.read_only and not reason)
        self.delete_button.setToolTip(reason or self.ctx.read_only_reason)
        self.rights_note.setText(reason)
        self.rights_note.setVisible(bool(reason))

    # ----------------------------------------------------------------- actions

    def new_meeting(self) -> None:
        if self.ctx.db is None:
            return
        meeting_id = NewMeetingDialog.ask(self.ctx, self, M.bodies(self.ctx.db), self.body_filter.currentData())
        if meeting_id is None:
            return
        self.refresh()
        row = self.model.find_id(meeting_id)
        if row >= 0:
            self.view.selectRow(row)
        self.open_meeting(meeting_id)

    def open_current(self) -> None:
        row = self.current()
        if row is not None:
            self.open_meeting(row.id)

    def open_meeting(self, meeting_id: int) -> MeetingEditor | None:
        editor = self.editors.get(meeting_id)
        if editor is None or not editor.isVisible():
            ok, editor = self.ctx.attempt(self, MeetingEditor, self.ctx, meeting_id, self)
            if not ok:
                return None
            self.editors[meeting_id] = editor
            editor.finished.connect(lambda _result, mid=meeting_id: self.editors.pop(mid, None))
        editor.show()
        editor.raise_()
        editor.activateWindow()
        return editor

    def delete_current(self) -> None:
        row = self.current()
        if row is None:
            return
        if not self.ctx.confirm(self, f"Supprimer la réunion « {row.title} » du {row.date:%d/%m/%Y} avec son ordre du "
                                      "jour, ses présences et ses décisions ?\nLes tâches décidées sont conservées."):
            return
        editor = self.editors.pop(row.id, None)
        if editor is not None:
            editor.close()
        ok, _ = self.ctx.attempt(self, M.delete_meeting, self.ctx.db, row.id)
        if ok:
            self.refresh()

    def can_close(self) -> bool:
        for editor in list(self.editors.values()):
            if editor.isVisible() and not editor.close():
                return False
        return True
