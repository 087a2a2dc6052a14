"""The sheet « Évolutions depuis le COPIL du … » of the COPIL workbook: plain data in.

Takes a :class:`qpv_desk.domain.programme_changes.ProgrammeChanges` and writes, on one
sheet: the totals of the changes per funder (requested and granted, newer − older),
then the actions added, withdrawn, whose status changed and whose amounts changed
(old → new per funder). Called by :func:`qpv_desk.reports.copil_workbook.write_copil_workbook`
through a short hook; also usable on any openpyxl workbook through :func:`add_changes_sheet`.
"""

from __future__ import annotations

import datetime as dt

from ..domain.programme_changes import ProgrammeChanges

SHEET_TITLE = "Évolutions depuis le COPIL"  # Excel: 31 characters at most, no « / »


def changes_title(changes: ProgrammeChanges) -> str:
    """« Évolutions depuis le COPIL du 20/03/2026 », or the label of an on-demand snapshot."""
    if changes.since_label.startswith("COPIL du "):
        return f"Évolutions depuis le {changes.since_label}"
    when = f" ({changes.since:%d/%m/%Y})" if changes.since else ""
    return f"Évolutions depuis « {changes.since_label} »{when}"


def add_changes_sheet(xw, changes: ProgrammeChanges, *, title: str = "", data_date: dt.date | None = None):
    """Add the sheet to the workbook of ``xw`` (a :class:`~qpv_desk.reports.xlsx_common.XlsxWriter`)."""
    ws = xw.sheet(SHEET_TITLE)
    heading = changes_title(changes)
    xw.styled(ws, 1, 1, "qpv title", heading)
    until = f"{changes.until:%d/%m/%Y}" if changes.until else ""
    scope = f"programmation {changes.year}" if changes.year is not None else "toutes les programmations"
    xw.styled(ws, 2, 1, "qpv subtitle",
              f"Photographie « {changes.since_label} » comparée à « {changes.until_label} » {until} – {scope}")
    row = 4
    xw.styled(ws, row, 1, "qpv section", "Totaux des changements (nouveau − ancien)")
    row += 1
    xw.header_row(ws, row, ["Financeur", "Écart demandé", "Écart accordé"])
    for f in changes.funder_deltas:
        row += 1
        xw.text(ws, row, 1, f.name)
        xw.money(ws, row, 2, f.requested_delta_cents)
        xw.money(ws, row, 3, f.granted_delta_cents)
    row += 1
    xw.text(ws, row, 1, "Total", "total")
    xw.money(ws, row, 2, changes.requested_delta_cents, "total")
    xw.money(ws, row, 3, changes.granted_delta_cents, "total")
    row += 2
    for label, count in (("Actions ajoutées", len(changes.added)), ("Actions retirées", len(changes.withdrawn)),
                         ("Statuts modifiés", len(changes.status_changed)),
                         ("Actions aux montants modifiés", len(changes.amounts_changed))):
        xw.text(ws, row, 1, label)
        xw.number(ws, row, 2, count)
        row += 1
    if changes.empty:
        row += 1
        xw.styled(ws, row, 1, "qpv note", "Aucun changement depuis cette photographie.")

    for section, items in (("Actions ajoutées", changes.added), ("Actions retirées", changes.withdrawn)):
        row += 2
        xw.styled(ws, row, 1, "qpv section", section)
        row += 1
        xw.header_row(ws, row, ["Code", "Action", "Porteur", "Statut", "Demandé", "Accordé"])
        for a in items:
            row += 1
            xw.text(ws, row, 1, a.code)
            xw.text(ws, row, 2, a.title, kind="wrap")
            xw.text(ws, row, 3, a.holder, kind="wrap")
            xw.text(ws, row, 4, a.status)
            xw.money(ws, row, 5, a.requested_cents)
            xw.money(ws, row, 6, a.granted_cents)
        if not items:
            row += 1
            xw.text(ws, row, 1, "Aucune.", track=False)

    row += 2
    xw.styled(ws, row, 1, "qpv section", "Changements de statut")
    row += 1
    xw.header_row(ws, row, ["Code", "Action", "Porteur", "Ancien statut", "Nouveau statut"])
    for c in changes.status_changed:
        row += 1
        xw.text(ws, row, 1, c.action.code)
        xw.text(ws, row, 2, c.action.title, kind="wrap")
        xw.text(ws, row, 3, c.action.holder, kind="wrap")
        xw.text(ws, row, 4, c.old)
        xw.text(ws, row, 5, c.new)
    if not changes.status_changed:
        row += 1
        xw.text(ws, row, 1, "Aucun.", track=False)

    row += 2
    xw.styled(ws, row, 1, "qpv section", "Montants modifiés (ancien → nouveau, par financeur)")
    row += 1
    xw.header_row(ws, row, ["Code", "Action", "Financeur", "Montant", "Ancien", "Nouveau", "Écart"])
    for a in changes.amounts_changed:
        for c in a.changes:
            row += 1
            xw.text(ws, row, 1, a.action.code)
            xw.text(ws, row, 2, a.action.title, kind="wrap")
            xw.text(ws, row, 3, c.funder_name)
            xw.text(ws, row, 4, c.kind)
            xw.money(ws, row, 5, c.old_cents)
            xw.money(ws, row, 6, c.new_cents)
            xw.money(ws, row, 7, c.delta_cents)
    if not changes.amounts_changed:
        row += 1
        xw.text(ws, row, 1, "Aucun.", track=False)

    xw.fit_columns(ws, fixed={1: 30, 2: 40, 3: 28}, maximum=40)
    xw.fit_rows(ws)
    xw.print_setup(ws, title=title or heading, data_date=data_date or dt.date.today(), subject=heading)
    return ws
