"""The commune's contribution to the rapport annuel politique de la ville (Word): data in, file out.

Sections, in the order of the yearly report (CGCT L.1111-2): orientations of the contract;
the quartier's situation (portrait statistics with sources and years); the actions of the
year per enjeu and objective (amounts per funder, beneficiaries, realisation, bilans), with
a summary table per enjeu — the Suivi screen's figures — and a bar chart; the bodies' work
(meetings held, attendance); perspectives, left as highlighted places « [À compléter …] »;
the conseil citoyen's avis as an annex. Same template and styles as the other documents
(:mod:`qpv_desk.reports.docx_common`). No Qt, no session.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from pathlib import Path

from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Cm

from ..domain.aggregation import EXCLUDED_GROUPS
from ..domain.text import euros, sort_key, thousands
from . import docx_common as C
from .chart_image import bar_chart_png
from .docx_common import t
from .map_picture import map_png

TO_WRITE = "[À compléter : {}]"
NO_ENJEU = "Sans objectif principal"


# a column header that may break, where French breaks it, rather than « Bénéficiair / es »
BENEFICIAIRES = "Bénéfi\u00adciaires"


def _table(doc, headers, widths_cm, rows):
    """A table with its rows; each cell gets its column's width (LibreOffice reads cell widths)."""
    table = C.new_table(doc, headers, widths_cm)
    C.add_rows(table, rows)
    for column, width in zip(table.columns, widths_cm):
        for cell in column.cells:
            cell.width = Cm(width)
    return table


def _placeholder(w, what: str):
    p = w.p()
    run = p.add_run(TO_WRITE.format(t(what)))
    run.italic = True
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return p


def _number(value) -> str:
    """« 3 300 », « 40,3 »: a statistic as the text around it writes numbers (thousands
    apart, decimal comma), not « 3300 » under « population : 3 300 habitants »."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    whole, _, decimals = text.partition(".")
    sign, whole = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    return sign + thousands(int(whole or "0")) + ("," + decimals if decimals else "")


def _communes(communes: str) -> str:
    """« Commune : Verquin », « Communes : Béthune, Verquin » (never « Commune(s) »)."""
    names = [c.strip() for c in re.split(r"[,;]", communes) if c.strip()]
    return f"{'Communes' if len(names) > 1 else 'Commune'} : {', '.join(names)}"


def _count(value) -> str:
    return "" if value is None else thousands(value)


def _rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "–"


def _funding_text(funders, requested, granted) -> str:
    granted_parts = [f"{f.name} : {euros(g)}" for f, g in zip(funders, granted) if g]
    if granted_parts:
        return "\n".join(granted_parts)
    asked = [f"{f.name} : {euros(r)}" for f, r in zip(funders, requested) if r]
    return ("Demandé – " + "\n".join(asked)) if asked else "–"


def _bilan(extra) -> str:
    if extra is None:
        return ""
    if extra.review_received:
        return f"reçu le {extra.review_received:%d/%m/%Y}"
    if extra.review_due:
        return f"attendu au {extra.review_due:%d/%m/%Y}"
    return "–"


def _beneficiaries(extra) -> str:
    if extra is None:
        return ""
    parts = []
    if extra.beneficiaries_planned is not None:
        parts.append(f"prévus : {_count(extra.beneficiaries_planned)}")
    if extra.beneficiaries_reached is not None:
        parts.append(f"touchés : {_count(extra.beneficiaries_reached)}")
    if extra.beneficiaries_qpv is not None:
        parts.append(f"dont QPV : {_count(extra.beneficiaries_qpv)}")
    return "\n".join(parts) or "–"


def _realisation(row, extra) -> str:
    text = row.group
    if extra is not None and extra.progress is not None:
        text += f"\n{extra.progress} %"
    return text


def _map(doc, w, q) -> None:
    """The quartier's perimeter as a picture (drawn without Qt), with its measures."""
    doc.add_picture(io.BytesIO(map_png(q.perimeter_geojson)), width=Cm(11))
    area = f"{q.area_ha:.1f} ha".replace(".", ",") if q.area_ha is not None else ""
    length = f"{q.length_km:.2f} km de contour".replace(".", ",") if q.length_km is not None else ""
    w.p(f"Périmètre du quartier {q.name} ({', '.join(x for x in (area, length) if x)}).", "Caption")


