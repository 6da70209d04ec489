"""Storing contacts: the one path that the web form, the sync API and the demo data share.

``sync_contacts`` stores a batch of contacts made on a phone (or typed into the web form),
each exactly once: idempotency comes from the primary key on the contact's id, through
``INSERT … ON CONFLICT (id) DO NOTHING`` (``app.bulk``), never from looking first. Ids that were not
inserted are then compared by hash with what is held: ``duplicate`` or ``conflict``.

``correct_contact`` and ``void_contact`` change a stored contact within the team's
correction window; the audit listener keeps the previous version.
"""

from __future__ import annotations

import enum
import uuid
from typing import cast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from flask_babel import gettext, lazy_gettext as _l
from sqlalchemy import Text, or_, select
from sqlalchemy import cast as sql_cast

from app import audit, bulk, permissions, versions
from app.contacts.canonical import canonical_content, content_hash, stored_content, truncate_to_millis
from app.domain.late import is_late
from app.domain import joint
from app.domain.joint import counted_record
from app.domain.weeks import local_date, week_start
from app.extensions import DbSession
from app.presenters import full_date_in_sentence
from app.models import Agency, Contact, ContactChangeKey, ContactType, Outcome, Person, Team, User, utcnow

# A contact may be up to this far ahead of the server's clock (phones' clocks drift a little).
FUTURE_TOLERANCE = timedelta(minutes=5)
# A device clock this far from the server's is flagged as wrong (the record is still stored).
CLOCK_SKEW_TOLERANCE = timedelta(minutes=10)

NOT_ON_CASELOAD = _l("This person is not on your caseload.")
IN_THE_FUTURE = _l(
    "The time of the contact is in the future. Check the date and time, and the clock on your phone."
)
ID_UNUSABLE = _l("This record cannot be stored under its id. Record the contact again as a new one.")
COLLEAGUE_NOT_IN_TEAM = _l("Each colleague must be a member of this person's team.")
COLLEAGUE_INACTIVE = _l("One of the colleagues no longer has an active account. Choose another.")
COLLEAGUE_IS_RECORDER = _l("You were there yourself: name only the colleagues who were with you.")


def after_leaving(left_on):
    """The refusal of a contact dated on or after the person's first day out of the cohort."""
    return gettext(
        "This person left the cohort on %(date)s. A contact on that day or later cannot be recorded;"
        " check the date, or re-admit the person first.",
        date=full_date_in_sentence(left_on),
    )


class Status(enum.StrEnum):
    CREATED = "created"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ContactInput:
    """One contact as recorded, with its types already checked (by the API or a form)."""

    contact_id: uuid.UUID
    person_id: int
    type: ContactType
    outcome: Outcome
    occurred_at: datetime
    recorded_at: datetime
    duration_minutes: int | None = None
    pathways: tuple[str, ...] = ()
    notes: str | None = None
    sensitive: bool = False
    concern: bool = False
    others_present: str | None = None
    colleague_ids: tuple[int, ...] = ()
    # The arrangement this contact is the outcome of (app.arrangements): not part of the
    # contact's content or hash; once the contact is stored the arrangement is marked recorded.
    arrangement_id: uuid.UUID | None = None


@dataclass
class SyncResult:
    """What happened to one submitted contact."""

    status: Status
    contact_id: uuid.UUID
    sha256: str | None = None
    received_at: datetime | None = None
    person_id: int | None = None
    occurred_at: datetime | None = None  # of a contact stored now
    # The canonical content held now: for a conflict, and for a duplicate of a version since corrected.
    stored: dict | None = None
    current_sha256: str | None = None
    corrected: bool = False
    voided: bool = False
    errors: dict = field(default_factory=dict)
    same_as: uuid.UUID | None = None  # created as a second record of a joint meeting already counted


