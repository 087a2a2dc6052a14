"""Suivi des objectifs and Tableau de bord pages, driven like a user."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel
from sqlalchemy import func, select

import programme_data as D
from qpv_desk.domain.aggregation import RULE_TEXT
from qpv_desk.domain import enums as E
from qpv_desk.domain.text import euros
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.pages import followup as followup_page
from qpv_desk.gui.pages.dashboard import DashboardPage
from qpv_desk.gui.models.followup import OVERDUE_COLOUR, OVERDUE_COLUMN, TREE_COLUMNS, UNCOVERED_COLOUR
from qpv_desk.gui.pages.followup import FollowupPage
from qpv_desk.gui.pages.programme import ProgrammePage
from qpv_desk.store.db import open_database
from qpv_desk.store.models import Action, ActionObjective, Body, Decision, FollowUpTask, FundingLine, Meeting, ProgrammeYear


@pytest.fixture
def seed(tmp_path):
    db = open_database(tmp_path / "base.sqlite", create=True)
    seed = D.programme(db)
    today = dt.date.today()
    with db.session() as s:
        copil = s.scalar(select(Body).where(Body.code == "COPIL"))
        s.add(Meeting(body_id=copil.id, title="COPIL de suivi", date=today + dt.timedelta(days=10)))
        s.add(Decision(meeting_id=seed.meeting_id, kind="decision", text="Relancer l'appel sur la santé",
                       objective_id=seed.obj["1.2"]))
        s.add(FollowUpTask(meeting_id=seed.meeting_id, description="Contacter l'ARS", objective_id=seed.obj["1.2.2"],
                           due_date=today - dt.timedelta(days=5), status="a_faire"))
    yield seed
    db.close()


@pytest.fixture
def ctx(seed, monkeypatch):
    monkeypatch.setattr(AppContext, "error", staticmethod(lambda parent, msg, title="": pytest.fail(str(msg))))
    context = AppContext()
    context.set_database(seed.db)
    return context


def make(qtbot, cls, ctx):
    page = cls(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    page.refresh()
    return page


def row_of(page: FollowupPage, code: str):
    item = next(o for o in page.model.summaries() if o.code == code)
    return page.model.index_of_id(item.objective_id), item


def cell(page: FollowupPage, code: str, header: str, role=Qt.DisplayRole):
    index, _item = row_of(page, code)
    column = [h for h, _ in TREE_COLUMNS].index(header)
    return page.model.index(index.row(), column, index.parent()).data(role)


def test_followup_tree_shows_database_figures(qtbot, ctx, seed, qtmodeltester):
    page = make(qtbot, FollowupPage, ctx)
    page.apply_filters({"year": 2026})
    qtmodeltester.check(page.model)
    # the test's own sums, straight from the tables, for the enjeu 1 branch
    with seed.db.reader() as s:
        branch = [seed.obj[c] for c in seed.obj if c == "1" or c.startswith("1.")]
        ids = s.scalars(select(Action.id).join(ProgrammeYear).join(ActionObjective).where(
            ProgrammeYear.year == 2026, ActionObjective.is_principal.is_(True),
            ActionObjective.objective_id.in_(branch))).all()
        requested = s.scalar(select(func.sum(FundingLine.requested_cents)).where(FundingLine.action_id.in_(ids)))
        granted = s.scalar(select(func.sum(FundingLine.granted_cents)).where(FundingLine.action_id.in_(ids)))
    assert cell(page, "1", "Actions") == str(len(ids)) == "4"
    assert cell(page, "1", "Demandé") == euros(requested)
    assert cell(page, "1", "Accordé") == euros(granted)
    assert cell(page, "1.1", "Avancement") == "54\u00a0%"  # (1 800 000 × 0,5 + 300 000 × 0,8) / 2 100 000
    assert cell(page, "1.1.1", "Bilans en retard") == "1"
    # highlights: uncovered in red and bold, overdue bilans in orange and bold
    assert cell(page, "1.1.3", "Objectif", Qt.ForegroundRole).color() == UNCOVERED_COLOUR
    assert cell(page, "1.1.3", "Actions", Qt.FontRole).bold()
    index, _ = row_of(page, "1.1.1")
    overdue = page.model.index(index.row(), OVERDUE_COLUMN, index.parent())
    assert overdue.data(Qt.ForegroundRole).color() == OVERDUE_COLOUR
    assert isinstance(overdue.data(Qt.FontRole), QFont) and overdue.data(Qt.FontRole).bold()
    assert cell(page, "1.2.1", "Objectif", Qt.ForegroundRole) is None
    # the rule is shown by the help button
    assert page.help_label.isHidden()
    qtbot.mouseClick(page.help_button, Qt.LeftButton)
    assert page.help_label.isVisible() and page.help_label.text() == RULE_TEXT
    # whole contract: the 2025 action is added
    page.year.setCurrentIndex(page.year.findText("Tout le contrat"))
    assert cell(page, "1.1.1", "Actions") == "2"


def test_followup_selection_shows_actions_decisions_tasks(qtbot, ctx, seed, monkeypatch):
    page = make(qtbot, FollowupPage, ctx)
    page.apply_filters({"year": 2026})
    index, _ = row_of(page, "1.2")
    page.tree.setCurrentIndex(index)
    assert sorted(r.title for r in page.actions_model.rows) == ["Ateliers cuisine", "Projet refusé"]
    assert [d.text for d in page.decisions_model.rows] == ["Relancer l'appel sur la santé"]
    assert [(t.description, t.overdue) for t in page.tasks_model.rows] == [("Contacter l'ARS", True)]
    assert "Orientation 1.2" in page.detail_title.text()
    # navigation from the dashboard selects the objective
    page.apply_filters({"year": 2026, "objective_id": seed.obj["1.1.2"]})
    assert page.model.item(page.tree.currentIndex()).code == "1.1.2"
    assert [r.title for r in page.actions_model.rows] == ["Épicerie solidaire"]
    # double-click on an action opens its fiche
    opened = []
    monkeypatch.setattr(followup_page.ActionEditor, "run",
                        classmethod(lambda cls, ctx, parent, action_id=None, year=None: opened.append(action_id)))
    idx = page.actions_model.index(0, 2)
    pos = page.actions_view.visualRect(idx).center()
    page.detail_tabs.setCurrentIndex(0)
    qtbot.mouseClick(page.actions_view.viewport(), Qt.LeftButton, pos=pos)
    qtbot.mouseDClick(page.actions_view.viewport(), Qt.LeftButton, pos=pos)
    assert opened == [seed.actions["Épicerie solidaire"]]


def test_dashboard_tiles_and_navigation(qtbot, ctx, seed):
    page = make(qtbot, DashboardPage, ctx)
    page.apply_filters({"year": 2026})
    data = page.data
    assert data.year == 2026
    assert [m.title for m in data.next_meetings] == ["COPIL de suivi"]
    assert data.overdue_tasks_total == 1
    assert "(1)" in page.tasks_tile.title_label.text()
    assert page.group_buttons[E.StatusGroup.REALISEE].text() == "Réalisée : 2"
    assert len(page.funder_chart.groups) == len(data.by_funder) == 6
    state = next(g for g in page.funder_chart.groups if g.label.startswith("État"))
    assert state.values == (15.5, 8.0)  # k€
    assert [g.label for g in page.enjeu_chart.groups] == ["Enjeu 1", "Enjeu 2", "Enjeu 3"]
    asked = []
    ctx.navigate.connect(lambda key, filters: asked.append((key, filters)))
    qtbot.mouseClick(page.meetings_tile, Qt.LeftButton)
    qtbot.mouseClick(page.tasks_tile, Qt.LeftButton)
    qtbot.mouseClick(page.funder_tile, Qt.LeftButton)
    qtbot.mouseClick(page.enjeu_tile, Qt.LeftButton)
    qtbot.mouseClick(page.group_buttons[E.StatusGroup.FINANCEE], Qt.LeftButton)
    qtbot.mouseClick(page.uncovered_buttons[0], Qt.LeftButton)
    qtbot.mouseClick(page.meeting_buttons[0], Qt.LeftButton)
    qtbot.mouseClick(page.task_buttons[0], Qt.LeftButton)
    next_meeting = data.next_meetings[0]
    assert asked == [
        ("meetings", {"year": 2026}),
        ("meetings", {"year": 2026, "tasks": "overdue"}),
        ("programme", {"year": 2026}),
        ("followup", {"year": 2026}),
        ("programme", {"year": 2026, "group": "financee"}),
        ("followup", {"year": 2026, "objective_id": data.uncovered[0].objective_id}),
        ("meetings", {"year": next_meeting.date.year, "meeting_id": next_meeting.id}),
        ("meetings", {"year": 2026, "meeting_id": seed.meeting_id}),
    ]
    # the programme page applies what the status tile asked for
    programme = make(qtbot, ProgrammePage, ctx)
    programme.apply_filters(asked[4][1])
    assert [r.title for r in programme.visible_rows] == ["Permanence d'accès aux droits"]


def test_pages_are_listed_in_navigation_order():
    from qpv_desk.gui.pages import PAGES

    keys = [p.key for p in PAGES]
    assert keys[0] == "dashboard"
    assert keys.index("programme") < keys.index("followup")
    if "meetings" in keys:
        assert keys.index("meetings") < keys.index("programme")


def test_main_window_navigation_from_the_dashboard(qtbot, seed, monkeypatch, tmp_path):
    from qpv_desk.gui.main_window import MainWindow

    monkeypatch.setattr(AppContext, "error", staticmethod(lambda parent, msg, title="": pytest.fail(str(msg))))
    path = seed.db.path
    seed.db.close()
    ctx = AppContext()
    window = MainWindow(ctx, page_specs=["dashboard:DashboardPage", "programme:ProgrammePage",
                                         "followup:FollowupPage"])
    qtbot.addWidget(window)
    assert window.open_target(path)
    window.show()
    dashboard = window.show_page("dashboard")
    dashboard.apply_filters({"year": 2026})
    qtbot.mouseClick(dashboard.group_buttons[E.StatusGroup.REALISEE], Qt.LeftButton)
    programme = window.current_page()
    assert programme.key == "programme"
    assert sorted(r.title for r in programme.visible_rows) == ["Forum emploi", "Épicerie solidaire"]
    window.show_page("dashboard")
    qtbot.mouseClick(dashboard.uncovered_buttons[0], Qt.LeftButton)
    followup = window.current_page()
    assert followup.key == "followup" and followup.current_year() == 2026
    assert followup.model.item(followup.tree.currentIndex()).objective_id == dashboard.data.uncovered[0].objective_id
    window.close()
    ctx.db.close()


def test_dashboard_says_how_many_overdue_tasks_are_not_listed(qtbot, ctx, seed):
    """« … et 1 autre. » / « … et 2 autres. », never « autre(s) »."""
    from qpv_desk.services.tasks import add_task

    late = dt.date.today() - dt.timedelta(days=3)
    for n in range(8):  # with the seed's one: 9 overdue tasks, 8 listed
        add_task(seed.db, seed.meeting_id, description=f"Relance {n}", due_date=late, today=late)
    page = make(qtbot, DashboardPage, ctx)
    page.apply_filters({"year": 2026})
    texts = [w.text() for w in page.tasks_tile.findChildren(QLabel)]
    assert "… et 1 autre." in texts, texts
    add_task(seed.db, seed.meeting_id, description="Relance 9", due_date=late, today=late)
    page.refresh()
    qtbot.wait(20)  # the previous labels deleted, the new ones shown
    texts = [w.text() for w in page.tasks_tile.findChildren(QLabel) if not w.isHidden()]
    assert "… et 2 autres." in texts and not any("(s)" in t for t in texts), texts


def _followup_at_1366(qtbot, path):
    from qpv_desk.gui.main_window import MainWindow

    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    window.resize(1366, 768 - 40 - 32)  # the screen minus the taskbar and the title bar
    assert window.open_target(path)
    window.show()
    window.nav.setCurrentRow([window.nav.item(i).text() for i in range(window.nav.count())].index("Suivi des objectifs"))
    page = window.current_page()
    assert page.key == "followup"
    qtbot.mouseClick(page.expand_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.tree.header().sectionSize(0) > 0)
    return window, page


def test_the_objectif_column_has_the_room_at_1366(qtbot, sample_path, messages):
    window, page = _followup_at_1366(qtbot, sample_path)
    header, room = page.tree.header(), page.tree.viewport().width()
    objective = header.sectionSize(0)
    counts = [header.sectionSize(i) for i in range(1, header.count())]
    assert all(objective > c for c in counts), (objective, counts)
    assert objective >= 0.45 * room, (objective, room)
    actions = [h for h, _ in TREE_COLUMNS].index("Actions")
    assert header.sectionSize(actions) < 80  # a count sized to its contents, not a fixed 95 px
    from qpv_desk.gui.widgets.headers import cut_titles

    assert cut_titles(page.tree) == []
    # the page grows: the Objectif column takes the room (the counts keep their width)
    window.resize(2400, 900)
    qtbot.waitUntil(lambda: header.sectionSize(0) > objective)
    assert [header.sectionSize(i) for i in range(1, header.count())] == counts
    assert sum(header.sectionSize(i) for i in range(header.count())) <= page.tree.viewport().width() + 1
    window.close()
    window.ctx.db.close()


def test_the_widths_she_gives_the_counts_are_remembered(qtbot, sample_path, messages):
    window, page = _followup_at_1366(qtbot, sample_path)
    header = page.tree.header()
    demande = [h for h, _ in TREE_COLUMNS].index("Demandé")
    header.resizeSection(demande, 160)  # she widens « Demandé »
    objective = header.sectionSize(0)
    window.close()
    window.ctx.db.close()
    window, page = _followup_at_1366(qtbot, sample_path)
    header = page.tree.header()
    assert header.sectionSize(demande) == 160
    assert header.sectionSize(0) >= 0.45 * page.tree.viewport().width() and header.sectionSize(0) == objective
    window.close()
    window.ctx.db.close()
