"""Render ``resources/icons/qpv-desk.svg`` to ``qpv-desk.png`` (256 px) and ``qpv-desk.ico`` with Qt.

    python tools/make_icon.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QIODevice, Qt  # noqa: E402
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


ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def write_ico(path: Path, sizes=ICO_SIZES) -> None:
    """A Windows icon holding one PNG-compressed image per size (Windows Vista and later),
    so the Start menu, the taskbar and Explorer each get a sharp one."""
    images = [png_bytes(render(size)) for size in sizes]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries = b""
    for size, data in zip(sizes, images):
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    path.write_bytes(header + entries + b"".join(images))


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)  # noqa: F841 - needed by QPainter on fonts
    if not render(256).save(str(ICONS / "qpv-desk.png"), "PNG"):
        print("échec de l'écriture du PNG", file=sys.stderr)
        return 1
    write_ico(ICONS / "qpv-desk.ico")
    print(f"Icônes écrites dans {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
