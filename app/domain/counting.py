"""Counting contacts against a week's requirement.

A contact that was offered but not kept (did not attend, not at home, refused)
still counts as offered. A voided contact (recorded in error) counts nowhere.
Whether a week is met is judged on contacts offered; kept is shown alongside.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from app.domain.weeks import week_start

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


@dataclass(frozen=True)
class WeekCount:
    week: date
    required: int
    offered: int
    kept: int

    def __post_init__(self) -> None:
        if min(self.required, self.offered, self.kept) < 0:
            raise ValueError(f"counts cannot be negative: {self!r}")
        if self.kept > self.offered:
            raise ValueError(f"more contacts kept than offered: {self!r}")

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


@dataclass(frozen=True)
class ContactFact:
    occurred_at: datetime
    kept: bool
    voided: bool = False
    face_to_face: bool = False

    def __post_init__(self) -> None:
        if self.occurred_at.tzinfo is None or self.occurred_at.utcoffset() is None:
            raise ValueError(f"occurred_at must be time-zone aware: {self.occurred_at!r}")


def bucket_by_week(contacts: Iterable[ContactFact]) -> dict[date, list[ContactFact]]:
    """Contacts grouped by the Monday of their London week; voided ones left out."""
    buckets: dict[date, list[ContactFact]] = {}
    for contact in contacts:
        if not contact.voided:
            buckets.setdefault(week_start(contact.occurred_at), []).append(contact)
    return buckets


def tally(contacts: Iterable[ContactFact]) -> tuple[int, int]:
    """(offered, kept): every non-voided contact is offered; kept ones are also kept."""
    offered = kept = 0
    for contact in contacts:
        if contact.voided:
            continue
        offered += 1
        if contact.kept:
            kept += 1
    return offered, kept


def week_count(week: date, required: int, contacts: Iterable[ContactFact]) -> WeekCount:
    """The WeekCount for ``week`` from any contacts; those in other weeks are ignored."""
    in_week = bucket_by_week(contacts).get(week, [])
    offered, kept = tally(in_week)
    return WeekCount(week=week, required=required, offered=offered, kept=kept)


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
