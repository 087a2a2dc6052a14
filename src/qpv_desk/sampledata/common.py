"""The rules both demo-data scales share: names, dates, bulk rows, the dated status chain
of an action, its financing plan. The content itself lives in :mod:`.demo` (Verquin) and
:mod:`.agglomeration`; :mod:`.build` writes the file.

Both start from a referential file imported through the ordinary service, then add
realistic, clearly fictitious data written in bulk into the ORM's tables (ids assigned
here, timestamps set explicitly, so the content is the same at every build). Everything is drawn from
``random.Random(seed)`` and fixed dates: the demo's « today » is :data:`DEMO_TODAY`.
Names of persons, associations and bailleurs are invented; e-mails use ``.example``
domains and phone numbers the ranges the ARCEP keeps for fiction (03 53 01 xx xx,
06 39 98 xx xx).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, insert, select

from ..domain.enums import OPINION_STATUS, Opinion
from ..store import models as M

DEMO_TODAY = dt.date(2026, 11, 25)
DEFAULT_SEED = 62131
SCALES = ("demo", "agglomeration")
BUILDER = "qpv-desk (données de démonstration)"
IMPORT_STAMP = dt.datetime(2024, 9, 2, 9, 0)
D = dt.timedelta

FIRST_F = ("Amandine Aurélie Bérénice Camille Céline Chloé Claire Delphine Élodie Émilie Fatima Florence Hélène "
           "Inès Isabelle Julie Karima Laetitia Laura Léa Lucie Magali Manon Marie Mélanie Nadia Nathalie Noémie "
           "Pauline Sabrina Samia Sandrine Sarah Sophie Stéphanie Valérie Virginie Yasmina Zoé Agnès").split()
FIRST_M = ("Alexandre Antoine Arnaud Benoît Bruno Cédric Christophe Damien David Didier Éric Fabien Florian "
           "François Grégory Guillaume Hervé Jérôme Julien Karim Kévin Laurent Loïc Ludovic Marc Mathieu Mehdi "
           "Nicolas Olivier Pascal Patrick Philippe Rachid Romain Samir Sébastien Stéphane Thierry Thomas Yannick").split()
LAST = ("Lefebvre Dubois Delattre Leroy Lemaire Caron Vasseur Deprez Delannoy Lecomte Duhamel Carpentier Wattel "
        "Dufour Boulanger Hennebelle Debove Leclercq Dumont Lenoir Merlin Poulain Roussel Bultel Cousin Delmotte "
        "Flament Gosselin Hochart Lagache Lebas Macquet Noiret Obert Pruvost Quenton Ramery Sailly Tillier "
        "Vanhove Waeles Benali Haddad Kowalski Nowak Diallo Mendes Rossi Ferreira Bouzid Lewandowski Traoré "
        "Da Silva Cherifi Mazur Nguyen Martin Bernard Petit Durand Moreau Laurent Simon Michel Garnier Faure "
        "Blanchard Guérin Baudry Marchand Brunet Barbier Colin Vidal Renard Picard Lucas Fontaine Chevalier "
        "Dewailly Fournier Lamotte Bourgeois Capelle Decroix Evrard Facon Gilleron Honoré Lesage Lhomme Masse "
        "Petitprez Régnier Sénéchal Taquet Vermeersch Vandenbussche Wallet Ziani Belkacem Ouali Santos").split()
# « Da Silva » was split above: put it back together.
LAST = tuple(x for x in LAST if x not in ("Da", "Silva")) + ("Da Silva",)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = "".join(c.lower() if c.isalnum() else "-" for c in ascii_text)
    return "-".join(p for p in out.split("-") if p)


def short_slug(text: str, limit: int = 28) -> str:
    """A slug cut at a word boundary (for fictitious e-mail domains)."""
    out = ""
    for word in slug(text).split("-"):
        if out and len(out) + 1 + len(word) > limit:
            break
        out = f"{out}-{word}" if out else word
    return out


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


@dataclass(frozen=True)
class BuildResult:
    path: Path
    scale: str
    seconds: float
    counts: dict[str, int]


# --------------------------------------------------------------------------- bulk rows


class Rows:
    """Rows collected per model, ids assigned here, inserted in dependency order."""

    ORDER = (M.Organisation, M.Person, M.Quartier, M.Statistic, M.Body, M.Membership, M.ProgrammeYear, M.Action,
             M.ActionObjective, M.FundingLine, M.Indicator, M.Meeting, M.AgendaItem, M.Attendance, M.Decision,
             M.FollowUpTask, M.ActionStatusChange, M.Setting)

    def __init__(self, session):
        self.rows: dict[type, list[dict]] = {m: [] for m in self.ORDER}
        self.updates: list = []  # statements run after the inserts (they may cite new rows)
        self.next_id: dict[type, int] = {}
        for model in self.ORDER:
            if "id" in model.__table__.c:
                self.next_id[model] = (session.scalar(select(func.max(model.id))) or 0) + 1

    def add(self, model, **values) -> int | None:
        if model in self.next_id:
            values["id"] = self.next_id[model]
            self.next_id[model] += 1
        self.rows[model].append(values)
        return values.get("id")

    def flush(self, session) -> None:
        for model in self.ORDER:
            rows = self.rows[model]
            # one statement per shape of row (a bulk insert needs the same keys everywhere)
            shapes: dict[tuple, list[dict]] = {}
            for r in rows:
                shapes.setdefault(tuple(r), []).append(r)
            for batch in shapes.values():
                # Core executemany on the mapped table: one statement per batch (the ORM's bulk
                # insert goes row by row on versioned tables)
                session.execute(insert(model.__table__), batch)
            rows.clear()
        for stmt in self.updates:
            session.execute(stmt)
        self.updates.clear()


# --------------------------------------------------------------------------- lifecycle rules

GRANTED = ("accordee", "notifiee", "versee", "a_justifier", "justifiee", "cloturee", "abandonnee", "non_realisee")
REALISED = ("a_justifier", "justifiee", "cloturee")
REVIEW_NOTES = (
    "Bilan complet ; objectifs quantitatifs atteints.",
    "Bilan reçu avec retard ; fréquentation inférieure aux prévisions mais bonne mobilisation des partenaires.",
    "Bilan satisfaisant ; forte participation des familles du quartier.",
    "Bilan conforme ; le porteur propose d'élargir l'action aux adolescents.",
    "Bilan financier à compléter (factures de l'intervenant) ; bilan qualitatif détaillé.",
)


def opinion_for(rng: random.Random, fate: str) -> Opinion:
    if fate == "refusee":
        return Opinion.DEFAVORABLE
    if fate == "ajournee":
        return Opinion.RESERVE
    return Opinion.RESERVE if rng.random() < 0.15 else Opinion.FAVORABLE


def history(rng, fate, deposit, gt, copil, end, received, today):
    """Dated status chain of an action. ``gt``/``copil``: (date, meeting_id, decision_id, opinion)."""
    out = [("deposee", deposit, None, None, None)]
    if fate == "deposee":
        return out
    day = deposit + D(rng.randint(12, 30))
    if fate == "non_recevable":
        out.append(("non_recevable", day, None, None, "Dossier incomplet : budget prévisionnel et statuts manquants."))
        return out
    out.append(("recevable", day, None, None, None))
    out.append(("en_instruction", day + D(rng.randint(3, 9)), None, None, None))
    if fate == "en_instruction":
        return out
    out.append((OPINION_STATUS[gt[3]].value, gt[0], gt[1], gt[2], None))
    decided = {"refusee": "refusee", "ajournee": "ajournee"}.get(fate, "accordee")
    out.append((decided, copil[0], copil[1], copil[2], None))
    if fate in ("refusee", "ajournee", "accordee"):
        return out
    notified = copil[0] + D(rng.randint(14, 30))
    out.append(("notifiee", notified, None, None, None))
    if fate == "abandonnee":
        out.append(("abandonnee", notified + D(rng.randint(40, 90)), None, None,
                    "Départ de l'intervenant : action non engagée, subvention non versée."))
        return out
    if fate == "non_realisee":
        out.append(("non_realisee", min(end, notified + D(rng.randint(120, 180))), None, None,
                    "Public non mobilisé : action arrêtée, aucun versement."))
        return out
    if fate == "notifiee":
        return out
    out.append(("versee", notified + D(rng.randint(20, 45)), None, None, None))
    if fate == "versee":
        return out
    out.append(("a_justifier", end + D(1), None, None, None))
    if fate == "a_justifier":
        return out
    out.append(("justifiee", received, None, None, None))
    if fate == "justifiee":
        return out
    out.append(("cloturee", min(received + D(rng.randint(10, 40)), today - D(1)), None, None, None))
    return out


def funding(rng, total_cents: int, funders: list[str], fate: str) -> list[tuple[str, int, int | None, int]]:
    """(funder, requested, granted, paid) per line; the financing plan balances with own funds."""
    lines, left = [], int(total_cents * 0.85)
    for code in funders:
        share = rng.uniform(0.25, 0.45) if code == "etat_pv" else rng.uniform(0.08, 0.22)
        amount = min(int(total_cents * share) // 5000 * 5000, left // 5000 * 5000)
        if amount >= 5000:
            lines.append([code, amount])
            left -= amount
    own = total_cents - sum(a for _, a in lines)
    if own > 0:
        lines.append(["fonds_propres", own])
    decided = fate in GRANTED
    out = []
    for code, requested in lines:
        if code == "fonds_propres":
            granted = requested if decided else None
            paid = granted if fate in REALISED or fate == "versee" else 0
        elif fate == "refusee":
            granted, paid = 0, 0
        elif decided:
            granted = int(requested * rng.choice((1, 1, 1, 0.9, 0.8, 0.75))) // 5000 * 5000
            if fate in ("versee", "a_justifier", "justifiee"):
                paid = granted * 8 // 10 if code == "etat_pv" else granted
            elif fate == "cloturee":
                paid = granted
            else:
                paid = 0
        else:
            granted, paid = None, 0
        out.append((code, requested, granted, paid or 0))
    return out


# --------------------------------------------------------------------------- entry point
