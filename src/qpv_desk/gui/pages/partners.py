"""Partenaires: organisations, contacts, and the composition of each body.

Lists are filtered and sorted in SQL by :mod:`qpv_desk.services.partners` (search as
you type, debounced); the views are plain :class:`RowTableModel` tables.

``apply_filters`` keys: ``tab`` (« organisations », « contacts », « instances »),
``search``, ``organisation_id`` (contacts of one organisation), ``body_id``.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import BodyKind, OrganisationKind
from ...domain.errors import ValidationError
from ...domain.validation import date
from ...services import partners
from ..dialogs.base import make_searchable
from ..dialogs.council_register import CouncilRegisterDialog
from ..dialogs.membership import MembershipDialog
from ..dialogs.organisation import OrganisationDialog
from ..dialogs.person import PersonDialog
from ..models import Column, RowTableModel
from ..settings import PARTNERS_BODIES_SPLITTER, PARTNERS_TAB, Settings
from ..widgets import SearchLineEdit
from ..widgets.date_field import DateField
from ..widgets.table_keys import bind_list_keys
from ..widgets.tables import setup_table
from .base import Page
from .partners_attendance import AttendanceTab

log = logging.getLogger("qpv_desk.gui")

ORGANISATION_COLUMNS = [
    Column("Nom", "name"),
    Column("Sigle", "acronym", width=70),
    Column("Type", "kind", width=150),
    Column("Commune", "city", width=110),
    Column("Courriel", "email", width=170),
    Column("Téléphone", "phone", width=100),
    Column("SIRET", "siret", width=115),
    Column("Contacts", "contacts", align="right", width=65),
    Column("Active", "active", check=True, width=50),
]

PERSON_COLUMNS = [
    Column("Civilité", "civility", display=lambda c: c.value, width=55),
    Column("Nom", "last_name", width=120),
    Column("Prénom", "first_name", width=100),
    Column("Fonction", "function", width=170),
    Column("Organisation", "organisation_name", sort_key="organisation"),
    Column("Courriel", "email", width=190),
    Column("Téléphone", "phone", width=100),
    Column("Actif", "active", check=True, width=45),
]

BODY_COLUMNS = [
    Column("Instance", "name"),
    Column("Membres", "members", align="right"),
]

MEMBERSHIP_COLUMNS = [
    Column("Rôle", "role", width=120),
    Column("Contact", "person_name", width=190),
    Column("Organisation représentée", "organisation_name"),
    Column("Siège", "seat", width=170),
    Column("Du", "start_date", width=80),
    Column("Au", "end_date", width=80),
]

STATUS_CHOICES = (("Actifs", True), ("Inactifs", False), ("Tous", None))


def ask_end_date(parent: QWidget | None, default: dt.date) -> dt.date | None:
    """Ask the end date of a membership in the French date field (patched in tests)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Mettre fin au mandat")
    form = QFormLayout(dialog)
    field = DateField(default, field="end_date")
    form.addRow("Date de fin", field)
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return date(field.text(), "Date de fin", "end_date", required=True)


def make_table(model: RowTableModel, name: str | None = None, *, sort: int = -1,
               order: Qt.SortOrder = Qt.AscendingOrder) -> QTableView:
    """A sortable list whose columns without a width share the room left."""
    view = QTableView()
    setup_table(view, model, name=name, sort=sort, order=order, stretch="auto", word_wrap=False, row_height=24)
    return view


