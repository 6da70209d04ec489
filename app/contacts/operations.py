"""Storing contacts: the one path that the web form, the sync API and the demo data share."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from app.contacts.canonical import canonical_content, content_hash, truncate_to_millis
from app.domain.weeks import week_start
from app.models import Contact, ContactType, Outcome, Person, User, utcnow


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
) -> Contact:
    """A new contact with its derived fields (week, hash, late and clock-skew flags) set."""
    received_at = received_at or utcnow()
    occurred_at = truncate_to_millis(occurred_at)
    content = canonical_content(
        contact_id=contact_id,
        person_id=person.id,
        type=type,
        outcome=outcome,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        pathways=pathways,
        notes=notes,
        sensitive=sensitive,
        concern=concern,
        others_present=others_present,
    )
    late_after = timedelta(days=person.team.late_entry_days)
    return Contact(
        id=contact_id,
        team_id=person.team_id,
        person_id=person.id,
        recorded_by_id=recorded_by.id,
        recorder_agency=recorded_by.agency,
        type=ContactType(type),
        outcome=Outcome(outcome),
        occurred_at=occurred_at,
        occurred_week=week_start(occurred_at),
        duration_minutes=duration_minutes,
        pathways=sorted(str(pathway) for pathway in pathways),
        notes=notes or None,
        others_present=others_present or None,
        sensitive=sensitive,
        concern=concern,
        recorded_at=recorded_at,
        received_at=received_at,
        late=received_at - occurred_at > late_after,
        clock_skew=clock_skew,
        content_sha256=content_hash(content),
    )
