"""What a supervisor sees beside the five factors when reviewing a person's level: the level
in force now (before pro-rating) and the last 12 weeks, counted by the same rules as every
other screen (app.weekly_counts and app.domain)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


from app.extensions import DbSession
from app.weekly_counts import category_spans, load_history, weekly_counts
from app.domain.counting import WeekCount
from app.domain.requirements import CohortMembership, level_for_week
from app.domain.weeks import week_of, weeks_ending_with
from app.models import Person

HISTORY_WEEKS = 12


@dataclass(frozen=True)
class ReviewSummary:
    level: int  # contacts a week in force this week, before pro-rating
    weeks: list[WeekCount]  # oldest first, ending with this week


def review_summary(session: DbSession, person: Person, today: date) -> ReviewSummary:
    week = week_of(today)
    history = load_history(session, [person.id])[person.id]
    spans = category_spans(person, history.changes)
    membership = CohortMembership(person.joined_on, person.left_on)
    level = level_for_week(week, membership=membership, spans=spans, reviews=history.reviews,
                           defaults=person.team.default_levels())
    weeks = weeks_ending_with(week, HISTORY_WEEKS)
    counts = weekly_counts(session, [person], weeks)
    return ReviewSummary(level, [counts[person.id, each] for each in weeks])

