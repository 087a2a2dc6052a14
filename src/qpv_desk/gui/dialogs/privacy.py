"""« Données personnelles » (RGPD): export or anonymise a contact, retention and inactive contacts.

The questions asked to the user go through ``ctx.confirm`` and
:meth:`PrivacyDialog.ask_save_path` (tests patch them).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.text import plural
from ...services import privacy as PV
from ..models import Column, RowTableModel
from ..widgets.tables import setup_table
from .base import KeepsTypedText


def _day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "jamais"


INACTIVE_COLUMNS = [
    Column("Contact", "name"),
    Column("Structure", "organisation"),
    Column("Dernière activité", "last_activity", display=_day),
]


class PrivacyDialog(KeepsTypedText, QDialog):
    """Export everything about a contact, anonymise them, review inactive contacts.

    A retention period changed and not saved is asked about on Échap, « Fermer » or the
    window's close button (choosing a contact is not a change to save)."""

    unsaved_what = "La durée de conservation"
    _saved_years: int | None = None

    def __init__(self, ctx, parent: QWidget | None = None, person_id: int | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Données personnelles (RGPD)")
        self.resize(720, 560)

        person_box = QGroupBox("Un contact", self)
        self.person_combo = QComboBox(person_box)
        self.person_combo.setMinimumContentsLength(30)
        self.export_button = QPushButton("Exporter ses données…", person_box)
        self.anonymise_button = QPushButton("Anonymiser…", person_box)
        self.export_button.clicked.connect(self.export_selected)
        self.anonymise_button.clicked.connect(self.anonymise_selected)
        self.person_combo.currentIndexChanged.connect(lambda _i: self._update_buttons())
        person_layout = QVBoxLayout(person_box)
        person_layout.addWidget(self.person_combo)
        help_text = QLabel(
            "L'export (tableur) répond à une demande d'accès. L'anonymisation remplace le nom et efface les "
            "coordonnées, la fonction et les notes ; les présences, sièges et actions restent comptés.",
            person_box,
        )
        help_text.setWordWrap(True)
        person_layout.addWidget(help_text)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.anonymise_button)
        row.addStretch(1)
        person_layout.addLayout(row)

        retention_box = QGroupBox("Durée de conservation", self)
        self.years = QSpinBox(retention_box)
        self.years.setRange(1, 50)
        self.years.setSuffix(" ans")
        self.save_years_button = QPushButton("Enregistrer", retention_box)
        self.save_years_button.clicked.connect(self.save_retention)
        self.prune_button = QPushButton("Supprimer les sauvegardes plus anciennes…", retention_box)
        self.prune_button.clicked.connect(self.prune)
        form = QFormLayout()
        years_row = QHBoxLayout()
        years_row.addWidget(self.years)
        years_row.addWidget(self.save_years_button)
        years_row.addStretch(1)
        form.addRow("Contacts inactifs et sauvegardes gardés :", years_row)
        self.inactive_label = QLabel(retention_box)
        self.inactive_model = RowTableModel(INACTIVE_COLUMNS, self)
        self.inactive_view = QTableView(retention_box)
        setup_table(self.inactive_view, self.inactive_model, sort=0, order=Qt.DescendingOrder, resize="stretch",
                    stretch=None, alternating=False)
        self.inactive_view.clicked.connect(self._pick_inactive)
        retention_layout = QVBoxLayout(retention_box)
        retention_layout.addLayout(form)
        retention_layout.addWidget(self.inactive_label)
        retention_layout.addWidget(self.inactive_view, 1)
        retention_layout.addWidget(self.prune_button)

        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(person_box)
        layout.addWidget(retention_box, 1)
        layout.addWidget(buttons)
        self.refresh(select=person_id)

    # ----------------------------------------------------------------- questions (patched in tests)

    @classmethod
    def ask_save_path(cls, parent: QWidget | None, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, "Exporter les données du contact", suggested,
                                              "Classeur Excel (*.xlsx)")
        return Path(name) if name else None

    # ----------------------------------------------------------------- state

    def refresh(self, select: int | None = None) -> None:
        current = select if select is not None else self.person_id()
        self.person_combo.blockSignals(True)
        self.person_combo.clear()
        db = self.ctx.db
        if db is not None:
            ok, people = self.ctx.attempt(self, PV.persons, db)
            for p in people if ok else []:
                label = p.name + (f" — {p.organisation}" if p.organisation else "")
                if p.anonymised_on:
                    label += f" (anonymisé le {p.anonymised_on:%d/%m/%Y})"
                self.person_combo.addItem(label, p.id)
            years = PV.retention_years(db)
            self.years.setValue(years)
            self._saved_years = years
            ok, inactive = self.ctx.attempt(self, PV.inactive_contacts, db, years)
            inactive = inactive if ok else []
            self.inactive_model.set_rows(inactive)
            self.inactive_label.setText(
                f"{plural(len(inactive), 'contact')} sans activité depuis plus de {years} ans : à revoir (anonymiser "
                "ceux dont la base n'a plus besoin)." if inactive else
                f"Aucun contact sans activité depuis plus de {years} ans."
            )
        else:
            self.inactive_model.set_rows([])
            self.inactive_label.setText("Aucune base n'est ouverte.")
        if current is not None:
            index = self.person_combo.findData(current)
            if index >= 0:
                self.person_combo.setCurrentIndex(index)
        self.person_combo.blockSignals(False)
        self._update_buttons()

    def person_id(self) -> int | None:
        value = self.person_combo.currentData()
        return int(value) if value is not None else None

    def _update_buttons(self) -> None:
        db = self.ctx.db
        has_person = self.person_id() is not None
        writable = db is not None and not self.ctx.read_only
        self.export_button.setEnabled(has_person)
        self.anonymise_button.setEnabled(has_person and writable)
        self.save_years_button.setEnabled(writable)
        self.years.setEnabled(writable)
        self.prune_button.setEnabled(writable and db.is_sqlite)

    def _pick_inactive(self, index) -> None:
        row = self.inactive_model.row_at(index)
        if row is not None:
            self.person_combo.setCurrentIndex(self.person_combo.findData(row.id))

    # ----------------------------------------------------------------- actions

    def export_selected(self) -> None:
        """Write the person's data (right of access) on the background executor."""
        person_id = self.person_id()
        if person_id is None:
            return
        target = self.ask_save_path(self, f"donnees-contact-{person_id}.xlsx")
        if target is None:
            return
        self.ctx.run_in_background(self, "Export des données du contact…", PV.export_person, self.ctx.db, person_id,
                                   target, on_done=lambda written: self.ctx.info(
                                       self, f"Les données du contact ont été exportées dans {written}."))

    def anonymise_selected(self) -> None:
        """Find where the person is quoted (every free text of the base: in the background),
        ask, then anonymise (in the background too: the history is rewritten)."""
        person_id = self.person_id()
        if person_id is None:
            return
        label = self.person_combo.currentText()
        self.ctx.run_in_background(self, "Recherche des mentions du contact…", PV.mentions, self.ctx.db, person_id,
                                   on_done=lambda found: self._confirm_anonymise(person_id, label, found))

    def _confirm_anonymise(self, person_id: int, label: str, found) -> None:
        quoted = ""
        if found:
            listed = "\n".join(f"• {m.where} : {m.excerpt}" for m in found[:10])
            more = f"\n… et {plural(len(found) - 10, 'autre')}." if len(found) > 10 else ""
            replaced = "cette mention sera remplacée" if len(found) == 1 else "ces mentions seront remplacées"
            quoted = (f"\n\nLe contact est cité dans {plural(len(found), 'texte libre', 'textes libres')} ; "
                      f"{replaced} par le pseudonyme :\n{listed}{more}")
        question = (
            f"Anonymiser définitivement « {label} » ?\n\nLe nom sera remplacé, et le courriel, le téléphone, "
            "la fonction et les notes effacés, ici et dans l'historique. Les présences et les statistiques sont "
            f"gardées. L'opération ne peut être annulée qu'en restaurant une sauvegarde.{quoted}"
        )
        if not self.ctx.confirm(self, question, "Anonymiser un contact"):
            return
        self.ctx.run_in_background(self, "Anonymisation du contact…", PV.anonymise_person, self.ctx.db, person_id,
                                   on_done=lambda name: self._anonymised(person_id, name))

    def _anonymised(self, person_id: int, name: str) -> None:
        self.refresh(select=person_id)
        self.ctx.info(self, f"Le contact est désormais « {name} ».")

    def has_unsaved_changes(self) -> bool:
        return self._saved_years is not None and self.years.value() != self._saved_years

    def save_unsaved(self) -> bool:
        return self.save_retention()

    def save_retention(self) -> bool:
        ok, _ = self.ctx.attempt(self, PV.set_retention_years, self.ctx.db, self.years.value())
        if ok:
            self.refresh()
        return ok

    def prune(self) -> None:
        db = self.ctx.db
        if db is None or not db.is_sqlite:
            return
        years = PV.retention_years(db)
        if not self.ctx.confirm(self, f"Supprimer les sauvegardes de plus de {years} ans ?", "Sauvegardes"):
            return
        self.ctx.run_in_background(self, "Suppression des anciennes sauvegardes…", PV.prune_backups, db.path, years,
                                   on_done=lambda deleted: self.ctx.info(
                                       self, plural(len(deleted), "sauvegarde supprimée",
                                                    "sauvegardes supprimées") + "." if deleted else
                                       "Aucune sauvegarde n'est plus ancienne que la durée de conservation."))