def contact_row(
    *,
    contact_id: uuid.UUID,
    person_id: int,
    team_id: int,
    recorded_by_id: int,
    recorder_agency: Agency,
    late_entry_days: int,
    type: ContactType,
    outcome: Outcome,
    occurred_at: datetime,
    recorded_at: datetime,
    received_at: datetime,
    duration_minutes: int | None = None,
    pathways: Iterable[str] = (),
    notes: str | None = None,
    sensitive: bool = False,
    concern: bool = False,
    others_present: str | None = None,
    clock_skew: bool = False,
    colleague_ids: Iterable[int] = (),
    same_as_id: uuid.UUID | None = None,
) -> dict:
    """Every column of a new contact, with its derived fields (week, hash, late flag)."""
    colleagues = sorted(set(int(user_id) for user_id in colleague_ids))
    occurred_at = truncate_to_millis(occurred_at)
    pathways = sorted(str(pathway) for pathway in pathways)
    content = canonical_content(
        contact_id=contact_id,
        person_id=person_id,
        type=type,
        outcome=outcome,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        pathways=pathways,
        notes=notes,
        sensitive=sensitive,
        concern=concern,
        others_present=others_present,
        colleague_ids=colleagues,
    )
    sha256 = content_hash(content)
    return {
        "id": contact_id,
        "team_id": team_id,
        "person_id": person_id,
        "recorded_by_id": recorded_by_id,
        "recorder_agency": Agency(recorder_agency),
        "type": ContactType(type),
        "outcome": Outcome(outcome),
        "occurred_at": occurred_at,
        "occurred_week": week_start(occurred_at),
        "duration_minutes": duration_minutes,
        "pathways": pathways,
        "notes": notes or None,
        "others_present": others_present or None,
        "sensitive": bool(sensitive),
        "concern": bool(concern),
        "recorded_at": recorded_at,
        "received_at": received_at,
        "late": is_late(occurred_at, received_at, late_entry_days),
        "clock_skew": clock_skew,
        "content_sha256": sha256,
        "received_sha256": sha256,
        "voided": False,
        "void_reason": None,
        "correction_reason": None,
        "updated_at": None,
        "colleague_ids": colleagues,
        "same_as_id": same_as_id,
    }


def build_contact(
    *,
    contact_id: uuid.UUID,
    person: Person,
    recorded_by: User,
    type: ContactType,
    outcome: Outcome,
    occurred_at: datetime,
    recorded_at: datetime,
    received_at: datetime | None = None,
    duration_minutes: int | None = None,
    pathways: list[str] | tuple[str, ...] = (),
    notes: str | None = None,
    sensitive: bool = False,
    concern: bool = False,
    others_present: str | None = None,
    clock_skew: bool = False,
    colleague_ids: Iterable[int] = (),
    same_as_id: uuid.UUID | None = None,
) -> Contact:
    """A new contact (ORM object) with its derived fields set; the session's listener audits it."""
    row = contact_row(
        contact_id=contact_id,
        person_id=person.id,
        team_id=person.team_id,
        recorded_by_id=recorded_by.id,
        recorder_agency=recorded_by.agency,
        late_entry_days=person.team.late_entry_days,
        type=type,
        outcome=outcome,
        occurred_at=occurred_at,
        recorded_at=recorded_at,
        received_at=received_at or utcnow(),
        duration_minutes=duration_minutes,
        pathways=pathways,
        notes=notes,
        sensitive=sensitive,
        concern=concern,
        others_present=others_present,
        clock_skew=clock_skew,
        colleague_ids=colleague_ids,
        same_as_id=same_as_id,
    )
    return Contact(**row)


def device_clock_wrong(*, received_at: datetime, sent_at: datetime | None, recorded_at: datetime) -> bool:
    """The clock-skew rule, documented in the OpenAPI description.

    ``sent_at`` is the device's time at sending, so its distance from our receipt time is the
    device clock's error (plus the time in transit). ``recorded_at`` may be hours old for a
    record that waited offline, so on its own it can only show a clock that runs ahead.
    """
    if sent_at is not None and abs(sent_at - received_at) > CLOCK_SKEW_TOLERANCE:
        return True
    return recorded_at - received_at > CLOCK_SKEW_TOLERANCE


