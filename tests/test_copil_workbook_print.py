"""The COPIL workbook as the DGS reads it: on paper, in a viewer that does not recalculate,
and for a commune of another shape than Verquin's.

Every test reads the workbook back with openpyxl (and, where LibreOffice is installed,
from its PDF). A second commune is built here from a small referential: four levels named
Pilier / Axe / Objectif / Sous-objectif, no body called « Groupe technique », a QPV and a
QIC. Nothing of Verquin's shape may show through.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections import defaultdict

import openpyxl
import pytest
from sqlalchemy import text

from copil_data import TODAY, YEAR, build_dataset, cents, q
from office import to_pdf
from qpv_desk.domain import enums as E

OTHER_REFERENTIAL = '''
format = 1

[contract]
code = "CV-LISIERE"
name = "Contrat de ville de Lisière-sur-Aa"
epci = "Communauté de la Lisière"
commune = "Lisière-sur-Aa"
start_year = 2024
end_year = 2030

[[levels]]
name = "Pilier"
[[levels]]
name = "Axe"
[[levels]]
name = "Objectif"
[[levels]]
name = "Sous-objectif"

[[quartiers]]
code = "QP 099 001"
name = "Les Prés"
status = "Quartier prioritaire de la politique de la ville"
communes = ["Lisière-sur-Aa"]

[[quartiers]]
code = "QIC-01"
name = "Le Moulin"
status = "Quartier d'intérêt communautaire"
communes = ["Lisière-sur-Aa"]

[[objectives]]
code = "A"
title = "Cohésion sociale"
[[objectives]]
code = "A.1"
title = "Santé"
[[objectives]]
code = "A.1.a"
title = "Prévention"
[[objectives]]
code = "A.1.a.i"
title = "Dépistages itinérants"
[[objectives]]
code = "B"
title = "Cadre de vie"
[[objectives]]
code = "B.1"
title = "Espaces publics"
[[objectives]]
code = "B.1.a"
title = "Jardins partagés"
[[objectives]]
code = "B.1.a.i"
title = "Parcelles familiales"

[[funders]]
code = "etat"
name = "État – BOP 147"
state = true
[[funders]]
code = "ville"
name = "Ville de Lisière"
[[funders]]
code = "dept"
name = "Département"

[[bodies]]
code = "COPIL"
name = "Comité de pilotage"
kind = "copil"
[[bodies]]
code = "CAQ"
name = "Cellule d'animation des quartiers"
kind = "autre"
[[bodies]]
code = "CC"
name = "Conseil citoyen des Prés"
kind = "conseil_citoyen"
'''


def build_other_commune(db, tmp_path) -> None:
    """The other commune: two actions on the deepest level, an avis given by the COPIL."""
    from qpv_desk.services.referential import import_referential, read_referential
    from qpv_desk.store import models as M

    path = tmp_path / "lisiere.toml"
    path.write_text(OTHER_REFERENTIAL, encoding="utf-8")
    import_referential(db, read_referential(path))
    with db.session() as s:
        contract = s.query(M.Contract).one()
        qpv, qic = s.query(M.Quartier).order_by(M.Quartier.code).all()[::-1]
        funders = {f.code: f for f in s.query(M.Funder)}
        objectives = {o.code: o for o in s.query(M.Objective)}
        bodies = {b.code: b for b in s.query(M.Body)}
        orgs = [M.Organisation(name=n, kind="association") for n in ("Éducation nationale", "Zèbre & Cie", "Atelier")]
        s.add_all(orgs)
        s.flush()
        people = [M.Person(first_name="Ana", last_name=f"Membre {i}", organisation_id=o.id) for i, o in enumerate(orgs)]
        s.add_all(people)
        s.flush()
        py = M.ProgrammeYear(contract_id=contract.id, year=YEAR)
        s.add(py)
        s.flush()
        a1 = M.Action(programme_year_id=py.id, quartier_id=qpv.id, code="L-01", title="Dépistage en bus",
                      holder_id=orgs[0].id, status="avis_favorable", total_cost_cents=500000)
        a1.objective_links.append(M.ActionObjective(objective_id=objectives["A.1.a.i"].id, is_principal=True))
        a1.funding_lines.append(M.FundingLine(funder_id=funders["etat"].id, requested_cents=200000))
        a2 = M.Action(programme_year_id=py.id, quartier_id=qic.id, code="L-02", title="Parcelles au Moulin",
                      holder_id=orgs[1].id, status="accordee", total_cost_cents=300000)
        a2.objective_links.append(M.ActionObjective(objective_id=objectives["B.1.a.i"].id, is_principal=True))
        a2.funding_lines.append(M.FundingLine(funder_id=funders["ville"].id, requested_cents=100000,
                                              granted_cents=100000))
        s.add_all([a1, a2])
        s.flush()
        copil = M.Meeting(body_id=bodies["COPIL"].id, title="COPIL de printemps", date=dt.date(YEAR, 4, 2),
                          status="tenue")
        caq = M.Meeting(body_id=bodies["CAQ"].id, title="Cellule de mars", date=dt.date(YEAR, 3, 5), status="tenue")
        cc = M.Meeting(body_id=bodies["CC"].id, title="Conseil de juin", date=dt.date(YEAR, 6, 5), status="prevue")
        s.add_all([copil, caq, cc])
        s.flush()
        for meeting, statuses in ((copil, ("present", "absent")), (caq, ("present", "present", "excuse")),
                                  (cc, ("invite", "invite"))):
            for person, st in zip(people, statuses):
                s.add(M.Attendance(meeting_id=meeting.id, person_id=person.id, organisation_id=person.organisation_id,
                                   status=st))
        s.add(M.ActionStatusChange(action_id=a1.id, status="avis_favorable", date=dt.date(YEAR, 4, 2),
                                   meeting_id=copil.id))
        s.add(M.ActionStatusChange(action_id=a2.id, status="accordee", date=dt.date(YEAR, 4, 2),
                                   meeting_id=copil.id))


def write(db, path, year=YEAR, **kwargs):
    from qpv_desk.services.reporting import write_copil_workbook

    write_copil_workbook(db, year, path, today=TODAY, **kwargs)
    return openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)


@pytest.fixture
def dataset(empty_db):
    build_dataset(empty_db)
    return empty_db


def all_text(wb) -> str:
    out = []
    for ws in wb.worksheets:
        out.append(ws.title)
        for row in ws.iter_rows(values_only=True):
            out.extend(v for v in row if isinstance(v, str))
        for chart in ws._charts:
            out.append(_chart_title(chart))
    return "\n".join(out)


def _chart_title(chart) -> str:
    return "".join(r.t for p in chart.title.tx.rich.p for r in (p.r or []))


# --------------------------------------------------------------------------- cached values


def _range_sum(ws, ref: str) -> float:
    (c1, r1, c2, r2) = openpyxl.utils.cell.range_boundaries(ref)
    return sum(ws.cell(r, c).value or 0 for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
               if isinstance(ws.cell(r, c).value, (int, float)))


@pytest.mark.parametrize("year", [YEAR, None])
def test_every_formula_has_its_cached_value(dataset, tmp_path, year):
    """A viewer that does not recalculate shows the totals: each formula cell carries its
    result, equal to what the formula computes from the cells and to the app's figure."""
    from qpv_desk.services.reporting import copil_data

    formulas, values = write(dataset, tmp_path / "copil.xlsx", year=year)
    checked = 0
    for ws in formulas.worksheets:
        vs = values[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                cached = vs[cell.coordinate].value
                f = cell.value
                checked += 1
                if m := re.fullmatch(r"=SUM\(([A-Z]+\d+:[A-Z]+\d+)\)", f):
                    assert cached == pytest.approx(_range_sum(vs, m.group(1))), (ws.title, cell.coordinate)
                elif m := re.fullmatch(r'=IF\(([A-Z]+\d+)=0,"",([A-Z]+\d+)/([A-Z]+\d+)\)', f):
                    den, num = vs[m.group(1)].value, vs[m.group(2)].value
                    assert cached == (pytest.approx(num / den) if den else ""), (ws.title, cell.coordinate)
                elif m := re.fullmatch(r"=\(([A-Z]+\d+)-([A-Z]+\d+)\)\*100", f):
                    assert cached == pytest.approx((vs[m.group(1)].value - vs[m.group(2)].value) * 100)
                elif m := re.fullmatch(r"=([A-Z]+\d+)-([A-Z]+\d+)", f):
                    assert cached == pytest.approx(vs[m.group(1)].value - vs[m.group(2)].value)
                else:
                    pytest.fail(f"formule inattendue {f}")
                assert cached is not None
    assert checked >= 20
    # … and the app's own figures: the Programmation totals are the funders' totals
    data = copil_data(dataset, year, today=TODAY)
    ws = values["Programmation"]
    header = [c.value for c in ws[1]]
    total_row = len(data.programme) + 2
    assert ws.cell(total_row, 1).value == "Total"
    compared = []
    for t in data.funder_totals:
        if f"Demandé – {t.funder.name}" in header:
            assert cents(ws.cell(total_row, header.index(f"Demandé – {t.funder.name}") + 1).value) == t.requested_cents
            assert cents(ws.cell(total_row, header.index(f"Accordé – {t.funder.name}") + 1).value) == t.granted_cents
            compared.append(f"Demandé – {t.funder.name}")
    # every funder column of the sheet was compared (and there are some)
    assert compared and sorted(compared) == sorted(h for h in header if h and h.startswith("Demandé – "))
    assert cents(ws.cell(total_row, header.index("Coût total") + 1).value) == data.total_cost_cents
    # Excel still recalculates on opening: the formulas stay live
    assert formulas.calculation.fullCalcOnLoad


# --------------------------------------------------------------------------- print and layout


def test_programmation_prints_on_a3_with_requested_and_granted_pages(dataset, tmp_path):
    wb, _ = write(dataset, tmp_path / "copil.xlsx")
    ws = wb["Programmation"]
    header = [c.value for c in ws[1]]
    demandes = [i + 1 for i, h in enumerate(header) if h.startswith("Demandé – ")]
    accordes = [i + 1 for i, h in enumerate(header) if h.startswith("Accordé – ")]
    assert demandes and max(demandes) < min(accordes)  # the requested block, then the granted one
    assert int(ws.page_setup.paperSize) == 8 and ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.scale) >= 90  # 10-point text ≥ 9 points on paper
    assert ws.print_title_cols == "$A:$E" and ws.print_title_rows == "$1:$1"
    breaks = [b.id for b in ws.col_breaks.brk]
    assert max(demandes) in breaks  # the granted amounts start a page of their own
    # long titles wrap, and their rows are tall enough
    assert ws.cell(2, header.index("Intitulé") + 1).alignment.wrap_text
    # funders never asked have no column at all
    asked = {r[0] for r in q(dataset, """SELECT DISTINCT f.name FROM funding_line fl JOIN funder f ON f.id=fl.funder_id
        JOIN action a ON a.id=fl.action_id JOIN programme_year py ON py.id=a.programme_year_id WHERE py.year=:y""",
                             y=YEAR)}
    assert {h.removeprefix("Demandé – ") for h in header if h.startswith("Demandé – ")} == asked


