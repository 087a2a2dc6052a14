"""The COPIL / DGS follow-up workbook: :class:`CopilData` in, an ``.xlsx`` file out (no Qt).

Sheets: Synthèse (key figures and two native charts), Programmation (one row per
action, an Excel table, live totals), Suivi par objectif (the objective tree with row
outlines), Financements (funder × enjeu), Réunions et présences, Suites à donner,
Portrait. Every user string goes through :class:`~qpv_desk.reports.xlsx_common.XlsxWriter`,
which never lets text become a formula.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..domain.errors import StorageError
from ..services.reporting import ATTENDANCE_COLUMNS, CopilData, FunderInfo
from .xlsx_common import MONEY_CENTS_FORMAT, MONEY_FORMAT, XlsxWriter, get_column_letter, set_properties

SHEETS = ("Synthèse", "Programmation", "Suivi par objectif", "Financements", "Réunions et présences",
          "Suites à donner", "Portrait")
Progress = Callable[[int, int, str], None]


def used_funders(data: CopilData) -> list[tuple[int, FunderInfo]]:
    """Funders shown in columns: those with an amount this year, and always the State's."""
    used = []
    for i, f in enumerate(data.funders):
        total = data.funder_totals[i]
        if f.is_state or total.requested_cents or total.granted_cents or total.paid_cents:
            used.append((i, f))
    return used


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


def write_copil_workbook(data: CopilData, path: str | Path, progress: Progress | None = None) -> Path:
    """Write the workbook to ``path`` (atomically: a temporary file then a rename)."""
    from openpyxl import Workbook

    report = progress or (lambda *_: None)
    path = Path(path)
    steps = len(SHEETS) + 1
    wb = Workbook()
    xw = XlsxWriter(wb, money_format=MONEY_CENTS_FORMAT if data.has_cents else MONEY_FORMAT)
    funders = used_funders(data)
    ctx = _Ctx(xw, data, funders)

    report(0, steps, "Synthèse")
    ctx.synthese(xw.sheet("Synthèse", first=True))
    report(1, steps, "Programmation")
    ctx.programmation(xw.sheet("Programmation"), lambda done, total: report(1, steps, f"Programmation : {done} / {total} actions"))
    report(2, steps, "Suivi par objectif")
    ctx.suivi(xw.sheet("Suivi par objectif"))
    report(3, steps, "Financements")
    ctx.financements(xw.sheet("Financements"))
    report(4, steps, "Réunions et présences")
    ctx.reunions(xw.sheet("Réunions et présences"))
    report(5, steps, "Suites à donner")
    ctx.suites(xw.sheet("Suites à donner"))
    report(6, steps, "Portrait")
    ctx.portrait(xw.sheet("Portrait"))
    if getattr(data, "changes", None) is not None:  # « Évolutions depuis le COPIL du … »
        from .copil_changes import add_changes_sheet

        add_changes_sheet(xw, data.changes, title=data.title, data_date=ctx.date)
    set_properties(wb, title=data.title, subject=f"{data.contract} – {data.quartier}", created=data.data_date,
                   keywords=f"contrat de ville; COPIL; programmation {data.year or 'toutes années'}")
    wb.active = 0
    report(7, steps, "Enregistrement du fichier")
    _save(wb, path)
    report(steps, steps, "Terminé")
    return path


