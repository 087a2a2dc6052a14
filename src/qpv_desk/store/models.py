"""The ORM model of the whole domain (SQLAlchemy 2 typed declarative).

Conventions:
- money is integer cents (``BigInteger``), never float;
- enumerations are stored as their short code (``String``) with a CHECK listing the codes,
  so the same schema runs on SQLite and PostgreSQL;
- every editable table carries ``version`` used as SQLAlchemy's ``version_id_col``: an
  UPDATE that finds another version raises ``StaleDataError`` instead of overwriting;
- constraint names come from the metadata ``naming_convention`` (Alembic batch mode on
  SQLite needs named constraints).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    LargeBinary,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from ..domain import council as CC
from ..domain import enums as E

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Cents = BigInteger


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        str: String(300),
        int: Integer,
        bool: Boolean,
        dt.date: Date,
        dt.time: Time,
        dt.datetime: DateTime(timezone=False),
        Decimal: Numeric(14, 4),
    }


class Versioned:
    """Optimistic locking: concurrent edits are detected, never silently merged."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.version}


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.current_timestamp())
    updated_at: Mapped[dt.datetime] = mapped_column(
        server_default=func.current_timestamp(), onupdate=func.current_timestamp()
    )


def enum_check(column: str, enum_cls, nullable: bool = False) -> CheckConstraint:
    values = ", ".join(f"'{m.value}'" for m in enum_cls)
    expr = f"{column} IN ({values})"
    if nullable:
        expr = f"{column} IS NULL OR {expr}"
    return CheckConstraint(expr, name=f"{column}_valid")


# --------------------------------------------------------------------------- referential


