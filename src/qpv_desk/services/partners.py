"""Partners: organisations, contacts, bodies and their memberships.

Every function is one user action: a unit of work, plain frozen dataclasses out,
typed French errors (:class:`ValidationError` naming every bad field at once,
:class:`NotFoundError`, :class:`ConflictError`, :class:`ReferencedError`).

Search is case- and accent-insensitive on both SQLite and PostgreSQL (:mod:`.search`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select, union_all
from sqlalchemy.orm import Session

from ..domain import enums as E
from ..domain import validation as V
from ..domain.errors import NotFoundError, ReferencedError, ValidationError
from ..domain.text import person_name, person_sort_key, plural, sort_key
from ..store.db import Database
from ..store.models import (
    Action,
    AgendaItem,
    Attendance,
    Body,
    FollowUpTask,
    Meeting,
    Membership,
    Organisation,
    Person,
)
from .search import Folder, matches
from .common import check_version, diff, get, record_change, save_changes, validate_fields

# --------------------------------------------------------------------------- search helpers

def _sort_expr(column, text: bool):
    return func.lower(column) if text else column


# --------------------------------------------------------------------------- data out


@dataclass(frozen=True)
class OrganisationRow:
    id: int
    name: str
    acronym: str | None
    kind: E.OrganisationKind
    address: str | None
    postcode: str | None
    city: str | None
    email: str | None
    phone: str | None
    siret: str | None
    notes: str | None
    active: bool
    version: int
    contacts: int = 0

    @property
    def kind_label(self) -> str:
        return self.kind.label

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


@dataclass(frozen=True)
class PersonRow:
    id: int
    civility: E.Civility
    first_name: str | None
    last_name: str
    function: str | None
    organisation_id: int | None
    organisation_name: str | None
    email: str | None
    phone: str | None
    notes: str | None
    active: bool
    version: int

    @property
    def full_name(self) -> str:
        return person_name(self.first_name, self.last_name)

    @property
    def display_name(self) -> str:
        name = person_name(self.first_name, self.last_name, self.civility.value)
        return f"{name} ({self.organisation_name})" if self.organisation_name else name


@dataclass(frozen=True)
class BodyRow:
    id: int
    code: str
    name: str
    kind: E.BodyKind
    quorum: int | None
    active: bool
    members: int = 0


@dataclass(frozen=True)
class MembershipRow:
    id: int
    body_id: int
    body_name: str
    seat: str | None
    role: E.MemberRole
    person_id: int | None
    person_name: str | None
    organisation_id: int | None
    organisation_name: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    version: int

    @property
    def role_label(self) -> str:
        return self.role.label

    def active_on(self, day: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (self.end_date is None or self.end_date >= day)


@dataclass(frozen=True)
class OrganisationChoice:
    id: int
    name: str
    active: bool


# --------------------------------------------------------------------------- validation helpers


def _bool(value, label: str, field: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ValidationError(field, f"Le champ « {label} » doit valoir oui ou non.")


def _validate_organisation(data: Mapping, *, partial: bool = False) -> dict:
    checks = {
        "name": lambda: V.line(data.get("name"), "Nom", "name", required=True, max_len=V.NAME_MAX),
        "acronym": lambda: V.line(data.get("acronym"), "Sigle", "acronym", max_len=40),
        "kind": lambda: V.choice(data.get("kind") or E.OrganisationKind.AUTRE, E.OrganisationKind, "Type", "kind").value,
        "address": lambda: V.line(data.get("address"), "Adresse", "address"),
        "postcode": lambda: V.line(data.get("postcode"), "Code postal", "postcode", max_len=10),
        "city": lambda: V.line(data.get("city"), "Commune", "city", max_len=100),
        "email": lambda: V.email(data.get("email")),
        "phone": lambda: V.phone(data.get("phone")),
        "siret": lambda: V.siret(data.get("siret")),
        "notes": lambda: V.text(data.get("notes"), "Notes", "notes"),
    }
    if "active" in data:
        checks["active"] = lambda: _bool(data["active"], "Active", "active")
    return validate_fields(data, checks, required=() if partial else ("name",))


def _civility(value) -> str:
    if value is None or value == "" or value == E.Civility.NONE:
        return ""
    return V.choice(value, E.Civility, "Civilité", "civility").value


def _validate_person(session: Session, data: Mapping, *, partial: bool = False) -> dict:
    def organisation():
        org_id = data.get("organisation_id")
        if org_id in (None, ""):
            return None
        try:
            return get(session, Organisation, org_id, "L'organisation").id
        except NotFoundError as exc:
            raise ValidationError("organisation_id", str(exc)) from None

    checks = {
        "civility": lambda: _civility(data.get("civility")),
        "first_name": lambda: V.line(data.get("first_name"), "Prénom", "first_name", max_len=100),
        "last_name": lambda: V.line(data.get("last_name"), "Nom", "last_name", required=True, max_len=100),
        "function": lambda: V.line(data.get("function"), "Fonction", "function", max_len=200),
        "organisation_id": organisation,
        "email": lambda: V.email(data.get("email")),
        "phone": lambda: V.phone(data.get("phone")),
        "notes": lambda: V.text(data.get("notes"), "Notes", "notes"),
        "active": lambda: _bool(data["active"], "Actif", "active"),
    }
    return validate_fields(data, checks, required=() if partial else ("last_name",))


# --------------------------------------------------------------------------- organisations

_ORG_SORT = {
    "name": (Organisation.name, True),
    "acronym": (Organisation.acronym, True),
    "kind": (Organisation.kind, False),
    "city": (Organisation.city, True),
    "postcode": (Organisation.postcode, False),
    "email": (Organisation.email, True),
    "phone": (Organisation.phone, False),
    "siret": (Organisation.siret, False),
    "active": (Organisation.active, False),
}


_ORG_COLUMNS = (Organisation.id, Organisation.name, Organisation.acronym, Organisation.kind, Organisation.address,
                Organisation.postcode, Organisation.city, Organisation.email, Organisation.phone, Organisation.siret,
                Organisation.notes, Organisation.active, Organisation.version)
_ORG_KIND = {k.value: k for k in E.OrganisationKind}


def _org_row(o: Organisation, contacts: int = 0) -> OrganisationRow:
    return OrganisationRow(o.id, o.name, o.acronym, E.OrganisationKind(o.kind), o.address, o.postcode, o.city,
                           o.email, o.phone, o.siret, o.notes, o.active, o.version, contacts)


def list_organisations(
    db: Database,
    *,
    search: str = "",
    kind: E.OrganisationKind | str | None = None,
    active: bool | None = None,
    sort: str = "name",
    descending: bool = False,
    limit: int | None = None,
) -> list[OrganisationRow]:
    """Organisations filtered and sorted in SQL; ``search`` looks in name, acronym, city, e-mail, SIRET."""
    contacts = (
        select(Person.organisation_id, func.count().label("n"))
        .where(Person.organisation_id.is_not(None))
        .group_by(Person.organisation_id)
        .subquery()
    )
    stmt = select(*_ORG_COLUMNS, func.coalesce(contacts.c.n, 0)).outerjoin(
        contacts, contacts.c.organisation_id == Organisation.id
    )
    if kind:
        stmt = stmt.where(Organisation.kind == E.OrganisationKind(kind).value)
    if active is not None:
        stmt = stmt.where(Organisation.active.is_(active))
    if sort == "contacts":
        order = func.coalesce(contacts.c.n, 0)
    else:
        column, is_text = _ORG_SORT.get(sort, _ORG_SORT["name"])
        order = _sort_expr(column, is_text)
    stmt = stmt.order_by(order.desc() if descending else order.asc(), func.lower(Organisation.name), Organisation.id)
    if limit:
        stmt = stmt.limit(limit)
    with db.reader() as s:
        if search.strip():
            stmt = stmt.where(matches(Folder(s), search, Organisation.name, Organisation.acronym, Organisation.city,
                                       Organisation.email, Organisation.siret))
        return [OrganisationRow(r[0], r[1], r[2], _ORG_KIND[r[3]], *r[4:]) for r in s.execute(stmt)]


def organisation_choices(db: Database, *, include_inactive: bool = False) -> list[OrganisationChoice]:
    """Id and name of organisations, for combo boxes."""
    stmt = select(Organisation.id, Organisation.name, Organisation.active).order_by(func.lower(Organisation.name))
    if not include_inactive:
        stmt = stmt.where(Organisation.active.is_(True))
    with db.reader() as s:
        return [OrganisationChoice(*r) for r in s.execute(stmt)]


def get_organisation(db: Database, organisation_id: int) -> OrganisationRow:
    with db.reader() as s:
        o = get(s, Organisation, organisation_id, "L'organisation")
        n = s.scalar(select(func.count()).where(Person.organisation_id == o.id))
        return _org_row(o, n)


def create_organisation(db: Database, values: Mapping) -> int:
    data = _validate_organisation(values)
    with db.session() as s:
        org = Organisation(**data)
        s.add(org)
        s.flush()
        record_change(s, "organisation", org.id, "create", data)
        return org.id


def update_organisation(db: Database, organisation_id: int, values: Mapping, *, expected_version: int) -> int:
    """Update the given fields; returns the new version."""
    data = _validate_organisation(values, partial=True)
    with db.session() as s:
        org = get(s, Organisation, organisation_id, "L'organisation")
        check_version(org, expected_version, "L'organisation")
        return save_changes(s, org, data, "organisation")


def set_organisation_active(db: Database, organisation_id: int, active: bool, *, expected_version: int) -> None:
    """Deactivate (kept, hidden from new choices) or reactivate an organisation."""
    with db.session() as s:
        org = get(s, Organisation, organisation_id, "L'organisation")
        check_version(org, expected_version, "L'organisation")
        if org.active != active:
            org.active = active
            record_change(s, "organisation", org.id, "activate" if active else "deactivate")


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def organisation_references(session: Session, organisation_id: int) -> list[str]:
    counts = [
        (select(func.count()).where(Person.organisation_id == organisation_id), "contact", "contacts"),
        (select(func.count(func.distinct(Attendance.meeting_id))).where(Attendance.organisation_id == organisation_id),
         "réunion", "réunions"),
        (select(func.count()).where(Action.holder_id == organisation_id), "action", "actions"),
        (select(func.count()).where(FollowUpTask.owner_organisation_id == organisation_id), "suite à donner",
         "suites à donner"),
        (select(func.count()).where(Membership.organisation_id == organisation_id), "siège d'instance",
         "sièges d'instance"),
    ]
    return [plural(n, one, many) for stmt, one, many in counts if (n := session.scalar(stmt))]


def person_references(session: Session, person_id: int) -> list[str]:
    meetings = union_all(
        select(Attendance.meeting_id.label("m")).where(
            or_(Attendance.person_id == person_id, Attendance.represented_by_id == person_id)),
        select(Meeting.id.label("m")).where(Meeting.secretary_id == person_id),
        select(AgendaItem.meeting_id.label("m")).where(AgendaItem.presenter_id == person_id),
    ).subquery()
    counts = [
        (select(func.count(func.distinct(meetings.c.m))), "réunion", "réunions"),
        (select(func.count()).where(Action.contact_id == person_id), "action", "actions"),
        (select(func.count()).where(FollowUpTask.owner_person_id == person_id), "suite à donner", "suites à donner"),
        (select(func.count()).where(Membership.person_id == person_id), "siège d'instance", "sièges d'instance"),
    ]
    return [plural(n, one, many) for stmt, one, many in counts if (n := session.scalar(stmt))]


def delete_organisation(db: Database, organisation_id: int) -> None:
    """Hard delete, only when nothing refers to the organisation."""
    with db.session() as s:
        org = get(s, Organisation, organisation_id, "L'organisation")
        refs = organisation_references(s, org.id)
        if refs:
            raise ReferencedError(
                f"Cette organisation figure dans {_join(refs)} : elle peut être désactivée mais pas supprimée."
            )
        record_change(s, "organisation", org.id, "delete", {"name": org.name})
        s.delete(org)


# --------------------------------------------------------------------------- persons

_PERSON_SORT = {
    "last_name": (Person.last_name, True),
    "first_name": (Person.first_name, True),
    "civility": (Person.civility, False),
    "function": (Person.function, True),
    "organisation": (Organisation.name, True),
    "email": (Person.email, True),
    "phone": (Person.phone, False),
    "active": (Person.active, False),
}


_PERSON_COLUMNS = (Person.id, Person.civility, Person.first_name, Person.last_name, Person.function,
                   Person.organisation_id)
_PERSON_TAIL = (Person.email, Person.phone, Person.notes, Person.active, Person.version)
_CIVILITY = {c.value: c for c in E.Civility}


def _person_row(p: Person, org_name: str | None) -> PersonRow:
    return PersonRow(p.id, E.Civility(p.civility or ""), p.first_name, p.last_name, p.function, p.organisation_id,
                     org_name, p.email, p.phone, p.notes, p.active, p.version)


def list_persons(
    db: Database,
    *,
    search: str = "",
    organisation_id: int | None = None,
    active: bool | None = None,
    sort: str = "last_name",
    descending: bool = False,
    limit: int | None = None,
) -> list[PersonRow]:
    """Contacts filtered and sorted in SQL; ``search`` looks in names, function, organisation, e-mail, phone."""
    stmt = select(*_PERSON_COLUMNS, Organisation.name, *_PERSON_TAIL).outerjoin(
        Organisation, Organisation.id == Person.organisation_id)
    if organisation_id is not None:
        stmt = stmt.where(Person.organisation_id == organisation_id)
    if active is not None:
        stmt = stmt.where(Person.active.is_(active))
    column, is_text = _PERSON_SORT.get(sort, _PERSON_SORT["last_name"])
    order = _sort_expr(column, is_text)
    stmt = stmt.order_by(order.desc() if descending else order.asc(), func.lower(Person.last_name),
                         func.lower(Person.first_name), Person.id)
    if limit:
        stmt = stmt.limit(limit)
    with db.reader() as s:
        if search.strip():
            stmt = stmt.where(matches(Folder(s), search, Person.first_name, Person.last_name, Person.function,
                                       Organisation.name, Organisation.acronym, Person.email))
        return [PersonRow(r[0], _CIVILITY[r[1] or ""], *r[2:]) for r in s.execute(stmt)]


def get_person(db: Database, person_id: int) -> PersonRow:
    with db.reader() as s:
        p = get(s, Person, person_id, "Le contact")
        return _person_row(p, p.organisation.name if p.organisation else None)


def create_person(db: Database, values: Mapping) -> int:
    with db.session() as s:
        data = _validate_person(s, values)
        person = Person(**data)
        s.add(person)
        s.flush()
        record_change(s, "person", person.id, "create", data)
        return person.id


def update_person(db: Database, person_id: int, values: Mapping, *, expected_version: int) -> int:
    with db.session() as s:
        person = get(s, Person, person_id, "Le contact")
        data = _validate_person(s, values, partial=True)
        check_version(person, expected_version, "Le contact")
        return save_changes(s, person, data, "person")


def set_person_active(db: Database, person_id: int, active: bool, *, expected_version: int) -> None:
    with db.session() as s:
        person = get(s, Person, person_id, "Le contact")
        check_version(person, expected_version, "Le contact")
        if person.active != active:
            person.active = active
            record_change(s, "person", person.id, "activate" if active else "deactivate")


def delete_person(db: Database, person_id: int) -> None:
    """Hard delete, only when no meeting, action, task or seat refers to the contact."""
    with db.session() as s:
        person = get(s, Person, person_id, "Le contact")
        refs = person_references(s, person.id)
        if refs:
            raise ReferencedError(
                f"Ce contact figure dans {_join(refs)} : il peut être désactivé mais pas supprimé."
            )
        record_change(s, "person", person.id, "delete", {"name": person.full_name})
        s.delete(person)


# --------------------------------------------------------------------------- bodies and memberships


def list_bodies(db: Database, *, on: dt.date | None = None) -> list[BodyRow]:
    """Bodies with the number of members active on ``on`` (today by default)."""
    day = on or dt.date.today()
    members = (
        select(Membership.body_id, func.count().label("n"))
        .where(_active_on(day))
        .group_by(Membership.body_id)
        .subquery()
    )
    stmt = (
        select(Body, func.coalesce(members.c.n, 0))
        .outerjoin(members, members.c.body_id == Body.id)
        .order_by(Body.kind, Body.name)
    )
    with db.reader() as s:
        return [BodyRow(b.id, b.code, b.name, E.BodyKind(b.kind), b.quorum, b.active, n) for b, n in s.execute(stmt)]


def _active_on(day: dt.date):
    return and_(
        or_(Membership.start_date.is_(None), Membership.start_date <= day),
        or_(Membership.end_date.is_(None), Membership.end_date >= day),
    )


_ROLE_ORDER = {role.value: i for i, role in enumerate(E.MemberRole)}


def memberships(db: Database, body_id: int, *, on: dt.date | None = None, include_ended: bool = False) -> list[MembershipRow]:
    """A body's composition: the memberships active on ``on`` (today), or all of them."""
    stmt = (
        select(Membership, Body.name, Person.civility, Person.first_name, Person.last_name, Organisation.name)
        .join(Body, Body.id == Membership.body_id)
        .outerjoin(Person, Person.id == Membership.person_id)
        .outerjoin(Organisation, Organisation.id == Membership.organisation_id)
        .where(Membership.body_id == body_id)
    )
    if not include_ended:
        stmt = stmt.where(_active_on(on or dt.date.today()))
    with db.reader() as s:
        get(s, Body, body_id, "L'instance")
        keyed = []
        for m, body_name, civ, first, last, org_name in s.execute(stmt):
            person = person_name(first, last, civ) if last else None
            row = MembershipRow(m.id, m.body_id, body_name, m.seat, E.MemberRole(m.role), m.person_id, person,
                                m.organisation_id, org_name, m.start_date, m.end_date, m.version)
            key = (_ROLE_ORDER[row.role.value], sort_key(m.seat), not last, person_sort_key(first, last),
                   sort_key(org_name), m.id)  # a seat without a person after those with one
            keyed.append((key, row))
    keyed.sort(key=lambda pair: pair[0])
    return [row for _key, row in keyed]


