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


@pytest.mark.slow
def test_the_it_guide_works_as_written(pg_server, tmp_path):
    commands = _guide_commands()
    assert [c.split()[0] for c in commands][:3] == ["createuser", "createdb", "qpv-desk"]
    (tmp_path / "sample_db").mkdir()
    shutil.copyfile(SAMPLE_DB, tmp_path / "sample_db" / "verquin-demo.sqlite")
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
    assert (tmp_path / "copie-agglo.sqlite").stat().st_size > 100_000
