"""A conflict seen from the screen: her values and theirs side by side, nothing lost silently."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from conftest import VERQUIN_TOML
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.dialogs.conflict import ConflictDialog
from qpv_desk.gui.dialogs.organisation import OrganisationDialog
from qpv_desk.services import partners as P
from qpv_desk.services.referential import import_referential, read_referential


@pytest.fixture
def ctx(sqlite_db, messages):
    import_referential(sqlite_db, read_referential(VERQUIN_TOML))
    context = AppContext()
    context.set_database(sqlite_db)
    return context


def test_saving_over_a_change_made_elsewhere_shows_the_conflict(ctx, qtbot, messages, monkeypatch):
    org_id = P.create_organisation(ctx.db, {"name": "CAF du Pas-de-Calais", "kind": "caf"})
    dialog = OrganisationDialog(ctx, None, P.get_organisation(ctx.db, org_id))
    qtbot.addWidget(dialog)
    dialog.show()
    # meanwhile, another window (or another PC) saves the same organisation
    P.update_organisation(ctx.db, org_id, {"phone": "03 21 11 11 11"}, expected_version=1)
    dialog.ui.phone.clear()
    qtbot.keyClicks(dialog.ui.phone, "03 21 22 22 22")
    offered = []
    monkeypatch.setattr(ConflictDialog, "choose",
                        classmethod(lambda cls, parent, found: offered.append(found) or None))  # she goes back
    qtbot.mouseClick(dialog.ui.buttonBox.button(QDialogButtonBox.Ok), Qt.LeftButton)
    [found] = offered  # her value and theirs, side by side, instead of a bare message
    assert [(f.field, f.mine_text, f.theirs_text) for f in found.fields] == [
        ("phone", "03 21 22 22 22", "03 21 11 11 11")]
    assert not [m for m in messages if m[0] == "error"]
    assert dialog.isVisible() and dialog.ui.phone.text() == "03 21 22 22 22"  # what she typed is still on screen
    assert P.get_organisation(ctx.db, org_id).phone == "03 21 11 11 11"  # the other save is kept
