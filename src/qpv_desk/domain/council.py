"""The conseil citoyen's register: collèges, entry modes and the checks of the law.

Loi n° 2014-173 du 21 février 2014, article 7, and its *cadre de référence*: two
collèges — residents (drawn by lot, with parity between women and men) and
associations and local actors —, residents at least half of the members, suppléants
recommended, a prefectoral arrêté listing the members by name.

Plain Python: the rules take plain member records and return findings; the services
feed them from the database, the screen and the workbook show the findings.
Also here: the reproducible draw of the residents' collège (:func:`draw`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass

from .enums import LabelledEnum
from .rules import add_months
from .text import person_name, plural

EXPIRY_WINDOW_MONTHS = 3
ABSENCE_STREAK = 3
RESIDENTS_MIN_SHARE = 0.5


class College(LabelledEnum):
    HABITANTS = "habitants", "Habitants"
    ACTEURS_LOCAUX = "acteurs_locaux", "Associations et acteurs locaux"


class EntryMode(LabelledEnum):
    TIRAGE = "tirage", "Tirage au sort"
    VOLONTAIRE = "volontaire", "Volontaire"
    DESIGNE = "designe", "Désigné(e)"


class CheckLevel(LabelledEnum):
    OK = "ok", "Conforme"
    WARNING = "alerte", "À surveiller"
    ERROR = "ecart", "Non conforme"


@dataclass(frozen=True)
class RegisterMember:
    """What the rules need to know of one current member of the conseil."""

    id: int
    name: str
    civility: str | None  # « Mme », « M. » or None: parity is read from it
    college: College | None
    substitute: bool  # suppléant(e)
    substitute_of_id: int | None  # the titulaire this suppléant stands in for
    mandate_end: dt.date | None
    recent_attendance: tuple[str, ...] = ()  # statuses at the last meetings, newest first


@dataclass(frozen=True)
class Finding:
    key: str  # parity, residents_share, expiring, no_substitute, absent
    label: str  # the rule, in French
    level: CheckLevel
    message: str  # what was found, in French
    member_ids: tuple[int, ...] = ()


def parity(members: Sequence[RegisterMember]) -> Finding:
    """Residents' collège: as many women as men among the titulaires (one apart when odd)."""
    residents = [m for m in members if m.college == College.HABITANTS and not m.substitute]
    women = sum(1 for m in residents if m.civility == "Mme")
    men = sum(1 for m in residents if m.civility == "M.")
    unknown = [m.id for m in residents if m.civility not in ("Mme", "M.")]
    label = "Parité femmes-hommes dans le collège des habitants"
    text = f"{plural(women, 'femme')} et {plural(men, 'homme')}"
    if not residents:
        return Finding("parity", label, CheckLevel.WARNING, "Aucun habitant titulaire.")
    if unknown:
        return Finding("parity", label, CheckLevel.WARNING,
                       f"{text} ; civilité inconnue pour {plural(len(unknown), 'membre')}.", tuple(unknown))
    if abs(women - men) <= 1:
        return Finding("parity", label, CheckLevel.OK, f"{text}.")
    return Finding("parity", label, CheckLevel.ERROR, f"{text} : écart de {abs(women - men)}.")


def residents_share(members: Sequence[RegisterMember]) -> Finding:
    """Residents are at least half of the titulaires."""
    titulaires = [m for m in members if not m.substitute]
    residents = sum(1 for m in titulaires if m.college == College.HABITANTS)
    label = "Habitants : au moins la moitié des membres"
    if not titulaires:
        return Finding("residents_share", label, CheckLevel.WARNING, "Aucun membre titulaire.")
    share = residents / len(titulaires)
    text = f"{plural(residents, 'habitant')} sur {plural(len(titulaires), 'titulaire')} ({share:.0%})".replace("%", "\u00a0%")
    level = CheckLevel.OK if share >= RESIDENTS_MIN_SHARE else CheckLevel.ERROR
    return Finding("residents_share", label, level, text + ".")


