"""Backup rotation at its boundaries (pure): ISO weeks across a New Year, the clock's tolerance."""

from __future__ import annotations

import datetime as dt

from qpv_desk.store import backup as B


# --------------------------------------------------------------------------- weekly backups across New Year


def test_weekly_rotation_uses_the_iso_year_across_new_year():
    """28 Dec 2026 – 3 Jan 2027 is one ISO week (2026-W53): its newest backup is kept,
    whichever calendar year it falls in."""
    dec28, jan1 = dt.datetime(2026, 12, 28, 10), dt.datetime(2027, 1, 1, 10)
    dec21 = dt.datetime(2026, 12, 21, 10)  # 2026-W52
    whens = [dec21, dec28, jan1]
    # now = Saturday 2 January 2027, still in 2026-W53
    kept = B.backups_to_keep(whens, dt.datetime(2027, 1, 2, 12), days=1, weeks=2, months=0, recent=0)
    assert kept == {2, 0}  # 1 January (newest of W53) and 21 December (W52), not 28 December
    # now = Monday 4 January 2027 (2027-W01): W53 of 2026 is the previous week
    kept = B.backups_to_keep(whens, dt.datetime(2027, 1, 4, 12), days=1, weeks=2, months=0, recent=0)
    assert kept == {2}


def test_a_backup_dated_at_most_five_minutes_ahead_is_placed_normally():
    """Up to 5 minutes ahead (clocks of two PCs), a backup is placed in its day like any other;
    beyond, it is kept untouched (from the future: the clock was changed)."""
    now = dt.datetime(2026, 6, 15, 12)
    only_days = dict(days=1, weeks=0, months=0, recent=0)

    def keep(*minutes_ahead):
        return B.backups_to_keep([now + dt.timedelta(minutes=m) for m in minutes_ahead], now, **only_days)

    assert keep(5, 1) == {0}  # 5 minutes ahead: the newest of the day, the other one goes
    assert keep(5.5, 1) == {0, 1}  # beyond: kept aside, and the newest of the day is kept too
    assert keep(10, 1, 0.5) == {0, 1}  # the walk goes on after a future-dated one
    assert keep(1, 0.5) == {0}
