"""The data model. Business rules live in ``app.domain`` and the feature operations."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.plans import ActionStatus, Need
from app.domain.arrangements import CancelledBy, State as ArrangementState
from app.domain.requirements import Category, Defaults, DefaultsHistory, DefaultsPeriod
from app.extensions import db
from app.types import UTCDateTime

if TYPE_CHECKING:
    # db.Model is made at run time on app.extensions.Base (model_class=Base), which mypy
    # cannot follow; checked as the declarative base it is, every column keeps its type.
    from app.extensions import Base as Model
else:
    Model = db.Model


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def str_enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint, storing the values."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Agency(enum.StrEnum):
    POLICE = "police"
    PROBATION = "probation"
    PARTNER = "partner"


class Role(enum.StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Language(enum.StrEnum):
    ENGLISH = "en"
    WELSH = "cy"


class Rag(enum.StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class PauseReason(enum.StrEnum):
    CUSTODY = "custody"
    HOSPITAL = "hospital"
    OTHER = "other"


class DeselectionReason(enum.StrEnum):
    """The toolkit's de-selection criteria (§9)."""

    GREEN_THREE_MONTHS = "green_three_months"
    NO_CONVICTION_12_MONTHS = "no_conviction_12_months"
    NO_OUTSTANDING_CHARGES = "no_outstanding_charges"
    MOVED_AREA = "moved_area"
    CUSTODY_TWO_YEARS = "custody_two_years"
    OTHER = "other"


class ContactType(enum.StrEnum):
    HOME_VISIT = "home_visit"
    PUBLIC_PLACE = "public_place"
    PHONE = "phone"
    VIDEO_ONLINE = "video_online"
    OFFICE = "office"
    PARTNER_AGENCY = "partner_agency"
    LIFT_PRACTICAL = "lift_practical"
    WELFARE_HELP = "welfare_help"
    ACTIVITY = "activity"


class Outcome(enum.StrEnum):
    KEPT = "kept"
    NOT_AT_HOME = "not_at_home"
    DID_NOT_ATTEND = "did_not_attend"
    REFUSED = "refused"


class Pathway(enum.StrEnum):
    ACCOMMODATION = "accommodation"
    EDUCATION_TRAINING_EMPLOYMENT = "education_training_employment"
    HEALTH = "health"
    DRUGS_ALCOHOL = "drugs_alcohol"
    CHILDREN_FAMILIES = "children_families"
    FINANCE_BENEFITS_DEBT = "finance_benefits_debt"
    ATTITUDES_THINKING_BEHAVIOUR = "attitudes_thinking_behaviour"


class Team(Model):
    __tablename__ = "teams"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("default_fixed BETWEEN 0 AND 14", name="default_fixed_range"),
        CheckConstraint("default_flex BETWEEN 0 AND 14", name="default_flex_range"),
        CheckConstraint("default_free BETWEEN 0 AND 14", name="default_free_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    force_area: Mapped[str] = mapped_column(String(120))
    community_safety_partnership: Mapped[str | None] = mapped_column(String(120))
    default_fixed: Mapped[int] = mapped_column(Integer, default=3)
    default_flex: Mapped[int] = mapped_column(Integer, default=1)
    default_free: Mapped[int] = mapped_column(Integer, default=0)
    correction_window_days: Mapped[int] = mapped_column(Integer, default=7)
    late_entry_days: Mapped[int] = mapped_column(Integer, default=14)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    default_history: Mapped[list[TeamDefaults]] = relationship(
        back_populates="team", order_by="TeamDefaults.effective", cascade="all, delete-orphan"
    )

    def newest_default_levels(self) -> dict[Category, int]:
        """The levels last set (also what counts for every week while no change is recorded)."""
        return {
            Category.FIXED: self.default_fixed,
            Category.FLEX: self.default_flex,
            Category.FREE: self.default_free,
        }

    def default_levels(self) -> Defaults:
        """The levels each week is counted by: from the recorded changes once there are any."""
        if not self.default_history:
            return self.newest_default_levels()
        return DefaultsHistory([DefaultsPeriod(change.effective, change.levels()) for change in self.default_history])


class TeamDefaults(Model):
    """A team's default levels, in force from the week beginning ``effective``.

    The first row of a team's history (``effective`` = ``SINCE_THE_START``) keeps the levels
    that applied before its first recorded change, so changing a default never rewrites
    the weeks already counted.
    """

    __tablename__ = "team_defaults"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("team_id", "effective"),
        CheckConstraint("fixed BETWEEN 0 AND 14", name="fixed_range"),
        CheckConstraint("flex BETWEEN 0 AND 14", name="flex_range"),
        CheckConstraint("free BETWEEN 0 AND 14", name="free_range"),
    )

    SINCE_THE_START = date(1, 1, 1)  # a Monday

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    effective: Mapped[date] = mapped_column(Date)
    fixed: Mapped[int] = mapped_column(Integer)
    flex: Mapped[int] = mapped_column(Integer)
    free: Mapped[int] = mapped_column(Integer)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship(back_populates="default_history")
    set_by: Mapped[User | None] = relationship()

    def levels(self) -> dict[Category, int]:
        return {Category.FIXED: self.fixed, Category.FLEX: self.flex, Category.FREE: self.free}


