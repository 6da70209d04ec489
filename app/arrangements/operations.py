"""Arranging contacts ahead: the one path the web forms, the sync API and the demo data share.

``arrange`` stores arrangements made on a phone or typed into the web form, each exactly once
by its own id (made by the client): sent again with the same content it is a ``duplicate``;
under the same id with other content a ``conflict``; nothing changes in either case.

``move``, ``cancel`` and ``record_outcome`` change an open arrangement. Each change is audited
with its own action (``move``, ``cancel``, ``record``) and the reason in ``change_reason``, so
the audit trail keeps every earlier version with who, when and why (``app.arrangements.history``).
Recording the outcome stores the contact through ``app.contacts.operations.sync_contacts``,
the one contact-storing path, and links the arrangement to it.

Services never commit: the caller does.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import audit, sealing
from app.arrangements.contract import CONTENT_SHA256_MISMATCH, ArrangementInput, SealedArrangement
from app.contacts.contract import SEAL_TOKEN_UNKNOWN, SEALED_OTHER_TEAM
from app.contacts import operations as contacts
from app.contacts.canonical import iso_utc_millis, truncate_to_millis
from app.contacts.operations import ContactInput, Status
from app.domain import arrangements as rules
from app.domain.arrangements import CancelledBy, State
from app.domain.weeks import local_date, week_bounds_utc
from app.extensions import DbSession
from app.models import Arrangement, Outcome, Person, User
from app.permissions import may
from app.scoping import UNSCOPED

NOT_ON_CASELOAD = contacts.NOT_ON_CASELOAD
ID_UNUSABLE = _l("This arrangement cannot be stored under its id. Arrange the contact again as a new one.")
OFFICER_NOT_ALLOWED = _l("You can arrange contacts for yourself; a supervisor can arrange them for any officer of the team.")
PERSON_LEFT = _l("This person has left the cohort, so no contact can be arranged with them.")
NOT_OPEN = _l("This arrangement has been cancelled or its outcome recorded already, so it cannot be changed.")
NOT_ALLOWED = _l("Only the officer it is for, whoever arranged it and the team's supervisors can change this arrangement.")

MOST_LISTED = 500


@dataclass
class ArrangeResult:
    status: Status
    arrangement_id: uuid.UUID
    sha256: str | None = None
    arrangement: Arrangement | None = None
    errors: dict = field(default_factory=dict)


class ChangeRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def content_of(*, arrangement_id: uuid.UUID, person_id: int, type, starts_at: datetime, place: str | None,
               with_whom: str | None, officer_id: int) -> dict:
    """The content as hashed: times in UTC to the millisecond, as the phone writes them."""
    return {
        "id": str(arrangement_id),
        "person_id": person_id,
        "type": str(type),
        "starts_at": iso_utc_millis(starts_at),
        "place": place or None,
        "with_whom": with_whom or None,
        "officer_id": officer_id,
    }


def content_hash(content: dict) -> str:
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _hash_of(item: ArrangementInput, officer_id: int) -> str:
    return content_hash(content_of(
        arrangement_id=item.arrangement_id, person_id=item.person_id, type=item.type,
        starts_at=truncate_to_millis(item.starts_at), place=item.place, with_whom=item.with_whom,
        officer_id=officer_id))


def arrange(session: DbSession, actor: User, items: Sequence[ArrangementInput], *, now: datetime) -> list[ArrangeResult]:
    """Store each arrangement at most once; one result per item, in order. Does not commit."""
    people = {person.id: person for person in session.scalars(
        select(Person).where(Person.id.in_({item.person_id for item in items}), Person.team_id == actor.team_id))}
    officers = {user.id: user for user in session.scalars(
        select(User).where(User.id.in_({item.officer_id for item in items if item.officer_id is not None})))}
    results = []
    for item in items:
        results.append(_arrange_one(session, actor, item, people, officers, now))
    return results


def arrange_batch(session: DbSession, sender: User, entries: Sequence[ArrangementInput | SealedArrangement], *,
                  now: datetime) -> list[ArrangeResult]:
    """Plain arrangements are the sender's; a sealed one is arranged by the user its seal token
    was issued to (as a sealed contact is recorded by its sealer, ``app/contacts/sealed.py``),
    whoever sends it, if of the sender's team. One result per entry, in order. Does not commit."""
    tokens = {entry.seal_token for entry in entries if isinstance(entry, SealedArrangement)}
    owners = sealing.users_of_tokens(session, tokens) if tokens else {}
    arrangers = {user.id: user for user in session.scalars(
        select(User).where(User.id.in_(set(owners.values()) - {sender.id})).execution_options(**UNSCOPED))}
    arrangers[sender.id] = sender
    results: list[ArrangeResult | None] = [None] * len(entries)
    groups: dict[int, list[tuple[int, ArrangementInput]]] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, SealedArrangement):
            groups.setdefault(sender.id, []).append((index, entry))
            continue
        item = entry.item
        arranger = arrangers.get(owners.get(entry.seal_token, -1))
        if arranger is None:
            results[index] = ArrangeResult(Status.REJECTED, item.arrangement_id, errors={"sealed": SEAL_TOKEN_UNKNOWN})
        elif arranger.team_id != sender.team_id:
            results[index] = ArrangeResult(Status.REJECTED, item.arrangement_id, errors={"sealed": SEALED_OTHER_TEAM})
        elif _hash_of(item, item.officer_id if item.officer_id is not None else arranger.id) != entry.content_sha256:
            results[index] = ArrangeResult(Status.REJECTED, item.arrangement_id,
                                           errors={"content_sha256": CONTENT_SHA256_MISMATCH})
        else:
            groups.setdefault(arranger.id, []).append((index, item))
    for arranger_id, members in groups.items():
        for (index, _item), result in zip(members, arrange(session, arrangers[arranger_id], [item for _index, item in members],
                                                            now=now)):
            results[index] = result
    return results  # type: ignore[return-value]


