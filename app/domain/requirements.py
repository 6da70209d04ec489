"""How many contacts a person is required to have in a given week.

A person's weekly level is their category's default (set per team, and in force
from a given week, so a change never rewrites past weeks) unless a recorded review
set an individual level. A review's level lasts until the next review or a change of
category, whichever comes later: a change of category dated after the review, or dated
the same day and recorded after it, supersedes the review, and the person goes back to
the new category's default until they are reviewed again. A review recorded after a
change of category on the same day (or dated later) stands. This is the rule the review
form states. The weekly level is pro-rated, rounding up, for the days of the week on
which the person was in the cohort and not paused; ``pro_rating`` says why.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
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
    """The person is in ``category`` from ``start`` until the next span starts.

    ``recorded`` is when the change was recorded, if known: it orders a change of category
    and a review dated the same day (see ``supersedes``).
    """

    category: Category
    start: date
    recorded: datetime | None = None


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
    """An individual level, in force from ``effective`` until a later review or a change
    of category that supersedes it. ``recorded``: when it was recorded, if known."""

    effective: date
    contacts_per_week: int
    recorded: datetime | None = None

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


@dataclass(frozen=True, slots=True)
class Period:
    """One period in a team's cohort, ``joined <= d < left`` (``left`` None: still in)."""

    joined: date
    left: date | None
    team: int | None = None


class CohortPeriods:
    """Membership made of several periods (a re-admission, a transfer), optionally of one team.

    Between periods nothing is required; each period's first and last weeks are pro-rated
    like a single period's. ``team`` keeps only that team's periods, so a team's week view
    counts a transferred person for the weeks they were its own.
    """

    __slots__ = ("periods",)

    def __init__(self, periods: Sequence[Period], team: int | None = None) -> None:
        for period in periods:
            CohortMembership(period.joined, period.left)  # checks the dates
        self.periods = tuple(
            sorted((p for p in periods if team is None or p.team == team), key=lambda p: p.joined)
        )

    def includes(self, day: date) -> bool:
        return any(
            period.joined <= day and (period.left is None or day < period.left) for period in self.periods
        )

    def __repr__(self) -> str:
        return f"CohortPeriods({list(self.periods)!r})"


def days_in_cohort(monday: date, periods: Sequence[Period], team: int | None = None) -> tuple[date, ...]:
    """The days of the week beginning ``monday`` on which the person was in the cohort
    (of ``team``, if given). The one answer to "which days of this week count"."""
    membership = CohortPeriods(periods, team)
    return tuple(day for day in week_days(monday) if membership.includes(day))


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


Membership = CohortMembership | CohortPeriods


def is_active(day: date, membership: Membership, pauses: Sequence[Pause]) -> bool:
    """In the cohort and not paused on ``day``."""
    return membership.includes(day) and not any(p.covers(day) for p in pauses)


def active_days(monday: date, membership: Membership, pauses: Sequence[Pause]) -> int:
    """How many days (0..7) of the week the person was in the cohort and not paused."""
    days = week_days(monday)
    return _active_days(monday, days[-1], membership, pauses)


def _active_days(monday: date, sunday: date, membership: Membership, pauses: Sequence[Pause]) -> int:
    in_week = [pause for pause in pauses if pause.start <= sunday and (pause.end is None or pause.end > monday)]
    if not in_week and isinstance(membership, CohortMembership):
        # No pause touches this week: the days in the cohort, by arithmetic (the week view
        # asks this for every person and week, so it is worth not walking the days).
        end = sunday + _ONE_DAY
        if membership.left is not None:
            end = min(end, membership.left)
        return max(0, (end - max(monday, membership.joined)).days)
    # Counting day by day means overlapping pauses are never subtracted twice.
    return sum(1 for day in week_days(monday) if is_active(day, membership, in_week))


def reference_day(monday: date, membership: Membership) -> date:
    """The day a week's level is decided on.

    The last day of the week on which the person was in the cohort, so that
    someone who leaves on Thursday is judged by the level they left with; the
    week's Sunday if they were not in the cohort at all that week.
    """
    days = week_days(monday)
    return _reference_day(monday, days[-1], membership)


def _reference_day(monday: date, sunday: date, membership: Membership) -> date:
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


def supersedes(change: CategorySpan, review: Review) -> bool:
    """Whether a change of category ends a review's individual level.

    A change dated after the review does. A change dated the same day does when it was
    recorded after the review; a review recorded after the change (or when either time
    is unknown) stands. So the order in which a supervisor recorded the two on one day
    is the order they take effect in.
    """
    if change.start != review.effective:
        return change.start > review.effective
    return change.recorded is not None and review.recorded is not None and change.recorded > review.recorded


def real_changes(spans: Sequence[CategorySpan]) -> list[CategorySpan]:
    """The spans that change the category (restating the category in force is not a change)."""
    return [span for span in spans if category_on(span.start - timedelta(days=1), spans) != span.category]


