"""The three documents of a meeting: convocation, feuille d'émargement, compte rendu.

Data in (:class:`~qpv_desk.reports.meeting_data.MeetingDocument`, plain data), a
:class:`~qpv_desk.reports.document.Document` out (``build_*``): the same blocks are
rendered to Word (:func:`write_convocation`…, :mod:`.docx_render`) and to HTML for Qt's
print preview and PDF (:func:`minutes_html`, :mod:`.html_render`). No Qt, no database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..domain import enums as E
from ..domain.rules import quorum_state
from ..domain.text import agree, euros, of, person_name, person_sort_key, plural, sort_key
from . import wording as C
from .document import (
    Document,
    Heading,
    ListBlock,
    Paragraph,
    Run,
    Signature,
    Table,
    label_value,
    para,
)
from .html_render import render_html
from .meeting_data import MeetingDocument

SIGNING_ROW_HEIGHT_CM = 1.1
SIGNING_WIDTHS_CM = (3.8, 4.8, 4.8, 3.6)  # Nom, Structure, Fonction, Signature


@dataclass(frozen=True)
class SigningLayout:
    """How the sign-in sheet's rows fill A4 pages in one way of printing it."""

    chars_per_cm: float  # table text (9.5 pt): characters per centimetre of a cell
    line_cm: float  # one line of a cell
    margins_cm: float  # a row's margins and paragraph spacing
    first_page_cm: float  # what the rows may fill on the first page, under the title
    next_page_cm: float  # on the following pages, under the running header


# Measured on the demo's sheets. Where Calibri is missing, LibreOffice prints DejaVu Sans:
# 5 characters a centimetre, a row of two lines is 1.30 cm, of five 2.73 cm, and a letterhead (logo, three lines of
# address) leaves 19.0 cm under the title and 22.8 cm on the next pages. Calibri in Word,
# without a letterhead, holds more. The blank lines are counted for both: a layout of one
# only (0.39 cm a line) put a 26-person sheet's blank lines on a third page of their own.
TALL = SigningLayout(chars_per_cm=5.0, line_cm=0.475, margins_cm=0.35, first_page_cm=19.0, next_page_cm=22.8)
SHORT = SigningLayout(chars_per_cm=5.9, line_cm=0.41, margins_cm=0.30, first_page_cm=21.2, next_page_cm=24.8)
PAGING_MARGIN_CM = 1.0  # how far the estimate may be from LibreOffice's and Word's layout

# Columns wide enough for the longest word they hold, or LibreOffice cuts it mid-word:
# « Communauté d'agglomération de … », « pluriprofessionnelle » in « Qui », « Conformément à l'avis … » in « Décision »,
# a date (« 23/09/2025 ») in « Réunion ».
REVIEW_WIDTHS_CM = (2.5, 4.2, 4.5, 2.8, 3.0)  # Réunion, Qui, Quoi, Échéance, État
TASK_WIDTHS_CM = (4.2, 7.1, 2.8, 2.9)  # Qui, Quoi, Échéance, État
DECISION_WIDTHS_CM = (1.9, 5.3, 3.6, 3.1, 3.1)  # Code, Action, Décision, Demandé, Accordé

KIND_SLUGS = {"convocation": "convocation", "emargement": "emargement", "minutes": "compte-rendu"}
KIND_LABELS = {"convocation": "Convocation", "emargement": "Feuille d'émargement", "minutes": "Compte rendu"}

# Order and headings of the attendance groups in the minutes.
ATTENDANCE_GROUPS = (
    (E.AttendanceStatus.PRESENT, "Présents"),
    (E.AttendanceStatus.DISTANCE, "À distance"),
    (E.AttendanceStatus.REPRESENTE, "Représentés"),
    (E.AttendanceStatus.EXCUSE, "Excusés"),
    (E.AttendanceStatus.ABSENT, "Absents"),
    (E.AttendanceStatus.INVITE, "Présence non renseignée"),
)


def suggested_filename(doc, kind: str) -> str:
    """« 2025-01-14_GT_3-Ilots_compte-rendu.docx »: ASCII-safe, sortable by date."""
    parts = [doc.date.isoformat(), C.slugify(doc.body_code) or "reunion"]
    if doc.quartier:
        parts.append(C.slugify(doc.quartier))
    parts.append(KIND_SLUGS[kind])
    return "_".join(p for p in parts if p)[:150] + ".docx"


