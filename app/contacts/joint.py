"""Joint contacts as the screens and exports see them (the rules are ``app.domain.joint``).

- ``joint_details`` / ``officers_present``: who was at each contact (every officer named by
  any record of the meeting), who recorded it, and which agency it counts for; the
  contact log, the person page and the exports show a joint contact under each of them.
- ``listed``: the condition that shows each meeting once in a list of contacts (a second
  officer's record is folded into the record that counts; voided records stay visible).
- ``possible_duplicates``: records of the same person by different officers, close in
  time, who did not name each other, for the supervisor's week view to confirm or dismiss
  (``confirm_same``, ``dismiss_possible``, both audited).
"""

from __future__ import annotations

import uuid
from typing import cast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app import audit, versions
from app.contacts.operations import _record
from app.domain import joint
from app.domain.weeks import local_midnight_utc, week_start
from app.extensions import DbSession
from app.models import Agency, Contact, Person, PossibleDuplicateDismissal, User


@dataclass(frozen=True, slots=True)
class Officer:
    id: int
    name: str
    agency: Agency


@dataclass(frozen=True)
class JointDetails:
    """One contact's meeting: who was there (its recorder first) and who recorded it."""

    officers: tuple[Officer, ...]
    recorders: tuple[Officer, ...]
    counts_for: joint.CountsFor
    counted_id: uuid.UUID  # the record of the meeting that counts
    second_record: bool  # this record is linked to another that counts

    @property
    def joint(self) -> bool:
        return len(self.officers) > 1

    @property
    def recorded_by_both(self) -> bool:
        """More than one officer recorded it (each has a copy; it counts once)."""
        return len(self.recorders) > 1

    def recorded_by(self, user_id: int) -> bool:
        return any(officer.id == user_id for officer in self.recorders)

    def colleagues_of(self, user_id: int) -> tuple[Officer, ...]:
        return tuple(officer for officer in self.officers if officer.id != user_id)


def listed():
    """Each meeting once: every record but a second record that is not voided."""
    return or_(Contact.same_as_id.is_(None), Contact.voided.is_(True))


def joint_details(session: DbSession, contacts: Sequence[Contact]) -> dict[uuid.UUID, JointDetails]:
    """Each contact's ``JointDetails``: two queries, whatever the number of contacts."""
    if not contacts:
        return {}
    counted_ids = {contact.same_as_id or contact.id for contact in contacts}
    meetings: dict[uuid.UUID, list] = {}
    for row in session.execute(
        select(Contact.id, Contact.recorded_by_id, Contact.colleague_ids, Contact.same_as_id, Contact.voided,
               Contact.occurred_at)
        .where(or_(Contact.id.in_(counted_ids), Contact.same_as_id.in_(counted_ids)))
        .order_by(Contact.received_at, Contact.id)
    ):
        meetings.setdefault(row.same_as_id or row.id, []).append(row)
    user_ids = {contact.recorded_by_id for contact in contacts}
    for rows in meetings.values():
        for row in rows:
            user_ids.add(row.recorded_by_id)
            user_ids.update(row.colleague_ids or ())
    users = {
        row.id: Officer(row.id, row.name, row.agency)
        for row in session.execute(select(User.id, User.name, User.agency).where(User.id.in_(user_ids)))
    }
    details = {}
    for contact in contacts:
        counted_id = contact.same_as_id or contact.id
        rows = meetings.get(counted_id, [])
        live = [row for row in rows if not row.voided] or rows
        recorder_ids = _unique([contact.recorded_by_id] + [row.recorded_by_id for row in live])
        present = _unique(recorder_ids + [user_id for row in live for user_id in (row.colleague_ids or ())])
        officers = tuple(users[user_id] for user_id in present if user_id in users)
        details[contact.id] = JointDetails(
            officers=officers,
            recorders=tuple(users[user_id] for user_id in recorder_ids if user_id in users
                            and any(row.recorded_by_id == user_id for row in live)) or officers[:1],
            counts_for=joint.counts_for(officer.agency.value for officer in officers),
            counted_id=counted_id,
            second_record=contact.same_as_id is not None and not contact.voided,
        )
    return details


def officers_present(session: DbSession, contact: Contact) -> list[Officer]:
    """Everyone who was at this contact, its recorder first (for an export's rows)."""
    return list(joint_details(session, [contact])[contact.id].officers)


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


# Possibly the same contact -----------------------------------------------------------------


@dataclass(frozen=True)
class PossiblePair:
    person: Person
    first: Contact
    second: Contact


