"""Programmation: the actions of a year, filtered, with the totals of what is shown.

The combos (year, status, objective, holder, funder) reload the rows through
:func:`qpv_desk.services.programme.list_actions` (a constant number of statements);
the search field filters the loaded rows in memory with the service's own
:func:`row_matches` (same rule as the service's ``search``), so a keystroke never waits
for the database. Double-click opens the fiche action.

``apply_filters`` keys: ``year`` (int), ``status`` (status code), ``group`` (status
group code), ``objective_id``, ``holder_id``, ``funder_id``, ``quartier_id``, ``search``.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from ...domain import enums as E
from ...domain.text import euros, plural
from ...services import partners, portrait
from ...services import programme as P
from ..dialogs.action_editor import ActionEditor
from ..dialogs.base import make_searchable
from ..models import Column, RowTableModel
from ..models.programme import ProgrammeTableModel
from ..widgets import SearchLineEdit
from ..widgets.banner import banner
from ..widgets.tables import setup_table
from .base import Page

log = logging.getLogger("qpv_desk.gui")

MAX_FUNDER_COLUMNS = 6


def _money(cents) -> str:
    return euros(cents, whole=cents == 0)  # a zero without its cents: « 0 € »


def _funder_cell(row: P.ActionRow, fid: int) -> str:
    a = row.funding.get(fid)
    if a is None:
        return ""
    granted = "—" if a.granted_cents is None else euros(a.granted_cents)
    return f"{euros(a.requested_cents)} / {granted}"


def base_columns() -> list[Column]:
    return [
        Column("Code", "code", width=80),
        Column("Porteur", "holder_name", width=170),
        Column("Intitulé", "title", width=260),
        Column("Objectif", "principal_objective_code", width=70),
        Column("Statut", "status", width=130),
        Column("Coût total", "total_cost_cents", display=_money, align="right", width=100),
    ]


def tail_columns() -> list[Column]:
    return [
        Column("Total demandé", "requested_cents", display=_money, align="right", width=105),
        Column("Total accordé", "granted_cents", display=_money, align="right", width=105),
        Column("Bénéf. prévus", "beneficiaries_planned", align="right", width=80),
        Column("Bénéf. touchés", "beneficiaries_reached", align="right", width=80),
    ]


@dataclass(frozen=True)
class FunderColumn(Column):
    """One funder: shows « demandé / accordé », sorts by the amount requested."""

    funder_id: int = 0

    def get(self, row):
        return row.amounts(self.funder_id).requested_cents or None

    def text(self, row) -> str:
        return _funder_cell(row, self.funder_id)


def funder_column(f: P.FunderRow) -> FunderColumn:
    return FunderColumn(f"{f.name}\n(demandé / accordé)", "", align="right", width=175, sort_key=f"funder_{f.id}",
                        funder_id=f.id)


class ProgrammePage(Page):
    key = "programme"
    title = "Programmation"
    icon = "SP_FileDialogDetailedView"

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self._all: tuple[P.ActionRow, ...] = ()
        self._funders: tuple[P.FunderRow, ...] = ()
        self._shown_funders: list[P.FunderRow] = []
        self._search = ""
        self._narrowable = False
        self._loading = False
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading("Programmation"))
        bar = QHBoxLayout()
        layout.addLayout(bar)
        self.year = QComboBox()
        self.status = QComboBox()
        self.objective = QComboBox()
        self.objective.setMinimumContentsLength(28)
        self.objective.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.holder = QComboBox()
        make_searchable(self.holder)
        self.holder.setMinimumContentsLength(18)
        self.funder = QComboBox()
        self.quartier = QComboBox()
        self.quartier.setMinimumContentsLength(16)
        self.quartier.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.search = SearchLineEdit(placeholder="Rechercher (code, intitulé, porteur, n° de dossier)…")
        self.quartier_label = QLabel("Quartier :")
        for label, widget in (("Année", self.year), ("Statut", self.status), ("Objectif", self.objective),
                              ("Porteur", self.holder), ("Financeur", self.funder)):
            bar.addWidget(QLabel(label + " :"))
            bar.addWidget(widget)
        bar.addStretch(1)
        row2 = QHBoxLayout()
        layout.addLayout(row2)
        # the quartier filter (a server shared by several quartiers) on the second line: on the first
        # one it squeezed the statut, financeur and quartier lists to « Tous les » at 1366 px
        row2.addWidget(self.quartier_label)
        row2.addWidget(self.quartier)
        row2.addWidget(self.search, 1)
        self.new_button = QPushButton("Nouvelle action…")
        self.open_button = QPushButton("Ouvrir la fiche…")
        self.renew_button = QPushButton("Reconduire en N+1")
        self.reset_button = QPushButton("Effacer les filtres")
        self.share_button = QPushButton("Plafond par financeur…")
        self.share_button.setToolTip("Part maximale du coût total qu'un seul financeur peut financer "
                                     "(au-delà, la fiche action affiche un avertissement)")
        for b in (self.new_button, self.open_button, self.renew_button, self.reset_button, self.share_button):
            row2.addWidget(b)
        self.model = self._new_model()
        self.view = QTableView()
        self.header = setup_table(self.view, self.model, sort=0, order=Qt.DescendingOrder, stretch=None,
                                  word_wrap=False, row_height=self.view.fontMetrics().height() + 8,
                                  open=self.open_selected, delete=self.delete_selected)
        self.view.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.rights_note = banner("rightsNote")
        layout.addWidget(self.rights_note)
        layout.addWidget(self.view, 1)
        self.footer = QLabel()
        self.footer.setObjectName("programmeTotals")
        self.footer.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.footer.setWordWrap(True)
        layout.addWidget(self.footer)
        for combo in (self.year, self.status, self.objective, self.holder, self.funder, self.quartier):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.search.search_changed.connect(self.set_search)
        self.new_button.clicked.connect(self.new_action)
        self.open_button.clicked.connect(self.open_selected)
        self.renew_button.clicked.connect(self.renew_selected)
        self.reset_button.clicked.connect(self.reset_filters)
        self.share_button.clicked.connect(self.edit_max_share)

    # ----------------------------------------------------------------- filters

    def _fill_combos(self) -> None:
        db = self.ctx.db
        self._loading = True
        try:
            keep = {c: c.currentData() for c in (self.year, self.status, self.objective, self.holder, self.funder,
                                                 self.quartier)}
            for c in keep:
                c.clear()
            years = P.programme_years(db)
            for y in years:
                self.year.addItem(str(y), y)
            this_year = dt.date.today().year
            wanted = keep[self.year] or (this_year if this_year in years else (years[-1] if years else None))
            self.year.setCurrentIndex(max(0, self.year.findData(wanted)))
            self.status.addItem("Tous les statuts", None)
            for g in E.StatusGroup:
                self.status.addItem(f"Groupe : {g.label}", f"group:{g.value}")
            for s in E.ActionStatus:
                self.status.addItem(s.label, f"status:{s.value}")
            self.objective.addItem("Tous les objectifs", None)
            for o in P.objective_choices(db):
                self.objective.addItem("    " * (o.depth - 1) + o.label, o.id)
                self.objective.setItemData(self.objective.count() - 1, o.label, Qt.ToolTipRole)
            self.holder.addItem("Tous les porteurs", None)
            for o in partners.organisation_choices(db, include_inactive=True):
                self.holder.addItem(o.name, o.id)
            self.funder.addItem("Tous les financeurs", None)
            self._funders = tuple(P.funders(db, include_inactive=True))
            for f in self._funders:
                self.funder.addItem(f.name, f.id)
            quartiers = portrait.quartiers(db)
            self.quartier.addItem("Tous les quartiers", None)
            for q in quartiers:
                self.quartier.addItem(f"{q.code} – {q.name}", q.id)
            self.quartier.setVisible(len(quartiers) > 1)
            self.quartier_label.setVisible(len(quartiers) > 1)
            for c in (self.status, self.objective, self.holder, self.funder, self.quartier):
                c.setCurrentIndex(max(0, c.findData(keep[c])))
        finally:
            self._loading = False

    def _filters_changed(self) -> None:
        if not self._loading:
            self.reload()

    def current_year(self) -> int | None:
        return self.year.currentData()

    def filters(self) -> dict:
        out = {"year": self.current_year()}
        status = self.status.currentData()
        if status:
            kind, _sep, code = status.partition(":")
            out[kind] = code
        for key, combo in (("objective_id", self.objective), ("holder_id", self.holder), ("funder_id", self.funder),
                           ("quartier_id", self.quartier)):
            if combo.currentData() is not None:
                out[key] = combo.currentData()
        return out

    def apply_filters(self, filters: dict) -> None:
        if self.ctx.db is None:
            return
        if self.year.count() == 0:
            self._fill_combos()
        self._loading = True
        try:
            if "year" in filters:
                index = self.year.findData(filters["year"])
                if index < 0 and filters["year"]:
                    self.year.addItem(str(filters["year"]), filters["year"])
                    index = self.year.count() - 1
                self.year.setCurrentIndex(max(0, index))
            if "group" in filters or "status" in filters:
                data = f"group:{E.StatusGroup(filters['group']).value}" if filters.get("group") else \
                    f"status:{E.ActionStatus(filters['status']).value}" if filters.get("status") else None
                self.status.setCurrentIndex(max(0, self.status.findData(data)))
            for key, combo in (("objective_id", self.objective), ("holder_id", self.holder),
                               ("funder_id", self.funder), ("quartier_id", self.quartier)):
                if key in filters:
                    combo.setCurrentIndex(max(0, combo.findData(filters[key])))
        finally:
            self._loading = False
        if "search" in filters:
            self.search.blockSignals(True)
            self.search.setText(str(filters["search"] or ""))
            self.search.blockSignals(False)
            self._search = self.search.text().strip()
        self.reload()

    def reset_filters(self) -> None:
        self.apply_filters({"status": None, "group": None, "objective_id": None, "holder_id": None,
                            "funder_id": None, "quartier_id": None, "search": ""})

    # ----------------------------------------------------------------- loading

    def refresh(self) -> None:
        enabled = self.ctx.db is not None
        for w in (self.new_button, self.open_button, self.renew_button, self.share_button):
            w.setEnabled(enabled and not self.ctx.read_only or w is self.open_button and enabled)
        self._selection_changed()
        if not enabled:
            self._all = ()
            self.model.set_rows(())
            self.footer.setText("Aucune base ouverte.")
            return
        self._fill_combos()
        self.reload()

    def reload(self) -> None:
        db = self.ctx.db
        year = self.current_year()
        if db is None or year is None:
            self._all = ()
            self.model.set_rows(())
            self._update_footer()
            return
        f = self.filters()
        ok, plist = self.ctx.attempt(self, P.list_actions, db, year, status=f.get("status"), group=f.get("group"),
                                     objective_id=f.get("objective_id"), holder_id=f.get("holder_id"),
                                     funder_id=f.get("funder_id"), quartier_id=f.get("quartier_id"))
        if not ok:
            return
        self._all = plist.rows
        self.model.forget_texts()
        used = {fid for r in plist.rows for fid, a in r.funding.items() if a.requested_cents or a.granted_cents}
        shown = [fr for fr in plist.funders if fr.id in used][:MAX_FUNDER_COLUMNS]
        if [fr.id for fr in shown] != [fr.id for fr in self._shown_funders]:
            self._shown_funders = shown
            self._set_columns()
        self._apply_search()

    def _new_model(self) -> RowTableModel:
        columns = base_columns() + [funder_column(f) for f in self._shown_funders] + tail_columns()
        model = ProgrammeTableModel(columns, self, muted=lambda r: r.group in (
            E.StatusGroup.NON_RETENUE, E.StatusGroup.ABANDONNEE) or bool(self.locked_reason(r)))
        model.locked = self.locked_reason
        return model

    def locked_reason(self, row: P.ActionRow | None) -> str:
        """Why she may not change this action, for a référent(e) of another quartier ("" otherwise;
        a read-only base greys everything already)."""
        if row is None or self.ctx.read_only or self.ctx.rights is None or self.ctx.may_edit_quartier(row.quartier_id):
            return ""
        return self.ctx.quartier_reason(row.quartier_id)

    def _selection_changed(self, *_) -> None:
        """Another quartier's action: Reconduire greyed, the reason beside the list."""
        row = self.selected()
        reason = self.locked_reason(row)
        self.rights_note.setText(reason)
        self.rights_note.setVisible(bool(reason))
        writable = self.ctx.db is not None and not self.ctx.read_only
        self.renew_button.setEnabled(writable and not reason)
        self.renew_button.setToolTip(reason or self.ctx.read_only_reason)

    def _set_columns(self) -> None:
        """The funders shown changed: a new model with one column per funder."""
        old = self.model
        self.model = self._new_model()
        self.view.setModel(self.model)
        self.view.selectionModel().currentRowChanged.connect(self._selection_changed)
        old.deleteLater()
        for i, col in enumerate(self.model.columns):
            if col.width:
                self.view.setColumnWidth(i, col.width)
        self.header.widen_to_words()

    def set_search(self, text: str) -> None:
        """Filter the loaded rows (no database access): the keystroke path."""
        previous = self._search
        self._search = text.strip()
        # typing one more letter narrows the rows already shown: filter those only
        narrowing = bool(previous) and self._search.startswith(previous) and self._narrowable
        self._apply_search(self.model.rows if narrowing else None)

    def _apply_search(self, within=None) -> None:
        text = self._search
        rows = P.filter_rows(self._all if within is None else within, text)
        self._narrowable = True
        self.model.set_rows(rows)
        self._update_footer()

    @property
    def visible_rows(self) -> list[P.ActionRow]:
        return self.model.rows

    def _update_footer(self) -> None:
        rows = self.model.rows
        t = P.programme_totals(rows)
        def nobr(text: str) -> str:  # an amount never breaks across two lines
            return f"<nobr>{html.escape(text)}</nobr>"

        parts = [f"<b>{plural(t.count, 'action')}</b>",
                 "coût total " + nobr(euros(t.total_cost_cents)),
                 "demandé " + nobr(euros(t.requested_cents)),
                 "accordé " + nobr(euros(t.granted_cents)),
                 "versé " + nobr(euros(t.paid_cents))]
        for f in self._shown_funders:
            a = t.by_funder.get(f.id)
            if a is not None:
                parts.append(f"{html.escape(f.name)} : {nobr(euros(a.requested_cents))} / "
                             f"{nobr(euros(a.granted_cents))}")
        parts.append(f"bénéficiaires des actions retenues : prévus {t.beneficiaries_planned}, "
                     f"touchés {t.beneficiaries_reached}")
        self.footer.setText(" — ".join(parts))

    # ----------------------------------------------------------------- actions

    def selected(self) -> P.ActionRow | None:
        return self.model.row_at(self.view.currentIndex())

    def select_action(self, action_id: int) -> None:
        row = self.model.find_id(action_id)
        if row >= 0:
            self.view.selectRow(row)

    def new_action(self) -> None:
        if self.ctx.db is None or self.current_year() is None:
            return
        aid = ActionEditor.run(self.ctx, self, year=self.current_year())
        if aid is not None:
            self.reload()
            self.select_action(aid)

    def open_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        ActionEditor.run(self.ctx, self, action_id=row.id)
        self.reload()
        self.select_action(row.id)

    def delete_selected(self) -> None:
        row = self.selected()
        if row is None or self.ctx.read_only:
            return
        if self.locked_reason(row):
            self.ctx.error(self, self.locked_reason(row))
            return
        if not self.ctx.confirm(self, f"Supprimer définitivement l'action {row.code} « {row.title} » ?"):
            return
        ok, _ = self.ctx.attempt(self, P.delete_action, self.ctx.db, row.id)
        if ok:
            self.reload()

    def renew_selected(self) -> None:
        row = self.selected()
        if row is None or self.locked_reason(row):
            return
        year = row.year + 1
        if not self.ctx.confirm(self, f"Reconduire l'action {row.code} « {row.title} » dans la programmation {year} ?"):
            return
        ok, new_id = self.ctx.attempt(self, P.renew_action, self.ctx.db, row.id, year)
        if ok:
            code = P.get_action(self.ctx.db, new_id).code
            self.ctx.info(self, f"L'action est reconduite dans la programmation {year} sous le code {code}.")

    def edit_max_share(self) -> None:
        if self.ctx.db is None:
            return
        current = P.get_setting(self.ctx.db, "max_funder_share")
        value = self.ask_max_share(self, current)
        if value is None:
            return
        ok, _ = self.ctx.attempt(self, P.set_setting, self.ctx.db, "max_funder_share", value)
        if ok:
            self.ctx.info(self, f"Plafond par financeur : {P.get_setting(self.ctx.db, 'max_funder_share')} % "
                                "du coût total.")

    @staticmethod
    def ask_max_share(parent, current: str) -> str | None:
        text, ok = QInputDialog.getText(parent, "Plafond par financeur",
                                        "Part maximale du coût total demandée à un seul financeur (%) :",
                                        text=current)
        return text.strip() if ok else None

    def focus_search(self) -> None:
        self.search.setFocus(Qt.ShortcutFocusReason)
        self.search.selectAll()
