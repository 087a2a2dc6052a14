"""The shared rules where the user sees them, at their boundaries, on SQLite and PostgreSQL.

The SQL twin of the overdue rule agrees with the Python one; a task due today is not
late anywhere (task rows, review at the next meeting, dashboard, meeting filter, COPIL
data); quorum exactly reached in the service, the Word minutes and on screen; the weekly
backup across a New Year (ISO weeks straddle it).
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from docx import Document
from sqlalchemy import func, select

from meetings_data import GT_DAY, build_world
from qpv_desk.domain import enums as E
from qpv_desk.domain import rules as R
from qpv_desk.services import dashboard as Dash
from qpv_desk.services import meetings as M
from qpv_desk.services import reporting
from qpv_desk.services import rules as SR
from qpv_desk.services import tasks as T
from qpv_desk.store.models import FollowUpTask

TODAY = dt.date(2025, 3, 10)


# --------------------------------------------------------------------------- SQL twin = Python rule


def test_sql_and_python_overdue_agree(empty_db):
    world = build_world(empty_db)
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY)
    dues = (None, TODAY - dt.timedelta(days=1), TODAY, TODAY + dt.timedelta(days=1))
    expected = {}
    for status, due in itertools.product(E.TaskStatus, dues):
        tid = T.add_task(empty_db, mid, description=f"{status.value} {due}", due_date=due, status=status.value)
        expected[tid] = R.task_overdue(status, due, TODAY)
    with empty_db.reader() as s:
        late = set(s.scalars(select(FollowUpTask.id).where(SR.task_overdue_clause(TODAY))))
        count = s.scalar(select(func.count()).select_from(FollowUpTask).where(SR.task_overdue_clause(TODAY)))
    assert late == {tid for tid, is_late in expected.items() if is_late}
    assert count == 2  # à faire and en cours due yesterday; not today, not tomorrow, not without a date
    # and every reader of the rule says the same
    assert {t.id for t in T.list_tasks(empty_db, mid, today=TODAY) if t.overdue} == late
    board = Dash.dashboard(empty_db, 2025, today=TODAY, tasks_limit=100)
    assert board.overdue_tasks_total == len(late) and {t.id for t in board.overdue_tasks} == late


# --------------------------------------------------------------------------- overdue at the boundary, end to end


def test_a_task_due_today_is_not_overdue_anywhere(empty_db):
    world = build_world(empty_db)
    first = M.create_meeting(empty_db, world.gt_id, dt.date(2025, 2, 1))
    second = M.create_meeting(empty_db, world.gt_id, TODAY)
    tid = T.add_task(empty_db, first, description="Envoyer le bilan", due_date=TODAY,
                     owner_person_id=world.persons["asso"])

    def seen_late(today):
        row = next(t for t in T.list_tasks(empty_db, first, today=today) if t.id == tid)
        review = [t.overdue for t in T.open_tasks_before(empty_db, second, today=today) if t.id == tid]
        board = Dash.dashboard(empty_db, 2025, today=today)
        filtered = [m.id for m in M.list_meetings(empty_db, overdue_tasks_on=today)]
        copil = [t.overdue for t in reporting.copil_data(empty_db, 2025, today=today).tasks]
        return (row.overdue, review, board.overdue_tasks_total, filtered, copil)

    assert seen_late(TODAY) == (False, [False], 0, [], [False])
    assert seen_late(TODAY + dt.timedelta(days=1)) == (True, [True], 1, [first], [True])
    T.update_task(empty_db, tid, {"status": "fait"}, expected_version=1, today=TODAY + dt.timedelta(days=1))
    assert seen_late(TODAY + dt.timedelta(days=1)) == (False, [], 0, [], [])


# --------------------------------------------------------------------------- quorum exactly reached


def _all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture
def quorum_meeting(sqlite_db):
    """A GT (quorum 4) where exactly 4 invitees count: 2 présents, 1 à distance, 1 représenté."""
    world = build_world(sqlite_db, quorum=4)
    mid = M.create_meeting(sqlite_db, world.gt_id, GT_DAY)
    rows = {r.person_id: r for r in M.list_attendance(sqlite_db, mid)}
    p = world.persons
    statuses = {"referente": ("present", None), "ccas": ("present", None), "asso": ("distance", None),
                "bailleur": ("represente", p["futur"]), "caf": ("excuse", None), "etat": ("absent", None)}
    for key, (status, rep) in statuses.items():
        M.set_attendance(sqlite_db, rows[p[key]].id, status, rep, expected_version=rows[p[key]].version)
    return sqlite_db, world, mid, rows


def test_quorum_exactly_reached_in_the_service_and_the_minutes(quorum_meeting, tmp_path):
    db, world, mid, rows = quorum_meeting
    summary = M.attendance_summary(db, mid)
    assert summary.attended == 4 and summary.quorum == 4 and summary.quorum_reached is True
    assert summary.quorum_text == "Quorum (4) atteint : 4 participants."
    path = M.write_meeting_document(db, mid, "minutes", tmp_path / "cr.docx", today=GT_DAY)
    text = _all_text(Document(str(path)))
    assert f"4 participants sur {summary.invited} invités – quorum (4) atteint" in text
    assert "non atteint" not in text
    # one fewer: not reached, everywhere
    ccas = rows[world.persons["ccas"]]
    M.set_attendance(db, ccas.id, "excuse", expected_version=ccas.version + 1)
    summary = M.attendance_summary(db, mid)
    assert summary.attended == 3 and summary.quorum_reached is False
    path = M.write_meeting_document(db, mid, "minutes", tmp_path / "cr2.docx", today=GT_DAY)
    assert "quorum (4) non atteint" in _all_text(Document(str(path)))


def test_quorum_exactly_reached_on_screen(quorum_meeting, qtbot, messages):
    from qpv_desk.gui.context import AppContext
    from qpv_desk.gui.dialogs.meeting_editor import MeetingEditor

    db, world, mid, rows = quorum_meeting
    ctx = AppContext()
    ctx.set_database(db)
    editor = MeetingEditor(ctx, mid)
    qtbot.addWidget(editor)
    label = editor.attendance.quorum.text()
    assert label == "Quorum (4) atteint : 4 participants."
    assert "1b5e20" in editor.attendance.quorum.styleSheet()  # green, not the red of « non atteint »
