"""The Référentiel page asks before a re-import replaces what she edited since the last import (issue 15, item 12)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from qpv_desk.gui.context import AppContext
from qpv_desk.gui.dialogs.referential_import import ReferentialImportDialog
from qpv_desk.gui.pages import referential as referential_page
from qpv_desk.services import objectives as O

from conftest import VERQUIN_TOML
from referential_data import node_by_code


@pytest.mark.parametrize("answer", [False, True])
def test_reimport_asks_before_replacing_her_edits(qtbot, ref_page, verquin_db, monkeypatch, messages, answer):
    node = node_by_code(verquin_db, "2.4.1")
    O.update_objective(verquin_db, node.id, {"title": "Soutenir les créateurs du quartier"}, expected_version=node.version)
    asked = []
    monkeypatch.setattr(AppContext, "confirm",
                        staticmethod(lambda parent, msg, title="": asked.append(msg) or answer))
    monkeypatch.setattr(referential_page, "ask_referential_file", lambda parent: VERQUIN_TOML)
    qtbot.mouseClick(ref_page.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: isinstance(ref_page.active_dialog, ReferentialImportDialog), timeout=60_000)
    dialog = ref_page.active_dialog
    assert ("2.4.1", "à confirmer") in {(c.key, c.operation) for c in dialog.model.rows}
    assert "modifié dans l'application" in dialog.summary.text()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    qtbot.waitUntil(lambda: any(kind == "info" for kind, _ in messages), timeout=60_000)
    assert len(asked) == 1 and "Soutenir les créateurs du quartier" in asked[0]
    expected = "Favoriser l'entrepreneuriat" if answer else "Soutenir les créateurs du quartier"
    assert node_by_code(verquin_db, "2.4.1").title == expected
