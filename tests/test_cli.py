"""The command line is a public contract: commands, tab-separated listings, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from qpv_desk.cli import main
from qpv_desk.store import migrate

from conftest import VERQUIN_TOML


def run(*args, env=None):
    """The real entry point, in a subprocess: what scripts see."""
    return subprocess.run([sys.executable, "-m", "qpv_desk", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


@pytest.fixture
def verquin_db(tmp_path):
    path = tmp_path / "verquin.sqlite"
    assert main(["db", "init", "--db", str(path)]) == 0
    assert main(["referential", "import", str(VERQUIN_TOML), "--db", str(path)]) == 0
    return path


def test_init_check_and_list_objectives(verquin_db, capsys):
    capsys.readouterr()
    assert main(["db", "check", "--db", str(verquin_db)]) == 0
    out = capsys.readouterr().out
    assert "integrite\tok" in out and f"schema\t{migrate.head_revision()}" in out
    assert main(["list", "objectives", "--db", str(verquin_db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t") == ["id", "code", "niveau", "intitule", "parent", "retire"]
    assert len(lines) == 49
    assert all(len(line.split("\t")) == 6 and line.split("\t")[0].isdigit() for line in lines[1:])


def test_list_organisations_and_empty_listings(verquin_db, capsys):
    capsys.readouterr()
    for kind in ("organisations", "meetings", "actions"):
        assert main(["list", kind, "--db", str(verquin_db), "--year", "2025"] if kind != "organisations"
                    else ["list", kind, "--db", str(verquin_db)]) == 0
        header = capsys.readouterr().out.splitlines()[0].split("\t")
        assert header[0] == "id"


@pytest.mark.slow
def test_user_mistakes_exit_2_with_one_french_line(tmp_path, verquin_db):
    cases = [
        ("list", "partout", "--db", str(verquin_db)),
        ("list", "actions", "--db", str(verquin_db), "--year", "deux-mille"),
        ("list", "objectives", "--db", str(tmp_path / "absente.sqlite")),
        ("db", "init", "--db", str(verquin_db)),
        ("referential", "import", str(tmp_path / "nulle-part.toml"), "--db", str(verquin_db)),
        ("db",),
    ]
    for args in cases:
        result = run(*args)
        assert result.returncode == 2, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("qpv-desk : "), (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_foreign_file_exit_2_and_untouched(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("ceci n'est pas une base", encoding="utf-8")
    result = run("list", "objectives", "--db", str(path))
    assert result.returncode == 2
    assert "n'est pas une base QPV Desk" in result.stderr
    assert path.read_text(encoding="utf-8") == "ceci n'est pas une base"


@pytest.mark.slow
def test_bad_referential_reports_file_line_and_field(tmp_path, verquin_db):
    bad = tmp_path / "faux.toml"
    bad.write_text(VERQUIN_TOML.read_text(encoding="utf-8").replace("end_year = 2030", "end_year = 2020"), encoding="utf-8")
    result = run("referential", "import", str(bad), "--db", str(verquin_db))
    assert result.returncode == 2
    assert result.stderr.startswith("qpv-desk : faux.toml, ligne ")


def test_backup_writes_a_sound_copy(verquin_db, tmp_path, capsys):
    target = tmp_path / "copie.sqlite"
    assert main(["db", "backup", "--db", str(verquin_db), "-o", str(target)]) == 0
    assert main(["list", "objectives", "--db", str(target)]) == 0
    assert len(capsys.readouterr().out.splitlines()) >= 49


def test_help_is_french():
    result = run("--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "lance l'application" in text and "affiche cette aide" in text and "Utilisation :" in text


@pytest.mark.parametrize("argv, window", [
    (["--db", "base.sqlite"], {"db": "base.sqlite", "demo": False, "read_only": False}),
    (["--db=base.sqlite", "--read-only"], {"db": "base.sqlite", "demo": False, "read_only": True}),
    (["--demo"], {"db": None, "demo": True, "read_only": False}),
    ([], {"db": None, "demo": False, "read_only": False}),
    (["list", "organisations", "--db", "base.sqlite"], None),  # a command: the whole parser
    (["--read", "--db", "base.sqlite"], "whole"),  # an abbreviation: the whole parser reads it
    (["--help"], None),
    (["--version"], None),
    (["--db"], None),  # a mistake: the whole parser says it in French
])
def test_the_window_starts_without_building_every_command(argv, window, monkeypatch):
    """The usual start (the window's own options only) does not wait for the commands' parser."""
    import qpv_desk.cli as cli
    from qpv_desk.gui import app

    built, opened = [], []
    real_build = cli.build_parser
    monkeypatch.setattr(cli, "build_parser", lambda: built.append(1) or real_build())
    monkeypatch.setattr(app, "run_gui", lambda **kwargs: opened.append(kwargs) or 0)
    try:
        code = main(argv)
    except SystemExit as exc:  # --help, --version, a mistake: argparse's own exits
        code = exc.code
    if window is None:
        assert built and not opened
    elif window == "whole":
        assert built and opened == [{"db": "base.sqlite", "demo": False, "read_only": True}]
    else:
        assert code == 0 and opened == [window] and not built


def test_referential_import_counts_in_agreed_french(verquin_db, capsys):
    """« 0 élément » after an identical re-import, never « élément(s) »."""
    capsys.readouterr()
    assert main(["referential", "import", str(VERQUIN_TOML), "--dry-run", "--db", str(verquin_db)]) == 0
    out = capsys.readouterr().out
    assert "l'import changerait 0 élément." in out and "(s)" not in out, out
