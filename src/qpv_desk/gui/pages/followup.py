"""Suivi des objectifs: the objective tree with what is funded, done, late or missing.

The figures come from :func:`qpv_desk.services.followup.objective_tree_summary` (the rules
are in :mod:`qpv_desk.domain.aggregation`, shown by the « Règle de calcul » button).
Uncovered objectives are shown in red and bold, overdue bilans in orange and bold.
Selecting an objective lists its actions, and the GT decisions and follow-up tasks
linked to it; double-clicking an action opens its fiche.

``apply_filters`` keys: ``year`` (int, or ``None`` for the whole contract),
``quartier_id`` (``None``: all), ``objective_id`` (selected and scrolled to).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
)

from ...domain.aggregation import RULE_TEXT
from ...domain.text import plural
from ...services import followup as F
from ...services import portrait
from ...services import programme as P
from ..dialogs.action_editor import ActionEditor
from ..models import Column, RowTableModel
from ..models.followup import (
    SummaryTreeModel,
    _money,
    percent,
)
from ..widgets.tables import remember_layout, setup_table
from .base import Page

ACTION_COLUMNS = [
    Column("Année", "year", width=50),
    Column("Code", "code", width=80),
    Column("Intitulé", "title", width=230),
    Column("Porteur", "holder_name", width=160),
    Column("Lien", "is_principal", display=lambda p: "principal" if p else "secondaire", width=80),
    Column("Objectif principal", "principal_objective_code", width=70),
    Column("Statut", "status", width=130),
    Column("Demandé", "requested_cents", display=_money, align="right", width=100),
    Column("Accordé", "granted_cents", display=_money, align="right", width=100),
    Column("Avancement", "progress", display=percent, align="right", width=80),
    Column("Bilan attendu", "review_due", width=90),
    Column("Bilan reçu", "review_received", width=90),
    Column("En retard", "review_overdue", display=lambda v: "EN RETARD" if v else "", width=80),
]
DECISION_COLUMNS = [
    Column("Date", "meeting_date", width=90),
    Column("Instance", "body_name", width=150),
    Column("Nature", "kind", width=90),
    Column("Action", "action_code", width=80),
    Column("Avis", "opinion", width=90),
    Column("Décision", "text"),
]
TASK_COLUMNS = [
    Column("Échéance", "due_date", width=90),
    Column("Suite à donner", "description", width=300),
    Column("Responsable", "owner", width=200),
    Column("État", "status", width=90),
    Column("Réunion", "meeting_date", width=90),
    Column("En retard", "overdue", display=lambda v: "EN RETARD" if v else "", width=80),
]


LAYOUT_NAME = "followup_tree"  # was « followup_objectives », whose saved counts were all 95 px wide
OBJECTIVE_SHARE = 0.45  # the Objectif column is never narrower than this share of the list


def _table(model) -> QTableView:
    view = QTableView()
    setup_table(view, model, sort=0, order=Qt.DescendingOrder, alternating=False, selection="extended")
    return view


class FollowupPage(Page):
    key = "followup"
    title = "Suivi des objectifs"
    icon = "SP_FileDialogListView"

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self._loading = False
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading("Suivi des objectifs"))
        bar = QHBoxLayout()
        layout.addLayout(bar)
        bar.addWidget(QLabel("Période :"))
        self.year = QComboBox()
        bar.addWidget(self.year)
        self.quartier_label = QLabel("Quartier :")
        self.quartier = QComboBox()
        bar.addWidget(self.quartier_label)
        bar.addWidget(self.quartier)
        self.legend = QLabel(
            "<span style='color:#b3261e; font-weight:bold'>Objectif sans action</span> — "
            "<span style='color:#c55a00; font-weight:bold'>Bilans en retard</span>")
        bar.addWidget(self.legend)
        bar.addStretch(1)
        self.expand_button = QPushButton("Tout déplier")
        self.help_button = QPushButton("Règle de calcul")
        self.help_button.setCheckable(True)
        bar.addWidget(self.expand_button)
        bar.addWidget(self.help_button)
        self.help_label = QLabel(RULE_TEXT)
        self.help_label.setObjectName("aggregationRule")
        self.help_label.setWordWrap(True)
        self.help_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.help_label.setStyleSheet("background: palette(alternate-base); padding: 6px;")
        self.help_label.hide()
        layout.addWidget(self.help_label)
        splitter = QSplitter(Qt.Vertical)
        layout.addWidget(splitter, 1)
        self.model = SummaryTreeModel(self)
        self.tree = QTreeView()
        header = setup_table(self.tree, self.model, stretch=None)
        self.tree.setColumnWidth(0, 380)
        self._fitting = False
        # her widths (saved once she resized a column) are kept; otherwise the counts are
        # sized to their figures at the first load
        self._counts_sized = remember_layout(self.tree, LAYOUT_NAME)
        header.sectionResized.connect(self._section_resized)
        self.tree.viewport().installEventFilter(self)  # the page resized: the Objectif column follows
        splitter.addWidget(self.tree)
        self.detail_tabs = QTabWidget()
        self.actions_model = RowTableModel(ACTION_COLUMNS, self)
        self.decisions_model = RowTableModel(DECISION_COLUMNS, self)
        self.tasks_model = RowTableModel(TASK_COLUMNS, self)
        self.actions_view = _table(self.actions_model)
        self.actions_view.doubleClicked.connect(self._open_action)
        self.detail_tabs.addTab(self.actions_view, "Actions")
        self.detail_tabs.addTab(_table(self.decisions_model), "Décisions et avis")
        self.detail_tabs.addTab(_table(self.tasks_model), "Suites à donner")
        self.detail_title = QLabel()
        self.detail_title.setWordWrap(True)
        lower = QSplitter(Qt.Vertical)
        lower.addWidget(self.detail_title)
        lower.addWidget(self.detail_tabs)
        splitter.addWidget(lower)
        splitter.setSizes([500, 250])
        self.year.currentIndexChanged.connect(lambda _i: None if self._loading else self.reload())
        self.quartier.currentIndexChanged.connect(lambda _i: None if self._loading else self.reload())
        self.expand_button.clicked.connect(self.tree.expandAll)
        self.help_button.toggled.connect(self.help_label.setVisible)
        self.tree.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_detail(cur))

    # ----------------------------------------------------------------- loading

    def current_year(self) -> int | None:
        return self.year.currentData()

    def _fill_years(self) -> None:
        self._loading = True
        try:
            keep = self.year.currentData() if self.year.count() else "unset"
            self.year.clear()
            years = P.programme_years(self.ctx.db)
            for y in years:
                self.year.addItem(str(y), y)
            self.year.addItem("Tout le contrat", None)
            this_year = dt.date.today().year
            wanted = keep if keep != "unset" else (this_year if this_year in years else (years[-1] if years else None))
            self.year.setCurrentIndex(max(0, self.year.findData(wanted)))
            keep_q = self.quartier.currentData()
            self.quartier.clear()
            self.quartier.addItem("Tous les quartiers", None)
            quartiers = portrait.quartiers(self.ctx.db)
            for q in quartiers:
                self.quartier.addItem(f"{q.code} – {q.name}", q.id)
            self.quartier.setCurrentIndex(max(0, self.quartier.findData(keep_q)))
            self.quartier.setVisible(len(quartiers) > 1)
            self.quartier_label.setVisible(len(quartiers) > 1)
        finally:
            self._loading = False

    def refresh(self) -> None:
        if self.ctx.db is None:
            self.model.set_summaries(())
            for m in (self.actions_model, self.decisions_model, self.tasks_model):
                m.set_rows(())
            return
        self._fill_years()
        self.reload()

    def reload(self) -> None:
        if self.ctx.db is None:
            return
        current = self.model.item(self.tree.currentIndex())
        ok, items = self.ctx.attempt(self, F.objective_tree_summary, self.ctx.db, self.current_year(),
                                     self.quartier.currentData())
        if not ok:
            return
        self.model.set_summaries(items)
        self.tree.expandToDepth(0)  # enjeux open: their orientations are visible
        self._size_count_columns()
        if current is not None:
            self.select_objective(current.objective_id)
        else:
            self._show_detail(QModelIndex())

    # ----------------------------------------------------------------- column widths

    def _size_count_columns(self) -> None:
        """The counts and amounts as wide as their figures (at the first load, unless her own
        widths were remembered; later only widened, so that no amount is ever cut)."""
        header = self.tree.header()
        for i in range(1, header.count()):
            needed = max(self.tree.sizeHintForColumn(i), header.min_width(i))
            if not self._counts_sized or header.sectionSize(i) < needed:
                header.resizeSection(i, needed)
        self._counts_sized = True
        self._fit_objective_column()

    def _fit_objective_column(self) -> None:
        """The Objectif column takes the room the counts leave, and never less than
        :data:`OBJECTIVE_SHARE` of the list (the counts then scroll sideways)."""
        header = self.tree.header()
        room = self.tree.viewport().width()
        if self._fitting or room <= 0 or header.count() == 0:
            return
        others = sum(header.sectionSize(i) for i in range(1, header.count()) if not header.isSectionHidden(i))
        width = max(room - others, round(room * OBJECTIVE_SHARE), header.min_width(0))
        if header.sectionSize(0) != width:
            self._fitting = True
            try:
                header.resizeSection(0, width)
            finally:
                self._fitting = False

    def _section_resized(self, logical: int, _old: int, _new: int) -> None:
        if logical != 0:  # a count widened or narrowed: the Objectif column takes or gives the room
            self._fit_objective_column()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if watched is self.tree.viewport() and event.type() == QEvent.Resize:
            self._fit_objective_column()
        return super().eventFilter(watched, event)

    def select_objective(self, objective_id: int) -> None:
        index = self.model.index_of_id(objective_id)
        if index.isValid():
            if self.tree.currentIndex() == index:
                self._show_detail(index)
            else:
                self.tree.setCurrentIndex(index)  # currentRowChanged shows the detail
            self.tree.scrollTo(index)

    def apply_filters(self, filters: dict) -> None:
        if self.ctx.db is None:
            return
        if self.year.count() == 0:
            self._fill_years()
        if "year" in filters:
            self._loading = True
            index = self.year.findData(filters["year"])
            if index < 0 and filters["year"] is not None:
                self.year.addItem(str(filters["year"]), filters["year"])
                index = self.year.count() - 1
            self.year.setCurrentIndex(max(0, index))
            self._loading = False
        if "quartier_id" in filters:
            self._loading = True
            self.quartier.setCurrentIndex(max(0, self.quartier.findData(filters["quartier_id"])))
            self._loading = False
        self.reload()
        if filters.get("objective_id") is not None:
            self.select_objective(int(filters["objective_id"]))

    # ----------------------------------------------------------------- detail

    def _show_detail(self, index: QModelIndex) -> None:
        item = self.model.item(index)
        if item is None or self.ctx.db is None:
            self.detail_title.setText("Sélectionnez un objectif pour voir ses actions, décisions et suites à donner.")
            for m in (self.actions_model, self.decisions_model, self.tasks_model):
                m.set_rows(())
            return
        ok, detail = self.ctx.attempt(self, F.objective_detail, self.ctx.db, item.objective_id, self.current_year(),
                                      quartier_id=self.quartier.currentData())
        if not ok:
            return
        self.detail_title.setText(f"<b>{item.level_name} {item.code}</b> – {item.title} : "
                                  f"{plural(len(detail.actions), 'action')}, "
                                  f"{plural(len(detail.decisions), 'décision')} ou avis, "
                                  f"{plural(len(detail.tasks), 'suite')} à donner.")
        self.actions_model.set_rows(detail.actions)
        self.decisions_model.set_rows(detail.decisions)
        self.tasks_model.set_rows(detail.tasks)
        secondary = sum(1 for a in detail.actions if not a.is_principal)
        self.detail_tabs.setTabText(0, f"Actions ({len(detail.actions)}, dont {secondary} en lien secondaire)"
                                    if secondary else f"Actions ({len(detail.actions)})")
        self.detail_tabs.setTabText(1, f"Décisions et avis ({len(detail.decisions)})")
        self.detail_tabs.setTabText(2, f"Suites à donner ({len(detail.tasks)})")

    def _open_action(self, index: QModelIndex) -> None:
        row = self.actions_model.row_at(index)
        if row is not None:
            ActionEditor.run(self.ctx, self, action_id=row.id)
            self.reload()
