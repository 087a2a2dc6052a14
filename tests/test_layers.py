"""The layers hold: import-linter checks the contracts declared in pyproject.toml ([tool.importlinter]).

domain imports nothing of the project; store only domain; reports only domain; services
domain, store and reports; gui and cli services and domain, never store; nothing imports
gui but the command line that launches it; and the modules of a layer form no import cycle
(imports inside functions count too). See docs/architecture.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

from conftest import ROOT

LINT = textwrap.dedent("""
    import sys
    from importlinter.cli import lint_imports
    sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True, no_logo=True))
""")


def lint(src, config=ROOT / "pyproject.toml") -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(src))
    return subprocess.run([sys.executable, "-c", LINT, str(config)], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)


def broken_contracts(output: str) -> str:
    return output[output.find("Broken contracts"):] if "Broken contracts" in output else output


def test_import_contracts_are_kept():
    result = lint(ROOT / "src")
    assert result.returncode == 0, "couches non respectées :\n" + broken_contracts(result.stdout + result.stderr)
    assert "0 broken" in result.stdout


def test_a_gui_module_importing_store_breaks_the_contract(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "qpv_desk", copy / "qpv_desk", ignore=shutil.ignore_patterns("__pycache__"))
    module = copy / "qpv_desk" / "gui" / "welcome.py"
    module.write_text(module.read_text(encoding="utf-8") + "\nfrom qpv_desk.store import db  # noqa\n", encoding="utf-8")
    result = lint(copy)
    assert result.returncode != 0
    report = broken_contracts(result.stdout)
    assert "gui and cli import services and domain, never store BROKEN" in result.stdout
    assert "qpv_desk.gui.welcome -> qpv_desk.store.db" in report


def test_a_function_local_import_closing_a_cycle_breaks_the_acyclic_contract(tmp_path):
    """The store's modules form no cycle (store/sqlite_file.py is below db, backup and safety):
    an import hidden inside a function that would close one again is reported."""
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "qpv_desk", copy / "qpv_desk", ignore=shutil.ignore_patterns("__pycache__"))
    module = copy / "qpv_desk" / "store" / "safety.py"
    module.write_text(module.read_text(encoding="utf-8")
                      + "\n\ndef _late():\n    from .db import open_database  # noqa\n", encoding="utf-8")
    result = lint(copy)
    assert result.returncode != 0
    assert "no import cycle inside a layer (function-local imports count) BROKEN" in result.stdout
    report = broken_contracts(result.stdout)
    assert "No cycles are allowed in qpv_desk.store." in report
    assert ".safety -> .db" in report
