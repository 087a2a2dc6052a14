"""Choosers of the programme screens: the meetings a status change cites. (The objective
tree the pickers show is :func:`..contract.objective_choices`, re-exported by the package.)"""

from __future__ import annotations

from sqlalchemy import select

from ...store.db import Database
from ...store.models import Body, Meeting
from .data import MeetingChoice


def meeting_choices(db: Database, *, limit: int = 200) -> list[MeetingChoice]:
    """Recent meetings (newest first) that a status change can cite."""
    stmt = (select(Meeting.id, Meeting.date, Body.name, Meeting.title).join(Body, Body.id == Meeting.body_id)
            .order_by(Meeting.date.desc(), Meeting.id.desc()).limit(limit))
    with db.reader() as s:
        return [MeetingChoice(*r) for r in s.execute(stmt)]
