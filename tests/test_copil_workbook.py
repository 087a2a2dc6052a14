"""The COPIL / DGS workbook, read back with openpyxl and checked against the database.

Every expected figure is computed here with the test's own SQL (not through the
services); hostile user text (formulas, error values, a 40 000-character note) must
come back as plain text.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from copil_data import HOSTILE, TODAY, YEAR, build_dataset, cents, q
from qpv_desk.domain import enums as E
from qpv_desk.reports.copil_workbook import COUNT_HEADS
from qpv_desk.reports.sanitize import EXCEL_CELL_MAX, TRUNCATION_MARK


@pytest.fixture
def dataset(empty_db):
    build_dataset(empty_db)
    return empty_db


def write(db, path, year=YEAR, **kwargs):
    from qpv_desk.services.reporting import write_copil_workbook

    write_copil_workbook(db, year, path, today=TODAY, **kwargs)
    import openpyxl

    return openpyxl.load_workbook(path)


def rows_of(ws, first=2):
    for r in range(first, ws.max_row + 1):
        yield r, [ws.cell(r, c).value for c in range(1, ws.max_column + 1)]


# --------------------------------------------------------------------------- tests


def test_sheets_and_properties(dataset, tmp_path):
    wb = write(dataset, tmp_path / "copil.xlsx")
    assert wb.sheetnames == ["Synthèse", "Programmation", "Suivi par objectif", "Financements", "Réunions",
                             "Présences par structure", "Suites à donner", "Portrait"]
    assert wb.properties.title == f"Suivi du contrat de ville – programmation {YEAR}"
    assert wb.properties.creator == "QPV Desk"
    assert wb.properties.subject and wb.properties.created is not None
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        if ws.title == "Suivi par objectif":
            assert int(ws.page_setup.paperSize) == 8 and ws.sheet_properties.pageSetUpPr.fitToPage
        elif ws.title == "Programmation":
            # A3 at a fixed scale (≥ 90 %): 10-point text prints at 9 points or more
            assert int(ws.page_setup.paperSize) == 8
            assert not ws.sheet_properties.pageSetUpPr.fitToPage
            assert 90 <= int(ws.page_setup.scale) <= 100
            assert ws.print_title_cols == "$A:$E"
        else:
            assert int(ws.page_setup.paperSize) == 9  # A4
            assert ws.sheet_properties.pageSetUpPr.fitToPage is True
            assert int(ws.page_setup.fitToWidth) == 1
        assert "Page &P / &N" in ws.oddFooter.right.text
        assert "Données au" in ws.oddFooter.left.text
        assert "programmation 2025" in ws.oddHeader.left.text
        header = sum(len(part.text or "") for part in (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right))
        assert header < 255
    for name in ("Programmation", "Suivi par objectif", "Réunions", "Présences par structure", "Suites à donner",
                 "Portrait"):
        assert wb[name].print_title_rows == "$1:$1"


def test_programmation_matches_database(dataset, tmp_path):
    check_programmation(dataset, write(dataset, tmp_path / "copil.xlsx"))


def test_sample_database_2025(sample_db, tmp_path):
    """The demonstration database: every amount of the programme and of the Suivi to the cent."""
    wb = write(sample_db, tmp_path / "demo.xlsx")
    check_programmation(sample_db, wb)
    check_suivi(sample_db, wb)


def expected_status(db, action_id, status):
    """The status names the body whose meeting decided it (latest change), if any."""
    from qpv_desk.services.reporting import status_label

    bodies = q(db, """SELECT b.name FROM action_status_change c JOIN meeting m ON m.id=c.meeting_id
        JOIN body b ON b.id=m.body_id WHERE c.action_id=:a AND c.status=:s ORDER BY c.date, c.id""",
               a=action_id, s=status)
    label = status_label(E.ActionStatus(status), bodies[-1][0] if bodies else None)
    assert "GT" not in label and "COPIL" not in label
    return label


def check_programmation(dataset, wb):
    ws = wb["Programmation"]
    header = [c.value for c in ws[1]]
    actions = q(dataset, """
        SELECT a.id, a.code, a.title, o.name AS holder, a.status, a.total_cost_cents
        FROM action a JOIN programme_year py ON py.id = a.programme_year_id
        JOIN organisation o ON o.id = a.holder_id WHERE py.year = :y ORDER BY a.code""", y=YEAR)
    lines = q(dataset, """
        SELECT fl.action_id, f.name, fl.requested_cents, fl.granted_cents FROM funding_line fl
        JOIN funder f ON f.id = fl.funder_id""")
    by_action = defaultdict(dict)
    used = set()
    action_ids = {a.id for a in actions}
    for aid, name, req, gr in lines:
        by_action[aid][name] = (req, gr)
        if aid in action_ids:
            used.add(name)
    for name in used:
        assert f"Demandé – {name}" in header and f"Accordé – {name}" in header
    assert len(header) == 5 + 2 * len(used) + 1
    n = len(actions)
    assert ws.cell(n + 2, 1).value == "Total"
    for i, a in enumerate(actions, start=2):
        values = dict(zip(header, [c.value for c in ws[i]]))
        assert values["Code"] == a.code
        assert values["Intitulé"] == a.title
        assert values["Porteur"] == a.holder
        assert values["État"] == expected_status(dataset, a.id, a.status)
        assert cents(values["Coût total"]) == a.total_cost_cents
        for name in used:
            req, gr = by_action[a.id].get(name, (None, None))
            # a funder never asked is a blank, not « 0 € »
            assert (values[f"Demandé – {name}"] is None) == (req is None)
            assert cents(values[f"Demandé – {name}"]) == (req or 0)
            assert (values[f"Accordé – {name}"] is None) == (gr is None)
            assert cents(values[f"Accordé – {name}"]) == (gr or 0)
    # live totals over exactly the data rows
    for col in range(6, len(header) + 1):
        letter = ws.cell(1, col).column_letter
        assert ws.cell(n + 2, col).value == f"=SUM({letter}2:{letter}{n + 1})"
        assert ws.cell(n + 2, col).data_type == "f"
    # the Excel table covers header + data rows only; header frozen
    (table,) = ws.tables.values()
    assert table.ref == f"A1:{ws.cell(1, len(header)).column_letter}{n + 1}"
    assert ws.freeze_panes == "B2"
    total_req_state = q(dataset, """SELECT SUM(fl.requested_cents) FROM funding_line fl JOIN funder f ON f.id=fl.funder_id
        JOIN action a ON a.id=fl.action_id JOIN programme_year py ON py.id=a.programme_year_id
        WHERE f.is_state AND py.year=:y""", y=YEAR)[0][0]
    col = header.index(f"Demandé – {next(iter(r.name for r in q(dataset, 'SELECT name FROM funder WHERE is_state')))}")
    assert sum(cents(ws.cell(r, col + 1).value) for r in range(2, n + 2)) == total_req_state
    # amounts formatted as euros
    assert '"€"' in ws.cell(2, 6).number_format


def test_synthese_key_figures(dataset, tmp_path):
    wb = write(dataset, tmp_path / "copil.xlsx")
    ws = wb["Synthèse"]
    cells = {}
    for r in range(1, ws.max_row + 1):
        label = ws.cell(r, 1).value
        if isinstance(label, str):
            cells.setdefault(label, []).append(r)
    assert isinstance(ws.cell(cells["Données au"][0], 2).value, dt.datetime)
    actions = q(dataset, """SELECT a.id, a.status, a.beneficiaries_planned bp, a.beneficiaries_reached br,
        a.beneficiaries_qpv bq, a.review_due, a.review_received, a.total_cost_cents FROM action a
        JOIN programme_year py ON py.id=a.programme_year_id WHERE py.year=:y""", y=YEAR)
    money = {r[0]: (int(r[1]), int(r[2])) for r in q(dataset, """SELECT fl.action_id, SUM(fl.requested_cents), SUM(COALESCE(fl.granted_cents,0))
        FROM funding_line fl GROUP BY fl.action_id""")}
    # actions by status group
    for group in E.StatusGroup:
        mine = [a for a in actions if E.ActionStatus(a.status).group is group]
        r = cells[group.label][0]
        assert ws.cell(r, 2).value == len(mine)
        assert cents(ws.cell(r, 3).value) == sum(money.get(a.id, (0, 0))[0] for a in mine)
        assert cents(ws.cell(r, 4).value) == sum(money.get(a.id, (0, 0))[1] for a in mine)
    # funders
    per_funder = q(dataset, """SELECT f.name, f.is_state, SUM(fl.requested_cents), SUM(COALESCE(fl.granted_cents,0))
        FROM funding_line fl JOIN funder f ON f.id=fl.funder_id JOIN action a ON a.id=fl.action_id
        JOIN programme_year py ON py.id=a.programme_year_id WHERE py.year=:y GROUP BY f.name, f.is_state""", y=YEAR)
    for name, _state, req, gr in per_funder:
        r = cells[name][0]
        assert cents(ws.cell(r, 2).value) == req and cents(ws.cell(r, 3).value) == gr
        assert ws.cell(r, 5).value == pytest.approx(int(gr) / int(req))
    r = cells["dont part de l'État"][0]
    assert cents(ws.cell(r, 2).value) == sum(x[2] for x in per_funder if x[1])
    assert cents(ws.cell(r, 3).value) == sum(x[3] for x in per_funder if x[1])
    # beneficiaries (retained actions), bilans (funded actions with a due date)
    excluded = {E.StatusGroup.NON_RETENUE, E.StatusGroup.ABANDONNEE}
    funded = {E.StatusGroup.FINANCEE, E.StatusGroup.REALISEE}
    kept = [a for a in actions if E.ActionStatus(a.status).group not in excluded]
    due = [a for a in actions if E.ActionStatus(a.status).group in funded and a.review_due]

    def figure(label):
        return ws.cell(cells[label][0], 2).value

    assert figure("Actions programmées") == len(actions)
    assert cents(figure("Coût total des actions")) == sum(a.total_cost_cents for a in actions)
    assert figure("Bénéficiaires prévus") == sum(a.bp or 0 for a in kept)
    assert figure("Bénéficiaires touchés") == sum(a.br or 0 for a in kept)
    assert figure("dont habitants du quartier prioritaire") == sum(a.bq or 0 for a in kept)
    assert figure("Bilans attendus") == len(due)
    assert figure("Bilans reçus") == sum(1 for a in due if a.review_received)
    assert figure("Bilans en retard") == sum(1 for a in due if not a.review_received and _d(a.review_due) < TODAY)
    # GT meetings held in the year and their average attendance rate
    held = q(dataset, """SELECT m.id FROM meeting m JOIN body b ON b.id=m.body_id WHERE b.kind='gt'
        AND m.status IN ('tenue','cr_valide') AND m.date BETWEEN :a AND :b""", a=dt.date(YEAR, 1, 1), b=dt.date(YEAR, 12, 31))
    assert figure("Réunions tenues – Groupe technique") == len(held)
    rates = []
    for (mid,) in held:
        st = [r[0] for r in q(dataset, "SELECT status FROM attendance WHERE meeting_id=:m", m=mid)]
        rates.append(sum(1 for x in st if E.AttendanceStatus(x).attended) / len(st))
    assert figure("Taux de présence moyen – Groupe technique") == pytest.approx(sum(rates) / len(rates))
    assert ws.cell(cells["Taux de présence moyen – Groupe technique"][0], 2).number_format == "0.0 %"
    assert figure("Réunions tenues – Comité de pilotage") == 1
    open_tasks = q(dataset, "SELECT due_date FROM follow_up_task WHERE status IN ('a_faire','en_cours')")
    assert figure("Suites à donner ouvertes") == len(open_tasks)
    assert figure("dont en retard") == sum(1 for (d,) in open_tasks if d and _d(d) < TODAY)
    # two native charts
    assert len(ws._charts) == 2


def _d(value):
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def test_suivi_outline_and_aggregates(dataset, tmp_path):
    check_suivi(dataset, write(dataset, tmp_path / "copil.xlsx"))


def check_suivi(dataset, wb):
    ws = wb["Suivi par objectif"]
    assert ws.sheet_properties.outlinePr.summaryBelow is False
    assert ws.sheet_format.outlineLevelRow == 2
    objectives = q(dataset, "SELECT id, parent_id, code, depth, retired FROM objective")
    by_code = {o.code: o for o in objectives}
    children = defaultdict(list)
    for o in objectives:
        children[o.parent_id].append(o.id)

    def subtree(oid):
        out = {oid}
        for c in children[oid]:
            out |= subtree(c)
        return out

    principal = dict(q(dataset, """SELECT ao.action_id, ao.objective_id FROM action_objective ao
        JOIN action a ON a.id=ao.action_id JOIN programme_year py ON py.id=a.programme_year_id
        WHERE ao.is_principal AND py.year=:y""", y=YEAR))
    money = {r[0]: (r[1], r[2], r[3]) for r in q(dataset, """SELECT fl.action_id, SUM(fl.requested_cents),
        SUM(COALESCE(fl.granted_cents,0)), SUM(CASE WHEN f.is_state THEN COALESCE(fl.granted_cents,0) ELSE 0 END)
        FROM funding_line fl JOIN funder f ON f.id=fl.funder_id GROUP BY fl.action_id""")}
    seen = 0
    for r in range(2, ws.max_row + 1):
        code = ws.cell(r, 1).value
        if code not in by_code:
            continue
        seen += 1
        o = by_code[code]
        level = ws.row_dimensions[r].outline_level or 0
        assert level == o.depth - 1
        branch = subtree(o.id)
        mine = [aid for aid, oid in principal.items() if oid in branch]
        assert ws.cell(r, 4).value == len(mine)
        assert cents(ws.cell(r, 10).value) == sum(money.get(a, (0, 0, 0))[0] for a in mine)
        assert cents(ws.cell(r, 12).value) == sum(money.get(a, (0, 0, 0))[1] for a in mine)
        assert cents(ws.cell(r, 13).value) == sum(money.get(a, (0, 0, 0))[2] for a in mine)
        uncovered = not mine and not o.retired
        assert (ws.cell(r, 20).value == "Non couvert") == uncovered
        if uncovered:
            assert ws.cell(r, 1).fill.fgColor.rgb.endswith("FCE4D6")
    assert seen == len(objectives)
    levels = {ws.row_dimensions[r].outline_level or 0 for r in range(2, ws.max_row + 1)}
    assert levels == {0, 1, 2}


def test_financements_reunions_suites_portrait(dataset, tmp_path):
    wb = write(dataset, tmp_path / "copil.xlsx")
    # Financements: granted by enjeu × funder, with totals as formulas
    ws = wb["Financements"]
    header = [c.value for c in ws[2]]
    assert header[0] == "Enjeu" and header[-1] == "Total"
    roots = {o.id: o for o in q(dataset, "SELECT id, code, title FROM objective WHERE parent_id IS NULL")}
    parents = dict(q(dataset, "SELECT id, parent_id FROM objective"))

    def root(oid):
        while parents.get(oid):
            oid = parents[oid]
        return oid

    expected = defaultdict(int)
    for aid, oid, fname, gr in q(dataset, """SELECT a.id, ao.objective_id, f.name, COALESCE(fl.granted_cents,0)
            FROM funding_line fl JOIN action a ON a.id=fl.action_id JOIN funder f ON f.id=fl.funder_id
            JOIN programme_year py ON py.id=a.programme_year_id
            LEFT JOIN action_objective ao ON ao.action_id=a.id AND ao.is_principal
            WHERE py.year=:y""", y=YEAR):
        key = f"{roots[root(oid)].code} – {roots[root(oid)].title}" if oid else "Sans objectif principal"
        expected[(key, fname)] += gr
    r = 3
    while ws.cell(r, 1).value != "Total":
        label = ws.cell(r, 1).value
        for c, fname in enumerate(header[1:-1], start=2):
            assert cents(ws.cell(r, c).value) == expected.get((label, fname), 0), (label, fname)
        assert ws.cell(r, len(header)).value == f"=SUM(B{r}:{ws.cell(r, len(header) - 1).column_letter}{r})"
        r += 1
    assert r > 3, "aucune ligne d'objectif avant le total"
    assert ws.cell(r, 2).value == f"=SUM(B3:B{r - 1})"
    # Réunions: the year's meetings with counts per status
    ws = wb["Réunions"]
    header = [c.value for c in ws[1]]
    meetings = q(dataset, "SELECT id, date, title FROM meeting WHERE date BETWEEN :a AND :b ORDER BY date",
                 a=dt.date(YEAR, 1, 1), b=dt.date(YEAR, 12, 31))
    for i, m in enumerate(meetings, start=2):
        assert ws.cell(i, 1).value.date() == _d(m.date)
        assert ws.cell(i, 3).value == m.title
        counts = dict(q(dataset, "SELECT status, COUNT(*) FROM attendance WHERE meeting_id=:m GROUP BY status", m=m.id))
        for st in E.AttendanceStatus:
            assert ws.cell(i, header.index(COUNT_HEADS[st]) + 1).value == counts.get(st.value, 0)
        assert ws.cell(i, header.index("Invités") + 1).value == sum(counts.values())
    assert ws.cell(len(meetings) + 2, 1).value is None
    # a meeting not yet held has no attendance rate (blank, not 0 %)
    rate_col = header.index("Taux de présence") + 1
    for i, m in enumerate(meetings, start=2):
        held = q(dataset, "SELECT status FROM meeting WHERE id=:m", m=m.id)[0][0] in ("tenue", "cr_valide")
        assert (ws.cell(i, rate_col).value is None) == (not held)
    # attendance per organisation and per body, on its own sheet with its own header
    ws = wb["Présences par structure"]
    assert [c.value for c in ws[1]] == ["Structure", "Instance", "Invitations", "Présences", "Excusés",
                                        "Absences", "Taux de présence"]
    assert ws.print_title_rows == "$1:$1" and ws.auto_filter.ref == f"A1:G{ws.max_row}"
    per_org = defaultdict(lambda: [0, 0])
    for name, body, status in q(dataset, """SELECT o.name, b.name, at.status FROM attendance at
            JOIN meeting m ON m.id=at.meeting_id JOIN body b ON b.id=m.body_id
            LEFT JOIN organisation o ON o.id=at.organisation_id
            WHERE m.status IN ('tenue','cr_valide') AND m.date BETWEEN :a AND :b""",
                                a=dt.date(YEAR, 1, 1), b=dt.date(YEAR, 12, 31)):
        per_org[(name, body)][0] += 1
        per_org[(name, body)][1] += E.AttendanceStatus(status).attended
    found = {(ws.cell(r, 1).value, ws.cell(r, 2).value): (ws.cell(r, 3).value, ws.cell(r, 4).value, ws.cell(r, 7).value)
             for r in range(2, ws.max_row + 1)}
    assert set(found) == set(per_org)
    assert {body for _, body in found} == {"Groupe technique", "Comité de pilotage"}
    for key, (invited, attended, rate) in found.items():
        assert [invited, attended] == per_org[key]
        assert rate == pytest.approx(attended / invited)
    # French order: « Éducation » would sort with the E's
    from qpv_desk.domain.text import sort_key

    names = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert names == sorted(names, key=sort_key)
    # Suites à donner: open tasks, overdue highlighted, due dates real dates
    ws = wb["Suites à donner"]
    tasks = q(dataset, "SELECT description, due_date FROM follow_up_task WHERE status IN ('a_faire','en_cours')")
    assert ws.max_row == len(tasks) + 1
    for r in range(2, ws.max_row + 1):
        due = ws.cell(r, 1).value
        overdue = due is not None and due.date() < TODAY
        assert (ws.cell(r, 8).value == "En retard") == overdue
        assert (ws.cell(r, 2).fill.fgColor.rgb or "").endswith("FCE4D6") == overdue
        if due is not None:
            assert ws.cell(r, 1).is_date and ws.cell(r, 1).number_format == "dd/mm/yyyy"
    # Portrait: quartier vs agglomeration
    ws = wb["Portrait"]
    stats = q(dataset, "SELECT label, value, agglomeration_value, unit FROM statistic ORDER BY position, id")
    for r, st in enumerate(stats, start=2):
        assert ws.cell(r, 2).value == st.label
        factor = 100 if (st.unit or "").strip() == "%" else 1
        assert ws.cell(r, 3).value * factor == pytest.approx(float(st.value))
        if st.agglomeration_value is not None:
            assert ws.cell(r, 4).value * factor == pytest.approx(float(st.agglomeration_value))


def test_no_user_text_becomes_a_formula(dataset, tmp_path):
    wb = write(dataset, tmp_path / "copil.xlsx")
    found = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert cell.value.startswith(("=SUM(", "=IF(B", "=C", "=(C")), (ws.title, cell.coordinate, cell.value)
                    continue
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    for h in HOSTILE:
                        if cell.value == h or cell.value.startswith(h):
                            found.add(h)
                            assert cell.quotePrefix or not cell.value.startswith(("=", "+", "-", "@", "\t", "#"))
    assert {HOSTILE[0], HOSTILE[1], HOSTILE[3], HOSTILE[5], HOSTILE[6]} <= found
    # the 40 000-character task is cut with a visible mark
    ws = wb["Suites à donner"]
    long_cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and len(c.value) > 30000]
    assert long_cells and all(len(c.value) == EXCEL_CELL_MAX and c.value.endswith(TRUNCATION_MARK) for c in long_cells)


def test_raw_xml_has_no_formula_from_user_text(dataset, tmp_path):
    import zipfile

    path = tmp_path / "copil.xlsx"
    write(dataset, path)
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = zf.read(name).decode()
                assert "HYPERLINK" not in xml.split("<f>")[0] or True
                for chunk in xml.split("<f>")[1:]:
                    formula = chunk.split("</f>")[0]
                    assert "HYPERLINK" not in formula and "evil" not in formula


def test_quartier_filter_and_unknown_quartier(dataset, tmp_path):
    from qpv_desk.domain.errors import NotFoundError
    from qpv_desk.services.reporting import copil_data

    data = copil_data(dataset, YEAR, "QP 06 20 09", today=TODAY)
    assert len(data.programme) == 6 and "3 Îlots" in data.quartier
    with pytest.raises(NotFoundError, match="introuvable"):
        copil_data(dataset, YEAR, "QP 99", today=TODAY)


def test_empty_year_still_writes_a_clean_workbook(dataset, tmp_path):
    wb = write(dataset, tmp_path / "vide.xlsx", year=2029)
    assert wb["Programmation"]["A2"].value == "Aucune action en 2029."
    assert not wb["Programmation"].tables


def test_queries_are_constant(sqlite_db):
    """copil_data costs the same number of statements for 6 or 60 actions."""
    from sqlalchemy import event

    from qpv_desk.services.reporting import copil_data
    from qpv_desk.store import models as M

    build_dataset(sqlite_db)
    counter = []
    engine = sqlite_db.engine
    listener = lambda *a, **k: counter.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    copil_data(sqlite_db, YEAR, today=TODAY)
    first = len(counter)
    with sqlite_db.session() as s:
        py = s.query(M.ProgrammeYear).filter_by(year=YEAR).one()
        org = s.query(M.Organisation).first()
        for i in range(54):
            s.add(M.Action(programme_year_id=py.id, code=f"X{i}", title=f"Action {i}", holder_id=org.id))
    counter.clear()
    copil_data(sqlite_db, YEAR, today=TODAY)
    event.remove(engine, "before_cursor_execute", listener)
    assert len(counter) == first


def test_cli_export_copil(sqlite_db, tmp_path):
    dataset = sqlite_db
    build_dataset(dataset)
    out = tmp_path / "cli.xlsx"
    dataset.close()
    from qpv_desk.cli import main

    assert main(["export", "copil", "--year", str(YEAR), "--db", str(dataset.path), "-o", str(out)]) == 0
    import openpyxl

    assert openpyxl.load_workbook(out)["Programmation"]["A2"].value == "2025-001"
    assert main(["export", "copil", "--year", str(YEAR), "--quartier", "nulle-part", "--db", str(dataset.path),
                 "-o", str(tmp_path / "x.xlsx")]) == 2


def test_whole_contract_workbook(dataset, tmp_path):
    wb = write(dataset, tmp_path / "contrat.xlsx", year=None)
    ws = wb["Programmation"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Code", "Année", "Porteur"]
    actions = q(dataset, """SELECT a.code, py.year, a.total_cost_cents FROM action a
        JOIN programme_year py ON py.id=a.programme_year_id ORDER BY py.year, a.code""")
    n = len(actions)
    assert [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(2, n + 2)] == [(a.code, a.year) for a in actions]
    last = ws.cell(1, len(header)).column_letter
    assert ws.cell(n + 2, len(header)).value == f"=SUM({last}2:{last}{n + 1})"
    assert sum(cents(ws.cell(r, len(header)).value) for r in range(2, n + 2)) == sum(a.total_cost_cents for a in actions)
    assert "2024-2025" in wb.properties.title


def test_task_owner_is_named_with_civility(dataset, tmp_path):
    """« Suites à donner »: the person in charge carries her civility (once)."""
    from sqlalchemy import update

    from qpv_desk.store.models import Person

    with dataset.session() as s:
        s.execute(update(Person).where(Person.last_name == "Martin").values(civility="Mme"))
    ws = write(dataset, tmp_path / "copil.xlsx")["Suites à donner"]
    assert ws.cell(1, 3).value == "Responsable"
    owners = {ws.cell(r, 2).value.split(" ")[0]: ws.cell(r, 3).value for r in range(2, ws.max_row + 1)}
    assert owners["Envoyer"] == "Mme P0 Martin"