def test_every_data_sheet_has_a_filter_and_print_titles(dataset, tmp_path):
    wb, _ = write(dataset, tmp_path / "copil.xlsx", year=None)
    assert "Par année" in wb.sheetnames
    for ws in wb.worksheets:
        if ws.title == "Synthèse":
            continue
        assert ws.tables or ws.auto_filter.ref, ws.title
        if ws.title != "Financements":
            assert ws.print_title_rows == "$1:$1", ws.title
            assert ws.auto_filter.ref is None or ws.auto_filter.ref.startswith("A1:"), ws.title


def test_rows_are_as_tall_as_their_text(dataset, tmp_path):
    wb, _ = write(dataset, tmp_path / "copil.xlsx")
    ws = wb["Réunions"]
    for r in range(2, ws.max_row + 1):
        longest = max(len(str(ws.cell(r, c).value or "")) for c in (2, 3, 4))
        if longest < 20:  # fits one line in every column
            assert ws.row_dimensions[r].height is None, r
    # « Données au » sits right next to its date
    syn = wb["Synthèse"]
    assert syn["A4"].value == "Données au" and syn["A4"].alignment.horizontal == "right"
    assert isinstance(syn["B4"].value, dt.datetime) and syn["B4"].alignment.horizontal == "left"


def test_suivi_fits_its_pages(sample_db, tmp_path):
    wb, _ = write(sample_db, tmp_path / "demo.xlsx")
    ws = wb["Suivi par objectif"]
    assert int(ws.page_setup.paperSize) == 8  # A3: twenty columns stay readable
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1
    assert int(ws.page_setup.fitToHeight) >= 1  # a whole number of pages, never a few spilled rows


