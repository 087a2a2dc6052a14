"""Render every page of the main window to PNG at 1366×768, on a copy of the sample database.

    python tools/screenshots.py [-o docs/screenshots] [--db BASE.sqlite]

Pages listed in ``qpv_desk.gui.pages.PAGES`` are shown one by one; a page made of tabs
gives one image per tab (``05-partners-2-instances.png``). The user folders point to
a temporary directory, so the real settings are never touched.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
WIDTH, HEIGHT = 1366, 768


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def settle(app, ctx) -> None:
    for _ in range(3):
        app.processEvents()
        ctx.wait_for_background(30_000)
        app.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Captures d'écran de QPV Desk (1366×768).")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "screenshots", help="dossier des PNG")
    parser.add_argument("--db", type=Path, help="base à montrer (par défaut : copie de la base d'exemple)")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="qpv-shots-"))
    os.environ["QPV_DESK_HOME"] = str(work / "home")
    from qpv_desk import paths
    from qpv_desk.store.backup import copy_sqlite

    source = args.db or paths.sample_database()
    if not source.exists():
        print(f"Base introuvable : {source} (lancez « python tools/build_sample_db.py »)", file=sys.stderr)
        return 2
    database = work / source.name
    copy_sqlite(source, database)

    from qpv_desk.gui.app import make_application
    from qpv_desk.gui.context import AppContext
    from qpv_desk.gui.main_window import MainWindow

    app = make_application(["qpv-desk"])
    ctx = AppContext(app)
    window = MainWindow(ctx)
    if not window.open_target(database):
        return 2
    window.resize(WIDTH, HEIGHT)
    window.show()
    window.ensure_initial_page()
    settle(app, ctx)
    args.output.mkdir(parents=True, exist_ok=True)
    written = []
    for number, key in enumerate(window.page_keys, start=1):
        page = window.show_page(key)
        window.resize(WIDTH, HEIGHT)
        settle(app, ctx)
        tabs = getattr(page, "tabs", None)
        shots = [(None, "")]
        if tabs is not None and hasattr(tabs, "count") and tabs.count() > 1:
            shots = [(i, slug(tabs.tabText(i).replace("&", ""))) for i in range(tabs.count())]
        for index, name in shots:
            if index is not None:
                tabs.setCurrentIndex(index)
                settle(app, ctx)
            suffix = f"-{index + 1}-{name}" if index is not None else ""
            path = args.output / f"{number:02d}-{key}{suffix}.png"
            image = window.grab()
            if image.width() != WIDTH or image.height() != HEIGHT:
                print(f"attention : {path.name} mesure {image.width()}×{image.height()}", file=sys.stderr)
            image.save(str(path), "PNG")
            written.append(path)
        if tabs is not None and hasattr(tabs, "setCurrentIndex"):
            tabs.setCurrentIndex(0)
    window.close()
    if ctx.db is not None:
        ctx.db.close()
    shutil.rmtree(work, ignore_errors=True)
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
