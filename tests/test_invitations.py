"""Calendar invitations (.ics) of a meeting: read back with icalendar, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from meetings_data import GT_DAY, build_world
from sqlalchemy import update

from qpv_desk.services import meetings as M
from qpv_desk.services.invitations import export_invitation
from qpv_desk.services.sending import sending_settings, update_sending_settings
from qpv_desk.domain.errors import ValidationError


def _event(content: bytes):
    cal = icalendar.Calendar.from_ical(content)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1
    return cal, events[0]


@pytest.fixture
def gt_meeting(empty_db):
    world = build_world(empty_db)
    from qpv_desk.store.models import Person

    with empty_db.session() as s:  # one invitee without e-mail
        s.execute(update(Person).where(Person.id == world.persons["caf"]).values(email=None))
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY, start_time="14:00", end_time="16:30",
                           place="Mairie de Verquin, salle du conseil")
    M.add_agenda_item(empty_db, mid, "Avis sur les demandes 2025", duration_min=45)
    update_sending_settings(empty_db, {"organiser_name": "Claire Martin", "organiser_email": "claire.martin@verquin.fr"})
    return world, mid


def test_invitation_agenda_names_the_presenter_with_civility(empty_db, gt_meeting, tmp_path):
    world, mid = gt_meeting
    M.add_agenda_item(empty_db, mid, "Bilan du projet", presenter_id=world.persons["asso"], duration_min=20)
    export_invitation(empty_db, mid, tmp_path / "gt.ics")
    _cal, ev = _event((tmp_path / "gt.ics").read_bytes())
    assert "2. Bilan du projet (présenté par Mme Nadia Benali, 20 min)" in str(ev["DESCRIPTION"])


def test_invitation_carries_the_meeting_and_reexport_updates_it(empty_db, gt_meeting, tmp_path):
    world, mid = gt_meeting
    first = export_invitation(empty_db, mid, tmp_path / "gt.ics")
    cal, ev = _event((tmp_path / "gt.ics").read_bytes())
    assert str(cal["METHOD"]) == "REQUEST"
    assert ev["SEQUENCE"] == 0
    start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
    assert (start.replace(tzinfo=None), end.replace(tzinfo=None)) == (dt.datetime(2025, 1, 14, 14, 0),
                                                                      dt.datetime(2025, 1, 14, 16, 30))
    assert ev["DTSTART"].params["TZID"] == "Europe/Paris"
    assert start.utcoffset() == dt.timedelta(hours=1)  # CET in January
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(ev["LOCATION"]) == "Mairie de Verquin, salle du conseil"
    assert "1. Avis sur les demandes 2025 (45 min)" in str(ev["DESCRIPTION"])
    assert str(ev["ORGANIZER"]) == "mailto:claire.martin@verquin.fr"
    assert ev["ORGANIZER"].params["CN"] == "Claire Martin"
    attendees = {str(a).removeprefix("mailto:") for a in ev["ATTENDEE"]}
    assert "durand@example.org" in attendees and "petit@example.org" not in attendees
    assert first.without_email == ("Sophie Petit (CAF du Pas-de-Calais)",)

    # unchanged: same UID, same SEQUENCE; written into a folder under its usual name
    again = export_invitation(empty_db, mid, folder=tmp_path)
    assert (again.uid, again.sequence) == (first.uid, 0)
    assert again.path == tmp_path / again.filename and again.filename.endswith(".ics")
    assert again.path.read_bytes() == again.content

    # the time changes: same UID, SEQUENCE + 1
    detail = M.get_meeting(empty_db, mid)
    M.update_meeting(empty_db, mid, {"start_time": "15:00", "end_time": "17:00"}, expected_version=detail.version)
    changed = export_invitation(empty_db, mid, tmp_path / "gt2.ics")
    _cal, ev2 = _event((tmp_path / "gt2.ics").read_bytes())
    assert str(ev2["UID"]) == str(ev["UID"]) == first.uid
    assert ev2["SEQUENCE"] == 1 and (changed.uid, changed.sequence) == (first.uid, 1)
    assert ev2.decoded("DTSTART").hour == 15

    # cancelled: METHOD:CANCEL, same UID, SEQUENCE + 1
    detail = M.get_meeting(empty_db, mid)
    M.update_meeting(empty_db, mid, {"status": "annulee"}, expected_version=detail.version)
    cancel = export_invitation(empty_db, mid)
    cal3, ev3 = _event(cancel.content)
    assert str(cal3["METHOD"]) == "CANCEL" and str(ev3["STATUS"]) == "CANCELLED"
    assert (str(ev3["UID"]), ev3["SEQUENCE"]) == (first.uid, 2)


def test_each_meeting_has_its_own_uid_and_settings_are_checked(empty_db, gt_meeting):
    world, mid = gt_meeting
    other = M.create_meeting(empty_db, world.gt_id, dt.date(2025, 3, 4))  # no time: a whole day
    a, b = export_invitation(empty_db, mid), export_invitation(empty_db, other)
    assert a.uid != b.uid
    _cal, ev = _event(b.content)
    assert ev.decoded("DTSTART") == dt.date(2025, 3, 4)
    with pytest.raises(ValidationError) as err:
        update_sending_settings(empty_db, {"organiser_email": "pas une adresse", "dgs_recipients": "dgs@verquin.fr, x@"})
    assert set(err.value.errors) == {"organiser_email", "dgs_recipients"}
    update_sending_settings(empty_db, {"dgs_recipients": "dgs@verquin.fr; maire@verquin.fr"})
    assert sending_settings(empty_db).dgs_recipients == ("dgs@verquin.fr", "maire@verquin.fr")
