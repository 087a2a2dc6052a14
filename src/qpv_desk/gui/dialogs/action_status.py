"""« Changer le statut… »: new status, date, the meeting that decided it (optional), a note.

It opens with no new status chosen (the current one is not offered: choosing it would change
nothing); « Enregistrer le statut » before a choice is refused with the reason under the field.

:meth:`StatusChangeDialog.ask` is the one call the editor makes (tests patch it): it
returns the values for :func:`qpv_desk.services.programme.change_status` or ``None``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from ...domain.enums import ActionStatus
from ...services.programme import MeetingChoice
from ..forms.status_change_dialog_ui import Ui_StatusChangeDialog
from . import base as dialog_base


class StatusChangeDialog(dialog_base.KeepsTypedText, QDialog):
    unsaved_what = "Le changement de statut et son commentaire"

    def __init__(self, parent: QWidget | None, current: ActionStatus, meetings: Sequence[MeetingChoice]):
        super().__init__(parent)
        self.ui = Ui_StatusChangeDialog()
        self.ui.setupUi(self)
        self.ui.date = dialog_base.date_field_in_place_of(self.ui.form, self.ui.date, "date")
        self.ui.date.setDate(dt.date.today())
        self.status, self.date, self.meeting, self.note = self.ui.status, self.ui.date, self.ui.meeting, self.ui.note
        for s in ActionStatus:
            if s is not current:
                self.status.addItem(s.label, s.value)
        self.status.setPlaceholderText(f"— à choisir (actuellement : {current.label}) —")
        self.status.setCurrentIndex(-1)
        self.errors = dialog_base.FieldErrors(self.ui.form, {"status": self.status}, self.ui.summary)
        self.meeting.addItem("— aucune —", None)
        for m in meetings:
            self.meeting.addItem(m.label, m.id)
        self.meeting.currentIndexChanged.connect(self._meeting_date)
        self._dates = {m.id: m.date for m in meetings}
        self.ui.buttonBox.button(QDialogButtonBox.Ok).setText("Enregistrer le statut")
        self.ui.buttonBox.button(QDialogButtonBox.Cancel).setText("Annuler")
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.mark_clean()

    def _meeting_date(self) -> None:
        day = self._dates.get(self.meeting.currentData())
        if day is not None:
            self.date.setDate(day)

    def accept(self) -> None:
        if self.status.currentData() is None:
            self.errors.show({"status": "Choisissez le nouveau statut de l'action."})
            return
        self.errors.clear()
        if self.date.error() or self.date.value() is None:
            self.date.setFocus()
            return  # the field shows why under it
        super().accept()

    def values(self) -> dict:
        return {"status": self.status.currentData(), "date": self.date.value(),
                "meeting_id": self.meeting.currentData(), "note": self.note.text()}

    @classmethod
    def ask(cls, parent: QWidget | None, current: ActionStatus, meetings: Sequence[MeetingChoice]) -> dict | None:
        dialog = cls(parent, current, meetings)
        return dialog.values() if dialog.exec() == QDialog.Accepted else None
