"""Her save conflicts with someone else's: her values and theirs, field by field (issue 16)."""

from __future__ import annotations

import datetime as dt

import pytest

from qpv_desk.domain.errors import ConflictError
from qpv_desk.services import conflicts as C
from qpv_desk.services import partners


def test_only_the_fields_that_really_differ_are_offered(empty_db):
    oid = partners.create_organisation(empty_db, {"name": "Centre social", "kind": "association", "city": "Verquin"})
    read_by_her = partners.get_organisation(empty_db, oid)
    # Meanwhile a colleague changes the phone and the city.
    partners.update_organisation(empty_db, oid, {"phone": "03 21 00 00 01", "city": "Béthune"},
                                 expected_version=read_by_her.version)
    hers = {"name": "Centre social", "phone": "03 21 00 00 02", "city": "Béthune", "notes": "Ouvert le samedi"}
    with pytest.raises(ConflictError):
        partners.update_organisation(empty_db, oid, hers, expected_version=read_by_her.version)

    found = C.conflict(empty_db, "organisation", oid, hers)
    assert [(f.field, f.label, f.mine_text, f.theirs_text) for f in found.fields] == [
        ("phone", "téléphone", "03 21 00 00 02", "03 21 00 00 01"),
        ("notes", "notes", "Ouvert le samedi", "(vide)"),
    ]
    assert found.version == read_by_her.version + 1
    assert found.changed_by.startswith(f"Modifié par {found.by} le {dt.date.today():%d/%m/%Y} à ")

    values = C.merged(found, hers, keep_theirs={"phone"})
    assert values == {"name": "Centre social", "phone": "03 21 00 00 01", "city": "Béthune", "notes": "Ouvert le samedi"}
    partners.update_organisation(empty_db, oid, values, expected_version=found.version)
    after = partners.get_organisation(empty_db, oid)
    assert (after.phone, after.notes) == ("03 21 00 00 01", "Ouvert le samedi")


def test_a_typed_french_date_equals_the_stored_date(empty_db):
    from qpv_desk.services.conflicts import _as_stored
    from qpv_desk.store.models import Action

    column = Action.__table__.c.start_date
    assert _as_stored(column.type, "08/12/2026") == dt.date(2026, 12, 8)
    assert _as_stored(column.type, "pas une date") == "pas une date"


