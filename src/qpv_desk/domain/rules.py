"""The rules the screens, the dashboard and the documents share, each defined once.

Plain Python (no SQL): the services' SQL filters that must agree with one of these rules
sit beside their Python twin in ``services/rules.py``, and a test runs both over the same
cases on SQLite and PostgreSQL.

- **Quorum**: reached when the number of participants (présent, à distance, représenté)
  is *at least* the body's quorum — exactly the quorum is enough. No quorum set: no rule.
- **Overdue task**: still open (à faire, en cours) and due *before* today — a task due
  today is not late yet; a task without a due date is never late.
- **Overdue bilan**: an action funded or carried out whose bilan is due *before* today
  and not received.
- **Held meeting**: « tenue » or « compte rendu validé » (:data:`HELD`): the meetings that
  count for attendance, the register and the snapshots.
"""

from __future__ import annotations

import calendar
import datetime as dt

from .enums import ActionStatus, MeetingStatus, StatusGroup, TaskStatus

FUNDED_GROUPS = frozenset({StatusGroup.FINANCEE, StatusGroup.REALISEE})

OPEN_TASK_STATUSES = tuple(s for s in TaskStatus if s.is_open)

HELD = (MeetingStatus.TENUE.value, MeetingStatus.CR_VALIDE.value)  # stored values of a held meeting


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (earlier if negative), the month's last day when it
    has fewer days: 31/08 + 6 months = 28/02 (29/02 in a leap year)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


REVIEW_DELAY_MONTHS = 6  # an action's bilan is due six months after its end, unless she sets another date


def default_review_due(end: dt.date | None) -> dt.date | None:
    """When an action's bilan is due when nobody said: six months after its end (none without an end)."""
    return add_months(end, REVIEW_DELAY_MONTHS) if end is not None else None


def quorum_reached(attended: int, quorum: int | None) -> bool | None:
    """``None`` when the body has no quorum, else whether ``attended`` reaches it."""
    if quorum is None:
        return None
    return attended >= quorum


def quorum_state(attended: int, quorum: int | None) -> str | None:
    """« atteint » / « non atteint » (``None`` without a quorum): the same word on screen and on paper."""
    reached = quorum_reached(attended, quorum)
    if reached is None:
        return None
    return "atteint" if reached else "non atteint"


def task_overdue(status: TaskStatus | str, due: dt.date | None, today: dt.date) -> bool:
    """An open task whose due date is before ``today``."""
    return TaskStatus(status) in OPEN_TASK_STATUSES and due is not None and due < today


def review_overdue(status: ActionStatus | str, due: dt.date | None, received: dt.date | None,
                   today: dt.date) -> bool:
    """A funded or carried-out action whose bilan, due before ``today``, has not come."""
    return (ActionStatus(status).group in FUNDED_GROUPS and due is not None and received is None
            and due < today)


__all__ = ["FUNDED_GROUPS", "HELD", "OPEN_TASK_STATUSES", "add_months", "quorum_reached", "quorum_state", "task_overdue", "review_overdue"]
