"""``qpv-desk export invitation|mail|rapport``: the same services as the app, outputs read back."""

from __future__ import annotations

import email
from email import policy

import icalendar
import pytest
from docx import Document
from sqlalchemy import update

from meetings_data import GT_DAY, build_world
from qpv_desk.cli import main
from qpv_desk.services import meetings as M
from qpv_desk.services.sending import update_sending_settings
from qpv_desk.store.db import open_database


@pytest.fixture
def meeting_db(tmp_path):
    from qpv_desk.store.models import Person

    path = tmp_path / "verquin.sqlite"
    db = open_database(path, create=True)
    try:
        world = build_world(db)
        with db.session() as s:
            s.execute(update(Person).where(Person.id == world.persons["caf"]).values(email=None))
        mid = M.create_meeting(db, world.gt_id, GT_DAY, start_time="14:00", place="Mairie de Verquin")
        M.add_agenda_item(db, mid, "Programmation 2025")
        update_sending_settings(db, {"organiser_name": "Claire Martin", "organiser_email": "claire@verquin.fr",
                                     "dgs_recipients": "dgs@verquin.fr"})
    finally:
        db.close()
    return path, mid


def test_invitation_twice_then_changed(meeting_db, tmp_path, capsys):
    path, mid = meeting_db
    out = tmp_path / "gt.ics"
    assert main(["export", "invitation", "--meeting", str(mid), "--db", str(path), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == str(out)
    assert "Sophie Petit (CAF du Pas-de-Calais)" in captured.err
    first = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")[0]
    db = open_database(path)
    try:
        M.update_meeting(db, mid, {"place": "Salle des fêtes"}, expected_version=M.get_meeting(db, mid).version)
    finally:
        db.close()
    assert main(["export", "invitation", "--meeting", str(mid), "--db", str(path), "-o", str(out)]) == 0
    second = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")[0]
    assert str(second["UID"]) == str(first["UID"])
    assert (first["SEQUENCE"], second["SEQUENCE"]) == (0, 1)
    assert str(second["LOCATION"]) == "Salle des fêtes"


@pytest.mark.slow
def test_mail_drafts(meeting_db, tmp_path, capsys):
    path, mid = meeting_db
    out = tmp_path / "conv.eml"
    assert main(["export", "mail", "convocation", "--meeting", str(mid), "--db", str(path), "-o", str(out)]) == 0
    assert "Sophie Petit" in capsys.readouterr().err
    msg = email.message_from_bytes(out.read_bytes(), policy=policy.default)
    assert msg["X-Unsent"] == "1"
    names = sorted(p.get_filename() for p in msg.iter_attachments())
    assert names[0].endswith("convocation.docx") and names[1].endswith(".ics")
    copil = tmp_path / "copil.eml"
    assert main(["export", "mail", "copil", "--year", "2025", "--db", str(path), "-o", str(copil)]) == 0
    msg = email.message_from_bytes(copil.read_bytes(), policy=policy.default)
    assert [a.addr_spec for a in msg["To"].addresses] == ["dgs@verquin.fr"]
    assert [p.get_filename() for p in msg.iter_attachments()] == ["suivi-contrat-de-ville-2025.xlsx"]
    # user errors: exit 2 with one French line
    assert main(["export", "mail", "copil", "--db", str(path), "-o", str(copil)]) == 2
    assert "--year" in capsys.readouterr().err
    assert main(["export", "mail", "minutes", "--db", str(path), "-o", str(tmp_path / "cr.eml")]) == 2
    assert "--meeting" in capsys.readouterr().err
    assert main(["export", "mail", "minutes", "--meeting", str(mid), "--db", str(path),
                 "-o", str(tmp_path / "cr.txt")]) == 2
    assert ".eml" in capsys.readouterr().err


def test_rapport(meeting_db, tmp_path, capsys):
    path, _mid = meeting_db
    out = tmp_path / "rapport.docx"
    assert main(["export", "rapport", "--year", "2025", "--db", str(path), "-o", str(out)]) == 0
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Rapport annuel 2025 sur la politique de la ville" in text
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "Atelier de remobilisation" in cells


def test_snapshot_take_list_compare(tmp_path, capsys):
    import datetime as dt

    from programme_data import programme

    from qpv_desk.services import programme as P

    path = tmp_path / "prog.sqlite"
    db = open_database(path, create=True)
    try:
        seed = programme(db)
    finally:
        db.close()
    assert main(["snapshot", "take", "--label", "Avant", "--db", str(path)]) == 0
    snap_id = int(capsys.readouterr().out.split("\t")[0])
    db = open_database(path)
    try:
        P.change_status(db, seed.actions["Forum emploi"], "a_justifier", dt.date(2026, 4, 1))
        P.delete_action(db, seed.actions["Ateliers cuisine"])
    finally:
        db.close()
    assert main(["snapshot", "list", "--db", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "id\tprise_le\tlibelle\treunion\tactions"  # ASCII, like every other listing
    assert lines[1].split("\t")[2] == "Avant"
    assert main(["snapshot", "compare", str(snap_id), "--year", "2026", "--db", str(path)]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert rows[0] == ["changement", "code", "action", "porteur", "detail", "ecart"]
    kinds = [(r[0], r[2]) for r in rows[1:] if r[0] != "Total"]
    assert kinds == [("Retirée", "Ateliers cuisine"), ("Statut", "Forum emploi")]
    assert ["Total", "etat_pv", rows[-4][2], "", "demandé", "-1500.00"] in rows
    assert main(["snapshot", "compare", "999", "--db", str(path)]) == 2