def _save(wb, path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".qpv-", suffix=".xlsx", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise StorageError(f"Impossible d'écrire dans le dossier « {folder} » : {exc.strerror or exc}.") from None
    try:
        wb.save(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600: give the usual permissions
        os.replace(tmp, path)
    except PermissionError:
        Path(tmp).unlink(missing_ok=True)
        raise StorageError(
            f"Le fichier « {path.name} » ne peut pas être remplacé : il est peut-être ouvert dans Excel ou LibreOffice. "
            "Fermez-le puis recommencez."
        ) from None
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise StorageError(f"L'enregistrement de « {path.name} » a échoué : {exc.strerror or exc}.") from None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class _Ctx:
    def __init__(self, xw: XlsxWriter, data: CopilData, funders: list[tuple[int, FunderInfo]]):
        self.xw = xw
        self.data = data
        self.funders = funders
        self.date = data.data_date.date()

    def finish(self, ws, *, title_rows: str | None = None, fixed: dict[int, float] | None = None,
               maximum: float = 60) -> None:
        """Widths from content (capped), then ``fixed`` widths, then row heights, then print setup."""
        self.xw.fit_columns(ws, maximum=maximum)
        for col, width in (fixed or {}).items():
            ws.column_dimensions[get_column_letter(col)].width = width
        self.xw.fit_rows(ws)
        self.xw.print_setup(ws, title=self.data.title, data_date=self.date, title_rows=title_rows,
                            subject=f"{ws.title} – {self.data.quartier}")

    # ------------------------------------------------------------------ Synthèse

    def synthese(self, ws) -> None:
        xw, d = self.xw, self.data
        xw.styled(ws, 1, 1, "qpv title", d.title)
        xw.styled(ws, 2, 1, "qpv subtitle", d.contract)
        xw.styled(ws, 3, 1, "qpv subtitle", f"Quartier : {d.quartier}")
        xw.styled(ws, 4, 1, "qpv note", "Données au")
        xw.styled(ws, 4, 2, "qpv note date", self.date)
        ws.row_dimensions[1].height = 24
        row = 6

        # Actions by status group
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
        xw.formula(ws, row, 2, f"=SUM(B{first}:B{row - 1})", "int")
        xw.formula(ws, row, 3, f"=SUM(C{first}:C{row - 1})")
        xw.formula(ws, row, 4, f"=SUM(D{first}:D{row - 1})")
        row += 2

        # Funders
        xw.styled(ws, row, 1, "qpv section", "Financements par financeur")
        row += 1
        xw.header_row(ws, row, ["Financeur", "Demandé", "Accordé", "Versé", "Taux d'accord"])
        funder_first = row + 1
        for i, f in self.funders:
            t = d.funder_totals[i]
            row += 1
            xw.text(ws, row, 1, f.name)
            xw.money(ws, row, 2, t.requested_cents)
            xw.money(ws, row, 3, t.granted_cents)
            xw.money(ws, row, 4, t.paid_cents)
            xw.number(ws, row, 5, t.granted_cents / t.requested_cents if t.requested_cents else None, "pct")
        funder_last = row
        row += 1
        xw.text(ws, row, 1, "Total", "total")
        for col in (2, 3, 4):
            letter = get_column_letter(col)
            xw.formula(ws, row, col, f"=SUM({letter}{funder_first}:{letter}{funder_last})")
        xw.formula(ws, row, 5, f'=IF(B{row}=0,"",C{row}/B{row})', "pct")
        row += 1
        xw.text(ws, row, 1, "dont part de l'État", "total")
        xw.money(ws, row, 2, d.state_requested_cents, "total")
        xw.money(ws, row, 3, d.state_granted_cents, "total")
        xw.text(ws, row, 4, "", "total")
        xw.number(ws, row, 5, d.state_granted_cents / d.granted_cents if d.granted_cents else None, "pct", "total")
        row += 1
        xw.styled(ws, row, 1, "qpv note", "Taux en dernière ligne : part de l'État dans le total accordé.")
        row += 2

        # Key figures
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
            ("Réunions du Groupe technique tenues", d.gt_meetings_held, "int"),
            ("Taux de présence moyen au Groupe technique", d.gt_average_rate, "pct"),
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
        row += 2

        # Amounts by enjeu (chart source)
        xw.styled(ws, row, 1, "qpv section", "Montants par enjeu")
        row += 1
        xw.header_row(ws, row, ["Enjeu", "Demandé", "Accordé"])
        enjeu_first = row + 1
        for e in d.enjeux:
            row += 1
            xw.text(ws, row, 1, e.label, kind="wrap")
            xw.money(ws, row, 2, sum(e.requested))
            xw.money(ws, row, 3, sum(e.granted))
        enjeu_last = row
        row += 1
        xw.text(ws, row, 1, "Total", "total")
        if enjeu_last >= enjeu_first:
            xw.formula(ws, row, 2, f"=SUM(B{enjeu_first}:B{enjeu_last})")
            xw.formula(ws, row, 3, f"=SUM(C{enjeu_first}:C{enjeu_last})")
        self.finish(ws, fixed={1: 52, 2: 15, 3: 15, 4: 15, 5: 15}, maximum=52)

        # Charts (native): by enjeu and by funder
        from openpyxl.chart import BarChart, Reference

        def chart(title, min_row, max_row, cols, anchor, horizontal):
            c = BarChart()
            c.type = "bar" if horizontal else "col"
            c.title = title
            c.style = 10
            c.y_axis.title = "€"
            c.y_axis.numFmt = "#,##0"
            c.y_axis.majorGridlines = None
            c.height, c.width = 8.5, 17
            c.x_axis.delete = False
            c.y_axis.delete = False
            c.legend.position = "b"
            ref = Reference(ws, min_col=cols[0], max_col=cols[1], min_row=min_row - 1, max_row=max_row)
            c.add_data(ref, titles_from_data=True)
            c.set_categories(Reference(ws, min_col=1, min_row=min_row, max_row=max_row))
            ws.add_chart(c, anchor)

        if enjeu_last >= enjeu_first:
            chart("Montants par enjeu", enjeu_first, enjeu_last, (2, 3), "G6", True)
        if funder_last >= funder_first:
            chart("Montants par financeur", funder_first, funder_last, (2, 3), "G24", True)

    # ------------------------------------------------------------------ Programmation

    def programmation(self, ws, tick: Callable[[int, int], None]) -> None:
        xw, d = self.xw, self.data
        every_year = d.year is None
        labels = ["Code", *(["Année"] if every_year else []), "Porteur", "Intitulé", "Objectif principal", "État"]
        first_money = len(labels) + 1
        for _, f in self.funders:
            labels += [f"Demandé – {f.name}", f"Accordé – {f.name}"]
        labels.append("Coût total")
        labels = _unique(labels)
        xw.header_row(ws, 1, labels)
        money_cols = range(first_money, len(labels) + 1)
        idx = [i for i, _ in self.funders]
        total = len(d.programme)
        text_cell, money_cell = xw.text, xw.money
        shift = 1 if every_year else 0
        number_cell = xw.number
        for n, p in enumerate(d.programme, start=2):
            text_cell(ws, n, 1, p.code)
            if every_year:
                number_cell(ws, n, 2, p.year, "text")
            text_cell(ws, n, 2 + shift, p.holder, kind="wrap")
            text_cell(ws, n, 3 + shift, p.title, kind="wrap")
            text_cell(ws, n, 4 + shift, p.objective, kind="wrap")
            text_cell(ws, n, 5 + shift, p.status)
            col = first_money
            for i in idx:
                money_cell(ws, n, col, p.requested[i])
                money_cell(ws, n, col + 1, p.granted[i])
                col += 2
            money_cell(ws, n, col, p.total_cost_cents)
            if n % 500 == 0:
                tick(n - 1, total)
        last = total + 1
        trow = last + 1
        if total:
            from openpyxl.worksheet.table import Table, TableStyleInfo

            table = Table(displayName=f"Programmation_{d.year or 'contrat'}", ref=f"A1:{get_column_letter(len(labels))}{last}")
            table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
            ws.add_table(table)
            xw.text(ws, trow, 1, "Total", "total")
            for col in range(2, first_money):
                xw.text(ws, trow, col, "", "total", track=False)
            for col in money_cols:
                letter = get_column_letter(col)
                xw.formula(ws, trow, col, f"=SUM({letter}2:{letter}{last})")
        else:
            xw.text(ws, 2, 1, f"Aucune action {d.period}.", kind="text", track=False)
        ws.freeze_panes = "B2"
        code_width = min(16, max(8, max((len(p.code) for p in d.programme), default=6) + 2))
        widths = {1: code_width, 2 + shift: 28, 3 + shift: 40, 4 + shift: 36, 5 + shift: 16, **{c: 13 for c in money_cols}}
        if every_year:
            widths[2] = 7
        self.finish(ws, title_rows="1:1", fixed=widths, maximum=40)

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
        widths = {1: 9, 2: 50, 3: 20, 20: 12, **{c: 13 if 10 <= c <= 13 else 11 for c in range(4, 20)}}
        self.finish(ws, title_rows="1:1", fixed=widths, maximum=50)
        if d.suivi:
            xw.styled(ws, row + 2, 2, "qpv note",
                      "Chaque ligne additionne sa branche ; les objectifs sans aucune action sont surlignés.")

    # ------------------------------------------------------------------ Financements

    def financements(self, ws) -> None:
        xw, d = self.xw, self.data
        row = 1
        n = len(self.funders)
        last_col = n + 2
        for title, attr in (("Montants accordés par enjeu et par financeur", "granted"),
                            ("Montants demandés par enjeu et par financeur", "requested")):
            xw.styled(ws, row, 1, "qpv section", title)
            row += 1
            xw.header_row(ws, row, ["Enjeu", *_unique([f.name for _, f in self.funders]), "Total"])
            first = row + 1
            for e in d.enjeux:
                row += 1
                values = getattr(e, attr)
                xw.text(ws, row, 1, e.label, kind="wrap")
                for k, (i, _) in enumerate(self.funders):
                    xw.money(ws, row, 2 + k, values[i])
                xw.formula(ws, row, last_col, f"=SUM(B{row}:{get_column_letter(last_col - 1)}{row})")
            last = row
            row += 1
            xw.text(ws, row, 1, "Total", "total")
            if last >= first:
                for col in range(2, last_col + 1):
                    letter = get_column_letter(col)
                    xw.formula(ws, row, col, f"=SUM({letter}{first}:{letter}{last})")
            row += 3
        self.finish(ws, fixed={1: 50, **{c: 15 for c in range(2, last_col + 1)}}, maximum=50)

    # ------------------------------------------------------------------ Réunions

    def reunions(self, ws) -> None:
        xw, d = self.xw, self.data
        status_labels = [s.label for s in ATTENDANCE_COLUMNS]
        labels = ["Date", "Instance", "Intitulé", "Lieu", "État", *status_labels, "Invités", "Taux de présence"]
        xw.header_row(ws, 1, labels)
        row = 1
        for m in d.meetings:
            row += 1
            xw.date(ws, row, 1, m.date)
            xw.text(ws, row, 2, m.body)
            xw.text(ws, row, 3, m.title, kind="wrap")
            xw.text(ws, row, 4, m.place, kind="wrap")
            xw.text(ws, row, 5, m.status)
            for k, c in enumerate(m.counts):
                xw.number(ws, row, 6 + k, c)
            xw.number(ws, row, 6 + len(m.counts), m.invited)
            xw.number(ws, row, 7 + len(m.counts), m.rate, "pct")
        if not d.meetings:
            row += 1
            xw.text(ws, row, 1, f"Aucune réunion {d.period}.", track=False)
        row += 3
        xw.styled(ws, row, 3, "qpv section", "Présence des structures aux réunions tenues du Groupe technique")
        row += 1
        xw.header_row(ws, row, ["Structure", "Invitations", "Présences", "Taux de présence"], col=3)
        for o in d.org_attendance:
            row += 1
            xw.text(ws, row, 3, o.organisation, kind="wrap")
            xw.number(ws, row, 4, o.invited)
            xw.number(ws, row, 5, o.attended)
            xw.number(ws, row, 6, o.rate, "pct")
        if not d.org_attendance:
            row += 1
            xw.text(ws, row, 3, "Aucune réunion du Groupe technique tenue.", track=False)
        ws.freeze_panes = "A2"
        self.finish(ws, title_rows="1:1", fixed={1: 12, 2: 30, 3: 38, 4: 24, 5: 18,
                                                 **{c: 12 for c in range(6, len(labels) + 1)}}, maximum=40)

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
            xw.text(ws, row, 3, t.person, v)
            xw.text(ws, row, 4, t.organisation, v)
            xw.text(ws, row, 5, t.origin, v)
            xw.date(ws, row, 6, t.origin_date, v)
            xw.text(ws, row, 7, t.status, v)
            xw.text(ws, row, 8, "En retard" if t.overdue else "", v)
        if not d.tasks:
            xw.text(ws, 2, 1, "Aucune suite à donner ouverte.", track=False)
        ws.freeze_panes = "A2"
        self.finish(ws, title_rows="1:1", fixed={1: 12, 2: 60, 6: 12, 8: 11}, maximum=60)

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
                xw.formula(ws, row, 5, f"=(C{row}-D{row})*100", "pts", "body")
            elif a is not None:
                xw.formula(ws, row, 5, f"=C{row}-D{row}", kind, "body")
            else:
                xw.number(ws, row, 5, None, kind)
            xw.text(ws, row, 6, "" if s.is_percentage else s.unit)
            xw.text(ws, row, 7, s.source, kind="wrap")
            xw.number(ws, row, 8, s.year, "text")
        if not d.statistics:
            xw.text(ws, 2, 1, "Aucune statistique saisie pour ce quartier.", track=False)
        ws.freeze_panes = "A2"
        self.finish(ws, title_rows="1:1", fixed={2: 55, 3: 14, 4: 14, 5: 11, 7: 32}, maximum=55)


_INDENTS: dict[int, object] = {}


def _indent(n: int):
    if n not in _INDENTS:
        from openpyxl.styles import Alignment

        _INDENTS[n] = Alignment(horizontal="left", vertical="top", wrap_text=True, indent=n)
    return _INDENTS[n]


def _num(value):
    if value == value.to_integral_value():
        return int(value)
    return float(value)
