"""The annex of the prefectoral arrêté recognising a conseil citoyen (Word).

One table per collège — habitants first, then associations and local actors — with the
members' names and quality (habitant(e) / représentant(e) de …, titulaire or suppléant(e)
de …), as a prefecture lists them. Data in (:class:`services.council.AnnexeData`, any
object with the same attributes), file out; every piece of user text is sanitised by
:mod:`reports.docx_common`.
"""

from __future__ import annotations

from pathlib import Path

from . import docx_common as C


def write_annexe(data, path: Path) -> Path:
    commune = f"Commune de {data.commune}" if data.commune else ""
    doc = C.load_template(commune, title=f"Annexe à l'arrêté – {data.body_name}")
    w = C.Writer(doc)
    w.p("Annexe à l'arrêté préfectoral", "Title")
    if data.arrete_reference or data.arrete_date:
        ref = f"n° {data.arrete_reference}" if data.arrete_reference else ""
        date = f"du {C.french_date(data.arrete_date).split(' ', 1)[1]}" if data.arrete_date else ""
        w.p(f"Arrêté {ref} {date}".replace("  ", " ").strip())
    else:
        w.p("Arrêté n° ………… du …………")
    w.p(f"portant reconnaissance de la composition du {data.body_name}"
        + (f" du quartier {data.quartier}" if data.quartier else ""))
    w.p("Liste des membres", "Heading 1")
    if not data.lines:
        w.p("Aucun membre n'est inscrit au registre à cette date.")
    colleges: dict[str, list] = {}
    for line in data.lines:
        colleges.setdefault(line.college, []).append(line)
    for college, lines in colleges.items():
        w.p(f"Collège « {college} » ({len(lines)})", "Heading 2")
        table = C.new_table(doc, ("Collège", "Nom", "Qualité"), (4.5, 5.5, 7.0))
        C.add_rows(table, ((line.college, line.name, line.quality) for line in lines))
    w.p(f"Liste arrêtée le {C.short_date(data.today)}.")
    return C.save_document(doc, path)
