"""What a write changed, for the screens that show it: :class:`Change`, derived from the tables written.

Every unit of work that writes tells the open ``Database``'s write listeners which tables
it touched; :func:`watch_changes` turns those into ``Change`` members. Nothing has to be
declared by hand after a write, so no page can be left stale by a forgotten notification.
Light on purpose (no SQLAlchemy): the GUI imports it on its start-up path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum


class Change(StrEnum):
    """An area of the data that changed (the value is the historical notification string)."""

    PARTNERS = "partners"  # organisations, contacts, body membership
    OBJECTIVES = "objectives"  # the objectives tree
    MEETINGS = "meetings"  # meetings, agenda, attendance, decisions, follow-up tasks
    ACTIONS = "actions"  # programme: actions, funding, status, indicators, funders
    REFERENTIAL = "referential"  # contract, levels, quartiers, statistics, bodies
    SETTINGS = "settings"  # the base's settings (retention, funder share cap…)
    ALL = "all"  # anything (a restored backup, a write that could not be told apart)


TABLE_CHANGES: dict[str, Change | None] = {
    "contract": Change.REFERENTIAL,
    "objective_level": Change.REFERENTIAL,
    "quartier": Change.REFERENTIAL,
    "statistic": Change.REFERENTIAL,
    "body": Change.REFERENTIAL,
    "objective": Change.OBJECTIVES,
    "organisation": Change.PARTNERS,
    "person": Change.PARTNERS,
    "membership": Change.PARTNERS,
    "meeting": Change.MEETINGS,
    "agenda_item": Change.MEETINGS,
    "attendance": Change.MEETINGS,
    "decision": Change.MEETINGS,
    "follow_up_task": Change.MEETINGS,
    "funder": Change.ACTIONS,
    "programme_year": Change.ACTIONS,
    "action": Change.ACTIONS,
    "action_objective": Change.ACTIONS,
    "funding_line": Change.ACTIONS,
    "action_status_change": Change.ACTIONS,
    "indicator": Change.ACTIONS,
    "setting": Change.SETTINGS,
    "meeting_invitation": Change.MEETINGS,
    "programme_snapshot": Change.ACTIONS,
    "citizen_avis": Change.SETTINGS,
    "council_draw": Change.PARTNERS,
    "referent_quartier": Change.SETTINGS,
    "meeting_record": Change.MEETINGS,
    "letterhead": Change.SETTINGS,
    "imported_value": None,  # what the last referential import wrote: rides along with that import
    "change_log": None,  # the history rides along with the write it records
}


def changes_for(tables: Iterable[str]) -> list[Change]:
    """The changes a unit of work that wrote ``tables`` made, in declaration order.

    A table this map does not know (a new one, or ``"*"`` for a bulk statement) means
    :attr:`Change.ALL`: better a page refreshed for nothing than a stale one.
    """
    found: set[Change] = set()
    for table in tables:
        if table not in TABLE_CHANGES:
            return [Change.ALL]
        change = TABLE_CHANGES[table]
        if change is not None:
            found.add(change)
    return [c for c in Change if c in found]


def watch_changes(db, callback: Callable[[list[Change]], None]) -> Callable[[], None]:
    """Call ``callback(changes)`` after each unit of work on ``db`` that wrote (in the writing
    thread). Returns the function that stops watching."""

    def listener(tables) -> None:
        changes = changes_for(tables)
        if changes:
            callback(changes)

    db.write_listeners.append(listener)

    def stop() -> None:
        if listener in db.write_listeners:
            db.write_listeners.remove(listener)

    return stop
