"""Weekly counts for a set of people, in a fixed number of queries.

The rules themselves are in ``app.domain``; this module only fetches what they need.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.collation import sort_key_for
from app.domain.counting import WeekCount
from app.domain.requirements import (
    CategorySpan,
    CohortMembership,
    Pause as PausePeriod,
    Review,
    required_for_week,
)
from app.types import UTCDateTime
from app.models import CategoryChange, Contact, Outcome, Pause, Person, RequirementReview


@dataclass(frozen=True)
class PersonWeek:
    person: Person
    count: WeekCount
    last_contact_at: datetime | None


def category_spans(person: Person, changes: Sequence[CategoryChange]) -> list[CategorySpan]:
    if not changes:
        return [CategorySpan(person.category, person.joined_on)]
    return [CategorySpan(change.category, change.effective) for change in changes]


def weekly_counts(
    session: Session, people: Sequence[Person], weeks: Sequence[date]
) -> dict[tuple[int, date], WeekCount]:
    """WeekCount for every (person, week) asked for: five queries whatever the numbers."""
    if not people or not weeks:
        return {}
    ids = [person.id for person in people]
    changes, reviews, pauses = _history(session, ids)
    tallies = _tallies(session, ids, min(weeks), max(weeks))
    counts = {}
    for person in people:
        membership = CohortMembership(person.joined_on, person.left_on)
        spans = category_spans(person, changes[person.id])
        for week in weeks:
            required = required_for_week(
                week,
                membership=membership,
                spans=spans,
                reviews=reviews[person.id],
                pauses=pauses[person.id],
                defaults=person.team.default_levels(),
            )
            offered, kept = tallies.get((person.id, week), (0, 0))
            counts[person.id, week] = WeekCount(week, required, offered, kept)
    return counts


def _history(session: Session, ids: list[int]):
    changes: dict[int, list[CategoryChange]] = defaultdict(list)
    for change in session.scalars(
        select(CategoryChange)
        .where(CategoryChange.person_id.in_(ids))
        .order_by(CategoryChange.effective, CategoryChange.id)
    ):
        changes[change.person_id].append(change)
    reviews: dict[int, list[Review]] = defaultdict(list)
    for review in session.scalars(
        select(RequirementReview)
        .where(RequirementReview.person_id.in_(ids))
        .order_by(RequirementReview.effective, RequirementReview.id)
    ):
        reviews[review.person_id].append(Review(review.effective, review.contacts_per_week))
    pauses: dict[int, list[PausePeriod]] = defaultdict(list)
    for pause in session.scalars(select(Pause).where(Pause.person_id.in_(ids))):
        pauses[pause.person_id].append(PausePeriod(pause.start, pause.end))
    return changes, reviews, pauses


def _tallies(session: Session, ids: list[int], first: date, last: date):
    kept = func.sum(case((Contact.outcome == Outcome.KEPT, 1), else_=0))
    rows = session.execute(
        select(Contact.person_id, Contact.occurred_week, func.count(), kept)
        .where(
            Contact.person_id.in_(ids),
            Contact.occurred_week.between(first, last),
            Contact.voided.is_(False),
        )
        .group_by(Contact.person_id, Contact.occurred_week)
    )
    return {(person_id, week): (offered, int(kept or 0)) for person_id, week, offered, kept in rows}


def last_contacts(session: Session, ids: list[int]) -> dict[int, datetime]:
    if not ids:
        return {}
    rows = session.execute(
        select(Contact.person_id, func.max(Contact.occurred_at))
        .where(Contact.person_id.in_(ids), Contact.voided.is_(False))
        .group_by(Contact.person_id)
    )
    return {person_id: _as_utc(moment) for person_id, moment in rows}


def _as_utc(moment):
    # Aggregates bypass the column type, so SQLite hands back a naive string or datetime.
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return UTCDateTime().process_result_value(moment, None)


def active_people(session: Session, team_id: int | None = None) -> list[Person]:
    statement = (
        select(Person)
        .where(Person.left_on.is_(None))
        .options(selectinload(Person.team), selectinload(Person.offender_manager))
    )
    if team_id is not None:
        statement = statement.where(Person.team_id == team_id)
    return list(session.scalars(statement))


def people_by_id(session: Session, ids) -> list[Person]:
    """These people (those the scope lets the session see), ready for ``person_weeks``."""
    if not ids:
        return []
    return list(
        session.scalars(
            select(Person)
            .where(Person.id.in_(set(ids)))
            .options(joinedload(Person.team), joinedload(Person.offender_manager))
        )
    )


def person_weeks(session: Session, people: Sequence[Person], week: date) -> list[PersonWeek]:
    """Each person's count for one week and their last contact, in the order given."""
    counts = weekly_counts(session, people, [week])
    last = last_contacts(session, [person.id for person in people])
    return [PersonWeek(person, counts[person.id, week], last.get(person.id)) for person in people]


def caseload(session: Session, team_id: int | None, week: date, language: str) -> list[PersonWeek]:
    """This week's caseload: people still needing contacts first, then by name."""
    people = active_people(session, team_id)
    rows = person_weeks(session, people, week)
    name_key = sort_key_for(language)
    rows.sort(key=lambda row: (-row.count.still_needed, name_key(row.person.display_name)))
    return rows
