"""The Qt models of the application, by noun; pages and dialogs define none of their own.

* :mod:`.table` — :class:`RowTableModel` + :class:`Column`: a read-only table over plain rows;
* :mod:`.editable` — :class:`EditableRowModel`: the one editable table (through a service,
  or kept in the model until the dialog saves), with a per-cell error role;
* :mod:`.objectives` — the objective trees (page, and the action editor's picker);
* :mod:`.funding`, :mod:`.indicators` — the action editor's financing plan and indicators;
* :mod:`.meetings` — the meeting editor's agenda (drag and drop);
* :mod:`.programme` — the Programmation list and the import wizard's column mapping;
* :mod:`.followup` — the Suivi des objectifs tree.

Only the light ones are imported here (the package is loaded at start-up).
"""

from .editable import ERROR_ROLE, EditableRowModel
from .objectives import ObjectiveTreeModel
from .table import ROW_ROLE, SORT_ROLE, Column, RowTableModel

__all__ = ["ERROR_ROLE", "ROW_ROLE", "SORT_ROLE", "Column", "EditableRowModel", "ObjectiveTreeModel",
           "RowTableModel"]
