"""Minutes of a large meeting: the cost must grow linearly with the number of rows.

A meeting with 120 invitees, 20 agenda items (one decision each) and 60 tasks, then
the same with 1 200 invitees. Both are measured end to end from the database
(``meeting_document`` + the Word writer) on a temporary SQLite base. python-docx's
``table.cell(r, c)`` in a loop would make this quadratic; ``add_row().cells`` keeps
it linear: the ratio of the two times should stay near 10 (target ≤ 15; it is lower
in practice because the agenda and tasks do not grow).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from common import ROOT, result, timed

sys.path.insert(0, str(ROOT / "src"))

AGENDA_ITEMS = 20
TASKS = 60


def _meeting(folder: Path, invitees: int) -> tuple:
    from sqlalchemy import select

    from qpv_desk.services import meetings as M
    from qpv_desk.services.referential import import_referential, read_referential
    from qpv_desk.store.db import open_database
    from qpv_desk.store.models import Body, Membership, Organisation, Person

    db = open_database(folder / f"bench-{invitees}.sqlite", create=True)
    import_referential(db, read_referential(ROOT / "resources" / "referentials" / "verquin-3-ilots.toml"))
    with db.session() as s:
        gt = s.execute(select(Body).where(Body.code == "GT")).scalar_one()
        orgs = [Organisation(name=f"Structure partenaire {n:03d}", kind="association") for n in range(max(1, invitees // 10))]
        s.add_all(orgs)
        s.flush()
        persons = [Person(first_name=f"Prénom{n:05d}", last_name=f"Nom{n:05d}", function="Chargé(e) de mission",
                          organisation_id=orgs[n % len(orgs)].id) for n in range(invitees)]
        s.add_all(persons)
        s.flush()
        s.add_all(Membership(body_id=gt.id, person_id=p.id, organisation_id=p.organisation_id) for p in persons)
        gt_id = gt.id
    mid = M.create_meeting(db, gt_id, dt.date(2025, 1, 14), start_time="14:00", end_time="17:00", place="Mairie")
    from qpv_desk.store.models import AgendaItem, Attendance, Decision, FollowUpTask

    statuses = ("present", "present", "present", "distance", "excuse", "absent")
    with db.session() as s:
        for n, att in enumerate(s.execute(select(Attendance).where(Attendance.meeting_id == mid)).scalars()):
            att.status = statuses[n % len(statuses)]
        items = [AgendaItem(meeting_id=mid, position=n, title=f"Point {n + 1} de l'ordre du jour",
                            discussion="Échanges nourris sur ce point.\n" * 3) for n in range(AGENDA_ITEMS)]
        s.add_all(items)
        s.flush()
        s.add_all(Decision(meeting_id=mid, agenda_item_id=i.id, position=n, kind="decision",
                           text=f"Décision sur le point {n + 1}.") for n, i in enumerate(items))
        s.add_all(FollowUpTask(meeting_id=mid, description=f"Tâche de suivi n° {n + 1}", owner_person_id=persons[n].id,
                               due_date=dt.date(2025, 3, 1)) for n in range(TASKS))
    return db, mid


def _minutes(db, mid, folder: Path) -> None:
    from qpv_desk.services.meetings import write_meeting_document

    write_meeting_document(db, mid, "minutes", folder / "cr.docx")


def bench_minutes(quick: bool) -> list[dict]:
    folder = Path(tempfile.mkdtemp(prefix="qpv-bench-minutes-"))
    repeat = 1 if quick else 3
    times = {}
    for invitees in (120, 1200):
        db, mid = _meeting(folder, invitees)
        try:
            _minutes(db, mid, folder)  # warm-up (imports, template)
            times[invitees] = timed(_minutes, db, mid, folder, repeat=repeat)
        finally:
            db.close()
    return [
        result("minutes_120_invites", times[120], "s"),
        result("minutes_1200_invites", times[1200], "s", baseline=times[120], target=15),
    ]


BENCHMARKS = {"minutes": bench_minutes}
