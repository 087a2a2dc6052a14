"""The Partenaires page driven like a user: type, choose, click; then the database is checked."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import func, select

from qpv_desk.gui.context import AppContext
from qpv_desk.gui.pages import partners as partners_page
from qpv_desk.gui.pages.partners import PartnersPage
from qpv_desk.services import partners as P
from qpv_desk.store.models import Attendance, Body, Meeting, Membership, Organisation, Person


@pytest.fixture
def db(verquin_db):
    caf = P.create_organisation(verquin_db, {"name": "CAF du Pas-de-Calais", "kind": "caf"})
    asso = P.create_organisation(verquin_db, {"name": "Centre social Les Tilleuls", "kind": "association"})
    P.create_person(verquin_db, {"civility": "Mme", "first_name": "Hélène", "last_name": "Durand",
                               "organisation_id": caf, "function": "Conseillère"})
    P.create_person(verquin_db, {"civility": "M.", "first_name": "Karim", "last_name": "Benali",
                               "organisation_id": asso, "function": "Directeur"})
    return verquin_db



@pytest.fixture
def page(qtbot, db, messages):
    ctx = AppContext()
    ctx.set_database(db)
    widget = PartnersPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.refresh()
    return widget


def type_text(qtbot, widget, text: str) -> None:
    """Type like a user; QTest only simulates ASCII keys, other characters are inserted as typed text."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
    elif hasattr(widget, "insertPlainText"):
        widget.insertPlainText(text)
    else:
        widget.insert(text)


def click_ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.ui.buttonBox.button(QDialogButtonBox.Ok), Qt.LeftButton)


def count(db, model) -> int:
    with db.reader() as s:
        return s.scalar(select(func.count()).select_from(model))


def select_row(tab, predicate) -> None:
    row = tab.model.find(predicate)
    assert row >= 0
    tab.view.selectRow(row)


def test_models_pass_modeltester(page, qtmodeltester):
    for model in (page.organisations.model, page.contacts.model, page.instances.bodies_model,
                  page.instances.members_model):
        assert model.rowCount() > 0
        qtmodeltester.check(model)


def test_create_organisation_by_typing(qtbot, page, db):
    tab = page.organisations
    qtbot.mouseClick(tab.new_button, Qt.LeftButton)
    dialog = page.active_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "Nouvelle organisation"
    type_text(qtbot, dialog.ui.name, "Maison de quartier des 3 Îlots")
    dialog.ui.kind.setCurrentIndex(dialog.ui.kind.findText("Commune"))
    type_text(qtbot, dialog.ui.city, "Verquin")
    type_text(qtbot, dialog.ui.email, "mdq@verquin.fr")
    type_text(qtbot, dialog.ui.siret, "732 829 320 00074")
    type_text(qtbot, dialog.ui.notes, "=A1 garde son signe égal")
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()
    org = next(o for o in P.list_organisations(db) if o.name == "Maison de quartier des 3 Îlots")
    assert (org.kind.value, org.city, org.email, org.siret, org.notes) == (
        "commune", "Verquin", "mdq@verquin.fr", "73282932000074", "=A1 garde son signe égal")
    assert tab.model.find_id(org.id) >= 0
    assert tab.selected().id == org.id


def test_invalid_siret_and_email_show_messages_and_save_nothing(qtbot, page, db):
    before = count(db, Organisation)
    qtbot.mouseClick(page.organisations.new_button, Qt.LeftButton)
    dialog = page.active_dialog
    type_text(qtbot, dialog.ui.name, "Association Test")
    type_text(qtbot, dialog.ui.siret, "12345678901234")
    type_text(qtbot, dialog.ui.email, "pas-une-adresse")
    click_ok(qtbot, dialog)
    assert dialog.isVisible()
    assert "SIRET" in dialog.errors.message("siret")
    assert "adresse électronique" in dialog.errors.message("email")
    assert dialog.errors.message("name") == ""
    assert "rien n'a été enregistré" in dialog.ui.errorSummary.text()
    assert count(db, Organisation) == before
    # fixing the fields then saving works, and the messages go away
    dialog.ui.siret.clear()
    dialog.ui.email.clear()
    type_text(qtbot, dialog.ui.email, "asso@test.fr")
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert count(db, Organisation) == before + 1


def test_create_contact_with_organisation(qtbot, page, db):
    page.tabs.setCurrentWidget(page.contacts)
    qtbot.mouseClick(page.contacts.new_button, Qt.LeftButton)
    dialog = page.active_dialog
    dialog.ui.civility.setCurrentIndex(dialog.ui.civility.findData("Mme"))
    type_text(qtbot, dialog.ui.first_name, "Zoé")
    type_text(qtbot, dialog.ui.last_name, "Lefebvre")
    type_text(qtbot, dialog.ui.function, "Chargée de mission")
    dialog.ui.organisation.setCurrentText("CAF du Pas-de-Calais")
    type_text(qtbot, dialog.ui.phone, "03 21 00 00 00")
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()
    person = next(p for p in P.list_persons(db) if p.last_name == "Lefebvre")
    assert (person.civility.value, person.organisation_name, person.phone) == ("Mme", "CAF du Pas-de-Calais",
                                                                               "03 21 00 00 00")


def test_contact_with_unknown_organisation_is_refused(qtbot, page, db):
    before = count(db, Person)
    qtbot.mouseClick(page.contacts.new_button, Qt.LeftButton)
    dialog = page.active_dialog
    type_text(qtbot, dialog.ui.last_name, "Inconnu")
    dialog.ui.organisation.setCurrentText("Organisation qui n'existe pas")
    click_ok(qtbot, dialog)
    assert dialog.isVisible()
    assert "ne figure pas dans la liste" in dialog.errors.message("organisation")
    assert count(db, Person) == before


