"""The version of QPV Desk, read from its single source: ``src/qpv_desk/__init__.py``.

The package defines ``__version__`` once; ``pyproject.toml`` reads it (dynamic version),
the PyInstaller spec reads it here (Windows version resource) and ``build.py`` passes it
to Inno Setup on the command line (``ISCC /DAppVersion=0.1.0 packaging\\qpv-desk.iss``).
It is read without importing the package, so this works before any installation.

    python packaging/version.py        # prints the version
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INIT = ROOT / "src" / "qpv_desk" / "__init__.py"


def read_version(init: Path = INIT) -> str:
    tree = ast.parse(init.read_text(encoding="utf-8"), filename=str(init))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets):
            value = ast.literal_eval(node.value)
            if isinstance(value, str) and value:
                return value
    raise RuntimeError(f"__version__ introuvable dans {init}")


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``"1.2.3"`` → ``(1, 2, 3, 0)``; a suffix (``1.2.0rc1``) is dropped (Windows wants four integers)."""
    numbers = []
    for part in version.split(".")[:4]:
        match = re.match(r"\d+", part)
        numbers.append(int(match.group()) if match else 0)
        if not part.isdigit():
            break
    return tuple((numbers + [0, 0, 0, 0])[:4])


if __name__ == "__main__":
    print(read_version())