def test_blank_rate_for_meetings_not_held_and_blank_amounts_never_asked(dataset, tmp_path):
    wb, _ = write(dataset, tmp_path / "copil.xlsx")
    ws = wb["Réunions"]
    header = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        state = ws.cell(r, header.index("État") + 1).value
        rate = ws.cell(r, header.index("Taux de présence") + 1).value
        if state in (E.MeetingStatus.PREVUE.label, E.MeetingStatus.CONVOQUEE.label):
            assert rate is None
    ws = wb["Financements"]
    names = [c.value for c in ws[2]]
    asked = defaultdict(set)
    for root_code, fname in q(dataset, """SELECT COALESCE(r.code, ''), f.name FROM funding_line fl
            JOIN funder f ON f.id=fl.funder_id JOIN action a ON a.id=fl.action_id
            JOIN programme_year py ON py.id=a.programme_year_id
            LEFT JOIN action_objective ao ON ao.action_id=a.id AND ao.is_principal
            LEFT JOIN objective o ON o.id=ao.objective_id
            LEFT JOIN objective p ON p.id=o.parent_id LEFT JOIN objective r ON r.id=p.parent_id
            WHERE py.year=:y""", y=YEAR):
        asked[root_code].add(fname)
    # the requested table (the second one): blank exactly where the funder was never asked
    r = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("Montants demandés")) + 2
    assert [c.value for c in ws[r - 1]] == names
    while ws.cell(r, 1).value != "Total":
        code = ws.cell(r, 1).value.split(" – ")[0] if " – " in ws.cell(r, 1).value else ""
        for c, name in enumerate(names[1:-1], start=2):
            assert (ws.cell(r, c).value is None) == (name not in asked[code]), (ws.cell(r, 1).value, name)
        r += 1


