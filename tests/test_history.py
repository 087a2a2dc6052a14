"""History: who changed what and when, in French, on both dialects, and kept across backups."""

from __future__ import annotations

import datetime as dt

from safety_data import build_people

from qpv_desk.services import history as H
from qpv_desk.services.common import current_user, record_change
from qpv_desk.store.models import Meeting


def test_history_reads_back_in_french_newest_first(empty_db):
    people = build_people(empty_db)
    with empty_db.session() as s:
        record_change(s, "person", people.amina, "update",
                      {"email": ["amina.benhaddou@example.org", None], "function": ["Directrice", "Coordinatrice"],
                       "active": [True, False]})
    entries = H.history(empty_db, "person", people.amina)
    assert [e.operation_label for e in entries] == ["Modification", "Création"]
    update, create = entries
    # On a shared server the history names the real PostgreSQL login, set by the server itself.
    expected = current_user() if empty_db.is_sqlite else empty_db.engine.url.username
    assert update.who == expected and isinstance(update.when, dt.datetime)
    assert abs(update.when - dt.datetime.now()) < dt.timedelta(hours=14)
    assert "courriel : amina.benhaddou@example.org → (vide)" in update.summary
    assert "fonction : Directrice → Coordinatrice" in update.summary
    assert "actif : oui → non" in update.summary
    assert "prénom : Amina" in create.summary and "nom : Benhaddou" in create.summary

    [action] = H.history(empty_db, "action", people.action)
    assert "statut : Déposée → Accordée (COPIL)" in action.summary
    assert H.history(empty_db, "action", 999_999) == []


def test_meeting_history_and_unknown_operations(empty_db):
    people = build_people(empty_db)
    with empty_db.session() as s:
        s.get(Meeting, people.meeting).status = "cr_valide"
        record_change(s, "meeting", people.meeting, "update",
                      {"status": ["tenue", "cr_valide"], "date": ["2025-03-10", "2025-03-11"]})
        record_change(s, "meeting", people.meeting, "mise_a_jr")
    reopen, update = H.history(empty_db, "meeting", people.meeting)
    assert reopen.operation_label == "Mise a jr" and reopen.summary == ""
    assert "statut : Tenue → Compte rendu validé" in update.summary
    assert "date : 10/03/2025 → 11/03/2025" in update.summary
    assert H.summarise("action", "update", {"granted_cents": [None, 150000]}) == "montant accordé : (vide) → 1\u202f500,00\u00a0€"
    nested = H.summarise("meeting", "update", {"présence 12": {"status": ["invite", "present"]}})
    assert nested == "présence 12 (statut : Non renseigné → Présent(e))"


def test_history_survives_backup_and_restore(sqlite_db):
    from qpv_desk.store.backup import backup_database, restore_backup

    people = build_people(sqlite_db)
    before = H.history(sqlite_db, "person", people.amina)
    saved = backup_database(sqlite_db.path)
    with sqlite_db.session() as s:
        record_change(s, "person", people.amina, "update", {"phone": ["03 21 00 11 22", "06 00 00 00 00"]})
    assert len(H.history(sqlite_db, "person", people.amina)) == len(before) + 1
    restore_backup(sqlite_db.path, saved, db=sqlite_db)
    assert H.history(sqlite_db, "person", people.amina) == before
    # the history of the change undone by the restore is in the « avant restauration » backup
    from qpv_desk.store.backup import list_backups
    from qpv_desk.store.db import open_database

    aside = [b for b in list_backups(sqlite_db.path) if b.reason == "avant-restauration"][0]
    with open_database(aside.path, read_only=True) as old:
        assert "06 00 00 00 00" in H.history(old, "person", people.amina)[0].summary
