"""Dialogs of what leaves the app: sending settings, the conseil citoyen's avis, and the
comparison of programme snapshots (« Évolutions du programme »).

Signals: see :class:`~qpv_desk.gui.dialogs.base.ServiceDialog` (``saved``).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ...domain.programme_changes import change_lines
from ...domain.text import euros, plural
from ...services import rapport as R
from ...services import sending as SD
from ...services import snapshots as S
from ..context import AppContext
from ..models.table import Column, RowTableModel
from ..widgets.tables import setup_table
from .base import ServiceDialog

NOW = -1  # « Programme actuel » in the « until » combo


class SendingSettingsDialog(ServiceDialog):
    """The organiser of the invitations and the DGS list of the workbook's e-mail."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.setWindowTitle("Paramètres d'envoi")
        self.setMinimumWidth(560)
        current = SD.sending_settings(ctx.db)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.edits = {"organiser_name": QLineEdit(current.organiser_name),
                      "organiser_email": QLineEdit(current.organiser_email),
                      "dgs_recipients": QLineEdit(", ".join(current.dgs_recipients))}
        for name, edit in self.edits.items():
            edit.setObjectName(name)
        self.edits["dgs_recipients"].setPlaceholderText("dgs@commune.fr, maire@commune.fr")
        form.addRow("Organisatrice (nom)", self.edits["organiser_name"])
        form.addRow("Organisatrice (adresse)", self.edits["organiser_email"])
        form.addRow("Destinataires du classeur", self.edits["dgs_recipients"])
        layout.addLayout(form)
        hint = QLabel("L'organisatrice figure dans les invitations (.ics) et comme expéditrice des brouillons "
                      "d'e-mail ; le classeur de suivi est adressé aux destinataires indiqués.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        layout.addWidget(self.buttons)
        self.watch_fields(form, self.edits, self.summary, self.buttons)

    def save(self):
        return SD.update_sending_settings(self.ctx.db, {k: e.text() for k, e in self.edits.items()})


class CitizenAvisDialog(ServiceDialog):
    """The conseil citoyen's avis on the rapport annuel of a year (annexed with its date)."""

    def __init__(self, ctx: AppContext, year: int, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.year = year
        self.current = R.citizen_avis(ctx.db, year)
        self.setWindowTitle(f"Avis du conseil citoyen sur le rapport {year}")
        self.setMinimumSize(620, 420)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.date = QDateEdit(calendarPopup=True, displayFormat="dd/MM/yyyy")
        self.date.setObjectName("date")
        day = self.current.date if self.current else dt.date.today()
        self.date.setDate(QDate(day.year, day.month, day.day))
        self.text = QPlainTextEdit(self.current.text if self.current else "")
        self.text.setObjectName("text")
        form.addRow("Date de l'avis", self.date)
        form.addRow("Avis", self.text)
        layout.addLayout(form)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        layout.addWidget(self.buttons)
        self.watch_fields(form, {"date": self.date, "text": self.text}, self.summary, self.buttons)

    def save(self):
        q = self.date.date()
        return R.record_citizen_avis(self.ctx.db, self.year,
                                     {"date": dt.date(q.year(), q.month(), q.day()), "text": self.text.toPlainText()},
                                     expected_version=self.current.version if self.current else None)


CHANGE_COLUMNS = [
    Column("Changement", "kind"),
    Column("Code", "code"),
    Column("Action", "action"),
    Column("Porteur", "holder"),
    Column("Détail", "detail"),
    Column("Écart", "delta_cents", display=euros, align="right"),
]


class ProgrammeChangesDialog(QDialog):
    """What changed in the programme between two snapshots, or a snapshot and now."""

    def __init__(self, ctx: AppContext, years: list[int], year: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Évolutions du programme")
        self.resize(1000, 560)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.since = QComboBox()
        self.since.setObjectName("since")
        self.until = QComboBox()
        self.until.setObjectName("until")
        for combo in (self.since, self.until):  # a long label never widens the dialog past the screen
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(30)
            combo.currentTextChanged.connect(combo.setToolTip)
        self.year = QComboBox()
        self.year.setObjectName("year")
        self.year.addItem("Toutes les années", None)
        for y in years:
            self.year.addItem(str(y), y)
        if year is not None and self.year.findData(year) >= 0:
            self.year.setCurrentIndex(self.year.findData(year))
        for label, widget in (("Depuis", self.since), ("jusqu'à", self.until), ("Programmation", self.year)):
            top.addWidget(QLabel(label))
            top.addWidget(widget, 1)
        self.snapshot_button = QPushButton("Prendre une photographie maintenant")
        self.snapshot_button.setObjectName("take_snapshot")
        self.snapshot_button.setEnabled(not ctx.read_only)
        top.addWidget(self.snapshot_button)
        layout.addLayout(top)
        self.totals = QLabel()
        self.totals.setObjectName("totals")
        self.totals.setWordWrap(True)
        layout.addWidget(self.totals)
        self.model = RowTableModel(CHANGE_COLUMNS, self)
        self.view = QTableView()
        setup_table(self.view, self.model, selection="extended", stretch=4, alternating=False)
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.snapshot_button.clicked.connect(self.take_snapshot)
        self._asked = 0  # each comparison asked for; only the latest one's answer is shown
        self.comparing = False
        self.fill_snapshots()
        for combo in (self.since, self.until, self.year):
            combo.currentIndexChanged.connect(self.compare)
        self.compare()

    def fill_snapshots(self, select: int | None = None) -> None:
        snaps = S.list_snapshots(self.ctx.db)
        for combo in (self.since, self.until):
            combo.blockSignals(True)
            combo.clear()
        self.until.addItem(S.NOW_LABEL, NOW)
        for snap in snaps:
            self.since.addItem(snap.display, snap.id)
            self.until.addItem(snap.display, snap.id)
        last = S.last_copil_snapshot(self.ctx.db)
        target = select if select is not None else (last.id if last else None)
        if target is not None and self.since.findData(target) >= 0:
            self.since.setCurrentIndex(self.since.findData(target))
        for combo in (self.since, self.until):
            combo.blockSignals(False)

    def take_snapshot(self) -> None:
        ok, info = self.ctx.attempt(self, S.take_snapshot, self.ctx.db)
        if ok:
            self.fill_snapshots(select=self.since.currentData())
            self.compare()

    def compare(self) -> None:
        """Compare the chosen snapshots on the background executor (two programmes read and
        diffed: never on the GUI thread); only the answer to the latest choice is shown."""
        self._asked += 1
        asked = self._asked
        old = self.since.currentData()
        if old is None:
            self.comparing = False
            self.model.set_rows([])
            self.totals.setText("Aucune photographie du programme : elle est prise quand un COPIL est marqué "
                                "« tenu », ou avec le bouton « Prendre une photographie maintenant ».")
            return
        new = self.until.currentData()
        self.comparing = True
        self.ctx.run_in_background(self, "Comparaison des photographies…", S.compare_snapshots, self.ctx.db, old,
                                   None if new == NOW else new, year=self.year.currentData(), quiet=True,
                                   on_done=lambda changes: self._compared(asked, changes),
                                   on_error=lambda exc: self._failed(asked, exc))

    def _failed(self, asked: int, exc: BaseException) -> None:
        if asked == self._asked and isValid(self):
            self.comparing = False
            self.ctx.report(self, exc)

    def _compared(self, asked: int, changes) -> None:
        if asked != self._asked or not isValid(self):
            return  # another choice was made meanwhile (its own answer follows), or the dialog is gone
        self.comparing = False
        self.changes = changes
        self.model.set_rows(change_lines(changes, euros))
        deltas = "; ".join(f"{f.name} : demandé {euros(f.requested_delta_cents)}, accordé "
                           f"{euros(f.granted_delta_cents)}" for f in changes.funder_deltas)
        self.totals.setText(
            f"{plural(len(changes.added), 'ajoutée')}, {plural(len(changes.withdrawn), 'retirée')}, "
            f"{plural(len(changes.status_changed), 'changement')} de statut, "
            f"{plural(len(changes.amounts_changed), 'action')} aux montants modifiés. "
            f"Écart total : demandé {euros(changes.requested_delta_cents)}, accordé "
            f"{euros(changes.granted_delta_cents)}" + (f" ({deltas})." if deltas else "."))
        self.view.resizeColumnsToContents()
        # the action's title and its holder sized to their text, but never so wide that the
        # Détail column (what changed: the reason to open this dialog) is left a few letters
        header, room = self.view.horizontalHeader(), self.view.viewport().width()
        for column in (2, 3):
            header.resizeSection(column, min(header.sectionSize(column), int(room * 0.25)))
