"""Concerns: a contact marked "concern" is an alert on the home screens of the person's
offender manager and the team's supervisors until one of them acknowledges it.

The web home page and the phone's home screen (``GET /api/v1/concerns``) both list
``open_concerns``; both acknowledge through ``acknowledge``. An acknowledgement is a row of
``concern_acknowledgements`` (who and when), so it is in the audit trail like every change.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.extensions import DbSession
from app.models import ConcernAcknowledgement, Contact, Person
from app.permissions import may

MOST_SHOWN = 50  # a home screen lists at most this many (the oldest first); none is dropped from the count


def _open(user: Any) -> Select[tuple[Contact]]:
    """The open concerns this user is alerted to: on their own team's people that they manage,
    or, for a supervisor, on any of their team's people."""
    for_me = Person.offender_manager_id == user.id
    if user.is_supervisor:
        for_me = or_(for_me, Contact.team_id == user.team_id)
    return _still_open(for_me)


def _still_open(condition) -> Select[tuple[Contact]]:
    """What an open concern is: a concern on a contact that is not void and not acknowledged."""
    acknowledged = select(ConcernAcknowledgement.contact_id).where(ConcernAcknowledgement.contact_id == Contact.id)
    return (
        select(Contact)
        .join(Person, Person.id == Contact.person_id)
        .where(and_(Contact.concern.is_(True), Contact.voided.is_(False), ~acknowledged.exists(), condition))
    )


def open_concerns_of_team(session: DbSession, team_id: int, limit: int = MOST_SHOWN) -> list[Contact]:
    """Every open concern on a team's people now (the meeting's agenda), oldest first."""
    return list(session.scalars(
        _still_open(and_(Contact.team_id == team_id, Person.team_id == team_id))
        .options(selectinload(Contact.person), selectinload(Contact.recorded_by))
        .order_by(Contact.occurred_at, Contact.id)
        .limit(limit)
    ))


def open_concerns(session: DbSession, user: Any, limit: int = MOST_SHOWN) -> list[Contact]:
    """The oldest open concerns first, with their person and recorder loaded."""
    return list(session.scalars(
        _open(user)
        .options(selectinload(Contact.person), selectinload(Contact.recorded_by))
        .order_by(Contact.occurred_at, Contact.id)
        .limit(limit)
    ))


def count_open(session: DbSession, user: Any) -> int:
    return session.scalar(select(func.count()).select_from(_open(user).subquery())) or 0


class NotAllowed(Exception):
    """The user may not acknowledge this contact's concern."""


def acknowledge(session: DbSession, user: Any, contact_id: uuid.UUID, *, now: datetime) -> ConcernAcknowledgement | None:
    """Acknowledge the concern on this contact (of the user's own scope).

    Returns the acknowledgement (the earlier one when it was acknowledged already, so a
    second tap changes nothing), None when there is no such contact or it raises no
    concern; raises ``NotAllowed`` for a user who is neither its offender manager nor a
    supervisor of its team. The caller commits.
    """
    contact = session.scalar(select(Contact).where(Contact.id == contact_id).options(selectinload(Contact.person)))
    if contact is None or not contact.concern:
        return None
    if not may(user, "acknowledge_concern", contact):
        raise NotAllowed
    existing = session.scalar(select(ConcernAcknowledgement).where(ConcernAcknowledgement.contact_id == contact.id))
    if existing is not None:
        return existing
    acknowledgement = ConcernAcknowledgement(
        contact_id=contact.id, team_id=contact.team_id, person_id=contact.person_id,
        acknowledged_by_id=user.id, acknowledged_at=now,
    )
    try:
        with session.begin_nested():  # two supervisors at once: the second finds the first's
            session.add(acknowledgement)
    except IntegrityError:
        return session.scalar(select(ConcernAcknowledgement).where(ConcernAcknowledgement.contact_id == contact.id))
    return acknowledgement
