"""Commands that only read never take the writer lock (issue 15, item 6)."""

from __future__ import annotations

import openpyxl

from lock_holder import start_holder
from qpv_desk.cli import main


def test_person_list_export_inactive_work_while_the_base_is_open_elsewhere(sample_path, tmp_path, capsys):
    proc = start_holder(sample_path)  # the application has the base open for writing
    try:
        capsys.readouterr()
        assert main(["person", "list", "--db", str(sample_path)]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) > 10 and lines[0].split("\t")[0].isdigit()
        person_id = lines[0].split("\t")[0]
        out = tmp_path / "export.xlsx"
        assert main(["person", "export", "--person", person_id, "-o", str(out), "--db", str(sample_path)]) == 0
        assert openpyxl.load_workbook(out).sheetnames
        assert main(["person", "inactive", "--years", "1", "--db", str(sample_path)]) == 0
        err = capsys.readouterr().err
        assert "déjà ouverte" not in err
        assert main(["person", "anonymise", "--person", person_id, "--yes", "--db", str(sample_path)]) == 2  # a writer is refused
    finally:
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(timeout=30)
