"""How many contacts a person is required to have in a given week.

A person's weekly level is their category's default (set per team) unless a
recorded review set an individual level. A later re-categorisation supersedes
an individual level: the person goes back to the new category's default until
they are reviewed again. The weekly level is pro-rated, rounding up, for the
days of the week on which the person was in the cohort and not paused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.domain.weeks import DAYS_IN_WEEK, week_days


class Category(StrEnum):
    FIXED = "fixed"
    FLEX = "flex"
    FREE = "free"


# National guidance: Fixed is offered three contacts a week. Flex and Free are
# set locally; these are only the starting values for a new team.
DEFAULT_LEVELS: dict[Category, int] = {
    Category.FIXED: 3,
    Category.FLEX: 1,
    Category.FREE: 0,
}

MIN_LEVEL = 0
MAX_LEVEL = 14


@dataclass(frozen=True)
class CategorySpan:
    """The person is in ``category`` from ``start`` until the next span starts."""

    category: Category
    start: date


@dataclass(frozen=True)
class Review:
    """An individual level, in force from ``effective`` until a later review."""

    effective: date
    contacts_per_week: int

    def __post_init__(self) -> None:
        if not MIN_LEVEL <= self.contacts_per_week <= MAX_LEVEL:
            raise ValueError(
                f"contacts per week must be {MIN_LEVEL}..{MAX_LEVEL},"
                f" got {self.contacts_per_week}"
            )


@dataclass(frozen=True)
class Pause:
    """Paused (custody, hospital) on days ``start <= d < end``.

    ``end`` is the first day back; ``None`` means the pause has not ended.
    """

    start: date
    end: date | None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"pause ends ({self.end}) before it starts ({self.start})")

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class CohortMembership:
    """In the cohort on days ``joined <= d < left``.

    ``left`` is the first day no longer in the cohort; ``None`` means still in.
    """

    joined: date
    left: date | None

    def __post_init__(self) -> None:
        if self.left is not None and self.left < self.joined:
            raise ValueError(f"left ({self.left}) before joining ({self.joined})")

    def includes(self, day: date) -> bool:
        return self.joined <= day and (self.left is None or day < self.left)


def category_on(day: date, spans: Sequence[CategorySpan]) -> Category | None:
    """The category in force on ``day``: the latest span starting on or before it.

    Spans may come in any order; of two starting on the same day, the later
    one in the sequence wins.
    """
    latest: CategorySpan | None = None
    for span in spans:
        if span.start <= day and (latest is None or span.start >= latest.start):
            latest = span
    return None if latest is None else latest.category


def is_active(day: date, membership: CohortMembership, pauses: Sequence[Pause]) -> bool:
    """In the cohort and not paused on ``day``."""
    return membership.includes(day) and not any(p.covers(day) for p in pauses)


def active_days(monday: date, membership: CohortMembership, pauses: Sequence[Pause]) -> int:
    """How many days (0..7) of the week the person was in the cohort and not paused."""
    return _active_days(week_days(monday), membership, pauses)


def _active_days(days: list[date], membership: CohortMembership, pauses: Sequence[Pause]) -> int:
    monday = days[0]
    in_week = [pause for pause in pauses if pause.start <= days[-1] and (pause.end is None or pause.end > monday)]
    if not in_week:
        # No pause touches this week: the days in the cohort, by arithmetic (the week view
        # asks this for every person and week, so it is worth not walking the days).
        end = days[-1] + timedelta(days=1)
        if membership.left is not None:
            end = min(end, membership.left)
        return max(0, (end - max(monday, membership.joined)).days)
    # Counting day by day means overlapping pauses are never subtracted twice.
    return sum(1 for day in days if is_active(day, membership, in_week))


def reference_day(monday: date, membership: CohortMembership) -> date:
    """The day a week's level is decided on.

    The last day of the week on which the person was in the cohort, so that
    someone who leaves on Thursday is judged by the level they left with; the
    week's Sunday if they were not in the cohort at all that week.
    """
    return _reference_day(week_days(monday), membership)


def _reference_day(days: list[date], membership: CohortMembership) -> date:
    if membership.includes(days[-1]):
        return days[-1]
    in_cohort = [day for day in days if membership.includes(day)]
    return in_cohort[-1] if in_cohort else days[-1]


def latest_review(day: date, reviews: Sequence[Review]) -> Review | None:
    """The review in force on ``day``; of two on the same date, the later in the sequence."""
    latest: Review | None = None
    for review in reviews:
        if review.effective <= day and (latest is None or review.effective >= latest.effective):
            latest = review
    return latest


def recategorised_between(after: date, until: date, spans: Sequence[CategorySpan]) -> bool:
    """Whether the category changed on a day ``after < d <= until``.

    A span that merely restates the category already in force is not a change.
    """
    for span in spans:
        if after < span.start <= until:
            if category_on(span.start - timedelta(days=1), spans) != span.category:
                return True
    return False


def default_level(category: Category | None, defaults: Mapping[Category, int]) -> int:
    """The team's default for a category, falling back to the built-in default.

    No category known means nothing is required.
    """
    if category is None:
        return 0
    return defaults.get(category, DEFAULT_LEVELS[category])


def level_for_week(
    monday: date,
    *,
    membership: CohortMembership,
    spans: Sequence[CategorySpan],
    reviews: Sequence[Review],
    defaults: Mapping[Category, int],
) -> int:
    """The week's level before pro-rating, decided as at the reference day."""
    return _level_for_week(week_days(monday), membership, spans, reviews, defaults)


def _level_for_week(
    days: list[date],
    membership: CohortMembership,
    spans: Sequence[CategorySpan],
    reviews: Sequence[Review],
    defaults: Mapping[Category, int],
) -> int:
    day = _reference_day(days, membership)
    review = latest_review(day, reviews)
    if review is not None and not recategorised_between(review.effective, day, spans):
        return review.contacts_per_week
    return default_level(category_on(day, spans), defaults)


def pro_rated(level: int, days_active: int) -> int:
    """ceil(level * days_active / 7) in exact integer arithmetic."""
    return -(-level * days_active // DAYS_IN_WEEK)


def required_for_week(
    monday: date,
    *,
    membership: CohortMembership,
    spans: Sequence[CategorySpan],
    reviews: Sequence[Review],
    pauses: Sequence[Pause],
    defaults: Mapping[Category, int],
) -> int:
    """Contacts required in the week: the level pro-rated for active days, rounded up."""
    days = week_days(monday)  # checks, once, that it is a Monday
    level = _level_for_week(days, membership, spans, reviews, defaults)
    return pro_rated(level, _active_days(days, membership, pauses))