def _validate_membership(session: Session, data: Mapping, current: Membership | None = None) -> dict:
    def ref(field, model, label):
        value = data.get(field)
        if value in (None, ""):
            return None
        try:
            return get(session, model, value, label).id
        except NotFoundError as exc:
            raise ValidationError(field, str(exc)) from None

    checks = {
        "body_id": lambda: ref("body_id", Body, "L'instance"),
        "person_id": lambda: ref("person_id", Person, "Le contact"),
        "organisation_id": lambda: ref("organisation_id", Organisation, "L'organisation"),
        "seat": lambda: V.line(data.get("seat"), "Siège", "seat", max_len=200),
        "role": lambda: V.choice(data.get("role") or E.MemberRole.MEMBRE, E.MemberRole, "Rôle", "role").value,
        "start_date": lambda: V.date(data.get("start_date"), "Du", "start_date"),
        "end_date": lambda: V.date(data.get("end_date"), "Au", "end_date"),
    }
    values = validate_fields(data, checks)
    merged = {k: getattr(current, k) for k in checks} if current is not None else {}
    merged.update(values)
    if current is None and not merged.get("body_id"):
        raise ValidationError("body_id", "Le champ « Instance » est obligatoire.")
    if not (merged.get("person_id") or merged.get("organisation_id") or merged.get("seat")):
        raise ValidationError("person_id", "Indiquez au moins le contact, l'organisation représentée ou le siège.")
    V.date_range(merged.get("start_date"), merged.get("end_date"), start_label="Du", end_label="Au")
    return values


