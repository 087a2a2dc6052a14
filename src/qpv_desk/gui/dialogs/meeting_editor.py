"""The meeting editor: Informations, Ordre du jour, Présences, Relevé, Suites à donner,
and the documents (convocation, émargement, compte rendu; print preview and PDF).

A non-modal window: every action is saved at once through the services. What is still
being typed (the informations, the « Échanges » of a point, a point, decision or task not
yet added) is never dropped: closing the window, Échap, or quitting the application asks
« Enregistrer / Ne pas enregistrer / Annuler ». Asking the user (folder, PDF file, print preview, opening a file) goes
through the module functions below, which tests replace.

Signals:
    changed(): something of this meeting was written.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain import enums as E
from ...domain.errors import ConflictError, NotFoundError, UserError
from ...services import meeting_documents as MD
from ...services import meetings as M
from ...services.history import FIELD_LABELS
from ..context import AppContext
from ..settings import MEETING_DOCUMENTS_FOLDER as DOCUMENTS_FOLDER
from ..settings import Settings
from ..widgets.banner import banner
from ..widgets.chooser import Chooser
from ..widgets.date_field import DateField
from ..widgets.history import HistoryView
from . import base as dialog_base
from .conflict import resolve
from .meeting_outputs import MeetingOutputs
from .meeting_tabs import AgendaTab, AttendanceTab, MinutesTab, TasksTab

log = logging.getLogger("qpv_desk.gui")

STATUS_SECONDS = 8

#: The names of the fields of a point, a presence or a task as the tabs show them.
ROW_LABELS = {"discussion": "échanges", "status": "statut", "represented_by_id": "représenté(e) par",
              "presenter_id": "intervenant(e)", "duration_min": "durée", "objective_id": "objectif",
              "action_id": "action", "description": "description", "due_date": "échéance"}

DOCUMENT_LABELS = {"convocation": "la convocation", "emargement": "la feuille d'émargement", "minutes": "le compte rendu"}


# --------------------------------------------------------------------------- what asks the user (patched in tests)


def choose_folder(parent: QWidget, start: str) -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, "Dossier des documents de la réunion", start)
    return Path(folder) if folder else None


def choose_pdf_path(parent: QWidget, suggested: Path) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Exporter le compte rendu en PDF", str(suggested), "PDF (*.pdf)")
    if not path:
        return None
    return Path(path if path.lower().endswith(".pdf") else path + ".pdf")


def ask_reason(parent: QWidget) -> tuple[str, bool]:
    """Why the compte rendu is taken back (kept in the history)."""
    return QInputDialog.getText(parent, "Dévalider le compte rendu",
                                "Motif (gardé dans l'historique) :")


def open_file(path: Path) -> bool:
    """Open a file in its default application (Word, LibreOffice…)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def print_preview(parent: QWidget, document) -> None:
    """Qt's print preview of a ``QTextDocument`` (modal)."""
    printer = QPrinter(QPrinter.HighResolution)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("Aperçu avant impression – compte rendu")
    dialog.paintRequested.connect(document.print_)
    dialog.exec()


def write_pdf(document, path: Path) -> Path:
    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setPageSize(QPageSize(QPageSize.A4))
    printer.setOutputFileName(str(path))
    document.print_(printer)
    return path


# --------------------------------------------------------------------------- information tab