def sync_contacts(
    session: DbSession,
    actor: User,
    items: Sequence[ContactInput],
    *,
    received_at: datetime,
    sent_at: datetime | None = None,
    sender: User | None = None,
) -> list[SyncResult]:
    """Store each contact at most once; one result per item, in order. Does not commit.

    ``actor`` recorded them (their team, agency and ``recorded_by``); ``sender``, when another
    user sent them (records sealed under ``actor``'s seal token: ``app/contacts/sealed.py``),
    is who the audit trail names.

    - ``created``: stored now (its create event is written in the same transaction);
    - ``duplicate``: the id is held with this content, or this was the content first
      received under the id and it has been corrected or voided since: nothing changes;
    - ``conflict``: the id is held by this team with other content: nothing changes;
    - ``rejected``: the person is not on the actor's team's caseload, the time is in the
      future, or the id is held by another team (said without revealing anything about it).
    """
    team_id = actor.team_id
    late_entry_days = actor.team.late_entry_days  # the team is loaded with the signed-in user
    # The people of the actor's team among those named, and the day each left the cohort, in
    # one query: a contact dated on or after that day is refused (late entries before it are not).
    caseload, left_on = _caseload_and_leaving(session, team_id, {item.person_id for item in items})
    colleagues = _team_colleagues(session, team_id, {user_id for item in items for user_id in item.colleague_ids})
    results: list[SyncResult | None] = [None] * len(items)
    rows: dict[uuid.UUID, dict] = {}
    hashes: list[str | None] = [None] * len(items)
    in_the_future: set[int] = set()
    for index, item in enumerate(items):
        if item.occurred_at - received_at > FUTURE_TOLERANCE:
            in_the_future.add(index)  # refused below, once we know the person is on the caseload
            continue
        left = left_on.get(item.person_id)
        if left is not None and local_date(item.occurred_at) >= left:
            results[index] = SyncResult(Status.REJECTED, item.contact_id, errors={"occurred_at": after_leaving(left)})
            continue
        colleague_error = _colleague_error(item.colleague_ids, actor.id, colleagues)
        if colleague_error is not None and item.person_id in caseload:
            results[index] = SyncResult(Status.REJECTED, item.contact_id, errors={"colleague_ids": colleague_error})
            continue
        row = contact_row(
            contact_id=item.contact_id,
            person_id=item.person_id,
            team_id=team_id,
            recorded_by_id=actor.id,
            recorder_agency=actor.agency,
            late_entry_days=late_entry_days,
            type=item.type,
            outcome=item.outcome,
            occurred_at=item.occurred_at,
            recorded_at=item.recorded_at,
            received_at=received_at,
            duration_minutes=item.duration_minutes,
            pathways=item.pathways,
            notes=item.notes,
            sensitive=item.sensitive,
            concern=item.concern,
            others_present=item.others_present,
            clock_skew=device_clock_wrong(received_at=received_at, sent_at=sent_at, recorded_at=item.recorded_at),
            colleague_ids=item.colleague_ids,
        )
        hashes[index] = row["content_sha256"]
        rows.setdefault(item.contact_id, row)  # the first occurrence of an id in the batch

    inserted: set[uuid.UUID] = set()
    if rows:
        link_second_records(session, team_id, actor.id, list(rows.values()))
        # Sorted by id so that overlapping batches take their row locks in one order (no deadlocks).
        # One statement: only people of the actor's team, ids not held yet, and each one's audit event.
        ordered = [rows[key] for key in sorted(rows)]
        inserted = set(bulk.insert_new(
            session.connection(), Contact.__table__, ordered,
            parent=bulk.Parent("person_id", Person.__table__, "team_id", team_id),
            events=audit.CreateEvents(Contact, (sender or actor).id),
        ))
        if inserted:
            versions.touch(session, {team_id})

    created_rows = {}
    leftover = []
    for index, item in enumerate(items):
        if results[index] is not None:
            continue  # refused already (a contact dated after the person left)
        if item.contact_id in inserted and index not in in_the_future:
            inserted.discard(item.contact_id)  # later copies in the same batch are compared below
            row = rows[item.contact_id]
            created_rows[item.contact_id] = row
            results[index] = SyncResult(
                Status.CREATED, item.contact_id, sha256=row["content_sha256"], received_at=received_at,
                person_id=row["person_id"], occurred_at=row["occurred_at"], same_as=row["same_as_id"],
            )
        else:
            leftover.append(index)
    if not leftover:
        return results  # type: ignore[return-value]

    # Only when something was not stored: was it the person, the time, or an id already held?
    to_compare = []
    for index in leftover:
        item = items[index]
        if item.person_id not in caseload:
            results[index] = SyncResult(Status.REJECTED, item.contact_id, errors={"person_id": NOT_ON_CASELOAD})
        elif index in in_the_future:
            results[index] = SyncResult(Status.REJECTED, item.contact_id, errors={"occurred_at": IN_THE_FUTURE})
        else:
            to_compare.append(index)
    held = _held_by_team(session, team_id, [items[index].contact_id for index in to_compare])
    for index in to_compare:
        stored = held.get(items[index].contact_id)
        if stored is None:
            # Held by another team (a UUID collision, or a guessed id): refuse without saying more.
            results[index] = SyncResult(Status.REJECTED, items[index].contact_id, errors={"id": ID_UNUSABLE})
        else:
            results[index] = _compare(stored, hashes[index])
    return results  # type: ignore[return-value]


