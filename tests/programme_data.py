"""Test data for the programme / follow-up tests, built through the services.

Imports the Verquin referential, adds a few holders and a meeting, then creates actions
with ``create_action`` / ``change_status`` (never through the ORM directly).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from qpv_desk.services import programme as P
from qpv_desk.services.referential import import_referential, read_referential
from qpv_desk.store.models import Body, Funder, Meeting, Objective, Organisation

VERQUIN = Path(__file__).resolve().parents[1] / "resources" / "referentials" / "verquin-3-ilots.toml"
TODAY = dt.date(2026, 11, 25)


@dataclass
class Seed:
    db: object
    obj: dict[str, int]
    funder: dict[str, int]
    org: dict[str, int]
    meeting_id: int
    actions: dict[str, int] = field(default_factory=dict)


def base(db) -> Seed:
    import_referential(db, read_referential(VERQUIN))
    with db.session() as s:
        orgs = {}
        for key, name in (("cs", "Centre social Les Îlots"), ("ml", "Mission locale de l'Artois"),
                          ("asso", "Association Sport et Quartier")):
            o = Organisation(name=name, kind="association")
            s.add(o)
            s.flush()
            orgs[key] = o.id
        gt = s.scalar(select(Body).where(Body.code == "GT"))
        m = Meeting(body_id=gt.id, title="GT programmation 2026", date=dt.date(2026, 2, 10))
        s.add(m)
        s.flush()
        obj = dict((c, i) for i, c in s.execute(select(Objective.id, Objective.code)))
        funder = dict((c, i) for i, c in s.execute(select(Funder.id, Funder.code)))
        return Seed(db, obj, funder, orgs, m.id)


def make_action(seed: Seed, year: int, title: str, principal: str, *, holder="cs", secondary=(), cost=0,
                funding=None, status=None, status_date=None, progress=None, end=None, planned=None, reached=None,
                review_received=None, **extra) -> int:
    values = {
        "title": title,
        "holder_id": seed.org[holder],
        "objectives": [(seed.obj[principal], True)] + [(seed.obj[c], False) for c in secondary],
        "total_cost_cents": cost,
        "funding": [{"funder_id": seed.funder[k], "requested": r, "granted": g, "paid": p}
                    for k, (r, g, p) in (funding or {}).items()],
        "start_date": dt.date(year, 1, 15) if end else None,
        "end_date": end,
        "beneficiaries_planned": planned,
        "beneficiaries_reached": reached,
        "progress": progress,
        "review_received": review_received,
        "status_date": dt.date(year - 1, 11, 1),
        **extra,
    }
    aid = P.create_action(seed.db, year, values)
    if status:
        P.change_status(seed.db, aid, status, status_date or dt.date(year, 3, 1))
    seed.actions[title] = aid
    return aid


def programme(db) -> Seed:
    """A small 2026 programme (plus one 2025 action) spread over the tree, every status group."""
    seed = base(db)
    # 1.1.1: funded, granted by State + commune, bilan overdue (end 2026-01-31 → due 2026-07-31)
    make_action(seed, 2026, "Permanence d'accès aux droits", "1.1.1", secondary=("1.1.3",), cost=2_000_000,
                funding={"etat_pv": (1_000_000, 800_000, 400_000), "commune": (1_000_000, 1_000_000, 0)},
                status="notifiee", end=dt.date(2026, 1, 31), planned=120, reached=90)
    # 1.1.2: carried out, manual progress 80, bilan received
    make_action(seed, 2026, "Épicerie solidaire", "1.1.2", holder="asso", cost=500_000,
                funding={"caf": (300_000, 300_000, 300_000), "fonds_propres": (200_000, None, 0)},
                status="justifiee", progress=80, end=dt.date(2026, 3, 31), planned=60, reached=70,
                review_received=dt.date(2026, 9, 1))
    # 1.2.1: under examination, nothing granted
    make_action(seed, 2026, "Ateliers cuisine", "1.2.1", cost=300_000,
                funding={"etat_pv": (150_000, None, 0), "epci": (150_000, None, 0)}, planned=25)
    # 1.2.1: refused → excluded from progress and beneficiaries
    make_action(seed, 2026, "Projet refusé", "1.2.1", holder="ml", cost=400_000,
                funding={"etat_pv": (400_000, 0, 0)}, status="refusee", planned=40)
    # 2.2.1: abandoned
    make_action(seed, 2026, "Chantier jeunes", "2.2.1", holder="ml", cost=100_000,
                funding={"region": (100_000, 100_000, 0)}, status="abandonnee", planned=10)
    # 2.2.2: carried out, no amounts at all (weight 1), bilan not yet due
    make_action(seed, 2026, "Forum emploi", "2.2.2", holder="ml", status="cloturee", end=dt.date(2026, 10, 31),
                planned=200, reached=150)
    # 2025 action (whole-contract view only)
    make_action(seed, 2025, "Permanence 2025", "1.1.1", cost=1_800_000,
                funding={"etat_pv": (900_000, 900_000, 900_000)}, status="cloturee", end=dt.date(2025, 12, 31),
                planned=100, reached=110, review_received=dt.date(2026, 5, 1))
    return seed


POPULATE_LEAVES = ["1.1.1", "1.1.2", "1.2.1", "1.3.2", "2.1.1", "2.2.3", "3.1.1", "3.3.2"]
POPULATE_STATUSES = ["deposee", "accordee", "notifiee", "cloturee", "refusee", "abandonnee", "justifiee", "avis_favorable"]


def populate(seed, n: int) -> None:
    """``n`` more 2026 actions spread over the tree, the holders and the statuses, with funding and
    (one in four) an indicator: the statement-count tests load screens before and after."""
    for i in range(n):
        aid = make_action(
            seed, 2026, f"Action {i}", POPULATE_LEAVES[i % len(POPULATE_LEAVES)], holder=("cs", "ml", "asso")[i % 3],
            secondary=(POPULATE_LEAVES[(i + 1) % len(POPULATE_LEAVES)],), cost=100_000 + i,
            funding={"etat_pv": (50_000, 40_000 if i % 2 else None, 0), "commune": (50_000 + i, 50_000, 10_000)},
            end=dt.date(2026, 6, 30), planned=10 + i, reached=i, status=POPULATE_STATUSES[i % len(POPULATE_STATUSES)],
        )
        if i % 4 == 0:
            P.add_indicator(seed.db, aid, {"label": "Participants", "target": 10})
