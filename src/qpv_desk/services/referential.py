"""Import of a referential file into the database, with a preview of what will change.

Re-importing updates in place (matched on codes, names and seat labels): nothing is
duplicated, and nothing linked is ever deleted. Bodies, their seats and objectives belong
to their contract (matched within it). A field of a body, a seat or an objective that
was changed in the application since the last import (what that import wrote is kept in
``imported_value``) is never overwritten silently: the preview lists it (operation
« à confirmer ») and it is replaced only with ``overwrite=True``. An objective missing from the new
file is *retired* (it stays visible on past actions and meetings); quartiers,
statistics, funders and seats missing from the file are kept and reported.

The preview runs the very same code as the import inside a transaction that is
rolled back, so what the user is shown is exactly what will be done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..domain.errors import ValidationError
from ..domain.referential import Referential, ReferentialError, load_referential, parse_referential
from ..domain.text import person_name
from ..store.backup import backup_before
from ..store.db import Database
from ..store.models import (
    Body,
    Contract,
    Funder,
    ImportedValue,
    Membership,
    Objective,
    ObjectiveLevel,
    Organisation,
    Person,
    Quartier,
    Statistic,
)
from .common import record_change

DEFAULT_FUNDERS = (
    ("etat_pv", "État – politique de la ville (BOP 147)", True),
    ("epci", "EPCI", False),
    ("commune", "Commune", False),
    ("departement", "Département", False),
    ("region", "Région", False),
    ("caf", "CAF", False),
    ("bailleurs", "Bailleurs sociaux", False),
    ("fonds_propres", "Fonds propres", False),
    ("autres", "Autres", False),
)


@dataclass(frozen=True)
class Change:
    """One line of the preview: what (« Objectif 1.2 »), how (« ajout », « modification »…), detail."""

    section: str
    key: str
    operation: str
    detail: str = ""


@dataclass(frozen=True)
class ImportResult:
    contract_id: int
    changes: tuple[Change, ...]

    def count(self, operation: str) -> int:
        return sum(1 for c in self.changes if c.operation == operation)


def read_referential(path: str | Path) -> Referential:
    """Load and validate a file; errors become a :class:`ValidationError` naming file, line and field."""
    try:
        return load_referential(path)
    except ReferentialError as exc:
        raise ValidationError(exc.field, str(exc)) from None


def parse_text(text: str, source: str = "<texte>") -> Referential:
    try:
        return parse_referential(text, source)
    except ReferentialError as exc:
        raise ValidationError(exc.field, str(exc)) from None


CONFIRM = "à confirmer"


def preview_import(db: Database, ref: Referential, *, overwrite: bool = False) -> tuple[Change, ...]:
    """What :func:`import_referential` would change, without changing anything. Fields
    edited in the application since the last import come as operation « à confirmer »."""
    with db.reader() as session:
        changes = _apply(session, ref, lambda *_: None, overwrite=overwrite)
        session.rollback()
    return tuple(c for c in changes if c.operation != "inchangé")


def import_referential(
    db: Database, ref: Referential, *, progress: Callable[[int, int, str], None] | None = None,
    backup: bool = True, overwrite: bool = False,
) -> ImportResult:
    """Import (or re-import) a referential in one transaction, after a backup of a SQLite base.

    Fields edited in the application since the last import are kept (and reported as
    « à confirmer ») unless ``overwrite``."""
    report = progress or (lambda *_: None)
    if backup:
        backup_before(db, "import")
    with db.session() as session:
        changes = _apply(session, ref, report, overwrite=overwrite)
        contract_id = session.scalar(select(Contract.id).where(Contract.code == ref.contract.code))
        record_change(session, "contract", contract_id, "import",
                      {"source": ref.source, "changes": sum(1 for c in changes if c.operation != "inchangé")})
    return ImportResult(contract_id, tuple(changes))


def _set(obj, values: dict) -> list[str]:
    changed = []
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed.append(key)
    return changed


_FIELD_LABELS = {
    "role": "rôle", "organisation_id": "organisation", "person_id": "contact", "name": "nom", "kind": "type",
    "quorum": "quorum", "description": "description", "title": "intitulé",
}
_MISSING = object()


def _encode(value) -> str | None:
    return None if value is None else str(value)


class _Guard:
    """Sets the fields an import writes, except those edited in the application since
    the last import (unless ``overwrite``); remembers what it wrote."""

    def __init__(self, session: Session, overwrite: bool):
        self.session, self.overwrite = session, overwrite
        self.snapshot = {(v.entity, v.entity_id, v.field): v for v in session.scalars(select(ImportedValue))}
        self.pending: list[tuple[str, object, str, str | None]] = []

    def shown(self, field: str, value) -> str:
        if value is None or value == "":
            return "(vide)"
        if field == "organisation_id":
            org = self.session.get(Organisation, value)
            return org.name if org else str(value)
        if field == "person_id":
            person = self.session.get(Person, value)
            return person_name(person.first_name, person.last_name) if person else str(value)
        text = str(value)
        return text if len(text) <= 60 else text[:59] + "…"

    def set(self, entity: str, row, values: dict, created: bool) -> tuple[list[str], list[str]]:
        changed, conflicts = [], []
        for field, new in values.items():
            current = getattr(row, field)
            if created or row.id is None or _encode(current) == _encode(new):
                if current != new:
                    setattr(row, field, new)
                    changed.append(field)
                self.pending.append((entity, row, field, _encode(new)))
                continue
            last = self.snapshot.get((entity, row.id, field), _MISSING)
            edited = last is _MISSING or last.value != _encode(current)
            label = _FIELD_LABELS.get(field, field)
            if edited and not self.overwrite:
                conflicts.append(f"{label} : « {self.shown(field, current)} » dans l'application, "
                                 f"« {self.shown(field, new)} » dans le fichier")
                continue
            setattr(row, field, new)
            changed.append(f"{label} (remplace une modification faite dans l'application)" if edited else field)
            self.pending.append((entity, row, field, _encode(new)))
        return changed, conflicts

    def flush(self) -> None:
        self.session.flush()
        for entity, row, field, value in self.pending:
            key = (entity, row.id, field)
            mark = self.snapshot.get(key)
            if mark is None:
                mark = ImportedValue(entity=entity, entity_id=row.id, field=field, value=value)
                self.session.add(mark)
                self.snapshot[key] = mark
            else:
                mark.value = value
        self.pending.clear()
        self.session.flush()


def _apply(session: Session, ref: Referential, report, *, overwrite: bool = False) -> list[Change]:
    changes: list[Change] = []
    guard = _Guard(session, overwrite)

    def confirm(section, key, conflicts):
        for detail in conflicts:
            changes.append(Change(section, key, CONFIRM, detail))

    def note(section, key, created, changed=(), detail=""):
        if created:
            changes.append(Change(section, key, "ajout", detail))
        elif changed:
            changes.append(Change(section, key, "modification", detail or ", ".join(changed)))
        else:
            changes.append(Change(section, key, "inchangé"))

    total_steps = 6
    report(0, total_steps, "Contrat")
    spec = ref.contract
    contract = session.scalar(select(Contract).where(Contract.code == spec.code))
    created = contract is None
    if created:
        contract = Contract(code=spec.code)
        session.add(contract)
    changed = _set(contract, dict(name=spec.name, epci=spec.epci, commune=spec.commune, start_year=spec.start_year,
                                  end_year=spec.end_year, description=spec.description))
    note("Contrat", spec.code, created, changed)
    session.flush()

    levels = {lvl.depth: lvl for lvl in session.scalars(select(ObjectiveLevel).where(ObjectiveLevel.contract_id == contract.id))}
    for depth, name in enumerate(ref.levels, start=1):
        lvl = levels.get(depth)
        if lvl is None:
            session.add(ObjectiveLevel(contract_id=contract.id, depth=depth, name=name))
            note("Niveau", str(depth), True, detail=name)
        else:
            note("Niveau", str(depth), False, _set(lvl, {"name": name}), detail=name)

    report(1, total_steps, "Quartiers et statistiques")
    quartiers = {q.code: q for q in session.scalars(select(Quartier))}
    for q in ref.quartiers:
        row = quartiers.get(q.code)
        created = row is None
        if created:
            row = Quartier(code=q.code, contract_id=contract.id)
            session.add(row)
            quartiers[q.code] = row
        changed = _set(row, dict(contract_id=contract.id, name=q.name, status=q.status,
                                 communes=", ".join(q.communes) or None, surface_ha=q.surface_ha,
                                 population=q.population, description=q.description))
        note("Quartier", q.code, created, changed, detail=q.name if created else "")
    session.flush()
    listed = {q.code for q in ref.quartiers}
    for code, row in quartiers.items():
        if code not in listed and row.contract_id == contract.id:
            changes.append(Change("Quartier", code, "conservé", "absent du fichier : gardé tel quel"))

    stats = {(s.quartier_id, s.key): s for s in session.scalars(select(Statistic))}
    for position, st in enumerate(ref.statistics):
        quartier = quartiers[st.quartier]
        row = stats.get((quartier.id, st.key))
        created = row is None
        if created:
            row = Statistic(quartier_id=quartier.id, key=st.key)
            session.add(row)
        changed = _set(row, dict(label=st.label, value=st.value, agglomeration_value=st.agglomeration, unit=st.unit,
                                 source=st.source, year=st.year, position=position))
        note("Statistique", f"{st.quartier} / {st.label}", created, changed)

    report(2, total_steps, "Objectifs")
    existing = {o.code: o for o in session.scalars(select(Objective).where(Objective.contract_id == contract.id))}
    positions: dict[str | None, int] = {}
    for spec_o in ref.objectives:
        parent = existing[spec_o.parent_code] if spec_o.parent_code else None
        if parent is not None and parent.id is None:
            session.flush()
        row = existing.get(spec_o.code)
        created = row is None
        if created:
            row = Objective(contract_id=contract.id, code=spec_o.code, title=spec_o.title, depth=spec_o.depth)
            session.add(row)
            existing[spec_o.code] = row
        position = positions.get(spec_o.parent_code, 0)
        positions[spec_o.parent_code] = position + 1
        guarded, conflicts = guard.set("objective", row, dict(title=spec_o.title, description=spec_o.description),
                                       created)
        changed = guarded + _set(row, dict(depth=spec_o.depth, position=position,
                                           parent_id=parent.id if parent else None, retired=False, retired_on=None))
        note("Objectif", spec_o.code, created, changed, detail=spec_o.title if created else ", ".join(changed))
        confirm("Objectif", spec_o.code, conflicts)
    listed = {o.code for o in ref.objectives}
    for code, row in existing.items():
        if code not in listed and not row.retired:
            row.retired = True
            row.retired_on = dt.date.today()
            changes.append(Change("Objectif", code, "retrait", "absent du fichier : retiré, reste visible sur l'historique"))
    session.flush()

    report(3, total_steps, "Financeurs")
    funders = {f.code: f for f in session.scalars(select(Funder))}
    funder_specs = [(f.code, f.name, f.state) for f in ref.funders]
    if not funder_specs and not funders:
        funder_specs = list(DEFAULT_FUNDERS)
    for position, (code, name, state) in enumerate(funder_specs):
        row = funders.get(code)
        created = row is None
        if created:
            row = Funder(code=code)
            session.add(row)
        note("Financeur", code, created, _set(row, dict(name=name, is_state=state, position=position)),
             detail=name if created else "")

    report(4, total_steps, "Organisations et instances")
    orgs = {o.name.casefold(): o for o in session.scalars(select(Organisation))}
    for spec_org in ref.organisations:
        row = orgs.get(spec_org.name.casefold())
        if row is None:
            row = Organisation(name=spec_org.name, kind=spec_org.kind.value)
            session.add(row)
            orgs[spec_org.name.casefold()] = row
            note("Organisation", spec_org.name, True)
        else:
            note("Organisation", spec_org.name, False)
    # Bodies belong to their contract: another contract's COPIL is never taken over.
    bodies = {b.code: b for b in session.scalars(
        select(Body).where(or_(Body.contract_id == contract.id, Body.contract_id.is_(None)))
        .order_by(Body.contract_id.is_not(None)))}  # its own last: they win
    for spec_b in ref.bodies:
        row = bodies.get(spec_b.code)
        created = row is None
        if created:
            row = Body(code=spec_b.code)
            session.add(row)
            bodies[spec_b.code] = row
        changed = _set(row, dict(contract_id=contract.id))
        guarded, conflicts = guard.set("body", row, dict(name=spec_b.name, kind=spec_b.kind.value,
                                                         quorum=spec_b.quorum, description=spec_b.description),
                                       created)
        note("Instance", spec_b.code, created, changed + guarded, detail=spec_b.name if created else "")
        confirm("Instance", spec_b.code, conflicts)
    session.flush()

    report(5, total_steps, "Composition des instances")
    own_bodies = [b.id for b in bodies.values() if b.id is not None]
    seats = {(m.body_id, (m.seat or "").casefold()): m
             for m in session.scalars(select(Membership).where(Membership.body_id.in_(own_bodies)))}
    for spec_m in ref.members:
        body = bodies[spec_m.body]
        org = orgs[spec_m.organisation.casefold()] if spec_m.organisation else None
        person = None
        if spec_m.last_name:
            person = session.scalar(
                select(Person).where(func.lower(Person.last_name) == spec_m.last_name.lower(),
                                     func.lower(func.coalesce(Person.first_name, "")) == (spec_m.first_name or "").lower())
            )
            if person is None:
                person = Person(civility=spec_m.civility or "", first_name=spec_m.first_name, last_name=spec_m.last_name,
                                email=spec_m.email, function=spec_m.seat, organisation=org)
                session.add(person)
                session.flush()
        row = seats.get((body.id, spec_m.seat.casefold()))
        created = row is None
        if created:
            row = Membership(body_id=body.id, seat=spec_m.seat)
            session.add(row)
        values = dict(role=spec_m.role.value, organisation_id=org.id if org else None)
        if person is not None:
            values["person_id"] = person.id
        changed, conflicts = guard.set("membership", row, values, created)
        note("Siège", f"{spec_m.body} / {spec_m.seat}", created, changed)
        confirm("Siège", f"{spec_m.body} / {spec_m.seat}", conflicts)
    guard.flush()
    report(total_steps, total_steps, "Terminé")
    return changes
