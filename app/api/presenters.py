"""What the API answers with about people: caseload rows (the whole caseload, or the people a
correction touched), the tallies a sync changed, and the caseload's ETag. The JSON shape of
each row is ``serialise.caseload_row``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime


from app import versions
from app.arrangements.operations import arranged_in_week
from app.api.serialise import caseload_row, iso
from app.extensions import DbSession
from app.weekly_counts import caseload, load_tallies, people_by_id, person_weeks
from app.collation import sort_key_for
from app.contacts import joint
from app.contacts.operations import SyncResult
from app.i18n import current_language
from app.models import User
from app.plans.queries import next_actions_of
from app.pwa.operations import current_build


def caseload_rows(session: DbSession, user: User, week: date, language: str) -> list[dict]:
    """The active people of the user's team, as the web caseload orders them."""
    rows = caseload(session, user.team_id, week, language)
    actions = next_actions_of(session, [row.person.id for row in rows])
    arranged = arranged_in_week(session, [row.person.id for row in rows], week)
    return [caseload_row(row, language, user.id, actions, arranged.get(row.person.id, 0)) for row in rows]


def colleagues_rows(session: DbSession, user: User, language: str) -> list[dict]:
    """The colleagues a joint contact can name, the other agency's first (``app.contacts.joint``)."""
    officers = joint.other_agency_first(joint.colleagues_for(session, user), user.agency, sort_key_for(language))
    return [{"id": officer.id, "name": officer.name, "agency": officer.agency.value} for officer in officers]


def people_rows(session: DbSession, user: User, person_ids: Iterable[int], week: date,
                language: str | None = None) -> list[dict]:
    """The caseload rows of these people (of the user's team only), by id, in the reader's language."""
    language = language or current_language()
    people = [person for person in people_by_id(session, set(person_ids)) if person.team_id == user.team_id]
    people.sort(key=lambda person: person.id)
    actions = next_actions_of(session, [person.id for person in people])
    arranged = arranged_in_week(session, [person.id for person in people], week)
    return [caseload_row(row, language, user.id, actions, arranged.get(row.person.id, 0))
            for row in person_weeks(session, people, week)]


def tallies(session: DbSession, results: Iterable[SyncResult], week: date) -> list[dict]:
    """This week's offered and kept of each person a sync named, from one index-only query.

    A sync never changes anyone's required level, so the phone keeps the level it holds;
    ``last_contact_at`` is the latest contact stored by this sync (the phone keeps the later
    of it and its own).
    """
    latest: dict[int, datetime | None] = {}
    for result in results:
        if result.person_id is None:
            continue
        previous = latest.setdefault(result.person_id, None)
        if result.occurred_at is not None and (previous is None or result.occurred_at > previous):
            latest[result.person_id] = result.occurred_at
    counts = load_tallies(session, sorted(latest), [week])
    rows = []
    for person_id in sorted(latest):
        offered, kept, _face_to_face = counts.get((person_id, week), (0, 0, 0))
        rows.append({"id": person_id, "offered_this_week": offered, "kept_this_week": kept,
                     "last_contact_at": iso(latest[person_id])})
    return rows


def caseload_etag(team_id: int, version: int, week: date, language: str) -> str:
    """The caseload answer's ETag (unquoted), from the team's caseload version."""
    return (versions.caseload_etag(team_id, version, week, language, current_build().version))
