"""The Word documents of a meeting, read back with python-docx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from meetings_data import GT_DAY, build_world, sample_document
from qpv_desk.domain import enums as E
from qpv_desk.reports import docx_common as C
from qpv_desk.reports import meeting_docs as D
from qpv_desk.reports.sanitize import typography
from qpv_desk.services import meetings as M
from qpv_desk.services import tasks as T
from qpv_desk.services.meetings import DocAgendaItem, DocAttendee, DocDecision, DocTask

S = E.AttendanceStatus


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def header_text(doc) -> str:
    return "\n".join(p.text for s in doc.sections for p in s.header.paragraphs)


def section_after(doc, heading: str) -> list[str]:
    """Paragraph texts after a heading until the next heading of the same or higher level."""
    paragraphs = doc.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text.startswith(heading) and p.style.name.startswith("Heading"))
    level = paragraphs[start].style.name
    out = []
    for p in paragraphs[start + 1:]:
        if p.style.name.startswith("Heading") and p.style.name <= level:
            break
        out.append(p.text)
    return out


# --------------------------------------------------------------------------- minutes


def test_minutes_content(tmp_path):
    path = D.write_minutes(sample_document(), tmp_path / "cr.docx")
    doc = Document(str(path))
    text = all_text(doc)
    assert "PROJET" in header_text(doc) and "(PROJET)" in doc.paragraphs[0].text
    assert "Commune de Verquin" in header_text(doc)
    assert doc.paragraphs[0].style.name == "Title"
    assert "mardi 14 janvier 2025 de 14\u00a0h à 16\u00a0h\u00a030" in text
    assert "5 participants sur 7 invités – quorum (4) atteint" in text
    assert "(s)" not in text and "(e)" not in text
    # each group sorted by surname (French collation), agreement from the civility, named with it
    assert section_after(doc, "Présents (3)") == [
        "Mme Ines Adjointe – invitée", "Mme Nadia Benali (Association Les Îlots Solidaires)",
        "Mme Claire Martin (Commune de Verquin)"]
    assert section_after(doc, "À distance (1)") == ["M. Jean Roux (Préfecture du Pas-de-Calais)"]
    assert section_after(doc, "Représentés (1)") == [
        "M. Marc Lefebvre (Pas-de-Calais Habitat), représenté par Eva Future"]
    assert section_after(doc, "Excusés (1)") == ["Mme Sophie Petit (CAF du Pas-de-Calais)"]
    assert section_after(doc, "Absents (1)") == ["M. Paul Durand (CCAS de Verquin)"]
    assert not any(p.text.startswith("Présence non renseignée") for p in doc.paragraphs)
    headings = {p.style.name: [] for p in doc.paragraphs}
    for p in doc.paragraphs:
        headings[p.style.name].append(p.text)
    assert headings["Heading 1"] == ["Participants", "Ordre du jour", "Relevé des échanges et des décisions",
                                     "Suites à donner", "Suivi des tâches des réunions précédentes",
                                     "Prochaine réunion", "Diffusion"]
    assert headings["Heading 2"] == ["1. Approbation du compte rendu", "2. Demandes de subvention 2025"]
    item2 = section_after(doc, "2. Demandes de subvention 2025")
    assert "Présentation du projet." in item2 and "Débat sur le public visé." in item2
    assert "Avis favorable (action 2025-01 – Atelier) : À articuler avec le PRE." in item2
    assert "Information : Le calendrier du COPIL est rappelé." in item2
    assert "Décision : Compte rendu approuvé." in section_after(doc, "1. Approbation")
    new_tasks, review = doc.tables
    assert [c.text for c in new_tasks.rows[0].cells] == ["Qui", "Quoi", "Échéance", "État"]
    assert [c.text for c in new_tasks.rows[1].cells] == ["Claire Martin", "Transmettre les avis au COPIL",
                                                         "01/02/2025", "À faire"]
    assert [c.text for c in review.rows[1].cells] == ["05/11/2024", "Nadia Benali", "Envoyer le bilan 2024",
                                                      "15/12/2024", "À faire (en retard)"]
    assert review.rows[2].cells[4].text == "Fait le 06/01/2025"
    late_run = review.rows[1].cells[3].paragraphs[0].runs[0]
    assert late_run.bold and late_run.font.color.rgb == C.DRAFT_COLOR
    for table in doc.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert "La prochaine réunion aura lieu le mardi 11 février 2025." in text
    assert section_after(doc, "Diffusion")[1:] == [
        "Mme Ines Adjointe", "Mme Nadia Benali, Association Les Îlots Solidaires", "M. Paul Durand, CCAS de Verquin",
        "M. Marc Lefebvre, Pas-de-Calais Habitat", "Mme Claire Martin, Commune de Verquin",
        "Mme Sophie Petit, CAF du Pas-de-Calais", "M. Jean Roux, Préfecture du Pas-de-Calais"]
    footer_xml = doc.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml and "sur" in doc.sections[0].footer.paragraphs[0].text


def test_minutes_not_draft_once_validated(tmp_path):
    doc = Document(str(D.write_minutes(sample_document(status=E.MeetingStatus.CR_VALIDE), tmp_path / "cr.docx")))
    assert "PROJET" not in header_text(doc) and "PROJET" not in all_text(doc)
    assert "Commune de Verquin" in header_text(doc)


def test_minutes_quorum_not_reached_and_empty_sections(tmp_path):
    data = sample_document(agenda=(), tasks=(), review=(), next_meeting_date=None, quorum=10)
    doc = Document(str(D.write_minutes(data, tmp_path / "cr.docx")))
    text = all_text(doc)
    assert "quorum (10) non atteint" in text
    assert "Aucune nouvelle tâche." in text
    assert "Suivi des tâches des réunions précédentes" not in text  # an empty section is left out
    assert "Relevé des échanges" not in text
    assert "sera communiquée ultérieurement" in text


def test_minutes_leave_out_what_is_empty(tmp_path):
    only_present = tuple(a for a in sample_document().attendees if a.status is S.PRESENT)
    data = sample_document(attendees=only_present,
                           agenda=(DocAgendaItem(1, "Tour de table"), DocAgendaItem(2, "Questions diverses")))
    doc = Document(str(D.write_minutes(data, tmp_path / "cr.docx")))
    text = all_text(doc)
    assert "Présents (3)" in text
    for empty in ("À distance", "Excusés", "Absents", "Représentés", "Aucun.", "Pas d'échange consigné"):
        assert empty not in text
    assert "3 participants sur 3 invités" in text
    one = sample_document(attendees=only_present[:1])
    assert "1 participant sur 1 invité" in all_text(Document(str(D.write_minutes(one, tmp_path / "one.docx"))))


# --------------------------------------------------------------------------- sign-in sheet


def test_emargement_table(tmp_path):
    doc = Document(str(D.write_emargement(sample_document(), tmp_path / "em.docx")))
    assert doc.paragraphs[0].text == "Feuille d'émargement"
    assert "mardi 14 janvier 2025" in all_text(doc)
    table = doc.tables[0]
    rows = table.rows
    assert [c.text for c in rows[0].cells] == ["Nom", "Structure", "Fonction", "Signature"]
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    names = [r.cells[0].text for r in rows[1:]]
    assert names[:7] == ["Mme ADJOINTE Ines", "Mme BENALI Nadia", "M. DURAND Paul",
                         "M. LEFEBVRE Marc\nreprésenté par Eva Future",  # known beforehand: who signs for him
                         "Mme MARTIN Claire", "Mme PETIT Sophie", "M. ROUX Jean"]  # by surname
    represented = rows[4].cells[0].paragraphs[0].runs
    assert not represented[0].italic and represented[-1].italic
    texts = [tuple(c.text for c in r.cells[:3]) for r in rows[1:8]]
    assert names[7:] == [""] * D.signing_blank_rows(texts) and len(names[7:]) >= 3
    for row in rows[1:]:
        assert row.height >= Cm(1.1) and row.height_rule is not None
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        assert row.cells[3].text == ""


# --------------------------------------------------------------------------- convocation


def test_convocation(tmp_path):
    doc = Document(str(D.write_convocation(sample_document(), tmp_path / "conv.docx")))
    text = all_text(doc)
    assert "Verquin, le lundi 6 janvier 2025" in text
    assert "mardi 14 janvier 2025 de 14\u00a0h à 16\u00a0h\u00a030" in text and "Salle du conseil" in text
    agenda = section_after(doc, "Ordre du jour")
    assert agenda[0] == "Approbation du compte rendu (présenté par Claire Martin, 10\u00a0min)"  # held together
    assert agenda[1] == "Demandes de subvention 2025 (60\u00a0min)"
    assert "Merci de confirmer votre présence" in text and "claire@example.org" in text
    assert "(e)" not in text and "(s)" not in text
    addressees = section_after(doc, "Destinataires (7)")
    assert "M. Marc Lefebvre – Chargé de GUSP, Pas-de-Calais Habitat" in addressees
    assert "PROJET" not in header_text(doc)
    assert abs(doc.sections[0].page_width.cm - 21) < 0.01  # A4


def test_first_of_month_and_times():
    assert C.french_date(dt.date(2025, 1, 1)) == "mercredi 1er janvier 2025"
    assert C.french_date(dt.date(2025, 1, 14)) == "mardi 14 janvier 2025"
    assert C.time_range(dt.time(9), None) == "à 9 h"
    assert C.time_range(dt.time(9, 5), dt.time(10)) == "de 9 h 05 à 10 h"


# --------------------------------------------------------------------------- hostile text

HOSTILE = [
    "=cmd|' /C calc'!A0",
    "".join(chr(c) for c in range(0x20)) + "contrôles",
    "avant\ufffeaprès",
    "seul \ud800 demi",
    "é" * 100_000,
    "réunion 🎉👩🏽‍💼",
    "مرحبا بكم في الاجتماع",
    "שלום לכולם",
]


@pytest.mark.parametrize("hostile", HOSTILE, ids=["formula", "controls", "fffe", "surrogate", "long", "emoji",
                                                  "arabic", "hebrew"])
def test_hostile_text_everywhere(tmp_path, hostile):
    a = DocAttendee(hostile, hostile, hostile, S.REPRESENTE, hostile)
    data = sample_document(
        commune=hostile, quartier=hostile, body_code=hostile, body_name=hostile, title=hostile, place=hostile,
        secretary=hostile, secretary_function=hostile, secretary_contact=hostile,
        attendees=(a, DocAttendee(hostile, hostile, hostile, S.PRESENT, guest=True)),
        agenda=(DocAgendaItem(1, hostile, hostile, 5, hostile, hostile,
                              (DocDecision(E.DecisionKind.AVIS, hostile, E.Opinion.RESERVE, hostile),)),),
        tasks=(DocTask(hostile, hostile, None, E.TaskStatus.EN_COURS),),
        review=(DocTask(hostile, hostile, dt.date(2024, 1, 1), E.TaskStatus.A_FAIRE, True, dt.date(2023, 12, 1)),),
    )
    expected = C.t(hostile)
    for kind, writer in D.WRITERS.items():
        name = D.suggested_filename(data, kind)
        assert name.isascii() and name.endswith(".docx") and "/" not in name
        path = writer(data, tmp_path / name)
        doc = Document(str(path))  # python-docx reopens it
        text = all_text(doc)
        if expected.strip():
            assert expected.split("\n")[0][:50] in text
    html = D.minutes_html(data)
    assert "\ud800" not in html and "<script" not in html


def test_suggested_filename():
    data = sample_document()
    assert D.suggested_filename(data, "minutes") == "2025-01-14_GT_3-Ilots_compte-rendu.docx"
    assert D.suggested_filename(data, "emargement") == "2025-01-14_GT_3-Ilots_emargement.docx"
    assert D.suggested_filename(sample_document(quartier="", body_code="Conseil citoyen"), "convocation") \
        == "2025-01-14_Conseil-citoyen_convocation.docx"


# --------------------------------------------------------------------------- files


def test_locked_target_is_refused_and_another_name_offered(tmp_path):
    target = tmp_path / "2025-01-14_GT_compte-rendu.docx"
    target.write_bytes(b"old")
    (tmp_path / ("~$" + target.name[2:])).write_bytes(b"owner")  # Word's owner file
    assert C.is_locked(target)
    with pytest.raises(C.FileLockedError) as err:
        D.write_minutes(sample_document(), target)
    assert "ouvert dans un autre programme" in str(err.value)
    assert target.read_bytes() == b"old"  # untouched
    other = C.next_free_name(target)
    assert other.name == "2025-01-14_GT_compte-rendu (2).docx"
    D.write_minutes(sample_document(), other)
    assert Document(str(other)).paragraphs[0].text.startswith("Compte rendu")
    assert C.next_free_name(other).name == "2025-01-14_GT_compte-rendu (3).docx"
    assert not list(tmp_path.glob(".qpv-*"))  # no temporary file left behind


def test_missing_folder_is_a_storage_error(tmp_path):
    from qpv_desk.domain.errors import StorageError

    with pytest.raises(StorageError):
        D.write_convocation(sample_document(), tmp_path / "absent" / "x.docx")


def test_template_styles_are_real_word_styles():
    from qpv_desk.paths import resource

    template = resource("templates", C.TEMPLATE_NAME)
    doc = Document(str(template))
    names = {s.name for s in doc.styles}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Normal", C.TABLE_STYLE, "Small"} <= names
    assert doc.styles["Heading 1"].element.pPr is not None
    assert C.COMMUNE_PLACEHOLDER in doc.sections[0].header.paragraphs[0].text
    assert "NUMPAGES" in doc.sections[0].footer._element.xml
    assert doc.styles["Normal"].font.name == C.FONT


def test_documents_from_the_database(sqlite_db, tmp_path):
    world = build_world(sqlite_db)
    first = M.create_meeting(sqlite_db, world.gt_id, dt.date(2024, 11, 5))
    T.add_task(sqlite_db, first, description="Ancienne tâche ouverte", owner_person_id=world.persons["asso"],
               due_date=dt.date(2024, 12, 1))
    mid = M.create_meeting(sqlite_db, world.gt_id, GT_DAY, start_time="14:00", place="Mairie")
    rows = {r.person_id: r for r in M.list_attendance(sqlite_db, mid)}
    M.set_attendance(sqlite_db, rows[world.persons["caf"]].id, "excuse", expected_version=1)
    M.set_all_present(sqlite_db, mid)
    item = M.add_agenda_item(sqlite_db, mid, "Programmation", action_id=world.action_id)
    M.add_decision(sqlite_db, mid, "Avis favorable du GT.", kind="avis", opinion="favorable",
                   action_id=world.action_id, agenda_item_id=item)
    T.add_task(sqlite_db, mid, description="Nouvelle tâche", owner_organisation_id=world.orgs["caf"])
    data = M.meeting_document(sqlite_db, mid, today=dt.date(2025, 1, 20))
    path = M.write_meeting_document(sqlite_db, mid, "minutes", tmp_path / D.suggested_filename(data, "minutes"))
    assert path.name == "2025-01-14_GT_3-Ilots_compte-rendu.docx"
    doc = Document(str(path))
    assert section_after(doc, "Excusés (1)") == ["Mme Sophie Petit (CAF du Pas-de-Calais)"]
    assert len(section_after(doc, "Présents (5)")) == 5
    text = all_text(doc)
    decisions = next(t for t in doc.tables if t.rows[0].cells[0].text == "Code")
    assert [c.text for c in decisions.rows[0].cells] == ["Code", "Action, porteur et objectif", "Avis",
                                                         "Demandé"]  # an avis: nothing granted yet
    row = [c.text for c in decisions.rows[1].cells]
    assert row[0] == "2025-01" and row[1].startswith("Atelier de remobilisation")
    assert row[2].startswith("Avis favorable")
    assert "Nouvelle tâche" in text and "Ancienne tâche ouverte" in text
    assert "PROJET" in header_text(doc)
    with pytest.raises(Exception) as err:
        M.write_meeting_document(sqlite_db, mid, "rapport", tmp_path / "x.docx")
    assert "Document inconnu" in str(err.value)
    assert isinstance(path, Path)


def test_permission_error_while_writing_becomes_a_locked_file_error(tmp_path, monkeypatch):
    target = tmp_path / "cr.docx"
    target.write_bytes(b"old")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    from qpv_desk.reports import files

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(C.FileLockedError) as err:
        D.write_minutes(sample_document(), target)
    assert err.value.path == target and "cr.docx" in str(err.value)
    assert target.read_bytes() == b"old"
    assert not list(tmp_path.glob(".qpv-*"))


def test_next_gt_on_the_sample_database(sample_db, tmp_path):
    """Prepare the next GT on the demo base: members invited, open tasks carried, three documents."""
    gt = next(b for b in M.bodies(sample_db) if b.detail == "GT")
    last = M.list_meetings(sample_db, body_id=gt.id)[0]
    day = last.date + dt.timedelta(days=35)
    mid = M.create_meeting(sample_db, gt.id, day, start_time="9:30", end_time="12:00", place="Mairie")
    invitees = M.list_attendance(sample_db, mid)
    assert len(invitees) >= 10 and all(a.organisation for a in invitees)
    carried = T.open_tasks_before(sample_db, mid, today=day)
    assert carried, "the demo base has open tasks to review"
    M.set_all_present(sample_db, mid)
    data = M.meeting_document(sample_db, mid, today=day)
    for kind in M.DOCUMENT_KINDS:
        path = M.write_meeting_document(sample_db, mid, kind, tmp_path / D.suggested_filename(data, kind))
        doc = Document(str(path))
        assert C.french_date(day) in all_text(doc)
    review_table = doc.tables[-1]
    descriptions = {row.cells[2].text for row in review_table.rows[1:]}
    assert {typography(t.description) for t in carried} <= descriptions
    assert section_after(doc, f"Présents ({len(invitees)})")


# --------------------------------------------------------------------------- French typography and order


def test_guillemets_keep_their_no_break_spaces_in_typed_and_generated_text(tmp_path):
    item = DocAgendaItem(1, "Projet «Jardins»", discussion="Le projet « Jardins partagés » est présenté.")
    doc = Document(str(D.write_minutes(sample_document(agenda=(item,)), tmp_path / "cr.docx")))
    text = all_text(doc)
    assert "Projet «\u00a0Jardins\u00a0»" in text
    assert "Le projet «\u00a0Jardins partagés\u00a0» est présenté." in text
    assert "« " not in text and " »" not in text  # never a breakable space beside a guillemet
    assert "«\u00a0Jardins\u00a0»" in D.minutes_html(sample_document(agenda=(item,))).replace("&nbsp;", "\u00a0")


def test_people_are_sorted_by_french_rules(tmp_path):
    people = (
        DocAttendee("Zoé Zidane", "", "", S.PRESENT, civility="Mme", last_name="Zidane", first_name="Zoé"),
        DocAttendee("Émile Écart", "", "", S.PRESENT, civility="M.", last_name="Écart", first_name="Émile"),
        DocAttendee("Denis Dupont", "", "", S.PRESENT, civility="M.", last_name="Dupont", first_name="Denis"),
        DocAttendee("Fanny Fabre", "", "", S.PRESENT, civility="Mme", last_name="Fabre", first_name="Fanny"),
        DocAttendee("Œdipe Oeillet", "", "", S.PRESENT, civility="M.", last_name="Oeillet", first_name="Œdipe"),
    )
    data = sample_document(attendees=people)
    sheet = Document(str(D.write_emargement(data, tmp_path / "em.docx")))
    names = [r.cells[0].text for r in sheet.tables[0].rows[1:] if r.cells[0].text]
    assert names == ["M. DUPONT Denis", "M. ÉCART Émile", "Mme FABRE Fanny", "M. OEILLET Œdipe", "Mme ZIDANE Zoé"]
    minutes = Document(str(D.write_minutes(data, tmp_path / "cr.docx")))
    assert section_after(minutes, "Présents (5)") == ["M. Denis Dupont", "M. Émile Écart", "Mme Fanny Fabre",
                                                      "M. Œdipe Oeillet", "Mme Zoé Zidane"]
    convocation = Document(str(D.write_convocation(data, tmp_path / "conv.docx")))
    assert [p.split(" – ")[0] for p in section_after(convocation, "Destinataires (5)")] == [
        "M. Denis Dupont", "M. Émile Écart", "Mme Fanny Fabre", "M. Œdipe Oeillet", "Mme Zoé Zidane"]


def test_gender_agreement_from_the_civility(tmp_path):
    people = (
        DocAttendee("Anne Bleu", "CAF", "", S.REPRESENTE, "Paul Vert", civility="Mme", last_name="Bleu",
                    first_name="Anne"),
        DocAttendee("Marc Rouge", "CCAS", "", S.REPRESENTE, "Léa Rose", civility="M.", last_name="Rouge",
                    first_name="Marc"),
        DocAttendee("Camille Gris", "", "", S.PRESENT, guest=True, last_name="Gris", first_name="Camille"),
        DocAttendee("Julie Noir", "", "", S.PRESENT, guest=True, civility="Mme", last_name="Noir", first_name="Julie"),
    )
    doc = Document(str(D.write_minutes(sample_document(attendees=people), tmp_path / "cr.docx")))
    assert section_after(doc, "Représentés (2)") == ["Mme Anne Bleu (CAF), représentée par Paul Vert",
                                                     "M. Marc Rouge (CCAS), représenté par Léa Rose"]
    assert section_after(doc, "Présents (2)") == ["Camille Gris – invité(e)", "Mme Julie Noir – invitée"]


def test_numbered_lists_are_real_word_lists_with_a_hanging_indent(tmp_path):
    long_title = "Examen des demandes de subvention de la programmation 2025 " * 3
    agenda = (DocAgendaItem(1, long_title.strip()), DocAgendaItem(2, "Questions diverses"))
    for writer in (D.write_minutes, D.write_convocation):
        doc = Document(str(writer(sample_document(agenda=agenda), tmp_path / "doc.docx")))
        items = [p for p in doc.paragraphs if p.text.startswith(("Examen des demandes", "Questions diverses"))]
        assert len(items) == 2
        num_ids = set()
        for p in items:
            num_pr = p._p.pPr.numPr
            assert num_pr is not None  # Word numbers it: no typed « 1. »
            num_ids.add(num_pr.numId.val)
            assert p.paragraph_format.first_line_indent < 0 < p.paragraph_format.left_indent
            assert p.paragraph_format.left_indent == -p.paragraph_format.first_line_indent
        assert len(num_ids) == 1
        assert not items[0].text[0].isdigit()


def test_elision_of_the_commune_name(tmp_path):
    doc = Document(str(D.write_minutes(sample_document(commune="Exemple-sur-Lawe"), tmp_path / "cr.docx")))
    assert "Commune d'Exemple-sur-Lawe" in header_text(doc)
    doc = Document(str(D.write_minutes(sample_document(commune="Hazebrouck"), tmp_path / "cr.docx")))
    assert "Commune de Hazebrouck" in header_text(doc)


def test_instance_name_never_repeated_in_titles(tmp_path):
    data = sample_document(body_name="Comité de pilotage", title="Comité de pilotage : bilan 2025")
    for kind, writer in D.WRITERS.items():
        text = all_text(Document(str(writer(data, tmp_path / f"{kind}.docx"))))
        assert "Comité de pilotage – Comité de pilotage" not in text
        assert text.count("Comité de pilotage : bilan 2025") >= 1
