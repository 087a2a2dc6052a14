"""Imports inside functions say why they are there (docs/architecture.md, « Les imports »).

In every layer (gui/ included), a function-local import is allowed only for a reason written on its line:
``# start-up:`` (a heavy library, or the module that loads it, kept off the path that
shows the window or runs a command — tests/test_startup_imports.py), ``# platform:`` (a
module of one OS only) or ``# optional:`` (a library of an optional extra). An import
hidden in a function to dodge an import cycle is not a reason: the `acyclic` contract of
pyproject.toml reports the cycle (tests/test_layers.py).
"""

from __future__ import annotations

import ast

from conftest import ROOT

PACKAGE = ROOT / "src" / "qpv_desk"
CHECKED = ("store", "services", "reports", "cli", "domain", "gui")
REASONS = ("# start-up:", "# platform:", "# optional:")


def unexplained_local_imports(source: str) -> list[tuple[int, str]]:
    """(line, text) of every import below the module level without a reason on its first line."""
    lines = source.splitlines()
    tree = ast.parse(source)
    module_level = {id(node) for node in tree.body}
    return [
        (node.lineno, lines[node.lineno - 1].strip())
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in module_level
        and not any(reason in lines[node.lineno - 1] for reason in REASONS)
    ]


def test_every_function_local_import_says_why():
    files = [p for layer in CHECKED for p in (PACKAGE / layer).rglob("*.py")] + list(PACKAGE.glob("*.py"))
    assert len(files) > 50
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in sorted(files)
        for line, text in unexplained_local_imports(path.read_text(encoding="utf-8"))
    ]
    assert not found, "imports dans une fonction sans raison (# start-up:, # platform:, # optional:) :\n" + "\n".join(found)


def test_the_check_sees_an_unexplained_import_and_accepts_a_reason():
    source = (
        "import os\n"
        "\n"
        "def f():\n"
        "    from .db import open_database\n"
        "    import fcntl  # platform: POSIX only\n"
        "    if os.name:\n"
        "        from openpyxl import (  # start-up: openpyxl loads only to write\n"
        "            Workbook,\n"
        "        )\n"
        "        import json\n"
    )
    assert unexplained_local_imports(source) == [(4, "from .db import open_database"), (10, "import json")]
