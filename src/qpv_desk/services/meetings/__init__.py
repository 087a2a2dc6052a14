"""Meetings of the bodies: sittings, invitees and attendance, agenda, decisions.

One module per noun, one function per user action, each its own unit of work, plain
frozen dataclasses out:

- :mod:`.sittings` — the meetings themselves (list, read, create inviting the seats,
  change, delete);
- :mod:`.attendance` — who is invited, who came, the quorum;
- :mod:`.agenda` — the agenda items and their order;
- :mod:`.decisions` — decisions and avis (an avis is written in the action's history);
- :mod:`.choices` — the choosers of the meeting screens.

This package re-exports their public API: callers write ``from qpv_desk.services import
meetings as M`` then ``M.create_meeting(...)``. Follow-up tasks live in
:mod:`qpv_desk.services.tasks`; the data of the three Word documents is gathered by
:mod:`qpv_desk.services.meeting_documents` (re-exported here too); attendance across
meetings (per organisation, per person) is :mod:`qpv_desk.services.attendance`.
"""

from __future__ import annotations

# The documents' data: plain dataclasses defined beside the writers.
from ...reports.meeting_data import DocAgendaItem, DocAttendee, DocDecision, DocTask, MeetingDocument
from ..meeting_documents import DOCUMENT_KINDS, meeting_document, minutes_status_changed, write_meeting_document
from .agenda import (
    AgendaItemRow,
    add_agenda_item,
    delete_agenda_item,
    list_agenda,
    move_agenda_item,
    move_agenda_item_to,
    update_agenda_item,
)
from .attendance import (
    ATTENDED,
    AttendanceRow,
    AttendanceSummary,
    add_guest,
    attendance_summary,
    list_attendance,
    remove_invitee,
    set_all_present,
    set_attendance,
)
from .choices import Choice, actions, bodies, objectives, organisations, persons
from .decisions import AVIS_REPLACES, DecisionRow, add_decision, delete_decision, list_decisions, update_decision
from .sittings import (
    MeetingDetail,
    MeetingRow,
    create_meeting,
    delete_meeting,
    get_meeting,
    list_meetings,
    meeting_years,
    update_meeting,
)

__all__ = [
    # sittings
    "MeetingRow", "MeetingDetail", "meeting_years", "list_meetings", "get_meeting", "create_meeting",
    "update_meeting", "delete_meeting",
    # attendance
    "ATTENDED", "AttendanceRow", "AttendanceSummary", "list_attendance", "add_guest", "remove_invitee",
    "set_attendance", "set_all_present", "attendance_summary",
    # agenda
    "AgendaItemRow", "list_agenda", "add_agenda_item", "update_agenda_item", "delete_agenda_item",
    "move_agenda_item_to", "move_agenda_item",
    # decisions
    "AVIS_REPLACES", "DecisionRow", "list_decisions", "add_decision", "update_decision", "delete_decision",
    # choosers
    "Choice", "bodies", "persons", "organisations", "objectives", "actions",
    # documents
    "DocAgendaItem", "DocAttendee", "DocDecision", "DocTask", "MeetingDocument",
    "DOCUMENT_KINDS", "meeting_document", "minutes_status_changed", "write_meeting_document",
]
