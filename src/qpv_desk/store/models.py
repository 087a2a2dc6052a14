"""The ORM classes of the domain, mapped onto the Core tables of :mod:`.tables`.

Each class names its table (``__table__``), so its columns are the table's (``Action.code``
is ``tables.action.c.code``); here are what only the ORM knows: the relationships, the
version counter, and a few conveniences. Importing this module (and configuring the
mappers) costs about a fifth of a second: the start-up path does without it.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, relationship

from ..domain.text import person_name
from . import tables as T


class Base(DeclarativeBase):
    metadata = T.metadata


class Versioned:
    """Optimistic locking: an UPDATE that finds another ``version`` raises ``StaleDataError``."""

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}


# --------------------------------------------------------------------------- referential


class Contract(Versioned, Base):
    __table__ = T.contract

    quartiers: Mapped[list[Quartier]] = relationship(back_populates="contract", order_by="Quartier.code")
    levels: Mapped[list[ObjectiveLevel]] = relationship(order_by="ObjectiveLevel.depth", cascade="all, delete-orphan")


class ObjectiveLevel(Base):
    """Name of a level of the objective tree (« Enjeu », « Orientation »…), by depth."""

    __table__ = T.objective_level


class Quartier(Versioned, Base):
    __table__ = T.quartier

    contract: Mapped[Contract] = relationship(back_populates="quartiers")
    statistics: Mapped[list[Statistic]] = relationship(
        back_populates="quartier", order_by="Statistic.position", cascade="all, delete-orphan"
    )


class Statistic(Versioned, Base):
    __table__ = T.statistic

    quartier: Mapped[Quartier] = relationship(back_populates="statistics")


class Objective(Versioned, Base):
    """A node of the contract's objective tree, of any depth. Retired nodes stay for history."""

    __table__ = T.objective

    parent: Mapped[Objective | None] = relationship(remote_side=[T.objective.c.id], back_populates="children")
    children: Mapped[list[Objective]] = relationship(back_populates="parent", order_by="Objective.position")


class Funder(Versioned, Base):
    __table__ = T.funder


# --------------------------------------------------------------------------- partners


class Organisation(Versioned, Base):
    __table__ = T.organisation

    persons: Mapped[list[Person]] = relationship(back_populates="organisation")


class Person(Versioned, Base):
    __table__ = T.person

    organisation: Mapped[Organisation | None] = relationship(back_populates="persons")

    @property
    def full_name(self) -> str:
        return person_name(self.first_name, self.last_name, self.civility)


class Body(Versioned, Base):
    """A governance body (instance): COPIL, GT, conseil citoyen, thematic group…"""

    __table__ = T.body

    memberships: Mapped[list[Membership]] = relationship(back_populates="body")