class User(UserMixin, Model):
    __tablename__ = "users"
    __audited__ = True
    __audit_exclude__ = frozenset({"password_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    agency: Mapped[Agency] = mapped_column(str_enum(Agency, "agency"))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    language: Mapped[Language] = mapped_column(str_enum(Language, "language"), default=Language.ENGLISH)
    # None until the user sets a password with their one-time link (app/account/links.py).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def invited(self) -> bool:
        """Invited, and has not yet set a password with the one-time link."""
        return self.password_hash is None

    @property
    def is_supervisor(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)


class Person(Model):
    """A person under supervision in a local IOM cohort."""

    __tablename__ = "people"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="leaves_after_joining"),
        # Unique within Wales, whatever the team (migration 0007).
        Index("uq_people_delius_crn", "delius_crn", unique=True),
        Index("uq_people_niche_ref", "niche_ref", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(120))
    delius_crn: Mapped[str | None] = mapped_column(String(20))
    niche_ref: Mapped[str | None] = mapped_column(String(40))
    category: Mapped[Category] = mapped_column(str_enum(Category, "category"))
    rag: Mapped[Rag] = mapped_column(str_enum(Rag, "rag"))
    lead_agency: Mapped[Agency] = mapped_column(str_enum(Agency, "lead_agency"))
    offender_manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    wisdom: Mapped[bool] = mapped_column(Boolean, default=False)
    mappa: Mapped[bool] = mapped_column(Boolean, default=False)
    y2a: Mapped[bool] = mapped_column(Boolean, default=False)
    y2a_minimum_ends: Mapped[date | None] = mapped_column(Date)
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    left_reason: Mapped[DeselectionReason | None] = mapped_column(
        str_enum(DeselectionReason, "left_reason")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # How the current period in the cohort ended (migration 0007): the toolkit's criteria
    # that applied, the exit strategy, and why a Y2A minimum was cut short. Earlier
    # periods keep theirs in ``cohort_periods``.
    left_criteria: Mapped[list[str] | None] = mapped_column(JSON)
    exit_strategy: Mapped[str | None] = mapped_column(Text)
    y2a_early_reason: Mapped[str | None] = mapped_column(Text)

    team: Mapped[Team] = relationship()
    offender_manager: Mapped[User | None] = relationship()


class CohortPeriod(Model):
    """An earlier period of a person in a team's cohort: ``started_on`` <= day < ``ended_on``.

    The current period is the person's own ``team_id``/``joined_on``/``left_on``; a row is
    written here when that period is closed by a transfer (the old team keeps its weeks)
    or followed by a re-admission. ``ended_by`` is ``transfer`` or ``deselection``.
    """

    __tablename__ = "cohort_periods"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("ended_on >= started_on", name="ends_after_start"),
        Index("ix_cohort_periods_team_person", "team_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date] = mapped_column(Date)
    ended_by: Mapped[str] = mapped_column(String(20))
    left_reason: Mapped[DeselectionReason | None] = mapped_column(str_enum(DeselectionReason, "left_reason"))
    left_criteria: Mapped[list[str] | None] = mapped_column(JSON)
    exit_strategy: Mapped[str | None] = mapped_column(Text)
    y2a_early_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship()


class CategoryChange(Model):
    """Category history: the category from ``effective`` until the next change."""

    __tablename__ = "category_changes"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    category: Mapped[Category] = mapped_column(str_enum(Category, "category"))
    effective: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    changed_by: Mapped[User | None] = relationship()


class RagChange(Model):
    __tablename__ = "rag_changes"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    rag: Mapped[Rag] = mapped_column(str_enum(Rag, "rag"))
    effective: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    changed_by: Mapped[User | None] = relationship()


class RequirementReview(Model):
    """An individual review of how many contacts a week a person needs."""

    __tablename__ = "requirement_reviews"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("contacts_per_week BETWEEN 0 AND 14", name="contacts_per_week_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    effective: Mapped[date] = mapped_column(Date)
    contacts_per_week: Mapped[int] = mapped_column(Integer)
    risk: Mapped[str] = mapped_column(Text)
    needs: Mapped[str] = mapped_column(Text)
    responses_to_supervision: Mapped[str] = mapped_column(Text)
    progress_towards_rehabilitation: Mapped[str] = mapped_column(Text)
    difficulties_attending: Mapped[str] = mapped_column(Text)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    next_review_due: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reviewer: Mapped[User | None] = relationship()


class Pause(Model):
    """Days on which no contact is required: ``start`` <= day < ``end``."""

    __tablename__ = "pauses"
    __audited__ = True
    __table_args__ = (CheckConstraint('"end" IS NULL OR "end" >= start', name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[PauseReason] = mapped_column(str_enum(PauseReason, "pause_reason"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Contact(Model):
    """One contact with a person. Its id is made by the phone that recorded it."""

    __tablename__ = "contacts"
    __audited__ = True
    __table_args__ = (
        CheckConstraint(
            "duration_minutes IS NULL OR duration_minutes BETWEEN 0 AND 1440",
            name="duration_range",
        ),
        # Both weekly-count indexes cover every column the counts read, so counting
        # never visits the table itself (see benchmarks/week_view_bench.py).
        # ``same_as_id`` is in both: a joint meeting's second record is left out of the counts.
        Index("ix_contacts_person_week", "person_id", "occurred_week", "voided", "outcome", "type", "team_id",
              "same_as_id"),
        Index("ix_contacts_week_person", "occurred_week", "person_id", "voided", "outcome", "type", "same_as_id"),
        Index("ix_contacts_team_week", "team_id", "occurred_week"),
        # The other officers' records of a person around a time: a joint meeting's records.
        Index("ix_contacts_person_time", "person_id", "occurred_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    recorder_agency: Mapped[Agency] = mapped_column(str_enum(Agency, "recorder_agency"))
    type: Mapped[ContactType] = mapped_column(str_enum(ContactType, "contact_type"))
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, "outcome"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The Monday of the Europe/London week it happened in, derived once on storing
    # so that weekly counts are a plain GROUP BY on both databases.
    occurred_week: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    pathways: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    others_present: Mapped[str | None] = mapped_column(String(500))
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    concern: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    clock_skew: Mapped[bool] = mapped_column(Boolean, default=False)
    content_sha256: Mapped[str] = mapped_column(String(64))
    # The hash of the content as first received: a phone that re-sends that version
    # after a correction is told its record arrived (see app.contacts.operations).
    received_sha256: Mapped[str] = mapped_column(String(64))
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str | None] = mapped_column(Text)
    correction_reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Joint contacts (app.domain.joint, migration 0013): the colleagues of the person's team
    # the recorder says were there (user ids, sorted), and, for a second officer's record
    # of a meeting already recorded, the record that counts for it.
    colleague_ids: Mapped[list[int]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    same_as_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contacts.id"))

    person: Mapped[Person] = relationship()
    recorded_by: Mapped[User] = relationship()

    @property
    def counts(self) -> bool:
        """Counted for the person: not voided, and not a second record of a joint meeting."""
        return not self.voided and self.same_as_id is None

    @property
    def joint(self) -> bool:
        return bool(self.colleague_ids) or self.same_as_id is not None

    @property
    def kept(self) -> bool:
        return self.outcome == Outcome.KEPT


class PossibleDuplicateDismissal(Model):
    """A supervisor's answer that two records found "possibly the same contact" are not.

    The pair is kept in id order (``first_id`` < ``second_id``) so it is stored once. A
    confirmation is not kept here: it links the records (``Contact.same_as_id``).
    """

    __tablename__ = "possible_duplicate_dismissals"
    __audited__ = True
    __table_args__ = (UniqueConstraint("first_id", "second_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    first_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"))
    second_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"))
    dismissed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoredPersonWeek(Model):
    """A person's required level and status in one week, kept by ``app.person_weeks``.

    Derived data, never edited by hand: every flush that changes what the rules read
    (category, reviews, pauses, RAG, joining and leaving, team defaults) recomputes the
    person's rows in the same transaction, so the week views read them instead of
    re-running the rules. ``flask rebuild-person-weeks --check`` compares them with the
    rules computed from scratch.
    """

    __tablename__ = "person_weeks"
    __table_args__ = (
        # The all-Wales summary reads one week for everyone from this index alone.
        Index("ix_person_weeks_week", "week", "team_id", "person_id", "required", "category"),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    week: Mapped[date] = mapped_column(Date, primary_key=True)  # the Monday
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    required: Mapped[int] = mapped_column(Integer)  # pro-rated for the days in the cohort and not paused
    category: Mapped[Category | None] = mapped_column(str_enum(Category, "category"))  # in force that week
    rag: Mapped[Rag] = mapped_column(str_enum(Rag, "rag"))  # in force that week
    # Why the week is pro-rated, when a pause touches it (custody, hospital, other).
    paused: Mapped[PauseReason | None] = mapped_column(str_enum(PauseReason, "pause_reason"))


class AuditEvent(Model):
    """Append-only record of who changed what. Written only by ``app.audit``."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    team_id: Mapped[int | None] = mapped_column(Integer, index=True)
    person_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


class SignInSession(Model):
    """One sign-in on one device. Signing out deletes it, so a copied cookie stops working.

    The cookie holds a random token; only its SHA-256 is stored here.
    """

    __tablename__ = "sign_in_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What the user's own page shows of each sign-in: the browser's User-Agent and the address.
    user_agent: Mapped[str | None] = mapped_column(String(400))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    # The phone this sign-in reported from (its device report, app/devices), and when the
    # sign-in was revoked with that device: a revoked sign-in no longer signs anyone in, and
    # its next request is answered 401 "revoked" (then the row goes).
    device_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("devices.id", ondelete="SET NULL"), index=True
    )
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Device(Model):
    """The latest report of one phone (app/devices): not a log, and never a location.

    Its id is made on the phone (static/js/device.js). ``user_id`` and ``team_id`` are who
    last signed in on it and their team then (for team scoping). ``oldest_unsent_at`` is on
    the server's clock: the phone's age of its oldest unsent record, counted back from when
    the report arrived, so a phone whose clock is wrong still shows the right age. Not
    audited row by row (a report every sync would flood the trail): its first sighting and
    its revocation are audit events (``app.devices.operations``).
    """

    __tablename__ = "devices"
    __table_args__ = (
        CheckConstraint("unsent >= 0 AND attention >= 0", name="counts_not_negative"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    app_version: Mapped[str | None] = mapped_column(String(40))
    user_agent: Mapped[str | None] = mapped_column(String(400))
    unsent: Mapped[int] = mapped_column(Integer, default=0)
    oldest_unsent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attention: Mapped[int] = mapped_column(Integer, default=0)
    storage_persisted: Mapped[bool | None] = mapped_column(Boolean)
    storage_usage: Mapped[int | None] = mapped_column(BigInteger)
    storage_quota: Mapped[int | None] = mapped_column(BigInteger)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class SealToken(Model):
    """A seal token given to one sign-in (app/sealing.py): only its SHA-256, kept for good.

    A record sealed on a phone carries the token inside its seal, so the server knows whose
    record it is whoever sends it, after a sign-out or a deactivation too. It identifies the
    user only: it never signs anyone in.
    """

    __tablename__ = "seal_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LinkPurpose(enum.StrEnum):
    INVITE = "invite"
    RESET = "reset"


class AccountLink(Model):
    """A one-time link with which a user sets their own password (an invitation or a reset).

    The link holds a random token; only its SHA-256 is stored, and never in the audit trail.
    It works once, until ``expires_at``; a newer link for the same user ends it.
    """

    __tablename__ = "account_links"
    __audited__ = True
    __audit_exclude__ = frozenset({"token_sha256"})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(str_enum(LinkPurpose, "link_purpose"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


# The key of the police liaison code before codes were kept per team and agency (migration
# 0016): audit events written earlier still name it.
POLICE_LIAISON = "police_liaison"


class DeliusCode(Model):
    """A team's own choice for one key of the Delius mapping (``app.domain.exports.KEYS``): a
    contact type code by agency and kind, an outcome code, or whether an absence is acceptable.
    A key with no row here goes by the default."""

    __tablename__ = "delius_codes"
    __audited__ = True
    __table_args__ = (UniqueConstraint("team_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship()


class ExportRun(Model):
    """One export for keying into Delius or Niche: who made it, when, for which team, what it
    covered, and (``contacts``) which version of each contact it carried, so the next run
    offers only what is new or changed. Written once; its audit event is the export's."""

    __tablename__ = "export_runs"
    __table_args__ = (Index("ix_export_runs_team_kind", "team_id", "kind", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    kind: Mapped[str] = mapped_column(String(16))  # delius or niche
    made_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_only: Mapped[bool] = mapped_column(Boolean, default=False)  # "new and changed since the last export"
    first_day: Mapped[date | None] = mapped_column(Date)  # the range asked for (a date-range run)
    last_day: Mapped[date | None] = mapped_column(Date)
    previous_run_id: Mapped[int | None] = mapped_column(ForeignKey("export_runs.id"))
    sensitive_notes: Mapped[bool] = mapped_column(Boolean, default=False)  # asked for, and allowed
    rows: Mapped[int] = mapped_column(Integer, default=0)

    made_by: Mapped[User] = relationship()
    contacts: Mapped[list[ExportRunContact]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="ExportRunContact.position"
    )


class ExportRunContact(Model):
    """One contact in an export run: the version sent (its content hash), and how it was marked."""

    __tablename__ = "export_run_contacts"

    run_id: Mapped[int] = mapped_column(ForeignKey("export_runs.id", ondelete="CASCADE"), primary_key=True)
    contact_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("contacts.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)
    content_sha256: Mapped[str] = mapped_column(String(64))
    voided: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16))  # new, corrected, voided, unchanged

    run: Mapped[ExportRun] = relationship(back_populates="contacts")
    contact: Mapped[Contact] = relationship()


class CaseloadVersion(Model):
    """A team's caseload version: raised in the same transaction as any change that alters
    what ``GET /api/v1/caseload`` answers (``app.versions``), so that an unchanged caseload is
    answered ``304`` from this one row. Not audited: it is a counter, not a record."""

    __tablename__ = "caseload_versions"

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)


class ContactChangeKey(Model):
    """The idempotency key of a correction, void or discard a phone sent, kept once it is applied,
    so that the same change sent again (its answer was lost) is answered as done, never applied twice.
    Not audited: the change it names has its own audit event."""

    __tablename__ = "contact_change_keys"

    key: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    contact_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    actor_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))  # correct, void, discard
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
class ConcernAcknowledgement(Model):
    """A concern raised on a contact, acknowledged by the person's offender manager or a
    supervisor of the team: from then on it is no longer an alert on their home screens.
    One a contact; who and when are kept here and in the audit trail (migration 0014)."""

    __tablename__ = "concern_acknowledgements"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    acknowledged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    acknowledged_by: Mapped[User] = relationship()


class PlanPathway(Model):
    """One pathway of a person's offender management plan (toolkit §6.2): the need, and what
    is being done about it. At most one row a pathway; no row is "not assessed" (migration 0018)."""

    __tablename__ = "plan_pathways"
    __audited__ = True
    __table_args__ = (UniqueConstraint("person_id", "pathway"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    pathway: Mapped[Pathway] = mapped_column(str_enum(Pathway, "pathway"))
    need: Mapped[Need] = mapped_column(str_enum(Need, "need"))
    work: Mapped[str | None] = mapped_column(Text)  # what is being done
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    updated_by: Mapped[User | None] = relationship()


class PlanAction(Model):
    """An action of a person's plan: owned by one user of the team or one partner agency (by
    name), due on a date, open until done or dropped; ``meeting_id`` when agreed at a meeting."""

    __tablename__ = "plan_actions"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("(owner_id IS NULL) <> (owner_agency IS NULL)", name="one_owner"),
        Index("ix_plan_actions_owner_status", "owner_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    pathway: Mapped[Pathway | None] = mapped_column(str_enum(Pathway, "pathway"))
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    owner_agency: Mapped[str | None] = mapped_column(String(120))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(str_enum(ActionStatus, "action_status"), default=ActionStatus.OPEN)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    person: Mapped[Person] = relationship()


class Meeting(Model):
    """A team's fortnightly IOM meeting on a day (toolkit §8.4–8.7, §9.1–9.2)."""

    __tablename__ = "meetings"
    __audited__ = True
    __table_args__ = (UniqueConstraint("team_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship()


class MeetingAttendance(Model):
    """Who came to a meeting for one agency (a partner agency by name): how many, and who."""

    __tablename__ = "meeting_attendance"
    __audited__ = True
    __table_args__ = (UniqueConstraint("meeting_id", "agency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    agency: Mapped[str] = mapped_column(String(120))
    attendees: Mapped[str | None] = mapped_column(Text)


class MeetingDecision(Model):
    """What a meeting decided about one person. The changes themselves go through their own
    operations (a RAG change, an allocation, a de-selection), each naming the meeting; this
    row says what was agreed, for the minutes and the next agenda ("last discussed")."""

    __tablename__ = "meeting_decisions"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    rag: Mapped[Rag] = mapped_column(str_enum(Rag, "rag"))
    lead_agency: Mapped[Agency] = mapped_column(str_enum(Agency, "lead_agency"))
    offender_manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deselected: Mapped[bool] = mapped_column(Boolean, default=False)
    criteria: Mapped[list[str] | None] = mapped_column(JSON)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship()
    offender_manager: Mapped[User | None] = relationship(foreign_keys=[offender_manager_id])
class Arrangement(Model):
    """A contact arranged ahead for a person (migration 0017). Its id is made by the client
    (the phone or the web form), so sending it again stores it once. Moving, cancelling and
    recording change this row; the audit trail keeps each earlier version with who, when and
    ``change_reason`` (``app.arrangements.history``). ``place`` is never shown on lists."""

    __tablename__ = "arrangements"
    __audited__ = True
    __table_args__ = (
        Index("ix_arrangements_team_starts", "team_id", "starts_at"),
        Index("ix_arrangements_officer_starts", "officer_id", "starts_at"),
        Index("ix_arrangements_person_starts", "person_id", "starts_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    type: Mapped[ContactType] = mapped_column(str_enum(ContactType, "arrangement_type"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str | None] = mapped_column(String(500))
    with_whom: Mapped[str | None] = mapped_column(String(500))
    arranged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[ArrangementState] = mapped_column(
        str_enum(ArrangementState, "arrangement_state"), default=ArrangementState.ARRANGED)
    cancelled_by: Mapped[CancelledBy | None] = mapped_column(str_enum(CancelledBy, "cancelled_by"))
    # Why it was last moved or cancelled (each earlier reason is in the audit trail).
    change_reason: Mapped[str | None] = mapped_column(Text)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contacts.id"), unique=True)
    # The hash of the content first received under the id: a replay is told it arrived.
    received_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship()
    officer: Mapped[User] = relationship(foreign_keys=[officer_id])
    arranged_by: Mapped[User] = relationship(foreign_keys=[arranged_by_id])
