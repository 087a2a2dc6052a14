"""A quartier's perimeter drawn offline with QPainterPath (no web service, no tiles).

Usage::

    view = QuartierMap()
    view.set_geojson(info.geojson)   # WGS84 Polygon / MultiPolygon text, or None

The fitting (a local equirectangular view, north up) is
:func:`qpv_desk.domain.geometry.fit`, shared with the documents' picture. Holes are
left empty (odd-even fill). A scale bar sits at the bottom left.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...domain.geometry import fit, polygons_of

FILL = QColor(198, 219, 239)
OUTLINE = QColor(31, 78, 121)
EARTH_RADIUS_M = 6_371_008.8


class QuartierMap(QWidget):
    MARGIN = 14

    def __init__(self, parent=None):
        super().__init__(parent)
        self._polygons: list = []
        self.empty_text = "Aucun périmètre importé."
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMinimumSize(200, 160)
        self.setAccessibleName("Carte du périmètre du quartier")

    def set_geojson(self, geojson) -> None:
        self._polygons = polygons_of(geojson)
        self.update()

    def has_perimeter(self) -> bool:
        return bool(self._polygons)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(420, 320)

    def path(self, width: float, height: float) -> QPainterPath:
        """The perimeter as one path in widget coordinates (odd-even: holes are empty)."""
        path = QPainterPath()
        path.setFillRule(Qt.OddEvenFill)
        for poly in fit(self._polygons, width, height, self.MARGIN):
            for ring in poly:
                if not ring:
                    continue
                path.moveTo(QPointF(*ring[0]))
                for x, y in ring[1:]:
                    path.lineTo(QPointF(x, y))
                path.closeSubpath()
        return path

    def _metres_per_pixel(self, width: float, height: float) -> float:
        points = [p for poly in self._polygons for ring in poly for p in ring]
        lats = [p[1] for p in points]
        k = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = (max(p[0] for p in points) - min(p[0] for p in points)) * k
        span_y = max(lats) - min(lats)
        m = self.MARGIN
        scale = min((width - 2 * m) / max(span_x, 1e-12), (height - 2 * m) / max(span_y, 1e-12))
        return math.radians(1) * EARTH_RADIUS_M / scale

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(self.rect(), self.palette().color(QPalette.Base))
        w, h = self.width(), self.height()
        if not self._polygons:
            painter.setPen(self.palette().color(QPalette.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignCenter | Qt.TextWordWrap, self.empty_text)
            return
        painter.setPen(QPen(OUTLINE, 2))
        painter.setBrush(FILL)
        painter.drawPath(self.path(w, h))
        mpp = self._metres_per_pixel(w, h)
        target = mpp * w / 4
        power = 10 ** math.floor(math.log10(target)) if target > 0 else 0
        length = next((s * power for s in (5, 2, 1) if s * power <= target), power)
        if length:
            bar = length / mpp
            x0, y0 = 8.0, h - 8.0
            painter.setPen(QPen(self.palette().color(QPalette.Text), 2))
            painter.drawLine(QPointF(x0, y0), QPointF(x0 + bar, y0))
            painter.drawLine(QPointF(x0, y0 - 5), QPointF(x0, y0))
            painter.drawLine(QPointF(x0 + bar, y0 - 5), QPointF(x0 + bar, y0))
            text = f"{length / 1000:g} km".replace(".", ",") if length >= 1000 else f"{length:g} m"
            painter.drawText(QPointF(x0 + bar + 6, y0), text)
