"""The demonstration base shows every screen filled: a fresh build (into tmp_path, never the
committed file) has two photographs of the 2026 programme with real differences between
them, and the « 3 Îlots » perimeter — read through the services, then on the screens
« Évolutions du programme » and Référentiel › Périmètre driven like a user."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from PySide6.QtCore import Qt

from qpv_desk.gui.context import AppContext
from qpv_desk.sampledata import build_sample_database
from qpv_desk.sampledata.demo import PERIMETER_FILE
from qpv_desk.services import perimeter as PM
from qpv_desk.services import snapshots as S
from qpv_desk.store.db import open_database


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_sample_database(tmp_path_factory.mktemp("demo") / "verquin-demo.sqlite").path


@pytest.fixture
def demo_db(built, tmp_path):
    path = tmp_path / "verquin-demo.sqlite"
    shutil.copyfile(built, path)
    db = open_database(path)
    yield db
    db.close()


def _snapshots(db):
    copil, gt = S.list_snapshots(db)  # newest first
    return gt, copil


def test_two_photographs_of_2026_with_real_differences(demo_db):
    gt, copil = _snapshots(demo_db)
    assert (gt.taken_at, gt.meeting_id) == (dt.datetime(2026, 2, 10, 12, 40), None)
    assert gt.label == "Avis du groupe technique du 10/02/2026"
    assert copil.label == "COPIL du 24/03/2026" and copil.taken_at == dt.datetime(2026, 3, 25, 9, 5)
    assert S.last_copil_snapshot(demo_db).id == copil.id  # tied to the COPIL meeting: the default « depuis »

    changes = S.compare_snapshots(demo_db, gt.id, copil.id, year=2026)
    assert not changes.added and not changes.withdrawn
    moves = {(c.old, c.new) for c in changes.status_changed}
    assert ("Avis GT favorable", "Accordée (COPIL)") in moves
    assert any(new in ("Refusée (COPIL)", "Ajournée (COPIL)") for _, new in moves)
    assert len(changes.status_changed) >= 25
    kinds = {(c.kind, c.old_cents is None) for a in changes.amounts_changed for c in a.changes}
    assert ("accordé", True) in kinds  # the grants, unknown before the COPIL
    cut = [c for a in changes.amounts_changed for c in a.changes if c.kind == "demandé"]
    assert len(cut) == 2 and all(c.delta_cents < 0 for c in cut)  # two State requests cut after « réservé »
    assert changes.granted_delta_cents > 0 > changes.requested_delta_cents

    # since the COPIL: the two late requests of the autumn, and the year going on
    since = S.changes_since_last_copil(demo_db, 2026)
    assert len(since.added) == 2 and not since.withdrawn and since.status_changed

    # the photographs are the programme as it stood: every action filed by then, nothing paid before the COPIL
    with demo_db.reader() as s:
        from qpv_desk.store.models import ProgrammeSnapshot

        content = json.loads(s.get(ProgrammeSnapshot, gt.id).content)
    y2026 = [a for a in content["actions"] if a["year"] == 2026]
    assert y2026 and all(a["status"] in ("avis_favorable", "avis_reserve", "avis_defavorable", "non_recevable")
                         for a in y2026)
    assert all(line[1] is None and line[2] == 0 for a in y2026 for line in a["funding"].values())


def test_the_quartier_has_its_perimeter(demo_db):
    [info] = PM.perimeters(demo_db)
    assert (info.code, info.name, info.source) == ("QP 06 20 09", "3 Îlots", PERIMETER_FILE)
    assert 50 < float(info.area_ha) < 62  # the referential declares 56 ha
    assert 2 < float(info.length_km) < 4
    [polygon] = info.polygons
    xs, ys = [p[0] for p in polygon[0]], [p[1] for p in polygon[0]]
    assert 2.62 < min(xs) < max(xs) < 2.66 and 50.50 < min(ys) < max(ys) < 50.52  # between Béthune and Verquin
    listing = PM.quartiers_listing(demo_db)
    assert listing.rows[0][-1] == f"{info.area_ha:.2f}"


def test_evolutions_du_programme_opens_filled(qtbot, demo_db, messages):
    from qpv_desk.gui.pages.reports import ReportsPage

    ctx = AppContext()
    ctx.set_database(demo_db)
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.mouseClick(page.outputs.changes_button, Qt.LeftButton)
    dialog = page.outputs.dialog
    assert dialog.since.count() == 2 and dialog.until.count() == 3
    assert dialog.since.currentText().startswith("COPIL du 24/03/2026")
    qtbot.waitUntil(lambda: not dialog.comparing and dialog.model.rowCount() > 0, timeout=10_000)
    assert "Aucune photographie" not in dialog.totals.text()
    # from the GT's opinions to the COPIL's decisions
    dialog.since.setCurrentIndex(dialog.since.findData(_snapshots(demo_db)[0].id))
    dialog.until.setCurrentIndex(dialog.until.findData(_snapshots(demo_db)[1].id))
    qtbot.waitUntil(lambda: not dialog.comparing, timeout=10_000)
    shown = [dialog.model.index(r, c).data() for r in range(dialog.model.rowCount())
             for c in range(dialog.model.columnCount())]
    assert dialog.model.rowCount() >= 25
    assert any(t and "Accordée (COPIL)" in str(t) for t in shown)
    assert "changement" in dialog.totals.text() and "accordé" in dialog.totals.text()
    # the Détail column (what changed) is not squeezed by the actions' titles and holders
    header, room = dialog.view.horizontalHeader(), dialog.view.viewport().width()
    assert header.sectionSize(2) <= 0.25 * room + 1 and header.sectionSize(3) <= 0.25 * room + 1
    assert header.sectionSize(4) >= 0.2 * room, [header.sectionSize(c) for c in range(6)]
    dialog.close()
    ctx.wait_for_background()


def test_referential_perimeter_tab_opens_filled(qtbot, demo_db, messages):
    from qpv_desk.gui.pages.referential import ReferentialPage

    ctx = AppContext()
    ctx.set_database(demo_db)
    page = ReferentialPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    page.refresh()
    page.apply_filters({"tab": "perimetre"})
    tab = page.perimeter
    assert page.tabs.currentWidget() is tab
    qtbot.waitUntil(tab.map.has_perimeter, timeout=10_000)
    figures = tab.figures.text()
    assert "Aucun périmètre" not in figures and "ha" in figures and PERIMETER_FILE in figures


def test_a_long_photograph_label_never_widens_the_dialog_past_the_screen(qtbot, demo_db, messages):
    from qpv_desk.gui.dialogs.outputs import ProgrammeChangesDialog

    label = ("Photographie avant la réunion de préparation du comité de pilotage avec les services de l'État, "
             "de l'agglomération et du Département")
    S.take_snapshot(demo_db, label)
    ctx = AppContext()
    ctx.set_database(demo_db)
    dialog = ProgrammeChangesDialog(ctx, [2025, 2026], 2026)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.comparing, timeout=10_000)
    assert dialog.width() <= 1366, dialog.width()
    dialog.since.setCurrentIndex(dialog.since.findText(label, Qt.MatchStartsWith))
    assert dialog.since.toolTip().startswith(label)  # the whole label, even when the box cuts it
    qtbot.waitUntil(lambda: not dialog.comparing, timeout=10_000)
    ctx.wait_for_background()
