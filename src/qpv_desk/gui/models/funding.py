"""The action editor's financing plan: one line per funder, requested / granted / paid.

Built on :class:`~qpv_desk.gui.models.editable.EditableRowModel` (values kept in the
model until the dialog saves): an amount is kept as typed, shown « 9 700,00 € » once it
parses, in red with the reason as tooltip while it does not.

Signals:
    changed(): an amount was edited or a funder added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt

from ...domain import validation as V
from ...domain.errors import ValidationError
from ...domain.text import euros
from ...services.programme import FunderRow
from .editable import EditableRowModel, bold_font
from .table import Column


def cents_text(cents: int | None) -> str:
    """Cents as text a user can edit back: « 1234,50 » (empty for ``None``)."""
    if cents is None:
        return ""
    whole, frac = divmod(int(cents), 100)
    return f"{whole}" if frac == 0 else f"{whole},{frac:02d}"


def parse_cents(text: str) -> int | None:
    """The same parsing as the services; ``None`` when empty or not a valid amount."""
    try:
        return V.amount_cents(text, "montant", "amount")
    except ValidationError:
        return None


def amount_error(label: str, text: str) -> str | None:
    """The services' French message for an amount that will be refused, ``None`` if fine."""
    try:
        V.amount_cents(text, label, "amount")
    except ValidationError as exc:
        return str(exc)
    return None


def _amount(text: str) -> str:
    cents = parse_cents(text) if text.strip() else None
    return euros(cents) if cents is not None else text


@dataclass
class FundingEntry:
    funder: FunderRow
    requested: str = ""
    granted: str = ""
    paid: str = ""


_LABELS = {"requested": "Demandé", "granted": "Accordé", "paid": "Versé"}
COLUMNS = [Column("Financeur", lambda e: e.funder.name)] + [
    Column(f"{label} (€)", key, display=_amount, align="right") for key, label in _LABELS.items()]


class FundingModel(EditableRowModel):
    def __init__(self, parent=None):
        super().__init__(COLUMNS, {n: (key, lambda e, k=key: getattr(e, k)) for n, key in enumerate(_LABELS, 1)},
                         parent, check=lambda key, text: amount_error(_LABELS[key], text))

    @property
    def entries(self) -> list[FundingEntry]:
        return self._rows

    def set_lines(self, funders: Sequence[FunderRow], lines: Sequence) -> None:
        """``funders``: active funders (always shown); ``lines``: the action's FundingLineRow."""
        by_id = {l.funder_id: l for l in lines}
        shown = list(funders)
        known = {f.id for f in shown}
        for l in lines:
            if l.funder_id not in known:
                shown.append(FunderRow(l.funder_id, l.funder_code, l.funder_name, l.is_state, 10_000, False))
        entries = []
        for f in shown:
            l = by_id.get(f.id)
            entries.append(FundingEntry(
                f, cents_text(l.requested_cents) if l and l.requested_cents else "",
                cents_text(l.granted_cents) if l else "", cents_text(l.paid_cents) if l and l.paid_cents else ""))
        self.set_rows(entries)

    def show_lines(self, funders: Sequence[FunderRow], lines: Sequence[dict]) -> None:
        """Show ``lines`` in the shape :meth:`lines` gives: the funders shown stay (amounts
        replaced), a funder of ``lines`` not shown yet is taken from ``funders``."""
        by_id = {line["funder_id"]: line for line in lines}
        shown = [e.funder for e in self._rows]
        known = {f.id for f in shown}
        shown += [f for f in funders if f.id in by_id and f.id not in known]
        entries = []
        for f in shown:
            line = by_id.get(f.id) or {}
            entries.append(FundingEntry(f, line.get("requested") or "", line.get("granted") or "", line.get("paid") or ""))
        self.set_rows(entries)

    def add_funder(self, funder: FunderRow) -> None:
        if not any(e.funder.id == funder.id for e in self._rows):
            self.add_row(FundingEntry(funder))

    def lines(self) -> list[dict]:
        return [{"funder_id": e.funder.id, "requested": e.requested, "granted": e.granted or None, "paid": e.paid}
                for e in self._rows if (e.requested or e.granted or e.paid).strip()]

    def requested(self) -> list[tuple[str, int]]:
        """(funder name, requested cents) of the lines whose amount parses."""
        return [(e.funder.name, parse_cents(e.requested) or 0) for e in self._rows if e.requested.strip()]

    def totals(self) -> tuple[int, int, int]:
        return tuple(sum(parse_cents(getattr(e, f)) or 0 for e in self._rows) for f in _LABELS)

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.FontRole and index.isValid() and index.column() == 0:
            entry = self.row_at(index)
            if entry is not None and entry.funder.is_state:
                return bold_font()  # the State's funders stand out
        return super().data(index, role)
