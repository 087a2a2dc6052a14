"""The dashboard's « suites en retard » tile opens the meetings that gave those tasks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from qpv_desk.gui.context import AppContext
from qpv_desk.gui.pages.meetings import MeetingsPage
from qpv_desk.services import meetings
from qpv_desk.store.models import FollowUpTask


def expected(db, today):
    with db.reader() as s:
        return set(s.scalars(select(FollowUpTask.meeting_id).where(
            FollowUpTask.status.in_(("a_faire", "en_cours")), FollowUpTask.due_date < today,
            FollowUpTask.meeting_id.is_not(None))))


def test_service_lists_meetings_with_overdue_tasks(sample_db):
    today = dt.date(2026, 11, 25)
    wanted = expected(sample_db, today)
    assert wanted, "la base d'exemple doit contenir des suites en retard"
    rows = meetings.list_meetings(sample_db, overdue_tasks_on=today)
    assert {r.id for r in rows} == wanted
    assert len(meetings.list_meetings(sample_db)) > len(rows)


def test_page_filter_from_the_dashboard(qtbot, sample_db):
    ctx = AppContext()
    ctx.set_database(sample_db)
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    everything = page.model.rowCount()
    page.apply_filters({"year": 2026, "tasks": "overdue"})
    assert page.overdue_filter.isChecked()
    assert page.year_filter.currentData() is None
    assert {page.model.row_at(page.model.index(r, 0)).id for r in range(page.model.rowCount())} == \
        expected(sample_db, dt.date.today())
    page.overdue_filter.setChecked(False)
    assert page.model.rowCount() == everything
