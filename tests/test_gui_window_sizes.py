"""Every top-level window and dialog fits a 1366×768 screen minus the taskbar (1366×728) at its
default size (issue 12, defect 7). A new dialog class must be added to FACTORIES: the test
lists every QDialog subclass of the application and fails on one it cannot build."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from PySide6.QtWidgets import QApplication, QDialog

import qpv_desk.gui.dialogs as dialogs_package
from qpv_desk.domain import enums as E
from qpv_desk.gui.context import AppContext
from qpv_desk.gui.main_window import MainWindow
from qpv_desk.services import meetings as M
from qpv_desk.services import partners as P
from qpv_desk.services import portrait
from qpv_desk.services import programme_import as PI

SCREEN_W, SCREEN_H, TITLE_BAR = 1366, 728, 32


def _ctx(db):
    ctx = AppContext()
    ctx.set_database(db)
    return ctx


FACTORIES = {
    "ActionEditor": lambda ctx, db: _cls("action_editor", "ActionEditor")(ctx, None, action_id=M.actions(db)[0].id),
    "StatusChangeDialog": lambda ctx, db: _cls("action_status", "StatusChangeDialog")(None, E.ActionStatus.DEPOSEE, []),
    "BackupsDialog": lambda ctx, db: _cls("backups", "BackupsDialog")(ctx),
    "MeetingEditor": lambda ctx, db: _cls("meeting_editor", "MeetingEditor")(ctx, M.list_meetings(db)[0].id),
    "NewMeetingDialog": lambda ctx, db: _cls("meeting_new", "NewMeetingDialog")(ctx, M.bodies(db)),
    "MembershipDialog": lambda ctx, db: _cls("membership", "MembershipDialog")(ctx, P.list_bodies(db)[0]),
    "ObjectiveDialog": lambda ctx, db: _cls("objective", "ObjectiveDialog")(ctx),
    "OrganisationDialog": lambda ctx, db: _cls("organisation", "OrganisationDialog")(ctx, None, P.list_organisations(db)[0]),
    "PersonDialog": lambda ctx, db: _cls("person", "PersonDialog")(ctx, None, P.list_persons(db)[0]),
    "PrivacyDialog": lambda ctx, db: _cls("privacy", "PrivacyDialog")(ctx),
    "ProgrammeImportDialog": lambda ctx, db: _cls("programme_import", "ProgrammeImportDialog")(
        ctx, PI.SheetData("demandes.xlsx", "Feuil1", 1, ("Intitulé", "Porteur", "Montant demandé État"),
                          ((2, ("Atelier", "Association", "1 000")),)), 2026),
    "ReferentialImportDialog": lambda ctx, db: _cls("referential_import", "ReferentialImportDialog")("fichier.toml", ()),
    "StatisticDialog": lambda ctx, db: _cls("statistic", "StatisticDialog")(
        ctx, portrait.statistics(db, portrait.quartiers(db)[0].id)[0]),
    "SendingSettingsDialog": lambda ctx, db: _cls("outputs", "SendingSettingsDialog")(ctx),
    "CitizenAvisDialog": lambda ctx, db: _cls("outputs", "CitizenAvisDialog")(ctx, 2026),
    "ProgrammeChangesDialog": lambda ctx, db: _cls("outputs", "ProgrammeChangesDialog")(ctx, [2025, 2026], 2026),
    "DocumentsSettingsDialog": lambda ctx, db: _cls("documents_settings", "DocumentsSettingsDialog")(ctx),
    "CouncilRegisterDialog": lambda ctx, db: _cls("council_register", "CouncilRegisterDialog")(
        ctx, next(b.id for b in P.list_bodies(db) if b.kind is E.BodyKind.CONSEIL_CITOYEN)),
    "ConflictDialog": lambda ctx, db: _cls("conflict", "ConflictDialog")(_a_conflict()),
    "MergeDialog": lambda ctx, db: _cls("merge", "MergeDialog")(_a_merge_plan()),
}


def _a_merge_plan():
    from qpv_desk.services.merge import Clash, MergePlan

    long = "Association intercommunale pour l'insertion et l'accompagnement des familles du Béthunois"
    clashes = tuple(Clash(f"O{i}", "organisation", i, f"{long} {i}", 100 + i, f"{long} {i}", "même nom",
                          f"{long} {i} (Bruay-la-Buissière)") for i in range(60))
    renamed = tuple(f"Action 2026-{i:03d} « Atelier {i} » : code 2026-{i:03d}-BRUAY" for i in range(300))
    return MergePlan("bruay.sqlite", "postgresql://serveur/qpv_agglo", "Bruay-la-Buissière", "EQ2030-CABBALR",
                     ("QN 62 001", "QN 62 002"), clashes, renamed, ())


def _a_conflict():
    import datetime as dt

    from qpv_desk.services.conflicts import Conflict, FieldConflict

    long = "Ouvert le samedi matin et le mercredi après-midi, sur rendez-vous pris à l'accueil " * 3
    return Conflict("organisation", 1, 3, "mdupont", dt.datetime(2026, 11, 26, 10, 42), tuple(
        FieldConflict(f"champ{i}", f"champ {i}", long, "(vide)", long, "(vide)") for i in range(12)))


def _cls(module: str, name: str):
    return getattr(importlib.import_module(f"qpv_desk.gui.dialogs.{module}"), name)


def dialog_classes() -> list[str]:
    names = set()
    for info in pkgutil.iter_modules(dialogs_package.__path__):
        module = importlib.import_module(f"qpv_desk.gui.dialogs.{info.name}")
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, QDialog) and obj.__module__ == module.__name__ and name != "ServiceDialog":
                names.add(name)
    return sorted(names)


def assert_fits(widget, what: str) -> None:
    widget.show()
    QApplication.processEvents()
    size = widget.size()
    assert size.width() <= SCREEN_W and size.height() + TITLE_BAR <= SCREEN_H, f"{what} : {size.width()}×{size.height()}"
    minimum = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    assert minimum.height() + TITLE_BAR <= SCREEN_H, f"{what} ne peut pas tenir : minimum {minimum.height()} px"


def test_every_dialog_class_is_checked():
    assert set(dialog_classes()) <= set(FACTORIES), set(dialog_classes()) - set(FACTORIES)


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_dialog_fits_1366x728(qtbot, sample_db, messages, name):
    widget = FACTORIES[name](_ctx(sample_db), sample_db)
    qtbot.addWidget(widget)
    assert_fits(widget, name)


def test_main_window_fits_1366x728(qtbot, sample_path, messages):
    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    assert window.open_target(sample_path)
    assert_fits(window, "Fenêtre principale")
