"""The web form's way into storing a contact.

TEMPORARY until the sync API (issue 3) lands: it will call the API's storing service in
``app.contacts.operations`` instead, so that there is one path to store a contact.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import clock
from app.contacts.operations import build_contact
from app.models import Contact, ContactType, Outcome, Person, User

FORM_FIELDS = {"person_id": "person", "type": "type", "outcome": "outcome", "occurred_at": "date",
               "duration_minutes": "duration_minutes", "pathways": "pathways", "notes": "notes"}
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass
class Recorded:
    status: str  # created, duplicate, conflict, rejected
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def stored(self) -> bool:
        return self.status in ("created", "duplicate")


def record(session: Session, *, user: User, contact_id: uuid.UUID, person_id: int, type: str, outcome: str,
           occurred_at: datetime, duration_minutes: int | None, pathways: list[str], notes: str | None) -> Recorded:
    person = session.scalar(select(Person).where(Person.id == person_id, Person.left_on.is_(None)))
    if person is None:
        return Recorded("rejected", {"person_id": gettext("This person is not on your caseload.")})
    if occurred_at > clock.now() + FUTURE_TOLERANCE:
        return Recorded("rejected", {"occurred_at": gettext("The contact cannot be in the future.")})
    contact = build_contact(
        contact_id=contact_id, person=person, recorded_by=user, type=ContactType(type), outcome=Outcome(outcome),
        occurred_at=occurred_at, recorded_at=clock.now(), received_at=clock.now(),
        duration_minutes=duration_minutes, pathways=pathways, notes=notes,
    )
    session.add(contact)
    try:
        session.commit()
        return Recorded("created")
    except IntegrityError:
        session.rollback()
    stored = session.get(Contact, contact_id)
    if stored is not None and stored.content_sha256 == contact.content_sha256:
        return Recorded("duplicate")
    return Recorded("conflict", {"person_id": gettext("This contact was recorded already. Open a new form to record another.")})
