"""Snapshots of the programme (« photographies ») and what changed since one of them.

Rules kept here:

- a snapshot freezes every action of every programme year: status, amounts per funder
  (requested, granted, paid), principal objective and indicators (see
  :mod:`qpv_desk.domain.programme_changes` for the content and the comparison rules);
- one is taken automatically when a COPIL meeting becomes « tenue » (or « compte rendu
  validé ») from another status (:func:`on_meeting_status`, called by
  :func:`qpv_desk.services.meetings.update_meeting`), or on demand (:func:`take_snapshot`);
- a snapshot is never modified afterwards: there is no update function, and any UPDATE
  of a ``programme_snapshot`` row is refused (:func:`_refuse_update`);
- « since the last COPIL » compares the latest snapshot tied to a COPIL meeting (else the
  latest snapshot) with the programme now.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..domain import enums as E
from ..domain.errors import NotFoundError, ValidationError
from ..domain.programme_changes import ProgrammeChanges, compare
from ..domain.rules import HELD
from ..domain.validation import line
from ..store.db import Database
from ..store.models import (
    Action,
    ActionObjective,
    Body,
    Funder,
    FundingLine,
    Indicator,
    Meeting,
    Objective,
    Organisation,
    ProgrammeSnapshot,
    ProgrammeYear,
)
from .common import get, record_change

NOW_LABEL = "Programme actuel"


@event.listens_for(ProgrammeSnapshot, "before_update")
def _refuse_update(_mapper, _connection, target) -> None:
    raise ValidationError(None, "Une photographie du programme ne peut pas être modifiée.")


@dataclass(frozen=True)
class SnapshotInfo:
    id: int
    taken_at: dt.datetime
    label: str
    meeting_id: int | None
    actions: int

    @property
    def display(self) -> str:
        return f"{self.label} (prise le {self.taken_at:%d/%m/%Y à %H:%M})"


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def programme_content(s: Session) -> dict:
    """The programme now, as a snapshot content (four queries whatever its size)."""
    funders = s.execute(select(Funder.id, Funder.code, Funder.name).order_by(Funder.position, Funder.id)).all()
    code_of = {f.id: f.code for f in funders}
    rows = s.execute(
        select(Action.id, ProgrammeYear.year, Action.code, Action.title, Organisation.name.label("holder"),
               Action.status, Objective.code.label("ocode"), Objective.title.label("otitle"))
        .join(ProgrammeYear, ProgrammeYear.id == Action.programme_year_id)
        .join(Organisation, Organisation.id == Action.holder_id)
        .outerjoin(ActionObjective, (ActionObjective.action_id == Action.id) & ActionObjective.is_principal)
        .outerjoin(Objective, Objective.id == ActionObjective.objective_id)
        .order_by(ProgrammeYear.year, Action.code, Action.id)).all()
    funding: dict[int, dict] = {}
    for f in s.execute(select(FundingLine.action_id, FundingLine.funder_id, FundingLine.requested_cents,
                              FundingLine.granted_cents, FundingLine.paid_cents)).all():
        funding.setdefault(f.action_id, {})[code_of[f.funder_id]] = [f.requested_cents, f.granted_cents, f.paid_cents]
    indicators: dict[int, list] = {}
    for i in s.execute(select(Indicator.action_id, Indicator.label, Indicator.unit, Indicator.target,
                              Indicator.result).order_by(Indicator.action_id, Indicator.position, Indicator.id)).all():
        indicators.setdefault(i.action_id, []).append([i.label, i.unit or "", _number(i.target), _number(i.result)])
    return {
        "funders": [{"code": f.code, "name": f.name} for f in funders],
        "actions": [{"id": r.id, "year": r.year, "code": r.code, "title": r.title, "holder": r.holder,
                     "status": r.status, "objective": f"{r.ocode} – {r.otitle}" if r.ocode else "",
                     "funding": funding.get(r.id, {}), "indicators": indicators.get(r.id, [])} for r in rows],
    }


def _add_snapshot(s: Session, label: str, meeting_id: int | None, now: dt.datetime) -> ProgrammeSnapshot:
    content = programme_content(s)
    snap = ProgrammeSnapshot(taken_at=now, label=label, meeting_id=meeting_id,
                             content=json.dumps(content, ensure_ascii=False, separators=(",", ":")))
    s.add(snap)
    s.flush()
    record_change(s, "programme_snapshot", snap.id, "create", {"libellé": label, "actions": len(content["actions"])})
    return snap


def _info(snap: ProgrammeSnapshot) -> SnapshotInfo:
    return SnapshotInfo(snap.id, snap.taken_at, snap.label, snap.meeting_id, len(json.loads(snap.content)["actions"]))


def take_snapshot(db: Database, label: str | None = None, *, now: dt.datetime | None = None) -> SnapshotInfo:
    """Freeze the programme now, on demand."""
    now = (now or dt.datetime.now()).replace(microsecond=0)
    label = line(label, "Libellé", "label", max_len=300) or f"Photographie du {now:%d/%m/%Y}"
    with db.session() as s:
        return _info(_add_snapshot(s, label, None, now))


def on_meeting_status(s: Session, meeting: Meeting, old_status: str | None, *, now: dt.datetime | None = None) -> None:
    """In the unit of work that changed a meeting's status: a COPIL just held freezes the programme."""
    if meeting.status not in HELD or old_status in HELD:
        return
    kind = s.scalar(select(Body.kind).where(Body.id == meeting.body_id))
    if kind != E.BodyKind.COPIL.value:
        return
    now = (now or dt.datetime.now()).replace(microsecond=0)
    _add_snapshot(s, f"COPIL du {meeting.date:%d/%m/%Y}", meeting.id, now)


