"""What changed in the programme between two snapshots (or a snapshot and now): plain Python.

A *snapshot content* is the JSON-ready dict written by :mod:`qpv_desk.services.snapshots`::

    {"funders": [{"code": "ETAT", "name": "État – BOP 147"}, …],
     "actions": [{"id": 12, "year": 2025, "code": "2025-01", "title": …, "holder": …,
                  "status": "accordee", "objective": "1.2.3 – …",
                  "funding": {"ETAT": [requested_cents, granted_cents or None, paid_cents], …},
                  "indicators": [[label, unit, target, result], …]}, …]}

Rules of the comparison (:func:`compare`):

- actions are matched by their id in the base; *added* = only in the newer content,
  *withdrawn* = only in the older one (deleted since);
- a *status change* is a different status code; an *amount change* is a different
  requested or granted amount of a funder (an absent funding line counts 0 requested,
  no grant);
- the totals are, per funder, the difference newer − older of the requested and
  granted amounts summed over every action of the scope (added and withdrawn included);
- with ``year``, only the actions of that programme year are compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from .enums import ActionStatus
from .text import euros


def status_label(code: str | None) -> str:
    try:
        return ActionStatus(code).label
    except ValueError:
        return code or ""


@dataclass(frozen=True)
class ChangedAction:
    action_id: int
    year: int
    code: str
    title: str
    holder: str
    status: str  # label (the newer one, or the last known for a withdrawn action)
    requested_cents: int
    granted_cents: int

    @property
    def label(self) -> str:
        return f"{self.code} – {self.title}"


@dataclass(frozen=True)
class StatusChange:
    action: ChangedAction
    old: str  # labels
    new: str


@dataclass(frozen=True)
class AmountChange:
    funder_code: str
    funder_name: str
    kind: str  # « demandé » or « accordé »
    old_cents: int | None
    new_cents: int | None

    @property
    def delta_cents(self) -> int:
        return (self.new_cents or 0) - (self.old_cents or 0)


@dataclass(frozen=True)
class ActionAmounts:
    action: ChangedAction
    changes: tuple[AmountChange, ...]


@dataclass(frozen=True)
class FunderDelta:
    code: str
    name: str
    requested_delta_cents: int
    granted_delta_cents: int


@dataclass(frozen=True)
class ProgrammeChanges:
    since_label: str
    since: dt.datetime | None
    until_label: str
    until: dt.datetime | None
    year: int | None
    added: tuple[ChangedAction, ...]
    withdrawn: tuple[ChangedAction, ...]
    status_changed: tuple[StatusChange, ...]
    amounts_changed: tuple[ActionAmounts, ...]
    funder_deltas: tuple[FunderDelta, ...]

    @property
    def requested_delta_cents(self) -> int:
        return sum(f.requested_delta_cents for f in self.funder_deltas)

    @property
    def granted_delta_cents(self) -> int:
        return sum(f.granted_delta_cents for f in self.funder_deltas)

    @property
    def empty(self) -> bool:
        return not (self.added or self.withdrawn or self.status_changed or self.amounts_changed)


def _sum(action: dict, index: int) -> int:
    return sum((line[index] or 0) for line in action.get("funding", {}).values())


def _changed(action: dict) -> ChangedAction:
    return ChangedAction(action_id=action["id"], year=action["year"], code=action["code"], title=action["title"],
                         holder=action.get("holder", ""), status=status_label(action.get("status")),
                         requested_cents=_sum(action, 0), granted_cents=_sum(action, 1))


def _order(a: dict) -> tuple:
    return (a["year"], a["code"], a["id"])


def compare(old: dict, new: dict, *, year: int | None = None, since_label: str = "", since: dt.datetime | None = None,
            until_label: str = "", until: dt.datetime | None = None) -> ProgrammeChanges:
    """The changes from snapshot content ``old`` to ``new`` (see the module's rules)."""
    def scope(content: dict) -> dict[int, dict]:
        return {a["id"]: a for a in content.get("actions", []) if year is None or a["year"] == year}

    before, after = scope(old), scope(new)
    funders: dict[str, str] = {}
    for content in (old, new):
        for f in content.get("funders", []):
            funders.setdefault(f["code"], f["name"])
    added = [after[i] for i in after.keys() - before.keys()]
    withdrawn = [before[i] for i in before.keys() - after.keys()]
    statuses, amounts = [], []
    for i in sorted(before.keys() & after.keys(), key=lambda i: _order(after[i])):
        a, b = before[i], after[i]
        if a.get("status") != b.get("status"):
            statuses.append(StatusChange(_changed(b), status_label(a.get("status")), status_label(b.get("status"))))
        changes = []
        for code in funders:
            old_line = a.get("funding", {}).get(code) or [0, None, 0]
            new_line = b.get("funding", {}).get(code) or [0, None, 0]
            for index, kind in ((0, "demandé"), (1, "accordé")):
                if (old_line[index] or 0) != (new_line[index] or 0) or (old_line[index] is None) != (new_line[index] is None):
                    changes.append(AmountChange(code, funders[code], kind, old_line[index], new_line[index]))
        if changes:
            amounts.append(ActionAmounts(_changed(b), tuple(changes)))
    deltas = []
    for code, name in funders.items():
        req = sum((x.get("funding", {}).get(code) or [0, None, 0])[0] or 0 for x in after.values()) - \
            sum((x.get("funding", {}).get(code) or [0, None, 0])[0] or 0 for x in before.values())
        gra = sum((x.get("funding", {}).get(code) or [0, None, 0])[1] or 0 for x in after.values()) - \
            sum((x.get("funding", {}).get(code) or [0, None, 0])[1] or 0 for x in before.values())
        if req or gra:
            deltas.append(FunderDelta(code, name, req, gra))
    return ProgrammeChanges(
        since_label=since_label, since=since, until_label=until_label, until=until, year=year,
        added=tuple(_changed(a) for a in sorted(added, key=_order)),
        withdrawn=tuple(_changed(a) for a in sorted(withdrawn, key=_order)),
        status_changed=tuple(statuses), amounts_changed=tuple(amounts), funder_deltas=tuple(deltas))


@dataclass(frozen=True)
class ChangeLine:
    """One line of the comparison as shown on screen: what changed on which action."""

    kind: str  # Ajoutée, Retirée, Statut, Montant
    code: str
    action: str
    holder: str
    detail: str
    delta_cents: int | None  # requested (added / withdrawn) or amount difference


def change_lines(changes: ProgrammeChanges, money: Callable[[int], str] = euros) -> list[ChangeLine]:
    """The changes flattened, in the order of the sheet: added, withdrawn, statuses, amounts."""
    out = [ChangeLine("Ajoutée", a.code, a.title, a.holder, f"{a.status} – demandé {money(a.requested_cents)}",
                      a.requested_cents) for a in changes.added]
    out += [ChangeLine("Retirée", a.code, a.title, a.holder, f"{a.status} – demandé {money(a.requested_cents)}",
                       -a.requested_cents) for a in changes.withdrawn]
    out += [ChangeLine("Statut", c.action.code, c.action.title, c.action.holder, f"{c.old} → {c.new}", None)
            for c in changes.status_changed]
    for a in changes.amounts_changed:
        for c in a.changes:
            old = money(c.old_cents) if c.old_cents is not None else "—"
            new = money(c.new_cents) if c.new_cents is not None else "—"
            out.append(ChangeLine("Montant", a.action.code, a.action.title, a.action.holder,
                                  f"{c.funder_name}, {c.kind} : {old} → {new}", c.delta_cents))
    return out
