"""LibreOffice and poppler for the tests that print documents as her readers will.

``to_pdf`` converts a .docx/.xlsx with ``soffice --headless`` (a private profile per call,
so parallel runs never share one). Without LibreOffice those tests are skipped, except in
CI where ``QPV_REQUIRE_SOFFICE=1`` turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def soffice_or_skip() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe or not shutil.which("pdftotext"):
        message = "LibreOffice ou poppler absent (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils)"
        if os.environ.get("QPV_REQUIRE_SOFFICE"):
            pytest.fail(message)
        pytest.skip(message)
    return exe


def to_pdf(document: Path, outdir: Path | None = None) -> Path:
    """Convert ``document`` to PDF beside it (or in ``outdir``); returns the PDF's path."""
    return to_pdfs([document], outdir or document.parent)[0]


def to_pdfs(documents: list[Path], outdir: Path) -> list[Path]:
    """Convert several documents in one LibreOffice run (it starts once); returns the PDFs' paths."""
    exe = soffice_or_skip()
    outdir = Path(outdir)
    with tempfile.TemporaryDirectory(prefix="qpv-lo-") as profile:
        subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(outdir), *map(str, documents)],
            check=True, capture_output=True, timeout=180 + 20 * len(documents),
        )
    pdfs = [outdir / (Path(document).stem + ".pdf") for document in documents]
    for pdf in pdfs:
        assert pdf.is_file(), f"LibreOffice n'a pas produit {pdf.name}"
    return pdfs


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
