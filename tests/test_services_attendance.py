"""The attendance rule (services/attendance.py) on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from meetings_data import build_world
from qpv_desk.services import attendance as A
from qpv_desk.services import meetings as M


@pytest.fixture
def world(empty_db):
    return build_world(empty_db)


def _meeting(db, world, day, statuses, *, held=True, body=None):
    """A GT meeting on ``day``; ``statuses``: person key → status (the others « non renseigné »)."""
    mid = M.create_meeting(db, body or world.gt_id, day)
    rows = {r.person_id: r for r in M.list_attendance(db, mid)}
    for key, status in statuses.items():
        row = rows[world.persons[key]]
        representative = world.persons["futur"] if status == "represente" else None
        M.set_attendance(db, row.id, status, representative, expected_version=row.version)
    if held:
        M.update_meeting(db, mid, {"status": "tenue"}, expected_version=M.get_meeting(db, mid).version)
    return mid


def test_rates_streaks_and_period(empty_db, world):
    db = empty_db
    _meeting(db, world, dt.date(2025, 1, 14), {"caf": "present", "asso": "excuse", "bailleur": "represente"})
    _meeting(db, world, dt.date(2025, 3, 11), {"caf": "distance", "asso": "absent", "bailleur": "present"})
    _meeting(db, world, dt.date(2025, 5, 20), {"caf": "excuse", "asso": "absent", "bailleur": "present"})
    _meeting(db, world, dt.date(2025, 6, 24), {"caf": "present"}, held=False)  # only planned: not counted

    report = A.attendance_report(db, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31), missed=3)
    assert report.meetings == 3
    people = {line.id: line for line in report.persons}
    caf = people[world.persons["caf"]]
    assert (caf.counts.invited, caf.counts.present, caf.counts.distance, caf.counts.excused) == (3, 1, 1, 1)
    assert caf.counts.attended == 2 and caf.counts.rate == pytest.approx(2 / 3)
    assert caf.missed_in_a_row == 1 and not caf.flagged and caf.last_attended == dt.date(2025, 3, 11)
    asso = people[world.persons["asso"]]
    assert (asso.counts.excused, asso.counts.absent, asso.counts.rate) == (1, 2, 0.0)
    assert asso.missed_in_a_row == 3 and asso.flagged and asso.last_attended is None
    bailleur = people[world.persons["bailleur"]]
    assert bailleur.counts.represented == 1 and bailleur.counts.rate == 1.0
    orgs = {line.id: line for line in report.organisations}
    assert orgs[world.orgs["asso"]].flagged and not orgs[world.orgs["caf"]].flagged
    assert [line.name for line in report.persons] == sorted((line.name for line in report.persons),
                                                           key=lambda n: n.split()[-1])

    # a shorter period and a smaller N
    spring = A.attendance_report(db, start=dt.date(2025, 3, 1), end=dt.date(2025, 5, 31), missed=1)
    assert spring.meetings == 2
    caf = {line.id: line for line in spring.persons}[world.persons["caf"]]
    assert caf.counts.invited == 2 and caf.flagged  # missed the last one, N = 1
    # another body: nothing held
    assert A.attendance_report(db, body_id=world.copil_id).meetings == 0


def test_the_workbook_counts_attendance_as_the_presences_screen(sample_db):
    """One rule, one set of figures: per organisation and body, the COPIL workbook's sheet and
    Partenaires › Présences agree for the same year."""
    import datetime as dt

    from qpv_desk.services import partners as P
    from qpv_desk.services.attendance import attendance_report
    from qpv_desk.services.reporting import copil_data

    year = 2025
    sheet = copil_data(sample_db, year).attendance
    compared = 0
    for body in P.list_bodies(sample_db):
        report = attendance_report(sample_db, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), body_id=body.id)
        screen = {line.name: (line.counts.invited, line.counts.attended, line.counts.excused, line.counts.absent)
                  for line in report.organisations}
        rows = {r.organisation: (r.invited, r.attended, r.excused, r.absent) for r in sheet if r.body == body.name}
        for name, figures in rows.items():
            if name in screen:
                assert figures == screen[name], (body.name, name)
                compared += 1
    assert compared >= 10
