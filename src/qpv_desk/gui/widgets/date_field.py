"""One date field for every screen: accepts what a French user types, shows the weekday.

Accepted: « 08/12/2026 », « 8/12/26 », « 8-12-2026 », « 8.12.2026 », « 08122026 », « 081226 »
and ISO « 2026-12-08 ». The weekday is shown beside the field (« mardi »). An impossible
date (« 31/02/2026 ») or unreadable text is refused with a French message under the
field; the date is never silently changed into another one.

API (close to ``QDateEdit`` so forms read the same): :meth:`setDate` (``QDate`` or
``datetime.date`` or ``None``), :meth:`date` (a ``QDate``; invalid if empty or wrong),
:meth:`value` (``datetime.date`` or ``None``; raises :class:`ValidationError` when the
text is not a date), :meth:`text` (what is typed).

Signals:
    dateChanged(object): a valid date (``datetime.date``) or ``None`` was entered.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...domain.errors import ValidationError

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_SEPARATED = re.compile(r"^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def parse_french_date(text: str, field: str = "date") -> dt.date | None:
    """The date typed, ``None`` if empty; a :class:`ValidationError` (French) otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    parts = None
    if m := _ISO.match(text):
        parts = int(m[3]), int(m[2]), int(m[1])
    elif m := _SEPARATED.match(text):
        parts = int(m[1]), int(m[2]), _year(m[3])
    elif text.isdigit() and len(text) in (6, 8):
        parts = int(text[:2]), int(text[2:4]), _year(text[4:])
    if parts is None:
        raise ValidationError(field, f"« {text} » n'est pas une date : tapez-la sous la forme jj/mm/aaaa "
                                     "(par exemple 08/12/2026).")
    day, month, year = parts
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(field, f"Le {day:02d}/{month:02d}/{year} n'existe pas : vérifiez le jour et le mois.") \
            from None


class DateField(QWidget):
    dateChanged = Signal(object)

    def __init__(self, value: dt.date | QDate | None = None, parent: QWidget | None = None, *,
                 placeholder: str = "jj/mm/aaaa", field: str = "date"):
        super().__init__(parent)
        self.field = field
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(placeholderText=placeholder)
        self.edit.setObjectName("date_edit")
        self.edit.setMaximumWidth(130)
        self.weekday = QLabel()
        self.weekday.setObjectName("date_weekday")
        self.weekday.setMinimumWidth(70)
        row.addWidget(self.edit)
        row.addWidget(self.weekday)
        row.addStretch(1)
        outer.addLayout(row)
        self.message = QLabel()
        self.message.setObjectName("date_message")
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setWordWrap(True)
        self.message.hide()
        outer.addWidget(self.message)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(self._check_live)
        self.edit.editingFinished.connect(self._normalise)
        self.setDate(value)

    # ----------------------------------------------------------------- API

    def setDate(self, value) -> None:  # noqa: N802 - QDateEdit-like
        if isinstance(value, QDate):
            value = dt.date(value.year(), value.month(), value.day()) if value.isValid() else None
        self.edit.setText(value.strftime("%d/%m/%Y") if value else "")
        self._check_live()

    def date(self) -> QDate:
        try:
            value = self.value()
        except ValidationError:
            return QDate()
        return QDate(value.year, value.month, value.day) if value else QDate()

    def value(self) -> dt.date | None:
        return parse_french_date(self.edit.text(), self.field)

    def text(self) -> str:
        """The date as the services read it (jj/mm/aaaa), or the raw text if it is not one."""
        try:
            value = self.value()
        except ValidationError:
            return self.edit.text()
        return value.strftime("%d/%m/%Y") if value else ""

    def error(self) -> str:
        try:
            self.value()
        except ValidationError as exc:
            return exc.errors.get(self.field, str(exc))
        return ""

    def setText(self, text: str) -> None:  # noqa: N802 - QLineEdit-like
        """Show ``text`` as typed (a date read from the base, or nothing)."""
        self.edit.setText(text or "")
        self._check_live()
        self._normalise_quietly()

    def _normalise_quietly(self) -> None:
        try:
            value = self.value()
        except ValidationError:
            return
        if value is not None:
            self.edit.setText(value.strftime("%d/%m/%Y"))

    def setPlaceholderText(self, text: str) -> None:  # noqa: N802 - QLineEdit-like
        self.edit.setPlaceholderText(text)
        width = max(130, self.edit.fontMetrics().horizontalAdvance(text) + 24)
        self.edit.setMaximumWidth(width)
        # a line edit's size hint ignores its placeholder: it was cut (« jj/mm/aaaa (facul… »)
        self.edit.setMinimumWidth(width)

    def clear(self) -> None:
        self.setDate(None)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - keys given to the field go to its text
        QApplication.sendEvent(self.edit, event)

    # ----------------------------------------------------------------- live feedback

    def _check_live(self, *_):
        try:
            value = self.value()
        except ValidationError as exc:
            self.weekday.setText("")
            complete = len(self.edit.text().strip()) >= 6
            self.message.setText(exc.errors.get(self.field, str(exc)) if complete else "")
            self.message.setVisible(complete)
            return
        self.message.hide()
        self.weekday.setText(WEEKDAYS[value.weekday()] if value else "")
        self.dateChanged.emit(value)

    def _normalise(self) -> None:
        try:
            value = self.value()
        except ValidationError as exc:
            self.message.setText(exc.errors.get(self.field, str(exc)))
            self.message.show()
            return
        if value is not None:
            text = value.strftime("%d/%m/%Y")
            if text != self.edit.text():
                self.edit.setText(text)