def _caseload_and_leaving(session: DbSession, team_id: int, person_ids: set[int]) -> tuple[set[int], dict]:
    """The people of the team among these, and the day each of them left (None: still in).

    Their rows are locked (``FOR NO KEY UPDATE``, in id order; nothing on SQLite, which has
    one writer) until the batch commits, so that two officers' records of one joint meeting
    arriving at the same moment are linked, not both counted: the second waits for the
    first and then sees it. The lock does not block the contacts' own foreign-key checks.
    """
    if not person_ids:
        return set(), {}
    left_on = {person_id: left for person_id, left in session.execute(
        select(Person.id, Person.left_on).where(Person.id.in_(person_ids), Person.team_id == team_id)
        .order_by(Person.id).with_for_update(key_share=True)
    )}
    return set(left_on), left_on


def _team_colleagues(session: DbSession, team_id: int, user_ids: set[int]) -> dict[int, bool]:
    """Of these users, those in the team, and whether each is active: one query, none when no ids."""
    if not user_ids:
        return {}
    rows = session.execute(select(User.id, User.active).where(User.id.in_(user_ids), User.team_id == team_id))
    return {user_id: active for user_id, active in rows}


def _colleague_error(colleague_ids: Sequence[int], recorder_id: int, colleagues: dict[int, bool]):
    """The first thing wrong with the colleagues named, or None."""
    if recorder_id in colleague_ids:
        return COLLEAGUE_IS_RECORDER
    if any(user_id not in colleagues for user_id in colleague_ids):
        return COLLEAGUE_NOT_IN_TEAM
    if not all(colleagues[user_id] for user_id in colleague_ids):
        return COLLEAGUE_INACTIVE
    return None


def _record(row) -> joint.Record:
    return joint.Record(
        id=row.id, person_id=row.person_id, occurred_at=row.occurred_at, recorded_by=row.recorded_by_id,
        colleagues=frozenset(row.colleague_ids or ()), voided=row.voided, same_as=row.same_as_id,
    )


# How a record naming no colleague holds its (empty) list, as stored by both paths (bulk.py's
# documents and the column's default): anything else may name someone.
NO_ONE = "[]"


