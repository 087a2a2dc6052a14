"""``qpv-desk export convocation|emargement|minutes``: the same generator as the app."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from docx import Document

from meetings_data import GT_DAY, build_world
from qpv_desk.cli import main
from qpv_desk.cli.export import EXPORTS
from qpv_desk.services import meetings as M
from qpv_desk.store.db import open_database


@pytest.fixture
def meeting_db(tmp_path):
    path = tmp_path / "verquin.sqlite"
    db = open_database(path, create=True)
    try:
        world = build_world(db)
        mid = M.create_meeting(db, world.gt_id, GT_DAY, start_time="14:00", place="Mairie de Verquin")
        M.set_all_present(db, mid)
        M.add_agenda_item(db, mid, "Programmation 2025")
    finally:
        db.close()
    return path, mid


@pytest.mark.parametrize("kind, first_line", [
    ("convocation", "Convocation – Groupe technique"),
    ("emargement", "Feuille d'émargement"),
    ("minutes", "Compte rendu – Groupe technique (PROJET)"),
])
def test_export_each_document(meeting_db, tmp_path, capsys, kind, first_line):
    path, mid = meeting_db
    out = tmp_path / f"{kind}.docx"
    assert main(["export", kind, "--meeting", str(mid), "--db", str(path), "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    doc = Document(str(out))
    assert first_line in [p.text for p in doc.paragraphs[:3]]
    text = "\n".join(p.text for p in doc.paragraphs)
    if kind != "emargement":
        assert "Programmation 2025" in text
    assert "mardi 14 janvier 2025" in text


def test_export_errors_exit_2(meeting_db, tmp_path, capsys):
    path, mid = meeting_db
    assert main(["export", "minutes", "--meeting", "999", "--db", str(path), "-o", str(tmp_path / "x.docx")]) == 2
    assert "La réunion n° 999 introuvable." in capsys.readouterr().err
    assert main(["export", "minutes", "--meeting", "abc", "--db", str(path), "-o", str(tmp_path / "x.docx")]) == 2
    assert "introuvable" in capsys.readouterr().err
    assert main(["export", "minutes", "--meeting", str(mid), "--db", str(path),
                 "-o", str(tmp_path / "absent" / "x.docx")]) == 2
    assert "n'existe pas" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["export", "minutes", "--db", str(path), "-o", str(tmp_path / "x.docx")])
    assert exit_.value.code == 2
    assert "--meeting" in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists()


def test_export_registry_is_extensible():
    assert set(EXPORTS) >= {"convocation", "emargement", "minutes"}
    assert all(callable(spec.handler) and callable(spec.add_arguments) for spec in EXPORTS.values())


@pytest.mark.slow
def test_export_in_a_subprocess(meeting_db, tmp_path):
    path, mid = meeting_db
    out = tmp_path / "cr.docx"
    result = subprocess.run([sys.executable, "-m", "qpv_desk", "export", "minutes", "--meeting", str(mid),
                             "--db", str(path), "-o", str(out)], capture_output=True, text=True,
                            env=dict(os.environ), timeout=120)
    assert result.returncode == 0, result.stderr
    assert Document(str(out)).paragraphs[0].text.startswith("Compte rendu")
