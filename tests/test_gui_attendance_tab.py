"""Partenaires › Présences: changing the filters recomputes the report once she pauses,
on the background executor — never once per key on the GUI thread."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from threads import watch

from qpv_desk.domain.text import plural
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.pages import partners_attendance
from qpv_desk.gui.pages.partners import PartnersPage
from qpv_desk.services import attendance as A


def test_filters_recompute_once_off_the_gui_thread(qtbot, sample_db, messages, monkeypatch):
    ctx = AppContext()
    ctx.set_database(sample_db)
    page = PartnersPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.apply_filters({"tab": "presences"})
    tab = page.attendance
    page.refresh()
    qtbot.waitUntil(lambda: not tab.computing, timeout=10_000)
    tab.start.setDate(dt.date(2020, 1, 1))
    tab.end.setDate(dt.date(2030, 12, 31))
    qtbot.waitUntil(lambda: not tab.computing and not tab._timer.isActive(), timeout=10_000)

    reports = watch(monkeypatch, partners_attendance.A, "attendance_report")
    tab.missed.setFocus()
    for _ in range(3):  # 3 → 6 with the arrow key, quickly
        qtbot.keyClick(tab.missed, Qt.Key_Up)
    assert tab.missed.value() == 6 and reports == []  # nothing computed while she is still clicking
    qtbot.waitUntil(lambda: bool(reports) and not tab.computing, timeout=10_000)
    assert reports == [False]  # once, on the background executor
    expected = A.attendance_report(sample_db, start=dt.date(2020, 1, 1), end=dt.date(2030, 12, 31), missed=6)
    assert tab.person_model.rowCount() == len(expected.persons) > 0
    assert [tab.person_model.row_at(n).flagged for n in range(tab.person_model.rowCount())] == \
        [line.flagged for line in expected.persons]
    assert plural(expected.meetings, "réunion tenue", "réunions tenues") in tab.summary.text()
    for _ in range(5):  # 6 → 1: someone missed the last meeting, the sentence agrees with the count
        qtbot.keyClick(tab.missed, Qt.Key_Down)
    qtbot.waitUntil(lambda: "en rouge" in tab.summary.text(), timeout=10_000)
    expected = A.attendance_report(sample_db, start=dt.date(2020, 1, 1), end=dt.date(2030, 12, 31), missed=1)
    flagged = sum(1 for line in expected.persons if line.flagged)
    # « 1 personne … absente », « 2 personnes … absentes »: no « (s) »
    assert flagged and "(s)" not in tab.summary.text().split(". ", 1)[1]
    assert ("1 personne en rouge : absente à la dernière réunion à laquelle elle était invitée." if flagged == 1 else
            f"{flagged} personnes en rouge : absentes à la dernière réunion à laquelle elles étaient invitées."
            ) in tab.summary.text()
    ctx.wait_for_background()
