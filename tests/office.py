"""LibreOffice and poppler for the tests that print documents as her readers will.

``to_pdf`` converts a .docx/.xlsx with ``soffice --headless`` (a private profile per call,
so parallel runs never share one). Without LibreOffice those tests are skipped, except in
CI where ``QPV_REQUIRE_SOFFICE=1`` turns the skip into a failure.
"""

from __future__ import annotations

import os
import re
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


_TOKEN = re.compile(r"[^\s\-\u00ad]+[\-\u00ad]?")


def _tokens(text: str) -> set[str]:
    """Words, split after their hyphens (a line may break there): « Pas-de-Calais » →
    « Pas- », « de- », « Calais »; a soft hyphen counts as a hyphen."""
    return {token.replace("\u00ad", "-") for token in _TOKEN.findall(text)}


def document_words(document: Path) -> set[str]:
    """Every word a .docx holds (body, tables, headers, footers), as :func:`broken_words` splits them."""
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    words: set[str] = set()
    with zipfile.ZipFile(document) as z:
        for name in z.namelist():
            if not (name.startswith("word/") and name.endswith(".xml")):
                continue
            root = etree.fromstring(z.read(name))
            for p in root.iter(f"{w}p"):
                text = "".join((e.text or "") if e.tag == f"{w}t" else " "
                               for e in p.iter(f"{w}t", f"{w}br", f"{w}tab"))
                words |= _tokens(text)
    return words


def broken_words(pdf: Path, document: Path) -> list[str]:
    """The words of the printed PDF that are not words of the document: a word cut in two
    because its column is too narrow (« d'agglomératio » / « n », « 23/09/202 » / « 5 »).
    Bare numbers (page numbers, a list's « 1. ») aside."""
    known = document_words(document)
    return sorted(t for t in _tokens(" ".join(pdf_words(pdf)))
                  if t not in known and re.search(r"\w", t) and not re.fullmatch(r"\d+\.?", t))


def pdf_words(pdf: Path) -> list[str]:
    """The PDF's words as poppler finds them on the page (no layout, no joined hyphens)."""
    import html

    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [html.unescape(w) for w in re.findall(r"<word [^>]*>([^<]*)</word>", out)]


def pdf_text_heights(pdf: Path) -> list[float]:
    """Per page, the median height (points) of its words' boxes: about 1.17 × the font size
    it prints at (a sheet scaled down to fit one page wide prints small)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    medians = []
    for page in out.split("<page ")[1:]:
        heights = sorted(float(y1) - float(y0) for y0, y1 in
                         re.findall(r'<word xMin="[^"]*" yMin="([^"]*)" xMax="[^"]*" yMax="([^"]*)"', page))
        medians.append(heights[len(heights) // 2] if heights else 0.0)
    return medians
