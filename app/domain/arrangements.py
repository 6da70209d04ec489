"""Arranged contacts: the rules about an appointment made ahead, without Flask or the database.

An arrangement is open while it is ``arranged`` or ``moved`` (to another time); it ends
``cancelled`` (by the person or by the team, with a reason) or ``recorded`` (its outcome is
a contact record). Arranging a contact never counts it: a contact counts when its outcome is
recorded (``app.domain.counting``), so these rules only say what to show.

An open arrangement whose time has passed by a day has its "outcome missing": the officer
and the supervisors are shown it until it is recorded, moved or cancelled.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from app.domain.weeks import local_date, local_midnight_utc, week_bounds_utc, week_start

# An open arrangement this long past its time has its outcome missing.
OUTCOME_GRACE = timedelta(days=1)


class State(enum.StrEnum):
    ARRANGED = "arranged"
    MOVED = "moved"
    CANCELLED = "cancelled"
    RECORDED = "recorded"


class CancelledBy(enum.StrEnum):
    PERSON = "person"
    TEAM = "team"


OPEN_STATES = frozenset({State.ARRANGED, State.MOVED})


def is_open(state: State) -> bool:
    """Still to happen, or happened without its outcome recorded yet."""
    return State(state) in OPEN_STATES


def outcome_missing(starts_at: datetime, state: State, now: datetime) -> bool:
    """Open, and its time passed by at least a day (``OUTCOME_GRACE``) before ``now``."""
    return is_open(state) and now - starts_at >= OUTCOME_GRACE


def this_week_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The UTC [start, end) of the Europe/London week (Monday to Sunday) containing ``now``."""
    return week_bounds_utc(week_start(now))


def today_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The UTC [start, end) of the Europe/London day containing ``now`` (23 or 25 hours on a clock change)."""
    day = local_date(now)
    return local_midnight_utc(day), local_midnight_utc(day + timedelta(days=1))


def in_week(starts_at: datetime, monday: date) -> bool:
    """Whether an arrangement's time falls in the London week beginning ``monday``."""
    start, end = week_bounds_utc(monday)
    return start <= starts_at < end


def is_today(starts_at: datetime, now: datetime) -> bool:
    return local_date(starts_at) == local_date(now)


def can_change(state: State) -> bool:
    """Moving, cancelling and recording are for open arrangements only."""
    return is_open(state)


# What "arranged this week" counts: every arrangement not cancelled (recorded ones included,
# so the number does not fall as outcomes are recorded).
ARRANGED_STATES = frozenset(State) - {State.CANCELLED}


def counts_as_arranged(state: State) -> bool:
    return State(state) in ARRANGED_STATES
