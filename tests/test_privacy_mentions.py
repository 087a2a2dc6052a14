"""Anonymising finds the person in free text, shows it, replaces it; the export lists it (issue 15, item 11)."""

from __future__ import annotations

import openpyxl
from sqlalchemy import select

from qpv_desk.cli import main
from qpv_desk.services import privacy as P
from qpv_desk.store.models import Action, AgendaItem, Decision, FollowUpTask, Meeting

from safety_data import build_people

TEXTS = {
    "notes": "Présents : Amina BENHADDOU (centre social), M. Dupuis. Amina relaiera.",
    "discussion": "Mme Benhaddou présente le bilan ; joindre amina.benhaddou@example.org pour le détail.",
    "decision": "Avis favorable sur proposition de Benhaddou Amina.",
    "task": "Rappeler le 0321001122 (ou +33 3 21 00 11 22) avant vendredi",
    "unrelated": "Le bilan de M. Dupuis est attendu.",
}


def seed(db):
    people = build_people(db)
    with db.session() as s:
        meeting = s.get(Meeting, people.meeting)
        meeting.notes = TEXTS["notes"]
        item = AgendaItem(meeting_id=meeting.id, title="Bilan du centre social", discussion=TEXTS["discussion"])
        s.add(item)
        s.flush()
        s.add(Decision(meeting_id=meeting.id, agenda_item_id=item.id, text=TEXTS["decision"]))
        s.add(FollowUpTask(description=TEXTS["task"], meeting_id=meeting.id, status="a_faire"))
        s.add(FollowUpTask(description=TEXTS["unrelated"], meeting_id=meeting.id, status="a_faire"))
        s.get(Action, people.action).description = "Porté avec Hélène Martin ; contact : Amina Benhaddou."
    return people


def test_mentions_are_found_with_or_without_accents_email_and_phone(empty_db):
    people = seed(empty_db)
    found = P.mentions(empty_db, people.amina)
    wheres = sorted(m.where for m in found)
    assert wheres == sorted(["Réunion — notes", "Ordre du jour — échanges", "Relevé de décisions",
                             "Suite à donner", "Action — description"])
    assert all("Dupuis est attendu" not in m.excerpt for m in found)


def test_anonymise_replaces_every_mention_and_nothing_else(empty_db):
    people = seed(empty_db)
    pseudonym = P.anonymise_person(empty_db, people.amina)
    with empty_db.reader() as s:
        texts = [s.get(Meeting, people.meeting).notes]
        texts += [i.discussion for i in s.scalars(select(AgendaItem))]
        texts += [d.text for d in s.scalars(select(Decision))]
        texts += [t.description for t in s.scalars(select(FollowUpTask))]
        texts += [s.get(Action, people.action).description]
    joined = "\n".join(t or "" for t in texts).lower()
    for secret in ("benhaddou", "amina.benhaddou@example.org", "0321001122", "21 00 11 22"):
        assert secret not in joined
    assert pseudonym in texts[0] and "M. Dupuis" in texts[0]
    assert TEXTS["unrelated"] in texts
    assert "Hélène Martin" in texts[-1]
    assert P.mentions(empty_db, people.amina) == []


def test_export_lists_the_mentions(empty_db, tmp_path):
    people = seed(empty_db)
    path = P.export_person(empty_db, people.amina, tmp_path / "amina.xlsx")
    ws = openpyxl.load_workbook(path)["Mentions"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 5
    assert any("Benhaddou présente le bilan" in (r[2] or "") for r in rows)


def test_cli_anonymise_shows_the_mentions(sqlite_db, capsys):
    people = seed(sqlite_db)
    path = str(sqlite_db.path)
    sqlite_db.close()
    capsys.readouterr()
    assert main(["person", "anonymise", "--person", str(people.amina), "--db", path, "--yes"]) == 0
    out = capsys.readouterr().out
    assert out.count("mention\t") == 5 and "5 mentions dans les textes libres : elles seront remplacées" in out
