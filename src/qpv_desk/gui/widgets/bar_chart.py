"""A horizontal grouped bar chart drawn with QPainter (no QtCharts dependency).

Usage::

    chart = BarChart(series=("Quartier", "Agglomération"), unit="%")
    chart.set_groups([BarGroup("Taux de pauvreté", (40.3, 18.8)), ...])

Each group is a label (wrapped on the left) and one bar per series, the value written
at the end of the bar in French (« 40,3 % »). A legend sits at the top.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

DEFAULT_COLOURS = ("#1f4e99", "#e0a526", "#4f9d69", "#b04a5a")


@dataclass(frozen=True)
class BarGroup:
    label: str
    values: tuple[float | None, ...]


def french_number(value: float, unit: str = "") -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} {unit}".strip() if unit else text


class BarChart(QWidget):
    BAR_HEIGHT = 14
    BAR_GAP = 3
    GROUP_GAP = 12
    MARGIN = 10

    def __init__(self, parent=None, *, series: Sequence[str] = (), unit: str = "",
                 colours: Sequence[str] = DEFAULT_COLOURS, title: str = ""):
        super().__init__(parent)
        self._series = tuple(series)
        self._unit = unit
        self._colours = tuple(QColor(c) for c in colours)
        self._groups: list[BarGroup] = []
        self._title = title
        self._empty_text = "Aucune donnée comparable."
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.setMinimumHeight(120)

    # ----------------------------------------------------------------- content

    def set_groups(self, groups: Sequence[BarGroup]) -> None:
        self._groups = list(groups)
        self.setMinimumHeight(self.sizeHint().height())  # every group shown, never cut
        self.updateGeometry()
        self.update()

    def set_series(self, series: Sequence[str]) -> None:
        self._series = tuple(series)
        self.update()

    def set_empty_text(self, text: str) -> None:
        self._empty_text = text
        self.update()

    @property
    def groups(self) -> list[BarGroup]:
        return list(self._groups)

    # ----------------------------------------------------------------- geometry

    def _label_width(self) -> int:
        return max(140, min(int(self.width() * 0.38), 320))

    def _group_height(self, fm: QFontMetrics, group: BarGroup) -> int:
        bars = len(group.values) * self.BAR_HEIGHT + (len(group.values) - 1) * self.BAR_GAP
        label_rect = fm.boundingRect(0, 0, self._label_width() - 8, 1000, Qt.TextWordWrap, group.label)
        return max(bars, label_rect.height())

    def _legend_height(self, fm: QFontMetrics) -> int:
        height = fm.height() + 8
        if self._title:
            height += fm.height() + 4
        return height

    def sizeHint(self) -> QSize:  # noqa: N802
        fm = self.fontMetrics()
        height = self._legend_height(fm) + 2 * self.MARGIN
        height += sum(self._group_height(fm, g) + self.GROUP_GAP for g in self._groups)
        return QSize(520, max(height, 160))

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self.sizeHint().height()

    # ----------------------------------------------------------------- painting

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.Base))
        fm = painter.fontMetrics()
        text_colour = palette.color(QPalette.Text)
        y = self.MARGIN
        if self._title:
            font = painter.font()
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(text_colour)
            painter.drawText(QRectF(self.MARGIN, y, self.width() - 2 * self.MARGIN, fm.height()),
                             Qt.AlignLeft | Qt.AlignVCenter, self._title)
            font.setBold(False)
            painter.setFont(font)
            y += fm.height() + 4
        # legend
        x = self.MARGIN
        for i, name in enumerate(self._series):
            painter.fillRect(QRectF(x, y + (fm.height() - 10) / 2, 10, 10), self._colours[i % len(self._colours)])
            painter.setPen(text_colour)
            painter.drawText(QRectF(x + 14, y, fm.horizontalAdvance(name) + 4, fm.height()),
                             Qt.AlignLeft | Qt.AlignVCenter, name)
            x += 14 + fm.horizontalAdvance(name) + 18
        y += fm.height() + 8
        if not self._groups:
            painter.setPen(palette.color(QPalette.Disabled, QPalette.Text))
            painter.drawText(QRectF(0, y, self.width(), self.height() - y), Qt.AlignCenter, self._empty_text)
            painter.end()
            return
        label_w = self._label_width()
        value_w = fm.horizontalAdvance(french_number(888.8, self._unit)) + 8
        bar_x = self.MARGIN + label_w
        bar_w = max(20, self.width() - bar_x - value_w - self.MARGIN)
        maximum = max((v for g in self._groups for v in g.values if v is not None), default=0) or 1
        grid = palette.color(QPalette.Mid)
        grid.setAlpha(90)
        painter.setPen(grid)
        painter.drawLine(int(bar_x), int(y), int(bar_x), self.height() - self.MARGIN)
        for group in self._groups:
            height = self._group_height(fm, group)
            painter.setPen(text_colour)
            painter.drawText(QRectF(self.MARGIN, y, label_w - 8, height), Qt.TextWordWrap | Qt.AlignVCenter,
                             group.label)
            bars_h = len(group.values) * self.BAR_HEIGHT + (len(group.values) - 1) * self.BAR_GAP
            by = y + (height - bars_h) / 2
            for i, value in enumerate(group.values):
                colour = self._colours[i % len(self._colours)]
                if value is not None:
                    length = bar_w * max(value, 0) / maximum
                    painter.fillRect(QRectF(bar_x, by, length, self.BAR_HEIGHT), colour)
                    painter.setPen(text_colour)
                    painter.drawText(QRectF(bar_x + length + 4, by - 2, value_w, self.BAR_HEIGHT + 4),
                                     Qt.AlignLeft | Qt.AlignVCenter, french_number(value, self._unit))
                by += self.BAR_HEIGHT + self.BAR_GAP
            y += height + self.GROUP_GAP
        painter.end()