def expiring_mandates(members: Sequence[RegisterMember], today: dt.date,
                      months: int = EXPIRY_WINDOW_MONTHS) -> Finding:
    """Mandates ending between today and ``months`` months from today (both included)."""
    limit = add_months(today, months)
    hits = [m for m in members if m.mandate_end is not None and today <= m.mandate_end <= limit]
    label = f"Mandats qui s'achèvent dans les {months} mois"
    if not hits:
        return Finding("expiring", label, CheckLevel.OK, "Aucun.")
    names = ", ".join(f"{m.name} ({m.mandate_end:%d/%m/%Y})" for m in hits)
    return Finding("expiring", label, CheckLevel.WARNING, names + ".", tuple(m.id for m in hits))


def titulaires_without_substitute(members: Sequence[RegisterMember]) -> Finding:
    covered = {m.substitute_of_id for m in members if m.substitute and m.substitute_of_id}
    hits = [m for m in members if not m.substitute and m.id not in covered]
    label = "Titulaires sans suppléant"  # printed in the COPIL workbook: no « (e) »
    if not hits:
        return Finding("no_substitute", label, CheckLevel.OK, "Chaque titulaire a son suppléant.")
    return Finding("no_substitute", label, CheckLevel.WARNING,
                   ", ".join(m.name for m in hits) + ".", tuple(m.id for m in hits))


ABSENT_STATUSES = frozenset({"absent"})


def absentees(members: Sequence[RegisterMember], streak: int = ABSENCE_STREAK) -> Finding:
    """Members marked absent (not excused, not represented) at each of the last ``streak`` meetings."""
    hits = [m for m in members if len(m.recent_attendance) >= streak
            and all(s in ABSENT_STATUSES for s in m.recent_attendance[:streak])]
    label = f"Membres absents aux {streak} dernières réunions"
    if not hits:
        return Finding("absent", label, CheckLevel.OK, "Aucun.")
    return Finding("absent", label, CheckLevel.WARNING, ", ".join(m.name for m in hits) + ".",
                   tuple(m.id for m in hits))


def check_register(members: Sequence[RegisterMember], today: dt.date) -> list[Finding]:
    """Every check of the register, in the order shown."""
    return [parity(members), residents_share(members), expiring_mandates(members, today),
            titulaires_without_substitute(members), absentees(members)]


# --------------------------------------------------------------------------- draw


@dataclass(frozen=True)
class Candidate:
    civility: str  # « Mme » or « M. »
    first_name: str
    last_name: str
    address: str = ""

    @property
    def name(self) -> str:
        return person_name(self.first_name, self.last_name, self.civility)


def list_fingerprint(candidates: Sequence[Candidate]) -> str:
    """SHA-256 of the list as imported (order kept): shows the list was not changed afterwards."""
    h = hashlib.sha256()
    for c in candidates:
        h.update("\x1f".join((c.civility, c.first_name, c.last_name, c.address)).encode("utf-8") + b"\x1e")
    return h.hexdigest()


def draw(candidates: Sequence[Candidate], seats: int, seed: str) -> list[int]:
    """Draw ``seats`` residents with parity: indices into ``candidates``, in drawing order.

    Reproducible: the same list, seats and seed always give the same draw (Python's
    Mersenne Twister seeded with the SHA-256 of the seed and of the list). Women and men
    are drawn alternately — starting with the sex drawn first — so the result has as many
    women as men (one apart when ``seats`` is odd); when one sex runs out, the other
    completes the seats.
    """
    if seats < 1:
        raise ValueError("seats")
    rng = random.Random(hashlib.sha256(f"{seed}\x1f{list_fingerprint(candidates)}".encode()).hexdigest())
    pools = {"Mme": [i for i, c in enumerate(candidates) if c.civility == "Mme"],
             "M.": [i for i, c in enumerate(candidates) if c.civility == "M."]}
    for pool in pools.values():
        rng.shuffle(pool)
    order = ["Mme", "M."]
    rng.shuffle(order)
    chosen: list[int] = []
    turn = 0
    while len(chosen) < seats and (pools["Mme"] or pools["M."]):
        sex = order[turn % 2]
        if not pools[sex]:
            sex = order[(turn + 1) % 2]
        chosen.append(pools[sex].pop(0))
        turn += 1
    return chosen