def test_charts_follow_the_tables(dataset, tmp_path):
    wb, _ = write(dataset, tmp_path / "copil.xlsx")
    ws = wb["Synthèse"]
    charts = ws._charts
    assert [_chart_title(c) for c in charts] == ["Montants par enjeu", "Montants par financeur"]
    for chart in charts:
        assert chart.type == "col" and chart.x_axis.scaling.orientation == "minMax"  # left to right, table order
        assert chart.y_axis.title is None  # no stray « € » title
        titles = [s.tx.strRef.f for s in chart.series]
        assert [ws[t.split("!")[1].replace("$", "")].value for t in titles] == ["Demandé", "Accordé"]
        cat = chart.series[0].cat
        cats = (cat.strRef or cat.numRef).f.split("!")[1].replace("$", "")
        first = int(re.match(r"[A-Z]+(\d+)", cats).group(1))
        assert ws.cell(first - 1, 1).value in ("Enjeu", "Financeur")  # categories from the table's first row


def test_formula_like_text_keeps_its_prefix_after_styling(dataset, tmp_path):
    with dataset.session() as s:
        s.execute(text("UPDATE contract SET name = '=1+1'"))
    wb, _ = write(dataset, tmp_path / "copil.xlsx")
    cell = wb["Synthèse"]["A2"]
    assert cell.value == "=1+1" and cell.data_type == "s" and cell.quotePrefix
    assert cell.font.italic  # its style applied as well
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.data_type == "s" and c.value[:1] in ("=", "+", "-", "@"):
                    assert c.quotePrefix, (ws.title, c.coordinate)