# --------------------------------------------------------------------------- shared wording


def commune_label(doc) -> str:
    """« Commune de Verquin », « Commune d'Exemple-sur-Lawe » (else the contract's name)."""
    return f"Commune {of(doc.commune)}" if doc.commune else doc.contract


def meeting_name(doc) -> str:
    """The body's name, or the title when it says more; never the body's name twice.

    « Groupe technique », « Groupe technique – Programmation 2025 », and for the title
    « Comité de pilotage : bilan 2025 » just that title.
    """
    title = C.t(doc.title).strip()
    body = C.t(doc.body_name).strip()
    if not title or title.casefold() == body.casefold():
        return body
    if body and title.casefold().startswith(body.casefold()):
        return title
    return f"{body} – {title}" if body else title


def when(doc) -> str:
    text = C.french_date(doc.date)
    times = C.time_range(doc.start_time, doc.end_time)
    return f"{text} {times}".strip()


SORT_PREFIX = 200  # collation keys of the first characters only (a pasted novel must not stall the sort)


def _by_surname(attendees):
    def key(a):
        return (person_sort_key(a.first_name[:SORT_PREFIX], (a.last_name or a.name)[:SORT_PREFIX]),
                sort_key(a.name[:SORT_PREFIX]))

    return sorted(attendees, key=key)


def _surname_first(a) -> str:
    """« Mme DUBOIS Claire » for the sign-in sheet (sorted by surname)."""
    if not a.last_name:
        return a.name
    return " ".join(x for x in (a.civility, a.last_name.upper(), a.first_name) if x)


def _civil(a) -> str:
    """« Mme Claire Dubois »: a person is named with her civility in what the instance reads."""
    return person_name(a.first_name, a.last_name, a.civility) if a.last_name else a.name


def _with_org(a) -> str:
    return ", ".join(x for x in (_civil(a), a.organisation) if x)


def _represented(a) -> str:
    """« représentée par M. Paul Vert » (agreed with the person represented; the
    representative named as the service gave it, with civility), "" if not represented."""
    if a.status is not E.AttendanceStatus.REPRESENTE or not a.represented_by:
        return ""
    return f"{agree('représenté', a.civility)} par {a.represented_by}"


# --------------------------------------------------------------------------- convocation


def build_convocation(data: MeetingDocument) -> Document:
    dated = data.convocation_date or data.today
    blocks: list = [
        para(f"{data.commune + ', le ' if data.commune else 'Le '}{C.french_date(dated)}", align="right"),
        Heading(f"Convocation – {meeting_name(data)}", 0),
        Paragraph((Run("Objet : ", bold=True), Run(f"réunion du {data.body_name} du {C.french_date(data.date)}"))),
        para("Madame, Monsieur,"),
    ]
    body = [Run("Nous avons le plaisir de vous convier à la réunion du "), Run(data.body_name, bold=True),
            Run(" qui se tiendra le "), Run(when(data), bold=True)]
    if data.place:
        body += [Run(", au lieu suivant : "), Run(data.place, bold=True)]
    else:
        body.append(Run(" (le lieu vous sera précisé)"))
    body.append(Run("."))
    blocks.append(Paragraph(tuple(body)))

    blocks.append(Heading("Ordre du jour", 1))
    if data.agenda:
        items = []
        for item in data.agenda:
            extra = ", ".join(x for x in (item.presenter and f"présenté par {item.presenter}",
                                           item.duration_min and f"{item.duration_min} min") if x)
            items.append((Run(item.title),) + ((Run(f" ({extra})", italic=True),) if extra else ()))
        blocks.append(ListBlock(tuple(items), numbered=True))
    else:
        blocks.append(para("L'ordre du jour vous sera communiqué prochainement."))

    confirm = [Run("Merci de confirmer votre présence, ou de nous indiquer la personne qui vous représentera")]
    if data.reply_by:
        confirm += [Run(", "), Run(f"avant le {C.french_date(data.reply_by)}", bold=True)]
    confirm.append(Run(", auprès du secrétariat"))
    if data.secretary:
        confirm += [Run(" : "), Run(data.secretary, bold=True)]
        if data.secretary_function:
            confirm.append(Run(f", {data.secretary_function}"))
        if data.secretary_contact:
            confirm.append(Run(f" ({data.secretary_contact})"))
    confirm.append(Run("."))
    blocks.append(Paragraph(tuple(confirm), space_before=10))
    blocks.append(para("Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées."))
    signatories = data.signatories or (((data.secretary, data.secretary_function),) if data.secretary else ())
    if signatories:
        blocks.append(Signature(tuple(signatories)))

    people = _by_surname(data.attendees)
    blocks.append(Heading(f"Destinataires ({len(people)})", 2))
    if people:
        blocks.append(ListBlock(tuple(
            (Run(_civil(a)),) + ((Run(" – " + ", ".join(x for x in (a.function, a.organisation) if x)),)
                              if (a.function or a.organisation) else ())
            for a in people)))
    return Document(title=f"Convocation – {meeting_name(data)} – {C.short_date(data.date)}",
                    header=commune_label(data), blocks=tuple(blocks), kind="convocation")


