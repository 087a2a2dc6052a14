"""« Nouvelle réunion »: the body, the date and, if known, times and place.

The invitees are then prefilled by the service from the seats of the body active on
that date. :meth:`NewMeetingDialog.ask` is what the page calls (tests replace it). « Créer »
calls the service; a refused input is shown and the dialog stays open, nothing lost.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from ...domain.errors import UserError, ValidationError
from ...services.meetings import Choice, create_meeting
from ..forms.new_meeting_dialog_ui import Ui_NewMeetingDialog
from . import base as dialog_base


class NewMeetingDialog(dialog_base.KeepsTypedText, QDialog):
    unsaved_what = "Les informations de la nouvelle réunion"

    def __init__(self, ctx, bodies: list[Choice], parent: QWidget | None = None, *, body_id: int | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id: int | None = None
        self.ui = Ui_NewMeetingDialog()
        self.ui.setupUi(self)
        self.setMinimumWidth(520)
        self.ui.date = dialog_base.date_field_in_place_of(self.ui.form, self.ui.date, "date")
        self.ui.date.setDate(dt.date.today())
        ui = self.ui
        self.body, self.date, self.title_edit = ui.body, ui.date, ui.title_edit
        self.start, self.end, self.place, self.buttons, self.summary = ui.start, ui.end, ui.place, ui.buttons, \
            ui.errorSummary
        for b in bodies:
            self.body.addItem(f"{b.label} ({b.detail})", b.id)
        if body_id is not None and self.body.findData(body_id) >= 0:
            self.body.setCurrentIndex(self.body.findData(body_id))
        self.errors = dialog_base.FieldErrors(ui.form, {
            "body_id": self.body, "date": self.date, "title": self.title_edit, "start_time": self.start,
            "end_time": self.end, "place": self.place}, self.summary)
        self.buttons.button(QDialogButtonBox.Ok).setText("Créer la réunion")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Annuler")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.mark_clean()

    def values(self) -> dict:
        return {
            "body_id": self.body.currentData(),
            "date": self.date.text(),
            "title": self.title_edit.text().strip() or None,
            "start_time": self.start.text(),
            "end_time": self.end.text(),
            "place": self.place.text(),
        }

    def accept(self) -> None:
        v = self.values()
        errors = {}
        if v["body_id"] is None:
            errors["body_id"] = "Choisissez l'instance qui se réunit (créez-la d'abord dans Partenaires › Instances)."
        if self.date.error():
            errors["date"] = self.date.error()
        if errors:  # every wrong field at once, under each field
            self.errors.show(errors)
            return
        try:
            self.meeting_id = create_meeting(self.ctx.db, v["body_id"], v["date"], title=v["title"],
                                             start_time=v["start_time"], end_time=v["end_time"], place=v["place"])
        except ValidationError as exc:
            self.errors.show(exc.errors, str(exc))
            return
        except UserError as exc:
            self.ctx.error(self, exc)
            return
        super().accept()

    @classmethod
    def ask(cls, ctx, parent: QWidget | None, bodies: list[Choice], body_id: int | None = None) -> int | None:
        """Create a meeting; returns its id, or ``None`` if the user cancelled."""
        dialog = cls(ctx, bodies, parent, body_id=body_id)
        return dialog.meeting_id if dialog.exec() == QDialog.Accepted else None
