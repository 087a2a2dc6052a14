"""The pages of the main window, in navigation order.

Each entry is ``"module:Class"`` relative to this package. A page is listed here by
the work that builds it, never as an empty placeholder.
"""

PAGES: list[str] = [
    "dashboard:DashboardPage",
    "meetings:MeetingsPage",
    "programme:ProgrammePage",
    "followup:FollowupPage",
    "partners:PartnersPage",
    "referential:ReferentialPage",
    "reports:ReportsPage",
]
