"""Render ``resources/icons/qpv-desk.svg`` to ``qpv-desk.png`` (256 px) and ``qpv-desk.ico`` with Qt.

    python tools/make_icon.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"


def render(size: int) -> QImage:
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    QSvgRenderer(str(ICONS / "qpv-desk.svg")).render(painter)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)  # noqa: F841 - needed by QPainter on fonts
    if not render(256).save(str(ICONS / "qpv-desk.png"), "PNG"):
        print("échec de l'écriture du PNG", file=sys.stderr)
        return 1
    if not render(64).save(str(ICONS / "qpv-desk.ico"), "ICO"):
        print("échec de l'écriture de l'ICO", file=sys.stderr)
        return 1
    print(f"Icônes écrites dans {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