def test_edit_contact(qtbot, page, db):
    tab = page.contacts
    select_row(tab, lambda p: p.last_name == "Durand")
    qtbot.mouseClick(tab.edit_button, Qt.LeftButton)
    dialog = page.active_dialog
    assert dialog.ui.first_name.text() == "Hélène"
    dialog.ui.function.clear()
    type_text(qtbot, dialog.ui.function, "Responsable de territoire")
    click_ok(qtbot, dialog)
    assert next(p for p in P.list_persons(db) if p.last_name == "Durand").function == "Responsable de territoire"


def test_search_filters_and_sort(qtbot, page):
    tab = page.contacts
    assert tab.model.rowCount() >= 2
    type_text(qtbot, tab.search, "helene")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10_000)
    assert tab.model.row_at(0).last_name == "Durand"
    assert tab.count.text() == "1 contact"
    tab.search.clear()
    qtbot.waitUntil(lambda: tab.model.rowCount() >= 2, timeout=10_000)
    orgs = page.organisations
    orgs.kind.setCurrentIndex(orgs.kind.findData("caf"))
    assert [o.name for o in orgs.model.rows] == ["CAF du Pas-de-Calais"]
    orgs.kind.setCurrentIndex(0)
    names = [o.name for o in orgs.model.rows]
    orgs.view.horizontalHeader().setSortIndicator(0, Qt.DescendingOrder)  # as a header click does
    assert [o.name for o in orgs.model.rows] == sorted(names, key=str.lower, reverse=True)


def test_deactivate_and_reactivate(qtbot, page, db):
    tab = page.contacts
    select_row(tab, lambda p: p.last_name == "Benali")
    assert tab.toggle_button.text() == "Désactiver"
    qtbot.mouseClick(tab.toggle_button, Qt.LeftButton)
    benali = next(p for p in P.list_persons(db) if p.last_name == "Benali")
    assert not benali.active
    assert tab.model.find_id(benali.id) < 0  # the list shows active contacts
    tab.status.setCurrentIndex(tab.status.findText("Inactifs"))
    select_row(tab, lambda p: p.id == benali.id)
    assert tab.toggle_button.text() == "Réactiver"
    qtbot.mouseClick(tab.toggle_button, Qt.LeftButton)
    assert P.get_person(db, benali.id).active


def test_delete_refused_when_referenced_and_allowed_otherwise(qtbot, page, db, messages):
    durand = next(p for p in P.list_persons(db) if p.last_name == "Durand")
    with db.session() as s:
        body = s.scalars(select(Body)).first()
        m = Meeting(body_id=body.id, title="GT de mars", date=dt.date(2025, 3, 4))
        s.add(m)
        s.flush()
        s.add(Attendance(meeting_id=m.id, person_id=durand.id))
    tab = page.contacts
    tab.reload()
    select_row(tab, lambda p: p.id == durand.id)
    qtbot.mouseClick(tab.delete_button, Qt.LeftButton)
    assert messages[-1] == ("error", "Ce contact figure dans 1 réunion : il peut être désactivé mais pas supprimé.")
    assert P.get_person(db, durand.id)
    select_row(tab, lambda p: p.last_name == "Benali")
    qtbot.mouseClick(tab.delete_button, Qt.LeftButton)
    assert all(p.last_name != "Benali" for p in P.list_persons(db))


def test_membership_create_and_end(qtbot, page, db, monkeypatch):
    page.tabs.setCurrentWidget(page.instances)
    bodies = page.instances
    row = bodies.bodies_model.find(lambda b: b.code == "GT")
    bodies.bodies.selectRow(row)
    before = bodies.members_model.rowCount()
    qtbot.mouseClick(bodies.add_button, Qt.LeftButton)
    dialog = page.active_dialog
    index = dialog.ui.person.findText("Mme Hélène Durand (CAF du Pas-de-Calais)")
    assert index > 0
    dialog.ui.person.setCurrentIndex(index)
    assert dialog.ui.organisation.currentText() == "CAF du Pas-de-Calais"  # suggested from the contact
    dialog.ui.role.setCurrentIndex(dialog.ui.role.findData("membre"))
    type_text(qtbot, dialog.ui.seat, "Représentante de la CAF")
    type_text(qtbot, dialog.ui.start_date, "01/01/2024")
    type_text(qtbot, dialog.ui.end_date, "31/12/2023")
    click_ok(qtbot, dialog)
    assert dialog.isVisible() and "précède" in dialog.ui.errorSummary.text() + dialog.errors.message("end_date")
    dialog.ui.end_date.clear()
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert bodies.members_model.rowCount() == before + 1
    with db.reader() as s:
        m = s.scalars(select(Membership).where(Membership.seat == "Représentante de la CAF")).one()
        assert (m.start_date, m.end_date, m.role) == (dt.date(2024, 1, 1), None, "membre")
        membership_id = m.id
    bodies.members.selectRow(bodies.members_model.find_id(membership_id))
    yesterday = dt.date.today() - dt.timedelta(days=1)
    monkeypatch.setattr(partners_page, "ask_end_date", lambda parent, default: yesterday)
    qtbot.mouseClick(bodies.end_button, Qt.LeftButton)
    with db.reader() as s:
        assert s.get(Membership, membership_id).end_date == yesterday
    assert bodies.members_model.find_id(membership_id) < 0  # no longer in today's composition
    bodies.include_ended.setChecked(True)
    assert bodies.members_model.find_id(membership_id) >= 0