class InfoTab(QWidget):
    def __init__(self, editor: MeetingEditor):
        super().__init__(editor)
        self.editor = editor
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.body = QLabel()
        self.title_edit = QLineEdit()
        self.date = DateField(field="date")
        self.start = QLineEdit(placeholderText="14:00")
        self.end = QLineEdit(placeholderText="16:00")
        self.place = QLineEdit()
        self.status = QComboBox()
        for value, label in E.MeetingStatus.choices():
            self.status.addItem(label, value)
        self.secretary = Chooser(placeholder="Secrétariat")
        self.next_date = DateField(field="next_meeting_date")
        self.reply_by = DateField(field="reply_by")
        self.reply_by.setObjectName("reply_by")
        self.reply_by.setToolTip("Date imprimée sur la convocation : « merci de répondre avant le … »")
        self.notes = QPlainTextEdit()
        times = QHBoxLayout()
        times.addWidget(self.start)
        times.addWidget(QLabel("à"))
        times.addWidget(self.end)
        form.addRow("Instance", self.body)
        form.addRow("Titre", self.title_edit)
        form.addRow("Date", self.date)
        form.addRow("Horaires", times)
        form.addRow("Lieu", self.place)
        form.addRow("Statut", self.status)
        form.addRow("Secrétariat", self.secretary)
        form.addRow("Prochaine réunion", self.next_date)
        form.addRow("Réponse avant le", self.reply_by)
        form.addRow("Notes", self.notes)
        layout.addLayout(form)
        self.save_button = QPushButton("Enregistrer les informations")
        self.save_button.setObjectName("save_info")
        layout.addWidget(self.save_button, 0, Qt.AlignRight)
        self.save_button.clicked.connect(self.save)
        self._version: int | None = None
        self._loaded: tuple | None = None

    def load_choices(self) -> None:
        self.secretary.set_choices(self.editor.persons)

    def reload(self) -> None:
        d = M.get_meeting(self.editor.db, self.editor.meeting_id)
        self._version = d.version
        self.editor.quartier_id = d.quartier_id
        self.body.setText(f"{d.body_name} ({d.body_code})" + (f" – quorum : {d.quorum}" if d.quorum else ""))
        self.title_edit.setText(d.title)
        self.date.setDate(d.date)
        self.start.setText(d.start_time.strftime("%H:%M") if d.start_time else "")
        self.end.setText(d.end_time.strftime("%H:%M") if d.end_time else "")
        self.place.setText(d.place)
        self.status.setCurrentIndex(self.status.findData(d.status.value))
        self.secretary.select(d.secretary_id)
        self.next_date.setDate(d.next_meeting_date)
        self.notes.setPlainText(d.notes)
        self.reply_by.setDate(MD.meeting_reply_by(self.editor.db, self.editor.meeting_id))
        self._loaded = self.state()
        self.editor.setWindowTitle(f"Réunion – {d.body_code} du {d.date:%d/%m/%Y} – {d.status.label}")

    @staticmethod
    def stored_values(d: M.MeetingDetail) -> dict:
        """A meeting as it is in the base, in the form :meth:`values` gives."""
        def day(value):
            return value.strftime("%d/%m/%Y") if value else ""

        def time(value):
            return value.strftime("%H:%M") if value else ""

        return dict(title=d.title or "", date=day(d.date), start_time=time(d.start_time), end_time=time(d.end_time),
                    place=d.place or "", status=d.status.value, secretary_id=d.secretary_id,
                    next_meeting_date=day(d.next_meeting_date), notes=d.notes or "")

    def values(self) -> dict:
        return dict(title=self.title_edit.text(), date=self.date.text(),
                    start_time=self.start.text(), end_time=self.end.text(), place=self.place.text(),
                    status=self.status.currentData(), secretary_id=self.secretary.value(),
                    next_meeting_date=self.next_date.text(), notes=self.notes.toPlainText())

    def state(self) -> tuple:
        """What is on screen, the reply-by date included (saved apart from the other fields)."""
        return self.values(), self.reply_by.text()

    def has_unsaved(self) -> bool:
        return self._loaded is not None and self.state() != self._loaded

    def _update(self, values: dict) -> int:
        """Save; when someone else saved first, her values and theirs side by side, field by field."""
        db, mid = self.editor.db, self.editor.meeting_id
        try:
            return M.update_meeting(db, mid, values, expected_version=self._version)
        except ConflictError as exc:
            log.info("Réunion en conflit : %s", exc)

        fresh = M.get_meeting(db, mid)
        persons = {p.id: p.label for p in self.editor.persons}

        def text(field, value) -> str:
            if field == "status":
                value = E.MeetingStatus(value).label
            elif field == "secretary_id":
                value = persons.get(value, "") if value is not None else ""
            return str(value or "").strip() or "(vide)"

        resolution = resolve(self.editor, self.editor.ctx, "meeting", mid, (self._loaded or ({},))[0], values,
                             self.stored_values(fresh), fresh.version, lambda f: FIELD_LABELS.get(f, f), text,
                             show=self.show_values)
        if resolution.values is None:
            raise ConflictError(" ".join(part for part in (
                "Quelqu'un d'autre a modifié la réunion entre-temps : rien n'a été enregistré, votre saisie est "
                "toujours à l'écran. « Enregistrer les informations » pour choisir à nouveau.", resolution.note) if part))
        return M.update_meeting(db, mid, resolution.values, expected_version=fresh.version)

    def show_values(self, values: dict) -> None:
        """Put ``values`` (fields of :meth:`values`) in the form, the others left as they are."""
        widgets = {"title": self.title_edit, "date": self.date, "start_time": self.start, "end_time": self.end,
                   "place": self.place, "next_meeting_date": self.next_date, "status": self.status,
                   "notes": self.notes}
        for name, value in values.items():
            if name in widgets:
                dialog_base.set_value(widgets[name], value)
            elif name == "secretary_id":
                self.secretary.select(value)

    def save(self) -> bool:
        ok, version = self.editor.attempt(self._update, self.values(), reload=False)
        if ok:  # a refused date keeps everything she typed on screen
            self._version = version
            ok, _ = self.editor.attempt(MD.set_reply_by, self.editor.db, self.editor.meeting_id,
                                        self.reply_by.text().strip() or None, expected_version=version)
        return ok


