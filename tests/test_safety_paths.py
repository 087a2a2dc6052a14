"""Any legal file name names that file and no other (issue 15, item 2)."""

from __future__ import annotations

import pytest

from qpv_desk.cli import main

from conftest import VERQUIN_TOML

NAMES = [
    "base#2.sqlite",
    "init?y.sqlite",
    "cent%20pour%25.sqlite",
    "a&b=c.sqlite",
    "l'été à Béthune.sqlite",
    "avec des espaces.sqlite",
    "-tiret.sqlite",
    "x" * 200 + ".sqlite",
]


@pytest.mark.parametrize("name", NAMES)
def test_cli_init_import_list_check_backup_use_exactly_that_file(tmp_path, name, capsys):
    folder = tmp_path / ("dossier #1 ?%" + "é" * 20)
    folder.mkdir()
    path = folder / name
    db = f"--db={path}"
    assert main(["db", "init", db]) == 0
    assert main(["referential", "import", str(VERQUIN_TOML), db]) == 0
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith((".lock", "-wal", "-shm"))) == [name]
    capsys.readouterr()
    assert main(["list", "objectives", db]) == 0
    assert len(capsys.readouterr().out.splitlines()) > 5
    assert main(["db", "check", db]) == 0
    assert "integrite\tok" in capsys.readouterr().out
    assert main(["db", "backup", db]) == 0
    backup = capsys.readouterr().out.strip().splitlines()[-1]
    assert main(["list", "objectives", f"--db={backup}"]) == 0
    assert len(capsys.readouterr().out.splitlines()) > 5
    assert main(["db", "backups", db]) == 0
    assert backup in capsys.readouterr().out
    assert main(["db", "init", db]) == 2  # it exists: really the same file


def test_a_file_named_like_a_uri_prefix_is_not_read_instead(tmp_path, capsys):
    """« list » on « init#1.sqlite » must not read « init » (or create it)."""
    other = tmp_path / "init"
    assert main(["db", "init", f"--db={tmp_path / 'init#1.sqlite'}"]) == 0
    assert not other.exists()
    assert main(["list", "organisations", f"--db={tmp_path / 'vide#1.sqlite'}"]) == 2
    assert not (tmp_path / "vide").exists() and not (tmp_path / "vide#1.sqlite").exists()
