"""The action editor's indicators: label, unit, target, result — typed in the table.

Built on :class:`~qpv_desk.gui.models.editable.EditableRowModel` (values kept in the model
until the dialog saves; « Ajouter un indicateur » / « Retirer » are :meth:`add_row` /
:meth:`remove_row`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .editable import EditableRowModel
from .table import Column


@dataclass
class IndicatorEntry:
    label: str = ""
    unit: str = ""
    target: str = ""
    result: str = ""


def _num_text(value) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text.replace(".", ",")


_FIELDS = ("label", "unit", "target", "result")
COLUMNS = [Column("Indicateur", "label"), Column("Unité", "unit"),
           Column("Cible", "target", align="right"), Column("Résultat", "result", align="right")]


class IndicatorModel(EditableRowModel):
    def __init__(self, parent=None):
        super().__init__(COLUMNS, {n: (key, lambda e, k=key: getattr(e, k)) for n, key in enumerate(_FIELDS)},
                         parent, new_row=IndicatorEntry)

    @property
    def entries(self) -> list[IndicatorEntry]:
        return self._rows

    def set_indicators(self, indicators) -> None:
        self.set_rows([IndicatorEntry(i.label, i.unit or "", _num_text(i.target), _num_text(i.result))
                       for i in indicators])

    def show_values(self, values: list[dict]) -> None:
        """Show indicators in the shape :meth:`values` gives."""
        self.set_rows([IndicatorEntry(**{key: v.get(key) or "" for key in _FIELDS}) for v in values])

    def values(self) -> list[dict]:
        return [{key: getattr(e, key) for key in _FIELDS} for e in self._rows]