def test_whole_contract_has_a_breakdown_by_year(dataset, tmp_path):
    wb, values = write(dataset, tmp_path / "contrat.xlsx", year=None)
    ws = values["Par année"]
    assert [c.value for c in ws[1]][:4] == ["Année", "Actions", "Demandé", "Accordé"]
    expected = q(dataset, """SELECT py.year, COUNT(*) FROM action a JOIN programme_year py ON py.id=a.programme_year_id
        GROUP BY py.year ORDER BY py.year""")
    money = dict(q(dataset, """SELECT py.year, SUM(COALESCE(fl.granted_cents,0)) FROM funding_line fl
        JOIN action a ON a.id=fl.action_id JOIN programme_year py ON py.id=a.programme_year_id GROUP BY py.year"""))
    for r, (year, count) in enumerate(expected, start=2):
        assert ws.cell(r, 1).value == year and ws.cell(r, 2).value == count
        assert cents(ws.cell(r, 4).value) == money[year]
    total = len(expected) + 2
    assert ws.cell(total, 1).value == "Total" and ws.cell(total, 2).value == sum(c for _, c in expected)


# --------------------------------------------------------------------------- another commune


def test_other_commune_speaks_its_own_words(empty_db, tmp_path):
    build_other_commune(empty_db, tmp_path)
    wb, values = write(empty_db, tmp_path / "lisiere.xlsx")
    words = all_text(wb)
    for verquin in ("Enjeu", "enjeu", "Groupe technique", " GT", "GT ", "COPIL)", "Verquin", "Îlots"):
        assert verquin not in words, verquin
    syn = wb["Synthèse"]
    labels = [syn.cell(r, 1).value for r in range(1, syn.max_row + 1)]
    assert "Montants par pilier" in labels
    assert [_chart_title(c) for c in syn._charts][0] == "Montants par pilier"
    assert "Réunions tenues – Cellule d'animation des quartiers" in labels
    assert "Réunions tenues – Comité de pilotage" in labels
    fin = wb["Financements"]
    assert fin["A1"].value == "Montants accordés par pilier et par financeur" and fin["A2"].value == "Pilier"
    # statuses name the body that acted
    prog = wb["Programmation"]
    header = [c.value for c in prog[1]]
    states = {prog.cell(r, 1).value: prog.cell(r, header.index("État") + 1).value for r in (2, 3)}
    assert states == {"L-01": "Avis favorable (Comité de pilotage)", "L-02": "Accordée (Comité de pilotage)"}
    # four levels in the outline; both quartiers' actions
    suivi = wb["Suivi par objectif"]
    assert {suivi.row_dimensions[r].outline_level or 0 for r in range(2, 10)} == {0, 1, 2, 3}
    assert {suivi.cell(r, 3).value for r in range(2, 10)} == {"Pilier", "Axe", "Objectif", "Sous-objectif"}
    # attendance per partner covers every body that met; French order (É with the E's)
    pres = wb["Présences par structure"]
    rows = [(pres.cell(r, 1).value, pres.cell(r, 2).value) for r in range(2, pres.max_row + 1)]
    assert rows == [("Atelier", "Cellule d'animation des quartiers"),  # by code point, Zèbre would come first
                    ("Éducation nationale", "Comité de pilotage"),
                    ("Éducation nationale", "Cellule d'animation des quartiers"),
                    ("Zèbre & Cie", "Comité de pilotage"),
                    ("Zèbre & Cie", "Cellule d'animation des quartiers")]
    assert pres.cell(2, 5).value == 1 and pres.cell(2, 7).value == 0  # Atelier: excused, rate 0 %
    # the conseil citoyen did not meet yet: its meeting has no rate
    reu = wb["Réunions"]
    rh = [c.value for c in reu[1]]
    cc = [r for r in range(2, reu.max_row + 1) if reu.cell(r, 2).value == "Conseil citoyen des Prés"]
    assert cc and reu.cell(cc[0], rh.index("Taux de présence") + 1).value is None
    # the QIC's action is there (all quartiers) and only it when filtered
    wb_qic, _ = write(empty_db, tmp_path / "qic.xlsx", quartier_code="QIC-01")
    assert [wb_qic["Programmation"].cell(r, 1).value for r in (2, 3)] == ["L-02", "Total"]


