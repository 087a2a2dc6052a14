"""Add or edit a member of a body (form ``ui/membership_dialog.ui``)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ...domain.enums import MemberRole
from ...domain.errors import ValidationError
from ...services import partners
from ...services.partners import BodyRow, MembershipRow
from ..context import AppContext
from ..forms.membership_dialog_ui import Ui_MembershipDialog
from .base import ServiceDialog, combo_id, date_field_in_place_of, make_searchable, select_data, text_of

FIELDS = ("seat", "role", "person", "organisation", "start_date", "end_date")
_WIDGET = {"person_id": "person", "organisation_id": "organisation"}


def _date_text(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


class MembershipDialog(ServiceDialog):
    """``saved(int)`` gives the membership id."""

    def __init__(self, ctx: AppContext, body: BodyRow, parent: QWidget | None = None,
                 membership: MembershipRow | None = None):
        super().__init__(ctx, parent)
        self.body = body
        self.membership = membership
        self.ui = Ui_MembershipDialog()
        self.ui.setupUi(self)
        self.ui.start_date = date_field_in_place_of(self.ui.form, self.ui.start_date, "start_date")
        self.ui.end_date = date_field_in_place_of(self.ui.form, self.ui.end_date, "end_date")
        self.ui.body.setText(body.name)
        for role in MemberRole:
            self.ui.role.addItem(role.label, role.value)
        self.ui.person.addItem("", None)
        for p in partners.list_persons(ctx.db, active=True):
            self.ui.person.addItem(p.display_name, p.id)
        if membership and membership.person_id and self.ui.person.findData(membership.person_id) < 0:
            self.ui.person.addItem(membership.person_name or "", membership.person_id)
        self.ui.organisation.addItem("", None)
        for o in partners.organisation_choices(ctx.db):
            self.ui.organisation.addItem(o.name, o.id)
        if membership and membership.organisation_id and self.ui.organisation.findData(membership.organisation_id) < 0:
            self.ui.organisation.addItem(membership.organisation_name or "", membership.organisation_id)
        make_searchable(self.ui.person)
        make_searchable(self.ui.organisation)
        self.ui.person.currentIndexChanged.connect(self._person_chosen)
        fields = {name: getattr(self.ui, name) for name in FIELDS}
        self.watch_fields(self.ui.form, fields, self.ui.errorSummary, self.ui.buttonBox)
        self._org_of_person = {}
        if membership is None:
            self.setWindowTitle(f"Nouveau membre — {body.name}")
            select_data(self.ui.role, MemberRole.MEMBRE.value)
            self.ui.person.setCurrentIndex(0)
            self.ui.organisation.setCurrentIndex(0)
        else:
            self.setWindowTitle(f"Membre — {body.name}")
            self.ui.seat.setText(membership.seat or "")
            select_data(self.ui.role, membership.role.value)
            select_data(self.ui.person, membership.person_id)
            select_data(self.ui.organisation, membership.organisation_id)
            self.ui.start_date.setText(_date_text(membership.start_date))
            self.ui.end_date.setText(_date_text(membership.end_date))

    def _person_chosen(self, index: int) -> None:
        """Suggest the person's organisation as the one represented, if none chosen yet."""
        person_id = self.ui.person.itemData(index)
        if person_id is None or self.ui.organisation.currentText().strip():
            return
        person = partners.get_person(self.ctx.db, person_id)
        if person.organisation_id is not None:
            select_data(self.ui.organisation, person.organisation_id)

    def values(self) -> dict:
        ui = self.ui
        errors, data = {}, {
            "seat": text_of(ui.seat),
            "role": ui.role.currentData(),
            "start_date": text_of(ui.start_date),
            "end_date": text_of(ui.end_date),
        }
        for key, widget, label in (("person_id", ui.person, "Contact"),
                                   ("organisation_id", ui.organisation, "Organisation représentée")):
            try:
                data[key] = combo_id(widget, _WIDGET[key], label)
            except ValidationError as exc:
                errors[_WIDGET[key]] = str(exc)
        if errors:
            raise ValidationError.many(errors)
        return data

    def save(self) -> int:
        values = self.values()
        try:
            if self.membership is None:
                return partners.create_membership(self.ctx.db, {"body_id": self.body.id, **values})
            partners.update_membership(self.ctx.db, self.membership.id, values,
                                       expected_version=self.membership.version)
            return self.membership.id
        except ValidationError as exc:
            raise ValidationError.many({_WIDGET.get(k, k): v for k, v in exc.errors.items()}) from None
