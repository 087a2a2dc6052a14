"""The fiche action: identity, objectives, financing plan, status history, indicators, bilan.

Tabs « Identité », « Objectifs », « Financement », « Statut », « Indicateurs », « Bilan ».
« Enregistrer » saves every tab in one call (:func:`create_action` / :func:`update_action`
with the version read, so a concurrent edit is refused, never overwritten); a refused
input shows the French message at the bottom and opens the tab of the offending field,
nothing is saved. Status changes and « Reconduire en N+1 » act at once on a saved action.

Modal questions go through :meth:`ActionEditor.ask_funder_name` and
:meth:`StatusChangeDialog.ask` (patched in tests); messages through ``ctx``.

Signals:
    saved(int): the action id after a successful save (or a status change / renewal).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ...domain import validation as V
from ...domain.enums import ActionStatus
from ...domain.errors import ConflictError, UserError, ValidationError
from ...domain.text import euros, plural
from ...services import partners, portrait
from ...services import programme as P
from ...services.history import FIELD_LABELS
from ..context import AppContext
from ..models import Column, RowTableModel
from ..models.funding import FundingModel, cents_text
from ..models.indicators import IndicatorModel
from ..models.objectives import ObjectivePickModel
from ..widgets.banner import banner
from ..widgets.tables import setup_table
from .action_status import StatusChangeDialog
from ..widgets.date_field import DateField
from ..widgets.history import HistoryView
from . import base as dialog_base
from .base import FieldErrors, KeepsTypedText, combo_id, make_searchable
from .conflict import resolve

log = logging.getLogger("qpv_desk.gui")

TAB_OF_FIELD = {
    "objectives": 1, "funding": 2, "total_cost_cents": 2, "indicators": 4,
    "review_due": 5, "review_received": 5, "review_notes": 5, "beneficiaries_reached": 5,
    "beneficiaries_qpv": 5, "progress": 5,
}

#: The names of the fields in the side-by-side choice (others: the history's names).
CONFLICT_LABELS = {"objectives": "objectifs", "funding": "plan de financement", "indicators": "indicateurs"}

HISTORY_COLUMNS = [
    Column("Date", "date", width=90),
    Column("Statut", "status", width=170),
    Column("Décidé en réunion", "meeting_label", width=220),
    Column("Commentaire", "note"),
]


def _date_text(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _int_text(value) -> str:
    return "" if value is None else str(value)


class ActionEditor(KeepsTypedText, QDialog):
    saved = Signal(int)
    unsaved_what = "Les modifications de la fiche"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, action_id: int | None = None,
                 year: int | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.action_id = action_id
        self.year = year
        self.version: int | None = None
        self.detail: P.ActionDetail | None = None
        self.renewed_id: int | None = None
        self.setMinimumSize(820, 600)
        self._max_share = P.max_funder_share(self.db)
        self.locked_reason = ctx.read_only_reason if ctx.read_only else ""
        self._build()
        self._load_choices()
        if action_id is not None:
            self._load(P.get_action(self.db, action_id))
        else:
            self.setWindowTitle(f"Nouvelle action — programmation {year}")
            self._update_status_tab()
        self._update_warnings()
        self._lock_if_refused()
        self._snapshot = self._values_or_none()

    @property
    def locked(self) -> bool:
        """Nothing of this action may be written: a read-only base, or another quartier's action."""
        return bool(self.locked_reason)

    def _lock_if_refused(self) -> None:
        """Another quartier's action for a référent(e) on the server: open read-only, with the reason."""
        if self.detail is not None and not self.locked:
            self.locked_reason = self.ctx.quartier_reason(self.detail.quartier_id)
        if not self.locked:
            self._grey_foreign_quartiers()
            return
        self.lock_banner.setText(self.locked_reason)
        self.lock_banner.show()
        dialog_base.make_read_only([self.tabs.widget(i) for i in range(self.tabs.count()) if self.tabs.widget(i)
                                    is not self.history], self.locked_reason)
        for b in (self.save_button, self.renew_button, self.status_button, self.delete_status_button):
            b.setEnabled(False)
            b.setToolTip(self.locked_reason)

    # ----------------------------------------------------------------- building

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.lock_banner = banner("lockBanner")
        layout.addWidget(self.lock_banner)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self.tabs.addTab(self._identity_tab(), "Identité")
        self.tabs.addTab(self._objectives_tab(), "Objectifs")
        self.tabs.addTab(self._financing_tab(), "Financement")
        self.tabs.addTab(self._status_tab(), "Statut")
        self.tabs.addTab(self._indicators_tab(), "Indicateurs")
        self.tabs.addTab(self._bilan_tab(), "Bilan")

        self.history = HistoryView(self.ctx, "action", None)
        self.tabs.addTab(self.history, "Historique")
        self.error_label = QLabel()
        self.error_label.setObjectName("errorSummary")
        layout.addWidget(self.error_label)
        self.errors = FieldErrors(None, self._error_fields(), self.error_label)
        buttons = QHBoxLayout()
        self.renew_button = QPushButton("Reconduire en N+1…")
        self.renew_button.setToolTip("Copie l'action dans la programmation de l'année suivante, comme reconduction")
        self.renew_button.clicked.connect(self.renew)
        buttons.addWidget(self.renew_button)
        buttons.addStretch(1)
        self.save_button = QPushButton("Enregistrer")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton("Fermer")
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)

    def _grey_foreign_quartiers(self) -> None:
        """Her action can only go to one of her quartiers: the others are greyed in the list, with the reason."""
        model = self.quartier.model()
        for i in range(self.quartier.count()):
            qid = self.quartier.itemData(i)
            reason = self.ctx.quartier_reason(qid) if qid is not None else ""
            if reason and hasattr(model, "item"):
                model.item(i).setEnabled(False)
                self.quartier.setItemData(i, reason, Qt.ToolTipRole)

    def _identity_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        self.code = QLineEdit()
        self.code.setPlaceholderText("attribué automatiquement (ex. 2026-014)")
        self.title = QLineEdit()
        self.holder = QComboBox()
        make_searchable(self.holder)
        self.holder.currentTextChanged.connect(self._holder_changed)
        self.contact = QComboBox()
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.target_public = QPlainTextEdit()
        self.target_public.setTabChangesFocus(True)
        self.target_public.setMaximumHeight(60)
        self.place = QLineEdit()
        self.start_date = DateField(field="start_date")
        self.end_date = DateField(field="end_date")
        for e in (self.start_date, self.end_date):
            e.setPlaceholderText("jj/mm/aaaa")
        dates = QHBoxLayout()
        dates.addWidget(QLabel("du"))
        dates.addWidget(self.start_date)
        dates.addWidget(QLabel("au"))
        dates.addWidget(self.end_date)
        self.is_renewal = QComboBox()
        self.is_renewal.addItem("Nouvelle action", False)
        self.is_renewal.addItem("Reconduction", True)
        self.multi_year = QCheckBox("Action pluriannuelle")
        self.platform_code = QLineEdit()
        self.filed_on = DateField(field="status_date")
        self.filed_on.setPlaceholderText("aujourd'hui si vide (jj/mm/aaaa)")
        self.beneficiaries_planned = QLineEdit()
        self.predecessor = QLabel()
        self.quartier = QComboBox()
        form.addRow("Code :", self.code)
        form.addRow("Intitulé * :", self.title)
        form.addRow("Porteur * :", self.holder)
        form.addRow("Contact :", self.contact)
        form.addRow("Quartier :", self.quartier)
        self._identity_form = form
        form.addRow("Description :", self.description)
        form.addRow("Public visé :", self.target_public)
        form.addRow("Lieu :", self.place)
        form.addRow("Dates :", dates)
        form.addRow("Nature :", self.is_renewal)
        form.addRow("", self.multi_year)
        form.addRow("N° de dossier (plateforme de l'État) :", self.platform_code)
        form.addRow("Déposée le :", self.filed_on)
        form.addRow("Bénéficiaires prévus :", self.beneficiaries_planned)
        form.addRow("Action précédente :", self.predecessor)
        return w

    def _objectives_tab(self) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        layout.addWidget(QLabel("Cochez les objectifs de l'action et désignez-en exactement un comme principal "
                                "(c'est lui qui compte dans le suivi des objectifs)."))
        self.objective_model = ObjectivePickModel(self)
        self.objective_view = QTreeView()
        setup_table(self.objective_view, self.objective_model, stretch=0, alternating=False)
        layout.addWidget(self.objective_view)
        self.principal_label = QLabel()
        layout.addWidget(self.principal_label)
        self.objective_model.changed.connect(self._update_principal_label)
        return w

    def _financing_tab(self) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        form = QFormLayout()
        self.total_cost = QLineEdit()
        self.total_cost.setPlaceholderText("en euros, ex. 12 500")
        self.total_cost.textChanged.connect(self._update_warnings)
        form.addRow("Coût total de l'action (€) :", self.total_cost)
        layout.addLayout(form)
        self.funding_model = FundingModel(self)
        self.funding_model.changed.connect(self._update_warnings)
        self.funding_view = QTableView()
        setup_table(self.funding_view, self.funding_model, edit=QAbstractItemView.AllEditTriggers, cells=True,
                    selection="extended", stretch=0, alternating=False)
        layout.addWidget(self.funding_view)
        row = QHBoxLayout()
        self.add_funder_button = QPushButton("Ajouter un financeur…")
        self.add_funder_button.clicked.connect(self.add_funder)
        row.addWidget(self.add_funder_button)
        row.addStretch(1)
        self.funding_totals = QLabel()
        row.addWidget(self.funding_totals)
        layout.addLayout(row)
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("planWarnings")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setStyleSheet("color: #a15c00; font-weight: bold;")
        layout.addWidget(self.warnings_label)
        return w

    def _status_tab(self) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        self.status_label = QLabel()
        layout.addWidget(self.status_label)
        self.history_model = RowTableModel(HISTORY_COLUMNS, self)
        self.history_view = QTableView()
        setup_table(self.history_view, self.history_model, selection="extended", alternating=False)
        layout.addWidget(self.history_view)
        row = QHBoxLayout()
        self.status_button = QPushButton("Changer le statut…")
        self.status_button.clicked.connect(self.change_status)
        row.addWidget(self.status_button)
        self.delete_status_button = QPushButton("Supprimer la ligne choisie")
        self.delete_status_button.setToolTip("Retire une ligne saisie par erreur ; le statut actuel est recalculé")
        self.delete_status_button.clicked.connect(self.delete_status)
        row.addWidget(self.delete_status_button)
        row.addStretch(1)
        layout.addLayout(row)
        return w

    def _indicators_tab(self) -> QWidget:
        w = QWidget()
        layout = QVBoxLayout(w)
        self.indicator_model = IndicatorModel(self)
        self.indicator_view = QTableView()
        setup_table(self.indicator_view, self.indicator_model, edit=QAbstractItemView.AllEditTriggers, cells=True,
                    selection="extended", stretch=0, alternating=False)
        layout.addWidget(self.indicator_view)
        row = QHBoxLayout()
        self.add_indicator_button = QPushButton("Ajouter un indicateur")
        self.add_indicator_button.clicked.connect(self.add_indicator)
        self.remove_indicator_button = QPushButton("Retirer l'indicateur")
        self.remove_indicator_button.clicked.connect(
            lambda: self.indicator_model.remove_row(self.indicator_view.currentIndex().row()))
        row.addWidget(self.add_indicator_button)
        row.addWidget(self.remove_indicator_button)
        row.addStretch(1)
        layout.addLayout(row)
        return w

    def _bilan_tab(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        self.review_due = DateField(field="review_due")
        self.review_due.setPlaceholderText("fin de l'action + 6 mois si vide")
        self.review_received = DateField(field="review_received")
        self.review_received.setPlaceholderText("jj/mm/aaaa")
        self.beneficiaries_reached = QLineEdit()
        self.beneficiaries_qpv = QLineEdit()
        self.progress = QLineEdit()
        self.progress.setPlaceholderText("vide : déduit du statut")
        self.review_notes = QPlainTextEdit()
        form.addRow("Bilan attendu le :", self.review_due)
        form.addRow("Bilan reçu le :", self.review_received)
        form.addRow("Bénéficiaires touchés :", self.beneficiaries_reached)
        form.addRow("dont habitants du QPV :", self.beneficiaries_qpv)
        form.addRow("Avancement (%) :", self.progress)
        form.addRow("Notes sur le bilan :", self.review_notes)
        return w

    # ----------------------------------------------------------------- loading

    def _load_choices(self) -> None:
        self.holder.blockSignals(True)
        self.holder.addItem("", None)
        for o in partners.organisation_choices(self.db):
            self.holder.addItem(o.name, o.id)
        self.holder.setCurrentIndex(0)
        self.holder.blockSignals(False)
        self._choices = P.objective_choices(self.db)
        self.objective_model.set_tree(self._choices)
        self.objective_view.expandAll()
        self.objective_view.resizeColumnToContents(1)
        self._funders = P.funders(self.db)
        self.funding_model.set_lines(self._funders, ())
        quartiers = portrait.quartiers(self.db)
        if self.action_id is None:  # a référent(e) on the server creates in her quartiers only
            quartiers = [q for q in quartiers if self.ctx.may_edit_quartier(q.id)] or quartiers
        for q in quartiers:
            self.quartier.addItem(f"{q.code} – {q.name}", q.id)
        if len(quartiers) != 1:
            self.quartier.insertItem(0, "", None)
            self.quartier.setCurrentIndex(0)
        self._identity_form.setRowVisible(self.quartier, len(quartiers) > 1)
        self._holder_changed()
        self._update_principal_label()

    def _holder_changed(self) -> None:
        current = self.contact.currentData()
        self.contact.clear()
        self.contact.addItem("", None)
        index = self.holder.findText(self.holder.currentText().strip(), Qt.MatchFixedString)
        holder_id = self.holder.itemData(index) if index >= 0 else None
        if holder_id is not None:
            for p in partners.list_persons(self.db, organisation_id=holder_id):
                self.contact.addItem(p.full_name, p.id)
        index = self.contact.findData(current)
        self.contact.setCurrentIndex(max(index, 0))

    def _load(self, d: P.ActionDetail) -> None:
        self.detail = d
        self.action_id, self.version, self.year = d.id, d.version, d.year
        self.history.set_record("action", d.id)
        self.setWindowTitle(f"Action {d.code} — {d.title} ({d.year})")
        self.code.setText(d.code)
        self.title.setText(d.title)
        index = self.holder.findData(d.holder_id)
        if index < 0:
            self.holder.addItem(d.holder_name, d.holder_id)
            index = self.holder.count() - 1
        self.holder.setCurrentIndex(index)
        self._holder_changed()
        self.contact.setCurrentIndex(max(0, self.contact.findData(d.contact_id)))
        self.quartier.setCurrentIndex(max(0, self.quartier.findData(d.quartier_id)))
        self.description.setPlainText(d.description or "")
        self.target_public.setPlainText(d.target_public or "")
        self.place.setText(d.place or "")
        self.start_date.setText(_date_text(d.start_date))
        self.end_date.setText(_date_text(d.end_date))
        self.is_renewal.setCurrentIndex(1 if d.is_renewal else 0)
        self.multi_year.setChecked(d.multi_year)
        self.platform_code.setText(d.platform_code or "")
        self.beneficiaries_planned.setText(_int_text(d.beneficiaries_planned))
        self.predecessor.setText(d.predecessor_label or "—")
        self._identity_form.setRowVisible(self.filed_on, False)  # the history tab holds the dates from now on
        self.objective_model.set_tree(self._choices, [(o.objective_id, o.is_principal) for o in d.objectives])
        self.objective_view.expandAll()
        self.total_cost.setText(cents_text(d.total_cost_cents) if d.total_cost_cents else "")
        self.funding_model.set_lines(self._funders, d.funding)
        self.indicator_model.set_indicators(d.indicators)
        self.review_due.setText(_date_text(d.review_due))
        self.review_received.setText(_date_text(d.review_received))
        self.beneficiaries_reached.setText(_int_text(d.beneficiaries_reached))
        self.beneficiaries_qpv.setText(_int_text(d.beneficiaries_qpv))
        self.progress.setText(_int_text(d.progress))
        self.review_notes.setPlainText(d.review_notes or "")
        self._update_status_tab()
        self._update_principal_label()
        self._update_warnings()

    def _update_status_tab(self) -> None:
        saved = self.detail is not None
        self.history_model.set_rows(self.detail.history if saved else ())
        self.status_label.setText(
            f"Statut actuel : <b>{self.detail.status.label}</b>" if saved
            else "La fiche commencera au statut « Déposée ». Enregistrez-la pour changer ensuite son statut.")
        if not self.locked:
            self.status_button.setEnabled(saved)
            self.renew_button.setEnabled(saved)
            self.delete_status_button.setEnabled(saved)
        else:
            self.delete_status_button.setEnabled(False)

    def _update_principal_label(self) -> None:
        principal = self.objective_model.principal
        node = next((c for c in self._choices if c.id == principal), None) if principal else None
        count = len(self.objective_model.checked)
        self.principal_label.setText(
            f"Objectif principal : <b>{node.label}</b> — {plural(count, 'objectif coché', 'objectifs cochés')}."
            if node
            else "<span style='color:#b3261e'>Aucun objectif principal choisi.</span>")

    def _update_warnings(self) -> None:
        total = V.amount_cents(self.total_cost.text(), "Coût", "x") if self._valid_amount(self.total_cost.text()) else 0
        req, granted, paid = self.funding_model.totals()
        self.funding_totals.setText(f"Total demandé : {euros(req)} — accordé : {euros(granted)} — "
                                    f"versé : {euros(paid)}")
        warnings = P.financing_warnings(total or 0, self.funding_model.requested(), self._max_share)
        self.warnings_label.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.warnings_label.setVisible(bool(warnings))

    @staticmethod
    def _valid_amount(text: str) -> bool:
        try:
            V.amount_cents(text, "Coût", "x")
            return True
        except ValidationError:
            return False

    @property
    def warnings(self) -> list[str]:
        text = self.warnings_label.text()
        return [w[2:] for w in text.split("\n")] if text else []

    # ----------------------------------------------------------------- actions

    def values(self) -> dict:
        return {
            "code": self.code.text(),
            "title": self.title.text(),
            "holder_id": combo_id(self.holder, "holder_id", "Porteur"),
            "contact_id": self.contact.currentData(),
            "quartier_id": self.quartier.currentData(),
            "description": self.description.toPlainText(),
            "target_public": self.target_public.toPlainText(),
            "place": self.place.text(),
            "start_date": self.start_date.text(),
            "end_date": self.end_date.text(),
            "is_renewal": bool(self.is_renewal.currentData()),
            "multi_year": self.multi_year.isChecked(),
            "platform_code": self.platform_code.text(),
            "beneficiaries_planned": self.beneficiaries_planned.text(),
            "objectives": self.objective_model.links(),
            "total_cost_cents": self.total_cost.text(),
            "funding": self.funding_model.lines(),
            "indicators": self.indicator_model.values(),
            "review_due": self.review_due.text(),
            "review_received": self.review_received.text(),
            "beneficiaries_reached": self.beneficiaries_reached.text(),
            "beneficiaries_qpv": self.beneficiaries_qpv.text(),
            "progress": self.progress.text(),
            "review_notes": self.review_notes.toPlainText(),
        }

    def show_values(self, values: dict) -> None:
        """Put ``values`` (fields of :meth:`values`, in that shape) in the form, the others left as
        they are (after a conflict: what only the colleague changed)."""
        widgets = {"code": self.code, "title": self.title, "place": self.place, "start_date": self.start_date,
                   "end_date": self.end_date, "platform_code": self.platform_code,
                   "beneficiaries_planned": self.beneficiaries_planned, "total_cost_cents": self.total_cost,
                   "review_due": self.review_due, "review_received": self.review_received,
                   "beneficiaries_reached": self.beneficiaries_reached, "beneficiaries_qpv": self.beneficiaries_qpv,
                   "progress": self.progress, "description": self.description, "target_public": self.target_public,
                   "review_notes": self.review_notes, "holder_id": self.holder, "contact_id": self.contact,
                   "quartier_id": self.quartier, "multi_year": self.multi_year}
        for name, value in values.items():  # in the order of values(): the holder before its contact
            if name in widgets:
                dialog_base.set_value(widgets[name], value)
            elif name == "is_renewal":
                self.is_renewal.setCurrentIndex(1 if value else 0)
            elif name == "objectives":
                self.objective_model.set_tree(self._choices, value)
                self.objective_view.expandAll()
            elif name == "funding":
                self.funding_model.show_lines(P.funders(self.db), value)
            elif name == "indicators":
                self.indicator_model.show_values(value)
        self._update_principal_label()
        self._update_warnings()

    def _values_or_none(self) -> dict | None:
        try:
            return self.values()
        except ValidationError:
            return None

    def has_unsaved_changes(self) -> bool:
        self._commit_editors()
        return self._values_or_none() != self._snapshot

    def save_unsaved(self) -> bool:
        return self.save()  # closes the fiche once saved

    def show_error(self, exc: UserError) -> None:
        if isinstance(exc, ValidationError):
            self.errors.show(exc.errors, str(exc))  # under each field, its tab brought forward
            if not any(name in self.errors.labels for name in exc.errors):
                self.tabs.setCurrentIndex(TAB_OF_FIELD.get(exc.field or next(iter(exc.errors), None), 0))
            return
        self.errors.clear()
        self.error_label.setText(f"{exc} Rien n'a été enregistré.")
        self.error_label.show()

    def _error_fields(self) -> dict[str, QWidget]:
        """The widget of each field the services name in a :class:`ValidationError`."""
        other = {"holder_id": self.holder, "contact_id": self.contact, "quartier_id": self.quartier,
                 "status_date": self.filed_on, "objectives": self.objective_view, "total_cost_cents": self.total_cost,
                 "funding": self.funding_view, "indicators": self.indicator_view}
        same = ("code", "title", "description", "target_public", "place", "start_date", "end_date", "is_renewal",
                "multi_year", "platform_code", "beneficiaries_planned", "review_due", "review_received",
                "beneficiaries_reached", "beneficiaries_qpv", "progress", "review_notes")
        return {**{name: getattr(self, name) for name in same}, **other}

    def save(self) -> bool:
        """Save every tab; returns ``True`` and closes on success."""
        if self.locked:
            return False
        self._commit_editors()
        try:
            values = self.values()
            if self.action_id is None:
                if not values["code"].strip():
                    values.pop("code")
                values["status_date"] = self.filed_on.text()
                self.action_id = P.create_action(self.db, self.year, values)
            else:
                P.update_action(self.db, self.action_id, values, expected_version=self.version)
        except ConflictError as exc:
            log.info("Fiche action en conflit : %s", exc)
            return self._save_after_conflict(values)
        except UserError as exc:
            log.info("Fiche action refusée : %s", exc)
            self.show_error(exc)
            return False
        self.errors.clear()
        self.saved.emit(self.action_id)
        self.accept()
        return True

    # ----------------------------------------------------------------- someone else saved first

    @classmethod
    def stored_values(cls, ctx: AppContext, action_id: int) -> tuple[dict | None, int]:
        """The action as it is now in the base, in the form :meth:`values` gives, and its version."""
        other = cls(ctx, None, action_id=action_id)
        try:
            return other._snapshot, other.version
        finally:
            other.deleteLater()

    def _save_after_conflict(self, mine: dict) -> bool:
        """Her values and theirs side by side, field by field (the funding lines, objectives and
        indicators as a whole); she chooses and it is saved, or she goes back to her form."""
        ok, stored = self.ctx.attempt(self, self.stored_values, self.ctx, self.action_id)
        if not ok:
            return False
        theirs, version = stored

        if self._snapshot is None:
            self._snapshot = {}
        resolution = resolve(self, self.ctx, "action", self.action_id, self._snapshot, mine, theirs or {}, version,
                             self._field_label, self._field_text, show=self.show_values)
        chosen = resolution.values
        if chosen is None:
            self.errors.clear()
            self.error_label.setText(" ".join(part for part in (
                "Quelqu'un d'autre a modifié cette fiche entre-temps : rien n'a été enregistré, votre saisie est "
                "toujours là. « Enregistrer » pour choisir à nouveau.", resolution.note) if part))
            self.error_label.show()
            return False
        try:
            P.update_action(self.db, self.action_id, chosen, expected_version=version)
        except UserError as exc:
            log.info("Fiche action refusée après le choix : %s", exc)
            self.show_error(exc)
            return False
        self.error_label.hide()
        self.saved.emit(self.action_id)
        self.accept()
        return True

    @staticmethod
    def _field_label(field: str) -> str:
        return CONFLICT_LABELS.get(field) or FIELD_LABELS.get(field, field.replace("_", " "))

    def _field_text(self, field: str, value) -> str:
        """A value of :meth:`values` as she reads it on the form."""
        combos = {"holder_id": self.holder, "contact_id": self.contact, "quartier_id": self.quartier}
        if field in combos:
            index = combos[field].findData(value)
            text = combos[field].itemText(index) if index >= 0 and value is not None else ""
        elif field == "is_renewal":
            text = "Reconduction" if value else "Nouvelle action"
        elif field == "multi_year":
            text = "oui" if value else "non"
        elif field == "objectives":
            labels = {c.id: c.label for c in self._choices}
            text = " ; ".join(labels.get(oid, str(oid)) + (" (principal)" if principal else "") for oid, principal in value)
        elif field == "funding":
            names = {f.id: f.name for f in self._funders}
            text = " ; ".join(f"{names.get(line['funder_id'], line['funder_id'])} : demandé {line['requested'] or 0} €"
                              + (f", accordé {line['granted']} €" if line.get("granted") else "")
                              + (f", versé {line['paid']} €" if (line.get("paid") or "").strip() else "")
                              for line in value)
        elif field == "indicators":
            text = " ; ".join(f"{i['label']} (cible {i['target'] or '—'}, résultat {i['result'] or '—'})" for i in value)
        else:
            text = "" if value is None else str(value)
        return text.strip() or "(vide)"

    def _commit_editors(self) -> None:
        """Push an in-progress cell edit into its model before reading the models."""
        for view in (self.funding_view, self.indicator_view):
            editor = view.focusWidget() if view.state() == QAbstractItemView.EditingState else None
            if editor is not None:
                view.commitData(editor)
                view.closeEditor(editor, QAbstractItemView.NoHint)

    def change_status(self) -> None:
        if self.detail is None:
            return
        asked = StatusChangeDialog.ask(self, self.detail.status, P.meeting_choices(self.db))
        if asked is None:
            return
        ok, _ = self.ctx.attempt(self, P.change_status, self.db, self.action_id, asked["status"], asked["date"],
                                 asked.get("meeting_id"), asked.get("note"))
        if ok:
            fresh = P.get_action(self.db, self.action_id)
            # only the status changed on disk: keep what the user typed elsewhere, take the new version
            self.detail, self.version = fresh, fresh.version
            self._update_status_tab()
            self.saved.emit(self.action_id)
            if fresh.status.value != asked["status"]:
                latest = fresh.history[-1]
                self.ctx.info(self, f"Le changement est daté avant le statut actuel « {fresh.status.label} » "
                                    f"(du {latest.date:%d/%m/%Y}) : il s'insère dans l'historique à sa date, "
                                    "le statut actuel ne change pas.")

    def delete_status(self) -> None:
        change = self.history_model.row_at(self.history_view.currentIndex())
        if change is None or self.detail is None:
            return
        if not self.ctx.confirm(self, f"Supprimer la ligne « {change.status_label} » du {change.date:%d/%m/%Y} "
                                      "de l'historique ?"):
            return
        ok, _ = self.ctx.attempt(self, P.delete_status_change, self.db, change.id)
        if ok:
            fresh = P.get_action(self.db, self.action_id)
            self.detail, self.version = fresh, fresh.version
            self._update_status_tab()

    def renew(self) -> None:
        if self.detail is None:
            return
        year = self.detail.year + 1
        if not self.ctx.confirm(self, f"Reconduire l'action {self.detail.code} « {self.detail.title} » dans la "
                                      f"programmation {year} ? Les montants seront repris comme demandés."):
            return
        ok, new_id = self.ctx.attempt(self, P.renew_action, self.db, self.action_id, year)
        if ok:
            self.renewed_id = new_id
            code = P.get_action(self.db, new_id).code
            self.ctx.info(self, f"L'action est reconduite dans la programmation {year} sous le code {code}.")

    def add_funder(self) -> None:
        name = self.ask_funder_name(self)
        if not name:
            return
        ok, fid = self.ctx.attempt(self, P.add_funder, self.db, name)
        if ok:
            self._funders = P.funders(self.db)
            funder = next(f for f in self._funders if f.id == fid)
            self.funding_model.add_funder(funder)
            self.funding_view.setCurrentIndex(self.funding_model.index(len(self.funding_model.entries) - 1, 1))

    def add_indicator(self) -> None:
        row = self.indicator_model.add_row()
        index = self.indicator_model.index(row, 0)
        self.indicator_view.setCurrentIndex(index)
        self.indicator_view.edit(index)

    @staticmethod
    def ask_funder_name(parent: QWidget | None) -> str | None:
        name, ok = QInputDialog.getText(parent, "Nouveau financeur", "Nom du financeur :")
        return name.strip() if ok and name.strip() else None

    @classmethod
    def run(cls, ctx: AppContext, parent: QWidget | None, *, action_id: int | None = None,
            year: int | None = None) -> int | None:
        """Open the editor modally; the action id if something was saved, else ``None``."""
        try:
            dialog = cls(ctx, parent, action_id=action_id, year=year)
        except UserError as exc:
            ctx.error(parent, exc)
            return None
        dialog.exec()
        return dialog.action_id if dialog.result() == QDialog.Accepted or dialog.renewed_id else None


__all__ = ["ActionEditor", "ActionStatus"]
