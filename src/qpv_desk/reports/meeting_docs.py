"""The three documents of a meeting: convocation, feuille d'émargement, compte rendu.

Data in (:class:`~qpv_desk.services.meetings.MeetingDocument`, plain data), file out.
No Qt, no database. :func:`minutes_html` gives the same minutes as HTML for Qt's
print preview and PDF export.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from ..domain import enums as E
from ..domain.rules import quorum_state
from . import docx_common as C
from .docx_common import t

BLANK_SIGNING_ROWS = 8
SIGNING_ROW_HEIGHT_CM = 1.3

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


def _commune(doc) -> str:
    return f"Commune de {doc.commune}" if doc.commune else doc.contract


def _meeting_name(doc) -> str:
    """« Groupe technique » or « Groupe technique – Programmation 2025 » when the title says more."""
    title = t(doc.title).strip()
    if not title or title.casefold() == t(doc.body_name).casefold():
        return t(doc.body_name)
    return f"{t(doc.body_name)} – {title}"


def _when(doc) -> str:
    text = C.french_date(doc.date)
    times = C.time_range(doc.start_time, doc.end_time)
    return f"{text} {times}".strip()


def _person(a) -> str:
    return ", ".join(x for x in (t(a.name), t(a.organisation)) if x)


def _sorted_for_signing(attendees):
    return sorted(attendees, key=lambda a: (not a.organisation, t(a.organisation).casefold()))


# --------------------------------------------------------------------------- convocation


def write_convocation(data, path: Path) -> Path:
    doc = C.load_template(_commune(data), title=f"Convocation – {data.body_name} – {C.short_date(data.date)}")
    w = C.Writer(doc)
    place_line = w.p()
    place_line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    place_line.add_run(f"{t(data.commune) + ', le ' if data.commune else 'Le '}{C.french_date(data.today)}")
    w.p(f"Convocation – {_meeting_name(data)}", "Title")

    intro = w.p()
    intro.add_run("Objet : ").bold = True
    intro.add_run(f"réunion du {t(data.body_name)} du {C.french_date(data.date)}")
    w.p("Madame, Monsieur,")
    body = w.p("Vous êtes invité(e) à participer à la réunion du ")
    body.add_run(t(data.body_name)).bold = True
    body.add_run(" qui se tiendra le ")
    body.add_run(_when(data)).bold = True
    if data.place:
        body.add_run(", au lieu suivant : ")
        body.add_run(t(data.place)).bold = True
    else:
        body.add_run(" (le lieu vous sera précisé)")
    body.add_run(".")

    w.p("Ordre du jour", "Heading 1")
    if data.agenda:
        for item in data.agenda:
            p = w.p(style="List Number")
            p.add_run(t(item.title))
            extra = ", ".join(x for x in (item.presenter and f"présenté par {t(item.presenter)}",
                                           item.duration_min and f"{item.duration_min} min") if x)
            if extra:
                p.add_run(f" ({extra})").italic = True
    else:
        w.p("L'ordre du jour vous sera communiqué prochainement.")

    confirm = w.p()
    confirm.paragraph_format.space_before = Pt(10)
    confirm.add_run("Merci de confirmer votre présence, ou de nous indiquer la personne qui vous représentera, "
                    "auprès du secrétariat")
    if data.secretary:
        confirm.add_run(" : ")
        confirm.add_run(t(data.secretary)).bold = True
        if data.secretary_function:
            confirm.add_run(f", {t(data.secretary_function)}")
        if data.secretary_contact:
            confirm.add_run(f" ({t(data.secretary_contact)})")
    confirm.add_run(".")
    w.p("Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.")
    if data.secretary:
        sign = w.p()
        sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        sign.paragraph_format.space_before = Pt(12)
        sign.add_run(t(data.secretary)).bold = True
        if data.secretary_function:
            sign.add_run("\n" + t(data.secretary_function))

    w.p(f"Destinataires ({len(data.attendees)})", "Heading 2")
    for a in data.attendees:
        p = w.p(style="List Bullet")
        p.paragraph_format.space_after = Pt(0)
        p.add_run(t(a.name))
        rest = ", ".join(x for x in (t(a.function), t(a.organisation)) if x)
        if rest:
            p.add_run(f" – {rest}")
    return C.save_document(doc, path)


# --------------------------------------------------------------------------- sign-in sheet


def write_emargement(data, path: Path) -> Path:
    doc = C.load_template(_commune(data), title=f"Émargement – {data.body_name} – {C.short_date(data.date)}")
    w = C.Writer(doc)
    w.p("Feuille d'émargement", "Title")
    w.label_value("Instance", _meeting_name(data))
    w.label_value("Date", _when(data))
    if data.place:
        w.label_value("Lieu", data.place)
    spacer = w.p()
    spacer.paragraph_format.space_after = Pt(2)
    table = C.new_table(doc, ("Nom", "Structure", "Fonction", "Signature"), (4.4, 4.4, 3.4, 4.8))
    attendees = _sorted_for_signing(data.attendees)
    C.add_rows(table, ((a.name, a.organisation, a.function, "") for a in attendees),
               min_height_cm=SIGNING_ROW_HEIGHT_CM)
    C.add_rows(table, (("", "", "", "") for _ in range(BLANK_SIGNING_ROWS)), min_height_cm=SIGNING_ROW_HEIGHT_CM)
    note = w.p(style="Small")
    note.paragraph_format.space_before = Pt(6)
    note.add_run(f"{len(attendees)} personne(s) invitée(s). Les personnes non inscrites complètent une ligne vierge.")
    return C.save_document(doc, path)


# --------------------------------------------------------------------------- minutes


def _decision_prefix(d) -> str:
    if d.kind is E.DecisionKind.AVIS and d.opinion is not None:
        prefix = f"Avis {d.opinion.label.lower()}"
    else:
        prefix = d.kind.label
    if d.action:
        prefix += f" (action {t(d.action)})"
    return prefix + " : "


def _task_rows(tasks, *, with_meeting: bool):
    for task in tasks:
        due = C.short_date(task.due_date) or "—"
        state = task.status.label
        if task.done_on and task.status is E.TaskStatus.FAIT:
            state += f" le {C.short_date(task.done_on)}"
        if task.overdue:
            due, state = (f"{due}", True), (f"{state} (en retard)", True)
        row = (task.owner or "—", task.description, due, state)
        yield ((C.short_date(task.meeting_date),) + row) if with_meeting else row


def write_minutes(data, path: Path) -> Path:
    draft = data.is_draft
    doc = C.load_template(_commune(data), draft=draft, title=f"Compte rendu – {data.body_name} – {C.short_date(data.date)}")
    w = C.Writer(doc)
    title = w.p(f"Compte rendu – {_meeting_name(data)}", "Title")
    if draft:
        title.add_run(" ")
        mark = title.add_run("(PROJET)")
        mark.font.color.rgb = C.DRAFT_COLOR
    w.label_value("Date", _when(data))
    if data.place:
        w.label_value("Lieu", data.place)
    if data.quartier:
        w.label_value("Quartier", data.quartier)
    if data.secretary:
        w.label_value("Secrétariat", ", ".join(x for x in (data.secretary, data.secretary_function) if x))
    invited, attended = len(data.attendees), data.attended
    participation = f"{attended} participant(s) sur {invited} invité(s)"
    if data.quorum is not None:
        participation += f" – quorum ({data.quorum}) {quorum_state(attended, data.quorum)}"
    w.label_value("Participation", participation)
    if draft:
        note = w.p(style="Small")
        note.add_run("PROJET").bold = True
        note.add_run(" – compte rendu soumis à validation lors de la prochaine séance.")

    w.p("Participants", "Heading 1")
    groups: dict = {}
    for a in data.attendees:
        groups.setdefault(a.status, []).append(a)
    for status, heading in ATTENDANCE_GROUPS:
        people = groups.get(status, [])
        if not people and status is E.AttendanceStatus.INVITE:
            continue
        w.p(f"{heading} ({len(people)})", "Heading 3")
        if not people:
            w.p("Aucun.", "Small")
            continue
        for a in people:
            p = w.p(style="List Bullet")
            p.paragraph_format.space_after = Pt(0)
            p.add_run(t(a.name)).bold = True
            if a.organisation:
                p.add_run(f" ({t(a.organisation)})")
            if status is E.AttendanceStatus.REPRESENTE and a.represented_by:
                p.add_run(f", représenté(e) par {t(a.represented_by)}")
            if a.guest:
                p.add_run(" – invité(e)").italic = True

    w.p("Ordre du jour", "Heading 1")
    for item in data.agenda:
        p = w.p(f"{item.number}. {t(item.title)}")
        p.paragraph_format.left_indent = Cm(0.6)
        p.paragraph_format.space_after = Pt(1)
    if not data.agenda:
        w.p("Aucun point inscrit.")

    w.p("Relevé des échanges et des décisions", "Heading 1")
    if not data.agenda:
        w.p("Aucun point n'a été inscrit à l'ordre du jour.")
    for item in data.agenda:
        w.p(f"{item.number}. {t(item.title)}", "Heading 2")
        meta = ", ".join(x for x in (item.presenter and f"Présenté par {t(item.presenter)}",
                                     item.duration_min and f"{item.duration_min} min", t(item.reference)) if x)
        if meta:
            w.p(meta, "Small")
        if item.discussion:
            w.text(item.discussion)
        elif not item.decisions:
            w.p("Pas d'échange consigné.", "Small")
        for d in item.decisions:
            p = w.text(d.text, bold_prefix=_decision_prefix(d))
            p.paragraph_format.left_indent = Cm(0.6)

    w.p("Suites à donner", "Heading 1")
    if data.tasks:
        table = C.new_table(doc, ("Qui", "Quoi", "Échéance", "État"), (4.0, 7.3, 2.8, 2.9))
        C.add_rows(table, _task_rows(data.tasks, with_meeting=False))
    else:
        w.p("Aucune nouvelle tâche.")

    w.p("Suivi des tâches des réunions précédentes", "Heading 1")
    if data.review:
        table = C.new_table(doc, ("Réunion", "Qui", "Quoi", "Échéance", "État"), (2.5, 3.3, 5.4, 2.8, 3.0))
        C.add_rows(table, _task_rows(data.review, with_meeting=True))
    else:
        w.p("Aucune tâche en attente des réunions précédentes.")

    w.p("Prochaine réunion", "Heading 1")
    if data.next_meeting_date:
        w.p(f"La prochaine réunion aura lieu le {C.french_date(data.next_meeting_date)}.")
    else:
        w.p("La date de la prochaine réunion sera communiquée ultérieurement.")

    w.p("Diffusion", "Heading 1")
    w.p("Membres et invités de l'instance :")
    for a in data.attendees:
        p = w.p(_person(a), "List Bullet")
        p.paragraph_format.space_after = Pt(0)
    return C.save_document(doc, path)


WRITERS: dict[str, Callable] = {
    "convocation": write_convocation,
    "emargement": write_emargement,
    "minutes": write_minutes,
}


# --------------------------------------------------------------------------- HTML (print preview)


def _h(value) -> str:
    return html.escape(t(value)).replace("\n", "<br>")


def minutes_html(data) -> str:
    """The minutes as simple HTML (for QTextDocument: print preview and PDF)."""
    from .docx_common import french_date, short_date

    out = ["<html><head><meta charset='utf-8'><style>",
           "body{font-family:'Calibri','Carlito','DejaVu Sans',sans-serif;font-size:10.5pt;}"
           "h1{color:#1F4E79;font-size:18pt;} h2{color:#1F4E79;font-size:13pt;margin-top:12px;}"
           "h3{color:#1F4E79;font-size:11pt;} .draft{color:#C00000;font-weight:bold;}"
           "table{border-collapse:collapse;} th{background:#1F4E79;color:white;text-align:left;}"
           "td,th{border:1px solid #9FB6CD;padding:3px;} .late{color:#C00000;font-weight:bold;}",
           "</style></head><body>"]
    out.append(f"<p><b>{_h(_commune(data))}</b></p>")
    mark = " <span class='draft'>(PROJET)</span>" if data.is_draft else ""
    out.append(f"<h1>Compte rendu – {_h(_meeting_name(data))}{mark}</h1>")
    out.append(f"<p><b>Date :</b> {_h(_when(data))}")
    if data.place:
        out.append(f"<br><b>Lieu :</b> {_h(data.place)}")
    if data.secretary:
        out.append(f"<br><b>Secrétariat :</b> {_h(data.secretary)}")
    quorum = ""
    if data.quorum is not None:
        quorum = f" – quorum ({data.quorum}) {quorum_state(data.attended, data.quorum)}"
    out.append(f"<br><b>Participation :</b> {data.attended} participant(s) sur {len(data.attendees)} invité(s)"
               f"{quorum}</p>")
    out.append("<h2>Participants</h2>")
    groups: dict = {}
    for a in data.attendees:
        groups.setdefault(a.status, []).append(a)
    for status, heading in ATTENDANCE_GROUPS:
        people = groups.get(status, [])
        if not people:
            continue
        out.append(f"<h3>{heading} ({len(people)})</h3><ul>")
        for a in people:
            rep = f", représenté(e) par {_h(a.represented_by)}" if a.represented_by else ""
            org = f" ({_h(a.organisation)})" if a.organisation else ""
            out.append(f"<li><b>{_h(a.name)}</b>{org}{rep}</li>")
        out.append("</ul>")
    out.append("<h2>Relevé des échanges et des décisions</h2>")
    for item in data.agenda:
        out.append(f"<h3>{item.number}. {_h(item.title)}</h3>")
        if item.discussion:
            out.append(f"<p>{_h(item.discussion)}</p>")
        for d in item.decisions:
            out.append(f"<p style='margin-left:16px'><b>{_h(_decision_prefix(d))}</b>{_h(d.text)}</p>")
    for heading, tasks, with_meeting in (("Suites à donner", data.tasks, False),
                                         ("Suivi des tâches des réunions précédentes", data.review, True)):
        out.append(f"<h2>{heading}</h2>")
        if not tasks:
            out.append("<p>Aucune.</p>")
            continue
        head = (["Réunion"] if with_meeting else []) + ["Qui", "Quoi", "Échéance", "État"]
        out.append("<table width='100%'><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>")
        for task in tasks:
            cls = " class='late'" if task.overdue else ""
            cells = ([short_date(task.meeting_date)] if with_meeting else []) + [task.owner or "—", task.description]
            out.append("<tr>" + "".join(f"<td>{_h(c)}</td>" for c in cells)
                       + f"<td{cls}>{short_date(task.due_date) or '—'}</td><td{cls}>{task.status.label}</td></tr>")
        out.append("</table>")
    out.append("<h2>Prochaine réunion</h2>")
    out.append(f"<p>{'Le ' + french_date(data.next_meeting_date) if data.next_meeting_date else 'Date à fixer.'}</p>")
    out.append("<h2>Diffusion</h2><ul>")
    out.extend(f"<li>{_h(_person(a))}</li>" for a in data.attendees)
    out.append("</ul></body></html>")
    return "".join(out)
