"""Partenaires › Présences: who comes to the meetings, per organisation and per person.

The figures come from :func:`qpv_desk.services.attendance.attendance_report` (the rule
is written there): a period chosen by the user, one body or all, and the members who
missed the last N meetings shown in red so they can be called before the next COPIL.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ...domain.text import plural
from ...services import attendance as A
from ...services import meetings as M
from ..models.table import Column, RowTableModel
from ..widgets.date_field import DateField
from ..widgets.tables import setup_table

RELOAD_DELAY_MS = 300  # the report is computed once she pauses, not at every key or arrow click


def _rate(line: A.AttendanceLine) -> str:
    rate = line.counts.rate
    return "" if rate is None else f"{round(rate * 100)}\u00a0%"


def columns(kind: str) -> list[Column]:
    first = [Column("Structure", "name", width=220)] if kind == "organisations" else [
        Column("Personne", "name", width=170), Column("Structure", "organisation", width=170)]
    return first + [
        Column("Invit.", lambda r: r.counts.invited, align="right", width=50,
               tooltip=lambda r: "Invitations aux réunions tenues de la période"),
        Column("Prés.", lambda r: r.counts.present, align="right", width=50, tooltip=lambda r: "Présent(e)"),
        Column("Dist.", lambda r: r.counts.distance, align="right", width=50, tooltip=lambda r: "À distance"),
        Column("Repr.", lambda r: r.counts.represented, align="right", width=50, tooltip=lambda r: "Représenté(e)"),
        Column("Exc.", lambda r: r.counts.excused, align="right", width=50, tooltip=lambda r: "Excusé(e)"),
        Column("Abs.", lambda r: r.counts.absent + r.counts.unknown, align="right", width=50,
               tooltip=lambda r: "Absent(e) ou non renseigné"),
        Column("Taux", _rate, align="right", width=60,
               tooltip=lambda r: "Présences (sur place, à distance, représenté) / invitations"),
        Column("Manquées d'affilée", lambda r: r.missed_in_a_row, align="right", width=80,
               tooltip=lambda r: "Réunions manquées d'affilée jusqu'à la dernière"),
        Column("Dernière présence", "last_attended"),
    ]


def _table(model) -> QTableView:
    view = QTableView()
    setup_table(view, model, sort=-1, selection="extended", word_wrap=False, alternating=False)
    return view


class AttendanceTab(QWidget):
    def __init__(self, page):
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        today = dt.date.today()
        self.start = DateField(dt.date(today.year, 1, 1), field="start")
        self.start.setObjectName("attendance_start")
        self.end = DateField(dt.date(today.year, 12, 31), field="end")
        self.end.setObjectName("attendance_end")
        self.body = QComboBox()
        self.body.setObjectName("attendance_body")
        self.missed = QSpinBox(minimum=1, maximum=20, value=3)
        self.missed.setObjectName("attendance_missed")
        self.missed.setToolTip("Signaler en rouge qui a manqué les N dernières réunions auxquelles il était invité")
        bar = QHBoxLayout()
        for label, widget in (("Du", self.start), ("au", self.end), ("Instance :", self.body),
                              ("Signaler les absents aux", self.missed)):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addWidget(QLabel("dernières réunions"))
        bar.addStretch(1)
        self.summary = QLabel()
        self.summary.setObjectName("attendance_summary")
        self.summary.setWordWrap(True)
        org_columns, person_columns = columns("organisations"), columns("persons")
        self.org_model = RowTableModel(org_columns, self, emphasis=lambda r: r.flagged)
        self.person_model = RowTableModel(person_columns, self, emphasis=lambda r: r.flagged)
        self.org_view = _table(self.org_model)
        self.org_view.setObjectName("attendance_organisations")
        self.person_view = _table(self.person_model)
        self.person_view.setObjectName("attendance_persons")
        splitter = QSplitter(Qt.Vertical)
        for title, view in (("Par structure", self.org_view), ("Par personne", self.person_view)):
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addWidget(QLabel(f"<b>{title}</b>"))
            lay.addWidget(view, 1)
            splitter.addWidget(box)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        self._timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.start.dateChanged.connect(lambda _d: self.schedule())
        self.end.dateChanged.connect(lambda _d: self.schedule())
        self.body.currentIndexChanged.connect(lambda _i: self.schedule())
        self.missed.valueChanged.connect(lambda _v: self.schedule())
        self._loading = False
        self._asked = 0  # each report asked for; only the latest one's answer is shown
        self.computing = False  # a report is being computed in the background

    def load_bodies(self) -> None:
        self._loading = True
        try:
            keep = self.body.currentData()
            self.body.clear()
            self.body.addItem("Toutes les instances", None)
            if self.ctx.db is not None:
                for b in M.bodies(self.ctx.db):
                    self.body.addItem(b.label, b.id)
            self.body.setCurrentIndex(max(self.body.findData(keep), 0))
        finally:
            self._loading = False

    def schedule(self) -> None:
        """A filter changed: reload once the typing pauses (each key restarts the wait)."""
        if not self._loading:
            self._timer.start()

    def reload(self) -> None:
        """Compute the report for the filters shown, on the background executor (it reads
        every attendance of the period); only the answer to the latest filters is shown."""
        self._timer.stop()
        if self._loading or not hasattr(self, "org_model"):
            return
        self._asked += 1
        asked = self._asked
        self.computing = False
        if self.ctx.db is None:
            self.org_model.set_rows([])
            self.person_model.set_rows([])
            self.summary.setText("Aucune base ouverte.")
            return
        problem = self.start.error() or self.end.error()
        if problem:
            self.summary.setText(problem)
            return
        self.computing = True
        self.ctx.run_in_background(self, "Calcul des présences…", A.attendance_report, self.ctx.db,
                                   start=self.start.value(), end=self.end.value(), body_id=self.body.currentData(),
                                   missed=self.missed.value(), quiet=True,
                                   on_done=lambda report: self._show(asked, report),
                                   on_error=lambda exc: self._failed(asked, exc))

    def _failed(self, asked: int, exc: BaseException) -> None:
        if asked == self._asked and isValid(self):
            self.computing = False
            self.ctx.report(self, exc)

    def _show(self, asked: int, report) -> None:
        if asked != self._asked or not isValid(self):
            return  # the filters changed meanwhile (their own answer follows), or the page is gone
        self.computing = False
        self.org_model.set_rows(list(report.organisations))
        self.person_model.set_rows(list(report.persons))
        flagged = sum(1 for line in report.persons if line.flagged)
        where = report.body_label or "toutes instances"
        last = ("à la dernière réunion à laquelle" if report.missed == 1 else
                f"aux {report.missed} dernières réunions auxquelles")
        self.summary.setText(
            f"{plural(report.meetings, 'réunion tenue', 'réunions tenues')} sur la période ({where}). "
            + (f"1 personne en rouge : absente {last} elle était invitée." if flagged == 1 else
               f"{flagged} personnes en rouge : absentes {last} elles étaient invitées." if flagged else
               "Personne n'a manqué les dernières réunions."))