def test_the_conflict_dialog_shows_both_and_returns_her_choices(qtbot):
    from PySide6.QtCore import Qt

    from qpv_desk.gui.dialogs.conflict import ConflictDialog

    found = C.Conflict("organisation", 1, 3, "mdupont", dt.datetime(2026, 11, 26, 10, 42), (
        C.FieldConflict("phone", "téléphone", "02", "01", "02", "01"),
        C.FieldConflict("notes", "notes", "Samedi", None, "Samedi", "(vide)"),
    ))
    dialog = ConflictDialog(found)
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.table
    assert [table.item(r, 0).text() for r in range(2)] == ["Téléphone", "Notes"]
    assert [table.cellWidget(r, 1).text() for r in range(2)] == ["02", "Samedi"]
    assert [table.cellWidget(r, 2).text() for r in range(2)] == ["01", "(vide)"]
    assert "Modifié par mdupont le 26/11/2026 à 10 h 42" in dialog.findChild(type(dialog.layout().itemAt(0).widget())).text()
    assert dialog.keep_theirs() == set()  # by default nothing of hers is dropped
    from PySide6.QtCore import QPoint

    theirs = dialog.theirs_buttons["phone"]
    qtbot.mouseClick(theirs, Qt.MouseButton.LeftButton, pos=QPoint(6, theirs.height() // 2))  # on the button
    assert dialog.keep_theirs() == {"phone"}
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted


def test_a_conflicting_save_in_the_organisation_dialog_offers_both_and_keeps_her_choice(qtbot, sqlite_db, monkeypatch,
                                                                                       messages):
    from PySide6.QtCore import Qt

    from qpv_desk.gui.context import AppContext
    from qpv_desk.gui.dialogs.conflict import ConflictDialog
    from qpv_desk.gui.dialogs.organisation import OrganisationDialog

    oid = partners.create_organisation(sqlite_db, {"name": "Centre social", "kind": "association", "city": "Verquin"})
    ctx = AppContext()
    ctx.set_database(sqlite_db)
    dialog = OrganisationDialog(ctx, None, partners.get_organisation(sqlite_db, oid))
    qtbot.addWidget(dialog)
    dialog.show()
    # a colleague saves first (another window, another workstation)
    row = partners.get_organisation(sqlite_db, oid)
    partners.update_organisation(sqlite_db, oid, {"city": "Béthune", "phone": "03 21 00 00 01"},
                                 expected_version=row.version)
    dialog.ui.phone.clear()
    qtbot.keyClicks(dialog.ui.phone, "03 21 00 00 02")
    qtbot.keyClicks(dialog.ui.notes, "Ouvert le samedi")
    offered = []

    def choose(parent, found):
        offered.append({f.field: (f.mine_text, f.theirs_text) for f in found.fields})
        return set()  # she keeps her phone

    monkeypatch.setattr(ConflictDialog, "choose", classmethod(lambda cls, parent, found: choose(parent, found)))
    qtbot.mouseClick(dialog.ui.buttonBox.button(dialog.ui.buttonBox.StandardButton.Ok), Qt.LeftButton)
    # Only what both changed is offered; their city and her notes are kept without asking.
    assert offered == [{"phone": ("03 21 00 00 02", "03 21 00 00 01")}]
    saved = partners.get_organisation(sqlite_db, oid)
    assert (saved.city, saved.phone, saved.notes) == ("Béthune", "03 21 00 00 02", "Ouvert le samedi")
    assert dialog.result() == dialog.DialogCode.Accepted and not [m for m in messages if m[0] == "error"]


def test_every_record_offered_side_by_side_has_a_french_name():
    from qpv_desk.services.history import ENTITY_LABELS

    assert set(C.MODELS) <= set(ENTITY_LABELS)


def test_long_values_are_shown_whole_in_the_conflict_dialog(qtbot):
    from PySide6.QtCore import QPoint, QRect, Qt
    from PySide6.QtGui import QFontMetrics

    from qpv_desk.gui.dialogs.conflict import ConflictDialog

    long = ("Ouvert le samedi matin et le mercredi après-midi, sur rendez-vous pris à l'accueil du centre social ; "
            "permanence téléphonique le lundi. ") * 4
    theirs_long = "Fermé en août. " + long
    found = C.Conflict("organisation", 1, 3, "mdupont", dt.datetime(2026, 11, 26, 10, 42), (
        C.FieldConflict("phone", "téléphone", "02", "01", "02", "01"),
        C.FieldConflict("notes", "notes", long, None, long, theirs_long),
    ) + tuple(C.FieldConflict(f"f{i}", f"champ {i}", long, "x", long, "x") for i in range(6)))
    dialog = ConflictDialog(found)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    assert [table.cellWidget(r, 1).text() for r in range(2)] == ["02", long]
    for column, text in ((1, long), (2, theirs_long)):  # every line of the value fits in its row
        metrics = QFontMetrics(table.cellWidget(1, column).font())
        lines = metrics.boundingRect(QRect(0, 0, table.columnWidth(column) - 40, 10_000), Qt.TextWordWrap, text)
        assert table.rowHeight(1) >= lines.height() > 3 * metrics.height(), (column, table.rowHeight(1))
    assert table.rowHeight(0) < table.rowHeight(1)  # a short value keeps a short row
    # rows taller than the window: the list scrolls, to the last field
    assert table.verticalScrollBar().maximum() > 0
    table.scrollToBottom()
    last = table.cellWidget(table.rowCount() - 1, 1)
    assert last.visibleRegion().boundingRect().height() > 0
    # a click on their text chooses their value, as on the button
    cell = table.cellWidget(1, 2)
    qtbot.mouseClick(cell, Qt.MouseButton.LeftButton, pos=QPoint(cell.width() // 2, 8))
    assert dialog.keep_theirs() == {"notes"}


def test_what_only_they_changed_is_what_her_form_should_show():
    base = {"title": "Atelier", "place": "", "notes": "a", "funding": [{"funder_id": 1, "requested": "100"}]}
    mine = {"title": "Mon titre", "place": "", "notes": "b", "funding": [{"funder_id": 1, "requested": "100"}]}
    theirs = {"title": "Leur titre", "place": "Gymnase", "notes": "a", "funding": [{"funder_id": 1, "requested": "80"}]}
    # the title: both changed (offered side by side); the notes: hers only; the place and funding: theirs only
    assert C.theirs_only(base, mine, theirs) == {"place": "Gymnase", "funding": [{"funder_id": 1, "requested": "80"}]}
    assert C.theirs_only(base, mine, base) == {}


def test_a_stored_value_in_the_shape_her_form_gives():
    from qpv_desk.domain.enums import Civility

    assert C.as_shown(None, "") == ""
    assert C.as_shown(Civility.MME, "") == "Mme"
    assert C.as_shown(dt.date(2026, 12, 8), "") == "08/12/2026"
    assert C.as_shown(True, False) is True and C.as_shown(None, True) is False
    assert C.as_shown(12, None) == 12 and C.as_shown(None, 3) is None
    from decimal import Decimal

    assert C.as_shown(Decimal("12.50"), "") == "12,5"
