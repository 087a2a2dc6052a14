"""A grouped horizontal bar chart as PNG bytes (Pillow), for Word documents.

python-docx cannot create native charts, so the rapport annuel carries a picture.
No Qt: reports run in the CLI and in background threads. Labels are wrapped and
amounts written at the end of each bar.
"""

from __future__ import annotations

import io
import textwrap
import unicodedata
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw, ImageFont

COLOURS = ((0x1F, 0x4E, 0x79), (0x9D, 0xC3, 0xE6), (0xC5, 0x5A, 0x11))
WIDTH = 1600
SCALE_FONT = 30


# A system font with the accents and « € » (Windows, Linux, macOS); Pillow's built-in font lacks them.
SYSTEM_FONTS = ("segoeui.ttf", "arial.ttf", "DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf",
                "Helvetica.ttc", "NotoSans-Regular.ttf")


def _font(size: int):
    """(font, full_unicode): a system font when one is found, else Pillow's own (ASCII only)."""
    for name in SYSTEM_FONTS:
        try:
            return ImageFont.truetype(name, size), True
        except OSError:
            continue
    try:
        return ImageFont.load_default(size=size), False
    except TypeError:  # Pillow without FreeType: the fixed bitmap font
        return ImageFont.load_default(), False


def ascii_text(text: str) -> str:
    """Text for a font without accents: « Accordé 1 200 € » → « Accorde 1 200 EUR »."""
    text = text.replace("€", "EUR").replace("\u202f", " ").replace("\u00a0", " ").replace("–", "-").replace("’", "'")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def bar_chart_png(labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]],
                  value_text: Callable[[int], str] = str, *, title: str = "") -> bytes:
    """One group of bars per label, one bar per series (name, values); returns PNG bytes."""
    (font, unicode_ok), (small, _), (bold, _) = _font(SCALE_FONT), _font(SCALE_FONT - 4), _font(SCALE_FONT + 6)
    clean = (lambda text: text.replace("\u202f", " ")) if unicode_ok else ascii_text
    labels = [clean(label) for label in labels]
    series = [(clean(name), values) for name, values in series]
    title = clean(title)
    shown = value_text
    value_text = lambda value: clean(shown(value))  # noqa: E731
    label_width = 620
    bar_h, gap = 40, 30
    wrapped = [textwrap.wrap(label, 34)[:3] or [""] for label in labels]
    group_h = [max(len(series) * bar_h, len(w) * (SCALE_FONT + 6)) for w in wrapped]
    top = 80 if title else 20
    legend_h = 60
    height = top + sum(group_h) + gap * len(labels) + legend_h + 20
    img = Image.new("RGB", (WIDTH, max(height, 200)), "white")
    draw = ImageDraw.Draw(img)
    if title:
        draw.text((20, 18), title, fill=(0x1F, 0x4E, 0x79), font=bold)
    peak = max([v for _, values in series for v in values] + [1])
    plot_w = WIDTH - label_width - 280
    y = top
    for lines, h, index in zip(wrapped, group_h, range(len(labels))):
        text_y = y + (h - len(lines) * (SCALE_FONT + 6)) // 2
        for n, line in enumerate(lines):
            draw.text((20, text_y + n * (SCALE_FONT + 6)), line, fill="black", font=font)
        bars_y = y + (h - len(series) * bar_h) // 2
        for k, (_name, values) in enumerate(series):
            value = values[index] or 0
            length = int(plot_w * value / peak) if peak else 0
            y0 = bars_y + k * bar_h
            draw.rectangle((label_width, y0 + 3, label_width + max(length, 1), y0 + bar_h - 3),
                           fill=COLOURS[k % len(COLOURS)])
            draw.text((label_width + length + 10, y0 + 4), value_text(value), fill="black", font=small)
        y += h + gap
    draw.line((label_width, top - 6, label_width, y - gap + 6), fill=(0x80, 0x80, 0x80), width=2)
    x = label_width
    for k, (name, _values) in enumerate(series):
        draw.rectangle((x, y + 12, x + 30, y + 36), fill=COLOURS[k % len(COLOURS)])
        draw.text((x + 40, y + 10), name, fill="black", font=font)
        x += 80 + int(draw.textlength(name, font=font))
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
