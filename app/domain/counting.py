"""Counting contacts against a week's requirement.

A contact that was offered but not kept (did not attend, not at home, refused)
still counts as offered. A voided contact (recorded in error) counts nowhere, and nor
does a second officer's record of a joint meeting already counted (``app.domain.joint``).
Whether a week is met is judged on contacts offered; kept is shown alongside.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.domain.weeks import week_of

_ONE_WEEK = timedelta(days=7)

FACE_TO_FACE_TYPES = frozenset(
    {
        "home_visit",
        "public_place",
        "office",
        "partner_agency",
        "lift_practical",
        "welfare_help",
        "activity",
    }
)
REMOTE_TYPES = frozenset({"phone", "video_online"})

# Short in every one of this many completed weeks suggests the level needs review.
REVIEW_SUGGESTION_WEEKS = 3


class WeekStatus(StrEnum):
    MET = "met"
    SHORT = "short"
    NOT_REQUIRED = "not_required"


@dataclass(frozen=True, slots=True)
class WeekCount:
    week: date
    required: int
    offered: int
    kept: int
    # Of the contacts offered, how many were face to face (the rest were by phone or online).
    face_to_face: int = 0

    def __post_init__(self) -> None:
        if min(self.required, self.offered, self.kept, self.face_to_face) < 0:
            raise ValueError(f"counts cannot be negative: {self!r}")
        if self.kept > self.offered:
            raise ValueError(f"more contacts kept than offered: {self!r}")
        if self.face_to_face > self.offered:
            raise ValueError(f"more contacts face to face than offered: {self!r}")

    @property
    def remote(self) -> int:
        """Contacts offered by phone, video or online."""
        return self.offered - self.face_to_face

    @property
    def kept_enough(self) -> bool:
        """Whether the contacts kept (not only offered) reached the required level."""
        return self.kept >= self.required

    @property
    def status(self) -> WeekStatus:
        if self.required == 0:
            return WeekStatus.NOT_REQUIRED
        if self.offered >= self.required:
            return WeekStatus.MET
        return WeekStatus.SHORT

    @property
    def shortfall(self) -> int:
        return max(self.required - self.offered, 0)

    @property
    def still_needed(self) -> int:
        """Contacts still to offer this week; caseloads are sorted by it."""
        return self.shortfall


def review_due(next_review_due: date | None, today: date) -> bool:
    """A review is due on its due date and every day after."""
    return next_review_due is not None and today >= next_review_due


def review_overdue(next_review_due: date | None, today: date) -> bool:
    """A review is overdue from the day after its due date."""
    return next_review_due is not None and today > next_review_due


def review_suggested(recent: Sequence[WeekCount]) -> bool:
    """Short in each of the last three completed weeks: time to review the level.

    Repeated shortfalls are a signal that the level may be wrong for the
    person, not only a matter for enforcement. A week in which nothing was
    required breaks the run.
    """
    if len(recent) > REVIEW_SUGGESTION_WEEKS:
        raise ValueError(
            f"pass the last {REVIEW_SUGGESTION_WEEKS} completed weeks, got {len(recent)}"
        )
    return len(recent) == REVIEW_SUGGESTION_WEEKS and all(
        week.status is WeekStatus.SHORT for week in recent
    )


class ReviewState(StrEnum):
    OVERDUE = "overdue"
    DUE = "due"
    DUE_SOON = "due_soon"


# A review falling due within this many days is listed as coming up.
REVIEW_DUE_SOON_DAYS = 14


def review_state(next_review_due: date | None, today: date) -> ReviewState | None:
    """Where a person's next review stands today, or None if none is due or coming up."""
    if next_review_due is None:
        return None
    if review_overdue(next_review_due, today):
        return ReviewState.OVERDUE
    if review_due(next_review_due, today):
        return ReviewState.DUE
    if (next_review_due - today).days <= REVIEW_DUE_SOON_DAYS:
        return ReviewState.DUE_SOON
    return None


def suggestion_weeks(selected: date, today: date) -> list[date]:
    """The completed weeks, most recent first, that decide whether a review is suggested.

    Seen from ``selected`` (a Monday): the three weeks up to and including it once it
    has ended; if it is still running (or in the future), the three before it.
    """
    current = week_of(today)
    last_completed = selected if selected < current else current - _ONE_WEEK
    return [last_completed - _ONE_WEEK * back for back in range(REVIEW_SUGGESTION_WEEKS)]


@dataclass(frozen=True, slots=True)
class CohortTotals:
    """A team's (or Wales's) week in a few numbers."""

    people: int
    met: int
    short: int
    not_required: int
    fixed_required: int  # people in the Fixed cohort with contacts required this week
    fixed_offered_enough: int
    fixed_kept_enough: int

    @property
    def fixed_offered_percent(self) -> int | None:
        """Percentage of the Fixed cohort offered at least their required level (rounded)."""
        return _percent(self.fixed_offered_enough, self.fixed_required)

    @property
    def fixed_kept_percent(self) -> int | None:
        """Percentage of the Fixed cohort who kept at least their required level (rounded)."""
        return _percent(self.fixed_kept_enough, self.fixed_required)


def _percent(part: int, whole: int) -> int | None:
    if whole == 0:
        return None
    return (200 * part + whole) // (2 * whole)  # round half up, in integers


def cohort_totals(weeks: Iterable[tuple[str | None, WeekCount]]) -> CohortTotals:
    """Totals from (category in force that week, WeekCount) pairs.

    People with nothing required that week (paused all week, a level of 0) are
    counted as such and left out of the Fixed percentages.
    """
    people = met = short = not_required = fixed = fixed_offered = fixed_kept = 0
    for category, count in weeks:
        people += 1
        status = count.status
        if status is WeekStatus.MET:
            met += 1
        elif status is WeekStatus.SHORT:
            short += 1
        else:
            not_required += 1
        if category == "fixed" and count.required > 0:
            fixed += 1
            fixed_offered += status is WeekStatus.MET
            fixed_kept += count.kept_enough
    return CohortTotals(people, met, short, not_required, fixed, fixed_offered, fixed_kept)
