"""What she prints, read back from LibreOffice's PDF: amounts and dates never broken
across two lines of a table cell (a « 525 900,00 » with its « € » on the next line, or a
« 06/02/202 » / « 6 », is what a reader notices first)."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest
from office import broken_words, pdf_text, to_pdf, to_pdfs

from qpv_desk.domain import enums as E
from qpv_desk.services import meeting_documents as MD
from qpv_desk.services import meetings as M
from qpv_desk.services import rapport as R

pytestmark = pytest.mark.slow

TODAY = dt.date(2026, 11, 26)
AMOUNT = r"\d{1,3}(?:[\u202f\u00a0 ]\d{3})*,\d{2}"


def test_minutes_total_amounts_stay_whole_in_their_cells(sample_db, tmp_path):
    copil = next(b for b in M.bodies(sample_db) if b.detail == "COPIL")
    meeting = next(m for m in M.list_meetings(sample_db, body_id=copil.id)
                   if len(M.list_attendance(sample_db, m.id)) == 9)
    docx = MD.write_meeting_document(sample_db, meeting.id, "minutes", tmp_path / "cr.docx")
    text = pdf_text(to_pdf(docx))
    totals = [line for line in text.splitlines() if re.match(r"\s*Total\s+\d+ actions", line)]
    assert totals, text
    # both totals of the decision table, each with its euro sign on the same line
    assert len(re.findall(AMOUNT + r"[\u00a0 ]€", totals[0])) == 2, totals[0]
    # action codes (« 2026-31 ») whole too
    assert not re.findall(r"^\s*20\d\d-\s", text, re.M)


def test_rapport_review_dates_stay_whole_in_their_cells(sample_db, tmp_path):
    docx = R.write_rapport(sample_db, 2025, tmp_path / "rapport.docx")
    text = pdf_text(to_pdf(docx))
    assert "Présents" in text and "reçu le" in text and re.search(r"\b\d{2}/\d{2}/\d{4}\b", text), text
    # a year cut after three digits, its last one alone on the next line
    assert not re.findall(r"\b\d{2}/\d{2}/\d{3}(?!\d)", text)
    # a header too wide for its column breaks where French does (« Bénéfi-ciaires »), not « Bénéficiair / es »
    assert not re.search(r"Bénéficiair\b", text) and not re.search(r"\bAction\s*\n\s*s\b", text)
    # every amount with its euro sign, none left at the end of a cell's line (a measure of the
    # quartier's perimeter, « 2,92 km de contour », is not an amount)
    amounts = re.findall(AMOUNT + r"(?!\d)(?![\u00a0 ](?:km|ha)\b)(.?.?)", text)
    assert amounts and all(tail.strip() == "€" for tail in amounts), [t for t in amounts if t.strip() != "€"]


def test_access_export_prints_each_sheet_one_page_wide_with_whose_data_it_is(sample_db, tmp_path):
    from qpv_desk.services import privacy as P

    person = next(p for p in P.persons(sample_db) if p.name.endswith("Barbier"))
    xlsx = P.export_person(sample_db, person.id, tmp_path / "acces.xlsx")
    pages = pdf_text(to_pdf(xlsx)).split("\f")[:-1]
    actions = [page for page in pages if "Intitulé" in page or "Porteur" in page]
    # the Actions sheet on one page: its title, its holder and its dates side by side
    assert len(actions) == 1 and all(h in actions[0] for h in ("Intitulé", "Porteur", "Début", "Fin")), actions
    assert all("Données personnelles" in page and "Barbier" in page for page in pages), pages


def _meeting(db, body_code: str, *, year: int | None = None, status: E.MeetingStatus | None = None):
    return next(m for m in M.list_meetings(db, year=year, status=status) if m.body_code == body_code)


def test_every_minutes_of_the_sample_base_print_with_every_word_whole(sample_db, tmp_path):
    # the COPIL's decisions table (« Conformément à l'avis du groupe technique » in the
    # Décision column), the review of earlier tasks (« Communauté d'agglomération de
    # Béthune-Bruay… », « pluriprofessionnelle » in Qui, « 23/09/2025 » in Réunion) once had
    # columns narrower than one word
    meetings = M.list_meetings(sample_db)
    docs = [MD.write_meeting_document(sample_db, m.id, "minutes", tmp_path / f"cr-{m.id}.docx", today=TODAY)
            for m in meetings]
    pdfs = to_pdfs(docs, tmp_path / "pdf")
    for meeting, doc, pdf in zip(meetings, docs, pdfs):
        assert broken_words(pdf, doc) == [], (meeting.date, meeting.title)
    copil = next(pdf for m, pdf in zip(meetings, pdfs) if m.body_code == "COPIL" and m.date.year == 2026)
    assert "Conformément" in pdf_text(copil)  # the decision's word, whole


def test_minutes_keep_a_lead_in_with_its_list_and_a_list_s_last_two_lines_together(sample_db, tmp_path):
    from docx import Document as Docx

    gt = _meeting(sample_db, "GT", status=E.MeetingStatus.TENUE)
    docx = MD.write_meeting_document(sample_db, gt.id, "minutes", tmp_path / "cr.docx", today=TODAY)
    paragraphs = [p.text for p in Docx(str(docx)).paragraphs]
    start = paragraphs.index("Diffusion")
    first_reader = paragraphs[start + 2]
    absents = paragraphs.index(next(p for p in paragraphs if p.startswith("Absents (")))
    end = next(i for i in range(absents + 1, len(paragraphs)) if not paragraphs[i].startswith(("M. ", "Mme ")))
    last_two = paragraphs[end - 2:end]
    pages = [" ".join(page.split()) for page in pdf_text(to_pdf(docx)).split("\f")]
    # the heading, its lead-in and the first name on one page (not « Membres et invités de
    # l'instance : » at the foot of a page, the list overleaf)
    lead_in = next(page for page in pages if "Membres et invités de l'instance" in page)
    assert first_reader in lead_in, (first_reader, lead_in[-300:])
    # the last absent is not alone at the top of a page
    on_page = [page for page in pages if last_two[1] in page]
    assert any(last_two[0] in page for page in on_page), last_two


def test_rapport_names_its_communes_and_writes_numbers_as_its_text_does(sample_db, tmp_path):
    from docx import Document as Docx

    from qpv_desk.domain.text import NNBSP

    docx = R.write_rapport(sample_db, 2026, tmp_path / "rapport.docx", today=TODAY)
    doc = Docx(str(docx))
    text = "\n".join(p.text for p in doc.paragraphs)
    # « Communes : Béthune, Verquin », not « Commune(s) » (the quartier spans two communes)
    assert "(s)" not in text and f"Communes : Béthune, Verquin ; population : 3{NNBSP}300 habitants." in text
    stats = next([c.text for c in row.cells] for table in doc.tables for row in table.rows
                 if row.cells[0].text == "Population")
    assert stats[1] == f"3{NNBSP}300 habitants", stats  # as in the sentence above it, not « 3300 »


def test_rapport_tables_print_with_every_word_whole(sample_db, tmp_path):
    docx = R.write_rapport(sample_db, 2026, tmp_path / "rapport.docx", today=TODAY)
    # the actions' tables: holders (« Maison de santé pluriprofessionnelle du Marais »), states
    # (« Abandonnée ») and the statistics' header (« Agglomération ») whole on paper
    pdf = to_pdf(docx)
    assert broken_words(pdf, docx) == []
    assert "pluriprofessionnelle" in pdf_text(pdf)


def test_copil_workbook_counts_people_in_plural_headers_printed_whole(sample_db, tmp_path):
    from qpv_desk.services import reporting

    xlsx = reporting.write_copil_workbook(sample_db, 2026, tmp_path / "copil.xlsx", today=TODAY)
    wb = openpyxl.load_workbook(xlsx)
    heads = [c.value for c in wb["Réunions"][1]] + [c.value for c in wb["Présences par structure"][1]]
    # counts of people, headed « Présents », « Représentés », « Excusés »: never « Représenté(e) »
    assert not [h for h in heads if h and "(" in h], heads
    assert {"Présents", "Représentés", "Excusés", "Absents"} <= set(heads)
    pages = pdf_text(to_pdf(xlsx)).split("\f")
    meetings = next(page for page in pages if "Réunions –" in page)
    assert re.search(r"\bReprésentés\b", meetings), meetings[:600]  # the header whole, not « Représenté( »


def test_sign_in_sheet_header_keeps_an_hour_on_one_line(sample_db, tmp_path):
    # the COPIL's header line is long: « … – 24/03/2026 de 17 h 30 à 19 h 30 – Mairie … »
    # wrapped as « à 19 » / « h 30 » before the hours were held together
    copil = _meeting(sample_db, "COPIL", year=2026)
    docx = MD.write_meeting_document(sample_db, copil.id, "emargement", tmp_path / "emargement.docx", today=TODAY)
    text = pdf_text(to_pdf(docx))
    assert re.search(r"24/03/2026 de 17[ \u00a0]h[ \u00a0]30 à\s+19[ \u00a0]h[ \u00a0]30", text), text[:600]


def test_validated_minutes_exported_read_only_say_so_as_the_frozen_copy_does(sample_path, tmp_path):
    from docx import Document as Docx

    from qpv_desk.services.database import open_base, open_for_reading

    def texts(path):
        doc = Docx(str(path))
        return [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells]

    reader = open_for_reading(sample_path)  # as the CLI's exports open her base
    copil = _meeting(reader, "COPIL", year=2026)
    assert copil.status is E.MeetingStatus.CR_VALIDE
    read_only = texts(MD.write_meeting_document(reader, copil.id, "minutes", tmp_path / "ro.docx", today=TODAY))
    reader.close()
    # a validated compte rendu says it is, signed by the chair (it once printed neither)
    assert any(t.startswith("Compte rendu validé le ") for t in read_only), read_only[-5:]
    assert "Présidence de séance" in "\n".join(read_only)
    # the same words as the copy frozen at the first export from the application
    writer = open_base(sample_path)
    frozen = texts(MD.write_meeting_document(writer, copil.id, "minutes", tmp_path / "rw.docx", today=TODAY))
    writer.close()
    assert MD.minutes_record(open_for_reading(sample_path), copil.id) is not None
    assert read_only == frozen


def test_a_table_s_last_row_never_stands_alone_overleaf(sample_db, tmp_path):
    from docx import Document as Docx

    # the GT of 22/09/2026: its four follow-up tasks filled page 2, the fourth went alone to page 3
    gt = _meeting(sample_db, "GT", status=E.MeetingStatus.CR_VALIDE)
    docx = MD.write_meeting_document(sample_db, gt.id, "minutes", tmp_path / "cr.docx", today=TODAY)
    tasks = next(t for t in Docx(str(docx)).tables if [c.text for c in t.rows[0].cells] == ["Qui", "Quoi", "Échéance",
                                                                                         "État"])
    last_two = [" ".join(row.cells[1].text.split()[:4]) for row in tasks.rows[-2:]]
    pages = [" ".join(page.split()) for page in pdf_text(to_pdf(docx)).split("\f")]
    [page] = [page for page in pages if last_two[1] in page]
    assert last_two[0] in page, last_two


def test_copil_workbook_council_members_entry_mode_agrees_with_each_member(sample_db, tmp_path):
    from qpv_desk.services import reporting

    wb = openpyxl.load_workbook(reporting.write_copil_workbook(sample_db, 2026, tmp_path / "copil.xlsx", today=TODAY))
    ws = wb["Conseil citoyen"]
    header = [c.value for c in ws[1]]
    name, mode = header.index("Nom"), header.index("Mode d'entrée")
    modes = {row[name]: row[mode] for row in ws.iter_rows(min_row=2, values_only=True)}
    # « M. Florian Macquet – Désigné », never « Désigné(e) » for a member whose civility is known
    designated = {n: m for n, m in modes.items() if m and m.startswith("Désign")}
    assert designated and all(m == ("Désignée" if n.startswith("Mme ") else "Désigné") for n, m in designated.items()), \
        designated


def test_copil_workbook_council_checks_read_without_parenthesised_endings(sample_db, tmp_path):
    from qpv_desk.services import reporting

    wb = openpyxl.load_workbook(reporting.write_copil_workbook(sample_db, 2026, tmp_path / "copil.xlsx", today=TODAY))
    checks = [row for row in wb["Contrôles du conseil citoyen"].iter_rows(min_row=2, values_only=True)]
    labels = [row[1] for row in checks]
    assert "Titulaires sans suppléant" in labels and "Membres absents aux 3 dernières réunions" in labels
    assert not [v for row in checks for v in row if "(e)" in str(v or "")]


def test_no_sign_in_sheet_of_the_sample_base_has_a_page_of_blank_lines_only(sample_db, tmp_path):
    # the GT of 10/02/2026 (26 invitees, two represented): its blank lines for walk-ins went
    # on to a third page of their own, the rows' heights being underestimated
    meetings = M.list_meetings(sample_db)
    docs = [MD.write_meeting_document(sample_db, m.id, "emargement", tmp_path / f"emargement-{m.id}.docx", today=TODAY)
            for m in meetings]
    for meeting, pdf in zip(meetings, to_pdfs(docs, tmp_path / "pdf")):
        pages = [page for page in pdf_text(pdf).split("\f") if page.strip()]
        for n, page in enumerate(pages, start=1):
            assert re.search(r"^\s*(M\.|Mme) [A-ZÀ-Ý]", page, re.M), (meeting.date, meeting.title, n, len(pages))


def test_access_export_prints_every_sheet_at_a_readable_size(sample_db, tmp_path):
    from office import pdf_text_heights

    from qpv_desk.services import privacy as P

    # a GT member invited to every meeting: her Réunions sheet (title, structure, « représentée
    # par … ») was scaled to one page wide at about 5.5 points
    person = next(p for p in P.persons(sample_db) if p.name.endswith("Belkacem"))
    heights = pdf_text_heights(to_pdf(P.export_person(sample_db, person.id, tmp_path / "acces.xlsx")))
    assert heights and min(heights) >= 8.5, heights  # 7.5 points or more


def test_copil_workbook_meetings_tasks_and_portrait_print_at_a_readable_size(sample_db, tmp_path):
    from office import pdf_text_heights

    from qpv_desk.services import reporting

    # one page wide, they printed at about 6 points: the tasks and structures on one line
    # each, the meetings' columns, the perimeter's map beside the Portrait's table
    pdf = to_pdf(reporting.write_copil_workbook(sample_db, 2026, tmp_path / "copil.xlsx", today=TODAY))
    pages = pdf_text(pdf).split("\f")
    heights = dict(zip(pages, pdf_text_heights(pdf)))
    for sheet in ("Réunions –", "Suites à donner –", "Portrait –", "Financements –"):
        printed = [height for page, height in heights.items() if sheet in page.splitlines()[0]]
        assert printed and min(printed) >= 8.0, (sheet, printed)  # 7 points or more
    portrait = next(page for page in pages if "Portrait –" in page.splitlines()[0])
    assert "Périmètre : 3 Îlots (QP 06 20 09) — 56,4 ha" in portrait  # as the rapport writes it


def test_convocation_keeps_a_duration_on_one_line(sample_db, tmp_path):
    # « (présenté par M. Christophe Vandenbussche, 15 » / « min) » on the COPIL's convocation
    copil = _meeting(sample_db, "COPIL", year=2026)
    docx = MD.write_meeting_document(sample_db, copil.id, "convocation", tmp_path / "convocation.docx", today=TODAY)
    text = pdf_text(to_pdf(docx))
    assert "Vandenbussche" in text and not re.search(r"\d\s*\n\s*min\b", text), text[:1500]