class _ListTab(QWidget):
    """A searchable, filterable table of organisations or contacts with its buttons."""

    noun_one = ""
    noun_many = ""
    status_choices = STATUS_CHOICES

    columns: list[Column] = []
    default_sort = ""

    def __init__(self, page: PartnersPage):
        super().__init__()
        columns, default_sort = self.columns, self.default_sort
        self.page = page
        self.ctx = page.ctx
        self._sort = (default_sort, False)
        self.search = SearchLineEdit(placeholder=self.placeholder())
        self.search.search_changed.connect(lambda _t: self.reload())
        self.status = QComboBox()
        for label, value in self.status_choices:
            self.status.addItem(label, value)
        self.status.currentIndexChanged.connect(lambda _i: self.reload())
        self.count = QLabel()
        self.count.setMinimumWidth(130)
        self.model = RowTableModel(columns, self, muted=lambda r: not r.active, server_sort=True)
        self.view = make_table(self.model, f"partners_{self.noun_many}")
        bind_list_keys(self.view, open=self.edit, delete=self.delete, delete_button=lambda: self.delete_button)
        self.new_button = QPushButton(self.new_label())
        self.edit_button = QPushButton("Modifier…")
        self.toggle_button = QPushButton("Désactiver")
        self.delete_button = QPushButton("Supprimer")
        self.new_button.clicked.connect(self.create)
        self.edit_button.clicked.connect(self.edit)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.delete_button.clicked.connect(self.delete)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        self.add_filters(filters)
        filters.addWidget(self.status)
        filters.addWidget(self.count)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.toggle_button, self.delete_button, *self.extra_buttons()):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
        sort_column = next((i for i, c in enumerate(columns) if c.key == default_sort), 0)
        self.view.horizontalHeader().setSortIndicator(sort_column, Qt.AscendingOrder)
        self.model.sort_requested.connect(self._sort_requested)
        self.update_buttons()

    # hooks
    def placeholder(self) -> str:
        return "Rechercher…"

    def new_label(self) -> str:
        return "Nouveau…"

    def add_filters(self, layout: QHBoxLayout) -> None:
        pass

    def extra_buttons(self) -> list[QPushButton]:
        return []

    def fetch(self, sort: str, descending: bool) -> list:
        raise NotImplementedError

    # behaviour
    def _sort_requested(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self.reload()

    def selected(self):
        indexes = self.view.selectionModel().selectedRows()
        return self.model.row_at(indexes[0]) if indexes else None

    def select_id(self, ident) -> None:
        row = self.model.find_id(ident)
        if row >= 0:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))

    def reload(self) -> None:
        if self.ctx.db is None:
            self.model.set_rows([])
            self.count.setText("")
            self.update_buttons()
            return
        current = self.selected()
        rows = self.fetch(*self._sort)
        self.model.set_rows(rows)
        n = len(rows)
        self.count.setText(f"{n} {self.noun_one if n <= 1 else self.noun_many}")
        if current is not None:
            self.select_id(current.id)
        self.update_buttons()

    def update_buttons(self) -> None:
        row = self.selected()
        writable = self.ctx.db is not None and not self.ctx.read_only
        self.new_button.setEnabled(writable)
        self.edit_button.setEnabled(writable and row is not None)
        self.toggle_button.setEnabled(writable and row is not None)
        self.delete_button.setEnabled(writable and row is not None)
        self.toggle_button.setText("Réactiver" if row is not None and not row.active else "Désactiver")

    def open_dialog(self, dialog) -> None:
        self.page.active_dialog = dialog
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.open()

    def _saved(self, ident) -> None:
        self.page.refresh()
        self.select_id(ident)

    def create(self) -> None: ...

    def edit(self) -> None: ...

    def toggle_active(self) -> None: ...

    def delete(self) -> None: ...


