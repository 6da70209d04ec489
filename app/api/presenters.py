"""What the API answers with about people: caseload rows (the whole caseload, or the people a
sync or a correction touched) and the caseload's ETag. The JSON shape of each row is
``serialise.caseload_row``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import Session

from app.api.serialise import caseload_row
from app.caseload import caseload, people_by_id, person_weeks
from app.i18n import current_language
from app.models import User


def caseload_rows(session: Session, user: User, week: date, language: str) -> list[dict]:
    """The active people of the user's team, as the web caseload orders them."""
    return [caseload_row(row, language) for row in caseload(session, user.team_id, week, language)]


def people_rows(session: Session, user: User, person_ids: Iterable[int], week: date,
                language: str | None = None) -> list[dict]:
    """The caseload rows of these people (of the user's team only), by id, in the reader's language."""
    language = language or current_language()
    people = [person for person in people_by_id(session, set(person_ids)) if person.team_id == user.team_id]
    people.sort(key=lambda person: person.id)
    return [caseload_row(row, language) for row in person_weeks(session, people, week)]


def etag_of(payload) -> str:
    """A strong validator of a payload's content."""
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:32]
