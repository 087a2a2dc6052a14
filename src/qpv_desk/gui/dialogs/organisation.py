"""Create or edit an organisation (form ``ui/organisation_dialog.ui``)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ...domain.enums import OrganisationKind
from ...services import partners
from ...services.partners import OrganisationRow
from ..context import AppContext
from ..forms.organisation_dialog_ui import Ui_OrganisationDialog
from .base import ServiceDialog, select_data, set_value, text_of

TEXTS = ("name", "acronym", "address", "postcode", "city", "email", "phone", "siret", "notes")
FIELDS = ("name", "acronym", "kind", "address", "postcode", "city", "email", "phone", "siret", "notes", "active")


class OrganisationDialog(ServiceDialog):
    """``saved(int)`` gives the organisation id."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, organisation: OrganisationRow | None = None):
        super().__init__(ctx, parent)
        self.organisation = organisation
        self.ui = Ui_OrganisationDialog()
        self.ui.setupUi(self)
        for kind in OrganisationKind:
            self.ui.kind.addItem(kind.label, kind.value)
        fields = {name: getattr(self.ui, name) for name in FIELDS}
        self.watch_fields(self.ui.form, fields, self.ui.errorSummary, self.ui.buttonBox)
        if organisation is None:
            self.setWindowTitle("Nouvelle organisation")
            select_data(self.ui.kind, OrganisationKind.ASSOCIATION.value)
        else:
            self.setWindowTitle(f"Organisation — {organisation.name}")
            self.show_values({**{name: getattr(organisation, name) or "" for name in TEXTS},
                              "kind": organisation.kind.value, "active": organisation.active})

    def show_values(self, values: dict) -> None:
        """Put ``values`` (fields of :meth:`values`) in the form, the others left as they are."""
        for name, value in values.items():
            set_value(getattr(self.ui, name), value)

    def values(self) -> dict:
        ui = self.ui
        data = {name: text_of(getattr(ui, name)) for name in TEXTS}
        data["kind"] = ui.kind.currentData()
        data["active"] = ui.active.isChecked()
        return {name: data[name] for name in FIELDS}  # in the form's order

    def conflict_target(self):
        return None if self.organisation is None else ("organisation", self.organisation.id, self.values())

    def save_resolved(self, values: dict, version: int) -> int:
        partners.update_organisation(self.ctx.db, self.organisation.id, values, expected_version=version)
        return self.organisation.id

    def save(self) -> int:
        if self.organisation is None:
            return partners.create_organisation(self.ctx.db, self.values())
        partners.update_organisation(self.ctx.db, self.organisation.id, self.values(),
                                     expected_version=self.organisation.version)
        return self.organisation.id