def link_second_records(session: DbSession, team_id: int, recorder_id: int, rows: list[dict]) -> None:
    """Set ``same_as_id`` on each new row that is a second record of a meeting already stored.

    ``rows`` are new contacts' rows (``contact_row``) by one recorder; the records held of the
    same people by other officers around those times are read in one query
    (``ix_contacts_person_time``), and ``app.domain.joint.counted_record`` decides. Only records
    that could name each other with a new one are read: by an officer a new row names, or
    naming someone themselves (most records name no one). One span for the batch, not one for
    each row: a condition for each row cost more to build than the rows it kept out.
    """
    if not rows:
        return
    moments = [row["occurred_at"].astimezone(timezone.utc) for row in rows]  # real time across clock changes
    near_the_new_rows = [Contact.person_id.in_({row["person_id"] for row in rows}),
                         Contact.occurred_at.between(min(moments) - joint.JOINT_WINDOW, max(moments) + joint.JOINT_WINDOW)]
    named = {colleague for row in rows for colleague in row["colleague_ids"]}
    could_name_each_other = or_(Contact.recorded_by_id.in_(named), sql_cast(Contact.colleague_ids, Text) != NO_ONE)
    held: dict[int, list[joint.Record]] = {}
    for found in session.execute(
        select(Contact.id, Contact.person_id, Contact.occurred_at, Contact.recorded_by_id, Contact.colleague_ids,
               Contact.voided, Contact.same_as_id)
        .where(Contact.team_id == team_id, *near_the_new_rows, could_name_each_other, Contact.voided.is_(False),
               Contact.recorded_by_id != recorder_id)
    ):
        held.setdefault(found.person_id, []).append(_record(found))
    if not held:
        return
    for row in rows:
        candidates = held.get(row["person_id"])
        if candidates:
            new = joint.Record(row["id"], row["person_id"], row["occurred_at"], recorder_id,
                               frozenset(row["colleague_ids"]))
            row["same_as_id"] = counted_record(new, candidates)


def _held_by_team(session: DbSession, team_id: int, ids: list[uuid.UUID]) -> dict[uuid.UUID, Contact]:
    if not ids:
        return {}
    statement = select(Contact).where(Contact.id.in_(set(ids)), Contact.team_id == team_id)
    return {contact.id: contact for contact in session.scalars(statement)}


def _compare(stored: Contact, sha256: str | None) -> SyncResult:
    duplicate = SyncResult(
        Status.DUPLICATE, stored.id, sha256=sha256, received_at=stored.received_at, person_id=stored.person_id,
        corrected=stored.content_sha256 != stored.received_sha256, voided=stored.voided,
    )
    if sha256 == stored.content_sha256:
        return duplicate
    if sha256 == stored.received_sha256:
        # The phone re-sends what we received before someone corrected it (its first answer was lost).
        # It did arrive: tell it so with the hash of what it sent, so it can let the record go,
        # and show it the version held now.
        return replace(duplicate, stored=stored_content(stored), current_sha256=stored.content_sha256)
    return replace(duplicate, status=Status.CONFLICT, sha256=stored.content_sha256, stored=stored_content(stored))


def held_contacts(session: DbSession, actor: User, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Contact]:
    """The contacts with these ids that the actor's team holds; others' are as if missing."""
    return _held_by_team(session, actor.team_id, list(ids))


def find_contact(session: DbSession, actor: User, contact_id: uuid.UUID, *, for_update: bool = False) -> Contact | None:
    statement = select(Contact).where(Contact.id == contact_id, Contact.team_id == actor.team_id)
    if for_update:
        statement = statement.with_for_update()
    return session.scalar(statement)


# Corrections and voids ------------------------------------------------------------------

CORRECTABLE_FIELDS = (
    "person_id",
    "type",
    "outcome",
    "occurred_at",
    "duration_minutes",
    "pathways",
    "notes",
    "sensitive",
    "concern",
    "others_present",
)


class Refusal(enum.StrEnum):
    NOT_FOUND = "not_found"
    NOT_ALLOWED = "forbidden"
    WINDOW_CLOSED = "correction_window_closed"
    VOIDED = "voided"
    STALE = "stale"
    INVALID = "invalid"


class ChangeRefused(Exception):
    """A correction or void that cannot be made; ``refusal`` says why."""

    def __init__(self, refusal: Refusal, *, contact: Contact | None = None, errors: dict | None = None,
                 window_days: int | None = None):
        super().__init__(refusal.value)
        self.refusal = refusal
        self.contact = contact
        self.errors = errors or {}
        self.window_days = window_days


