"""The README's guide for the agglomeration's IT, followed as written on a fresh server."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, SAMPLE_DB

pytestmark = pytest.mark.postgres

HEADING = "## Mode agglomération"


def _guide_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(HEADING):]
    section = section[:section.index("\n## ", 1)]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip() and not line.startswith("#")]


def _commune_base(path):
    """The base of another commune of the same contract (Verquin's referential with its own
    quartier, no seats), knowing two of the sample's organisations by name."""
    from qpv_desk.services.partners import create_organisation
    from qpv_desk.services.referential import import_referential, parse_text
    from qpv_desk.store.db import open_database

    text = (ROOT / "resources" / "referentials" / "verquin-3-ilots.toml").read_text(encoding="utf-8")
    blocks = re.split(r"(?m)^(?=\[)", text)
    kept = [b for b in blocks if not re.match(r"\[\[(organisations|bodies|members)\]\]", b)]
    text = "".join(kept).replace("QP 06 20 09", "QN 62 001").replace('["Béthune", "Verquin"]', '["Lens"]')
    with open_database(path, create=True) as db:
        import_referential(db, parse_text(text, "lens.toml"))
        for name in ("CAF du Pas-de-Calais", "Club de prévention Horizon Jeunes", "Amicale laïque de Lens"):
            create_organisation(db, {"name": name, "kind": "association"})


@pytest.mark.slow
def test_the_it_guide_works_as_written(pg_server, tmp_path):
    commands = _guide_commands()
    assert [c.split()[0] for c in commands][:3] == ["createuser", "createdb", "qpv-desk"]
    (tmp_path / "sample_db").mkdir()
    shutil.copyfile(SAMPLE_DB, tmp_path / "sample_db" / "verquin-demo.sqlite")
    _commune_base(tmp_path / "lens.sqlite")
    env = {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": str(pg_server.port), "PGUSER": "qpv",
           "PATH": f"{pg_server.bindir}{os.pathsep}{os.environ['PATH']}"}
    outputs = []
    for command in commands:
        argv = shlex.split(command.replace("serveur:5432", f"127.0.0.1:{pg_server.port}"))
        if argv[0] == "qpv-desk":
            argv = [sys.executable, "-m", "qpv_desk", *argv[1:]]
        done = subprocess.run(argv, cwd=tmp_path, env=env, input="motdepasse\nmotdepasse\n",
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        outputs.append(done.stdout)
    listing = next(out for cmd, out in zip(commands, outputs) if "roles list" in cmd)
    assert "mdupont\treferent\tQP 06 20 09" in listing and "dgs\tlecteur\t" in listing
    copy = next(out for cmd, out in zip(commands, outputs) if " db copy " in cmd)
    assert copy.startswith("Copie vérifiée")
    clashes = next(out for cmd, out in zip(commands, outputs) if " db merge " in cmd and "--dry-run" in cmd)
    assert [line.split("\t")[2] for line in clashes.splitlines()[1:]] == [
        "CAF du Pas-de-Calais", "Club de prévention Horizon Jeunes"]
    merged = next(out for cmd, out in zip(commands, outputs) if " db merge " in cmd and "--same" in cmd)
    assert merged.startswith("Fusion vérifiée : Lens (QN 62 001)")
    assert (tmp_path / "copie-agglo.sqlite").stat().st_size > 100_000