def recategorised_since(review: Review, until: date, spans: Sequence[CategorySpan]) -> bool:
    """Whether a change of category on or before ``until`` supersedes ``review``."""
    return any(change.start <= until and supersedes(change, review) for change in real_changes(spans))


def recategorised_between(after: date, until: date, spans: Sequence[CategorySpan]) -> bool:
    """Whether the category changed on a day ``after < d <= until``.

    A span that merely restates the category already in force is not a change.
    """
    return any(after < change.start <= until for change in real_changes(spans))


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
    membership: Membership,
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
    membership: Membership,
    spans: Sequence[CategorySpan],
    reviews: Sequence[Review],
    defaults: Defaults,
) -> int:
    day = _reference_day(monday, sunday, membership)
    review = latest_review(day, reviews)
    if review is not None and not recategorised_since(review, day, spans):
        return review.contacts_per_week
    return default_level(category_on(day, spans), defaults_on(day, defaults))


def pro_rated(level: int, days_active: int) -> int:
    """ceil(level * days_active / 7) in exact integer arithmetic."""
    return -(-level * days_active // DAYS_IN_WEEK)


def required_for_week(
    monday: date,
    *,
    membership: Membership,
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
    membership: Membership,
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
    changes = real_changes(spans)
    required = []
    for monday in mondays:
        sunday = _sunday_of(monday)
        day = _reference_day(monday, sunday, membership)
        found = bisect_right(review_days, day)
        review = ordered_reviews[found - 1] if found else None
        if review is not None and not any(change.start <= day and supersedes(change, review) for change in changes):
            level = review.contacts_per_week
        else:
            found = bisect_right(span_starts, day)
            category = ordered_spans[found - 1].category if found else None
            level = default_level(category, defaults_on(day, defaults))
        required.append(pro_rated(level, _active_days(monday, sunday, membership, pauses)))
    return required


def team_shares_for_weeks(
    mondays: Sequence[date],
    *,
    periods: Sequence[Period],
    team: int,
    spans: Sequence[CategorySpan],
    reviews: Sequence[Review],
    pauses: Sequence[Pause],
    defaults: Defaults,
) -> list[int]:
    """Each week's requirement as far as ``team`` is concerned: pro-rated for the days of the
    week the person was in that team's cohort (and not paused), rounded up.

    A person transferred on a Wednesday owes the old team Monday and Tuesday's share and the
    new team the rest, each judged by the level in force on that team's last day of the
    week; a week wholly in one team is that team's whole requirement, and nothing to the other.
    Days are calendar days, so a week with a clock change is counted like any other.
    """
    return required_for_weeks(mondays, membership=CohortPeriods(periods, team), spans=spans, reviews=reviews,
                              pauses=pauses, defaults=defaults)


class ProRatingReason(StrEnum):
    """Why a week's requirement is lower than the person's weekly level."""

    JOINED = "joined"  # joined the cohort on ``day``
    LEFT = "left"  # ``day`` is the first day no longer in the cohort
    PAUSED = "paused"  # paused (custody, hospital) from ``day``
    RESUMED = "resumed"  # back from a pause on ``day``
    PAUSED_ALL_WEEK = "paused_all_week"  # paused on every day of the week


@dataclass(frozen=True, slots=True)
class ProRating:
    """A week's requirement was pro-rated: the reason, its day, and the pause if there was one.

    ``pause`` is the very ``Pause`` object given, so a caller can find its reason (custody,
    hospital) in its own records.
    """

    reason: ProRatingReason
    day: date
    active_days: int
    pause: Pause | None = None


def pro_rating(monday: date, membership: CohortMembership, pauses: Sequence[Pause]) -> ProRating | None:
    """Why the week's requirement is pro-rated, or ``None`` when the person counts all week.

    Joining or leaving that week is named first (it is what changed the person's record),
    then the first pause that touches the week: from the day it starts, or until the day
    it ends if it began before the week.
    """
    sunday = _sunday_of(monday)
    days = _active_days(monday, sunday, membership, pauses)
    if days == DAYS_IN_WEEK:
        return None
    if monday < membership.joined <= sunday:
        return ProRating(ProRatingReason.JOINED, membership.joined, days)
    if membership.left is not None and monday < membership.left <= sunday:
        return ProRating(ProRatingReason.LEFT, membership.left, days)
    touching = sorted(
        (pause for pause in pauses if pause.start <= sunday and (pause.end is None or pause.end > monday)),
        key=lambda pause: pause.start,
    )
    for pause in touching:
        if pause.start > monday:
            return ProRating(ProRatingReason.PAUSED, pause.start, days, pause)
        if pause.end is not None and pause.end <= sunday:
            return ProRating(ProRatingReason.RESUMED, pause.end, days, pause)
        return ProRating(ProRatingReason.PAUSED_ALL_WEEK, monday, days, pause)
    return None
