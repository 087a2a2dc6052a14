"""Qt models shared by every page: a table over plain rows, the objective tree."""

from .objectives import ObjectiveTreeModel
from .table import ROW_ROLE, SORT_ROLE, Column, RowTableModel

__all__ = ["ROW_ROLE", "SORT_ROLE", "Column", "ObjectiveTreeModel", "RowTableModel"]
