"""Tableau de bord: next meetings, overdue tasks, the year's actions and money, gaps.

Every tile is clickable and asks the main window (``ctx.navigate``) for the matching
filtered screen:

- « Prochaines réunions » → ``("meetings", {"year": y})``; one meeting →
  ``("meetings", {"year": its year, "meeting_id": id})``;
- « Suites à donner en retard » → ``("meetings", {"year": y, "tasks": "overdue"})``; one
  task → ``("meetings", {"year": y, "meeting_id": the meeting it was born in})``;
- « Actions par statut » → ``("programme", {"year": y})``; a status group line →
  ``("programme", {"year": y, "group": code})``;
- « Montants par financeur » → ``("programme", {"year": y})``;
- « Montants par enjeu » and « Objectifs sans action » → ``("followup", {"year": y})``;
  an uncovered objective → ``("followup", {"year": y, "objective_id": id})``.

``apply_filters`` keys: ``year``.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...domain import enums as E
from ...domain.text import plural
from ...services import dashboard as B
from ...services.contract import programme_years
from ..widgets import BarChart, BarGroup
from .base import Page


class Tile(QFrame):
    """A framed block with a title; a click anywhere on it emits ``clicked``.

    Signals:
        clicked(): the user clicked the tile (not one of its buttons).
    """

    clicked = Signal()

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.StyledPanel)
        self.setCursor(Qt.PointingHandCursor)
        self.setToolTip("Cliquer pour ouvrir l'écran correspondant, filtré")
        self.body = QVBoxLayout(self)
        self.title_label = QLabel(f"<b>{title}</b>")
        self.title_label.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)  # the title stays on top
        self.body.addWidget(self.title_label)

    def set_title(self, text: str) -> None:
        self.title_label.setText(f"<b>{text}</b>")

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)


def _clear(layout) -> None:
    while layout.count() > 1:  # keep the title
        item = layout.takeAt(1)
        if item.widget() is not None:
            item.widget().deleteLater()


class _LinkButton(QPushButton):
    """A flat, left-aligned link whose text is elided to the tile's width (full text in the tooltip)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.full_text = text
        self.setFlat(True)
        self.setCursor(Qt.PointingHandCursor)
        self.setStyleSheet("text-align: left; padding: 1px 4px;")
        self.setToolTip(text)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        self.setMinimumWidth(80)

    def text_shown(self) -> str:
        return super().text()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        width = max(20, self.width() - 12)
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.ElideRight, width))

    def text(self) -> str:  # noqa: D401 - the whole text, whatever is shown
        return self.full_text


def _link_button(text: str) -> QPushButton:
    return _LinkButton(text)


