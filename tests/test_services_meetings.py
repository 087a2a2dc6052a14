"""Meetings services on SQLite and PostgreSQL: invitees, attendance, agenda, decisions, tasks."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from sqlalchemy import event, func, select

from meetings_data import GT_DAY, build_world
from qpv_desk.domain import enums as E
from qpv_desk.domain.errors import NotFoundError, ValidationError
from qpv_desk.services import meetings as M
from qpv_desk.services import tasks as T
from qpv_desk.store.models import Action, ActionStatusChange, Attendance, ChangeLog, Meeting


@contextlib.contextmanager
def count_statements(db):
    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


@pytest.fixture
def world(empty_db):
    return build_world(empty_db)


def _by_person(db, meeting_id):
    return {row.person_id: row for row in M.list_attendance(db, meeting_id)}


# --------------------------------------------------------------------------- creation


def test_create_invites_active_seats_with_frozen_organisation(empty_db, world):
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY, start_time="14:00", end_time="16:30", place="Mairie")
    rows = _by_person(empty_db, mid)
    p = world.persons
    assert set(rows) == {p["referente"], p["ccas"], p["asso"], p["bailleur"], p["caf"], p["etat"]}
    assert p["ancien"] not in rows and p["futur"] not in rows  # seat ended / not started on that day
    assert rows[p["etat"]].organisation == "Préfecture du Pas-de-Calais"  # from the person
    assert rows[p["ccas"]].organisation_id == world.orgs["ccas"]  # from the seat
    assert all(r.status is E.AttendanceStatus.INVITE and not r.guest for r in rows.values())
    detail = M.get_meeting(empty_db, mid)
    assert detail.title == "Groupe technique"
    assert detail.secretary_id == p["referente"]  # the seat « secrétariat »
    assert detail.status is E.MeetingStatus.PREVUE
    assert detail.start_time == dt.time(14, 0) and detail.end_time == dt.time(16, 30)
    # a meeting in July 2025 invites the newcomer
    later = M.create_meeting(empty_db, world.gt_id, dt.date(2025, 7, 1))
    assert p["futur"] in _by_person(empty_db, later)
    # organisation frozen: moving the person later does not change the meeting
    from qpv_desk.store.models import Person

    with empty_db.session() as s:
        s.get(Person, p["etat"]).organisation_id = world.orgs["caf"]
    assert _by_person(empty_db, mid)[p["etat"]].organisation == "Préfecture du Pas-de-Calais"
    with empty_db.reader() as s:
        assert s.execute(select(func.count()).select_from(ChangeLog)
                         .where(ChangeLog.entity == "meeting", ChangeLog.entity_id == mid)).scalar() == 1


def test_list_meetings_counts_and_filters_in_one_query(empty_db, world):
    a = M.create_meeting(empty_db, world.gt_id, GT_DAY)
    b = M.create_meeting(empty_db, world.copil_id, dt.date(2025, 3, 1), title="COPIL de printemps")
    c = M.create_meeting(empty_db, world.gt_id, dt.date(2024, 11, 5))
    M.set_all_present(empty_db, a)
    M.update_meeting(empty_db, c, {"status": "tenue"}, expected_version=1)
    with count_statements(empty_db) as statements:
        rows = M.list_meetings(empty_db)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    assert [r.id for r in rows] == [b, a, c]  # most recent first
    first = next(r for r in rows if r.id == a)
    assert (first.attended, first.invited, first.body_code) == (6, 6, "GT")
    assert next(r for r in rows if r.id == b).invited == 0  # COPIL seats have no persons
    assert [r.id for r in M.list_meetings(empty_db, body_id=world.gt_id)] == [a, c]
    assert [r.id for r in M.list_meetings(empty_db, year=2024)] == [c]
    assert [r.id for r in M.list_meetings(empty_db, status="tenue")] == [c]
    assert [r.id for r in M.list_meetings(empty_db, status=E.MeetingStatus.PREVUE, year=2025)] == [b, a]
    assert M.meeting_years(empty_db) == [2025, 2024]


# --------------------------------------------------------------------------- information & bad input


def test_update_meeting_validates(empty_db, world):
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY, start_time="14:00")
    with pytest.raises(ValidationError) as err:
        M.update_meeting(empty_db, mid, {"end_time": "13:00"}, expected_version=1)
    assert err.value.field == "end_time" and "précède" in str(err.value)
    with pytest.raises(ValidationError):
        M.create_meeting(empty_db, world.gt_id, GT_DAY, start_time="15:00", end_time="14h")
    with pytest.raises(ValidationError) as err:
        M.update_meeting(empty_db, mid, {"status": "reportee"}, expected_version=1)
    assert "Statut" in str(err.value)
    with pytest.raises(ValidationError):
        M.update_meeting(empty_db, mid, {"date": "31/02/2025"}, expected_version=1)
    with pytest.raises(ValidationError):
        M.update_meeting(empty_db, mid, {"title": ""}, expected_version=1)
    with pytest.raises(ValidationError):
        M.update_meeting(empty_db, mid, {"title": "x" * 301}, expected_version=1)
    with pytest.raises(ValidationError):
        M.update_meeting(empty_db, mid, {"next_meeting_date": GT_DAY - dt.timedelta(days=1)}, expected_version=1)
    with pytest.raises(NotFoundError):
        M.update_meeting(empty_db, 9999, {"title": "Rien"}, expected_version=1)
    with pytest.raises(NotFoundError):
        M.create_meeting(empty_db, 9999, GT_DAY)
    with pytest.raises(NotFoundError):
        M.get_meeting(empty_db, "abc")
    with pytest.raises(NotFoundError):
        M.update_meeting(empty_db, mid, {"secretary_id": 424242}, expected_version=1)
    # nothing was written by the refused updates
    detail = M.get_meeting(empty_db, mid)
    assert detail.end_time is None and detail.status is E.MeetingStatus.PREVUE and detail.version == 1

    notes = "n" * 100_000
    with pytest.raises(ValidationError) as refused:  # control characters: refused, the field named
        M.update_meeting(empty_db, mid, {"title": "=cmd|' /C calc'!A0 \x00\x01\x1f\ufffe fin"},
                         expected_version=detail.version)
    assert refused.value.field == "title" and "contrôle" in str(refused.value)
    hostile = "=cmd|' /C calc'!A0  fin"
    version = M.update_meeting(empty_db, mid, {"notes": notes, "title": hostile, "place": "Salle\n« Émile Zola » 🙂",
                                               "status": "Tenue"}, expected_version=detail.version)
    assert version == detail.version + 1
    detail = M.get_meeting(empty_db, mid)
    assert len(detail.notes) == 100_000
    assert detail.title == "=cmd|' /C calc'!A0  fin"  # « = » kept as typed
    assert detail.place == "Salle « Émile Zola » 🙂"
    assert detail.status is E.MeetingStatus.TENUE
    from qpv_desk.domain.errors import ConflictError

    with pytest.raises(ConflictError):
        M.update_meeting(empty_db, mid, {"place": "Ailleurs"}, expected_version=1)


# --------------------------------------------------------------------------- attendance


def test_attendance_statuses_counts_and_quorum(empty_db, world):
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY)
    rows = _by_person(empty_db, mid)
    p = world.persons
    with pytest.raises(ValidationError) as err:
        M.set_attendance(empty_db, rows[p["bailleur"]].id, "represente", expected_version=1)
    assert err.value.field == "represented_by_id"
    with pytest.raises(ValidationError):
        M.set_attendance(empty_db, rows[p["bailleur"]].id, "represente", p["bailleur"], expected_version=1)
    with pytest.raises(ValidationError):
        M.set_attendance(empty_db, rows[p["bailleur"]].id, "peut-être", expected_version=1)
    with pytest.raises(NotFoundError):
        M.set_attendance(empty_db, 987654, "present", expected_version=1)
    M.set_attendance(empty_db, rows[p["bailleur"]].id, "represente", p["futur"], expected_version=1)
    M.set_attendance(empty_db, rows[p["caf"]].id, E.AttendanceStatus.EXCUSE, expected_version=1)
    M.set_attendance(empty_db, rows[p["ccas"]].id, "Absent(e)", expected_version=1)  # the French label works too
    summary = M.attendance_summary(empty_db, mid)
    assert summary.attended == 1 and summary.quorum == 4 and summary.quorum_reached is False

    changed = M.set_all_present(empty_db, mid)  # only those not yet recorded
    assert changed == 3
    rows = _by_person(empty_db, mid)
    assert rows[p["caf"]].status is E.AttendanceStatus.EXCUSE
    assert rows[p["bailleur"]].represented_by == "Mme Eva Future"
    M.set_attendance(empty_db, rows[p["etat"]].id, "distance", expected_version=rows[p["etat"]].version)
    guest = M.add_guest(empty_db, mid, p["suppleant"])
    with pytest.raises(ValidationError):
        M.add_guest(empty_db, mid, p["suppleant"])
    summary = M.attendance_summary(empty_db, mid)
    assert summary.invited == 7
    assert summary.by_status[E.AttendanceStatus.PRESENT] == 2
    assert summary.by_status[E.AttendanceStatus.DISTANCE] == 1
    assert summary.by_status[E.AttendanceStatus.REPRESENTE] == 1
    assert summary.by_status[E.AttendanceStatus.EXCUSE] == 1
    assert summary.by_status[E.AttendanceStatus.ABSENT] == 1
    assert summary.by_status[E.AttendanceStatus.INVITE] == 1  # the guest
    assert summary.attended == 4 and summary.quorum_reached is True
    assert "atteint" in summary.quorum_text
    orgs = {name: (invited, attended) for name, invited, attended in summary.by_organisation}
    assert orgs["CCAS de Verquin"] == (2, 0)
    assert orgs["Pas-de-Calais Habitat"] == (1, 1)
    assert orgs["CAF du Pas-de-Calais"] == (1, 0)
    # a guest can be removed again
    M.remove_invitee(empty_db, guest)
    assert M.attendance_summary(empty_db, mid).invited == 6
    assert M.set_all_present(empty_db, mid, overwrite=True) == 4
    summary = M.attendance_summary(empty_db, mid)
    assert summary.by_status[E.AttendanceStatus.PRESENT] == 6
    assert _by_person(empty_db, mid)[p["bailleur"]].represented_by_id is None


def test_no_quorum_when_body_has_none(empty_db):
    world = build_world(empty_db, quorum=None)
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY)
    summary = M.attendance_summary(empty_db, mid)
    assert summary.quorum is None and summary.quorum_reached is None
    assert "Pas de quorum" in summary.quorum_text


# --------------------------------------------------------------------------- agenda


def test_agenda_crud_and_reorder(empty_db, world):
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY)
    a = M.add_agenda_item(empty_db, mid, "Approbation du compte rendu", duration_min=10,
                          presenter_id=world.persons["referente"])
    b = M.add_agenda_item(empty_db, mid, "Programmation 2025", action_id=world.action_id)
    c = M.add_agenda_item(empty_db, mid, "Questions diverses")
    assert [i.id for i in M.list_agenda(empty_db, mid)] == [a, b, c]
    assert M.move_agenda_item(empty_db, c, -1) == 1
    assert [i.id for i in M.list_agenda(empty_db, mid)] == [a, c, b]
    assert M.move_agenda_item(empty_db, a, -1) == 0  # already first: stays
    assert M.move_agenda_item_to(empty_db, a, 99) == 2
    items = M.list_agenda(empty_db, mid)
    assert [i.id for i in items] == [c, b, a] and [i.position for i in items] == [0, 1, 2]
    assert items[1].action_label == "2025-01 – Atelier de remobilisation"
    assert items[2].presenter == "Mme Claire Martin"
    version = M.update_agenda_item(empty_db, b, {"discussion": "Long échange.\nDeuxième ligne.", "duration_min": "45"},
                                   expected_version=items[1].version)
    assert M.list_agenda(empty_db, mid)[1].discussion == "Long échange.\nDeuxième ligne."
    with pytest.raises(ValidationError):
        M.add_agenda_item(empty_db, mid, "   ")
    with pytest.raises(ValidationError):
        M.update_agenda_item(empty_db, b, {"duration_min": -5}, expected_version=version)
    with pytest.raises(NotFoundError):
        M.add_agenda_item(empty_db, mid, "Point", objective_id=123456)
    M.delete_agenda_item(empty_db, c)
    items = M.list_agenda(empty_db, mid)
    assert [i.id for i in items] == [b, a] and [i.position for i in items] == [0, 1]


# --------------------------------------------------------------------------- decisions and avis


def _history(db, action_id):
    with db.reader() as s:
        return [(r.status, r.date, r.meeting_id, r.decision_id) for r in s.execute(
            select(ActionStatusChange).where(ActionStatusChange.action_id == action_id)
            .order_by(ActionStatusChange.id)).scalars()]


def _status(db, action_id):
    with db.reader() as s:
        return s.get(Action, action_id).status


def test_avis_feeds_the_action_history(empty_db, world):
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY)
    item = M.add_agenda_item(empty_db, mid, "Demandes 2025", action_id=world.action_id)
    info = M.add_decision(empty_db, mid, "Le calendrier est présenté.", kind="information", agenda_item_id=item)
    with pytest.raises(ValidationError):
        M.add_decision(empty_db, mid, "Avis", kind="avis", opinion="favorable")  # no action
    with pytest.raises(ValidationError):
        M.add_decision(empty_db, mid, "Décision", kind="decision", opinion="favorable", action_id=world.action_id)
    with pytest.raises(ValidationError):
        M.add_decision(empty_db, mid, "", kind="decision")
    avis = M.add_decision(empty_db, mid, "Avis favorable, à articuler avec le PRE.", kind="avis",
                          opinion="favorable", action_id=world.action_id, agenda_item_id=item)
    assert _history(empty_db, world.action_id) == [("avis_favorable", GT_DAY, mid, avis)]
    assert _status(empty_db, world.action_id) == "avis_favorable"
    decisions = M.list_decisions(empty_db, mid)
    assert [d.id for d in decisions] == [info, avis]
    assert decisions[1].opinion is E.Opinion.FAVORABLE and decisions[1].agenda_item_id == item

    M.update_decision(empty_db, avis, {"opinion": "reserve"}, expected_version=1)
    assert _history(empty_db, world.action_id) == [("avis_reserve", GT_DAY, mid, avis)]
    assert _status(empty_db, world.action_id) == "avis_reserve"
    M.update_meeting(empty_db, mid, {"date": dt.date(2025, 1, 16)}, expected_version=1)  # the history follows the meeting's date
    assert _history(empty_db, world.action_id)[0][1] == dt.date(2025, 1, 16)

    M.delete_decision(empty_db, avis)
    assert _history(empty_db, world.action_id) == []
    assert _status(empty_db, world.action_id) == "deposee"


def test_avis_never_undoes_a_copil_decision(empty_db, world):
    with empty_db.session() as s:
        s.get(Action, world.action_id).status = "accordee"
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY)
    avis = M.add_decision(empty_db, mid, "Avis tardif.", kind="avis", opinion="defavorable", action_id=world.action_id)
    assert _history(empty_db, world.action_id) == [("avis_defavorable", GT_DAY, mid, avis)]
    assert _status(empty_db, world.action_id) == "accordee"
    M.delete_decision(empty_db, avis)
    assert _status(empty_db, world.action_id) == "accordee"


# --------------------------------------------------------------------------- tasks


def test_tasks_lifecycle_and_review(empty_db, world):
    first = M.create_meeting(empty_db, world.gt_id, dt.date(2024, 11, 5))
    copil = M.create_meeting(empty_db, world.copil_id, dt.date(2024, 12, 1))
    t1 = T.add_task(empty_db, first, description="Envoyer le bilan", owner_person_id=world.persons["asso"],
                    due_date=dt.date(2024, 12, 15))
    t2 = T.add_task(empty_db, first, description="Réunir les bailleurs", owner_organisation_id=world.orgs["bailleur"],
                    due_date="01/03/2025", status="en_cours")
    t3 = T.add_task(empty_db, first, description="Tâche abandonnée", status="abandonnee")
    T.add_task(empty_db, copil, description="Tâche du COPIL")  # another body: not reviewed at the GT
    second = M.create_meeting(empty_db, world.gt_id, GT_DAY)
    t4 = T.add_task(empty_db, second, description="Transmettre au COPIL", owner_person_id=world.persons["referente"],
                    owner_organisation_id=world.orgs["commune"], due_date=dt.date(2025, 2, 1))
    later = M.create_meeting(empty_db, world.gt_id, dt.date(2025, 3, 10))
    T.add_task(empty_db, later, description="Future tâche")  # later meeting: not reviewed at the second

    today = dt.date(2025, 1, 20)
    review = T.open_tasks_before(empty_db, second, today=today)
    assert [t.id for t in review] == [t1, t2]
    assert review[0].overdue and not review[1].overdue
    assert review[0].owner == "Mme Nadia Benali" and review[1].owner == "Pas-de-Calais Habitat"
    own = T.list_tasks(empty_db, second, today=today)
    assert [t.id for t in own] == [t4] and own[0].owner == "Mme Claire Martin (Commune de Verquin)"
    assert not own[0].overdue and T.list_tasks(empty_db, second, today=dt.date(2025, 2, 2))[0].overdue

    T.update_task(empty_db, t1, {"status": "fait"}, expected_version=1, today=dt.date(2025, 1, 14))
    done = [t for t in T.list_tasks(empty_db, first, today=today) if t.id == t1][0]
    assert done.status is E.TaskStatus.FAIT and done.done_on == dt.date(2025, 1, 14) and not done.overdue
    assert [t.id for t in T.open_tasks_before(empty_db, second, today=today)] == [t2]
    T.update_task(empty_db, t1, {"status": "en_cours"}, expected_version=2)
    assert [t for t in T.list_tasks(empty_db, first) if t.id == t1][0].done_on is None
    with pytest.raises(ValidationError):
        T.add_task(empty_db, second, description="  ")
    with pytest.raises(ValidationError):
        T.update_task(empty_db, t2, {"status": "finie"}, expected_version=1)
    with pytest.raises(NotFoundError):
        T.update_task(empty_db, 31337, {"status": "fait"}, expected_version=1)
    with pytest.raises(NotFoundError):
        T.add_task(empty_db, second, description="x", owner_person_id=999999)
    with pytest.raises(ValidationError, match="« Quoi » contient un caractère de contrôle"):
        T.update_task(empty_db, t4, {"description": "=HYPERLINK(\"http://x\")\x07 transmis"}, expected_version=1)
    T.update_task(empty_db, t4, {"description": "=HYPERLINK(\"http://x\") transmis", "action_id": world.action_id},
                  expected_version=1)
    assert T.list_tasks(empty_db, second)[0].description == "=HYPERLINK(\"http://x\") transmis"
    assert T.list_tasks(empty_db, second)[0].action_label.startswith("2025-01")
    T.delete_task(empty_db, t3)
    assert t3 not in [t.id for t in T.list_tasks(empty_db, first)]


# --------------------------------------------------------------------------- document data


def test_meeting_document_in_constant_queries(empty_db):
    small_world = build_world(empty_db, extra_members=0)
    small = M.create_meeting(empty_db, small_world.gt_id, GT_DAY)
    with empty_db.session() as s:
        from qpv_desk.store.models import Membership, Person

        for n in range(40):
            p = Person(first_name="P", last_name=f"Ajout{n:02d}")
            s.add(p)
            s.flush()
            s.add(Membership(body_id=small_world.gt_id, person_id=p.id))
    big = M.create_meeting(empty_db, small_world.gt_id, dt.date(2025, 2, 11))
    for meeting_id, items in ((small, 2), (big, 12)):
        for n in range(items):
            item = M.add_agenda_item(empty_db, meeting_id, f"Point {n}", presenter_id=small_world.persons["ccas"])
            M.add_decision(empty_db, meeting_id, f"Décision {n}", agenda_item_id=item)
            T.add_task(empty_db, meeting_id, description=f"Tâche {n}", owner_person_id=small_world.persons["asso"])
    with count_statements(empty_db) as few:
        doc_small = M.meeting_document(empty_db, small)
    with count_statements(empty_db) as many:
        doc_big = M.meeting_document(empty_db, big)
    assert len(doc_big.attendees) == 46 and len(doc_small.attendees) == 6
    assert len(doc_big.agenda) == 12 and all(len(i.decisions) == 1 for i in doc_big.agenda)
    assert len(doc_big.review) == 2  # the open tasks of the earlier GT
    assert len(many) == len(few) <= 12


def test_meeting_document_content(empty_db, world):
    mid = M.create_meeting(empty_db, world.gt_id, GT_DAY, place="Mairie", start_time="9:00",
                           next_meeting_date="11/02/2025")
    rows = _by_person(empty_db, mid)
    M.set_attendance(empty_db, rows[world.persons["bailleur"]].id, "represente", world.persons["futur"],
                     expected_version=1)
    M.add_decision(empty_db, mid, "Décision hors point.")
    doc = M.meeting_document(empty_db, mid, today=dt.date(2025, 1, 10))
    assert doc.commune == "Verquin" and doc.quartier == "3 Îlots" and doc.body_code == "GT"
    assert doc.secretary == "Mme Claire Martin" and "Référente QPV" in doc.secretary_function
    assert doc.secretary_contact == "martin@example.org"
    assert doc.is_draft and doc.next_meeting_date == dt.date(2025, 2, 11)
    rep = next(a for a in doc.attendees if a.name == "Marc Lefebvre")
    assert rep.represented_by == "Mme Eva Future" and rep.organisation == "Pas-de-Calais Habitat"
    assert doc.agenda[-1].title == "Autres décisions" and doc.agenda[-1].decisions[0].text == "Décision hors point."
    M.update_meeting(empty_db, mid, {"status": "cr_valide"}, expected_version=1)
    assert not M.meeting_document(empty_db, mid).is_draft
    M.delete_meeting(empty_db, mid)
    with pytest.raises(NotFoundError):
        M.meeting_document(empty_db, mid)
    with empty_db.reader() as s:
        assert s.execute(select(func.count()).select_from(Attendance)).scalar() == 0
        assert s.execute(select(func.count()).select_from(Meeting)).scalar() == 0
