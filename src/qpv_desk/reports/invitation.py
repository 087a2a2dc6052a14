"""Meeting invitations as iCalendar (RFC 5545) bytes: plain data in, ``.ics`` content out.

The event is written in the Europe/Paris zone with its VTIMEZONE, so Outlook and
Thunderbird place it at the right hour whatever the reader's zone. Sending the same
meeting again keeps its ``UID`` and raises its ``SEQUENCE``: the calendar updates
the event instead of adding a second one; ``METHOD:CANCEL`` (status CANCELLED)
withdraws it. No Qt, no session: :mod:`qpv_desk.services.invitations` gathers the data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

from .sanitize import xml_text

ZONE = "Europe/Paris"
PRODID = "-//QPV Desk//Invitations//FR"
DEFAULT_DURATION = dt.timedelta(hours=2)


@dataclass(frozen=True)
class Address:
    name: str
    email: str


@dataclass(frozen=True)
class InvitationData:
    uid: str
    sequence: int
    cancelled: bool
    summary: str
    location: str
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    description: str
    organiser: Address | None
    attendees: tuple[Address, ...]
    stamp: dt.datetime  # when written (aware, UTC)


def event_times(data: InvitationData) -> tuple[dt.datetime | dt.date, dt.datetime | dt.date]:
    """Start and end: timed in Europe/Paris, or a whole day when the meeting has no start time."""
    if data.start_time is None:
        return data.date, data.date + dt.timedelta(days=1)
    zone = ZoneInfo(ZONE)
    start = dt.datetime.combine(data.date, data.start_time, tzinfo=zone)
    if data.end_time is not None and data.end_time > data.start_time:
        end = dt.datetime.combine(data.date, data.end_time, tzinfo=zone)
    else:
        end = start + DEFAULT_DURATION
    return start, end


def _address(a: Address, *, attendee: bool):
    value = vCalAddress(f"mailto:{a.email}")
    if a.name:
        value.params["CN"] = xml_text(a.name)
    if attendee:
        value.params["ROLE"] = "REQ-PARTICIPANT"
        value.params["PARTSTAT"] = "NEEDS-ACTION"
        value.params["RSVP"] = "TRUE"
    return value


def invitation_ics(data: InvitationData) -> bytes:
    """The ``.ics`` file of one meeting (METHOD:REQUEST, or METHOD:CANCEL when cancelled)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if data.cancelled else "REQUEST")
    event = Event()
    event.add("uid", data.uid)
    event.add("sequence", data.sequence)
    event.add("dtstamp", data.stamp)
    start, end = event_times(data)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", xml_text(data.summary))
    if data.location:
        event.add("location", xml_text(data.location))
    if data.description:
        event.add("description", xml_text(data.description))
    event.add("status", "CANCELLED" if data.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if data.organiser is not None and data.organiser.email:
        event.add("organizer", _address(data.organiser, attendee=False))
    for a in data.attendees:
        event.add("attendee", _address(a, attendee=True), encode=0)
    cal.add_component(event)
    # VTIMEZONE of Europe/Paris around the meeting (a short span keeps the file small)
    cal.add_missing_timezones(first_date=dt.date(data.date.year - 1, 1, 1), last_date=dt.date(data.date.year + 2, 1, 1))
    return cal.to_ical()
