"""E-mail drafts as ``.eml`` bytes (RFC 5322 / MIME): plain data in, file content out.

``X-Unsent: 1`` makes Outlook open the file as a draft ready to check and send
(Thunderbird opens it with « Modifier comme nouveau »). No Qt, no session:
:mod:`qpv_desk.services.mail` gathers the recipients and the attachments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.headerregistry import Address as MailAddress
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from .sanitize import xml_text

MIME_TYPES = {
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".ics": ("text", "calendar"),
    ".pdf": ("application", "pdf"),
}


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes


@dataclass(frozen=True)
class MailData:
    subject: str
    body: str
    sender: Recipient | None
    to: tuple[Recipient, ...]
    attachments: tuple[Attachment, ...]
    date: dt.datetime  # aware


def _address(r: Recipient) -> MailAddress:
    user, _, domain = r.email.strip().rpartition("@")
    return MailAddress(display_name=xml_text(r.name).replace("\n", " "), username=user, domain=domain)


def draft_eml(data: MailData) -> bytes:
    """The draft as bytes: text body in UTF-8, each attachment base64 with its MIME type."""
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = xml_text(data.subject).replace("\n", " ")
    if data.sender is not None and data.sender.email:
        msg["From"] = _address(data.sender)
    if data.to:
        msg["To"] = [_address(r) for r in data.to]
    msg["Date"] = format_datetime(data.date)
    msg["X-Unsent"] = "1"
    msg.set_content(xml_text(data.body), subtype="plain", charset="utf-8", cte="quoted-printable")
    for a in data.attachments:
        suffix = a.filename[a.filename.rfind("."):].lower() if "." in a.filename else ""
        maintype, subtype = MIME_TYPES.get(suffix, ("application", "octet-stream"))
        params = {"method": "REQUEST"} if suffix == ".ics" else {}
        msg.add_attachment(a.content, maintype=maintype, subtype=subtype, filename=a.filename, params=params)
    return msg.as_bytes()
