"""The shared rules in SQL, each beside its Python twin (``domain/rules.py``).

A screen that filters in SQL (the dashboard, the meeting list's « suites en retard ») and
a screen or document that decides in Python must never disagree: each SQL clause here is
built from the same constants as its Python predicate, and ``tests/test_rules.py`` runs
both over the same boundary cases on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_

from ..domain.rules import OPEN_TASK_STATUSES, quorum_reached, quorum_state, review_overdue, task_overdue
from ..store import tables as T

OPEN_TASK_CODES = tuple(s.value for s in OPEN_TASK_STATUSES)


def task_overdue_clause(today: dt.date, *, status=T.follow_up_task.c.status, due=T.follow_up_task.c.due_date):
    """SQL twin of :func:`task_overdue`: open and due before ``today`` (NULL due: never)."""
    return and_(status.in_(OPEN_TASK_CODES), due.is_not(None), due < today)


__all__ = ["OPEN_TASK_CODES", "task_overdue", "task_overdue_clause", "review_overdue", "quorum_reached",
           "quorum_state"]
