"""Ready-to-send e-mail drafts (.eml) for a convocation, a compte rendu and the COPIL workbook.

Rules kept here:

- a meeting's mail goes to its invitees with an e-mail; the others are returned in
  ``without_email`` (« Nom (Organisation) ») for the user to reach otherwise;
- the COPIL workbook goes to the configured DGS list (:mod:`qpv_desk.services.sending`);
  an empty list gives a draft without recipients and a warning;
- the convocation's draft carries the Word convocation and the calendar invitation
  (whose SEQUENCE rises when the meeting changed, see :mod:`.invitations`); the minutes'
  draft carries the Word compte rendu; the COPIL draft the Excel workbook;
- the sender is the configured organiser; the draft is marked ``X-Unsent: 1``.

The documents are produced by the same functions as the « export » commands, called
through :func:`meeting_docx` and :func:`copil_workbook_file` only.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import ValidationError
from ..reports.mail import Attachment, MailData, Recipient, draft_eml
from ..reports.meeting_docs import meeting_name, suggested_filename
from ..reports.wording import french_date, time_range
from ..store.db import Database
from ..store.models import Meeting
from .common import get
from .invitations import export_invitation, meeting_invitees, write_bytes
from .meetings import meeting_document, write_meeting_document
from .reporting import write_copil_workbook
from .sending import sending_settings

MAIL_KINDS = ("convocation", "minutes", "copil")


@dataclass(frozen=True)
class MailDraft:
    kind: str
    path: Path
    subject: str
    recipients: tuple[str, ...]  # e-mail addresses
    attachments: tuple[str, ...]  # file names
    without_email: tuple[str, ...]
    warnings: tuple[str, ...] = ()


# ---- the documents (thin: the lead may re-point them to the reworked writers) --------------


def meeting_docx(db: Database, meeting_id: int, kind: str, folder: Path) -> Path:
    """Write the Word document ``kind`` (convocation / minutes) of a meeting in ``folder``."""
    name = suggested_filename(meeting_document(db, meeting_id), kind)
    return write_meeting_document(db, meeting_id, kind, folder / name)


def copil_workbook_file(db: Database, year: int | None, quartier: str | None, folder: Path) -> Path:
    """Write the COPIL / DGS workbook in ``folder``."""
    name = f"suivi-contrat-de-ville-{year if year is not None else 'contrat'}.xlsx"
    return write_copil_workbook(db, year, folder / name, quartier_code=quartier)


# ---- helpers --------------------------------------------------------------------------------


def _invitees(db: Database, meeting_id: int) -> tuple[list[Recipient], list[str]]:
    with db.reader() as s:
        with_email, without = meeting_invitees(s, get(s, Meeting, meeting_id, "La réunion").id)
    return [Recipient(name, email) for name, email in with_email], without


def _signature(settings) -> str:
    return f"\n\nBien cordialement,\n\n{settings.organiser_name}" if settings.organiser_name else "\n\nBien cordialement."


def _meeting_text(doc) -> tuple[str, str]:
    when = " ".join(x for x in (french_date(doc.date), time_range(doc.start_time, doc.end_time)) if x)
    return meeting_name(doc), when  # as on the documents: never the body's name twice


def _write(path: str | Path, data: MailData) -> Path:
    target = Path(path)
    if target.suffix.lower() != ".eml":
        raise ValidationError("output", f"Le brouillon doit être un fichier .eml (« {target.name} »).")
    return write_bytes(target, draft_eml(data))


# ---- the three drafts ------------------------------------------------------------------------


def write_mail_draft(db: Database, kind: str, path: str | Path, *, meeting_id: int | None = None,
                     year: int | None = None, quartier: str | None = None,
                     now: dt.datetime | None = None) -> MailDraft:
    """Write the e-mail draft ``kind`` (convocation, minutes or copil) to ``path`` (.eml)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    if kind not in MAIL_KINDS:
        raise ValidationError("kind", f"E-mail inconnu : « {kind} » (convocation, minutes ou copil).")
    settings = sending_settings(db)
    sender = Recipient(settings.organiser_name, settings.organiser_email) if settings.organiser_email else None
    warnings: list[str] = []
    with tempfile.TemporaryDirectory(prefix="qpv-mail-") as tmp:
        folder = Path(tmp)
        if kind in ("convocation", "minutes"):
            if meeting_id is None:
                raise ValidationError("meeting", "Indiquez la réunion (--meeting ID).")
            to, without = _invitees(db, meeting_id)
            doc = meeting_document(db, meeting_id)
            name, when = _meeting_text(doc)
            docx = meeting_docx(db, meeting_id, kind, folder)
            files = [Attachment(docx.name, docx.read_bytes())]
            if kind == "convocation":
                invitation = export_invitation(db, meeting_id, now=now)
                place = f", {doc.place}" if doc.place else ""
                if invitation.cancelled:  # the convocation no longer holds: only the cancellation
                    files = [Attachment(invitation.filename, invitation.content)]
                    subject = f"Annulation – {name} – {when}"
                    body = (f"Madame, Monsieur,\n\nLa réunion « {name} » prévue le {when}{place} est annulée.\n\n"
                            "L'invitation ci-jointe la retire de votre agenda." + _signature(settings))
                else:
                    files.append(Attachment(invitation.filename, invitation.content))
                    subject = f"Convocation – {name} – {when}"
                    agenda = "".join(f"\n{i.number}. {i.title}" for i in doc.agenda)
                    body = (f"Madame, Monsieur,\n\nVous êtes convié(e) à la réunion « {name} » qui se tiendra le "
                            f"{when}{place}.\n\nVous trouverez ci-joint la convocation et une invitation à ajouter à "
                            "votre agenda." + (f"\n\nOrdre du jour :{agenda}" if agenda else "")
                            + "\n\nMerci de nous faire savoir si vous ne pouvez pas y assister, et le cas échéant qui "
                              "vous représentera." + _signature(settings))
            else:
                draft = " (projet)" if doc.is_draft else ""
                subject = f"Compte rendu{draft} – {name} du {doc.date:%d/%m/%Y}"
                body = (f"Madame, Monsieur,\n\nVous trouverez ci-joint le compte rendu{draft} de la réunion "
                        f"« {name} » du {when}."
                        + ("\n\nVos remarques éventuelles sont les bienvenues avant sa validation lors de la "
                           "prochaine séance." if doc.is_draft else "") + _signature(settings))
        else:
            to = [Recipient("", a) for a in settings.dgs_recipients]
            without = []
            if not to:
                warnings.append("Aucun destinataire : renseignez la liste de diffusion du classeur (DGS…) dans "
                                "les paramètres d'envoi.")
            workbook = copil_workbook_file(db, year, quartier, folder)
            files = [Attachment(workbook.name, workbook.read_bytes())]
            period = f"programmation {year}" if year is not None else "toute la durée du contrat"
            subject = f"Suivi du contrat de ville – {period}"
            body = (f"Madame, Monsieur,\n\nVous trouverez ci-joint le classeur de suivi du contrat de ville "
                    f"({period}) : synthèse, programmation par financeur, suivi par objectif, réunions et "
                    "présences, suites à donner." + _signature(settings))
        data = MailData(subject=subject, body=body, sender=sender, to=tuple(to), attachments=tuple(files), date=now)
        written = _write(path, data)
    return MailDraft(kind=kind, path=written, subject=subject, recipients=tuple(r.email for r in to),
                     attachments=tuple(a.filename for a in files), without_email=tuple(without),
                     warnings=tuple(warnings))
