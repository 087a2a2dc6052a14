"""Beside the meeting's documents: the calendar invitation (.ics) and the e-mail drafts (.eml).

The files go to the meeting documents folder chosen as for the Word documents
(:func:`qpv_desk.gui.dialogs.meeting_editor.choose_folder`, patched in tests), are
written in the background, then opened with the system's application (Outlook or
Thunderbird opens the .eml as a draft). People without an e-mail are listed to the user.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QPushButton

from ...domain.errors import UserError
from ...domain.text import plural
from ...services import invitations as I
from ...services import mail as ML
from ...services import meetings as M
from ..settings import MEETING_DOCUMENTS_FOLDER as DOCUMENTS_FOLDER

log = logging.getLogger("qpv_desk.gui")

MAIL_LABELS = {"convocation": "E-mail de convocation…", "minutes": "E-mail du compte rendu…"}


def without_email_text(names) -> str:
    if not names:
        return ""
    return ("\n\nSans adresse électronique (à prévenir autrement) :\n" + "\n".join(f"• {n}" for n in names))


class MeetingOutputs:
    """Adds the buttons to the editor's document bar and runs them."""

    def __init__(self, editor, bar: QHBoxLayout):
        self.editor = editor
        self.invitation_button = QPushButton("Invitation agenda…")
        self.invitation_button.setObjectName("export_invitation")
        self.invitation_button.setToolTip("Écrit l'invitation (.ics) à ouvrir dans Outlook ou Thunderbird ; renvoyée "
                                          "après un changement, elle met à jour l'événement chez chacun")
        self.invitation_button.clicked.connect(self.export_invitation)
        bar.addWidget(self.invitation_button)
        self.mail_buttons = {}
        for kind, label in MAIL_LABELS.items():
            button = QPushButton(label)
            button.setObjectName(f"mail_{kind}")
            button.setToolTip("Écrit un brouillon d'e-mail (.eml) aux invités, avec les documents joints, "
                              "prêt à vérifier et envoyer")
            button.clicked.connect(lambda _=False, k=kind: self.write_mail(k))
            self.mail_buttons[kind] = button
            bar.addWidget(button)
        self.last_written: Path | None = None
        self.last_without_email: tuple[str, ...] = ()

    def _folder(self, *, writes: bool = True) -> Path | None:
        editor = self.editor
        if writes and editor.locked:  # the invitation keeps its UID and SEQUENCE in the base
            editor.ctx.error(editor, f"{editor.locked_reason} : l'invitation ne peut pas être enregistrée."
                             if editor.ctx.read_only else editor.locked_reason)
            return None
        if editor.minutes.has_unsaved() and not editor.minutes.save():
            return None
        start = editor.settings.get(DOCUMENTS_FOLDER) or str(Path.home())
        folder = editor.choose_folder(start)
        if folder is not None:
            editor.settings.set(DOCUMENTS_FOLDER, str(folder))
        return folder

    def export_invitation(self) -> None:
        folder = self._folder()
        if folder is None:
            return
        editor = self.editor

        def work(progress=None):
            return I.export_invitation(editor.db, editor.meeting_id, folder=folder)

        editor.ctx.run_in_background(editor, "Écriture de l'invitation…", work,
                                     on_done=lambda r: self._done(r.path, r.without_email,
                                                                  "L'invitation a été écrite" +
                                                                  (" (annulation)" if r.cancelled else "")),
                                     on_error=self._failed)

    def write_mail(self, kind: str) -> None:
        folder = self._folder(writes=kind == "convocation")  # the convocation's invitation is recorded
        if folder is None:
            return
        editor = self.editor
        ok, detail = editor.ctx.attempt(editor, M.get_meeting, editor.db, editor.meeting_id)
        if not ok:
            return
        name = f"{detail.date:%Y-%m-%d}_{'convocation' if kind == 'convocation' else 'compte-rendu'}.eml"

        def work(progress=None):
            return ML.write_mail_draft(editor.db, kind, folder / name, meeting_id=editor.meeting_id)

        editor.ctx.run_in_background(editor, "Préparation de l'e-mail…", work,
                                     on_done=lambda d: self._done(
                                         d.path, d.without_email, "Le brouillon d'e-mail a été écrit "
                                         f"({plural(len(d.recipients), 'destinataire')})"),
                                     on_error=self._failed)

    def _done(self, path: Path, without: tuple[str, ...], what: str) -> None:
        editor = self.editor
        self.last_written = Path(path)
        self.last_without_email = tuple(without)
        editor.status_label.setText(f"Écrit : {Path(path).name}")
        log.info("%s : %s", what, path)
        editor.changed.emit()
        if without:
            editor.ctx.info(editor, f"{what} :\n{path}{without_email_text(without)}")
        if not editor.open_file(Path(path)) and not without:
            editor.ctx.info(editor, f"{what} :\n{path}")

    def _failed(self, exc: BaseException) -> None:
        editor = self.editor
        editor.status_label.setText("")
        if isinstance(exc, UserError):
            editor.ctx.error(editor, exc)
            return
        log.error("Échec de l'écriture", exc_info=exc)
        editor.ctx.error(editor, f"Le fichier n'a pas pu être écrit ({type(exc).__name__}). Détails dans le journal.")