class OrganisationsTab(_ListTab):
    noun_one, noun_many = "organisation", "organisations"
    status_choices = (("Actives", True), ("Inactives", False), ("Toutes", None))
    columns, default_sort = ORGANISATION_COLUMNS, "name"

    def placeholder(self) -> str:
        return "Rechercher une organisation (nom, sigle, commune, courriel, SIRET)…"

    def new_label(self) -> str:
        return "Nouvelle organisation…"

    def add_filters(self, layout: QHBoxLayout) -> None:
        self.kind = QComboBox()
        self.kind.addItem("Tous les types", None)
        for kind in OrganisationKind:
            self.kind.addItem(kind.label, kind.value)
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        layout.addWidget(self.kind)
        self.contacts_button = QPushButton("Voir ses contacts")
        self.contacts_button.clicked.connect(self.show_contacts)

    def extra_buttons(self) -> list[QPushButton]:
        return [self.contacts_button]

    def fetch(self, sort: str, descending: bool) -> list:
        return partners.list_organisations(self.ctx.db, search=self.search.text(), kind=self.kind.currentData(),
                                           active=self.status.currentData(), sort=sort, descending=descending)

    def update_buttons(self) -> None:
        super().update_buttons()
        if hasattr(self, "contacts_button"):
            self.contacts_button.setEnabled(self.selected() is not None)

    def show_contacts(self) -> None:
        row = self.selected()
        if row is not None:
            self.page.apply_filters({"tab": "contacts", "organisation_id": row.id})

    def create(self) -> None:
        self.open_dialog(OrganisationDialog(self.ctx, self))

    def edit(self) -> None:
        row = self.selected()
        if row is None or self.ctx.read_only:
            return
        ok, fresh = self.ctx.attempt(self, partners.get_organisation, self.ctx.db, row.id)
        if ok:
            self.open_dialog(OrganisationDialog(self.ctx, self, fresh))

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        ok, _ = self.ctx.attempt(self, partners.set_organisation_active, self.ctx.db, row.id, not row.active,
                                 expected_version=row.version)
        if ok:
            self._saved(row.id)

    def delete(self) -> None:
        row = self.selected()
        if row is None or not self.ctx.confirm(self, f"Supprimer définitivement l'organisation « {row.name} » ?"):
            return
        ok, _ = self.ctx.attempt(self, partners.delete_organisation, self.ctx.db, row.id)
        if ok:
            self._saved(None)


class ContactsTab(_ListTab):
    noun_one, noun_many = "contact", "contacts"
    columns, default_sort = PERSON_COLUMNS, "last_name"

    def placeholder(self) -> str:
        return "Rechercher un contact (nom, prénom, fonction, organisation, courriel)…"

    def new_label(self) -> str:
        return "Nouveau contact…"

    def add_filters(self, layout: QHBoxLayout) -> None:
        self.organisation = QComboBox()
        self.organisation.setMinimumWidth(240)
        self.organisation.addItem("Toutes les organisations", None)
        make_searchable(self.organisation)
        self.organisation.currentIndexChanged.connect(lambda _i: self.reload())
        layout.addWidget(self.organisation, 1)

    def load_organisations(self) -> None:
        current = self.organisation.currentData()
        self.organisation.blockSignals(True)
        self.organisation.clear()
        self.organisation.addItem("Toutes les organisations", None)
        if self.ctx.db is not None:
            for choice in partners.organisation_choices(self.ctx.db, include_inactive=True):
                self.organisation.addItem(choice.name, choice.id)
        index = self.organisation.findData(current)
        self.organisation.setCurrentIndex(max(index, 0))
        self.organisation.blockSignals(False)

    def fetch(self, sort: str, descending: bool) -> list:
        org = self.organisation.currentData() if self.organisation.currentIndex() > 0 else None
        return partners.list_persons(self.ctx.db, search=self.search.text(), organisation_id=org,
                                     active=self.status.currentData(), sort=sort, descending=descending)

    def create(self) -> None:
        org = self.organisation.currentData() if self.organisation.currentIndex() > 0 else None
        self.open_dialog(PersonDialog(self.ctx, self, organisation_id=org))

    def edit(self) -> None:
        row = self.selected()
        if row is None or self.ctx.read_only:
            return
        ok, fresh = self.ctx.attempt(self, partners.get_person, self.ctx.db, row.id)
        if ok:
            self.open_dialog(PersonDialog(self.ctx, self, fresh))

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        ok, _ = self.ctx.attempt(self, partners.set_person_active, self.ctx.db, row.id, not row.active,
                                 expected_version=row.version)
        if ok:
            self._saved(row.id)

    def delete(self) -> None:
        row = self.selected()
        if row is None or not self.ctx.confirm(self, f"Supprimer définitivement le contact « {row.full_name} » ?"):
            return
        ok, _ = self.ctx.attempt(self, partners.delete_person, self.ctx.db, row.id)
        if ok:
            self._saved(None)


