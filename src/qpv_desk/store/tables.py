"""The schema of the whole domain, as SQLAlchemy Core tables: one :class:`Table` per table.

The tables are the schema's one definition: migrations are checked against
:data:`metadata`, the base is created from it, and the ORM classes of :mod:`.models` are
mapped onto these tables. A service that only reads columns may query the tables directly
(``select(T.meeting.c.date)``) without loading the ORM: the first page shown at start-up
(the dashboard) does, so the application is ready before the ORM is even imported.

Conventions:
- money is integer cents (``BigInteger``), never float;
- enumerations are stored as their short code (``String``) with a CHECK listing the codes,
  so the same schema runs on SQLite and PostgreSQL;
- every editable table carries ``version`` (:func:`version_column`), the mapped class's
  ``version_id_col``: an UPDATE that finds another version raises ``StaleDataError``
  instead of overwriting;
- constraint names come from the metadata ``naming_convention`` (Alembic batch mode on
  SQLite needs named constraints).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    func,
    text,
)

from ..domain import council as CC
from ..domain import enums as E

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

Cents = BigInteger


def enum_check(column: str, enum_cls, nullable: bool = False) -> CheckConstraint:
    values = ", ".join(f"'{m.value}'" for m in enum_cls)
    expr = f"{column} IN ({values})"
    if nullable:
        expr = f"{column} IS NULL OR {expr}"
    return CheckConstraint(expr, name=f"{column}_valid")


def version_column() -> Column:
    """Optimistic locking: concurrent edits are detected, never silently merged."""
    return Column("version", Integer, nullable=False, default=1)


def timestamp_columns() -> tuple[Column, Column]:
    return (
        Column("created_at", DateTime, nullable=False, server_default=func.current_timestamp()),
        Column("updated_at", DateTime, nullable=False, server_default=func.current_timestamp(),
               onupdate=func.current_timestamp()),
    )


# --------------------------------------------------------------------------- referential


contract = Table(
    "contract",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(80), unique=True, nullable=False),
    Column("name", String(300), nullable=False),
    Column("epci", String(200)),
    Column("commune", String(200)),
    Column("start_year", Integer, nullable=False),
    Column("end_year", Integer, nullable=False),
    Column("description", Text),
    version_column(),
    CheckConstraint("end_year >= start_year", name="years_ordered"),
)


objective_level = Table(
    "objective_level",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("contract_id", Integer, ForeignKey("contract.id", ondelete="CASCADE"), nullable=False),
    Column("depth", Integer, nullable=False),
    Column("name", String(100), nullable=False),
    UniqueConstraint("contract_id", "depth"),
    CheckConstraint("depth >= 1", name="depth_positive"),
)


quartier = Table(
    "quartier",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("contract_id", Integer, ForeignKey("contract.id"), index=True, nullable=False),
    Column("code", String(40), unique=True, nullable=False),
    Column("name", String(200), nullable=False),
    Column("status", String(200)),
    Column("communes", String(500)),
    Column("surface_ha", Numeric(14, 4)),
    Column("population", Integer),
    Column("description", Text),
    # official perimeter (revision 0006): WGS84 GeoJSON geometry, computed area and length
    Column("perimeter_geojson", Text),
    Column("perimeter_area_ha", Numeric(14, 4)),
    Column("perimeter_length_km", Numeric(14, 4)),
    Column("perimeter_source", String(300)),
    version_column(),
    CheckConstraint("surface_ha IS NULL OR surface_ha >= 0", name="surface_positive"),
    CheckConstraint("population IS NULL OR population >= 0", name="population_positive"),
)


statistic = Table(
    "statistic",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("quartier_id", Integer, ForeignKey("quartier.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(80), nullable=False),
    Column("label", String(300), nullable=False),
    Column("value", Numeric(14, 4), nullable=False),
    Column("agglomeration_value", Numeric(14, 4)),
    Column("unit", String(40)),
    Column("source", String(300)),
    Column("year", Integer),
    Column("position", Integer, default=0, nullable=False),
    version_column(),
    UniqueConstraint("quartier_id", "key"),
)


objective = Table(
    "objective",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("contract_id", Integer, ForeignKey("contract.id"), index=True, nullable=False),
    Column("parent_id", Integer, ForeignKey("objective.id"), index=True),
    Column("code", String(40), nullable=False),
    Column("title", String(500), nullable=False),
    Column("description", Text),
    Column("depth", Integer, default=1, nullable=False),
    Column("position", Integer, default=0, nullable=False),
    Column("retired", Boolean, default=False, nullable=False),
    Column("retired_on", Date),
    version_column(),
    UniqueConstraint("contract_id", "code"),
    CheckConstraint("depth >= 1", name="depth_positive"),
    CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
)


funder = Table(
    "funder",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(40), unique=True, nullable=False),
    Column("name", String(200), nullable=False),
    Column("is_state", Boolean, default=False, nullable=False),
    Column("position", Integer, default=0, nullable=False),
    Column("active", Boolean, default=True, nullable=False),
    version_column(),
)


# --------------------------------------------------------------------------- partners


organisation = Table(
    "organisation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), index=True, nullable=False),
    Column("acronym", String(40)),
    Column("kind", String(20), default=E.OrganisationKind.AUTRE.value, nullable=False),
    Column("address", String(300)),
    Column("postcode", String(10)),
    Column("city", String(100)),
    Column("email", String(254)),
    Column("phone", String(40)),
    Column("siret", String(14)),
    Column("notes", Text),
    Column("active", Boolean, default=True, nullable=False),
    version_column(),
    *timestamp_columns(),
    enum_check("kind", E.OrganisationKind),
)


person = Table(
    "person",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("civility", String(4), default="", nullable=False),
    Column("first_name", String(100)),
    Column("last_name", String(100), index=True, nullable=False),
    Column("function", String(200)),
    Column("organisation_id", Integer, ForeignKey("organisation.id"), index=True),
    Column("email", String(254)),
    Column("phone", String(40)),
    Column("notes", Text),
    Column("active", Boolean, default=True, nullable=False),
    Column("anonymised_on", Date),
    version_column(),
    *timestamp_columns(),
    enum_check("civility", E.Civility),
)


body = Table(
    "body",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("contract_id", Integer, ForeignKey("contract.id"), index=True),
    Column("code", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), default=E.BodyKind.AUTRE.value, nullable=False),
    Column("quorum", Integer),
    Column("description", Text),
    Column("active", Boolean, default=True, nullable=False),
    # recognition arrêté of a conseil citoyen (revision 0006)
    Column("arrete_reference", String(200)),
    Column("arrete_date", Date),
    Column("signatories", Text),  # JSON [[name, function], …] signing its letters (0004)
    version_column(),
    enum_check("kind", E.BodyKind),
    CheckConstraint("quorum IS NULL OR quorum >= 1", name="quorum_positive"),
    UniqueConstraint("contract_id", "code"),  # a code is unique within its contract (0003)
)


membership = Table(
    "membership",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("body_id", Integer, ForeignKey("body.id"), index=True, nullable=False),
    Column("person_id", Integer, ForeignKey("person.id"), index=True),
    Column("organisation_id", Integer, ForeignKey("organisation.id"), index=True),
    Column("seat", String(200)),
    Column("role", String(20), default=E.MemberRole.MEMBRE.value, nullable=False),
    Column("start_date", Date),
    Column("end_date", Date),
    # conseil citoyen register (revision 0006): collège, how the member came in, whose suppléant
    Column("college", String(20)),
    Column("entry_mode", String(20)),
    Column("substitute_of_id", Integer, ForeignKey("membership.id", ondelete="SET NULL"), index=True),
    Column("replaces_id", Integer, ForeignKey("membership.id", ondelete="SET NULL"), index=True),
    version_column(),
    enum_check("role", E.MemberRole),
    CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates_ordered"),
    CheckConstraint("person_id IS NOT NULL OR organisation_id IS NOT NULL OR seat IS NOT NULL", name="someone"),
    enum_check("college", CC.College, nullable=True),
    enum_check("entry_mode", CC.EntryMode, nullable=True),
)


# --------------------------------------------------------------------------- meetings


meeting = Table(
    "meeting",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("body_id", Integer, ForeignKey("body.id"), nullable=False),
    Column("quartier_id", Integer, ForeignKey("quartier.id"), index=True),
    Column("title", String(300), nullable=False),
    Column("date", Date, index=True, nullable=False),
    Column("start_time", Time),
    Column("end_time", Time),
    Column("place", String(300)),
    Column("status", String(20), default=E.MeetingStatus.PREVUE.value, nullable=False),
    Column("secretary_id", Integer, ForeignKey("person.id")),
    Column("next_meeting_date", Date),
    Column("notes", Text),
    Column("reply_by", Date),  # « merci de répondre avant le … » (0004)
    Column("convocation_date", Date),  # the day the convocation was first produced (0004)
    version_column(),
    *timestamp_columns(),
    enum_check("status", E.MeetingStatus),
    CheckConstraint("end_time IS NULL OR start_time IS NULL OR end_time >= start_time", name="times_ordered"),
    Index("ix_meeting_body_date", "body_id", "date"),
)


agenda_item = Table(
    "agenda_item",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", Integer, ForeignKey("meeting.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("position", Integer, default=0, nullable=False),
    Column("title", String(500), nullable=False),
    Column("presenter_id", Integer, ForeignKey("person.id")),
    Column("duration_min", Integer),
    Column("objective_id", Integer, ForeignKey("objective.id"), index=True),
    Column("action_id", Integer, ForeignKey("action.id"), index=True),
    Column("discussion", Text),
    version_column(),
    CheckConstraint("duration_min IS NULL OR duration_min >= 0", name="duration_positive"),
)


attendance = Table(
    "attendance",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", Integer, ForeignKey("meeting.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("person_id", Integer, ForeignKey("person.id"), index=True, nullable=False),
    Column("organisation_id", Integer, ForeignKey("organisation.id"), index=True),
    Column("guest", Boolean, default=False, nullable=False),
    Column("status", String(20), default=E.AttendanceStatus.INVITE.value, nullable=False),
    Column("represented_by_id", Integer, ForeignKey("person.id")),
    version_column(),
    UniqueConstraint("meeting_id", "person_id"),
    enum_check("status", E.AttendanceStatus),
    CheckConstraint("status <> 'represente' OR represented_by_id IS NOT NULL", name="representative_given"),
    CheckConstraint("represented_by_id IS NULL OR represented_by_id <> person_id", name="not_self_represented"),
)


decision = Table(
    "decision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", Integer, ForeignKey("meeting.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("agenda_item_id", Integer, ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True),
    Column("position", Integer, default=0, nullable=False),
    Column("kind", String(20), default=E.DecisionKind.DECISION.value, nullable=False),
    Column("text", Text, nullable=False),
    Column("objective_id", Integer, ForeignKey("objective.id"), index=True),
    Column("action_id", Integer, ForeignKey("action.id"), index=True),
    Column("opinion", String(20)),
    version_column(),
    enum_check("kind", E.DecisionKind),
    enum_check("opinion", E.Opinion, nullable=True),
    CheckConstraint("opinion IS NULL OR action_id IS NOT NULL", name="opinion_on_action"),
)


follow_up_task = Table(
    "follow_up_task",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", Integer, ForeignKey("meeting.id", ondelete="SET NULL"), index=True),
    Column("agenda_item_id", Integer, ForeignKey("agenda_item.id", ondelete="SET NULL")),
    Column("description", Text, nullable=False),
    Column("owner_person_id", Integer, ForeignKey("person.id"), index=True),
    Column("owner_organisation_id", Integer, ForeignKey("organisation.id"), index=True),
    Column("due_date", Date),
    Column("status", String(20), default=E.TaskStatus.A_FAIRE.value, nullable=False),
    Column("done_on", Date),
    Column("objective_id", Integer, ForeignKey("objective.id"), index=True),
    Column("action_id", Integer, ForeignKey("action.id"), index=True),
    Column("notes", Text),
    version_column(),
    *timestamp_columns(),
    enum_check("status", E.TaskStatus),
    Index("ix_follow_up_task_status_due", "status", "due_date"),
)


# --------------------------------------------------------------------------- programme


programme_year = Table(
    "programme_year",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("contract_id", Integer, ForeignKey("contract.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("call_opens", Date),
    Column("call_closes", Date),
    Column("notes", Text),
    version_column(),
    UniqueConstraint("contract_id", "year"),
    CheckConstraint("year BETWEEN 1990 AND 2200", name="year_sane"),
)


action = Table(
    "action",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("programme_year_id", Integer, ForeignKey("programme_year.id"), nullable=False),
    Column("quartier_id", Integer, ForeignKey("quartier.id"), index=True),
    Column("code", String(40), nullable=False),
    Column("title", String(300), nullable=False),
    Column("holder_id", Integer, ForeignKey("organisation.id"), index=True, nullable=False),
    Column("contact_id", Integer, ForeignKey("person.id"), index=True),
    Column("description", Text),
    Column("target_public", Text),
    Column("place", String(300)),
    Column("start_date", Date),
    Column("end_date", Date),
    Column("is_renewal", Boolean, default=False, nullable=False),
    Column("multi_year", Boolean, default=False, nullable=False),
    Column("platform_code", String(60), unique=True),
    Column("predecessor_id", Integer, ForeignKey("action.id"), index=True),
    Column("status", String(20), default=E.ActionStatus.DEPOSEE.value, nullable=False),
    Column("total_cost_cents", Cents, default=0, nullable=False),
    Column("beneficiaries_planned", Integer),
    Column("beneficiaries_reached", Integer),
    Column("beneficiaries_qpv", Integer),
    Column("progress", Integer),
    Column("review_due", Date),
    Column("review_received", Date),
    Column("review_notes", Text),
    version_column(),
    *timestamp_columns(),
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


action_objective = Table(
    "action_objective",
    metadata,
    Column("action_id", Integer, ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
    Column("objective_id", Integer, ForeignKey("objective.id"), primary_key=True, index=True),
    Column("is_principal", Boolean, default=False, nullable=False),
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


funding_line = Table(
    "funding_line",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("action_id", Integer, ForeignKey("action.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("funder_id", Integer, ForeignKey("funder.id"), index=True, nullable=False),
    Column("requested_cents", Cents, default=0, nullable=False),
    Column("granted_cents", Cents),
    Column("paid_cents", Cents, default=0, nullable=False),
    version_column(),
    UniqueConstraint("action_id", "funder_id"),
    CheckConstraint(
        "requested_cents >= 0 AND (granted_cents IS NULL OR granted_cents >= 0) AND paid_cents >= 0",
        name="amounts_positive",
    ),
)


action_status_change = Table(
    "action_status_change",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("action_id", Integer, ForeignKey("action.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("status", String(20), nullable=False),
    Column("date", Date, nullable=False),
    Column("meeting_id", Integer, ForeignKey("meeting.id", ondelete="SET NULL"), index=True),
    Column("decision_id", Integer, ForeignKey("decision.id", ondelete="SET NULL"), index=True),
    Column("note", Text),
    Column("recorded_at", DateTime, server_default=func.current_timestamp(), nullable=False),
    enum_check("status", E.ActionStatus),
)


indicator = Table(
    "indicator",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("action_id", Integer, ForeignKey("action.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("position", Integer, default=0, nullable=False),
    Column("label", String(300), nullable=False),
    Column("unit", String(40)),
    Column("target", Numeric(14, 4)),
    Column("result", Numeric(14, 4)),
    version_column(),
)


# --------------------------------------------------------------------------- application


setting = Table(
    "setting",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("value", Text, nullable=False),
)


change_log = Table(
    "change_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, server_default=func.current_timestamp(), index=True, nullable=False),
    Column("user", String(100), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", Integer, nullable=False),
    Column("operation", String(10), nullable=False),
    Column("changes", Text),
    Index("ix_change_log_entity", "entity", "entity_id"),
)


# --------------------------------------------------------------------------- outputs (revision 0005)


meeting_invitation = Table(
    "meeting_invitation",
    metadata,
    Column("meeting_id", Integer, ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("uid", String(200), unique=True, nullable=False),
    Column("sequence", Integer, default=0, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("exported_at", DateTime, nullable=False),
)


programme_snapshot = Table(
    "programme_snapshot",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("taken_at", DateTime, index=True, nullable=False),
    Column("label", String(300), nullable=False),
    Column("meeting_id", Integer, ForeignKey("meeting.id", ondelete="SET NULL"), index=True),
    Column("content", Text, nullable=False),  # JSON: funders and actions
)


citizen_avis = Table(
    "citizen_avis",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, unique=True, nullable=False),
    Column("date", Date, nullable=False),
    Column("text", Text, nullable=False),
    version_column(),
)


referent_quartier = Table(
    "referent_quartier",
    metadata,
    Column("login", String(63), primary_key=True),
    Column("quartier_id", Integer, ForeignKey("quartier.id", ondelete="CASCADE"), primary_key=True),
)


council_draw = Table(
    "council_draw",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("body_id", Integer, ForeignKey("body.id"), index=True, nullable=False),
    Column("drawn_at", DateTime, server_default=func.current_timestamp(), nullable=False),
    Column("user", String(100), nullable=False),
    Column("seed", String(100), nullable=False),
    Column("seats", Integer, nullable=False),
    Column("source_name", String(300)),
    Column("fingerprint", String(64), nullable=False),
    Column("candidates", Text, nullable=False),  # JSON list of [civility, first, last, address]
    Column("result", Text, nullable=False),  # JSON list of indices into candidates, in drawing order
    CheckConstraint("seats >= 1", name="seats_positive"),
)


imported_value = Table(
    "imported_value",
    metadata,
    Column("entity", String(40), primary_key=True),
    Column("entity_id", Integer, primary_key=True),
    Column("field", String(40), primary_key=True),
    Column("value", Text),
)


# --------------------------------------------------------------------------- documents (revision 0004)


meeting_record = Table(
    "meeting_record",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", Integer, ForeignKey("meeting.id", ondelete="CASCADE"), index=True, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("content", Text, nullable=False),
    Column("validated_on", Date, nullable=False),
    Column("validated_by", String(200), nullable=False),
    Column("chair", String(200)),
    Column("recorded_at", DateTime, server_default=func.current_timestamp(), nullable=False),
    UniqueConstraint("meeting_id", "kind"),
)


letterhead = Table(
    "letterhead",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("address", Text),
    Column("logo", LargeBinary),
    Column("logo_name", String(200)),
)