def possible_duplicates(session: DbSession, team_id: int, week: date) -> list[PossiblePair]:
    """Pairs of counted records in the week (by London date) of the same person by different
    officers within ``JOINT_WINDOW`` who did not name each other, not dismissed: by time.

    One narrow query over the week's records (the columns the rule reads); the few records in
    pairs, their people and recorders are loaded only when there are any.
    """
    start = local_midnight_utc(week)
    end = local_midnight_utc(week + timedelta(days=7))
    earliest, latest = start - joint.JOINT_WINDOW, end + joint.JOINT_WINDOW
    by_person: dict[int, list[joint.Record]] = {}
    for row in session.execute(
        select(Contact.id, Contact.person_id, Contact.occurred_at, Contact.recorded_by_id, Contact.colleague_ids,
               Contact.voided, Contact.same_as_id)
        .where(
            Contact.team_id == team_id, Contact.voided.is_(False), Contact.same_as_id.is_(None),
            # The weeks those instants fall in, so that the team's week index reads only them
            # rather than every contact the team ever had (the instants decide; this only narrows).
            Contact.occurred_week.between(week_start(earliest), week_start(latest)),
            Contact.occurred_at >= earliest, Contact.occurred_at < latest,
        ).order_by(Contact.person_id, Contact.occurred_at, Contact.id)
    ):
        by_person.setdefault(row.person_id, []).append(_record(row))
    pairs: list[tuple[joint.Record, joint.Record]] = []
    for records in by_person.values():
        for index, first in enumerate(records):
            for second in records[index + 1:]:
                if joint.apart(first.occurred_at, second.occurred_at) > joint.JOINT_WINDOW:
                    break
                in_week = start <= first.occurred_at < end or start <= second.occurred_at < end
                if in_week and joint.possibly_same(first, second):
                    pairs.append((first, second))
    if not pairs:
        return []
    dismissed = _dismissed(session, [(first.id, second.id) for first, second in pairs])
    pairs = [(first, second) for first, second in pairs if _key(first.id, second.id) not in dismissed]
    if not pairs:
        return []
    contacts = {contact.id: contact for contact in session.scalars(
        select(Contact).where(Contact.id.in_({record.id for pair in pairs for record in pair}))
        .options(joinedload(Contact.person), joinedload(Contact.recorded_by))  # one statement: a few records
    )}
    return [
        PossiblePair(contacts[cast(uuid.UUID, first.id)].person, contacts[cast(uuid.UUID, first.id)],
                     contacts[cast(uuid.UUID, second.id)]) for first, second in pairs
    ]


def _key(one, other) -> tuple[uuid.UUID, uuid.UUID]:
    return (one, other) if str(one) < str(other) else (other, one)


def _dismissed(session: DbSession, pairs: Sequence[tuple]) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """Which of these pairs of ids (either order) a supervisor has dismissed."""
    keys = {_key(one, other) for one, other in pairs}
    # By the first ids (the unique index's first column), then the exact pairs here: a short
    # IN list rather than a condition that grows by a pair of comparisons for every pair.
    rows = session.execute(
        select(PossibleDuplicateDismissal.first_id, PossibleDuplicateDismissal.second_id)
        .where(PossibleDuplicateDismissal.first_id.in_({one for one, _ in keys}))
    )
    return {(row.first_id, row.second_id) for row in rows} & keys


class PairGone(Exception):
    """The two records are no longer possibly the same (voided, linked, or another team's)."""


def _pair(session: DbSession, team_id: int, one: uuid.UUID, other: uuid.UUID) -> tuple[Contact, Contact]:
    found = {contact.id: contact for contact in session.scalars(
        select(Contact).where(Contact.id.in_({one, other}), Contact.team_id == team_id)
        .order_by(Contact.id).with_for_update()
    )}
    if len(found) != 2 or one == other:
        raise PairGone
    first, second = sorted(found.values(), key=lambda contact: (contact.received_at, str(contact.id)))
    if not joint.possibly_same(_record(first), _record(second)):
        raise PairGone
    return first, second


def confirm_same(session: DbSession, actor: User, one: uuid.UUID, other: uuid.UUID, *, now: datetime,
                 team_id: int) -> Contact:
    """Link two records of ``team_id`` as one contact: the later received is a second record of
    the first. Returns the second record. Audited (``confirm_same``); the caller commits and
    has checked that the actor may act for the team. ``PairGone`` if they are not a pair now.
    """
    first, second = _pair(session, team_id, one, other)
    with session.no_autoflush:
        linked = list(session.scalars(select(Contact).where(Contact.same_as_id == second.id)))
    for record in [second, *linked]:  # records already linked to the second now go with the first
        record.same_as_id = first.id
        record.updated_at = now
        audit.label(record, "confirm_same")
    session.flush()
    versions.touch(session, {team_id})
    return second


def dismiss_possible(session: DbSession, actor: User, one: uuid.UUID, other: uuid.UUID, *,
                     team_id: int) -> PossibleDuplicateDismissal:
    """Record that the two are different contacts, so they are not listed again. Audited."""
    first, second = _pair(session, team_id, one, other)
    low, high = _key(first.id, second.id)
    if (low, high) in _dismissed(session, [(first.id, second.id)]):
        raise PairGone  # dismissed already (two supervisors at once): nothing more to do
    dismissal = PossibleDuplicateDismissal(
        team_id=team_id, person_id=first.person_id, first_id=low, second_id=high, dismissed_by_id=actor.id
    )
    session.add(dismissal)
    session.flush()
    return dismissal


def colleagues_for(session: DbSession, user: User) -> list[Officer]:
    """The active colleagues of the user's team a contact can name: the other agency's first,
    then by name (the caller sorts names in the user's language; here by agency only)."""
    rows = session.execute(
        select(User.id, User.name, User.agency)
        .where(User.team_id == user.team_id, User.active.is_(True), User.id != user.id)
    )
    return [Officer(row.id, row.name, row.agency) for row in rows]


def other_agency_first(officers: Iterable[Officer], agency: Agency, name_key) -> list[Officer]:
    """The other agency's officers first, then one's own agency's, each by name."""
    return sorted(officers, key=lambda officer: (officer.agency == agency, name_key(officer.name), officer.id))
