"""Dialogs of the desktop application (forms compiled from ``ui/*.ui``)."""