class BodiesTab(QWidget):
    """Each body and its composition on a date (today by default)."""

    def __init__(self, page: PartnersPage):
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.bodies_model = RowTableModel(BODY_COLUMNS, self, muted=lambda b: not b.active)
        self.bodies = make_table(self.bodies_model, sort=0, order=Qt.DescendingOrder)  # as they always were
        self.bodies.setSortingEnabled(False)
        self.bodies.horizontalHeader().setSortIndicatorShown(False)
        self.bodies.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.bodies.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.bodies.selectionModel().selectionChanged.connect(lambda *_: self.load_members())
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.on_date = DateField(dt.date.today())
        self.on_date.dateChanged.connect(lambda _d: self.load_members())
        self.include_ended = QCheckBox("Tous les mandats (y compris terminés)")
        self.include_ended.toggled.connect(lambda _c: self.load_members())
        self.members_model = RowTableModel(MEMBERSHIP_COLUMNS, self,
                                           muted=lambda m: not m.active_on(self._on_day()))
        self.members = make_table(self.members_model)
        self.members.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)  # by role, then seat
        bind_list_keys(self.members, open=self.edit, delete=self.end, delete_button=lambda: self.end_button)
        self.members.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
        self.add_button = QPushButton("Ajouter un membre…")
        self.edit_button = QPushButton("Modifier…")
        self.end_button = QPushButton("Mettre fin au mandat…")
        self.register_button = QPushButton("Registre du conseil citoyen…")
        self.register_button.clicked.connect(self.open_register)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.end_button.clicked.connect(self.end)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(QLabel("Composition au"))
        top.addWidget(self.on_date)
        top.addWidget(self.include_ended)
        rl.addLayout(top)
        rl.addWidget(self.members, 1)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.end_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.register_button)
        rl.addLayout(buttons)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.bodies)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.update_buttons()

    def current_body(self):
        rows = self.bodies.selectionModel().selectedRows()
        return self.bodies_model.row_at(rows[0]) if rows else None

    def selected(self):
        rows = self.members.selectionModel().selectedRows()
        return self.members_model.row_at(rows[0]) if rows else None

    def reload(self) -> None:
        body = self.current_body()
        if self.ctx.db is None:
            self.bodies_model.set_rows([])
            self.members_model.set_rows([])
            self.update_buttons()
            return
        self.bodies_model.set_rows(partners.list_bodies(self.ctx.db, on=self._on_day()))
        row = self.bodies_model.find_id(body.id) if body else 0
        if self.bodies_model.rowCount():
            self.bodies.selectRow(max(row, 0))
        self.load_members()

    def select_body(self, body_id: int) -> None:
        row = self.bodies_model.find_id(body_id)
        if row >= 0:
            self.bodies.selectRow(row)

    def _on_day(self) -> dt.date:
        """The day the seats are shown for (today while the typed date is not a date)."""
        try:
            return self.on_date.value() or dt.date.today()
        except ValidationError:  # the field shows its own message
            return dt.date.today()

    def load_members(self) -> None:
        body = self.current_body()
        if body is None or self.ctx.db is None:
            self.title.setText("")
            self.members_model.set_rows([])
            self.update_buttons()
            return
        day = self._on_day()
        rows = partners.memberships(self.ctx.db, body.id, on=day, include_ended=self.include_ended.isChecked())
        self.members_model.set_rows(rows)
        quorum = f" — quorum : {body.quorum}" if body.quorum else ""
        kind = f" ({body.kind.label})" if body.kind.label.casefold() != body.name.casefold() else ""
        self.title.setText(f"{body.name}{kind}{quorum}")
        self.update_buttons()

    def update_buttons(self) -> None:
        writable = self.ctx.db is not None and not self.ctx.read_only
        member = self.selected()
        self.add_button.setEnabled(writable and self.current_body() is not None)
        self.edit_button.setEnabled(writable and member is not None)
        self.end_button.setEnabled(writable and member is not None and member.end_date is None)
        body = self.current_body()
        self.register_button.setEnabled(self.ctx.db is not None and body is not None
                                        and body.kind == BodyKind.CONSEIL_CITOYEN)

    def open_register(self) -> None:
        """The conseil citoyen's register (collèges, suppléants, arrêté, checks, draw, annex)."""
        body = self.current_body()
        if body is None:
            return
        dialog = CouncilRegisterDialog(self.ctx, body.id, self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.reload())
        self.page.active_dialog = dialog
        dialog.open()

    def _open(self, dialog) -> None:
        self.page.active_dialog = dialog
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.open()

    def _saved(self, ident) -> None:
        self.reload()
        row = self.members_model.find_id(ident)
        if row >= 0:
            self.members.selectRow(row)

    def add(self) -> None:
        body = self.current_body()
        if body is not None and not self.ctx.read_only:
            self._open(MembershipDialog(self.ctx, body, self))

    def edit(self) -> None:
        body, member = self.current_body(), self.selected()
        if body is not None and member is not None and not self.ctx.read_only:
            self._open(MembershipDialog(self.ctx, body, self, member))

    def end(self) -> None:
        member = self.selected()
        if member is None:
            return
        ok, day = self.ctx.attempt(self, ask_end_date, self, dt.date.today())
        if not ok or day is None:
            return
        ok, _ = self.ctx.attempt(self, partners.end_membership, self.ctx.db, member.id, day,
                                 expected_version=member.version)
        if ok:
            self._saved(member.id)