# --------------------------------------------------------------------------- sign-in sheet


def _row_height_cm(texts, layout: SigningLayout = TALL) -> float:
    """How tall a row of the sign-in sheet will be once its texts wrap (an estimate)."""
    lines = 1
    for text, width in zip(texts, SIGNING_WIDTHS_CM):
        per_line = max(1, int(layout.chars_per_cm * (width - 0.3)))
        count = 0
        for line in text.split("\n"):  # a line break starts a line
            current, count = 0, count + 1
            for word in line.split():  # greedy word wrap, as the word processor does
                if current and current + 1 + len(word) > per_line:
                    count, current = count + 1, len(word)
                else:
                    current += (1 if current else 0) + len(word)
        lines = max(lines, count)
    return max(SIGNING_ROW_HEIGHT_CM, lines * layout.line_cm + layout.margins_cm)


def _last_page(rows, layout: SigningLayout) -> tuple[int, float, float]:
    """(page, room left, height filled) where the names end, in ``layout``."""
    heights = [SIGNING_ROW_HEIGHT_CM] * rows if isinstance(rows, int) else [_row_height_cm(r, layout) for r in rows]
    page, left, on_page = 1, layout.first_page_cm, 0.0
    for height in heights:  # rows are never split: a row that does not fit starts a page
        if height > left:
            page, left, on_page = page + 1, layout.next_page_cm, 0.0
        left -= height
        on_page += height
    return page, left, on_page