def _arrange_one(session: DbSession, actor, item: ArrangementInput, people, officers, now) -> ArrangeResult:
    officer_id = item.officer_id if item.officer_id is not None else actor.id
    sha256 = _hash_of(item, officer_id)
    held = session.scalar(select(Arrangement).where(Arrangement.id == item.arrangement_id)
                          .execution_options(**UNSCOPED))
    if held is not None:
        return _compare(held, actor, sha256)
    person = people.get(item.person_id)
    if person is None or not may(actor, "arrange", person):
        return ArrangeResult(Status.REJECTED, item.arrangement_id, errors={"person_id": NOT_ON_CASELOAD})
    if person.left_on is not None and local_date(item.starts_at) >= person.left_on:
        return ArrangeResult(Status.REJECTED, item.arrangement_id, errors={"person_id": PERSON_LEFT})
    officer = actor if officer_id == actor.id else officers.get(officer_id)
    if not may(actor, "arrange_for", officer):
        return ArrangeResult(Status.REJECTED, item.arrangement_id, errors={"officer_id": OFFICER_NOT_ALLOWED})
    arrangement = Arrangement(
        id=item.arrangement_id, team_id=person.team_id, person_id=person.id, type=item.type,
        starts_at=truncate_to_millis(item.starts_at), place=item.place, with_whom=item.with_whom,
        arranged_by_id=actor.id, officer_id=officer_id, state=State.ARRANGED, received_sha256=sha256,
        created_at=now,
    )
    try:
        with session.begin_nested():  # the same id arriving twice at once: the second finds the first
            session.add(arrangement)
    except IntegrityError:
        held = session.scalar(select(Arrangement).where(Arrangement.id == item.arrangement_id)
                              .execution_options(**UNSCOPED))
        if held is None:
            raise
        return _compare(held, actor, sha256)
    return ArrangeResult(Status.CREATED, arrangement.id, sha256=sha256, arrangement=arrangement)


def _compare(held: Arrangement, actor: User, sha256: str) -> ArrangeResult:
    if held.team_id != actor.team_id:
        return ArrangeResult(Status.REJECTED, held.id, errors={"id": ID_UNUSABLE})
    if held.received_sha256 == sha256:
        return ArrangeResult(Status.DUPLICATE, held.id, sha256=sha256, arrangement=held)
    return ArrangeResult(Status.CONFLICT, held.id, sha256=held.received_sha256, arrangement=held)


def _open_for_change(actor: User, arrangement: Arrangement) -> None:
    if not may(actor, "change_arrangement", arrangement):
        raise ChangeRefused(NOT_ALLOWED)
    if not rules.can_change(arrangement.state):
        raise ChangeRefused(NOT_OPEN)


def move(session: DbSession, actor: User, arrangement: Arrangement, *, starts_at: datetime, reason: str,
         now: datetime) -> Arrangement:
    """Move an open arrangement to another time, saying why (audited as ``move``)."""
    _open_for_change(actor, arrangement)
    audit.label(arrangement, "move")
    arrangement.starts_at = truncate_to_millis(starts_at)
    arrangement.state = State.MOVED
    arrangement.change_reason = reason.strip()
    arrangement.updated_at = now
    session.flush()
    return arrangement


def cancel(session: DbSession, actor: User, arrangement: Arrangement, *, cancelled_by: CancelledBy, reason: str,
           now: datetime) -> Arrangement:
    """Cancel an open arrangement: by the person or by the team, and why (audited as ``cancel``)."""
    _open_for_change(actor, arrangement)
    audit.label(arrangement, "cancel")
    arrangement.state = State.CANCELLED
    arrangement.cancelled_by = CancelledBy(cancelled_by)
    arrangement.change_reason = reason.strip()
    arrangement.updated_at = now
    session.flush()
    return arrangement


