"""The COPIL / DGS follow-up workbook: :class:`CopilData` in, an ``.xlsx`` file out (no Qt).

Sheets: Synthèse (key figures and two native charts), Programmation (one row per
action, an Excel table, live totals, printed on A3 with the requested and the granted
amounts on separate pages), Par année (whole contract only), Suivi par objectif (the
objective tree with row outlines), Financements (first level × funder), Réunions,
Présences par structure (every body), Suites à donner, Portrait. Every user string goes
through :class:`~qpv_desk.reports.xlsx_common.XlsxWriter`, which never lets text become a
formula; every formula carries its result as a cached value. Labels come from the data
(the referential's level names, the bodies' names), never from one commune's shape.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table, TableStyleInfo

from ..domain import enums as E
from .copil_changes import add_changes_sheet
from .copil_model import ATTENDANCE_COLUMNS, CopilData, FunderInfo

# Headers of the attendance counts: people counted, in the plural (« Représentés », not
# the one person's « Représenté(e) », which LibreOffice also cut at « Représenté( »).
COUNT_HEADS = {
    E.AttendanceStatus.PRESENT: "Présents",
    E.AttendanceStatus.DISTANCE: "À distance",
    E.AttendanceStatus.REPRESENTE: "Représentés",
    E.AttendanceStatus.EXCUSE: "Excusés",
    E.AttendanceStatus.ABSENT: "Absents",
    E.AttendanceStatus.INVITE: "Non renseignés",
}
from .council_sheet import place_maps, write_checks_sheet, write_register_sheet
from .files import write_atomically
from .xlsx_common import (
    LINE_HEIGHT,
    MONEY_CENTS_FORMAT,
    MONEY_FORMAT,
    XlsxWriter,
    column_points,
    get_column_letter,
    own_style,
    printable_points,
    save_workbook,
    set_properties,
)

SHEETS = ("Synthèse", "Programmation", "Suivi par objectif", "Financements", "Réunions",
          "Présences par structure", "Suites à donner", "Portrait")
YEARS_SHEET = "Par année"
PRINT_SCALE = 90  # percent: 10-point cells print at 9 points, headers and footers (9 pt) above 8
FONT_SLACK = 1.25  # how much wider than Calibri's metrics a column may be laid out elsewhere
MONEY_WIDTH = 12
Progress = Callable[[int, int, str], None]


def sheet_names(data: CopilData) -> list[str]:
    names = list(SHEETS)
    if data.year is None:
        names.insert(2, YEARS_SHEET)
    return names


def used_funders(data: CopilData) -> list[tuple[int, FunderInfo]]:
    """Funders shown in columns: those asked at least once in the period."""
    return [(i, f) for i, f in enumerate(data.funders)
            if (t := data.funder_totals[i]).lines or t.requested_cents or t.granted_cents or t.paid_cents]


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        key = label.casefold()
        if key in seen:
            seen[key] += 1
            label = f"{label} ({seen[key]})"
        else:
            seen[key] = 1
        out.append(label)
    return out


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def _total(values) -> int:
    return sum(v or 0 for v in values)


def render_copil_workbook(data: CopilData, path: str | Path, progress: Progress | None = None) -> Path:
    """Write the workbook to ``path`` (atomically: a temporary file then a rename)."""
    report = progress or (lambda *_: None)
    path = Path(path)
    names = sheet_names(data)
    steps = len(names) + 1
    wb = Workbook()
    xw = XlsxWriter(wb, money_format=MONEY_CENTS_FORMAT if data.has_cents else MONEY_FORMAT)
    ctx = _Ctx(xw, data, used_funders(data))
    writers = {
        "Synthèse": ctx.synthese, "Programmation": ctx.programmation, YEARS_SHEET: ctx.par_annee,
        "Suivi par objectif": ctx.suivi, "Financements": ctx.financements, "Réunions": ctx.reunions,
        "Présences par structure": ctx.presences, "Suites à donner": ctx.suites, "Portrait": ctx.portrait,
    }
    for n, name in enumerate(names):
        report(n, steps, name)
        writers[name](xw.sheet(name, first=n == 0))
    if data.maps:  # each quartier's perimeter under the Portrait's table (beside it, the page
        # printed one page wide at about 5.5 points)
        portrait = wb["Portrait"]
        place_maps(xw, portrait, data.maps, column="A", first_row=portrait.max_row + 3)
    if any(reg.members for reg in data.registers):  # the conseils citoyens' registers and the law's checks
        ctx.council(xw.sheet("Conseil citoyen"), xw.sheet("Contrôles du conseil citoyen"))
    if data.changes is not None:  # « Évolutions depuis le COPIL du … »
        add_changes_sheet(xw, data.changes, title=data.title, data_date=data.today)
    set_properties(wb, title=data.title, subject=f"{data.contract} – {data.quartier}", created=data.data_date,
                   keywords=f"contrat de ville; COPIL; programmation {data.year or 'toutes années'}")
    wb.active = 0
    report(len(names), steps, "Enregistrement du fichier")
    _save(wb, path, xw.cached)
    report(steps, steps, "Terminé")
    return path


def _save(wb, path: Path, cached) -> None:
    """Whole or not at all (a missing folder is made); open in Excel: :class:`FileLockedError`."""
    write_atomically(path, lambda tmp: save_workbook(wb, tmp, cached), make_folder=True)


class _Ctx:
    def __init__(self, xw: XlsxWriter, data: CopilData, funders: list[tuple[int, FunderInfo]]):
        self.xw = xw
        self.data = data
        self.funders = funders
        self.date = data.data_date.date()
        self.level = data.first_level
        self.per_level = f"par {_lower_first(self.level)}"

    def finish(self, ws, *, title_rows: str | None = None, fixed: dict[int, float] | None = None,
               maximum: float = 60, filter_ref: str | None = None, **print_options) -> None:
        """Widths from content (capped), then ``fixed`` widths, row heights, filter, print setup."""
        self.xw.fit_columns(ws, maximum=maximum)
        for col, width in (fixed or {}).items():
            ws.column_dimensions[get_column_letter(col)].width = width
        self.xw.fit_rows(ws)
        if filter_ref:
            ws.auto_filter.ref = filter_ref
        self.xw.print_setup(ws, title=self.data.title, data_date=self.date, title_rows=title_rows,
                            subject=f"{ws.title} – {self.data.quartier}", **print_options)

    def total_row(self, ws, row: int, first: int, last: int, columns, values) -> None:
        """« Total » in column A and a SUM per column with its cached result (cents)."""
        self.xw.text(ws, row, 1, "Total", "total")
        for col, cents in zip(columns, values):
            letter = get_column_letter(col)
            self.xw.money_formula(ws, row, col, f"=SUM({letter}{first}:{letter}{last})", cents)

    # ------------------------------------------------------------------ Synthèse

    def synthese(self, ws) -> None:
        xw, d = self.xw, self.data
        xw.styled(ws, 1, 1, "qpv title", d.title)
        xw.styled(ws, 2, 1, "qpv subtitle", d.contract)
        xw.styled(ws, 3, 1, "qpv subtitle", f"Quartier : {d.quartier}")
        xw.styled(ws, 4, 1, "qpv note right", "Données au")  # right-aligned, next to its date
        xw.styled(ws, 4, 2, "qpv note date", self.date)
        ws.row_dimensions[1].height = 24
        row = self._groups(ws, 6)
        row, funder_rows = self._funder_table(ws, row + 2)
        row = self._key_figures(ws, row + 2)
        row, enjeu_rows = self._enjeu_table(ws, row + 2)
        self.finish(ws, fixed={1: 52, 2: 15, 3: 15, 4: 15, 5: 15}, maximum=52)
        # The charts under the tables, on a page of their own (the page stays as wide as the
        # tables, its text full size)
        ws.row_breaks.append(Break(id=row + 1))
        anchor = row + 2
        if enjeu_rows[1] >= enjeu_rows[0]:
            self._chart(ws, f"Montants {self.per_level}", *enjeu_rows, f"A{anchor}")
            anchor += 17
        if funder_rows[1] >= funder_rows[0]:
            self._chart(ws, "Montants par financeur", *funder_rows, f"A{anchor}")

    def _groups(self, ws, row: int) -> int:
        xw, d = self.xw, self.data
        xw.styled(ws, row, 1, "qpv section", "Actions par état")
        row += 1
        xw.header_row(ws, row, ["État", "Actions", "Demandé", "Accordé"])
        first = row + 1
        for g in d.groups:
            row += 1
            xw.text(ws, row, 1, g.label)
            xw.number(ws, row, 2, g.count)
            xw.money(ws, row, 3, g.requested_cents)
            xw.money(ws, row, 4, g.granted_cents)
        row += 1
        xw.text(ws, row, 1, "Total", "total")
        xw.formula(ws, row, 2, f"=SUM(B{first}:B{row - 1})", "int", value=sum(g.count for g in d.groups))
        xw.money_formula(ws, row, 3, f"=SUM(C{first}:C{row - 1})", sum(g.requested_cents for g in d.groups))
        xw.money_formula(ws, row, 4, f"=SUM(D{first}:D{row - 1})", sum(g.granted_cents for g in d.groups))
        return row

    def _funder_table(self, ws, row: int) -> tuple[int, tuple[int, int]]:
        xw, d = self.xw, self.data
        xw.styled(ws, row, 1, "qpv section", "Financements par financeur")
        row += 1
        xw.header_row(ws, row, ["Financeur", "Demandé", "Accordé", "Versé", "Taux d'accord"])
        first = row + 1
        totals = [d.funder_totals[i] for i, _ in self.funders]
        for (_, f), t in zip(self.funders, totals):
            row += 1
            xw.text(ws, row, 1, f.name)
            xw.money(ws, row, 2, t.requested_cents)
            xw.money(ws, row, 3, t.granted_cents)
            xw.money(ws, row, 4, t.paid_cents)
            xw.number(ws, row, 5, t.granted_cents / t.requested_cents if t.requested_cents else None, "pct")
        last = row
        row += 1
        req, gra = sum(t.requested_cents for t in totals), sum(t.granted_cents for t in totals)
        self.total_row(ws, row, first, last, (2, 3, 4), (req, gra, sum(t.paid_cents for t in totals)))
        xw.formula(ws, row, 5, f'=IF(B{row}=0,"",C{row}/B{row})', "pct", value=gra / req if req else "")
        row += 1
        xw.text(ws, row, 1, "dont part de l'État", "total")
        xw.money(ws, row, 2, d.state_requested_cents, "total")
        xw.money(ws, row, 3, d.state_granted_cents, "total")
        xw.text(ws, row, 4, "", "total")
        xw.number(ws, row, 5, d.state_granted_cents / d.granted_cents if d.granted_cents else None, "pct", "total")
        row += 1
        xw.styled(ws, row, 1, "qpv note", "Taux en dernière ligne : part de l'État dans le total accordé.")
        return row, (first, last)

    def _key_figures(self, ws, row: int) -> int:
        xw, d = self.xw, self.data
        xw.styled(ws, row, 1, "qpv section", "Chiffres clés")
        row += 1
        xw.header_row(ws, row, ["Indicateur", "Valeur"])
        figures = [
            ("Actions programmées", len(d.programme), "int"),
            ("Coût total des actions", d.total_cost_cents, "money"),
            ("Bénéficiaires prévus", d.beneficiaries_planned, "int"),
            ("Bénéficiaires touchés", d.beneficiaries_reached, "int"),
            ("dont habitants du quartier prioritaire", d.beneficiaries_qpv, "int"),
            ("Bilans attendus", d.bilans_due, "int"),
            ("Bilans reçus", d.bilans_received, "int"),
            ("Bilans en retard", d.bilans_overdue, "int"),
            ("Taux de réception des bilans", d.bilans_received / d.bilans_due if d.bilans_due else None, "pct"),
        ]
        for body in d.bodies:
            figures.append((f"Réunions tenues – {body.name}", body.held, "int"))
            figures.append((f"Taux de présence moyen – {body.name}", body.average_rate, "pct"))
        if not d.bodies:
            figures.append((f"Réunions tenues {d.period}", 0, "int"))
        figures += [
            ("Suites à donner ouvertes", len(d.tasks), "int"),
            ("dont en retard", sum(1 for t in d.tasks if t.overdue), "int"),
        ]
        for label, value, kind in figures:
            row += 1
            xw.text(ws, row, 1, label)
            if kind == "money":
                xw.money(ws, row, 2, value)
            else:
                xw.number(ws, row, 2, value, kind)
        return row

    def _enjeu_table(self, ws, row: int) -> tuple[int, tuple[int, int]]:
        xw, d = self.xw, self.data
        xw.styled(ws, row, 1, "qpv section", f"Montants {self.per_level}")
        row += 1
        xw.header_row(ws, row, [self.level, "Demandé", "Accordé"])
        first = row + 1
        for e in d.enjeux:
            row += 1
            xw.text(ws, row, 1, e.label, kind="wrap")
            xw.money(ws, row, 2, _total(e.requested))
            xw.money(ws, row, 3, _total(e.granted))
        last = row
        row += 1
        if last >= first:
            self.total_row(ws, row, first, last, (2, 3), (sum(_total(e.requested) for e in d.enjeux),
                                                          sum(_total(e.granted) for e in d.enjeux)))
        else:
            xw.text(ws, row, 1, "Total", "total")
        return row, (first, last)

    def _chart(self, ws, title: str, min_row: int, max_row: int, anchor: str) -> None:
        """Columns in the table's order, Demandé then Accordé (legend in the same order in
        every application), the amounts' format on the axis and no axis title."""
        c = BarChart()
        c.type = "col"
        c.title = title
        c.style = 10
        c.y_axis.title = None
        c.y_axis.numFmt = '#,##0 "€"'
        c.y_axis.majorGridlines = None
        c.height, c.width = 7.5, 24
        c.x_axis.delete = False
        c.y_axis.delete = False
        c.legend.position = "b"
        c.add_data(Reference(ws, min_col=2, max_col=3, min_row=min_row - 1, max_row=max_row), titles_from_data=True)
        c.set_categories(Reference(ws, min_col=1, min_row=min_row, max_row=max_row))
        ws.add_chart(c, anchor)

    # ------------------------------------------------------------------ Programmation

    def programmation(self, ws) -> None:
        """One row per action; printed on A3 at a fixed scale, the identity columns repeated
        on every page, the requested amounts then the granted ones on pages of their own."""
        xw, d = self.xw, self.data
        every_year = d.year is None
        identity = ["Code", *(["Année"] if every_year else []), "Porteur", "Intitulé", "Objectif principal", "État"]
        first_money = len(identity) + 1
        names = [f.name for _, f in self.funders]
        labels = _unique(identity + [f"Demandé – {n}" for n in names] + [f"Accordé – {n}" for n in names]
                         + ["Coût total"])
        xw.header_row(ws, 1, labels)
        idx = [i for i, _ in self.funders]
        k = len(idx)
        shift = 1 if every_year else 0
        text_cell, amounts, number_cell = xw.text, xw.amounts, xw.number
        for n, p in enumerate(d.programme, start=2):
            text_cell(ws, n, 1, p.code)
            if every_year:
                number_cell(ws, n, 2, p.year, "text")
            text_cell(ws, n, 2 + shift, p.holder, kind="wrap")
            text_cell(ws, n, 3 + shift, p.title, kind="wrap")
            text_cell(ws, n, 4 + shift, p.objective, kind="wrap")
            text_cell(ws, n, 5 + shift, p.status, kind="wrap")
            amounts(ws, n, first_money, [*(p.requested[i] for i in idx), *(p.granted[i] for i in idx),
                                         p.total_cost_cents])
        xw.money_columns(ws, range(first_money, len(labels) + 1))
        last = len(d.programme) + 1
        if d.programme:
            table = Table(displayName=f"Programmation_{d.year or 'contrat'}", ref=f"A1:{get_column_letter(len(labels))}{last}")
            table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
            table._initialise_columns()  # named here: openpyxl would otherwise read (and create) every cell
            for column, label in zip(table.tableColumns, labels):
                column.name = label
            ws.add_table(table)
            totals = ([d.funder_totals[i].requested_cents for i in idx] + [d.funder_totals[i].granted_cents for i in idx]
                      + [d.total_cost_cents])
            self.total_row(ws, last + 1, 2, last, range(first_money, len(labels) + 1), totals)
            for col in range(2, first_money):
                xw.text(ws, last + 1, col, "", "total", track=False)
        else:
            xw.text(ws, 2, 1, f"Aucune action {d.period}.", kind="text", track=False)
        ws.freeze_panes = "B2"
        code_width = min(14, max(8, max((len(p.code) for p in d.programme), default=6) + 1))
        widths = {1: code_width, 2 + shift: 20, 3 + shift: 28, 4 + shift: 24, 5 + shift: 16,
                  **{c: MONEY_WIDTH for c in range(first_money, len(labels) + 1)}}
        if every_year:
            widths[2] = 7
        scale = self._money_pages(ws, [widths[c] for c in range(1, first_money)], first_money, k)
        self.finish(ws, title_rows="1:1", fixed=widths, maximum=40, paper="A3", scale=scale,
                    title_cols=f"A:{get_column_letter(first_money - 1)}")

    def _money_pages(self, ws, identity_widths: list[float], first_money: int, k: int) -> int:
        """Manual column breaks: the requested amounts, then the granted ones (and the
        total cost), each on pages of their own beside the repeated identity columns,
        a block cut into even chunks when it is too wide for one page. Returns the print
        scale that fits the widest page on A3 (at most 100 %).

        Widths are reckoned with :data:`FONT_SLACK`: a viewer without Calibri (LibreOffice
        without Carlito) lays columns out wider, and must not break the pages itself."""
        identity = sum(column_points(w) for w in identity_widths) * FONT_SLACK
        money = column_points(MONEY_WIDTH) * FONT_SLACK
        available = printable_points("A3") * 100 / PRINT_SCALE - identity
        per_page = max(1, int(available // money))
        widest = 1
        for block in (list(range(first_money, first_money + k)), list(range(first_money + k, first_money + 2 * k + 1))):
            if not block:
                continue
            chunks = -(-len(block) // per_page)
            size = -(-len(block) // chunks)
            for start in range(0, len(block), size):
                chunk = block[start:start + size]
                widest = max(widest, len(chunk))
                if chunk[-1] != first_money + 2 * k:
                    ws.col_breaks.append(Break(id=chunk[-1]))
        return max(PRINT_SCALE, min(100, int(printable_points("A3") * 100 // (identity + widest * money))))

    # ------------------------------------------------------------------ Par année

    def par_annee(self, ws) -> None:
        xw, d = self.xw, self.data
        xw.header_row(ws, 1, ["Année", "Actions", "Demandé", "Accordé", "dont État (accordé)", "Taux d'accord",
                              "Coût total", "Bénéf. prévus", "Bénéf. touchés"])
        row = 1
        for y in d.years:
            row += 1
            xw.number(ws, row, 1, y.year, "text")
            xw.number(ws, row, 2, y.actions)
            xw.money(ws, row, 3, y.requested_cents)
            xw.money(ws, row, 4, y.granted_cents)
            xw.money(ws, row, 5, y.state_granted_cents)
            xw.number(ws, row, 6, y.granted_cents / y.requested_cents if y.requested_cents else None, "pct")
            xw.money(ws, row, 7, y.total_cost_cents)
            xw.number(ws, row, 8, y.beneficiaries_planned)
            xw.number(ws, row, 9, y.beneficiaries_reached)
        last = row
        if d.years:
            row += 1
            self.total_row(ws, row, 2, last, (3, 4, 5, 7), [sum(getattr(y, a) for y in d.years) for a in (
                "requested_cents", "granted_cents", "state_granted_cents", "total_cost_cents")])
            req, gra = sum(y.requested_cents for y in d.years), sum(y.granted_cents for y in d.years)
            for col, attr in ((2, "actions"), (8, "beneficiaries_planned"), (9, "beneficiaries_reached")):
                letter = get_column_letter(col)
                xw.formula(ws, row, col, f"=SUM({letter}2:{letter}{last})", "int",
                           value=sum(getattr(y, attr) for y in d.years))
            xw.formula(ws, row, 6, f'=IF(C{row}=0,"",D{row}/C{row})', "pct", value=gra / req if req else "")
        else:
            xw.text(ws, 2, 1, "Aucune action sur la durée du contrat.", track=False)
        ws.freeze_panes = "A2"
        self.finish(ws, title_rows="1:1", fixed={1: 8, **{c: 15 for c in range(2, 10)}},
                    filter_ref=f"A1:I{max(last, 2)}")

    # ------------------------------------------------------------------ Suivi

    def suivi(self, ws) -> None:
        xw, d = self.xw, self.data
        labels = ["Code", "Objectif", "Niveau", "Actions", "En examen", "Financées", "Réalisées", "Non retenues",
                  "Abandonnées", "Demandé", "dont État (demandé)", "Accordé", "dont État (accordé)",
                  "Bénéf. prévus", "Bénéf. touchés", "Bilans dus", "Bilans reçus", "Bilans en retard",
                  "Avancement", "Couverture"]
        xw.header_row(ws, 1, labels)
        ws.sheet_properties.outlinePr.summaryBelow = False
        ws.sheet_properties.outlinePr.summaryRight = False
        row = 1
        for o in d.suivi:
            row += 1
            depth = o.depth
            variant = "level1" if depth == 1 else ("level2" if depth == 2 else "body")
            if o.uncovered:
                variant = "alert"
            xw.text(ws, row, 1, o.code, variant)
            cell = xw.text(ws, row, 2, o.title, variant, kind="wrap")
            if depth > 1:
                own_style(cell)
                cell.alignment = _indent(min(depth - 1, 6) * 2)
            xw.text(ws, row, 3, o.level_name, variant)
            figures = (o.actions, o.examen, o.financee, o.realisee, o.non_retenue, o.abandonnee)
            for k, value in enumerate(figures):
                xw.number(ws, row, 4 + k, value, "int", variant)
            for k, cents in enumerate((o.requested_cents, o.state_requested_cents, o.granted_cents,
                                       o.state_granted_cents)):
                xw.money(ws, row, 10 + k, cents, variant)
            for k, value in enumerate((o.beneficiaries_planned, o.beneficiaries_reached, o.reviews_due,
                                       o.reviews_received, o.reviews_overdue)):
                xw.number(ws, row, 14 + k, value, "int", variant)
            xw.number(ws, row, 19, o.progress, "pct", variant)
            xw.text(ws, row, 20, "Non couvert" if o.uncovered else ("Retiré" if o.retired else ""), variant)
            level = min(max(depth - 1, 0), 7)
            if level:
                ws.row_dimensions[row].outline_level = level
        ws.sheet_format.outlineLevelRow = min(max((o.depth for o in d.suivi), default=1) - 1, 7)
        if not d.suivi:
            xw.text(ws, 2, 1, "Aucun objectif dans le référentiel.", track=False)
        ws.freeze_panes = "C2"
        widths = {1: 9, 2: 50, 3: 16, 20: 12, **{c: 13 if 10 <= c <= 13 else 10 for c in range(4, 20)}}
        self.finish(ws, title_rows="1:1", fixed=widths, maximum=50, filter_ref=f"A1:T{max(row, 2)}",
                    paper="A3", fit_height=self._pages_tall(ws, row + 2, widths))
        if d.suivi:
            xw.styled(ws, row + 2, 2, "qpv note",
                      "Chaque ligne additionne sa branche ; les objectifs sans aucune action sont surlignés.")

    @staticmethod
    def _pages_tall(ws, rows: int, widths: dict[int, float]) -> int:
        """Pages tall for a one-page-wide A3 print: a last page that would hold only a few
        rows is folded into the others (the fit shrinks a little, never more than 15 %)."""
        scale = min(1.0, printable_points("A3") / (sum(column_points(w) for w in widths.values()) * FONT_SLACK))
        height = sum((ws.row_dimensions[r].height or LINE_HEIGHT + 2) for r in range(1, rows + 1)) * FONT_SLACK
        page = 297 / 25.4 * 72 - 1.2 * 72 - 0.5 * 72  # A3 landscape less margins, header and footer
        pages = height * scale / page
        return max(1, math.floor(pages) if pages - math.floor(pages) < 0.15 else math.ceil(pages))

    # ------------------------------------------------------------------ Financements

    def financements(self, ws) -> None:
        xw, d = self.xw, self.data
        row = 1
        n = len(self.funders)
        last_col = n + 2
        filter_ref = None
        for title, attr in ((f"Montants accordés {self.per_level} et par financeur", "granted"),
                            (f"Montants demandés {self.per_level} et par financeur", "requested")):
            xw.styled(ws, row, 1, "qpv section", title)
            row += 1
            header = row
            xw.header_row(ws, row, [self.level, *_unique([f.name for _, f in self.funders]), "Total"])
            first = row + 1
            for e in d.enjeux:
                row += 1
                values = [getattr(e, attr)[i] for i, _ in self.funders]
                xw.text(ws, row, 1, e.label, kind="wrap")
                for k, cents in enumerate(values):
                    xw.money(ws, row, 2 + k, cents)
                xw.money_formula(ws, row, last_col, f"=SUM(B{row}:{get_column_letter(last_col - 1)}{row})",
                                 _total(values), "body")
            last = row
            filter_ref = filter_ref or f"A{header}:{get_column_letter(last_col)}{max(last, header + 1)}"
            row += 1
            if last >= first:
                sums = [_total(getattr(e, attr)[i] for e in d.enjeux) for i, _ in self.funders]
                self.total_row(ws, row, first, last, range(2, last_col + 1), [*sums, sum(sums)])
            else:
                xw.text(ws, row, 1, "Total", "total")
            row += 3
        # the enjeu's label wraps: 50 characters beside ten amounts printed it at about 6.5 points
        self.finish(ws, fixed={1: 36, **{c: 13 for c in range(2, last_col + 1)}}, maximum=36,
                    filter_ref=filter_ref)

    # ------------------------------------------------------------------ Réunions

    def reunions(self, ws) -> None:
        xw, d = self.xw, self.data
        labels = ["Date", "Instance", "Intitulé", "Lieu", "État", *[COUNT_HEADS[s] for s in ATTENDANCE_COLUMNS],
                  "Invités", "Taux de présence"]
        xw.header_row(ws, 1, labels)
        row = 1
        for m in d.meetings:
            row += 1
            xw.date(ws, row, 1, m.date)
            xw.text(ws, row, 2, m.body, kind="wrap")
            xw.text(ws, row, 3, m.title, kind="wrap")
            xw.text(ws, row, 4, m.place, kind="wrap")
            xw.text(ws, row, 5, m.status, kind="wrap")
            for k, c in enumerate(m.counts):
                xw.number(ws, row, 6 + k, c)
            xw.number(ws, row, 6 + len(m.counts), m.invited)
            xw.number(ws, row, 7 + len(m.counts), m.rate, "pct")  # blank for a meeting not held
        if not d.meetings:
            xw.text(ws, 2, 1, f"Aucune réunion {d.period}.", track=False)
        ws.freeze_panes = "A2"
        self.finish(ws, title_rows="1:1", fixed={1: 11, 2: 18, 3: 30, 4: 20, 5: 14,
                                                 **{c: 12 if len(labels[c - 1]) > 10 else 10
                                                    for c in range(6, len(labels) + 1)}}, maximum=40,
                    filter_ref=f"A1:{get_column_letter(len(labels))}{max(row, 2)}")

    def presences(self, ws) -> None:
        """Attendance of every organisation at the held meetings of every body."""
        xw, d = self.xw, self.data
        xw.header_row(ws, 1, ["Structure", "Instance", "Invitations", "Présences", "Excusés", "Absences",
                              "Taux de présence"])
        row = 1
        for a in d.attendance:
            row += 1
            xw.text(ws, row, 1, a.organisation, kind="wrap")
            xw.text(ws, row, 2, a.body, kind="wrap")
            xw.number(ws, row, 3, a.invited)
            xw.number(ws, row, 4, a.attended)
            xw.number(ws, row, 5, a.excused)
            xw.number(ws, row, 6, a.absent)
            xw.number(ws, row, 7, a.rate, "pct")
        if not d.attendance:
            xw.text(ws, 2, 1, f"Aucune réunion tenue {d.period}.", track=False)
        ws.freeze_panes = "A2"
        self.finish(ws, title_rows="1:1", fixed={1: 42, 2: 30, **{c: 13 for c in range(3, 8)}},
                    filter_ref=f"A1:G{max(row, 2)}")

    # ------------------------------------------------------------------ Suites à donner

    def suites(self, ws) -> None:
        xw, d = self.xw, self.data
        xw.header_row(ws, 1, ["Échéance", "Suite à donner", "Responsable", "Structure", "Réunion d'origine",
                              "Date de la réunion", "État", "En retard"])
        row = 1
        for t in d.tasks:
            row += 1
            v = "alert" if t.overdue else "body"
            xw.date(ws, row, 1, t.due_date, v)
            xw.text(ws, row, 2, t.description, v, kind="wrap")
            xw.text(ws, row, 3, t.person, v, kind="wrap")
            xw.text(ws, row, 4, t.organisation, v, kind="wrap")
            xw.text(ws, row, 5, t.origin, v, kind="wrap")
            xw.date(ws, row, 6, t.origin_date, v)
            xw.text(ws, row, 7, t.status, v)
            xw.text(ws, row, 8, "En retard" if t.overdue else "", v)
        if not d.tasks:
            xw.text(ws, 2, 1, "Aucune suite à donner ouverte.", track=False)
        ws.freeze_panes = "A2"
        # texts wrap in columns that print at full size on A4 landscape (a 60-character task
        # and a whole structure's name per line printed the sheet at about 6 points)
        self.finish(ws, title_rows="1:1", fixed={1: 12, 2: 42, 3: 22, 4: 30, 5: 18, 6: 12, 7: 11, 8: 11},
                    maximum=42, filter_ref=f"A1:H{max(row, 2)}")

    # ------------------------------------------------------------------ Conseil citoyen

    def council(self, members_ws, checks_ws) -> None:
        last = write_register_sheet(self.xw, members_ws, self.data.registers)
        members_ws.freeze_panes = "A2"
        # widths that print the members at full size on an A4 landscape page
        self.finish(members_ws, title_rows="1:1", fixed={1: 16, 2: 28, 3: 24, 4: 15, 5: 18, 6: 12, 7: 12, 8: 16},
                    maximum=28, filter_ref=f"A1:H{last}")
        last = write_checks_sheet(self.xw, checks_ws, self.data.registers)
        checks_ws.freeze_panes = "A2"
        self.finish(checks_ws, title_rows="1:1", fixed={2: 40, 4: 70}, maximum=70, filter_ref=f"A1:D{last}")

    # ------------------------------------------------------------------ Portrait

    def portrait(self, ws) -> None:
        xw, d = self.xw, self.data
        xw.header_row(ws, 1, ["Quartier", "Indicateur", "Quartier (valeur)", "Agglomération", "Écart", "Unité",
                              "Source", "Année"])
        row = 1
        for s in d.statistics:
            row += 1
            xw.text(ws, row, 1, s.quartier)
            xw.text(ws, row, 2, s.label, kind="wrap")
            if s.is_percentage:
                q = float(s.value) / 100
                a = None if s.agglomeration is None else float(s.agglomeration) / 100
                kind = "pct"
            else:
                q = _num(s.value)
                a = None if s.agglomeration is None else _num(s.agglomeration)
                kind = "int" if isinstance(q, int) and (a is None or isinstance(a, int)) else "dec"
            xw.number(ws, row, 3, q, kind)
            xw.number(ws, row, 4, a, kind)
            if a is not None and kind == "pct":
                gap = float(s.value - s.agglomeration)
                xw.formula(ws, row, 5, f"=(C{row}-D{row})*100", "pts", "body", value=gap)
            elif a is not None:
                xw.formula(ws, row, 5, f"=C{row}-D{row}", kind, "body", value=_num(s.value - s.agglomeration))
            else:
                xw.number(ws, row, 5, None, kind)
            xw.text(ws, row, 6, "" if s.is_percentage else s.unit)
            xw.text(ws, row, 7, s.source, kind="wrap")
            xw.number(ws, row, 8, s.year, "text")
        if not d.statistics:
            xw.text(ws, 2, 1, "Aucune statistique saisie pour ce quartier.", track=False)
        ws.freeze_panes = "A2"
        self.finish(ws, title_rows="1:1", fixed={2: 45, 3: 14, 4: 14, 5: 11, 7: 30}, maximum=45,
                    filter_ref=f"A1:H{max(row, 2)}")


_INDENTS: dict[int, object] = {}


def _indent(n: int):
    if n not in _INDENTS:
        _INDENTS[n] = Alignment(horizontal="left", vertical="top", wrap_text=True, indent=n)
    return _INDENTS[n]


def _num(value):
    if value == value.to_integral_value():
        return int(value)
    return float(value)


__all__ = ["SHEETS", "YEARS_SHEET", "render_copil_workbook", "sheet_names", "used_funders"]