class DashboardPage(Page):
    key = "dashboard"
    title = "Tableau de bord"
    icon = "SP_ComputerIcon"

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.data: B.Dashboard | None = None
        outer = QVBoxLayout(self)
        outer.addWidget(self.heading("Tableau de bord"))
        bar = QHBoxLayout()
        outer.addLayout(bar)
        bar.addWidget(QLabel("Année de programmation :"))
        self.year = QComboBox()
        bar.addWidget(self.year)
        bar.addStretch(1)
        self.refresh_button = QPushButton("Actualiser")
        bar.addWidget(self.refresh_button)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.NoFrame)
        outer.addWidget(scroll, 1)
        inner = QWidget()
        scroll.setWidget(inner)
        grid = QGridLayout(inner)
        self.meetings_tile = Tile("Prochaines réunions")
        self.tasks_tile = Tile("Suites à donner en retard")
        self.status_tile = Tile("Actions de l'année par statut")
        self.uncovered_tile = Tile("Objectifs sans action cette année")
        self.funder_tile = Tile("Montants par financeur (k€)")
        self.enjeu_tile = Tile("Montants par enjeu (k€)")
        self.funder_chart = BarChart(series=("Demandé", "Accordé"), unit="k€")
        self.enjeu_chart = BarChart(series=("Demandé", "Accordé"), unit="k€")
        for chart in (self.funder_chart, self.enjeu_chart):
            chart.setAttribute(Qt.WA_TransparentForMouseEvents)  # the click goes to the tile
            chart.set_empty_text("Aucun montant cette année.")
        self.funder_tile.body.addWidget(self.funder_chart, 1)
        self.enjeu_tile.body.addWidget(self.enjeu_chart, 1)
        grid.addWidget(self.meetings_tile, 0, 0)
        grid.addWidget(self.tasks_tile, 0, 1)
        grid.addWidget(self.status_tile, 1, 0)
        grid.addWidget(self.uncovered_tile, 1, 1)
        grid.addWidget(self.funder_tile, 2, 0)
        grid.addWidget(self.enjeu_tile, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2, 1)
        for chart in (self.funder_chart, self.enjeu_chart):
            chart.setMinimumHeight(230)
        self.meetings_tile.clicked.connect(lambda: self.go("meetings", {}))
        self.tasks_tile.clicked.connect(lambda: self.go("meetings", {"tasks": "overdue"}))
        self.status_tile.clicked.connect(lambda: self.go("programme", {}))
        self.funder_tile.clicked.connect(lambda: self.go("programme", {}))
        self.enjeu_tile.clicked.connect(lambda: self.go("followup", {}))
        self.uncovered_tile.clicked.connect(lambda: self.go("followup", {}))
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.refresh_button.clicked.connect(self.refresh)

    # ----------------------------------------------------------------- navigation

    def current_year(self) -> int:
        return self.year.currentData() or dt.date.today().year

    def go(self, page_key: str, filters: dict) -> None:
        self.ctx.navigate.emit(page_key, {"year": self.current_year(), **filters})

    def apply_filters(self, filters: dict) -> None:
        if "year" in filters and self.ctx.db is not None:
            if self.year.count() == 0:
                self._fill_years()
            index = self.year.findData(filters["year"])
            if index >= 0:
                self.year.setCurrentIndex(index)

    # ----------------------------------------------------------------- loading

    def _fill_years(self) -> None:
        self.year.blockSignals(True)
        keep = self.year.currentData()
        self.year.clear()
        years = programme_years(self.ctx.db)
        for y in years:
            self.year.addItem(str(y), y)
        this_year = dt.date.today().year
        wanted = keep or (this_year if this_year in years else (years[-1] if years else None))
        self.year.setCurrentIndex(max(0, self.year.findData(wanted)))
        self.year.blockSignals(False)

    def refresh(self) -> None:
        if self.ctx.db is None:
            self.data = None
            return
        self._fill_years()
        self.reload()

    def reload(self) -> None:
        if self.ctx.db is None:
            return
        ok, data = self.ctx.attempt(self, B.dashboard, self.ctx.db, self.current_year())
        if not ok:
            return
        self.data = data
        self._show_meetings(data)
        self._show_tasks(data)
        self._show_status(data)
        self._show_uncovered(data)
        self.funder_chart.set_groups([BarGroup(b.label, (b.requested_cents / 100_000, b.granted_cents / 100_000))
                                      for b in data.by_funder])
        self.enjeu_chart.set_groups([BarGroup(f"Enjeu {b.label}", (b.requested_cents / 100_000,
                                                                     b.granted_cents / 100_000))
                                     for b in data.by_enjeu])

    def _show_meetings(self, data: B.Dashboard) -> None:
        body = self.meetings_tile.body
        _clear(body)
        if not data.next_meetings:
            body.addWidget(QLabel("Aucune réunion prévue."))
        self.meeting_buttons: list[QPushButton] = []
        for m in data.next_meetings:
            when = m.date.strftime("%d/%m/%Y") + (f" à {m.start_time:%H:%M}" if m.start_time else "")
            button = _link_button(f"{when} — {m.body_name} : {m.title}" + (f" ({m.place})" if m.place else ""))
            button.clicked.connect(lambda _c=False, mid=m.id, y=m.date.year:
                                   self.ctx.navigate.emit("meetings", {"year": y, "meeting_id": mid}))
            body.addWidget(button)
            self.meeting_buttons.append(button)
        body.addStretch(1)

    def _show_tasks(self, data: B.Dashboard) -> None:
        body = self.tasks_tile.body
        _clear(body)
        self.tasks_tile.set_title(f"Suites à donner en retard ({data.overdue_tasks_total})")
        if not data.overdue_tasks:
            body.addWidget(QLabel("Aucune suite en retard."))
        self.task_buttons: list[QPushButton] = []
        for t in data.overdue_tasks:
            button = _link_button(f"{t.due_date:%d/%m/%Y} (+{t.days_late} j) — {t.description}"
                                  + (f" — {t.owner}" if t.owner else ""))
            button.setStyleSheet(button.styleSheet() + " color: #b3261e;")
            button.setToolTip("Ouvrir la réunion où cette suite a été décidée")
            if t.meeting_id is not None:
                button.clicked.connect(lambda _c=False, mid=t.meeting_id:
                                       self.go("meetings", {"meeting_id": mid}))
            else:
                button.setEnabled(False)
            body.addWidget(button)
            self.task_buttons.append(button)
        if data.overdue_tasks_total > len(data.overdue_tasks):
            body.addWidget(QLabel(f"… et {plural(data.overdue_tasks_total - len(data.overdue_tasks), 'autre')}."))
        body.addStretch(1)

    def _show_status(self, data: B.Dashboard) -> None:
        body = self.status_tile.body
        _clear(body)
        self.status_tile.set_title(f"Actions {data.year} par statut ({data.actions_total})")
        self.group_buttons: dict[E.StatusGroup, QPushButton] = {}
        for group in E.StatusGroup:
            n = data.actions_by_group.get(group, 0)
            button = _link_button(f"{group.label} : {n}")
            button.clicked.connect(lambda _c=False, g=group: self.go("programme", {"group": g.value}))
            body.addWidget(button)
            self.group_buttons[group] = button
        body.addStretch(1)

    def _show_uncovered(self, data: B.Dashboard) -> None:
        body = self.uncovered_tile.body
        _clear(body)
        self.uncovered_tile.set_title(f"Objectifs sans action en {data.year} ({data.uncovered_total})")
        self.uncovered_buttons: list[QPushButton] = []
        if not data.uncovered:
            body.addWidget(QLabel("Chaque objectif a au moins une action."))
        for o in data.uncovered[:12]:
            button = _link_button(f"{o.level_name} {o.code} – {o.title}")
            button.setStyleSheet(button.styleSheet() + " color: #b3261e;")
            button.clicked.connect(lambda _c=False, oid=o.objective_id: self.go("followup", {"objective_id": oid}))
            body.addWidget(button)
            self.uncovered_buttons.append(button)
        if len(data.uncovered) > 12:
            body.addWidget(QLabel(f"… et {plural(len(data.uncovered) - 12, 'autre branche', 'autres branches')}."))
        body.addStretch(1)
