"""The documents of a meeting from the base: frozen minutes, dated convocations, letterhead,
signatories, checks before export — every document read back with python-docx."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from docx import Document
from docx.oxml.ns import qn
from sqlalchemy import select

from meetings_data import GT_DAY, build_world, sample_document, tiny_png
from qpv_desk.domain.errors import ValidationError
from qpv_desk.reports import document as DM
from qpv_desk.reports.html_render import render_html
from qpv_desk.reports.meeting_docs import build_minutes
from qpv_desk.services import meeting_documents as MD
from qpv_desk.services import meetings as M
from qpv_desk.services import tasks as T
from qpv_desk.store.models import ChangeLog, Contract, Funder, FundingLine, Objective, ObjectiveLevel, Person


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def header_text(doc) -> str:
    parts = []
    for section in doc.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        for table in section.header.tables:
            parts.extend(c.text for row in table.rows for c in row.cells)
    return "\n".join(parts)


@pytest.fixture
def world(empty_db):
    return build_world(empty_db)


def _fund(db, action_id, amounts):
    """amounts: {funder code: (requested €, granted € or None)}."""
    with db.session() as s:
        funders = {f.code: f for f in s.execute(select(Funder)).scalars()}
        for code, (req, gr) in amounts.items():
            s.add(FundingLine(action_id=action_id, funder_id=funders[code].id, requested_cents=req * 100,
                              granted_cents=None if gr is None else gr * 100))
        return {code: funders[code].name for code in amounts}


def _held_meeting(db, world):
    mid = M.create_meeting(db, world.gt_id, GT_DAY, start_time="14:00", place="Mairie")
    rows = {r.person_id: r for r in M.list_attendance(db, mid)}
    M.set_attendance(db, rows[world.persons["bailleur"]].id, "represente", world.persons["futur"], expected_version=rows[world.persons["bailleur"]].version)
    M.set_all_present(db, mid)
    item = M.add_agenda_item(db, mid, "Programmation 2025", action_id=world.action_id,
                             presenter_id=world.persons["asso"])
    M.add_decision(db, mid, "2025-01 « Atelier de remobilisation » : avis favorable (projet solide).", kind="avis",
                   opinion="favorable", action_id=world.action_id, agenda_item_id=item)
    task = T.add_task(db, mid, description="Transmettre les avis au COPIL", owner_person_id=world.persons["referente"],
                      due_date=dt.date(2025, 2, 1))
    M.update_meeting(db, mid, {"status": "tenue"}, expected_version=M.get_meeting(db, mid).version)
    return mid, task


# --------------------------------------------------------------------------- the record must not drift


def test_validated_minutes_never_change(empty_db, world, tmp_path):
    _fund(empty_db, world.action_id, {"etat_pv": (5000, None), "commune": (2000, None)})
    mid, task = _held_meeting(empty_db, world)
    record = MD.validate_minutes(empty_db, mid, validated_by="Claire Martin", chair="M. le Maire",
                                 expected_version=M.get_meeting(empty_db, mid).version, today=dt.date(2025, 2, 11))
    assert record.validated_on == dt.date(2025, 2, 11)
    assert M.get_meeting(empty_db, mid).status.value == "cr_valide"
    first = MD.write_meeting_document(empty_db, mid, "minutes", tmp_path / "a.docx", today=dt.date(2025, 2, 12))
    before = all_text(Document(str(first)))
    assert "Compte rendu validé le mardi 11 février 2025 par Claire Martin." in before
    assert "M. le Maire" in before and "PROJET" not in before
    assert "Nadia Benali" in before and "5\u202f000,00\u00a0€" in before

    # later facts: the task is done, a person renamed, an amount changed — and years pass
    T.update_task(empty_db, task, {"status": "fait"}, expected_version=1, today=dt.date(2025, 3, 1))
    with empty_db.session() as s:
        s.get(Person, world.persons["asso"]).last_name = "Renommée"
        line = s.execute(select(FundingLine).where(FundingLine.action_id == world.action_id)).scalars().first()
        line.requested_cents = 99_999_00
    again = MD.write_meeting_document(empty_db, mid, "minutes", tmp_path / "b.docx", today=dt.date(2027, 4, 7))
    assert all_text(Document(str(again))) == before
    html_before = MD.meeting_document_html(empty_db, mid, today=dt.date(2030, 1, 1))
    assert "Renommée" not in html_before and "Nadia Benali" in html_before

    # un-validating is explicit, kept in the history, and the live base shows again
    MD.unvalidate_minutes(empty_db, mid, reason="Coquille dans les montants", expected_version=M.get_meeting(empty_db, mid).version)
    assert MD.minutes_record(empty_db, mid) is None
    assert M.get_meeting(empty_db, mid).status.value == "tenue"
    text = all_text(Document(str(MD.write_meeting_document(empty_db, mid, "minutes", tmp_path / "c.docx"))))
    assert "Nadia Renommée" in text and "PROJET" in text
    with empty_db.reader() as s:
        logs = [c.changes or "" for c in s.execute(select(ChangeLog).where(ChangeLog.entity == "meeting",
                                                                          ChangeLog.entity_id == mid)).scalars()]
    assert any("dévalidé" in c and "Coquille dans les montants" in c for c in logs)
    assert any("validé et figé" in c for c in logs)


def test_status_combo_freezes_and_unfreezes(empty_db, world):
    mid, _ = _held_meeting(empty_db, world)
    M.update_meeting(empty_db, mid, {"status": "cr_valide"}, expected_version=M.get_meeting(empty_db, mid).version)
    assert MD.minutes_record(empty_db, mid) is not None
    with pytest.raises(ValidationError):
        MD.validate_minutes(empty_db, mid, expected_version=M.get_meeting(empty_db, mid).version)
    M.update_meeting(empty_db, mid, {"status": "tenue"}, expected_version=M.get_meeting(empty_db, mid).version)
    assert MD.minutes_record(empty_db, mid) is None


def test_a_planned_meeting_cannot_be_validated(empty_db, world):
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY)
    with pytest.raises(ValidationError) as err:
        MD.validate_minutes(empty_db, mid, expected_version=M.get_meeting(empty_db, mid).version)
    assert "réunion tenue" in str(err.value)
    with pytest.raises(ValidationError):
        MD.unvalidate_minutes(empty_db, mid, expected_version=M.get_meeting(empty_db, mid).version)


def test_frozen_document_json_round_trip():
    document = build_minutes(sample_document())
    assert DM.from_json(DM.to_json(document)) == document


# --------------------------------------------------------------------------- convocation


def test_convocation_keeps_the_day_it_was_produced(empty_db, world, tmp_path):
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY, start_time="14:00", place="Mairie")
    first = MD.write_meeting_document(empty_db, mid, "convocation", tmp_path / "a.docx", today=dt.date(2025, 1, 2))
    assert "Verquin, le jeudi 2 janvier 2025" in all_text(Document(str(first)))
    later = MD.write_meeting_document(empty_db, mid, "convocation", tmp_path / "b.docx", today=dt.date(2025, 11, 20))
    assert "Verquin, le jeudi 2 janvier 2025" in all_text(Document(str(later)))


def test_copil_convocation_signed_by_its_signatories_with_reply_by(empty_db, world, tmp_path):
    mid = M.create_meeting(empty_db, world.copil_id, dt.date(2025, 3, 25), title="Comité de pilotage : programmation",
                           start_time="18:00", place="Mairie")
    MD.set_body_signatories(empty_db, world.copil_id, [("M. Jean Maire", "Maire de Verquin"),
                                                       ("Mme Anne Adjointe", "Adjointe à la politique de la ville")],
                            expected_version=MD.body_signatories(empty_db, world.copil_id).version)
    MD.set_reply_by(empty_db, mid, "14/03/2025", expected_version=M.get_meeting(empty_db, mid).version)
    assert MD.body_signatories(empty_db, world.copil_id).people[1] == ("Mme Anne Adjointe",
                                                                "Adjointe à la politique de la ville")
    doc = Document(str(MD.write_meeting_document(empty_db, mid, "convocation", tmp_path / "c.docx",
                                                 today=dt.date(2025, 3, 1))))
    text = all_text(doc)
    assert "avant le vendredi 14 mars 2025" in text
    signature = doc.tables[-1]
    cells = [c.text for c in signature.rows[0].cells]
    assert cells == ["Maire de Verquin\nM. Jean Maire", "Adjointe à la politique de la ville\nMme Anne Adjointe"]
    # the instance's name is not repeated when the title starts with it
    assert "Convocation – Comité de pilotage : programmation" in text
    assert "Comité de pilotage – Comité de pilotage" not in text
    with pytest.raises(ValidationError):
        MD.set_reply_by(empty_db, mid, "01/04/2025",  # after the meeting
                        expected_version=M.get_meeting(empty_db, mid).version)


# --------------------------------------------------------------------------- content from the referential


def test_elision_and_level_names(empty_db, world, tmp_path):
    with empty_db.session() as s:
        contract = s.execute(select(Contract)).scalar_one()
        contract.commune = "Exemple-sur-Lawe"
        objective = s.execute(select(Objective).where(Objective.depth == 3)).scalars().first()
        level = s.execute(select(ObjectiveLevel).where(ObjectiveLevel.depth == 3)).scalar_one()
        level.name = "Sous-objectif"
        objective_id, code = objective.id, objective.code
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY)
    M.add_agenda_item(empty_db, mid, "Point sur l'objectif", objective_id=objective_id)
    doc = Document(str(MD.write_meeting_document(empty_db, mid, "minutes", tmp_path / "m.docx")))
    assert "Commune d'Exemple-sur-Lawe" in header_text(doc)
    assert f"Sous-objectif {code}" in all_text(doc)
    assert f"Objectif {code}" not in all_text(doc).replace(f"Sous-objectif {code}", "")


def test_point_presented_by_someone_absent_is_flagged(empty_db, world):
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY)
    M.add_agenda_item(empty_db, mid, "Bilan CAF", presenter_id=world.persons["caf"])
    assert MD.export_warnings(empty_db, mid) == []
    rows = {r.person_id: r for r in M.list_attendance(empty_db, mid)}
    M.set_attendance(empty_db, rows[world.persons["caf"]].id, "absent", expected_version=rows[world.persons["caf"]].version)
    warnings = MD.export_warnings(empty_db, mid)
    assert len(warnings) == 1 and "Bilan CAF" in warnings[0]
    assert "présenté par Mme Sophie Petit, notée absente ou excusée :" in warnings[0]


@pytest.mark.slow
def test_copil_decisions_on_actions_are_a_table_with_totals(empty_db, world, tmp_path):
    names = _fund(empty_db, world.action_id, {"etat_pv": (3000, 2500), "commune": (1000, 1000)})
    mid = M.create_meeting(empty_db, world.copil_id, dt.date(2025, 3, 25), title="Comité de pilotage")
    item = M.add_agenda_item(empty_db, mid, "Programmation 2025")
    M.add_decision(empty_db, mid, "2025-01 « Atelier de remobilisation » : accordée (État 2 500 € ; commune 1 000 €).",
                   action_id=world.action_id, agenda_item_id=item)
    M.add_decision(empty_db, mid, "Le calendrier 2026 est adopté.", agenda_item_id=item)
    doc = Document(str(MD.write_meeting_document(empty_db, mid, "minutes", tmp_path / "copil.docx")))
    decisions = next(t for t in doc.tables if t.rows[0].cells[0].text == "Code")
    assert [c.text for c in decisions.rows[0].cells] == ["Code", "Action, porteur et objectif", "Décision",
                                                         "Demandé", "Accordé"]
    row = [c.text for c in decisions.rows[1].cells]
    assert row[0] == "2025-01"
    assert row[1] == "Atelier de remobilisation\nAssociation Les Îlots Solidaires"
    assert row[3] == "4\u202f000,00\u00a0€" and row[4] == "3\u202f500,00\u00a0€"
    assert "2025-01" not in row[2] and "€" not in row[2]  # the action and amounts are not said twice
    total = [c.text for c in decisions.rows[-1].cells]
    assert total[0] == "Total" and total[1] == "1 action" and total[3] == "4\u202f000,00\u00a0€"
    per_funder = next(t for t in doc.tables if t.rows[0].cells[0].text == "Financeur")
    assert [[c.text for c in r.cells] for r in per_funder.rows[1:]] == [
        [names["etat_pv"], "3\u202f000,00\u00a0€", "2\u202f500,00\u00a0€"],
        [names["commune"], "1\u202f000,00\u00a0€", "1\u202f000,00\u00a0€"],
        ["Total", "4\u202f000,00\u00a0€", "3\u202f500,00\u00a0€"]]
    text = all_text(doc)
    assert "Décision : Le calendrier 2026 est adopté." in text  # other decisions stay text
    assert "Comité de pilotage – Comité de pilotage" not in text


# --------------------------------------------------------------------------- letterhead, files


def test_letterhead_on_every_document(empty_db, world, tmp_path):
    with pytest.raises(ValidationError):
        MD.set_letterhead(empty_db, logo=b"not an image")
    MD.set_letterhead(empty_db, address="Mairie de Verquin\n1 place de la Mairie\n62131 Verquin", logo=tiny_png(),
                      logo_name="logo.png")
    assert MD.letterhead(empty_db).logo == tiny_png()
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY)
    for kind in MD.DOCUMENT_KINDS:
        doc = Document(str(MD.write_meeting_document(empty_db, mid, kind, tmp_path / f"{kind}.docx")))
        assert "1 place de la Mairie" in header_text(doc)
        header = doc.sections[0].header
        assert any(r.reltype.endswith("/image") for r in header.part.rels.values())
    assert "1 place de la Mairie" in MD.meeting_document_html(empty_db, mid)
    MD.set_letterhead(empty_db, clear_logo=True)
    assert MD.letterhead(empty_db).logo is None and MD.letterhead(empty_db).address.startswith("Mairie")


def test_files_are_written_with_normal_permissions(empty_db, world, tmp_path):
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY)
    old = os.umask(0o022)
    try:
        path = MD.write_meeting_document(empty_db, mid, "emargement", tmp_path / "e.docx")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


def test_sign_in_sheet_names_the_meeting_on_every_page(empty_db, world, tmp_path):
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY, start_time="14:00", place="Mairie")
    doc = Document(str(MD.write_meeting_document(empty_db, mid, "emargement", tmp_path / "e.docx")))
    head = header_text(doc)
    assert "Groupe technique" in head and "14/01/2025" in head and "Mairie" in head
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Nom", "Structure", "Fonction", "Signature"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    widths = [c.width.cm for c in table.rows[1].cells]
    assert widths[2] >= 4.2  # Fonction wide enough not to wrap in three lines
    names = [r.cells[0].text for r in table.rows[1:] if r.cells[0].text]
    assert names == ["Mme BENALI Nadia", "M. DURAND Paul", "M. LEFEBVRE Marc", "Mme MARTIN Claire",
                     "Mme PETIT Sophie", "M. ROUX Jean"]  # alphabetical by surname
    assert "6 personnes invitées." in all_text(doc)


def test_same_text_in_word_and_in_the_preview(tmp_path):
    """Both renderings come from the same blocks: every line of the model is in both."""
    from html.parser import HTMLParser

    from qpv_desk.reports.docx_render import build_docx
    from qpv_desk.reports.sanitize import typography

    document = build_minutes(sample_document())
    docx_text = all_text(build_docx(document))

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts = []

        def handle_data(self, data):
            self.parts.append(data)

    parser = Text()
    parser.feed(render_html(document))
    html_text = "".join(parser.parts)
    lines = [typography(line) for line in DM.plain_text(document) if line.strip()]
    assert len(lines) > 40
    for line in lines:
        for part in line.split("\n"):
            assert part in docx_text, part
            assert part in html_text, part


def test_a_past_meeting_convocation_is_never_dated_after_it(empty_db, world, tmp_path):
    from qpv_desk.store.models import Meeting

    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY, start_time="14:00")
    with empty_db.session() as s:
        s.get(Meeting, mid).created_at = dt.datetime(2024, 12, 20, 10, 0)
    doc = Document(str(MD.write_meeting_document(empty_db, mid, "convocation", tmp_path / "c.docx",
                                                 today=dt.date(2025, 11, 20))))
    assert "Verquin, le vendredi 20 décembre 2024" in all_text(doc)


def test_minutes_validated_in_an_older_base_are_frozen_at_their_first_export(empty_db, world, tmp_path):
    from qpv_desk.store.models import Meeting

    mid, _ = _held_meeting(empty_db, world)
    with empty_db.session() as s:  # validated before records existed: no frozen copy
        s.get(Meeting, mid).status = "cr_valide"
    first = all_text(Document(str(MD.write_meeting_document(empty_db, mid, "minutes", tmp_path / "a.docx"))))
    assert MD.minutes_record(empty_db, mid) is not None and "Compte rendu validé le" in first
    with empty_db.session() as s:
        s.get(Person, world.persons["asso"]).last_name = "Renommée"
    assert all_text(Document(str(MD.write_meeting_document(empty_db, mid, "minutes", tmp_path / "b.docx")))) == first


def test_tasks_are_shown_as_they_stood_on_the_day_the_minutes_speak_of(empty_db, world, tmp_path):
    mid, task = _held_meeting(empty_db, world)
    T.update_task(empty_db, task, {"status": "fait"}, expected_version=1, today=dt.date(2025, 3, 1))
    MD.validate_minutes(empty_db, mid, validated_by="Claire Martin", today=dt.date(2025, 2, 11),
                       expected_version=M.get_meeting(empty_db, mid).version)
    doc = Document(str(MD.write_meeting_document(empty_db, mid, "minutes", tmp_path / "m.docx")))
    tasks = next(t for t in doc.tables if t.rows[0].cells[0].text == "Qui")
    assert [c.text for c in tasks.rows[1].cells] == ["Mme Claire Martin", "Transmettre les avis au COPIL",
                                                     "01/02/2025", "À faire (en retard)"]


def test_people_are_named_with_their_civility_in_every_document(empty_db, world, tmp_path):
    """Representatives, presenters, the secretary and the tasks' « Qui » carry their civility
    (once: never « Mme Mme »), and « représenté(e) » agrees with the person represented."""
    import re
    from html import unescape

    p = world.persons
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY, start_time="14:00", place="Mairie")
    rows = {r.person_id: r for r in M.list_attendance(empty_db, mid)}
    M.set_attendance(empty_db, rows[p["bailleur"]].id, "represente", p["futur"],
                     expected_version=rows[p["bailleur"]].version)
    M.set_attendance(empty_db, rows[p["asso"]].id, "represente", p["ccas"], expected_version=rows[p["asso"]].version)
    M.add_agenda_item(empty_db, mid, "Bilan CAF", presenter_id=p["caf"], duration_min=15)
    T.add_task(empty_db, mid, description="Transmettre les avis", owner_person_id=p["referente"],
               owner_organisation_id=world.orgs["commune"], due_date=dt.date(2025, 2, 1))
    T.add_task(empty_db, mid, description="Relancer la préfecture", owner_person_id=p["etat"])

    def docx(kind):
        return Document(str(MD.write_meeting_document(empty_db, mid, kind, tmp_path / f"{kind}.docx")))

    doubled = re.compile(r"(Mme|M\.)\s+(Mme|M\.)\s")
    minutes = docx("minutes")
    text = all_text(minutes)
    assert "M. Marc Lefebvre (Pas-de-Calais Habitat), représenté par Mme Eva Future" in text
    assert "Mme Nadia Benali (Association Les Îlots Solidaires), représentée par M. Paul Durand" in text
    assert "Présenté par Mme Sophie Petit, 15\u00a0min" in text
    assert "Secrétariat : Mme Claire Martin, Référente QPV" in text
    tasks = next(t for t in minutes.tables if t.rows[0].cells[0].text == "Qui")
    assert [r.cells[0].text for r in tasks.rows[1:]] == ["Mme Claire Martin (Commune de Verquin)", "M. Jean Roux"]

    sheet = docx("emargement")
    names = [r.cells[0].text for r in sheet.tables[0].rows[1:] if r.cells[0].text]
    assert "M. LEFEBVRE Marc\nreprésenté par Mme Eva Future" in names
    assert "Mme BENALI Nadia\nreprésentée par M. Paul Durand" in names

    convocation = all_text(docx("convocation"))
    assert "Bilan CAF (présenté par Mme Sophie Petit, 15\u00a0min)" in convocation
    assert "auprès du secrétariat : Mme Claire Martin, Référente QPV" in convocation

    html = unescape(MD.meeting_document_html(empty_db, mid)).replace("\u00a0", " ")
    assert "représentée par M. Paul Durand" in html and "Présenté par Mme Sophie Petit" in html
    sheet_html = unescape(MD.meeting_document_html(empty_db, mid, "emargement"))
    assert "représenté par Mme Eva Future" in sheet_html
    for document in (text, all_text(sheet), convocation, html, sheet_html):
        assert not doubled.search(document)