class Membership(Versioned, Base):
    """A seat in a body: held by an organisation, occupied by a person over a period."""

    __table__ = T.membership

    body: Mapped[Body] = relationship(back_populates="memberships")
    person: Mapped[Person | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


# --------------------------------------------------------------------------- meetings


class Meeting(Versioned, Base):
    __table__ = T.meeting

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
    __table__ = T.agenda_item

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    presenter: Mapped[Person | None] = relationship()
    objective: Mapped[Objective | None] = relationship()
    action: Mapped[Action | None] = relationship()


class Attendance(Versioned, Base):
    """One invitee of a meeting and whether they came. ``organisation_id`` is frozen at invitation."""

    __table__ = T.attendance

    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    person: Mapped[Person] = relationship(foreign_keys=[T.attendance.c.person_id])
    organisation: Mapped[Organisation | None] = relationship()
    represented_by: Mapped[Person | None] = relationship(foreign_keys=[T.attendance.c.represented_by_id])


class Decision(Versioned, Base):
    __table__ = T.decision

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")
    agenda_item: Mapped[AgendaItem | None] = relationship()
    objective: Mapped[Objective | None] = relationship()
    action: Mapped[Action | None] = relationship()


class FollowUpTask(Versioned, Base):
    """« Suite à donner »: who does what by when, born in a meeting, reviewed until closed."""

    __table__ = T.follow_up_task

    meeting: Mapped[Meeting | None] = relationship()
    owner_person: Mapped[Person | None] = relationship()
    owner_organisation: Mapped[Organisation | None] = relationship()
    objective: Mapped[Objective | None] = relationship()
    action: Mapped[Action | None] = relationship()


# --------------------------------------------------------------------------- programme


class ProgrammeYear(Versioned, Base):
    __table__ = T.programme_year

    actions: Mapped[list[Action]] = relationship(back_populates="programme_year")


class Action(Versioned, Base):
    """A programme action (fiche action) with its bilan fields."""

    __table__ = T.action

    programme_year: Mapped[ProgrammeYear] = relationship(back_populates="actions")
    holder: Mapped[Organisation] = relationship(foreign_keys=[T.action.c.holder_id])
    contact: Mapped[Person | None] = relationship(foreign_keys=[T.action.c.contact_id])
    predecessor: Mapped[Action | None] = relationship(remote_side=[T.action.c.id])
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

    __table__ = T.action_objective

    action: Mapped[Action] = relationship(back_populates="objective_links")
    objective: Mapped[Objective] = relationship()


class FundingLine(Versioned, Base):
    __table__ = T.funding_line

    action: Mapped[Action] = relationship(back_populates="funding_lines")
    funder: Mapped[Funder] = relationship()


class ActionStatusChange(Base):
    """Dated history of an action's status; may cite the meeting (and decision) that decided it."""

    __table__ = T.action_status_change

    action: Mapped[Action] = relationship(back_populates="status_history")
    meeting: Mapped[Meeting | None] = relationship()


class Indicator(Versioned, Base):
    __table__ = T.indicator

    action: Mapped[Action] = relationship(back_populates="indicators")


# --------------------------------------------------------------------------- application


class Setting(Base):
    """Key/value settings that belong to the database (shared by every user of it)."""

    __table__ = T.setting


class ChangeLog(Base):
    """Who changed what and when (actions, meetings, contacts…). Added by revision 0002."""

    __table__ = T.change_log


# --------------------------------------------------------------------------- outputs (revision 0005)


class MeetingInvitation(Base):
    """The iCalendar identity of a meeting: a stable UID, and a SEQUENCE raised on each changed export."""

    __table__ = T.meeting_invitation


class ProgrammeSnapshot(Base):
    """The programme frozen at a date (a COPIL held, or on demand); never modified afterwards."""

    __table__ = T.programme_snapshot


class CitizenAvis(Versioned, Base):
    """The conseil citoyen's avis on the rapport annuel of a year (annexed to the commune's contribution)."""

    __table__ = T.citizen_avis


class ReferentQuartier(Base):
    """On a shared PostgreSQL server: the quartiers a login is référent(e) of (revision 0007).
    The server's row-level security policies read it (``qpv-desk db roles``)."""

    __table__ = T.referent_quartier


class CouncilDraw(Base):
    """A draw of the residents' collège (revision 0006): list, seed and result kept as drawn."""

    __table__ = T.council_draw


class ImportedValue(Base):
    """What the last referential import wrote in a field (revision 0003): a field whose
    value differs from it was edited in the application since, and a re-import never
    overwrites it without asking."""

    __table__ = T.imported_value


# --------------------------------------------------------------------------- documents (revision 0004)


class MeetingRecord(Base):
    """A frozen document of a meeting: the validated compte rendu as it was approved.

    ``content`` is the document model in JSON (:mod:`qpv_desk.reports.document`); every
    later export renders it, whatever changes in the base afterwards.
    """

    __table__ = T.meeting_record


class Letterhead(Base):
    """The letterhead printed at the top of every document: a logo and an address (one row)."""

    __table__ = T.letterhead
