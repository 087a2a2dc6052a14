"""Regenerate ``src/qpv_desk/gui/forms/*_ui.py`` from the Designer files in ``ui/``.

    python tools/compile_ui.py          # every form
    python tools/compile_ui.py --check  # exit 1 if a generated file is out of date
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI_DIR = ROOT / "ui"
OUT_DIR = ROOT / "src" / "qpv_desk" / "gui" / "forms"


def uic() -> str:
    exe = shutil.which("pyside6-uic") or str(Path(sys.executable).with_name("pyside6-uic"))
    if not Path(exe).exists() and not shutil.which(exe):
        raise SystemExit("pyside6-uic introuvable : installez PySide6.")
    return exe


def compile_one(source: Path) -> str:
    result = subprocess.run([uic(), "--from-imports", str(source)], check=True, capture_output=True, text=True)
    return result.stdout


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="vérifie seulement que les fichiers sont à jour")
    args = parser.parse_args(argv)
    stale = []
    for source in sorted(UI_DIR.glob("*.ui")):
        target = OUT_DIR / f"{source.stem}_ui.py"
        code = compile_one(source)
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != code:
                stale.append(target.name)
            continue
        target.write_text(code, encoding="utf-8")
        print(f"{source.name} -> {target.relative_to(ROOT)}")
    if stale:
        print("Formulaires à régénérer : " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
