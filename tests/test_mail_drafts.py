"""E-mail drafts (.eml): parsed back with the email package, attachments read with their libraries."""

from __future__ import annotations

import email
import io
from email import policy

import icalendar
import pytest
from docx import Document
from meetings_data import GT_DAY, build_world
from sqlalchemy import update

from qpv_desk.domain.errors import ValidationError
from qpv_desk.services import meetings as M
from qpv_desk.services.mail import write_mail_draft
from qpv_desk.services.sending import update_sending_settings


def _parse(path):
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    files = {part.get_filename(): part for part in msg.iter_attachments()}
    return msg, files


@pytest.fixture
def meeting(empty_db):
    world = build_world(empty_db)
    from qpv_desk.store.models import Person

    with empty_db.session() as s:
        s.execute(update(Person).where(Person.id == world.persons["caf"]).values(email=""))
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY, start_time="14:00", end_time="16:00", place="Mairie")
    M.add_agenda_item(empty_db, mid, "Programmation 2025 : avis du groupe")
    update_sending_settings(empty_db, {"organiser_name": "Claire Martin", "organiser_email": "claire.martin@verquin.fr",
                                       "dgs_recipients": "dgs@verquin.fr"})
    return world, mid


def test_convocation_draft_has_docx_and_invitation(empty_db, meeting, tmp_path):
    world, mid = meeting
    draft = write_mail_draft(empty_db, "convocation", tmp_path / "conv.eml", meeting_id=mid)
    msg, files = _parse(tmp_path / "conv.eml")
    assert msg["X-Unsent"] == "1"
    assert msg["Subject"].startswith("Convocation – Groupe technique")
    assert "claire.martin@verquin.fr" in msg["From"]
    to = {a.addr_spec for a in msg["To"].addresses}
    assert "durand@example.org" in to and "petit@example.org" not in to
    assert to == set(draft.recipients)
    assert draft.without_email == ("Sophie Petit (CAF du Pas-de-Calais)",)
    body = msg.get_body(("plain",)).get_content()
    assert "mardi 14 janvier 2025 de 14 h à 16 h" in body and "1. Programmation 2025 : avis du groupe" in body
    assert len(files) == 2
    docx_name = next(n for n in files if n.endswith(".docx"))
    text = "\n".join(p.text for p in Document(io.BytesIO(files[docx_name].get_content())).paragraphs)
    assert "Programmation 2025 : avis du groupe" in text
    ics = next(p for n, p in files.items() if n.endswith(".ics"))
    assert ics.get_content_type() == "text/calendar"
    cal = icalendar.Calendar.from_ical(ics.get_content())
    event = cal.walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "Mairie"


def test_minutes_and_copil_drafts(empty_db, meeting, tmp_path):
    import openpyxl

    world, mid = meeting
    minutes = write_mail_draft(empty_db, "minutes", tmp_path / "cr.eml", meeting_id=mid)
    msg, files = _parse(minutes.path)
    assert msg["X-Unsent"] == "1" and msg["Subject"].startswith("Compte rendu (projet)")
    assert [n for n in files] == [minutes.attachments[0]] and minutes.attachments[0].endswith(".docx")
    copil = write_mail_draft(empty_db, "copil", tmp_path / "copil.eml", year=2025)
    msg, files = _parse(copil.path)
    assert [a.addr_spec for a in msg["To"].addresses] == ["dgs@verquin.fr"]
    (name, part), = files.items()
    wb = openpyxl.load_workbook(io.BytesIO(part.get_content()))
    assert wb.sheetnames[:2] == ["Synthèse", "Programmation"]
    with pytest.raises(ValidationError):
        write_mail_draft(empty_db, "minutes", tmp_path / "cr.docx", meeting_id=mid)


def test_cancelled_meeting_draft_carries_the_cancellation_only(empty_db, meeting, tmp_path):
    world, mid = meeting
    M.update_meeting(empty_db, mid, {"status": "annulee"}, expected_version=M.get_meeting(empty_db, mid).version)
    draft = write_mail_draft(empty_db, "convocation", tmp_path / "annulation.eml", meeting_id=mid)
    msg, files = _parse(draft.path)
    assert msg["Subject"].startswith("Annulation – Groupe technique")
    assert "est annulée" in msg.get_body(("plain",)).get_content()
    (part,) = files.values()
    cal = icalendar.Calendar.from_ical(part.get_content())
    assert str(cal["METHOD"]) == "CANCEL"


def test_the_mail_and_the_invitation_read_the_same_invitees(empty_db, meeting, tmp_path):
    """One query for the invitees (services/invitations.meeting_invitees): the e-mail's To, the
    .ics attendees and both « without e-mail » lists are the same people."""
    from qpv_desk.services.invitations import export_invitation, meeting_invitees

    _world, mid = meeting
    with empty_db.reader() as s:
        with_email, without = meeting_invitees(s, mid)
    assert ("Sophie Petit (CAF du Pas-de-Calais)" in without) and with_email
    draft = write_mail_draft(empty_db, "convocation", tmp_path / "conv.eml", meeting_id=mid)
    invitation = export_invitation(empty_db, mid)
    cal = icalendar.Calendar.from_ical(invitation.content)
    attendees = [str(a).removeprefix("mailto:").removeprefix("MAILTO:") for ev in cal.walk("VEVENT")
                 for a in ev.get("ATTENDEE", [])]
    assert sorted(draft.recipients) == sorted(attendees) == sorted(email for _name, email in with_email)
    assert draft.without_email == invitation.without_email == tuple(without)


def test_a_title_that_names_its_body_is_not_preceded_by_the_body_again(empty_db, meeting, tmp_path):
    world, mid = meeting
    M.update_meeting(empty_db, mid, {"title": "Groupe technique : programmation 2025"},
                     expected_version=M.get_meeting(empty_db, mid).version)
    for kind in ("convocation", "minutes"):
        msg, _files = _parse(write_mail_draft(empty_db, kind, tmp_path / f"{kind}.eml", meeting_id=mid).path)
        body = msg.get_body(("plain",)).get_content()
        # « Compte rendu – Groupe technique : programmation 2025 », as on the document itself
        assert msg["Subject"].count("Groupe technique") == 1, msg["Subject"]
        assert "« Groupe technique : programmation 2025 »" in body, body
