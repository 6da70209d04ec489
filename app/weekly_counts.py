"""Weekly counts for a set of people, in a fixed number of queries.

The rules themselves are in ``app.domain``; this module only fetches what they need.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.collation import sort_key_for
from app.domain.cohort import StatusSpan
from app.domain.counting import FACE_TO_FACE_TYPES, WeekCount
from app.domain.weeks import local_date
from app.domain.requirements import (
    CategorySpan,
    CohortMembership,
    CohortPeriods,
    Defaults,
    Pause as PausePeriod,
    Review,
    required_for_week,
    required_for_weeks,
)
from app.extensions import DbSession
from app.types import UTCDateTime
from app.cohort.operations import membership_of
from app.models import (
    CategoryChange,
    CohortPeriod,
    Contact,
    ContactType,
    Outcome,
    Pause,
    PauseReason,
    Person,
    RagChange,
    RequirementReview,
)


@dataclass(frozen=True)
class PersonWeek:
    person: Person
    count: WeekCount
    last_contact_at: datetime | None


# Which people to load for: their ids, or a SELECT of their ids (for large sets).
PersonSelection = Sequence[int] | Select


@dataclass
class PersonHistory:
    """What the requirement rules need to know about one person, as domain values."""

    changes: list = field(default_factory=list)  # rows with .category and .effective
    reviews: list[Review] = field(default_factory=list)
    next_review_due: date | None = None  # from the latest review
    pauses: list[PausePeriod] = field(default_factory=list)
    pause_reasons: list[tuple[PausePeriod, PauseReason]] = field(default_factory=list)
    rag: list[StatusSpan] = field(default_factory=list)
    periods: list = field(default_factory=list)  # earlier periods in a cohort (rows of cohort_periods)


def category_spans(person: Person, changes: Sequence[CategoryChange]) -> list[CategorySpan]:
    if not changes:
        return [CategorySpan(person.category, person.joined_on)]
    # When each was recorded orders a change and a review on the same day (domain.requirements.supersedes).
    return [CategorySpan(change.category, change.effective, getattr(change, "created_at", None)) for change in changes]


def rag_spans(person: Person, changes: Sequence[StatusSpan]) -> list[StatusSpan]:
    """RAG history, or the current RAG since joining when none was recorded."""
    if not changes:
        return [StatusSpan(person.rag.value, person.joined_on)]
    return list(changes)


def weekly_counts(
    session: DbSession, people: Sequence[Person], weeks: Sequence[date]
) -> dict[tuple[int, date], WeekCount]:
    """WeekCount for every (person, week) asked for, in a fixed number of queries."""
    if not people or not weeks:
        return {}
    ids = [person.id for person in people]
    histories = load_history(session, ids, from_day=min(weeks))
    tallies = load_tallies(session, ids, weeks)
    defaults_by_team = {}  # each team's defaults history is put together once, not per person
    counts = {}
    for person in people:
        if person.team_id not in defaults_by_team:
            defaults_by_team[person.team_id] = person.team.default_levels()
        defaults = defaults_by_team[person.team_id]
        for week, count in count_weeks(person, histories[person.id], weeks, tallies, defaults).items():
            counts[person.id, week] = count
    return counts


def count_weeks(
    person: Person,
    history: PersonHistory,
    weeks: Sequence[date],
    tallies: dict,
    defaults: Defaults | None = None,
    spans: Sequence[CategorySpan] | None = None,
    team_id: int | None = None,
) -> dict[date, WeekCount]:
    """Each week's count for one person from already loaded history and tallies.

    ``person`` needs only ``id``, ``joined_on``, ``left_on`` and ``category`` (a row will
    do) when the team's ``defaults`` are given; otherwise it is read from ``person.team``.
    ``spans`` are the person's category spans if the caller has made them already.
    ``team_id``: count only the days the person was in that team's cohort (a team's own
    weeks, for someone transferred); by default every period counts.
    """
    membership: CohortMembership | CohortPeriods
    if history.periods or team_id is not None:
        membership = membership_of(person, history.periods, team_id)
    else:
        membership = CohortMembership(person.joined_on, person.left_on)
    if spans is None:
        spans = category_spans(person, history.changes)
    if defaults is None:
        defaults = person.team.default_levels()
    reviews, pauses = history.reviews, history.pauses
    if len(weeks) == 1:  # one week: the week-by-week rule, without the set-up for many
        required = [required_for_week(weeks[0], membership=membership, spans=spans, reviews=reviews, pauses=pauses,
                                      defaults=defaults)]
    else:
        required = required_for_weeks(weeks, membership=membership, spans=spans, reviews=reviews, pauses=pauses,
                                      defaults=defaults)
    counts = {}
    for week, level in zip(weeks, required):
        offered, kept, face_to_face = tallies.get((person.id, week), (0, 0, 0))
        counts[week] = WeekCount(week, level, offered, kept, face_to_face)
    return counts


def load_history(
    session: DbSession,
    selection: PersonSelection,
    *,
    from_day: date | None = None,
    with_rag: bool = False,
    rag_from: date | None = None,
    execution_options: dict | None = None,
) -> defaultdict[int, PersonHistory]:
    """Earlier cohort periods, category changes, reviews and pauses (and RAG history if asked): one query each.

    ``from_day``: only weeks from that day on will be counted, so reviews superseded
    before it are not loaded (the one in force on it, and later ones, are). ``rag_from``
    does the same for RAG changes. Category changes and pauses are always loaded whole:
    they are few, and whether a change is a change depends on what came before it.
    ``execution_options`` are passed to each statement (``app.person_weeks`` reads
    unscoped, for whoever a change touched).
    """
    options = execution_options or {}
    histories: defaultdict[int, PersonHistory] = defaultdict(PersonHistory)
    for row in session.execute(
        select(CohortPeriod.person_id, CohortPeriod.started_on, CohortPeriod.ended_on, CohortPeriod.team_id)
        .where(CohortPeriod.person_id.in_(selection))
        .order_by(CohortPeriod.started_on, CohortPeriod.id)
    ):
        histories[row.person_id].periods.append(row)
    for change in session.execute(
        select(CategoryChange.person_id, CategoryChange.category, CategoryChange.effective, CategoryChange.created_at)
        .where(CategoryChange.person_id.in_(selection))
        .order_by(CategoryChange.effective, CategoryChange.id),
        execution_options=options,
    ):
        histories[change.person_id].changes.append(change)
    reviews = select(
        RequirementReview.person_id,
        RequirementReview.effective,
        RequirementReview.contacts_per_week,
        RequirementReview.next_review_due,
        RequirementReview.created_at,
    ).where(RequirementReview.person_id.in_(selection))
    if from_day is not None:
        reviews = _in_force_from(reviews, RequirementReview, selection, from_day)
    for person_id, effective, level, next_due, recorded in session.execute(
        reviews.order_by(RequirementReview.effective, RequirementReview.id), execution_options=options
    ):
        history = histories[person_id]
        history.reviews.append(Review(effective, level, recorded))
        history.next_review_due = next_due  # the latest review's wins
    for person_id, start, end, reason in session.execute(
        select(Pause.person_id, Pause.start, Pause.end, Pause.reason)
        .where(Pause.person_id.in_(selection))
        .order_by(Pause.start, Pause.id),
        execution_options=options,
    ):
        period = PausePeriod(start, end)
        histories[person_id].pauses.append(period)
        histories[person_id].pause_reasons.append((period, reason))
    if with_rag:
        rags = select(RagChange.person_id, RagChange.rag, RagChange.effective).where(
            RagChange.person_id.in_(selection)
        )
        if rag_from is not None:
            rags = _in_force_from(rags, RagChange, selection, rag_from)
        for person_id, rag, effective in session.execute(
            rags.order_by(RagChange.effective, RagChange.id), execution_options=options
        ):
            histories[person_id].rag.append(StatusSpan(rag.value, effective))
    return histories


_EARLIER = {RequirementReview: aliased(RequirementReview), RagChange: aliased(RagChange)}  # made once: not cheap


def _in_force_from(statement: Select, model, selection: PersonSelection, day: date) -> Select:
    """Only the rows of a dated history still relevant from ``day``: the one in force on
    that day (the latest on or before it) and any later ones, for each person."""
    latest: Any = _EARLIER[model]  # an aliased RequirementReview or RagChange: both have person_id and effective
    since = (
        select(latest.person_id.label("person_id"), func.max(latest.effective).label("since"))
        .where(latest.person_id.in_(selection), latest.effective <= day)
        .group_by(latest.person_id)
        .subquery()
    )
    return statement.outerjoin(since, since.c.person_id == model.person_id).where(
        model.effective >= func.coalesce(since.c.since, day)
    )


# ``Contact.counts`` in SQL: not voided, and not a second officer's record of a joint meeting.
COUNTED = (Contact.voided.is_(False), Contact.same_as_id.is_(None))


def load_tallies(
    session: DbSession, selection: PersonSelection | None, weeks: Sequence[date]
) -> dict[tuple[int, date], tuple[int, int, int]]:
    """(offered, kept, face to face) for each (person, week) with contacts: one query.

    Only the contacts that count (``Contact.counts``): not voided, and not a second
    officer's record of a joint meeting already counted (``app.domain.joint``).

    ``selection`` None means everyone the session may see (an all-Wales count), which
    reads the week's contacts straight from the week index.
    """
    if not weeks:
        return {}
    first, last = min(weeks), max(weeks)
    conditions = [
        Contact.occurred_week == first if first == last else Contact.occurred_week.between(first, last),
        *COUNTED,
    ]
    if selection is not None:
        conditions.append(Contact.person_id.in_(selection))
    # Every group has at least one contact, so the sums are numbers, never NULL.
    if first == last:  # one week (the all-Wales summary, a caseload): its date is known, not read 5,000 times
        rows = session.execute(
            select(Contact.person_id, func.count(), _KEPT, _FACE_TO_FACE).where(*conditions).group_by(Contact.person_id)
        ).all()
        return {(row[0], first): (row[1], row[2], row[3]) for row in rows}
    rows = session.execute(
        select(Contact.person_id, Contact.occurred_week, func.count(), _KEPT, _FACE_TO_FACE)
        .where(*conditions)
        .group_by(Contact.person_id, Contact.occurred_week)
    ).all()
    # By position: unpacking a Row, or reading it by name, costs several times as much (thousands of rows).
    return {(row[0], row[1]): (row[2], row[3], row[4]) for row in rows}


def tallies_by_index(
    session: DbSession, selection: PersonSelection, weeks: Sequence[date]
) -> dict[tuple[int, int], tuple[int, int, int]]:
    """The same tallies as ``load_tallies``, keyed by (person id, the week's place in ``weeks``).

    The database gives each week's place (``weeks`` are few), so every value read is a
    whole number: cheaper to read than a date, on SQLite above all.
    """
    first, last = min(weeks), max(weeks)
    place = case({week: number for number, week in enumerate(weeks)}, value=Contact.occurred_week)
    rows = session.execute(
        select(Contact.person_id, place, func.count(), _KEPT, _FACE_TO_FACE)
        .where(Contact.occurred_week.between(first, last), *COUNTED, Contact.person_id.in_(selection))
        .group_by(Contact.person_id, Contact.occurred_week)
    ).all()
    return {(row[0], row[1]): (row[2], row[3], row[4]) for row in rows}  # by position, as in load_tallies


# Built once: the week view runs these for every request.
_KEPT = func.sum(case((Contact.outcome == Outcome.KEPT, 1), else_=0))
_FACE_TO_FACE = func.sum(
    case((Contact.type.in_([ContactType(value) for value in sorted(FACE_TO_FACE_TYPES)]), 1), else_=0)
)


def last_contacts(session: DbSession, ids: list[int]) -> dict[int, datetime]:
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


def active_people(session: DbSession, team_id: int | None = None) -> list[Person]:
    statement = (
        select(Person)
        .where(Person.left_on.is_(None))
        .options(selectinload(Person.team), selectinload(Person.offender_manager))
    )
    if team_id is not None:
        statement = statement.where(Person.team_id == team_id)
    return list(session.scalars(statement))


RECENTLY_LEFT_DAYS = 31  # the web form still offers someone who left this recently (late entries)


def recordable_people(session: DbSession, team_id: int, now: datetime) -> list[Person]:
    """Who the web form offers: people in the cohort, and those who left in the last month
    (a contact from before they left may be entered late; ``sync_contacts`` refuses later ones)."""
    since = local_date(now) - timedelta(days=RECENTLY_LEFT_DAYS)
    return list(session.scalars(
        select(Person).where(Person.team_id == team_id, or_(Person.left_on.is_(None), Person.left_on >= since))
    ))


def people_by_id(session: DbSession, ids) -> list[Person]:
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


def person_weeks(session: DbSession, people: Sequence[Person], week: date) -> list[PersonWeek]:
    """Each person's count for one week and their last contact, in the order given."""
    counts = weekly_counts(session, people, [week])
    last = last_contacts(session, [person.id for person in people])
    return [PersonWeek(person, counts[person.id, week], last.get(person.id)) for person in people]


def caseload(session: DbSession, team_id: int | None, week: date, language: str) -> list[PersonWeek]:
    """This week's caseload: people still needing contacts first, then by name."""
    people = active_people(session, team_id)
    rows = person_weeks(session, people, week)
    name_key = sort_key_for(language)
    rows.sort(key=lambda row: (-row.count.still_needed, name_key(row.person.display_name)))
    return rows