def write_rapport_annuel(data, path: Path) -> Path:
    cd = data.copil
    title = f"Rapport annuel {data.year} sur la politique de la ville"
    doc = C.load_template(f"Commune de {data.commune}" if data.commune else data.contract, title=title)
    w = C.Writer(doc)
    w.p(title, "Title")
    w.p(f"Contribution de la commune{' de ' + data.commune if data.commune else ''} – {data.contract}", "Subtitle")
    w.text("Rapport prévu par l'article L. 1111-2 du code général des collectivités territoriales : il retrace les "
           "actions menées au titre de la politique de la ville, les moyens qui y sont consacrés et l'évolution de la "
           f"situation des quartiers prioritaires. Données arrêtées au {C.french_date(data.today)}.", italic=True)

    # 1. orientations
    w.p("1. Les orientations du contrat de ville", "Heading 1")
    span = f"{data.start_year}-{data.end_year}" if data.start_year and data.end_year else ""
    w.label_value("Contrat", f"{data.contract} {span}".strip())
    if data.epci:
        w.label_value("Intercommunalité", data.epci)
    if data.contract_description:
        w.text(data.contract_description)
    levels = cd.level_names
    for o in cd.suivi:
        if o.retired or o.depth > 2:
            continue
        level = levels[o.depth - 1] if o.depth - 1 < len(levels) else ""
        p = w.p(style="List Bullet" if o.depth == 1 else "List Bullet 2")
        p.add_run(f"{level} {o.code} – " if level else f"{o.code} – ").bold = o.depth == 1
        p.add_run(t(o.title)).bold = o.depth == 1

    # 2. situation of the quartiers
    w.p("2. La situation des quartiers prioritaires", "Heading 1")
    for q in data.quartiers:
        w.p(f"{q.name} ({q.code})", "Heading 2")
        facts = " ; ".join(x for x in (q.communes and _communes(q.communes),
                                       q.population and f"population : {_count(q.population)} habitants") if x)
        if facts:
            w.text(facts[0].upper() + facts[1:] + ".")
        if q.perimeter_geojson:
            _map(doc, w, q)
        if q.statistics:
            _table(doc, ["Indicateur", "Quartier", "Agglomération", "Source", "Année"], [4.7, 2.5, 3.4, 4.4, 1.8],
                   ((s.label, f"{_number(s.value)} {s.unit}".strip(),
                                f"{_number(s.agglomeration)} {s.unit}".strip() if s.agglomeration is not None else "",
                     s.source, str(s.year or "")) for s in q.statistics))
        else:
            w.p("Aucune statistique n'est renseignée dans le portrait du quartier.")
        _placeholder(w, f"évolution de la situation du quartier {q.name} depuis l'année précédente")

    # 3. actions of the year
    w.p(f"3. Les actions de l'année {data.year}", "Heading 1")
    rows = [r for r in cd.programme]
    excluded = {g.label for g in EXCLUDED_GROUPS}
    retained = sum(1 for r in rows if r.group not in excluded)
    w.label_value("Actions déposées", _count(len(rows)))
    w.label_value("Actions retenues (hors refusées et abandonnées)", _count(retained))
    w.label_value("Coût total des actions", euros(cd.total_cost_cents))
    w.label_value("Financements demandés", euros(cd.requested_cents))
    w.label_value("Financements accordés", euros(cd.granted_cents))
    w.label_value("dont État (crédits politique de la ville)", euros(cd.state_granted_cents))
    w.label_value("Bénéficiaires prévus / touchés / dont habitants du QPV",
                  f"{_count(cd.beneficiaries_planned)} / {_count(cd.beneficiaries_reached)} / "
                  f"{_count(cd.beneficiaries_qpv)}")
    w.label_value("Bilans reçus / attendus", f"{cd.bilans_received} / {cd.bilans_due}"
                  + (f" (dont {cd.bilans_overdue} en retard)" if cd.bilans_overdue else ""))

    w.p("Financements par financeur", "Heading 2")
    totals = [ft for ft in cd.funder_totals if ft.requested_cents or ft.granted_cents or ft.paid_cents]
    _table(doc, ["Financeur", "Demandé", "Accordé", "Versé"], [7.4, 3.2, 3.2, 3.2], [(ft.funder.name, euros(ft.requested_cents), euros(ft.granted_cents), euros(ft.paid_cents))
                       for ft in totals]
               + [(("Total", True), euros(cd.requested_cents), euros(cd.granted_cents),
                   euros(sum(ft.paid_cents for ft in totals)))])

    w.p("Synthèse par enjeu (suivi des objectifs)", "Heading 2")
    roots = [o for o in cd.suivi if o.depth == 1 and (not o.retired or o.actions)]
    _table(doc, ["Enjeu", "Actions", "Demandé", "Accordé", f"{BENEFICIAIRES} touchés", "Bilans reçus / attendus"],
           [3.9, 2.0, 2.9, 2.9, 2.7, 2.6], [(o.label, str(o.actions), euros(o.requested_cents), euros(o.granted_cents),
                        _count(o.beneficiaries_reached), f"{o.reviews_received} / {o.reviews_due}") for o in roots])
    if roots and any(o.granted_cents or o.requested_cents for o in roots):
        png = bar_chart_png([o.label for o in roots],
                            [("Demandé", [o.requested_cents for o in roots]),
                             ("Accordé", [o.granted_cents for o in roots])],
                            lambda cents: euros(cents, whole=True),
                            title=f"Financements {data.year} par enjeu")
        w.p()
        doc.add_picture(io.BytesIO(png), width=Cm(16))

    by_enjeu: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by_enjeu[r.enjeu][r.objective or NO_ENJEU].append(r)
    enjeu_labels = {e.code: e.label for e in cd.enjeux}
    order = [e.code for e in cd.enjeux]
    for code in sorted(by_enjeu, key=lambda c: (order.index(c) if c in order else len(order), c)):
        w.p(enjeu_labels.get(code, NO_ENJEU) if code else NO_ENJEU, "Heading 2")
        for objective in sorted(by_enjeu[code], key=sort_key):
            w.p(objective, "Heading 3")
            # the holder under the action's title: a column of its own was narrower than
            # « pluriprofessionnelle » or « d'agglomération », which LibreOffice cut in two
            _table(doc, ["Action et porteur", "Financements accordés", BENEFICIAIRES, "État", "Bilan"],
                   [5.4, 3.7, 2.5, 2.9, 2.5], ((f"{r.code} – {r.title}" + (f"\n{r.holder}" if r.holder else ""),
                                               _funding_text(cd.funders, r.requested, r.granted),
                                _beneficiaries(data.extras.get(r.action_id)),
                                _realisation(r, data.extras.get(r.action_id)), _bilan(data.extras.get(r.action_id)))
                               for r in by_enjeu[code][objective]))
    if not rows:
        w.p(f"Aucune action n'est enregistrée pour {data.year}.")

    # 4. bodies
    w.p("4. Le travail des instances", "Heading 1")
    held = [m for m in cd.meetings if m.held]
    w.label_value("Réunions tenues", _count(len(held)))
    if cd.gt_average_rate is not None:
        w.label_value("Taux de présence moyen au groupe technique", f"{100 * cd.gt_average_rate:.0f} %")
    if cd.meetings:
        _table(doc, ["Date", "Instance", "Intitulé", "État", "Invités", "Présents"], [2.6, 3.1, 4.6, 2.4, 1.9, 2.4],
               ((C.short_date(m.date), m.body, m.title, m.status, str(m.invited), str(m.attended))
                           for m in cd.meetings))
    else:
        w.p(f"Aucune réunion enregistrée en {data.year}.")
    if cd.org_attendance:
        w.p("Présence des structures au groupe technique", "Heading 2")
        _table(doc, ["Structure", "Invitations", "Présences", "Taux"], [8.4, 2.8, 2.8, 2.4],
               ((o.organisation, str(o.invited), str(o.attended), _rate(o.attended, o.invited))
                           for o in cd.org_attendance))

    # 5. perspectives
    w.p("5. Perspectives", "Heading 1")
    _placeholder(w, "bilan qualitatif de l'année : ce qui a bien fonctionné, les difficultés rencontrées")
    _placeholder(w, f"orientations et priorités pour {data.year + 1}")
    _placeholder(w, "évolutions envisagées de la gouvernance et de la participation des habitants")

    # annex
    w.p("Annexe – Avis du conseil citoyen", "Heading 1")
    if data.avis is not None:
        w.label_value("Date de l'avis", C.french_date(data.avis.date))
        w.text(data.avis.text)
    else:
        _placeholder(w, "avis du conseil citoyen sur ce rapport (à enregistrer dans QPV Desk, page Rapports)")
    return C.save_document(doc, path)