class PartnersPage(Page):
    key = "partners"
    title = "Partenaires"
    icon = "partners.svg"

    TABS = ("organisations", "contacts", "instances", "presences")

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.active_dialog = None
        self._settings = Settings()
        self.tabs = QTabWidget()
        self.organisations = OrganisationsTab(self)
        self.contacts = ContactsTab(self)
        self.instances = BodiesTab(self)
        self.tabs.addTab(self.organisations, "Organisations")
        self.tabs.addTab(self.contacts, "Contacts")
        self.tabs.addTab(self.instances, "Instances")

        self.attendance = AttendanceTab(self)
        self.tabs.addTab(self.attendance, "Présences")
        heading = self.heading("Partenaires")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)
        self.tabs.setCurrentIndex(min(max(self._settings.get(PARTNERS_TAB), 0), len(self.TABS) - 1))
        state = self._settings.get(PARTNERS_BODIES_SPLITTER)
        if not state.isEmpty():
            self.instances.splitter.restoreState(state)
        self.tabs.currentChanged.connect(lambda i: self._settings.set(PARTNERS_TAB, i))

    def refresh(self) -> None:
        self.contacts.load_organisations()
        self.organisations.reload()
        self.contacts.reload()
        self.instances.reload()
        self.attendance.load_bodies()
        self.attendance.reload()

    def focus_search(self) -> None:
        tab = self.tabs.currentWidget()
        if hasattr(tab, "search"):
            tab.search.setFocus(Qt.ShortcutFocusReason)
            tab.search.selectAll()

    def apply_filters(self, filters: dict) -> None:
        tab = filters.get("tab")
        if tab in self.TABS:
            self.tabs.setCurrentIndex(self.TABS.index(tab))
        if "organisation_id" in filters:
            self.tabs.setCurrentWidget(self.contacts)
            index = self.contacts.organisation.findData(filters["organisation_id"])
            self.contacts.organisation.setCurrentIndex(max(index, 0))
        if "search" in filters:
            widget = self.tabs.currentWidget()
            if hasattr(widget, "search"):
                widget.search.setText(str(filters["search"]))
                widget.search.flush()
        if "body_id" in filters:
            self.tabs.setCurrentWidget(self.instances)
            self.instances.select_body(filters["body_id"])

    def save_settings(self, settings: Settings) -> None:
        settings.set(PARTNERS_TAB, self.tabs.currentIndex())
        settings.set(PARTNERS_BODIES_SPLITTER, self.instances.splitter.saveState())