def _changeable(session: DbSession, actor: User, contact_id: uuid.UUID, now: datetime,
                expected_sha256: str | None, ability: str) -> tuple[Contact, Team]:
    contact = find_contact(session, actor, contact_id, for_update=True)
    if contact is None:
        raise ChangeRefused(Refusal.NOT_FOUND)
    if not permissions.may(actor, ability, contact):
        raise ChangeRefused(Refusal.NOT_ALLOWED)
    team = session.get(Team, contact.team_id)
    if team is None:  # a contact's team is a foreign key: never missing
        raise ChangeRefused(Refusal.NOT_FOUND)
    if not permissions.correction_window_open(contact.received_at, team.correction_window_days, now):
        raise ChangeRefused(Refusal.WINDOW_CLOSED, window_days=team.correction_window_days)
    if expected_sha256 is not None and expected_sha256 != contact.content_sha256:
        raise ChangeRefused(Refusal.STALE, contact=contact)
    return contact, team


def correct_contact(
    session: DbSession,
    actor: User,
    contact_id: uuid.UUID,
    changes: dict,
    *,
    now: datetime,
    reason: str | None = None,
    expected_sha256: str | None = None,
) -> tuple[Contact, set[int]]:
    """Change a contact's content. Returns it and the ids of the people whose counts may change.

    ``changes`` maps names in ``CORRECTABLE_FIELDS`` to values of the right types. Nothing
    is written when nothing differs; otherwise the hash, week and late flag are derived
    again and the audit event (labelled ``correct``) keeps the previous values.
    """
    contact, team = _changeable(session, actor, contact_id, now, expected_sha256, "correct_contact")
    if contact.voided:
        raise ChangeRefused(Refusal.VOIDED, contact=contact)
    touched = {contact.person_id}
    errors = {}
    if "person_id" in changes and changes["person_id"] != contact.person_id:
        person = session.scalar(
            select(Person.id).where(Person.id == changes["person_id"], Person.team_id == contact.team_id)
        )
        if person is None:
            errors["person_id"] = NOT_ON_CASELOAD
    if "occurred_at" in changes and changes["occurred_at"] - now > FUTURE_TOLERANCE:
        errors["occurred_at"] = IN_THE_FUTURE
    if errors:
        raise ChangeRefused(Refusal.INVALID, errors=errors)

    values = {key: changes[key] for key in CORRECTABLE_FIELDS if key in changes}
    if "occurred_at" in values:
        values["occurred_at"] = truncate_to_millis(values["occurred_at"])
    if "pathways" in values:
        values["pathways"] = sorted(values["pathways"])
    for key in ("notes", "others_present"):
        if key in values:
            values[key] = values[key] or None
    changed = {key: value for key, value in values.items() if getattr(contact, key) != value}
    if not changed:
        return contact, touched
    for key, value in changed.items():
        setattr(contact, key, value)
    if "person_id" in changed:
        hand_on_count(session, contact, now=now)
    contact.occurred_week = week_start(contact.occurred_at)
    contact.late = is_late(contact.occurred_at, contact.received_at, team.late_entry_days)
    contact.content_sha256 = content_hash(stored_content(contact))
    contact.correction_reason = reason or None
    contact.updated_at = now
    audit.label(contact, "correct")
    session.flush()
    touched.add(contact.person_id)
    return contact, touched


def void_contact(
    session: DbSession,
    actor: User,
    contact_id: uuid.UUID,
    *,
    now: datetime,
    reason: str,
    expected_sha256: str | None = None,
) -> Contact:
    """Mark a contact as recorded in error: it then counts nowhere. Voiding twice changes nothing."""
    contact, _team = _changeable(session, actor, contact_id, now, expected_sha256, "void_contact")
    if contact.voided:
        return contact
    contact.voided = True
    contact.void_reason = reason
    contact.updated_at = now
    audit.label(contact, "void")
    hand_on_count(session, contact, now=now)
    session.flush()
    return contact


