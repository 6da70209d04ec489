"""What the team measures page reads (toolkit §10), in a fixed number of queries.

The people's stored weeks (``app.person_weeks``: required level and category of each
week) and the contact tallies (``app.weekly_counts``) as the week view reads them, plus
the agencies of the officers at each counted contact; the figures themselves are made by
``app.domain.measures``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app import scoping
from app.cohort.operations import people_in_team_during
from app.domain.arrangements import counts_as_arranged, outcome_missing
from app.domain.measures import (ALL, CATEGORIES, ArrangedCredit, CohortBand, ContactCredit, WeekMeasure, cohort_size_band,
                                  week_measures)
from app.domain.weeks import local_date, week_bounds_utc, week_of, week_start, weeks_ending_with
from app.extensions import DbSession
from app.models import Arrangement, Contact, Outcome, Person, Team, User
from app.person_weeks import read_stored, stored_counts, team_shares, weeks_held_by_other_teams
from app.weekly_counts import COUNTED, load_tallies

MEASURE_WEEKS = 12
_SIX_DAYS = timedelta(days=6)


@dataclass(frozen=True)
class TeamMeasures:
    team: Team
    weeks: list[date]  # oldest first, ending with the current week
    measures: dict[tuple[date, str | None], WeekMeasure]
    cohort_size: int  # people in the team's cohort in the current week
    band: CohortBand

    def series(self, category: str | None = ALL) -> list[WeekMeasure]:
        return [self.measures[week, category] for week in self.weeks]

    @property
    def categories(self) -> tuple[str | None, ...]:
        return (ALL, *CATEGORIES)


def team_measures(session: DbSession, team: Team, now: datetime) -> TeamMeasures:
    current = week_of(local_date(now))
    weeks = weeks_ending_with(current, MEASURE_WEEKS)
    conditions = (Person.id.in_(people_in_team_during(team.id, weeks[0], current + _SIX_DAYS)),)
    stored = read_stored(session, conditions, weeks, current)  # first: it may store missing weeks and commit
    selection = select(Person.id).where(*conditions)
    tallies = load_tallies(session, selection, weeks)
    # A transferred person's weeks held by the other team count here as this team's share.
    held = weeks_held_by_other_teams(stored, team.id)
    shares = team_shares(session, team.id, held)
    person_weeks = []
    for (person_id, week), row in stored.items():
        if row.team_id != team.id and not shares.get((person_id, week)):
            continue  # a week held by another team with no day of it in this team's cohort
        count = stored_counts(stored, tallies, person_id, [week], shares)[week]
        person_weeks.append((person_id, row.category.value if row.category else None, count))
    measures = week_measures(person_weeks, contact_credits(session, selection, weeks), weeks,
                             arranged_credits(session, selection, weeks, now))
    size = sum(1 for (person_id, week), row in stored.items() if week == current and row.team_id == team.id)
    return TeamMeasures(team, weeks, measures, size, cohort_size_band(size))


def arranged_credits(session: DbSession, selection, weeks: list[date], now: datetime) -> list[ArrangedCredit]:
    """The contacts arranged ahead for these people in these weeks (not cancelled): one query."""
    start, end = week_bounds_utc(min(weeks))[0], week_bounds_utc(max(weeks))[1]
    rows = session.execute(
        select(Arrangement.person_id, Arrangement.starts_at, Arrangement.state)
        .where(Arrangement.person_id.in_(selection), Arrangement.starts_at >= start, Arrangement.starts_at < end)
    ).all()
    return [ArrangedCredit(row.person_id, week_start(row.starts_at), outcome_missing(row.starts_at, row.state, now))
            for row in rows if counts_as_arranged(row.state)]


def contact_credits(session: DbSession, selection, weeks: list[date]) -> list[ContactCredit]:
    """Each counted contact of these people in these weeks, with the agencies of the officers
    who were there (its recorder, the colleagues it names, and those of a second officer's
    record of the same meeting): three queries, whatever the number of contacts."""
    counted = [
        Contact.person_id.in_(selection),
        Contact.occurred_week.between(min(weeks), max(weeks)),
        *COUNTED,
    ]
    rows = session.execute(
        select(Contact.id, Contact.person_id, Contact.occurred_week, Contact.outcome, Contact.recorder_agency,
               Contact.colleague_ids).where(*counted)
    ).all()
    second = aliased(Contact)
    seconds: dict = defaultdict(list)
    for same_as_id, agency, colleagues in session.execute(
        select(second.same_as_id, second.recorder_agency, second.colleague_ids)
        .join(Contact, second.same_as_id == Contact.id)
        .where(*counted, second.voided.is_(False))
    ):
        seconds[same_as_id].append((agency, colleagues or []))
    named = {user_id for row in rows for user_id in (row.colleague_ids or [])}
    named |= {user_id for records in seconds.values() for _, colleagues in records for user_id in colleagues}
    agencies = {}
    if named:
        # Unscoped on purpose, and for the agency only: a colleague may since have moved team.
        agencies = dict(session.execute(
            select(User.id, User.agency).where(User.id.in_(sorted(named))).execution_options(**scoping.UNSCOPED)
        ).tuples().all())
    credits = []
    for row in rows:
        present = {row.recorder_agency.value}
        present |= {agencies[user_id].value for user_id in row.colleague_ids or [] if user_id in agencies}
        for agency, colleagues in seconds.get(row.id, []):
            present.add(agency.value)
            present |= {agencies[user_id].value for user_id in colleagues if user_id in agencies}
        credits.append(ContactCredit(row.person_id, row.occurred_week, row.outcome == Outcome.KEPT, frozenset(present)))
    return credits
