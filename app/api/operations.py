"""What the API's views assemble: caseload rows and the people a sync touched."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import Session

from app.api.serialise import caseload_row
from app.caseload import caseload, people_by_id, person_weeks
from app.models import User


def caseload_rows(session: Session, user: User, week: date, language: str) -> list[dict]:
    """The active people of the user's team, as the web caseload orders them."""
    return [caseload_row(row, user.id) for row in caseload(session, user.team_id, week, language)]


def people_rows(session: Session, user: User, person_ids: Iterable[int], week: date) -> list[dict]:
    """The caseload rows of these people (of the user's team only), by id."""
    people = [person for person in people_by_id(session, set(person_ids)) if person.team_id == user.team_id]
    people.sort(key=lambda person: person.id)
    return [caseload_row(row, user.id) for row in person_weeks(session, people, week)]


def etag_of(payload) -> str:
    """A strong validator of a payload's content."""
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:32]
