"""How many contacts a person is required to have in a given week.

A person's weekly level is their category's default (set per team, and in force
from a given week, so a change never rewrites past weeks) unless a recorded review
set an individual level. A later re-categorisation supersedes
an individual level: the person goes back to the new category's default until
they are reviewed again. The weekly level is pro-rated, rounding up, for the
days of the week on which the person was in the cohort and not paused.
"""

from __future__ import annotations

from bisect import bisect_right
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


@dataclass(frozen=True, slots=True)
class CategorySpan:
    """The person is in ``category`` from ``start`` until the next span starts."""

    category: Category
    start: date


@dataclass(frozen=True, slots=True)
class DefaultsPeriod:
    """A team's default levels, in force from the week beginning ``start`` until the next period."""

    start: date
    levels: Mapping[Category, int]

    def __post_init__(self) -> None:
        if self.start.weekday() != 0:
            raise ValueError(f"a team's defaults change from a Monday, got {self.start}")


class DefaultsHistory:
    """A team's default levels over time, so each week is counted by the levels of its day.

    Before the first period the built-in defaults apply.
    """

    __slots__ = ("periods", "_starts")

    def __init__(self, periods: Sequence[DefaultsPeriod]) -> None:
        self.periods = tuple(sorted(periods, key=lambda period: period.start))
        self._starts = [period.start for period in self.periods]
        if len(set(self._starts)) != len(self._starts):
            raise ValueError("two periods of defaults start on the same day")

    def on(self, day: date) -> Mapping[Category, int]:
        found = bisect_right(self._starts, day)
        return self.periods[found - 1].levels if found else DEFAULT_LEVELS

    def __repr__(self) -> str:
        return f"DefaultsHistory({list(self.periods)!r})"


# Either one set of levels for all time or a history of them.
Defaults = Mapping[Category, int] | DefaultsHistory


def defaults_on(day: date, defaults: Defaults) -> Mapping[Category, int]:
    """The team's default levels in force on ``day``."""
    return defaults.on(day) if isinstance(defaults, DefaultsHistory) else defaults


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


_ONE_DAY = timedelta(days=1)
_SIX_DAYS = timedelta(days=DAYS_IN_WEEK - 1)


def _sunday_of(monday: date) -> date:
    """The week's Sunday, checking (cheaply: this is called for every person and week)
    that ``monday`` is a calendar date and a Monday."""
    if type(monday) is not date:
        week_days(monday)  # raises the right error for a datetime or anything else
    if monday.weekday() != 0:
        week_days(monday)  # raises: not a Monday
    return monday + _SIX_DAYS


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
    days = week_days(monday)
    return _active_days(monday, days[-1], membership, pauses)


def _active_days(monday: date, sunday: date, membership: CohortMembership, pauses: Sequence[Pause]) -> int:
    in_week = [pause for pause in pauses if pause.start <= sunday and (pause.end is None or pause.end > monday)]
    if not in_week:
        # No pause touches this week: the days in the cohort, by arithmetic (the week view
        # asks this for every person and week, so it is worth not walking the days).
        end = sunday + _ONE_DAY
        if membership.left is not None:
            end = min(end, membership.left)
        return max(0, (end - max(monday, membership.joined)).days)
    # Counting day by day means overlapping pauses are never subtracted twice.
    return sum(1 for day in week_days(monday) if is_active(day, membership, in_week))


def reference_day(monday: date, membership: CohortMembership) -> date:
    """The day a week's level is decided on.

    The last day of the week on which the person was in the cohort, so that
    someone who leaves on Thursday is judged by the level they left with; the
    week's Sunday if they were not in the cohort at all that week.
    """
    days = week_days(monday)
    return _reference_day(monday, days[-1], membership)


def _reference_day(monday: date, sunday: date, membership: CohortMembership) -> date:
    if membership.includes(sunday):
        return sunday
    in_cohort = [day for day in week_days(monday) if membership.includes(day)]
    return in_cohort[-1] if in_cohort else sunday


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
        if after < span.start <= until and category_on(span.start - timedelta(days=1), spans) != span.category:
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
    defaults: Defaults,
) -> int:
    """The week's level before pro-rating, decided as at the reference day."""
    days = week_days(monday)
    return _level_for_week(monday, days[-1], membership, spans, reviews, defaults)


def _level_for_week(
    monday: date,
    sunday: date,
    membership: CohortMembership,
    spans: Sequence[CategorySpan],
    reviews: Sequence[Review],
    defaults: Defaults,
) -> int:
    day = _reference_day(monday, sunday, membership)
    review = latest_review(day, reviews)
    if review is not None and not recategorised_between(review.effective, day, spans):
        return review.contacts_per_week
    return default_level(category_on(day, spans), defaults_on(day, defaults))


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
    defaults: Defaults,
) -> int:
    """Contacts required in the week: the level pro-rated for active days, rounded up."""
    sunday = _sunday_of(monday)
    level = _level_for_week(monday, sunday, membership, spans, reviews, defaults)
    return pro_rated(level, _active_days(monday, sunday, membership, pauses))


def required_for_weeks(
    mondays: Sequence[date],
    *,
    membership: CohortMembership,
    spans: Sequence[CategorySpan],
    reviews: Sequence[Review],
    pauses: Sequence[Pause],
    defaults: Defaults,
) -> list[int]:
    """``required_for_week`` for each of ``mondays``, in order.

    The same rule, with the work that does not depend on the week done once per person
    (the team week view asks for twelve weeks for each of 250 people). The tests check
    it against ``required_for_week`` on generated histories.
    """
    ordered_spans = sorted(spans, key=lambda span: span.start)  # stable: ties keep their order
    span_starts = [span.start for span in ordered_spans]
    ordered_reviews = sorted(reviews, key=lambda review: review.effective)
    review_days = [review.effective for review in ordered_reviews]
    # The days on which the category really changed (restating it is not a change).
    change_days = [
        span.start for span in spans if category_on(span.start - timedelta(days=1), spans) != span.category
    ]
    required = []
    for monday in mondays:
        sunday = _sunday_of(monday)
        day = _reference_day(monday, sunday, membership)
        found = bisect_right(review_days, day)
        review = ordered_reviews[found - 1] if found else None
        if review is not None and not any(review.effective < change <= day for change in change_days):
            level = review.contacts_per_week
        else:
            found = bisect_right(span_starts, day)
            category = ordered_spans[found - 1].category if found else None
            level = default_level(category, defaults_on(day, defaults))
        required.append(pro_rated(level, _active_days(monday, sunday, membership, pauses)))
    return required