def list_snapshots(db: Database) -> list[SnapshotInfo]:
    """Every snapshot, newest first."""
    with db.reader() as s:
        snaps = s.scalars(select(ProgrammeSnapshot).order_by(ProgrammeSnapshot.taken_at.desc(),
                                                             ProgrammeSnapshot.id.desc())).all()
        return [_info(x) for x in snaps]


def _load(s: Session, snapshot_id: int) -> tuple[dict, str, dt.datetime]:
    snap = get(s, ProgrammeSnapshot, snapshot_id, "La photographie du programme")
    return json.loads(snap.content), snap.label, snap.taken_at


def compare_snapshots(db: Database, old_id: int, new_id: int | None = None, *, year: int | None = None,
                      now: dt.datetime | None = None) -> ProgrammeChanges:
    """Changes from snapshot ``old_id`` to snapshot ``new_id`` (``None``: the programme now)."""
    with db.reader() as s:
        old, old_label, old_at = _load(s, old_id)
        if new_id is None:
            new, new_label, new_at = programme_content(s), NOW_LABEL, (now or dt.datetime.now()).replace(microsecond=0)
        else:
            new, new_label, new_at = _load(s, new_id)
    return compare(old, new, year=year, since_label=old_label, since=old_at, until_label=new_label, until=new_at)


def last_copil_snapshot(db: Database) -> SnapshotInfo | None:
    """The snapshot of the latest COPIL meeting held (else the latest snapshot taken)."""
    with db.reader() as s:
        snap = s.scalars(
            select(ProgrammeSnapshot).join(Meeting, Meeting.id == ProgrammeSnapshot.meeting_id)
            .join(Body, Body.id == Meeting.body_id).where(Body.kind == E.BodyKind.COPIL.value)
            .order_by(Meeting.date.desc(), ProgrammeSnapshot.taken_at.desc(), ProgrammeSnapshot.id.desc())
            .limit(1)).first()
        if snap is None:
            snap = s.scalars(select(ProgrammeSnapshot).order_by(ProgrammeSnapshot.taken_at.desc(),
                                                                ProgrammeSnapshot.id.desc()).limit(1)).first()
        return _info(snap) if snap else None


def changes_since_last_copil(db: Database, year: int | None = None) -> ProgrammeChanges | None:
    """What changed in the programme (of ``year``) since the last COPIL's snapshot; ``None`` without any."""
    last = last_copil_snapshot(db)
    return None if last is None else compare_snapshots(db, last.id, None, year=year)


__all__ = ["SnapshotInfo", "take_snapshot", "on_meeting_status", "list_snapshots", "compare_snapshots",
           "last_copil_snapshot", "changes_since_last_copil", "programme_content", "NotFoundError"]
