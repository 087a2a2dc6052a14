"""The pages of the main window, in navigation order.

Each entry says what the navigation shows (``key``, ``title``, ``icon``) and where the
page is (``"module:Class"`` relative to this package): the window lists every page and
binds its Ctrl+n shortcut at once, and imports a page's module only when the page is
first shown (start-up imports the first page's module alone). The page class carries
the same ``key``, ``title`` and ``icon`` (``tests/test_gui_main.py`` checks they agree).
A page is listed here by the work that builds it, never as an empty placeholder.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    key: str
    title: str
    icon: str
    spec: str  # "module:Class", relative to qpv_desk.gui.pages

    @property
    def module(self) -> str:
        return self.spec.partition(":")[0]


PAGES: list[PageInfo] = [
    PageInfo("dashboard", "Tableau de bord", "SP_ComputerIcon", "dashboard:DashboardPage"),
    PageInfo("meetings", "Réunions", "SP_FileDialogContentsView", "meetings:MeetingsPage"),
    PageInfo("programme", "Programmation", "SP_FileDialogDetailedView", "programme:ProgrammePage"),
    PageInfo("followup", "Suivi des objectifs", "SP_FileDialogListView", "followup:FollowupPage"),
    PageInfo("partners", "Partenaires", "partners.svg", "partners:PartnersPage"),
    PageInfo("referential", "Référentiel", "referential.svg", "referential:ReferentialPage"),
    PageInfo("reports", "Rapports", "SP_DialogSaveButton", "reports:ReportsPage"),
]
