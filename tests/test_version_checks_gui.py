"""A conflict seen from the screen: the French message with the reload offer, nothing lost silently."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from conftest import VERQUIN_TOML
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.dialogs.organisation import OrganisationDialog
from qpv_desk.services import partners as P
from qpv_desk.services.referential import import_referential, read_referential


@pytest.fixture
def ctx(sqlite_db, messages):
    import_referential(sqlite_db, read_referential(VERQUIN_TOML))
    context = AppContext()
    context.set_database(sqlite_db)
    return context


def test_saving_over_a_change_made_elsewhere_shows_the_conflict(ctx, qtbot, messages):
    org_id = P.create_organisation(ctx.db, {"name": "CAF du Pas-de-Calais", "kind": "caf"})
    dialog = OrganisationDialog(ctx, None, P.get_organisation(ctx.db, org_id))
    qtbot.addWidget(dialog)
    dialog.show()
    # meanwhile, another window (or another PC) saves the same organisation
    P.update_organisation(ctx.db, org_id, {"phone": "03 21 11 11 11"}, expected_version=1)
    dialog.ui.phone.clear()
    qtbot.keyClicks(dialog.ui.phone, "03 21 22 22 22")
    qtbot.mouseClick(dialog.ui.buttonBox.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert messages and messages[-1][0] == "error"
    assert "a été modifié(e) entre-temps" in messages[-1][1] and "Rechargez la fiche" in messages[-1][1]
    assert dialog.isVisible()  # what she typed is still on screen
    assert P.get_organisation(ctx.db, org_id).phone == "03 21 11 11 11"  # the other save is kept