def signing_blank_rows(rows) -> int:
    """Blank lines for walk-ins: fill what is left of the last page the names take, so no
    page ever holds only blank lines (none when the names fill that page, or when the ways
    of printing it disagree on the page where the names end).

    ``rows``: the (name, structure, function) texts of the invitees, or just their count.
    """
    count = rows if isinstance(rows, int) else len(rows)
    ends = [_last_page(rows, layout) for layout in (TALL, SHORT)]
    if len({page for page, _left, _filled in ends}) > 1:
        return 0  # on one page or the next: blank lines could stand alone on a new page
    page, left, on_page = min(ends, key=lambda end: end[1])
    if count and page > 1 and on_page < PAGING_MARGIN_CM:
        return 0  # the names end right at a page's end
    return max(0, int((left - PAGING_MARGIN_CM / 2) // SIGNING_ROW_HEIGHT_CM))


def build_emargement(data: MeetingDocument) -> Document:
    people = _by_surname(data.attendees)
    where = f" – {data.place}" if data.place else ""
    blocks: list = [
        Heading("Feuille d'émargement", 0),
        label_value("Instance", meeting_name(data)),
        label_value("Date", when(data)),
    ]
    if data.place:
        blocks.append(label_value("Lieu", data.place))
    texts, rows = [], []
    for a in people:
        represented = _represented(a)  # known beforehand: the representative signs on that line
        name = (Run(_surname_first(a)),) + ((Run(f"\n{represented}", italic=True),) if represented else ())
        texts.append(("".join(r.text for r in name), a.organisation, a.function))
        rows.append((name,) + tuple((Run(v),) if v else () for v in (a.organisation, a.function, "")))
    blanks = signing_blank_rows(texts)
    rows += [((), (), (), ())] * blanks
    walk_ins = "complètent une ligne vierge." if blanks else "signent au verso de la dernière page."
    blocks.append(Paragraph((Run(plural(len(people), "personne invitée", "personnes invitées") + ". "),
                             Run(f"Les personnes non inscrites {walk_ins}")),
                            style="Small", space_before=4))
    blocks.append(Table(("Nom", "Structure", "Fonction", "Signature"), tuple(rows), SIGNING_WIDTHS_CM,
                        row_height_cm=SIGNING_ROW_HEIGHT_CM))
    return Document(title=f"Émargement – {data.body_name} – {C.short_date(data.date)}",
                    header=commune_label(data), blocks=tuple(blocks), kind="emargement",
                    header_lines=(f"Émargement – {meeting_name(data)} – {C.short_date(data.date)}"
                                  f"{' ' + C.time_range(data.start_time, data.end_time) if data.start_time else ''}"
                                  f"{where}",))


# --------------------------------------------------------------------------- minutes


def _decision_prefix(d) -> str:
    if d.kind is E.DecisionKind.AVIS and d.opinion is not None:
        prefix = f"Avis {d.opinion.label.lower()}"
    else:
        prefix = d.kind.label
    if d.action:
        prefix += f" (action {d.action})"
    return prefix + " : "


def _on_action(d) -> bool:
    """Decisions and avis on a programme action go in the table of the point."""
    return bool(d.action_code) and d.kind in (E.DecisionKind.DECISION, E.DecisionKind.AVIS)


def _outcome(d) -> str:
    if d.kind is E.DecisionKind.AVIS and d.opinion is not None:
        return f"Avis {d.opinion.label.lower()}"
    return d.outcome or d.kind.label


def _comment(d) -> str:
    """The decision's own words without what the table already says (code, title, outcome, amounts)."""
    text = d.text.strip()
    if d.action_code and text.startswith(d.action_code):
        text = re.sub(r"^" + re.escape(d.action_code) + r"\s*(«[^»]*»)?\s*[:–-]?\s*", "", text)
    outcome = _outcome(d)
    for word in (outcome, outcome.split(" (")[0], d.opinion.label if d.opinion else ""):
        if word and text.casefold().startswith(word.casefold()):
            text = text[len(word):].lstrip(" ,;:–-")
            break
    if text.startswith("(") and text.rstrip(".").endswith(")"):
        text = text.rstrip(".")[1:-1].strip()
    if d.funding and "€" in text and d.kind is E.DecisionKind.DECISION:
        return ""  # the amounts, already in the table
    return text[:1].upper() + text[1:]


def _amount(cents) -> str:
    return euros(cents) if cents is not None else "—"


def _decision_tables(decisions) -> list:
    heads = {d.kind for d in decisions}
    label = "Avis" if heads == {E.DecisionKind.AVIS} else "Décision" if heads == {E.DecisionKind.DECISION} \
        else "Avis / décision"
    rows = []
    funders: dict[str, list[int]] = {}  # name → [requested, granted, any granted, position]
    total_req = total_granted = 0
    any_granted = False
    for d in decisions:
        requested = sum(f.requested_cents for f in d.funding)
        granted_values = [f.granted_cents for f in d.funding if f.granted_cents is not None]
        granted = sum(granted_values) if granted_values else None
        total_req += requested
        if granted is not None:
            any_granted = True
            total_granted += granted
        for f in d.funding:
            acc = funders.setdefault(f.funder, [0, 0, 0, f.position])
            acc[0] += f.requested_cents
            if f.granted_cents is not None:
                acc[1] += f.granted_cents
                acc[2] = 1
        comment = _comment(d)
        action = [Run(d.action_title or d.action)]
        if d.holder:
            action.append(Run(f"\n{d.holder}", italic=True))
        if d.objective:
            action.append(Run(f"\n{d.objective}"))
        outcome = [Run(_outcome(d), bold=True)] + ([Run(f"\n{comment}")] if comment else [])
        rows.append(((Run(d.action_code),), tuple(action), tuple(outcome), (Run(_amount(requested)),),
                     (Run(_amount(granted)),)))
    rows.append(((Run("Total", bold=True),), (Run(plural(len(decisions), "action"), bold=True),), (),
                 (Run(euros(total_req), bold=True),),
                 (Run(euros(total_granted) if any_granted else "—", bold=True),)))
    frows = [((Run(name),), (Run(euros(req)),), (Run(euros(gr) if has else "—"),))
             for name, (req, gr, has, _pos) in sorted(funders.items(), key=lambda kv: kv[1][3])]
    frows.append(((Run("Total", bold=True),), (Run(euros(total_req), bold=True),),
                  (Run(euros(total_granted) if any_granted else "—", bold=True),)))
    if E.DecisionKind.DECISION not in heads:
        # avis only: what was granted later is not the business of these minutes
        rows = [r[:4] for r in rows]
        frows = [r[:2] for r in frows]
        out = [Table(("Code", "Action, porteur et objectif", label, "Demandé"), tuple(rows),
                     (1.9, 6.9, 4.8, 3.4), total=True, align=("left", "left", "left", "right"))]
        funder_table = Table(("Financeur", "Demandé"), tuple(frows), (11.0, 6.0), total=True, align=("left", "right"))
    else:
        out = [Table(("Code", "Action, porteur et objectif", label, "Demandé", "Accordé"), tuple(rows),
                     DECISION_WIDTHS_CM, total=True, align=("left", "left", "left", "right", "right"))]
        funder_table = Table(("Financeur", "Demandé", "Accordé"), tuple(frows), (9.0, 4.0, 4.0), total=True,
                             align=("left", "right", "right"))
    if funders:
        out.append(Paragraph((Run("Montants par financeur", bold=True),), space_before=6))
        out.append(funder_table)
    return out


def _task_rows(tasks, *, with_meeting: bool):
    for task in tasks:
        due = C.short_date(task.due_date) or "—"
        state = task.status.label
        if task.done_on and task.status is E.TaskStatus.FAIT:
            state += f" le {C.short_date(task.done_on)}"
        if task.overdue:
            cells = ((Run(task.owner or "—"),), (Run(task.description),), (Run(due, alert=True),),
                     (Run(f"{state} (en retard)", alert=True),))
        else:
            cells = ((Run(task.owner or "—"),), (Run(task.description),), (Run(due),), (Run(state),))
        yield (((Run(C.short_date(task.meeting_date)),),) + cells) if with_meeting else cells


def _attendee_line(a) -> tuple[Run, ...]:
    out = [Run(_civil(a), bold=True)]
    if a.organisation:
        out.append(Run(f" ({a.organisation})"))
    if _represented(a):
        out.append(Run(f", {_represented(a)}"))
    if a.guest:
        out.append(Run(f" – {agree('invité', a.civility)}", italic=True))
    return tuple(out)


def build_minutes(data: MeetingDocument) -> Document:
    draft = data.is_draft
    blocks: list = [Heading(f"Compte rendu – {meeting_name(data)}", 0, "(PROJET)" if draft else "")]
    blocks.append(label_value("Date", when(data)))
    if data.place:
        blocks.append(label_value("Lieu", data.place))
    if data.quartier:
        blocks.append(label_value("Quartier", data.quartier))
    if data.secretary:
        blocks.append(label_value("Secrétariat", ", ".join(x for x in (data.secretary, data.secretary_function) if x)))
    invited, attended = len(data.attendees), data.attended
    participation = f"{plural(attended, 'participant')} sur {plural(invited, 'invité')}"
    if data.quorum is not None:
        participation += f" – quorum ({data.quorum}) {quorum_state(attended, data.quorum)}"
    blocks.append(label_value("Participation", participation))
    if draft:
        blocks.append(Paragraph((Run("PROJET", bold=True),
                                 Run(" – compte rendu soumis à validation lors de la prochaine séance.")),
                                style="Small"))

    blocks.append(Heading("Participants", 1))
    groups: dict = {}
    for a in data.attendees:
        groups.setdefault(a.status, []).append(a)
    for status, heading in ATTENDANCE_GROUPS:
        people = _by_surname(groups.get(status, []))
        if not people:
            continue  # an empty group says nothing
        blocks.append(Heading(f"{heading} ({len(people)})", 3))
        blocks.append(ListBlock(tuple(_attendee_line(a) for a in people)))

    blocks.append(Heading("Ordre du jour", 1))
    if data.agenda:
        blocks.append(ListBlock(tuple((Run(item.title),) for item in data.agenda), numbered=True))
    else:
        blocks.append(para("Aucun point inscrit."))

    if data.agenda:
        blocks.append(Heading("Relevé des échanges et des décisions", 1))
    for item in data.agenda:
        blocks.append(Heading(f"{item.number}. {item.title}", 2))
        meta = ", ".join(x for x in (item.presenter and f"Présenté par {item.presenter}",
                                     item.duration_min and f"{item.duration_min} min", item.reference) if x)
        if meta:
            blocks.append(para(meta, style="Small"))
        for line in item.discussion.split("\n") if item.discussion else ():
            blocks.append(para(line) if line else para(""))
        on_actions = [d for d in item.decisions if _on_action(d)]
        for d in item.decisions:
            if not _on_action(d):
                blocks.append(Paragraph((Run(_decision_prefix(d), bold=True), Run(d.text)), indent=True))
        if on_actions:
            blocks.extend(_decision_tables(on_actions))

    blocks.append(Heading("Suites à donner", 1))
    if data.tasks:
        blocks.append(Table(("Qui", "Quoi", "Échéance", "État"), tuple(_task_rows(data.tasks, with_meeting=False)),
                            TASK_WIDTHS_CM))
    else:
        blocks.append(para("Aucune nouvelle tâche."))

    if data.review:
        blocks.append(Heading("Suivi des tâches des réunions précédentes", 1))
        blocks.append(Table(("Réunion", "Qui", "Quoi", "Échéance", "État"),
                            tuple(_task_rows(data.review, with_meeting=True)), REVIEW_WIDTHS_CM))

    blocks.append(Heading("Prochaine réunion", 1))
    if data.next_meeting_date:
        blocks.append(para(f"La prochaine réunion aura lieu le {C.french_date(data.next_meeting_date)}."))
    else:
        blocks.append(para("La date de la prochaine réunion sera communiquée ultérieurement."))

    blocks.append(Heading("Diffusion", 1))
    blocks.append(para("Membres et invités de l'instance :"))
    if data.attendees:
        blocks.append(ListBlock(tuple((Run(_with_org(a)),) for a in _by_surname(data.attendees))))

    if data.validation is not None:
        v = data.validation
        by = f" par {v.validated_by}" if v.validated_by else ""
        blocks.append(Paragraph((Run("Compte rendu validé", bold=True),
                                 Run(f" le {C.french_date(v.validated_on)}{by}.")), space_before=12))
        if v.chair:
            blocks.append(Signature(((v.chair, "Présidence de séance"),)))
    return Document(title=f"Compte rendu – {data.body_name} – {C.short_date(data.date)}", header=commune_label(data),
                    blocks=tuple(blocks), draft=draft, kind="minutes")


BUILDERS: dict[str, Callable[[MeetingDocument], Document]] = {
    "convocation": build_convocation,
    "emargement": build_emargement,
    "minutes": build_minutes,
}


# --------------------------------------------------------------------------- files and HTML


def write_document(document: Document, path: Path, letterhead=None) -> Path:
    from .docx_render import render_docx  # start-up: python-docx loads only to write (the preview is HTML)

    return render_docx(document, Path(path), letterhead)


def write_convocation(data, path: Path, letterhead=None) -> Path:
    return write_document(build_convocation(data), path, letterhead)


def write_emargement(data, path: Path, letterhead=None) -> Path:
    return write_document(build_emargement(data), path, letterhead)


def write_minutes(data, path: Path, letterhead=None) -> Path:
    return write_document(build_minutes(data), path, letterhead)


WRITERS: dict[str, Callable] = {
    "convocation": write_convocation,
    "emargement": write_emargement,
    "minutes": write_minutes,
}


def minutes_html(data, letterhead=None) -> str:
    """The minutes as HTML (for QTextDocument: print preview and PDF), from the same blocks as Word."""
    return render_html(build_minutes(data), letterhead)
