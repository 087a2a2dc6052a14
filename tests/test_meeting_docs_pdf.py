"""Every document type of the sample base opened by LibreOffice, as the référente's PC would.

Skipped where LibreOffice or poppler is not installed, except in CI (``QPV_REQUIRE_SOFFICE=1``,
see tests/office.py); ``.ci/run`` installs them.
"""

from __future__ import annotations

import re

import pytest
from office import pdf_pages, pdf_text, to_pdfs

from qpv_desk.services import meeting_documents as MD
from qpv_desk.services import meetings as M


@pytest.mark.slow
def test_every_document_of_the_sample_base_opens_in_libreoffice(sample_db, tmp_path):
    from qpv_desk.paths import resource

    # the tallest header: a logo and a three-line address
    MD.set_letterhead(sample_db, address="Mairie de Verquin\n1 place de la Mairie, 62131 Verquin\n03 21 00 00 00",
                      logo=resource("icons", "qpv-desk.png").read_bytes(), logo_name="logo.png")
    copil = next(b for b in M.bodies(sample_db) if b.detail == "COPIL")
    gt = next(b for b in M.bodies(sample_db) if b.detail == "GT")
    copil_meeting = next(m for m in M.list_meetings(sample_db, body_id=copil.id)
                         if len(M.list_attendance(sample_db, m.id)) == 9)
    gt_meeting = M.list_meetings(sample_db, body_id=gt.id)[0]
    docs = []
    for meeting in (copil_meeting, gt_meeting):
        for kind in MD.DOCUMENT_KINDS:
            docs.append(MD.write_meeting_document(sample_db, meeting.id, kind,
                                                  tmp_path / f"{meeting.id}_{kind}.docx"))
    pdfs = to_pdfs(docs, tmp_path / "pdf")
    pages = {pdf.stem: pdf_pages(pdf) for pdf in pdfs}
    assert all(n >= 1 for n in pages.values()), pages
    assert pages[f"{copil_meeting.id}_emargement"] == 1  # a 9-person COPIL sheet fits one page
    assert pages[f"{copil_meeting.id}_convocation"] == 1
    # every page of a sign-in sheet names the meeting, and none holds only blank lines
    text = pdf_text(tmp_path / "pdf" / f"{gt_meeting.id}_emargement.pdf")
    pages_text = [page for page in text.split("\f") if page.strip()]
    assert len(pages_text) == pages[f"{gt_meeting.id}_emargement"] >= 2
    for page in pages_text:
        assert "Émargement –" in page and gt_meeting.date.strftime("%d/%m/%Y") in page
        assert re.search(r"^\s*(M\.|Mme) [A-ZÀ-Ý]", page, re.M), page
