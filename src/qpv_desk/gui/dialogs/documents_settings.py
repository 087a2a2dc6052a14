"""« Papier à en-tête et signataires »: the letterhead of every document and who signs
each body's convocations — kept in the base, so every user of it prints the same.

On a base she may not write there (read-only, a server's copy, a référent(e): the letterhead
and the bodies are the administrator's) everything can be read, nothing changed: the reason
in a banner and on every greyed button (:func:`~.base.make_read_only`), nothing asked on leaving.

Choosing the logo file goes through :meth:`DocumentsSettingsDialog.ask_logo_path`
(tests patch it).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...services import meeting_documents as MD
from ...services import meetings as M
from ..widgets.banner import banner
from . import base as dialog_base

REFERENT_REASON = ("Lecture seule : l'en-tête des documents et les signataires des convocations sont réservés "
                   "à l'administrateur du serveur.")


def parse_signatories(text: str) -> list[tuple[str, str]]:
    """One signatory a line: « M. Jean Maire ; Maire de Verquin »."""
    out = []
    for line in text.splitlines():
        if line.strip():
            name, _, function = line.partition(";")
            out.append((name.strip(), function.strip()))
    return out


class DocumentsSettingsDialog(dialog_base.KeepsTypedText, QDialog):
    unsaved_what = "L'en-tête ou les signataires"

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.locked_reason = ctx.read_only_reason if ctx.read_only else \
            "" if ctx.may_edit_referential else REFERENT_REASON
        self.setWindowTitle("Papier à en-tête et signataires")
        self.resize(620, 520)
        self._logo: bytes | None = None
        self._logo_name = ""
        self._clear_logo = False

        head = QGroupBox("En-tête de chaque document (convocation, émargement, compte rendu)", self)
        self.address = QPlainTextEdit(head)
        self.address.setObjectName("letterhead_address")
        self.address.setPlaceholderText("Mairie de …\nadresse\ncode postal, commune\ntéléphone – courriel")
        self.logo_label = QLabel("Aucun logo", head)
        self.logo_label.setMinimumHeight(60)
        self.choose_logo = QPushButton("Choisir un logo…", head)
        self.remove_logo = QPushButton("Retirer le logo", head)
        self.choose_logo.clicked.connect(self.pick_logo)
        self.remove_logo.clicked.connect(self.drop_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_label, 1)
        logo_row.addWidget(self.choose_logo)
        logo_row.addWidget(self.remove_logo)
        form = QFormLayout(head)
        form.addRow("Adresse", self.address)
        form.addRow("Logo (PNG, JPEG)", logo_row)

        signing = QGroupBox("Signataires des convocations, par instance", self)
        self.body = QComboBox(signing)
        for choice in M.bodies(self.db):
            self.body.addItem(f"{choice.label} ({choice.detail})", choice.id)
        self.signatories = QPlainTextEdit(signing)
        self.signatories.setObjectName("signatories")
        self.signatories.setPlaceholderText("Une ligne par signataire : Nom ; fonction\n"
                                            "(vide : le ou la présidente de l'instance)")
        self.save_signatories = QPushButton("Enregistrer les signataires", signing)
        self.save_signatories.clicked.connect(self.store_signatories)
        self._shown_body = None
        self._signatories_version: int | None = None  # the body version read with its signatories
        self._clean_signatories = ""
        self._clean_address = ""
        self.body.currentIndexChanged.connect(self._body_switched)
        sform = QFormLayout(signing)
        sform.addRow("Instance", self.body)
        sform.addRow("Signataires", self.signatories)
        sform.addRow("", self.save_signatories)

        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Close, self)
        buttons.button(QDialogButtonBox.Save).setText("Enregistrer l'en-tête")
        buttons.accepted.connect(self.store_letterhead)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        self.lock_banner = banner("lockBanner")
        layout = QVBoxLayout(self)
        layout.addWidget(self.lock_banner)
        layout.addWidget(head)
        layout.addWidget(signing)
        layout.addWidget(buttons)
        self.load()
        if self.locked:
            self._lock(head)

    @property
    def locked(self) -> bool:
        """Nothing here may be written (read by KeepsTypedText: nothing asked on leaving)."""
        return bool(self.locked_reason)

    def _lock(self, head: QGroupBox) -> None:
        """Readable, not changeable: greyed with the reason, before she types anything."""
        self.lock_banner.setText(self.locked_reason)
        self.lock_banner.show()
        self.address.setPlaceholderText("Aucune adresse")  # not a model to fill in: she cannot
        dialog_base.make_read_only([head, self.signatories, self.save_signatories], self.locked_reason)
        save = self.buttons.button(QDialogButtonBox.Save)
        save.setEnabled(False)
        save.setToolTip(self.locked_reason)

    # ----------------------------------------------------------------- asking the user (patched in tests)

    def ask_logo_path(self) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self, "Logo de l'en-tête", str(Path.home()), "Images (*.png *.jpg *.jpeg)")
        return Path(path) if path else None

    # ----------------------------------------------------------------- data

    # ----------------------------------------------------------------- never drop typed text

    def letterhead_changed(self) -> bool:
        return (self.address.toPlainText() != self._clean_address or self._logo is not None
                or self._clear_logo)

    def signatories_changed(self) -> bool:
        return self.signatories.toPlainText() != self._clean_signatories

    def has_unsaved_changes(self) -> bool:
        return self.letterhead_changed() or self.signatories_changed()

    def save_unsaved(self) -> bool:
        if self.signatories_changed() and not self.store_signatories():
            return False
        return not self.letterhead_changed() or self.store_letterhead()

    def _body_switched(self, _index: int) -> None:
        wanted = self.body.currentData()
        if self._shown_body is not None and wanted != self._shown_body and self.signatories_changed():
            self.body.blockSignals(True)
            self.body.setCurrentIndex(self.body.findData(self._shown_body))  # the text is that body's
            self.body.blockSignals(False)
            answer = dialog_base.ask_unsaved(self, "Les signataires de cette instance")
            if answer == dialog_base.CANCEL or (answer == dialog_base.SAVE and not self.store_signatories()):
                return
            self.body.blockSignals(True)
            self.body.setCurrentIndex(self.body.findData(wanted))
            self.body.blockSignals(False)
        self.show_signatories()

    # ----------------------------------------------------------------- data

    def load(self) -> None:
        head = MD.letterhead(self.db)
        self.address.setPlainText(head.address)
        self._clean_address = self.address.toPlainText()
        self._show_logo(head.logo, head.logo_name)
        self.show_signatories()

    def _show_logo(self, data: bytes | None, name: str) -> None:
        # nothing to remove: a click made « Aucun logo » an unsaved change
        self.remove_logo.setEnabled(bool(data) and not self.locked)
        if not data:
            self.logo_label.setPixmap(QPixmap())
            self.logo_label.setText("Aucun logo")
            return
        pixmap = QPixmap()
        if pixmap.loadFromData(data):
            self.logo_label.setPixmap(pixmap.scaledToHeight(56, Qt.SmoothTransformation))
        else:
            self.logo_label.setText(name)
        self.logo_label.setToolTip(name)

    def pick_logo(self) -> None:
        path = self.ask_logo_path()
        if path is None:
            return
        try:
            self._logo = path.read_bytes()
        except OSError as exc:
            self.ctx.error(self, f"Impossible de lire « {path.name} » : {exc.strerror or exc}.")
            return
        self._logo_name, self._clear_logo = path.name, False
        self._show_logo(self._logo, path.name)

    def drop_logo(self) -> None:
        self._logo, self._logo_name, self._clear_logo = None, "", True
        self._show_logo(None, "")

    def store_letterhead(self) -> bool:
        ok, _ = self.ctx.attempt(self, MD.set_letterhead, self.db, address=self.address.toPlainText(),
                                 logo=self._logo, logo_name=self._logo_name, clear_logo=self._clear_logo)
        if ok:
            self._logo, self._clear_logo = None, False
            self.load()
        return ok

    def show_signatories(self) -> None:
        body_id = self.body.currentData()
        self._shown_body = body_id
        self._signatories_version = None
        if body_id is None:
            self.signatories.setPlainText("")
        else:
            ok, read = self.ctx.attempt(self, MD.body_signatories, self.db, body_id)
            if ok:
                self._signatories_version = read.version
                self.signatories.setPlainText("\n".join(f"{n} ; {f}" if f else n for n, f in read.people))
        self._clean_signatories = self.signatories.toPlainText()

    def store_signatories(self) -> bool:
        body_id = self.body.currentData()
        if body_id is None or self._signatories_version is None:  # nothing read: nothing to save over
            return False
        ok, _ = self.ctx.attempt(self, MD.set_body_signatories, self.db, body_id,
                                 parse_signatories(self.signatories.toPlainText()),
                                 expected_version=self._signatories_version)
        if ok:
            self.show_signatories()
        return ok