def create_membership(db: Database, values: Mapping) -> int:
    with db.session() as s:
        data = _validate_membership(s, values)
        m = Membership(**data)
        s.add(m)
        s.flush()
        if m.person_id:
            record_change(s, "person", m.person_id, "membership", {"body_id": m.body_id, "role": m.role})
        return m.id


def update_membership(db: Database, membership_id: int, values: Mapping, *, expected_version: int) -> int:
    with db.session() as s:
        m = get(s, Membership, membership_id, "Le siège")
        data = _validate_membership(s, values, m)
        check_version(m, expected_version, "Le siège")
        changes = diff(m, data)
        if changes and m.person_id:
            s.flush()
            record_change(s, "person", m.person_id, "membership", changes)
        s.flush()
        return m.version


def end_membership(db: Database, membership_id: int, end_date: dt.date | str | None = None,
                   *, expected_version: int) -> None:
    """End a membership on ``end_date`` (today by default): it stays in the body's history."""
    day = V.date(end_date, "Au", "end_date") or dt.date.today()
    with db.session() as s:
        m = get(s, Membership, membership_id, "Le siège")
        check_version(m, expected_version, "Le siège")
        V.date_range(m.start_date, day, start_label="Du", end_label="Au")
        m.end_date = day
        if m.person_id:
            record_change(s, "person", m.person_id, "membership", {"end_date": day})


def delete_membership(db: Database, membership_id: int) -> None:
    """Remove a membership typed by mistake (to end a real one, use :func:`end_membership`)."""
    with db.session() as s:
        m = get(s, Membership, membership_id, "Le siège")
        s.delete(m)
