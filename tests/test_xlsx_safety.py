"""Hostile spreadsheets are refused before openpyxl parses them; user text never becomes a formula."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from import_files import make_zip_bomb, minimal_parts
from qpv_desk.reports import xlsx_guard
from qpv_desk.reports.xlsx_guard import UnsafeSpreadsheet, check_xlsx


def test_defusedxml_is_active():
    assert openpyxl.xml.DEFUSEDXML is True


def test_zip_bomb_is_refused_before_parsing(tmp_path, monkeypatch):
    bomb = tmp_path / "bombe.xlsx"
    make_zip_bomb(bomb)
    assert bomb.stat().st_size < 5 * 1024 * 1024  # small on disk, 500 MB inflated
    # openpyxl must never be reached
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("openpyxl a ouvert la bombe"))
    # how quickly: benchmarks/bench_checks.py (xlsx_bomb_refusal), not a wall clock here
    with pytest.raises(UnsafeSpreadsheet, match="bombe zip|se décompresse"):
        check_xlsx(bomb)


def test_ratio_limit_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_guard, "MAX_TOTAL_UNCOMPRESSED", 10**12)
    bomb = tmp_path / "ratio.xlsx"
    make_zip_bomb(bomb, 20)
    with pytest.raises(UnsafeSpreadsheet, match="taux de compression anormal"):
        check_xlsx(bomb)


def test_programme_import_refuses_the_bomb(tmp_path):
    from qpv_desk.services.programme_import import read_sheet

    bomb = tmp_path / "programme.xlsx"
    make_zip_bomb(bomb)
    with pytest.raises(UnsafeSpreadsheet):
        read_sheet(bomb)


def test_too_big_file(tmp_path, monkeypatch):
    path = tmp_path / "gros.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    wb.save(path)
    monkeypatch.setattr(xlsx_guard, "MAX_FILE_BYTES", 100)
    with pytest.raises(UnsafeSpreadsheet, match="trop volumineux"):
        check_xlsx(path)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"Nom;Montant\nA;1\n", "n'est pas un classeur Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "mot de passe ou au format Excel 97-2003"),
        (b"PK\x03\x04garbage", "endommagé"),
    ],
)
def test_not_a_workbook(tmp_path, content, message):
    path = tmp_path / "faux.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnsafeSpreadsheet, match=message):
        check_xlsx(path)


def test_macro_enabled_refused(tmp_path):
    path = tmp_path / "macro.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        minimal_parts(zf)
        zf.writestr("xl/vbaProject.bin", b"\0" * 10)
    with pytest.raises(UnsafeSpreadsheet, match="macros"):
        check_xlsx(path)


def test_missing_file(tmp_path):
    with pytest.raises(UnsafeSpreadsheet, match="introuvable"):
        check_xlsx(tmp_path / "absent.xlsx")


def test_a_normal_workbook_passes(tmp_path):
    path = tmp_path / "ok.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Porteur"
    wb.save(path)
    check_xlsx(path)


def test_text_cells_never_become_formulas(tmp_path):
    from qpv_desk.reports.sanitize import EXCEL_CELL_MAX, TRUNCATION_MARK
    from qpv_desk.reports.xlsx_common import XlsxWriter

    hostile = ['=HYPERLINK("http://x","y")', "@SUM(1)", "-2+3", "+1", "#N/A", "#DIV/0!", "\tx", "\rx", "=1+1",
               "ok\x00\x07", "x" * 40_000]
    wb = openpyxl.Workbook()
    xw = XlsxWriter(wb)
    ws = xw.sheet("Test", first=True)
    for row, value in enumerate(hostile, start=1):
        xw.text(ws, row, 1, value)
    path = tmp_path / "t.xlsx"
    wb.save(path)
    back = openpyxl.load_workbook(path).active
    for row, value in enumerate(hostile, start=1):
        cell = back.cell(row, 1)
        assert cell.data_type == "s", value
        if value.startswith(("=", "@", "-", "+", "#", "\t", "\r")):
            assert cell.quotePrefix, value
    assert back.cell(10, 1).value == "ok"
    long = back.cell(11, 1).value
    assert len(long) == EXCEL_CELL_MAX and long.endswith(TRUNCATION_MARK)


def test_header_footer_ampersand_is_escaped():
    from qpv_desk.reports.xlsx_common import header_footer_text

    assert header_footer_text("Centre social & culturel") == "Centre social && culturel"


# --------------------------------------------------------------------------- one huge part (issue 15, item 15)


def _workbook_with_one_big_cell(path, megabytes: int) -> None:
    """A real workbook whose A1 holds ``megabytes`` MB of text compressing about 4 to 1 (far
    below the ratio limit): small on disk, huge in memory."""
    import random

    small = path.with_name("small.xlsx")
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    wb.save(small)
    table = bytes(b"ACGT"[i % 4] for i in range(256))
    rnd = random.Random(15)
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, src.read(info))
                continue
            with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
                fh.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                         b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
                for _ in range(megabytes):
                    fh.write(rnd.randbytes(1024 * 1024).translate(table))
                fh.write(b"</t></is></c></row></sheetData></worksheet>")


def test_one_huge_cell_is_refused_whatever_its_ratio(tmp_path, monkeypatch):
    path = tmp_path / "grosse-cellule.xlsx"
    _workbook_with_one_big_cell(path, 40)
    info = next(i for i in zipfile.ZipFile(path).infolist() if i.filename.endswith("sheet1.xml"))
    assert info.file_size < 100 * info.compress_size  # the ratio check alone lets it through
    assert path.stat().st_size < xlsx_guard.MAX_FILE_BYTES
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("openpyxl a ouvert le fichier"))
    with pytest.raises(UnsafeSpreadsheet, match="sheet1.xml"):
        check_xlsx(path)


def test_a_part_inflating_past_its_declared_size_is_refused(tmp_path):
    path = tmp_path / "menteur.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x" * 5000
    wb.save(path)
    data = bytearray(path.read_bytes())
    # shrink the declared uncompressed size of sheet1.xml in the central directory
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    name = info.filename.encode()
    pos = data.rfind(name)
    header = pos - 46  # the central directory record of the last occurrence of the name
    assert data[header:header + 4] == b"PK\x01\x02"
    data[header + 24:header + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(UnsafeSpreadsheet):
        check_xlsx(path)