# --------------------------------------------------------------------------- on paper (LibreOffice)


def _pdf(xlsx, out_dir):
    import pdfplumber

    return pdfplumber.open(to_pdf(xlsx, out_dir))


@pytest.mark.slow
def test_programmation_pages_print_at_eight_points_or_more(sample_db, tmp_path):
    path = tmp_path / "demo.xlsx"
    write(sample_db, path)
    with _pdf(path, tmp_path) as pdf:
        pages = [p for p in pdf.pages if "Programmation –" in (p.extract_text() or "")]
        assert pages, "aucune page de la programmation dans le PDF"
        sizes = [round(c["size"], 2) for p in pages for c in p.chars if c["text"].strip()]
        assert sizes and min(sizes) >= 8, min(sizes)
        body = [s for s in sizes if s < 12]
        assert sorted(body)[len(body) // 2] >= 8.5  # the bulk of the text, not only the headers
        # the requested and the granted amounts are on different pages, identity columns on each
        texts = [p.extract_text() for p in pages]
        assert any("Demandé" in t and "Accordé –" not in t for t in texts)
        assert any("Accordé" in t and "Demandé –" not in t for t in texts)
        assert all("Intitulé" in t for t in texts)


def test_the_writer_needs_neither_services_nor_store():
    """reports/ imports only the domain: the writer and its data classes load alone."""
    import os
    import sys

    code = ("import sys, qpv_desk.reports.copil_workbook, qpv_desk.reports.copil_model; "
            "print(sorted(m for m in sys.modules if m.startswith(('qpv_desk.services', 'qpv_desk.store', "
            "'qpv_desk.gui'))))")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "[]"


def test_technical_body_figures_for_the_rapport(dataset):
    """Documents that speak of « the technical body » by kind (the rapport annuel) get
    its figures from the same data: held meetings, mean rate, per organisation."""
    from qpv_desk.services.reporting import copil_data

    data = copil_data(dataset, YEAR, today=TODAY)
    (gt,) = [b for b in data.bodies if b.kind == "gt"]
    assert data.gt_meetings_held == gt.held == 2
    assert data.gt_average_rate == pytest.approx(gt.average_rate)
    expected = defaultdict(lambda: [0, 0])
    for name, status in q(dataset, """SELECT o.name, at.status FROM attendance at JOIN meeting m ON m.id=at.meeting_id
            JOIN body b ON b.id=m.body_id LEFT JOIN organisation o ON o.id=at.organisation_id
            WHERE b.kind='gt' AND m.status IN ('tenue','cr_valide') AND m.date BETWEEN :a AND :b""",
                          a=dt.date(YEAR, 1, 1), b=dt.date(YEAR, 12, 31)):
        expected[name][0] += 1
        expected[name][1] += E.AttendanceStatus(status).attended
    assert {o.organisation: [o.invited, o.attended] for o in data.org_attendance} == dict(expected)