class Contract(Versioned, Base):
    __tablename__ = "contract"
    __table_args__ = (CheckConstraint("end_year >= start_year", name="years_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str]
    epci: Mapped[str | None] = mapped_column(String(200))
    commune: Mapped[str | None] = mapped_column(String(200))
    start_year: Mapped[int]
    end_year: Mapped[int]
    description: Mapped[str | None] = mapped_column(Text)

    quartiers: Mapped[list[Quartier]] = relationship(back_populates="contract", order_by="Quartier.code")
    levels: Mapped[list[ObjectiveLevel]] = relationship(order_by="ObjectiveLevel.depth", cascade="all, delete-orphan")


class ObjectiveLevel(Base):
    """Name of a level of the objective tree (« Enjeu », « Orientation »…), by depth."""

    __tablename__ = "objective_level"
    __table_args__ = (UniqueConstraint("contract_id", "depth"), CheckConstraint("depth >= 1", name="depth_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"))
    depth: Mapped[int]
    name: Mapped[str] = mapped_column(String(100))


class Quartier(Versioned, Base):
    __tablename__ = "quartier"
    __table_args__ = (
        CheckConstraint("surface_ha IS NULL OR surface_ha >= 0", name="surface_positive"),
        CheckConstraint("population IS NULL OR population >= 0", name="population_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str | None] = mapped_column(String(200))
    communes: Mapped[str | None] = mapped_column(String(500))
    surface_ha: Mapped[Decimal | None]
    population: Mapped[int | None]
    description: Mapped[str | None] = mapped_column(Text)
    # official perimeter (revision 0006): WGS84 GeoJSON geometry, computed area and length
    perimeter_geojson: Mapped[str | None] = mapped_column(Text)
    perimeter_area_ha: Mapped[Decimal | None]
    perimeter_length_km: Mapped[Decimal | None]
    perimeter_source: Mapped[str | None] = mapped_column(String(300))

    contract: Mapped[Contract] = relationship(back_populates="quartiers")
    statistics: Mapped[list[Statistic]] = relationship(
        back_populates="quartier", order_by="Statistic.position", cascade="all, delete-orphan"
    )


class Statistic(Versioned, Base):
    __tablename__ = "statistic"
    __table_args__ = (UniqueConstraint("quartier_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quartier_id: Mapped[int] = mapped_column(ForeignKey("quartier.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    label: Mapped[str]
    value: Mapped[Decimal]
    agglomeration_value: Mapped[Decimal | None]
    unit: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str | None]
    year: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)

    quartier: Mapped[Quartier] = relationship(back_populates="statistics")


class Objective(Versioned, Base):
    """A node of the contract's objective tree, of any depth. Retired nodes stay for history."""

    __tablename__ = "objective"
    __table_args__ = (
        UniqueConstraint("contract_id", "code"),
        CheckConstraint("depth >= 1", name="depth_positive"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("objective.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    depth: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)
    retired_on: Mapped[dt.date | None]

    parent: Mapped[Objective | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Objective]] = relationship(back_populates="parent", order_by="Objective.position")


class Funder(Versioned, Base):
    __tablename__ = "funder"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    is_state: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


# --------------------------------------------------------------------------- partners


class Organisation(Versioned, Timestamped, Base):
    __tablename__ = "organisation"
    __table_args__ = (enum_check("kind", E.OrganisationKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    acronym: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20), default=E.OrganisationKind.AUTRE.value)
    address: Mapped[str | None]
    postcode: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    siret: Mapped[str | None] = mapped_column(String(14))
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)

    persons: Mapped[list[Person]] = relationship(back_populates="organisation")


class Person(Versioned, Timestamped, Base):
    __tablename__ = "person"
    __table_args__ = (enum_check("civility", E.Civility),)

    id: Mapped[int] = mapped_column(primary_key=True)
    civility: Mapped[str] = mapped_column(String(4), default="")
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100), index=True)
    function: Mapped[str | None] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    anonymised_on: Mapped[dt.date | None]

    organisation: Mapped[Organisation | None] = relationship(back_populates="persons")

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.civility, self.first_name, self.last_name) if p)


class Body(Versioned, Base):
    """A governance body (instance): COPIL, GT, conseil citoyen, thematic group…"""

    __tablename__ = "body"
    __table_args__ = (
        enum_check("kind", E.BodyKind),
        CheckConstraint("quorum IS NULL OR quorum >= 1", name="quorum_positive"),
        UniqueConstraint("contract_id", "code"),  # a code is unique within its contract (0003)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=E.BodyKind.AUTRE.value)
    quorum: Mapped[int | None]
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    # recognition arrêté of a conseil citoyen (revision 0006)
    arrete_reference: Mapped[str | None] = mapped_column(String(200))
    arrete_date: Mapped[dt.date | None]
    signatories: Mapped[str | None] = mapped_column(Text)  # JSON [[name, function], …] signing its letters (0004)

    memberships: Mapped[list[Membership]] = relationship(back_populates="body")


class Membership(Versioned, Base):
    """A seat in a body: held by an organisation, occupied by a person over a period."""

    __tablename__ = "membership"
    __table_args__ = (
        enum_check("role", E.MemberRole),
        CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        CheckConstraint("person_id IS NOT NULL OR organisation_id IS NOT NULL OR seat IS NOT NULL", name="someone"),
        enum_check("college", CC.College, nullable=True),
        enum_check("entry_mode", CC.EntryMode, nullable=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    seat: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default=E.MemberRole.MEMBRE.value)
    start_date: Mapped[dt.date | None]
    end_date: Mapped[dt.date | None]
    # conseil citoyen register (revision 0006): collège, how the member came in, whose suppléant
    college: Mapped[str | None] = mapped_column(String(20))
    entry_mode: Mapped[str | None] = mapped_column(String(20))
    substitute_of_id: Mapped[int | None] = mapped_column(ForeignKey("membership.id", ondelete="SET NULL"), index=True)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("membership.id", ondelete="SET NULL"), index=True)

    body: Mapped[Body] = relationship(back_populates="memberships")
    person: Mapped[Person | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


# --------------------------------------------------------------------------- meetings


class Meeting(Versioned, Timestamped, Base):
    __tablename__ = "meeting"
    __table_args__ = (
        enum_check("status", E.MeetingStatus),
        CheckConstraint("end_time IS NULL OR start_time IS NULL OR end_time >= start_time", name="times_ordered"),
        Index("ix_meeting_body_date", "body_id", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id"))
    quartier_id: Mapped[int | None] = mapped_column(ForeignKey("quartier.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    date: Mapped[dt.date] = mapped_column(index=True)
    start_time: Mapped[dt.time | None]
    end_time: Mapped[dt.time | None]
    place: Mapped[str | None]
    status: Mapped[str] = mapped_column(String(20), default=E.MeetingStatus.PREVUE.value)
    secretary_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    next_meeting_date: Mapped[dt.date | None]
    notes: Mapped[str | None] = mapped_column(Text)
    reply_by: Mapped[dt.date | None]  # « merci de répondre avant le … » (0004)
    convocation_date: Mapped[dt.date | None]  # the day the convocation was first produced (0004)

    body: Mapped[Body] = relationship()
    secretary: Mapped[Person | None] = relationship()
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    attendances: Mapped[list[Attendance]] = relationship(back_populates="meeting", cascade="all, delete-orphan")
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="meeting", order_by="Decision.position", cascade="all, delete-orphan"
    )


class AgendaItem(Versioned, Base):
    __tablename__ = "agenda_item"
    __table_args__ = (CheckConstraint("duration_min IS NULL OR duration_min >= 0", name="duration_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(500))
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    duration_min: Mapped[int | None]
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("objective.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id"), index=True)
    discussion: Mapped[str | None] = mapped_column(Text)

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    presenter: Mapped[Person | None] = relationship()
    objective: Mapped[Objective | None] = relationship()
    action: Mapped[Action | None] = relationship()


class Attendance(Versioned, Base):
    """One invitee of a meeting and whether they came. ``organisation_id`` is frozen at invitation."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("meeting_id", "person_id"),
        enum_check("status", E.AttendanceStatus),
        CheckConstraint("status <> 'represente' OR represented_by_id IS NOT NULL", name="representative_given"),
        CheckConstraint("represented_by_id IS NULL OR represented_by_id <> person_id", name="not_self_represented"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    guest: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default=E.AttendanceStatus.INVITE.value)
    represented_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    organisation: Mapped[Organisation | None] = relationship()
    represented_by: Mapped[Person | None] = relationship(foreign_keys=[represented_by_id])


class Decision(Versioned, Base):
    __tablename__ = "decision"
    __table_args__ = (
        enum_check("kind", E.DecisionKind),
        enum_check("opinion", E.Opinion, nullable=True),
        CheckConstraint("opinion IS NULL OR action_id IS NOT NULL", name="opinion_on_action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20), default=E.DecisionKind.DECISION.value)
    text: Mapped[str] = mapped_column(Text)
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("objective.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id"), index=True)
    opinion: Mapped[str | None] = mapped_column(String(20))

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")
    agenda_item: Mapped[AgendaItem | None] = relationship()
    objective: Mapped[Objective | None] = relationship()
    action: Mapped[Action | None] = relationship()


class FollowUpTask(Versioned, Timestamped, Base):
    """« Suite à donner »: who does what by when, born in a meeting, reviewed until closed."""

    __tablename__ = "follow_up_task"
    __table_args__ = (
        enum_check("status", E.TaskStatus),
        Index("ix_follow_up_task_status_due", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(Text)
    owner_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    owner_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    due_date: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(String(20), default=E.TaskStatus.A_FAIRE.value)
    done_on: Mapped[dt.date | None]
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("objective.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)

    meeting: Mapped[Meeting | None] = relationship()
    owner_person: Mapped[Person | None] = relationship()
    owner_organisation: Mapped[Organisation | None] = relationship()
    objective: Mapped[Objective | None] = relationship()
    action: Mapped[Action | None] = relationship()


# --------------------------------------------------------------------------- programme


class ProgrammeYear(Versioned, Base):
    __tablename__ = "programme_year"
    __table_args__ = (UniqueConstraint("contract_id", "year"), CheckConstraint("year BETWEEN 1990 AND 2200", name="year_sane"))

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"))
    year: Mapped[int]
    call_opens: Mapped[dt.date | None]
    call_closes: Mapped[dt.date | None]
    notes: Mapped[str | None] = mapped_column(Text)

    actions: Mapped[list[Action]] = relationship(back_populates="programme_year")


class Action(Versioned, Timestamped, Base):
    """A programme action (fiche action) with its bilan fields."""

    __tablename__ = "action"
    __table_args__ = (
        UniqueConstraint("programme_year_id", "code"),
        enum_check("status", E.ActionStatus),
        CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        CheckConstraint("total_cost_cents >= 0", name="cost_positive"),
        CheckConstraint(
            "(beneficiaries_planned IS NULL OR beneficiaries_planned >= 0)"
            " AND (beneficiaries_reached IS NULL OR beneficiaries_reached >= 0)"
            " AND (beneficiaries_qpv IS NULL OR beneficiaries_qpv >= 0)",
            name="beneficiaries_positive",
        ),
        CheckConstraint("progress IS NULL OR (progress >= 0 AND progress <= 100)", name="progress_percent"),
        Index("ix_action_year_status", "programme_year_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_year_id: Mapped[int] = mapped_column(ForeignKey("programme_year.id"))
    quartier_id: Mapped[int | None] = mapped_column(ForeignKey("quartier.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    holder_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    target_public: Mapped[str | None] = mapped_column(Text)
    place: Mapped[str | None]
    start_date: Mapped[dt.date | None]
    end_date: Mapped[dt.date | None]
    is_renewal: Mapped[bool] = mapped_column(default=False)
    multi_year: Mapped[bool] = mapped_column(default=False)
    platform_code: Mapped[str | None] = mapped_column(String(60), unique=True)
    predecessor_id: Mapped[int | None] = mapped_column(ForeignKey("action.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=E.ActionStatus.DEPOSEE.value)
    total_cost_cents: Mapped[int] = mapped_column(Cents, default=0)
    beneficiaries_planned: Mapped[int | None]
    beneficiaries_reached: Mapped[int | None]
    beneficiaries_qpv: Mapped[int | None]
    progress: Mapped[int | None]
    review_due: Mapped[dt.date | None]
    review_received: Mapped[dt.date | None]
    review_notes: Mapped[str | None] = mapped_column(Text)

    programme_year: Mapped[ProgrammeYear] = relationship(back_populates="actions")
    holder: Mapped[Organisation] = relationship(foreign_keys=[holder_id])
    contact: Mapped[Person | None] = relationship(foreign_keys=[contact_id])
    predecessor: Mapped[Action | None] = relationship(remote_side=[id])
    objective_links: Mapped[list[ActionObjective]] = relationship(back_populates="action", cascade="all, delete-orphan")
    funding_lines: Mapped[list[FundingLine]] = relationship(back_populates="action", cascade="all, delete-orphan")
    status_history: Mapped[list[ActionStatusChange]] = relationship(
        back_populates="action", order_by="(ActionStatusChange.date, ActionStatusChange.id)", cascade="all, delete-orphan"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="action", order_by="Indicator.position", cascade="all, delete-orphan"
    )


class ActionObjective(Base):
    """Link of an action to an objective; exactly one principal per action (partial unique index)."""

    __tablename__ = "action_objective"
    __table_args__ = (
        Index(
            "uq_action_objective_principal",
            "action_id",
            unique=True,
            sqlite_where=text("is_principal = 1"),
            # PostgreSQL's own condition (``WHERE is_principal``) is written by migration 0001: a
            # ``postgresql_where`` here would load SQLAlchemy's PostgreSQL dialect at every start,
            # SQLite included (≈ 25 ms of the start-up); the structure check does not compare it.
        ),
    )

    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id"), primary_key=True, index=True)
    is_principal: Mapped[bool] = mapped_column(default=False)

    action: Mapped[Action] = relationship(back_populates="objective_links")
    objective: Mapped[Objective] = relationship()


class FundingLine(Versioned, Base):
    __tablename__ = "funding_line"
    __table_args__ = (
        UniqueConstraint("action_id", "funder_id"),
        CheckConstraint(
            "requested_cents >= 0 AND (granted_cents IS NULL OR granted_cents >= 0) AND paid_cents >= 0",
            name="amounts_positive",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    funder_id: Mapped[int] = mapped_column(ForeignKey("funder.id"), index=True)
    requested_cents: Mapped[int] = mapped_column(Cents, default=0)
    granted_cents: Mapped[int | None] = mapped_column(Cents)
    paid_cents: Mapped[int] = mapped_column(Cents, default=0)

    action: Mapped[Action] = relationship(back_populates="funding_lines")
    funder: Mapped[Funder] = relationship()


class ActionStatusChange(Base):
    """Dated history of an action's status; may cite the meeting (and decision) that decided it."""

    __tablename__ = "action_status_change"
    __table_args__ = (enum_check("status", E.ActionStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    date: Mapped[dt.date]
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id", ondelete="SET NULL"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(server_default=func.current_timestamp())

    action: Mapped[Action] = relationship(back_populates="status_history")
    meeting: Mapped[Meeting | None] = relationship()


class Indicator(Versioned, Base):
    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str]
    unit: Mapped[str | None] = mapped_column(String(40))
    target: Mapped[Decimal | None]
    result: Mapped[Decimal | None]

    action: Mapped[Action] = relationship(back_populates="indicators")


# --------------------------------------------------------------------------- application


class Setting(Base):
    """Key/value settings that belong to the database (shared by every user of it)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ChangeLog(Base):
    """Who changed what and when (actions, meetings, contacts…). Added by revision 0002."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(server_default=func.current_timestamp(), index=True)
    user: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int]
    operation: Mapped[str] = mapped_column(String(10))
    changes: Mapped[str | None] = mapped_column(Text)


# --------------------------------------------------------------------------- outputs (revision 0005)


class MeetingInvitation(Base):
    """The iCalendar identity of a meeting: a stable UID, and a SEQUENCE raised on each changed export."""

    __tablename__ = "meeting_invitation"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True)
    uid: Mapped[str] = mapped_column(String(200), unique=True)
    sequence: Mapped[int] = mapped_column(default=0)
    content_hash: Mapped[str] = mapped_column(String(64))
    exported_at: Mapped[dt.datetime]


class ProgrammeSnapshot(Base):
    """The programme frozen at a date (a COPIL held, or on demand); never modified afterwards."""

    __tablename__ = "programme_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    taken_at: Mapped[dt.datetime] = mapped_column(index=True)
    label: Mapped[str] = mapped_column(String(300))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"), index=True)
    content: Mapped[str] = mapped_column(Text)  # JSON: funders and actions


class CitizenAvis(Versioned, Base):
    """The conseil citoyen's avis on the rapport annuel of a year (annexed to the commune's contribution)."""

    __tablename__ = "citizen_avis"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    date: Mapped[dt.date]
    text: Mapped[str] = mapped_column(Text)


class ReferentQuartier(Base):
    """On a shared PostgreSQL server: the quartiers a login is référent(e) of (revision 0007).
    The server's row-level security policies read it (``qpv-desk db roles``)."""

    __tablename__ = "referent_quartier"

    login: Mapped[str] = mapped_column(String(63), primary_key=True)
    quartier_id: Mapped[int] = mapped_column(ForeignKey("quartier.id", ondelete="CASCADE"), primary_key=True)
class CouncilDraw(Base):
    """A draw of the residents' collège (revision 0006): list, seed and result kept as drawn."""

    __tablename__ = "council_draw"
    __table_args__ = (CheckConstraint("seats >= 1", name="seats_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id"), index=True)
    drawn_at: Mapped[dt.datetime] = mapped_column(server_default=func.current_timestamp())
    user: Mapped[str] = mapped_column(String(100))
    seed: Mapped[str] = mapped_column(String(100))
    seats: Mapped[int]
    source_name: Mapped[str | None] = mapped_column(String(300))
    fingerprint: Mapped[str] = mapped_column(String(64))
    candidates: Mapped[str] = mapped_column(Text)  # JSON list of [civility, first, last, address]
    result: Mapped[str] = mapped_column(Text)  # JSON list of indices into candidates, in drawing order
class ImportedValue(Base):
    """What the last referential import wrote in a field (revision 0003): a field whose
    value differs from it was edited in the application since, and a re-import never
    overwrites it without asking."""

    __tablename__ = "imported_value"

    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    entity_id: Mapped[int] = mapped_column(primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)
# --------------------------------------------------------------------------- documents (revision 0004)


class MeetingRecord(Base):
    """A frozen document of a meeting: the validated compte rendu as it was approved.

    ``content`` is the document model in JSON (:mod:`qpv_desk.reports.document`); every
    later export renders it, whatever changes in the base afterwards.
    """

    __tablename__ = "meeting_record"
    __table_args__ = (UniqueConstraint("meeting_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)
    validated_on: Mapped[dt.date]
    validated_by: Mapped[str] = mapped_column(String(200))
    chair: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(server_default=func.current_timestamp())


class Letterhead(Base):
    """The letterhead printed at the top of every document: a logo and an address (one row)."""

    __tablename__ = "letterhead"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str | None] = mapped_column(Text)
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_name: Mapped[str | None] = mapped_column(String(200))
