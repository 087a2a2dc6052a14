"""The register of a conseil citoyen: members by collège with their entry mode, standing
(titulaire / suppléant(e) de …) and mandate; the law's checks; the recognition arrêté;
departures, replacements, the residents' draw and the arrêté's annex (Word).

Opened from Partenaires › Instances (« Registre du conseil citoyen… »). Every write is
one service call of :mod:`qpv_desk.services.council`; the small questions (a date, a
person, a file) are module functions so tests patch one call.
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
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain import council as CC
from ...domain.errors import UserError, ValidationError
from ...domain.text import plural
from ...domain.validation import date as parse_date
from ...services import council as council_service
from ...services import partners
from ..models import Column, RowTableModel
from ..widgets.tables import setup_table
from ..widgets.date_field import DateField
from . import base as dialog_base
from .base import FieldErrors, select_data

MEMBER_COLUMNS = [
    Column("Nom", "name", width=160),
    Column("Collège", "college_label", width=190, tooltip=lambda r: r.college_label),
    Column("Mode d'entrée", "entry_mode_label", width=100),
    Column("Qualité", "standing", tooltip=lambda r: r.standing),
    Column("Début", "start_date", width=80),
    Column("Fin du mandat", "end_date", width=90),
]
FORMER_COLUMNS = [
    Column("Nom", "name", width=190),
    Column("Collège", "college_label", width=190),
    Column("Qualité", "standing"),
    Column("Fin", "end_date", width=80),
]
LEVEL_MARK = {CC.CheckLevel.OK: "✔", CC.CheckLevel.WARNING: "⚠", CC.CheckLevel.ERROR: "✖"}
LEVEL_COLOUR = {CC.CheckLevel.OK: "#2e7d32", CC.CheckLevel.WARNING: "#b26a00", CC.CheckLevel.ERROR: "#c62828"}


# --------------------------------------------------------------------------- questions (patched in tests)


def ask_departure(parent: QWidget | None, name: str) -> tuple[dt.date, str] | None:
    text, ok = QInputDialog.getText(parent, "Départ d'un membre", f"Date du départ de {name} (jj/mm/aaaa) :",
                                    text=dt.date.today().strftime("%d/%m/%Y"))
    if not ok:
        return None
    day = parse_date(text, "Date du départ", "end_date", required=True)
    reason, ok = QInputDialog.getText(parent, "Départ d'un membre", "Motif (facultatif) :")
    return (day, reason if ok else "")


def ask_replacement(parent: QWidget | None, name: str, persons: list[tuple[str, int]]) -> tuple[int, dt.date] | None:
    labels = [label for label, _id in persons]
    label, ok = QInputDialog.getItem(parent, "Remplacer un membre", f"Qui remplace {name} ?", labels, 0, False)
    if not ok:
        return None
    text, ok = QInputDialog.getText(parent, "Remplacer un membre", "À partir du (jj/mm/aaaa) :",
                                    text=dt.date.today().strftime("%d/%m/%Y"))
    if not ok:
        return None
    return persons[labels.index(label)][1], parse_date(text, "Date du remplacement", "start_date", required=True)


def ask_annexe_path(parent: QWidget | None, suggested: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Annexe de l'arrêté", suggested, "Document Word (*.docx)")
    return Path(path) if path else None


def ask_draw(parent: QWidget | None) -> tuple[Path, int, str] | None:
    """The list of volunteers (CSV/XLSX), the number of seats and the seed (blank: drawn at random)."""
    path, _ = QFileDialog.getOpenFileName(parent, "Liste des habitants volontaires", str(Path.home()),
                                          "Listes (*.csv *.xlsx);;CSV (*.csv);;Excel (*.xlsx)")
    if not path:
        return None
    seats, ok = QInputDialog.getInt(parent, "Tirage au sort", "Nombre de sièges à pourvoir :", 10, 1, 500)
    if not ok:
        return None
    seed, ok = QInputDialog.getText(parent, "Tirage au sort",
                                    "Graine du tirage (laisser vide : tirée au hasard et conservée) :")
    if not ok:
        return None
    return Path(path), seats, seed


# --------------------------------------------------------------------------- dialog


class CouncilRegisterDialog(dialog_base.KeepsTypedText, QDialog):
    """Signals: none (changes are announced through ``ctx.data_changed``)."""

    unsaved_what = "Les modifications du registre"

    def __init__(self, ctx, body_id: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.body_id = body_id
        self.register = None
        self.setWindowTitle("Registre du conseil citoyen")
        self.resize(1240, 660)
        writable = ctx.db is not None and not ctx.read_only

        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold; font-size: 12pt;")
        # arrêté
        self.arrete_reference = QLineEdit()
        self.arrete_reference.setPlaceholderText("ex. 2024-DDTM-117")
        self.arrete_date = DateField(field="arrete_date")
        self.arrete_save = QPushButton("Enregistrer l'arrêté")
        self.arrete_save.clicked.connect(lambda _checked=False: self.save_arrete())
        arrete = QHBoxLayout()
        arrete.addWidget(QLabel("Arrêté préfectoral n°"))
        arrete.addWidget(self.arrete_reference, 1)
        arrete.addWidget(QLabel("du"))
        arrete.addWidget(self.arrete_date)
        arrete.addWidget(self.arrete_save)
        # checks
        self.checks = QLabel()
        self.checks.setTextFormat(Qt.RichText)
        self.checks.setWordWrap(True)
        self.checks.setObjectName("council_checks")
        checks_box = QGroupBox("Contrôles")
        QVBoxLayout(checks_box).addWidget(self.checks)
        # members
        self.model = RowTableModel(MEMBER_COLUMNS, self)
        self.table = QTableView()  # the register's order: by collège, each titulaire followed by their suppléant(s)
        setup_table(self.table, self.model, stretch="auto", word_wrap=False, row_height=24)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._member_switched())
        self.former_model = RowTableModel(FORMER_COLUMNS, self)
        self.former = QTableView()  # latest departure first
        setup_table(self.former, self.former_model, stretch="auto", word_wrap=False, row_height=24)
        # editor of the selected member
        self.college = QComboBox()
        self.college.addItem("—", None)
        for c in CC.College:
            self.college.addItem(c.label, c.value)
        self.entry_mode = QComboBox()
        self.entry_mode.addItem("—", None)
        for m in CC.EntryMode:
            self.entry_mode.addItem(m.label, m.value)
        self.titulaire = QComboBox()
        self.start_date = DateField(field="start_date")
        self.end_date = DateField(field="end_date")
        self._clean_arrete: tuple = ()
        self._clean_member: tuple = ()
        self._shown_member = None
        self.editor = QGroupBox("Membre sélectionné")
        form = QFormLayout(self.editor)
        form.addRow("&Collège", self.college)
        form.addRow("&Mode d'entrée", self.entry_mode)
        form.addRow("&Qualité", self.titulaire)
        form.addRow("Début du mandat", self.start_date)
        form.addRow("&Fin du mandat", self.end_date)
        self.editor_summary = QLabel()
        form.addRow(self.editor_summary)
        self.errors = FieldErrors(form, {"college": self.college, "entry_mode": self.entry_mode,
                                         "substitute_of_id": self.titulaire, "start_date": self.start_date,
                                         "end_date": self.end_date}, self.editor_summary)
        self.save_button = QPushButton("Enregistrer le membre")
        self.save_button.clicked.connect(lambda _checked=False: self.save_member())
        self.departure_button = QPushButton("Départ…")
        self.departure_button.clicked.connect(self.departure)
        self.replace_button = QPushButton("Remplacer…")
        self.replace_button.clicked.connect(self.replace)
        member_buttons = QHBoxLayout()
        for b in (self.save_button, self.departure_button, self.replace_button):
            member_buttons.addWidget(b)
        form.addRow(member_buttons)

        self.draw_button = QPushButton("Tirage au sort des habitants…")
        self.draw_button.clicked.connect(self.draw)
        self.annexe_button = QPushButton("Annexe de l'arrêté (Word)…")
        self.annexe_button.clicked.connect(self.export_annexe)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.draw_button)
        bottom.addWidget(self.annexe_button)
        bottom.addStretch(1)
        bottom.addWidget(close)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel("Membres en fonction"))
        ll.addWidget(self.table, 3)
        ll.addWidget(QLabel("Départs et remplacements"))
        ll.addWidget(self.former, 1)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(checks_box)
        rl.addWidget(self.editor)
        rl.addStretch(1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 440])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(arrete)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        for w in (self.arrete_save, self.save_button, self.departure_button, self.replace_button, self.draw_button):
            w.setEnabled(writable)
        self.reload()

    # ----------------------------------------------------------------- content

    def reload(self, select_id: int | None = None, *, keep_member: bool = False) -> None:
        reg = council_service.council_register(self.ctx.db, self.body_id)
        self.register = reg
        self.heading.setText(f"{reg.body_name} — {plural(len(reg.members), 'membre')} "
                             f"au {reg.today:%d/%m/%Y}")
        self.arrete_reference.setText(reg.arrete_reference or "")
        self.arrete_date.setText(reg.arrete_date.strftime("%d/%m/%Y") if reg.arrete_date else "")
        self._clean_arrete = self._arrete_state()
        self.checks.setText("<br>".join(
            f"<span style='color:{LEVEL_COLOUR[f.level]}'>{LEVEL_MARK[f.level]}</span> "
            f"<b>{f.label}</b> : {_html(f.message)}" for f in reg.findings))
        self.model.set_rows(list(reg.members))
        self.former_model.set_rows(list(reg.former))
        if not keep_member:
            self._shown_member = None  # read back after an action: nothing typed is pending
        row = self.model.find_id(select_id) if select_id is not None else -1
        if row >= 0:
            self.table.selectRow(row)
        if not keep_member:
            self.show_member()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0]) if rows else None

    def select_name(self, name: str) -> None:
        row = self.model.find(lambda r: r.name == name)
        if row >= 0:
            self.table.selectRow(row)

    def show_member(self) -> None:
        m = self.selected()
        self.errors.clear()
        self.titulaire.clear()
        self.titulaire.addItem("Titulaire", None)
        if self.register is not None:
            for r in self.register.members:
                if not r.substitute and (m is None or r.id != m.id):
                    self.titulaire.addItem(f"Suppléant(e) de {r.name}", r.id)
        select_data(self.college, m.college.value if m and m.college else None)
        select_data(self.entry_mode, m.entry_mode.value if m and m.entry_mode else None)
        select_data(self.titulaire, m.substitute_of_id if m else None)
        self.start_date.setText(m.start_date.strftime("%d/%m/%Y") if m and m.start_date else "")
        self.end_date.setText(m.end_date.strftime("%d/%m/%Y") if m and m.end_date else "")
        self.editor.setTitle(f"Membre sélectionné : {m.name}" if m else "Membre sélectionné")
        self.editor.setEnabled(m is not None)
        self._shown_member = m.id if m else None
        self._clean_member = dialog_base.form_state(self.editor)

    # ----------------------------------------------------------------- never drop typed text

    def _arrete_state(self) -> tuple:
        return self.arrete_reference.text(), self.arrete_date.text()

    def arrete_changed(self) -> bool:
        return self._arrete_state() != self._clean_arrete

    def member_changed(self) -> bool:
        return self._shown_member is not None and dialog_base.form_state(self.editor) != self._clean_member

    def _member_switched(self) -> None:
        """Another member chosen: what she typed for the one shown is saved or dropped first."""
        m = self.selected()
        if m is not None and m.id == self._shown_member:
            return  # the same member, reselected after a reload: her typing stays
        if self.member_changed():
            wanted, shown = (m.id if m else None), self._shown_member
            blocker = self.table.selectionModel().blockSignals(True)
            self.table.selectRow(self.model.find_id(shown))
            self.table.selectionModel().blockSignals(blocker)
            answer = dialog_base.ask_unsaved(self, "Les informations de ce membre")
            if answer == dialog_base.CANCEL:
                return
            if answer == dialog_base.SAVE:
                if self.save_member(reload=False):
                    self.reload(wanted)  # read back, then on to the member she chose
                return
            self.table.selectionModel().blockSignals(True)
            if wanted is not None:
                self.table.selectRow(self.model.find_id(wanted))
            self.table.selectionModel().blockSignals(False)
        self.show_member()

    def has_unsaved_changes(self) -> bool:
        return self.arrete_changed() or self.member_changed()

    def save_unsaved(self) -> bool:
        if self.member_changed() and not self.save_member(reload=False):
            return False
        return not self.arrete_changed() or self.save_arrete()

    # ----------------------------------------------------------------- actions

    def _changed(self, select_id: int | None = None) -> None:
        self.reload(select_id)

    def save_arrete(self) -> bool:
        reg = self.register
        ok, _ = self.ctx.attempt(self, council_service.set_arrete, self.ctx.db, self.body_id,
                                 self.arrete_reference.text(), self.arrete_date.text(), expected_version=reg.version)
        if ok:  # the member being edited keeps what she typed
            self.reload(self._shown_member, keep_member=self.member_changed())
        return ok

    def save_member(self, reload: bool = True) -> bool:
        m = next((r for r in self.register.members if r.id == self._shown_member), None) if self.register else None
        if m is None:
            return False
        titulaire = self.titulaire.currentData()
        role = "suppleant" if titulaire else (m.role.value if not m.substitute else "membre")
        values = {"college": self.college.currentData(), "entry_mode": self.entry_mode.currentData(),
                  "role": role, "substitute_of_id": titulaire, "start_date": self.start_date.text(),
                  "end_date": self.end_date.text()}
        try:
            council_service.update_register_entry(self.ctx.db, m.id, values, expected_version=m.version)
        except ValidationError as exc:
            self.errors.show(exc.errors, str(exc))
            return False
        except UserError as exc:
            self.ctx.error(self, exc)
            return False
        if reload:
            self._changed(m.id)
        else:
            self._clean_member = dialog_base.form_state(self.editor)
        return True

    def departure(self) -> None:
        m = self.selected()
        if m is None:
            return
        ok, answer = self.ctx.attempt(self, ask_departure, self, m.name)
        if not ok or answer is None:
            return
        day, reason = answer
        ok, _ = self.ctx.attempt(self, council_service.record_departure, self.ctx.db, m.id, day, reason,
                                 expected_version=m.version)
        if ok:
            self._changed()

    def replace(self) -> None:
        m = self.selected()
        if m is None:
            return
        persons = [(p.display_name, p.id) for p in partners.list_persons(self.ctx.db, active=True)
                   if p.id != m.person_id]
        ok, answer = self.ctx.attempt(self, ask_replacement, self, m.name, persons)
        if not ok or answer is None:
            return
        person_id, day = answer
        ok, new_id = self.ctx.attempt(self, council_service.replace_member, self.ctx.db, m.id, person_id, day,
                                      expected_version=m.version)
        if ok:
            self._changed(new_id)

    def export_annexe(self) -> None:
        path = ask_annexe_path(self, f"Annexe arrêté - {self.register.body_name}.docx")
        if path is None:
            return
        db, body_id = self.ctx.db, self.body_id

        def work(progress=None):
            return council_service.write_annexe_arrete(db, body_id, path)

        self.ctx.run_in_background(self, "Annexe de l'arrêté…", work,
                                   on_done=lambda p: self.ctx.info(self, f"Annexe enregistrée : {p}"))

    def draw(self) -> None:
        ok, answer = self.ctx.attempt(self, ask_draw, self)
        if not ok or answer is None:
            return
        path, seats, seed = answer
        db, body_id = self.ctx.db, self.body_id

        def work():  # reading the list (a file, maybe on a network share) and drawing: off the GUI thread
            people = council_service.read_candidates(path)
            return council_service.record_draw(db, body_id, people, seats, seed=seed, source_name=path.name)

        self.ctx.run_in_background(self, "Tirage au sort…", work, on_done=self._drawn)

    def _drawn(self, result) -> None:
        """The draw is recorded: show it and offer to register the residents drawn."""
        self.last_draw = result
        names = "\n".join(f"{n}. {c.name}" for n, c in enumerate(result.drawn, start=1))
        question = (f"Tirage au sort parmi {plural(len(result.candidates), 'volontaire')}, graine « {result.seed} » "
                    f"(conservée avec la liste : le tirage peut être refait à l'identique).\n\n{names}\n\n"
                    "Inscrire ces personnes au registre (collège des habitants, tirage au sort) ?")
        if self.ctx.confirm(self, question, "Tirage au sort"):
            ok, _ = self.ctx.attempt(self, council_service.add_drawn_members, self.ctx.db, result.id,
                                     dt.date.today())
            if ok:
                self._changed()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
