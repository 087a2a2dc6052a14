"""Create or edit a contact (form ``ui/person_dialog.ui``)."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from ...domain.enums import Civility
from ...domain.errors import ValidationError
from ...services import partners
from ...services.partners import PersonRow
from ..context import AppContext
from ..forms.person_dialog_ui import Ui_PersonDialog
from ..widgets.history import HistoryView
from .base import ServiceDialog, combo_id, make_searchable, select_data, set_value, text_of

TEXTS = ("first_name", "last_name", "function", "email", "phone", "notes")
FIELDS = ("civility", "first_name", "last_name", "function", "organisation", "email", "phone", "notes", "active")


class PersonDialog(ServiceDialog):
    """``saved(int)`` gives the contact id."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, person: PersonRow | None = None,
                 *, organisation_id: int | None = None):
        super().__init__(ctx, parent)
        self.person = person
        self.ui = Ui_PersonDialog()
        self.ui.setupUi(self)
        for civility in Civility:
            self.ui.civility.addItem(civility.label, civility.value)
        self.ui.organisation.addItem("", None)
        current_org = person.organisation_id if person else organisation_id
        for choice in partners.organisation_choices(ctx.db, include_inactive=True):
            if choice.active or choice.id == current_org:
                self.ui.organisation.addItem(choice.name, choice.id)
        make_searchable(self.ui.organisation)
        fields = {name: getattr(self.ui, name) for name in FIELDS}
        self.watch_fields(self.ui.form, fields, self.ui.errorSummary, self.ui.buttonBox)
        if person is None:
            self.setWindowTitle("Nouveau contact")
            select_data(self.ui.civility, Civility.NONE.value)
            select_data(self.ui.organisation, organisation_id)
        else:
            self.setWindowTitle(f"Contact — {person.full_name}")
            self.show_values({**{name: getattr(person, name) or "" for name in TEXTS},
                              "civility": person.civility.value, "organisation_id": person.organisation_id,
                              "active": person.active})
            self._add_history(person.id)

    def show_values(self, values: dict) -> None:
        """Put ``values`` (fields of :meth:`values`) in the form, the others left as they are."""
        for name, value in values.items():
            set_value(self.ui.organisation if name == "organisation_id" else getattr(self.ui, name), value)

    def _add_history(self, person_id: int) -> None:
        """Who changed this contact, and when (« Historique »), above the buttons."""
        box = QGroupBox("Historique des modifications", self)
        box.setCheckable(True)
        box.setChecked(False)
        inner = QVBoxLayout(box)
        self.history = HistoryView(self.ctx, "person", person_id, box)
        self.history.setVisible(False)
        self.history.setMinimumHeight(140)
        box.toggled.connect(self.history.setVisible)
        inner.addWidget(self.history)
        self.ui.mainLayout.insertWidget(self.ui.mainLayout.indexOf(self.ui.buttonBox), box)

    def values(self) -> dict:
        ui = self.ui
        data = {"civility": ui.civility.currentData(), **{name: text_of(getattr(ui, name)) for name in TEXTS}}
        data["active"] = ui.active.isChecked()
        try:
            data["organisation_id"] = combo_id(ui.organisation, "organisation", "Organisation")
        except ValidationError as exc:
            raise ValidationError("organisation", str(exc)) from None
        return data

    def conflict_target(self):
        return None if self.person is None else ("person", self.person.id, self.values())

    def save_resolved(self, values: dict, version: int) -> int:
        partners.update_person(self.ctx.db, self.person.id, values, expected_version=version)
        return self.person.id

    def save(self) -> int:
        values = self.values()
        try:
            if self.person is None:
                return partners.create_person(self.ctx.db, values)
            partners.update_person(self.ctx.db, self.person.id, values, expected_version=self.person.version)
            return self.person.id
        except ValidationError as exc:
            if "organisation_id" in exc.errors:  # the widget is named « organisation »
                errors = {("organisation" if k == "organisation_id" else k): v for k, v in exc.errors.items()}
                raise ValidationError.many(errors) from None
            raise
