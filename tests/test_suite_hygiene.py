"""The suite's own conventions (issue 11): the slowest tests carry the ``slow`` mark, which only
selects — CI and the README's command still run every test; no test module imports another
(shared fixtures live in conftest.py, shared helpers in helper modules such as office.py)."""

from __future__ import annotations

import ast
import re
import tomllib

from conftest import ROOT


def test_slow_tests_are_marked_and_still_run_by_default():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert any(m.startswith("slow:") for m in config["markers"])
    marked = [p.name for p in (ROOT / "tests").glob("test_*.py")
              for _ in re.findall(r"^@pytest\.mark\.slow$", p.read_text(encoding="utf-8"), re.M)]
    assert len(marked) >= 10, marked
    assert "-m" not in config.get("addopts", "").split()  # nothing deselected by default
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"-m pytest\s*$", ci, re.M) and "not slow" not in ci


def imported_test_modules(source: str) -> list[tuple[int, str]]:
    """(line, module) of every import of a test module (``test_*``, also as ``tests.test_*`` or
    relative), at module level or inside a function."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            names = [base] + [f"{base}.{alias.name}".lstrip(".") for alias in node.names]
        else:
            continue
        found += [(node.lineno, name) for name in names
                  if any(part.startswith("test_") for part in name.split("."))][:1]
    return found


def test_no_test_module_imports_another():
    files = sorted((ROOT / "tests").rglob("*.py"))
    assert len(files) > 100
    found = [f"{path.relative_to(ROOT)}:{line}: {name}"
             for path in files for line, name in imported_test_modules(path.read_text(encoding="utf-8"))]
    assert not found, ("un module de test en importe un autre ; mettez les fixtures partagées dans "
                       "tests/conftest.py et les fonctions partagées dans un module d'aide :\n" + "\n".join(found))


def test_the_import_check_sees_every_spelling():
    source = (
        "import os\n"
        "from office import to_pdf\n"
        "from test_safety import start_holder\n"
        "import test_merge as TM\n"
        "from tests.test_copil_workbook import YEAR\n"
        "from . import test_gui_main\n"
        "from .test_snapshots import x\n"
        "def f():\n"
        "    from test_meeting_docs import sample_document\n"
        "from pytest_qt import qtbot\n"
    )
    assert [line for line, _name in imported_test_modules(source)] == [3, 4, 5, 6, 7, 9]