def record_outcome(session: DbSession, actor: User, arrangement: Arrangement, *, outcome: Outcome,
                   contact_id: uuid.UUID, now: datetime) -> contacts.SyncResult:
    """The arrangement becomes its contact record: stored by the one contact-storing path, then
    the arrangement is ``recorded`` and linked to it. The contact happened at the arranged time
    (or now, when its outcome is recorded before that time)."""
    if arrangement.state == State.RECORDED and arrangement.contact_id == contact_id:
        return contacts.SyncResult(Status.DUPLICATE, contact_id)  # the same form sent again
    _open_for_change(actor, arrangement)
    contact = ContactInput(
        contact_id=contact_id, person_id=arrangement.person_id, type=arrangement.type, outcome=Outcome(outcome),
        occurred_at=min(arrangement.starts_at, now), recorded_at=now,
    )
    [result] = contacts.sync_contacts(session, actor, [contact], received_at=now)
    if result.status in (Status.CREATED, Status.DUPLICATE):
        mark_recorded(session, arrangement, contact_id, now=now)
    return result


def mark_recorded(session: DbSession, arrangement: Arrangement, contact_id: uuid.UUID, *, now: datetime) -> None:
    """Link an open arrangement to the contact stored for it (audited as ``record``)."""
    audit.label(arrangement, "record")
    arrangement.state = State.RECORDED
    arrangement.contact_id = contact_id
    arrangement.updated_at = now
    session.flush()


# Reading ---------------------------------------------------------------------------------


def visible(session: DbSession, arrangement_id: uuid.UUID) -> Arrangement | None:
    """The arrangement through the scoped ORM (another team's is not found)."""
    return session.scalar(select(Arrangement).where(Arrangement.id == arrangement_id).options(
        selectinload(Arrangement.person), selectinload(Arrangement.officer), selectinload(Arrangement.arranged_by)))


def week_list(session: DbSession, team_id: int, now: datetime, *, officer_id: int | None = None) -> list[Arrangement]:
    """This week's arrangements of the team (or of one officer), and every earlier one still
    open (its outcome is missing), by time."""
    start, end = rules.this_week_bounds(now)
    this_week = and_(Arrangement.starts_at >= start, Arrangement.starts_at < end)
    still_open = and_(Arrangement.starts_at < start, Arrangement.state.in_(rules.OPEN_STATES))
    query = select(Arrangement).where(Arrangement.team_id == team_id, or_(this_week, still_open))
    if officer_id is not None:
        query = query.where(Arrangement.officer_id == officer_id)
    return list(session.scalars(
        query.options(selectinload(Arrangement.person), selectinload(Arrangement.officer))
        .order_by(Arrangement.starts_at, Arrangement.id).limit(MOST_LISTED)))


def for_person(session: DbSession, person_id: int, now: datetime) -> list[Arrangement]:
    """A person's arrangements from this week on, and earlier ones still open."""
    start, _end = rules.this_week_bounds(now)
    return list(session.scalars(
        select(Arrangement).where(Arrangement.person_id == person_id, or_(
            Arrangement.starts_at >= start, Arrangement.state.in_(rules.OPEN_STATES)))
        .options(selectinload(Arrangement.officer))
        .order_by(Arrangement.starts_at, Arrangement.id).limit(MOST_LISTED)))


def arranged_in_week(session: DbSession, person_ids: Iterable[int], monday: date) -> dict[int, int]:
    """How many contacts are arranged (not cancelled) for each of these people in the week: one query."""
    ids = set(person_ids)
    if not ids:
        return {}
    start, end = week_bounds_utc(monday)
    rows = session.execute(
        select(Arrangement.person_id, func.count())
        .where(Arrangement.person_id.in_(ids), Arrangement.starts_at >= start, Arrangement.starts_at < end,
               Arrangement.state.in_(rules.ARRANGED_STATES))
        .group_by(Arrangement.person_id))
    return {person_id: count for person_id, count in rows}



def link_recorded(session: DbSession, actor: User, pairs: Iterable[tuple[uuid.UUID, uuid.UUID]], *, now: datetime) -> None:
    """Mark recorded each open arrangement that a stored contact (``(arrangement id, contact id)``)
    names as its outcome: one the actor may change, of the actor's own team. Anything else (an
    unknown id, one recorded or cancelled already) leaves the contact stored and the arrangement
    as it is: the contact counts either way."""
    wanted = dict(pairs)
    if not wanted:
        return
    for arrangement in session.scalars(select(Arrangement).where(Arrangement.id.in_(wanted),
                                                                 Arrangement.team_id == actor.team_id)):
        if rules.can_change(arrangement.state) and may(actor, "change_arrangement", arrangement):
            mark_recorded(session, arrangement, wanted[arrangement.id], now=now)