# Changes sent from a phone: each applied once, by its idempotency key --------------------


def applied_change(session: DbSession, actor: User, key: uuid.UUID | None) -> ContactChangeKey | None:
    """The change this key named, if it was applied already (for the actor's team): send it again, nothing changes."""
    if key is None:
        return None
    return session.scalar(
        select(ContactChangeKey).where(ContactChangeKey.key == key, ContactChangeKey.team_id == actor.team_id)
    )


def keep_change_key(session: DbSession, actor: User, key: uuid.UUID | None, contact_id: uuid.UUID, action: str,
                    now: datetime) -> None:
    """Keep the key with the change it applied, in the same transaction."""
    if key is not None:
        session.add(ContactChangeKey(key=key, team_id=actor.team_id, contact_id=contact_id, actor_id=actor.id,
                                     action=action, created_at=now))
        session.flush()


class DiscardOutcome(enum.StrEnum):
    DISCARDED = "discarded"  # reported now (audited)
    ALREADY = "already_reported"  # reported before: nothing changes
    HELD = "held"  # the server holds a contact under this id: it was sent, not discarded


def report_discarded(session: DbSession, actor: User, *, contact_id: uuid.UUID, person_id: int, type: ContactType,
                     occurred_at: str, reason: str, now: datetime) -> DiscardOutcome:
    """A record its officer discarded on the phone before it was ever sent: audited once per id.

    It is the only way a record leaves a phone unsent, so the trail says who discarded which
    record, of whom, when it happened, and why. The person is named only if on the actor's team.
    """
    if find_contact(session, actor, contact_id) is not None:
        return DiscardOutcome.HELD
    if applied_change(session, actor, contact_id) is not None:
        return DiscardOutcome.ALREADY
    person = session.scalar(select(Person.id).where(Person.id == person_id, Person.team_id == actor.team_id))
    audit.record(
        session, "discard", Contact.__tablename__, entity_id=str(contact_id), team_id=actor.team_id, person_id=person,
        actor_id=actor.id,
        after={"reason": reason, "type": ContactType(type).value, "occurred_at": occurred_at,
               "person_id": person},
    )
    keep_change_key(session, actor, contact_id, contact_id, "discard", now)
    return DiscardOutcome.DISCARDED
def meeting_records(session: DbSession, contact: Contact) -> list[Contact]:
    """Every record of the joint meeting this contact belongs to, this one included, oldest first."""
    counted_id = contact.same_as_id or contact.id
    return list(session.scalars(
        select(Contact).where(
            Contact.team_id == contact.team_id,
            (Contact.id == counted_id) | (Contact.same_as_id == counted_id),
        ).order_by(Contact.occurred_at, Contact.id)
    ))


def hand_on_count(session: DbSession, contact: Contact, *, now: datetime) -> None:
    """After ``contact`` stops counting for its meeting (voided, or moved to another person),
    the earliest other record of the meeting left counts instead, and the others are linked
    to that one; so voiding either officer's copy never loses the meeting, nor counts it twice.

    A second record that stops being one is simply unlinked when moved to another person.
    """
    if contact.same_as_id is not None:
        if not contact.voided:  # moved to another person: its own contact now
            contact.same_as_id = None
        return
    with session.no_autoflush:  # one flush, so the contact's own change is one audit event
        others = list(session.scalars(
            select(Contact).where(Contact.same_as_id == contact.id, Contact.team_id == contact.team_id)
            .order_by(Contact.occurred_at, Contact.id)
        ))
    if not others:
        return
    chosen = joint.successor([_record(record) for record in others])
    counted_id = cast(uuid.UUID, chosen) if chosen is not None else others[0].id  # the domain's ids are any hashable
    for record in others:
        record.same_as_id = None if record.id == counted_id else counted_id
        record.updated_at = now
        audit.label(record, "recount")
    if contact.voided:
        contact.same_as_id = counted_id  # stays one of the meeting's records, for its history
