"""Référentiel › Périmètre: import a perimeter like a user, see it drawn offline (rendered
offscreen to PNG and read back), a refused file shows its message and changes nothing."""

from __future__ import annotations

import json
import math
import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from qpv_desk.gui.context import AppContext
from qpv_desk.gui.pages import quartier_perimeter
from qpv_desk.gui.pages.referential import ReferentialPage
from qpv_desk.gui.widgets.quartier_map import FILL, QuartierMap
from qpv_desk.services import perimeter as PM

# an L-shaped quartier (WGS84)
L_SHAPE = [[2.600, 50.520], [2.630, 50.520], [2.630, 50.526], [2.612, 50.526], [2.612, 50.540],
           [2.600, 50.540], [2.600, 50.520]]


@pytest.fixture
def db(verquin_db):
    return verquin_db


@pytest.fixture
def page(qtbot, db, messages):
    ctx = AppContext()
    ctx.set_database(db)
    widget = ReferentialPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.refresh()
    widget.apply_filters({"tab": "perimetre"})
    return widget


def write(path, code="QP062009", ring=L_SHAPE):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code_qp": code}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}),
        encoding="utf-8")
    return path


def test_import_and_draw_the_perimeter(page, qtbot, db, tmp_path, monkeypatch, messages):
    tab = page.perimeter
    assert page.tabs.currentWidget() is tab
    assert not tab.map.has_perimeter() and "Aucun périmètre" in tab.figures.text()
    monkeypatch.setattr(quartier_perimeter, "ask_perimeter_file", lambda parent: write(tmp_path / "qpv.geojson"))
    qtbot.mouseClick(tab.import_button, Qt.LeftButton)
    qtbot.waitUntil(tab.map.has_perimeter, timeout=10_000)
    info = PM.quartier_perimeter(db, tab.quartier.id)
    assert info is not None and info.source == "qpv.geojson"
    assert "Surface" in tab.figures.text() and "ha" in tab.figures.text() and "qpv.geojson" in tab.figures.text()

    image = tab.map.grab().toImage()
    out = os.environ.get("QPV_MAP_PNG") or str(tmp_path / "carte-ecran.png")
    image.save(out)
    w, h = image.width(), image.height()
    path = tab.map.path(w, h)
    box = path.boundingRect()
    # inside the L's foot (bottom left) it is filled, in the notch (top right) it is not
    foot = (int(box.left() + box.width() * 0.2), int(box.bottom() - box.height() * 0.1))
    notch = (int(box.left() + box.width() * 0.8), int(box.top() + box.height() * 0.2))
    assert QColor(image.pixel(*foot)) == FILL
    assert QColor(image.pixel(*notch)) != FILL
    # true proportions: 0.02 ° of latitude high, 0.03 ° of longitude × cos(50.53 °) wide
    assert box.height() / box.width() == pytest.approx(0.02 / (0.03 * math.cos(math.radians(50.53))), rel=0.01)

    # a file without the code: the message, and the map unchanged
    before = PM.quartier_perimeter(db, tab.quartier.id)
    monkeypatch.setattr(quartier_perimeter, "ask_perimeter_file",
                        lambda parent: write(tmp_path / "autre.geojson", code="QP000000"))
    qtbot.mouseClick(tab.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: any(kind == "error" for kind, _m in messages), timeout=10_000)
    assert any("n'est pas dans « autre.geojson »" in m for _k, m in messages)
    assert PM.quartier_perimeter(db, tab.quartier.id) == before


def test_empty_map_says_so(qtbot):
    view = QuartierMap()
    qtbot.addWidget(view)
    view.resize(300, 200)
    image = view.grab().toImage()
    assert not view.has_perimeter()
    assert QColor(image.pixel(150, 100)) != FILL