# --------------------------------------------------------------------------- the editor


class MeetingEditor(dialog_base.KeepsTypedText, QDialog):
    changed = Signal()

    def choose_folder(self, start: str) -> Path | None:
        """The documents' folder (:func:`choose_folder`, patched in tests; also for :class:`MeetingOutputs`)."""
        return choose_folder(self, start)

    @staticmethod
    def open_file(path: Path) -> bool:
        """Open a written file (:func:`open_file`, patched in tests; also for :class:`MeetingOutputs`)."""
        return open_file(path)

    def __init__(self, ctx: AppContext, meeting_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.Window, True)
        self.setAttribute(Qt.WA_DeleteOnClose, False)
        self.ctx = ctx
        self.db = ctx.db
        self.meeting_id = meeting_id
        self.settings = Settings()
        self.last_written: Path | None = None
        self.persons = M.persons(self.db)
        self.organisations = M.organisations(self.db)
        self.objectives = M.objectives(self.db)
        self.actions = M.actions(self.db)
        self.resize(1240, 660)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.info = InfoTab(self)
        self.agenda = AgendaTab(self)
        self.attendance = AttendanceTab(self)
        self.minutes = MinutesTab(self)
        self.tasks = TasksTab(self)

        self.history = HistoryView(ctx, "meeting", meeting_id)
        for tab, label in ((self.info, "Informations"), (self.agenda, "Ordre du jour"), (self.attendance, "Présences"),
                           (self.minutes, "Relevé"), (self.tasks, "Suites à donner"), (self.history, "Historique")):
            self.tabs.addTab(tab, label)
        layout.addWidget(self.tabs, 1)
        # Two rows so that the editor fits a 1366-pixel screen: what she writes and sends, then
        # what she does with the compte rendu and the window.
        bar = QHBoxLayout()
        self.doc_buttons = {}
        for kind, label in (("convocation", "Convocation"), ("emargement", "Émargement"), ("minutes", "Compte rendu")):
            button = QPushButton(label)
            button.setObjectName(f"generate_{kind}")
            button.setToolTip(f"Écrit {DOCUMENT_LABELS[kind]} (Word) dans le dossier choisi et l'ouvre")
            button.clicked.connect(lambda _=False, k=kind: self.generate(k))
            self.doc_buttons[kind] = button
            bar.addWidget(button)

        self.outputs = MeetingOutputs(self, bar)  # invitation (.ics) and e-mail drafts (.eml)
        bar.addStretch(1)
        layout.addLayout(bar)
        bar = QHBoxLayout()
        self.preview_button = QPushButton("Imprimer le compte rendu…")
        self.pdf_button = QPushButton("Compte rendu en PDF…")
        self.preview_button.clicked.connect(self.preview)
        self.pdf_button.clicked.connect(self.export_pdf)
        bar.addWidget(self.preview_button)
        bar.addWidget(self.pdf_button)
        self.validate_button = QPushButton("Valider le compte rendu…")
        self.validate_button.setObjectName("validate_minutes")
        self.validate_button.clicked.connect(self.toggle_validation)
        bar.addWidget(self.validate_button)
        bar.addStretch(1)
        self.status_label = QLabel()
        self.status_label.setObjectName("document_status")
        self._status_timer = QTimer(self, singleShot=True, interval=STATUS_SECONDS * 1000)
        self._status_timer.timeout.connect(self.status_label.clear)
        bar.addWidget(self.status_label)
        close = QPushButton("Fermer")
        close.clicked.connect(self.close)
        bar.addWidget(close)
        layout.addLayout(bar)
        for tab in (self.info, self.agenda, self.minutes, self.tasks):
            tab.load_choices()
        self.quartier_id: int | None = None  # set by the information tab
        self.locked_reason = ""
        self.lock_banner = banner("lockBanner")
        layout.insertWidget(0, self.lock_banner)
        self.reload()
        self._lock_if_refused()

    @property
    def locked(self) -> bool:
        """Nothing of this meeting may be written: a read-only base, or another quartier's meeting."""
        return bool(self.locked_reason)

    def _lock_if_refused(self) -> None:
        """A read-only base, or another quartier's meeting for a référent(e) on the server: the
        editor opens read-only (documents can still be written), the reason above the tabs."""
        self.locked_reason = self.ctx.read_only_reason if self.ctx.read_only else \
            self.ctx.quartier_reason(self.quartier_id)
        if not self.locked:
            return
        self.lock_banner.setText(self.locked_reason)
        self.lock_banner.show()
        dialog_base.make_read_only([self.info, self.agenda, self.attendance, self.minutes, self.tasks],
                                   self.locked_reason)
        self.validate_button.setEnabled(False)
        self.validate_button.setToolTip(self.locked_reason)

    # ----------------------------------------------------------------- data

    def reload(self) -> None:
        for tab in (self.info, self.agenda, self.attendance, self.minutes, self.tasks):
            tab.reload()
        self._show_validation()

    def _show_validation(self) -> None:
        record = MD.minutes_record(self.db, self.meeting_id)
        self.validated = record
        held = self.info.status.currentData() in (E.MeetingStatus.TENUE.value, E.MeetingStatus.CR_VALIDE.value)
        self.validate_button.setEnabled((held or record is not None) and not getattr(self, "locked_reason", ""))
        if record is None:
            self.validate_button.setText("Valider le compte rendu…")
            self.validate_button.setToolTip(
                "Valide et fige le compte rendu : chaque export ultérieur sera identique" if held
                else "Possible une fois la réunion tenue (statut « Tenue »)")
        else:
            self.validate_button.setText("Dévalider le compte rendu…")
            self.validate_button.setToolTip(f"Validé le {record.validated_on:%d/%m/%Y} par {record.validated_by}")

    def toggle_validation(self) -> None:
        """Validate (and freeze) the compte rendu, or take the validation back, after confirmation."""
        if self.minutes.has_unsaved() and not self.minutes.save():
            return  # « Échanges » refused: nothing is validated without what she typed
        if self.validated is None:
            if not self.ctx.confirm(self, "Valider le compte rendu ?\n\nSon contenu sera figé : les exports suivants "
                                          "seront identiques, quoi qu'il change ensuite dans la base."):
                return
            self.attempt(MD.validate_minutes, self.db, self.meeting_id, expected_version=self.info._version)
            return
        reason, ok = ask_reason(self)
        if not ok:
            return
        if not self.ctx.confirm(self, "Dévalider le compte rendu ?\n\nIl redeviendra un PROJET modifiable ; "
                                      "la dévalidation est gardée dans l'historique."):
            return
        self.attempt(MD.unvalidate_minutes, self.db, self.meeting_id, reason=reason,
                     expected_version=self.info._version)

    def attempt(self, fn, *args, reload: bool = True, **kwargs):
        """Run a service that writes; a refused input is shown in French. Then everything is reloaded."""
        if self.locked:
            self.ctx.error(self, "La base est ouverte en lecture seule : la réunion ne peut pas être modifiée."
                           if self.ctx.read_only else self.locked_reason)
            return False, None
        ok, result = self.ctx.attempt(self, fn, *args, **kwargs)
        if ok:
            self.changed.emit()
            if reload:
                self.reload()
        return ok, result

    def save_row(self, row, key: str, value, save, fetch, get, *, what: str, reload: bool = True):
        """One field of a row of this meeting (a point, a presence, a task) saved by
        ``save(version)``. When someone changed that row meanwhile: her value and theirs side by
        side (``fetch(id)``: the row now, ``get(row)``: the field's value) if both changed it,
        else hers is saved over their other changes; if she goes back, she is told what she
        typed, nothing is saved. ``(ok, result)`` as :meth:`attempt`."""
        def work():
            try:
                return save(row.version)
            except ConflictError as exc:
                log.info("Ligne de la réunion en conflit (%s) : %s", what, exc)
            fresh = fetch(row.id)
            typed = self.describe(key, value)
            if fresh is None:
                raise NotFoundError(f"{what[:1].upper()}{what[1:]} a été supprimé(e) entre-temps, par une autre fenêtre "
                                    f"ou un autre poste : votre saisie « {typed} » n'a pas été enregistrée.")
            chosen = resolve(self, self.ctx, "meeting", self.meeting_id, {key: get(row)}, {key: value},
                             {key: get(fresh)}, fresh.version,
                             lambda f: ROW_LABELS.get(f) or FIELD_LABELS.get(f, f), self.describe).values
            if chosen is None:
                raise ConflictError(f"Quelqu'un d'autre a modifié {what} entre-temps : rien n'a été enregistré. "
                                    f"Votre saisie était « {typed} ».")
            return save(fresh.version) if chosen else fresh.version

        return self.attempt(work, reload=reload)

    def describe(self, field: str, value) -> str:
        """A value of a field of this meeting's rows as she reads it."""
        if value is None or value == "":
            return "(vide)"
        choices = {"presenter_id": self.persons, "represented_by_id": self.persons, "secretary_id": self.persons,
                   "objective_id": self.objectives, "action_id": self.actions}.get(field)
        if choices is not None:
            return next((c.label for c in choices if c.id == value), str(value))
        for enum in (E.AttendanceStatus, E.TaskStatus, E.MeetingStatus):
            if field == "status" and value in {m.value for m in enum}:
                return enum(value).label
        return str(value)

    # ----------------------------------------------------------------- never drop typed text

    def pending(self) -> list[tuple[str, object]]:
        """What is typed but not saved yet: (what, how to save it)."""
        found = []
        if self.info.has_unsaved():
            found.append(("les informations de la réunion", self.info.save))
        if self.agenda.title_edit.text().strip():
            found.append(("le point d'ordre du jour en cours de saisie", self.agenda.add))
        if self.minutes.has_unsaved():
            found.append(("les échanges du point", self.minutes.save))
        if self.minutes.decision_text.text().strip():
            found.append(("la décision en cours de saisie", self.minutes.add_decision))
        if self.tasks.description.text().strip():
            found.append(("la tâche en cours de saisie", self.tasks.add))
        return found

    # Échap, « Fermer » and the close button ask first: KeepsTypedText, with these three answers.

    @property
    def unsaved_what(self) -> str:
        return f"Vos saisies ({', '.join(label for label, _save in self.pending())})"

    def has_unsaved_changes(self) -> bool:
        return bool(self.pending())

    def save_unsaved(self) -> bool:
        return all(save() is not False for _label, save in self.pending())

    def show_status(self, text: str) -> None:
        """A short note beside the buttons, cleared after :data:`STATUS_SECONDS`."""
        self.status_label.setText(text)
        self._status_timer.start()

    # ----------------------------------------------------------------- documents

    def _target(self, kind: str) -> Path | None:
        """The file to write: in the remembered folder, never a silent overwrite nor a locked file."""
        start = self.settings.get(DOCUMENTS_FOLDER) or str(Path.home())
        folder = choose_folder(self, start)
        if folder is None:
            return None
        self.settings.set(DOCUMENTS_FOLDER, str(folder))
        ok, name = self.ctx.attempt(self, MD.suggested_filename, self.db, self.meeting_id, kind)
        if not ok:
            return None
        path = folder / name
        if MD.is_locked(path):
            other = MD.next_free_name(path)
            if not self.ctx.confirm(self, f"Le fichier « {path.name} » est ouvert dans Word (ou un autre programme) : "
                                          f"il ne peut pas être remplacé.\n\nL'enregistrer sous « {other.name} » ?"):
                return None
            return other
        if path.exists():
            other = MD.next_free_name(path)
            if self.ctx.confirm(self, f"Le fichier « {path.name} » existe déjà. Le remplacer ?\n\n"
                                      f"(Non : enregistrer sous « {other.name} ».)"):
                return path
            return other
        return path

    def generate(self, kind: str, path: Path | None = None) -> None:
        """Write a document in the background, then open it."""
        if self.minutes.has_unsaved() and not self.minutes.save():
            return
        if path is None and not self.warnings_accepted():
            return
        path = path or self._target(kind)
        if path is None:
            return
        self._last_kind = kind
        self.status_label.setText(f"Rédaction de {DOCUMENT_LABELS[kind]}…")
        self.ctx.run_in_background(
            self, f"Rédaction de {DOCUMENT_LABELS[kind]}…", MD.write_meeting_document, self.db, self.meeting_id, kind,
            path, on_done=self._written, on_error=lambda exc: self._failed(kind, path, exc))

    def warnings_accepted(self) -> bool:
        """What she should check first (a point presented by someone absent): go on anyway?"""
        ok, warnings = self.ctx.attempt(self, MD.export_warnings, self.db, self.meeting_id)
        if not ok:
            return False
        if not warnings:
            return True
        return self.ctx.confirm(self, "\n\n".join(warnings) + "\n\nÉcrire le document quand même ?")

    def _written(self, path: Path) -> None:
        self.last_written = Path(path)
        self.show_status(f"Écrit : {Path(path).name}")
        log.info("Document écrit : %s", path)
        if not open_file(Path(path)):
            self.ctx.info(self, f"Le document a été écrit :\n{path}")
        if getattr(self, "_last_kind", "") == "convocation":
            self.offer_convened()

    def offer_convened(self) -> None:
        """After the convocation: a meeting still « Prévue » may become « Convoquée »."""
        detail = M.get_meeting(self.db, self.meeting_id)
        if detail.status is not E.MeetingStatus.PREVUE or self.locked:
            return
        if self.ctx.confirm(self, "La convocation est écrite. Marquer la réunion « Convoquée » ?"):
            self.attempt(M.update_meeting, self.db, self.meeting_id, {"status": E.MeetingStatus.CONVOQUEE.value},
                         expected_version=detail.version)

    def _failed(self, kind: str, path: Path, exc: BaseException) -> None:
        self.status_label.setText("")
        if isinstance(exc, MD.FileLockedError):
            other = MD.next_free_name(path)
            if self.ctx.confirm(self, f"{exc}\n\nL'enregistrer sous « {other.name} » ?"):
                self.generate(kind, other)
            return
        if isinstance(exc, UserError):
            self.ctx.error(self, exc)
            return
        log.error("Échec de la rédaction du document", exc_info=exc)
        self.ctx.error(self, f"Le document n'a pas pu être écrit ({type(exc).__name__}). Détails dans le journal.")

    def minutes_document(self):
        """The minutes as a ``QTextDocument`` (print preview, PDF)."""
        if self.minutes.has_unsaved() and not self.minutes.save():
            return
        ok, html = self.ctx.attempt(self, MD.meeting_document_html, self.db, self.meeting_id, "minutes")
        if not ok:
            return None
        document = QTextDocument(self)
        document.setHtml(html)
        return document

    def preview(self) -> None:
        document = self.minutes_document()
        if document is not None:
            print_preview(self, document)

    def export_pdf(self) -> Path | None:
        ok, name = self.ctx.attempt(self, MD.suggested_filename, self.db, self.meeting_id, "minutes")
        if not ok:
            return None
        start = Path(self.settings.get(DOCUMENTS_FOLDER) or Path.home())
        path = choose_pdf_path(self, start / name.replace(".docx", ".pdf"))
        if path is None:
            return None
        if MD.is_locked(path):
            self.ctx.error(self, f"Le fichier « {path.name} » est ouvert dans un autre programme : "
                                 "fermez-le ou choisissez un autre nom.")
            return None
        document = self.minutes_document()
        try:
            write_pdf(document, path)
        except OSError as exc:
            self.ctx.error(self, f"Impossible d'écrire « {path.name} » : {exc}")
            return None
        if not path.exists() or path.stat().st_size == 0:
            self.ctx.error(self, f"Le PDF « {path.name} » n'a pas pu être écrit (dossier protégé ou fichier ouvert ?).")
            return None
        self.show_status(f"PDF écrit : {path.name}")
        return path
