"""GUI of data safety, driven like a user (offscreen; confirmations patched): backups, recovery,
read-only offer, automatic backups, history tab, personal data."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import Qt
from safety_data import build_people

from qpv_desk.gui.context import AppContext
from qpv_desk.gui.dialogs import backups as BD
from qpv_desk.gui.dialogs.privacy import PrivacyDialog
from qpv_desk.gui.widgets.history import HistoryView
from qpv_desk.services.common import record_change
from qpv_desk.store import backup as B
from qpv_desk.store.db import open_database
from qpv_desk.store.models import Organisation, Person


@pytest.fixture
def ctx(sqlite_db, messages):
    context = AppContext()
    context.set_database(sqlite_db)
    yield context
    context.wait_for_background()


def names(db):
    with db.reader() as s:
        return sorted(o.name for o in s.query(Organisation))


def wait_jobs(qtbot, ctx):
    qtbot.waitUntil(lambda: not ctx._jobs, timeout=10_000)


# --------------------------------------------------------------------------- backups dialog


def test_backups_dialog_backs_up_and_restores(qtbot, ctx, sqlite_db, messages):
    with sqlite_db.session() as s:
        s.add(Organisation(name="Mairie"))
    first = B.backup_database(sqlite_db.path, reason="quotidienne")
    dialog = BD.BackupsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 2).data() == "quotidienne"
    assert not dialog.restore_button.isEnabled()  # nothing chosen yet

    with sqlite_db.session() as s:
        s.add(Organisation(name="Ajoutée ensuite"))
    qtbot.mouseClick(dialog.backup_button, Qt.LeftButton)
    wait_jobs(qtbot, ctx)
    assert dialog.model.rowCount() == 2
    assert dialog.model.index(0, 2).data() == "manuelle"
    assert messages[-1][0] == "info"

    changed = []
    ctx.data_changed.connect(changed.append)
    row = dialog.model.find(lambda b: b.path == first)
    dialog.select_row(row)
    assert dialog.restore_button.isEnabled()
    messages.answer = False
    qtbot.mouseClick(dialog.restore_button, Qt.LeftButton)
    assert names(sqlite_db) == ["Ajoutée ensuite", "Mairie"]  # declined: untouched
    messages.answer = True
    qtbot.mouseClick(dialog.restore_button, Qt.LeftButton)
    wait_jobs(qtbot, ctx)
    assert names(sqlite_db) == ["Mairie"]
    assert changed == ["all"]
    assert "restaurée" in messages[-1][1]
    reasons = [dialog.model.index(r, 2).data() for r in range(dialog.model.rowCount())]
    assert "avant restauration" in reasons


def test_backups_dialog_for_postgresql_and_read_only(qtbot, sqlite_db, messages):
    class FakePg:
        is_sqlite = False
        read_only = False
        path = None

    context = AppContext()
    context.db = FakePg()
    dialog = BD.BackupsDialog(context)
    qtbot.addWidget(dialog)
    assert "pg_dump" in dialog.intro.text()
    assert not dialog.backup_button.isEnabled() and not dialog.restore_button.isEnabled()

    B.backup_database(sqlite_db.path)
    path = sqlite_db.path
    sqlite_db.close()
    with open_database(path, read_only=True) as ro:
        context.set_database(ro)
        dialog.refresh()
        dialog.select_row(0)
        assert dialog.backup_button.isEnabled() and not dialog.restore_button.isEnabled()


# --------------------------------------------------------------------------- recovery, read-only offer


def damage(path):
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):
        data[offset:offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


def test_offer_recovery_sets_aside_and_restores(qtbot, sqlite_db, messages):
    with sqlite_db.session() as s:
        s.add(Organisation(name="Mairie"))
    backup = B.backup_database(sqlite_db.path, reason="fermeture")
    path = sqlite_db.path
    sqlite_db.close()
    damage(path)
    damaged = path.read_bytes()
    context = AppContext()

    messages.answer = False
    assert BD.open_with_recovery(context, None, path) is None
    assert "La sauvegarde saine la plus récente date du" in messages.asked[-1]
    assert path.read_bytes() == damaged  # declined: untouched

    messages.answer = True
    db = BD.open_with_recovery(context, None, path)
    try:
        assert names(db) == ["Mairie"]
    finally:
        db.close()
    aside = list(path.parent.glob("test.endommagee-*.sqlite"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged
    assert "endommagee" in messages[-1][1] and backup.exists()


def test_offer_recovery_without_backup(qtbot, sqlite_db, messages):
    path = sqlite_db.path
    sqlite_db.close()
    damage(path)
    assert BD.offer_recovery(AppContext(), None, path) is None
    assert messages[-1][0] == "error" and "aucune sauvegarde saine" in messages[-1][1]
    assert path.exists()


def test_locked_base_is_offered_read_only(qtbot, sqlite_db, messages):
    path = sqlite_db.path
    sqlite_db.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent("""
            import sys
            from qpv_desk.store.db import open_database
            db = open_database(sys.argv[1]); print("ouvert", flush=True); sys.stdin.readline()
        """), str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ouvert"
        context = AppContext()
        messages.answer = False
        assert BD.open_with_recovery(context, None, path) is None
        assert "déjà ouverte en écriture" in messages.asked[-1] and "lecture seule" in messages.asked[-1]
        messages.answer = True
        db = BD.open_with_recovery(context, None, path)
        assert db.read_only
        db.close()
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)


# --------------------------------------------------------------------------- automatic backups


def test_automatic_backups_daily_and_on_close(qtbot, sqlite_db, messages, tmp_path):
    context = AppContext()
    auto = BD.AutomaticBackups(context)
    context.set_database(sqlite_db)
    auto.wait()  # the daily backup runs off the GUI thread
    assert [b.reason for b in B.list_backups(sqlite_db.path)] == ["quotidienne"]
    auto.daily()
    auto.wait()
    assert [b.reason for b in B.list_backups(sqlite_db.path)] == ["quotidienne"]  # at most once a day
    other = open_database(tmp_path / "autre.sqlite", create=True)
    context.set_database(other)  # nothing written in the first base: no closing backup
    assert [b.reason for b in B.list_backups(sqlite_db.path)] == ["quotidienne"]
    with other.session() as s:
        s.add(Organisation(name="Mairie"))
    made = auto.close_current()
    assert made is not None and made.name.endswith("_fermeture.sqlite")
    other.close()


# --------------------------------------------------------------------------- history tab


def test_history_view(qtbot, qtmodeltester, ctx, sqlite_db):
    people = build_people(sqlite_db)
    view = HistoryView(ctx, "person", people.amina)
    qtbot.addWidget(view)
    view.show()
    qtmodeltester.check(view.model)
    assert view.model.rowCount() == 1
    assert view.model.index(0, 2).data() == "Création"
    assert view.model.index(0, 1).data()
    with sqlite_db.session() as s:
        record_change(s, "person", people.amina, "update", {"phone": ["03 21 00 11 22", "06 11 22 33 44"]})
    ctx.data_changed.emit("partners")
    assert view.model.rowCount() == 2
    assert "téléphone : 03 21 00 11 22 → 06 11 22 33 44" in view.model.index(0, 3).data()
    assert not view.empty.isVisible()
    view.set_record("action", people.action)
    assert view.model.rowCount() == 1
    view.set_record("meeting", None)
    assert view.model.rowCount() == 0 and view.empty.isVisible()
    view.hide()
    view.set_record("person", people.amina)
    with sqlite_db.session() as s:
        record_change(s, "person", people.amina, "deactivate")
    ctx.data_changed.emit("partners")  # hidden: refreshed at the next showing
    assert view.model.rowCount() == 2
    view.show()
    assert view.model.rowCount() == 3


# --------------------------------------------------------------------------- personal data


def test_privacy_dialog_export_anonymise_retention(qtbot, qtmodeltester, ctx, sqlite_db, messages, tmp_path,
                                                  monkeypatch):
    people = build_people(sqlite_db)
    dialog = PrivacyDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    index = dialog.person_combo.findData(people.amina)
    assert index >= 0 and "Centre social" in dialog.person_combo.itemText(index)
    dialog.person_combo.setCurrentIndex(index)

    target = tmp_path / "acces.xlsx"
    monkeypatch.setattr(PrivacyDialog, "ask_save_path", classmethod(lambda cls, parent, suggested: target))
    from threads import watch

    from qpv_desk.services import privacy as PV

    scans, anonymised = watch(monkeypatch, PV, "mentions"), watch(monkeypatch, PV, "anonymise_person")
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    wait_jobs(qtbot, ctx)
    assert target.exists() and "exportées" in messages[-1][1]
    from openpyxl import load_workbook

    assert load_workbook(target)["Identité"]["B5"].value == "Benhaddou"

    messages.answer = False
    qtbot.mouseClick(dialog.anonymise_button, Qt.LeftButton)
    wait_jobs(qtbot, ctx)
    assert len(messages.asked) == 1 and "Anonymiser définitivement" in messages.asked[-1]  # after the scan
    with sqlite_db.reader() as s:
        assert s.get(Person, people.amina).last_name == "Benhaddou"
    messages.answer = True
    qtbot.mouseClick(dialog.anonymise_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "désormais" in messages[-1][1], timeout=10_000)
    assert len(scans) >= 2 and not any(scans) and anonymised == [False]  # scans and rewrite: off the GUI thread
    with sqlite_db.reader() as s:
        p = s.get(Person, people.amina)
        assert p.last_name == f"Personne anonymisée n° {people.amina}" and p.email is None
    assert "anonymisé le" in dialog.person_combo.currentText()

    qtmodeltester.check(dialog.inactive_model)
    assert dialog.years.value() == 5
    dialog.years.clear()
    qtbot.keyClicks(dialog.years, "1")
    qtbot.mouseClick(dialog.save_years_button, Qt.LeftButton)
    from qpv_desk.services.privacy import retention_years

    assert retention_years(sqlite_db) == 1
    shown = {dialog.inactive_model.row_at(r).id for r in range(dialog.inactive_model.rowCount())}
    assert people.jean in shown and people.amina not in shown  # anonymised: no longer to review
    row = dialog.inactive_model.find_id(people.jean)
    qtbot.mouseClick(dialog.inactive_view.viewport(), Qt.LeftButton,
                     pos=dialog.inactive_view.visualRect(dialog.inactive_model.index(row, 0)).center())
    assert dialog.person_id() == people.jean

    old = B.backup_database(sqlite_db.path, reason="manuelle", directory=None,
                            now=dt.datetime.now() - dt.timedelta(days=800))
    assert old.exists()
    qtbot.mouseClick(dialog.prune_button, Qt.LeftButton)
    wait_jobs(qtbot, ctx)
    assert not old.exists() and "supprimée" in messages[-1][1]


def test_privacy_dialog_asks_before_dropping_a_changed_retention(qtbot, ctx, sqlite_db, monkeypatch):
    """She types a new retention period and presses Échap, « Fermer » or the close button:
    she is asked (it used to close silently, the period left unsaved); picking a contact is
    not a change."""
    from PySide6.QtWidgets import QDialogButtonBox

    from qpv_desk.gui.dialogs import base as dialog_base
    from qpv_desk.services.privacy import retention_years

    people = build_people(sqlite_db)
    answers, questions = [], []
    monkeypatch.setattr(dialog_base, "ask_unsaved", lambda parent, what="": questions.append(what) or answers.pop(0))
    dialog = PrivacyDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.person_combo.setCurrentIndex(dialog.person_combo.findData(people.jean))
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert not dialog.isVisible() and questions == []  # a contact chosen: nothing to save

    dialog.show()
    dialog.years.clear()
    qtbot.keyClicks(dialog.years, "8")
    answers.append(dialog_base.CANCEL)
    qtbot.keyClick(dialog.years, Qt.Key_Escape)
    assert dialog.isVisible() and dialog.years.value() == 8 and questions == ["La durée de conservation"]
    answers.append(dialog_base.DISCARD)
    dialog.close()  # the window's close button
    assert not dialog.isVisible() and retention_years(sqlite_db) == 5 and len(questions) == 2

    dialog = PrivacyDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.years.clear()
    qtbot.keyClicks(dialog.years, "8")
    answers.append(dialog_base.SAVE)
    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Close)
    qtbot.mouseClick(close, Qt.LeftButton)  # « Fermer »
    assert not dialog.isVisible() and retention_years(sqlite_db) == 8 and len(questions) == 3
