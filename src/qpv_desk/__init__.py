"""QPV Desk : pilotage local du contrat de ville."""

__version__ = "0.1.0"
APP_NAME = "QPV Desk"
APP_ORG = "QPV Desk"
