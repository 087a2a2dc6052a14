"""Référentiel: the contract and its quartiers, the statistical portrait, the objective tree.

Three tabs. « Contrat et quartier » edits the basic fields (form
``ui/territory_form.ui``); « Portrait » shows the statistics beside the agglomeration's
values, as a table and as a chart of the comparable percentages; « Objectifs » is the
tree editor. « Importer un référentiel… » previews the changes of a file before the
import runs in the background.

``apply_filters`` keys: ``tab`` (« territoire », « portrait », « objectifs », « perimetre »),
``objective_id`` (select that objective).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import UserError, ValidationError
from ...domain.text import plural
from ...services import objectives as objective_service
from ...services import portrait
from ...services.objectives import ObjectiveNode, ObjectiveTree
from ...services.referential import import_referential, preview_import, read_referential
from .. import welcome
from ..dialogs.base import FieldErrors, select_data
from ..dialogs import base as dialog_base
from ..dialogs.objective import ObjectiveDialog
from ..dialogs.referential_import import ReferentialImportDialog
from ..dialogs.statistic import StatisticDialog
from ..forms.territory_form_ui import Ui_TerritoryForm
from ..models import Column, ObjectiveTreeModel, RowTableModel
from ..settings import REFERENTIAL_PORTRAIT_SPLITTER, REFERENTIAL_TAB, Settings
from ..widgets import BarChart, BarGroup
from ..widgets.tables import setup_table
from ..widgets.bar_chart import french_number
from .base import Page
from .quartier_perimeter import PerimeterTab

log = logging.getLogger("qpv_desk.gui")


def _number(value) -> str:
    return "" if value is None else french_number(float(value))


def _source(stat) -> str:
    return f"{stat.label}\nSource : {stat.source or 'non précisée'}" + (f", {stat.year}" if stat.year else "")


STATISTIC_COLUMNS = [
    Column("Indicateur", "label", tooltip=_source),
    Column("Quartier", "value", display=_number, align="right", width=70),
    Column("Agglo.", "agglomeration_value", display=_number, align="right", width=60),
    Column("Écart", "gap", display=lambda v: "" if v is None else ("+" if v > 0 else "") + _number(v),
           align="right", width=55),
    Column("Unité", "unit", width=75),
    Column("Année", "year", align="right", width=50),
]


def ask_new_parent(parent: QWidget | None, tree: ObjectiveTree, node: ObjectiveNode):
    """Choose where to attach ``node``: returns ``(True, parent_id or None)`` or ``None`` (patched in tests)."""
    forbidden = {node.id}
    for n in tree.nodes:  # descendants, in display order parents come first
        if n.parent_id in forbidden:
            forbidden.add(n.id)
    choices = [("Premier niveau (sans parent)", None)]
    choices += [(f"{n.code} {n.title}", n.id) for n in tree.nodes
                if n.id not in forbidden and not n.retired and n.depth < len(tree.levels)]
    labels = [c[0] for c in choices]
    label, ok = QInputDialog.getItem(parent, "Rattacher à…", f"Nouveau parent de « {node.code} » :", labels, 0, False)
    if not ok:
        return None
    return True, choices[labels.index(label)][1]


def ask_referential_file(parent: QWidget | None) -> Path | None:
    return welcome.ask_referential_path(parent)


class TerritoryTab(QWidget):
    """The contract and the chosen quartier, each saved with its own button."""

    def __init__(self, page: ReferentialPage):
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.ui = Ui_TerritoryForm()
        self.ui.setupUi(self)
        ui = self.ui
        self.contract = None
        self.quartiers: list = []
        self._clean: tuple | None = None
        self.contract_errors = FieldErrors(ui.contractForm, {
            "name": ui.contract_name, "epci": ui.epci, "commune": ui.commune, "start_year": ui.start_year,
            "end_year": ui.end_year, "description": ui.contract_description}, ui.contractErrors)
        self.quartier_errors = FieldErrors(ui.quartierForm, {
            "name": ui.quartier_name, "status": ui.status, "communes": ui.communes, "surface_ha": ui.surface_ha,
            "population": ui.population, "description": ui.quartier_description}, ui.quartierErrors)
        ui.contractSave.clicked.connect(lambda _checked=False: self.save_contract())
        ui.quartierSave.clicked.connect(lambda _checked=False: self.save_quartier())
        self._shown_quartier = None
        ui.quartier.currentIndexChanged.connect(self._quartier_switched)

    def reload(self) -> None:
        ui = self.ui
        db = self.ctx.db
        contracts = portrait.contracts(db) if db is not None else []
        self.contract = contracts[0] if contracts else None
        c = self.contract
        ui.contract_code.setText(c.code if c else "Aucun contrat : importez un référentiel.")
        ui.contract_name.setPlainText(c.name if c else "")
        ui.epci.setText(c.epci or "" if c else "")
        ui.commune.setText(c.commune or "" if c else "")
        ui.start_year.setText(str(c.start_year) if c else "")
        ui.end_year.setText(str(c.end_year) if c else "")
        ui.contract_description.setPlainText(c.description or "" if c else "")
        self.contract_errors.clear()
        current = ui.quartier.currentData()
        self.quartiers = portrait.quartiers(db, c.id) if c else []
        ui.quartier.blockSignals(True)
        ui.quartier.clear()
        for q in self.quartiers:
            ui.quartier.addItem(f"{q.code} — {q.name}", q.id)
        select_data(ui.quartier, current)
        ui.quartier.blockSignals(False)
        self.show_quartier()
        writable = db is not None and self.ctx.may_edit_referential
        ui.contractSave.setEnabled(writable and c is not None)
        ui.quartierSave.setEnabled(writable and bool(self.quartiers))
        self._clean = dialog_base.form_state(self)

    def current_quartier(self):
        ident = self.ui.quartier.currentData()
        return next((q for q in self.quartiers if q.id == ident), None)

    def _quartier_switched(self, _index: int) -> None:
        """Another quartier chosen: what she typed for the one shown is saved or dropped as she
        says first (« Annuler » keeps her on it, with her text)."""
        ui = self.ui
        wanted = ui.quartier.currentData()
        if self._shown_quartier is not None and wanted != self._shown_quartier and self.has_unsaved():
            ui.quartier.blockSignals(True)
            select_data(ui.quartier, self._shown_quartier)  # the form still shows that one
            ui.quartier.blockSignals(False)
            if not self.settle():
                return
            ui.quartier.blockSignals(True)
            select_data(ui.quartier, wanted)
            ui.quartier.blockSignals(False)
        self.show_quartier()

    def show_quartier(self) -> None:
        ui, q = self.ui, self.current_quartier()
        self._shown_quartier = q.id if q else None
        ui.quartier_name.setText(q.name if q else "")
        ui.status.setText(q.status or "" if q else "")
        ui.communes.setText(q.communes or "" if q else "")
        ui.surface_ha.setText(_number(q.surface_ha) if q else "")
        ui.population.setText(str(q.population) if q and q.population is not None else "")
        ui.quartier_description.setPlainText(q.description or "" if q else "")
        self.quartier_errors.clear()
        self._clean = dialog_base.form_state(self)
        self.page.quartier_changed(q)

    def has_unsaved(self) -> bool:
        """Typed in the contract or quartier form and not saved yet."""
        return (not self.ctx.read_only and self._clean is not None
                and dialog_base.form_state(self) != self._clean)

    def settle(self) -> bool:
        """Before the page goes (quitting, another base): save or drop the typing, as the user says."""
        if not self.has_unsaved():
            return True
        answer = dialog_base.ask_unsaved(self, "Les informations du contrat et du quartier")
        if answer == dialog_base.DISCARD:
            self._clean = dialog_base.form_state(self)
            return True
        if answer == dialog_base.SAVE:  # both forms saved before either is read back
            saved = self.save_contract(reload=False) is not False and self.save_quartier(reload=False) is not False
            if saved:
                self.reload()
            return saved
        return False

    def save_contract(self, reload: bool = True) -> bool | None:
        ui, c = self.ui, self.contract
        if c is None:
            return
        values = {"name": ui.contract_name.toPlainText(), "epci": ui.epci.text(), "commune": ui.commune.text(),
                  "start_year": ui.start_year.text(), "end_year": ui.end_year.text(),
                  "description": ui.contract_description.toPlainText()}
        if not self._save(self.contract_errors, portrait.update_contract, c.id, values, c.version, reload):
            return False
        self.page.status(f"Contrat {c.code} enregistré.")
        return True

    def save_quartier(self, reload: bool = True) -> bool | None:
        ui, q = self.ui, self.current_quartier()
        if q is None:
            return
        values = {"name": ui.quartier_name.text(), "status": ui.status.text(), "communes": ui.communes.text(),
                  "surface_ha": ui.surface_ha.text(), "population": ui.population.text(),
                  "description": ui.quartier_description.toPlainText()}
        if not self._save(self.quartier_errors, portrait.update_quartier, q.id, values, q.version, reload):
            return False
        self.page.status(f"Quartier {q.code} enregistré.")
        return True

    def _save(self, errors: FieldErrors, fn, ident, values, version, reload: bool = True) -> bool:
        try:
            fn(self.ctx.db, ident, values, expected_version=version)
        except ValidationError as exc:
            errors.show(exc.errors, str(exc))
            return False
        except UserError as exc:
            self.ctx.error(self, exc)
            return False
        if reload:
            self.reload()
        return True


class PortraitTab(QWidget):
    def __init__(self, page: ReferentialPage):
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.quartier = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.model = RowTableModel(STATISTIC_COLUMNS, self)
        self.view = QTableView()
        # sortable, in the referential's own order until a title is clicked
        setup_table(self.view, self.model, sort=-1, selection="extended", word_wrap=False, stretch=0)
        self.view.doubleClicked.connect(lambda _i: self.edit())
        self.view.setToolTip("Double-cliquez sur une ligne pour corriger une valeur.")
        self.chart = BarChart(series=("Quartier", "Agglomération"), unit="%",
                              title="Quartier et agglomération (indicateurs en %)")
        scroll = QScrollArea()
        scroll.setWidget(self.chart)
        scroll.setWidgetResizable(True)
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 480])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.splitter, 1)

    def edit(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        statistic = self.model.row_at(rows[0]) if rows else None
        if statistic is None or self.ctx.read_only:
            return
        dialog = StatisticDialog(self.ctx, statistic, self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.saved.connect(lambda _id: self.show_quartier(self.quartier))
        self.page.active_dialog = dialog
        dialog.open()

    def show_quartier(self, quartier) -> None:
        self.quartier = quartier
        if quartier is None or self.ctx.db is None:
            self.heading.setText("Aucun quartier : importez un référentiel.")
            self.model.set_rows([])
            self.chart.set_groups([])
            return
        rows = portrait.statistics(self.ctx.db, quartier.id)
        self.model.set_rows(rows)
        sources = sorted({r.source for r in rows if r.source})
        self.heading.setText(f"<b>{quartier.code} — {quartier.name}</b> : {plural(len(rows), 'indicateur')}"
                             + (f" (source : {', '.join(sources)})" if sources else ""))
        self.chart.set_groups([BarGroup(r.label, (float(r.value), float(r.agglomeration_value)))
                               for r in rows if r.comparable])


class ObjectivesTab(QWidget):
    def __init__(self, page: ReferentialPage):
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.model = ObjectiveTreeModel(self)
        self.view = QTreeView()
        setup_table(self.view, self.model, stretch=1)
        self.view.setColumnWidth(0, 110)
        self.view.setColumnWidth(2, 160)
        self.view.doubleClicked.connect(lambda _i: self.rename())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
        self.show_retired = QCheckBox("Afficher les objectifs retirés")
        self.show_retired.setChecked(True)
        self.show_retired.toggled.connect(self._toggle_retired)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.detail.setMinimumHeight(60)
        # the tree takes the height, not a blank label under it
        self.detail.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Maximum)
        self.buttons = {}
        column = QVBoxLayout()
        for key, label in (("child", "Ajouter un sous-objectif…"), ("sibling", "Ajouter au même niveau…"),
                           ("top", "Ajouter au premier niveau…"), ("rename", "Renommer…"), ("up", "Monter"),
                           ("down", "Descendre"), ("reparent", "Rattacher à…"), ("retire", "Retirer")):
            button = QPushButton(label)
            button.clicked.connect(getattr(self, key if key not in ("up", "down") else "move_" + key))
            self.buttons[key] = button
            column.addWidget(button)
        column.addSpacing(12)
        column.addWidget(self.show_retired)
        column.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.view, 1)
        top.addLayout(column)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(top, 1)
        layout.addWidget(self.detail)
        self.update_buttons()

    # ----------------------------------------------------------------- state

    def reload(self, select_id: int | None = None) -> None:
        current = self.selected()
        keep = select_id if select_id is not None else (current.id if current else None)
        expanded = self._expanded_ids()
        tree = objective_service.objective_tree(self.ctx.db) if self.ctx.db is not None else ObjectiveTree(None, (), ())
        self.model.set_tree(tree)
        if expanded:
            for ident in expanded:
                self.view.setExpanded(self.model.index_of_id(ident), True)
        else:
            self.view.expandAll()
        if keep is not None:
            self.select(keep)
        active = sum(1 for n in tree.nodes if not n.retired)
        retired = len(tree.nodes) - active
        levels = " → ".join(tree.levels) if tree.levels else "aucun niveau"
        self.summary.setText(f"Niveaux : {levels}. {active} objectifs en vigueur"
                             + (f", {retired} retirés (grisés, toujours visibles sur l'historique)." if retired else "."))
        self.update_buttons()

    def _expanded_ids(self) -> list[int]:
        out = []
        for node in self.model.tree.nodes:
            index = self.model.index_of_id(node.id)
            if index.isValid() and self.view.isExpanded(index):
                out.append(node.id)
        return out

    def _toggle_retired(self, show: bool) -> None:
        expanded = self._expanded_ids()
        self.model.set_show_retired(show)
        for ident in expanded:
            self.view.setExpanded(self.model.index_of_id(ident), True)

    def selected(self) -> ObjectiveNode | None:
        indexes = self.view.selectionModel().selectedRows()
        return self.model.node(indexes[0]) if indexes else None

    def select(self, ident: int) -> None:
        index = self.model.index_of_id(ident)
        if index.isValid():
            parent = index.parent()
            while parent.isValid():
                self.view.expand(parent)
                parent = parent.parent()
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def update_buttons(self) -> None:
        node = self.selected()
        tree = self.model.tree
        writable = self.ctx.db is not None and self.ctx.may_edit_referential and tree.contract_id is not None
        depth_ok = node is not None and node.depth < len(tree.levels)
        self.buttons["child"].setEnabled(writable and depth_ok and not node.retired)
        self.buttons["sibling"].setEnabled(writable and node is not None)
        self.buttons["top"].setEnabled(writable)
        self.buttons["top"].setToolTip(f"Ajouter un objectif de premier niveau ({tree.levels[0]})" if tree.levels else "")
        for key in ("rename", "up", "down", "reparent", "retire"):
            self.buttons[key].setEnabled(writable and node is not None)
        self.buttons["retire"].setText("Réactiver" if node is not None and node.retired else "Retirer")
        if node is None:
            self.detail.setText("Sélectionnez un objectif pour le modifier.")
        else:
            text = f"<b>{node.level} {node.code}</b> — {node.title}"
            if node.retired:
                when = node.retired_on.strftime("%d/%m/%Y") if node.retired_on else ""
                text += f" <i>(retiré{' le ' + when if when else ''})</i>"
            if node.description:
                text += f"<br>{node.description}"
            self.detail.setText(text)

    # ----------------------------------------------------------------- actions

    def _open(self, dialog) -> None:
        self.page.active_dialog = dialog
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.open()

    def _saved(self, ident) -> None:
        self.reload(select_id=ident)

    def _level(self, depth: int) -> str:
        levels = self.model.tree.levels
        return levels[depth - 1] if 0 < depth <= len(levels) else "Objectif"

    def child(self) -> None:
        node = self.selected()
        if node is not None:
            self._open(ObjectiveDialog(self.ctx, self, parent_node=node, level_name=self._level(node.depth + 1)))

    def sibling(self) -> None:
        node = self.selected()
        if node is None:
            return
        parent = self.model.tree.by_id(node.parent_id) if node.parent_id else None
        self._open(ObjectiveDialog(self.ctx, self, parent_node=parent, after=node, level_name=node.level))

    def top(self) -> None:
        self._open(ObjectiveDialog(self.ctx, self, level_name=self._level(1)))

    def rename(self) -> None:
        node = self.selected()
        if node is not None and not self.ctx.read_only:
            self._open(ObjectiveDialog(self.ctx, self, node=node))

    def _run(self, fn, *args, **kwargs) -> None:
        node = self.selected()
        ok, _ = self.ctx.attempt(self, fn, self.ctx.db, *args, **kwargs)
        if ok and node is not None:
            self._saved(node.id)

    def move_up(self) -> None:
        node = self.selected()
        if node is not None:
            self._run(objective_service.move_objective, node.id, -1)

    def move_down(self) -> None:
        node = self.selected()
        if node is not None:
            self._run(objective_service.move_objective, node.id, 1)

    def reparent(self) -> None:
        node = self.selected()
        if node is None:
            return
        answer = ask_new_parent(self, self.model.tree, node)
        if answer is not None:
            self._run(objective_service.reparent_objective, node.id, answer[1])

    def retire(self) -> None:
        node = self.selected()
        if node is None:
            return
        if node.retired:
            self._run(objective_service.reactivate_objective, node.id)
            return
        if self.ctx.confirm(self, f"Retirer « {node.code} {node.title} » et ses sous-objectifs ?\n\n"
                                  "Ils restent visibles (grisés) sur les actions et réunions passées."):
            self._run(objective_service.retire_objective, node.id)


class ReferentialPage(Page):
    key = "referential"
    title = "Référentiel"
    icon = "referential.svg"

    TABS = ("territoire", "portrait", "objectifs", "perimetre")

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.active_dialog = None
        self._settings = Settings()
        heading = self.heading("Référentiel")
        self.contract_label = QLabel()
        self.contract_label.setWordWrap(True)
        self.import_button = QPushButton("Importer un référentiel…")
        self.import_button.clicked.connect(self.import_file)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addWidget(self.contract_label, 1)
        top.addWidget(self.import_button)
        self.tabs = QTabWidget()
        self.territory = TerritoryTab(self)
        self.portrait = PortraitTab(self)
        self.objectives = ObjectivesTab(self)
        self.tabs.addTab(self.territory, "Contrat et quartier")
        self.tabs.addTab(self.portrait, "Portrait statistique")
        self.tabs.addTab(self.objectives, "Objectifs")

        self.perimeter = PerimeterTab(self)
        self.tabs.addTab(self.perimeter, "Périmètre")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.tabs.setCurrentIndex(min(max(self._settings.get(REFERENTIAL_TAB), 0), len(self.TABS) - 1))
        state = self._settings.get(REFERENTIAL_PORTRAIT_SPLITTER)
        if not state.isEmpty():
            self.portrait.splitter.restoreState(state)
        self.tabs.currentChanged.connect(lambda i: self._settings.set(REFERENTIAL_TAB, i))

    def refresh(self) -> None:
        if not self.territory.has_unsaved():  # coming back to the page never erases what was typed
            self.territory.reload()
        self.objectives.reload()
        c = self.territory.contract
        self.contract_label.setText(f"{c.name} ({c.start_year}–{c.end_year})" if c else "")
        self.import_button.setEnabled(self.ctx.db is not None and self.ctx.may_edit_referential)

    def has_unsaved_edits(self) -> bool:
        return self.territory.has_unsaved()

    def can_close(self) -> bool:
        return self.territory.settle()

    def quartier_changed(self, quartier) -> None:
        self.portrait.show_quartier(quartier)
        if hasattr(self, "perimeter"):  # the territory tab reloads while the page is being built
            self.perimeter.show_quartier(quartier)

    def status(self, message: str) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(message, 6000)

    def apply_filters(self, filters: dict) -> None:
        tab = filters.get("tab")
        if tab in self.TABS:
            self.tabs.setCurrentIndex(self.TABS.index(tab))
        if "objective_id" in filters:
            self.tabs.setCurrentWidget(self.objectives)
            self.objectives.select(filters["objective_id"])

    def save_settings(self, settings: Settings) -> None:
        settings.set(REFERENTIAL_TAB, self.tabs.currentIndex())
        settings.set(REFERENTIAL_PORTRAIT_SPLITTER, self.portrait.splitter.saveState())

    # ----------------------------------------------------------------- import

    def import_file(self) -> None:
        path = ask_referential_file(self)
        if path is None:
            return
        ok, ref = self.ctx.attempt(self, read_referential, path)
        if not ok:
            return
        db = self.ctx.db

        def preview(progress=None):
            return preview_import(db, ref)

        self.ctx.run_in_background(self, "Analyse du référentiel…", preview,
                                   on_done=lambda changes: self._show_preview(path, ref, changes))

    def _show_preview(self, path, ref, changes) -> None:
        dialog = ReferentialImportDialog(str(path), changes, self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._run_import(ref, self._ask_overwrite(changes)))
        self.active_dialog = dialog
        dialog.open()

    def _ask_overwrite(self, changes) -> bool:
        """Fields she edited since the last import: replace them by the file's values? (No: kept.)"""
        edited = [c for c in changes if c.operation == "à confirmer"]
        if not edited:
            return False
        listed = "\n".join(f"• {c.section} {c.key} — {c.detail}" for c in edited[:12])
        more = f"\n… et {plural(len(edited) - 12, 'autre')}." if len(edited) > 12 else ""
        return self.ctx.confirm(
            self,
            f"{plural(len(edited), 'champ')} {'a été modifié' if len(edited) == 1 else 'ont été modifiés'} "
            f"dans l'application depuis le dernier import :\n\n{listed}{more}"
            "\n\nLes remplacer par les valeurs du fichier ? (Non : vos modifications sont gardées.)",
            "Modifications faites dans l'application",
        )

    def _run_import(self, ref, overwrite: bool = False) -> None:
        self.ctx.run_in_background(self, "Import du référentiel…", import_referential, self.ctx.db, ref,
                                   overwrite=overwrite, on_done=self._imported)

    def _imported(self, result) -> None:
        self.refresh()
        changed = sum(1 for c in result.changes if c.operation != "inchangé")
        self.last_import = result
        self.status(f"Référentiel importé : {plural(changed, 'changement')}.")
        self.ctx.info(self, f"Référentiel importé : {plural(changed, 'changement appliqué', 'changements appliqués')}.")


__all__ = ["ReferentialPage"]
