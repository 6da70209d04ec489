"""Which phones a supervisor must look at first: plain rules, no Flask.

A phone is a worry when it holds unsent records and either has held one for more than
48 hours, or has not reached the server for 7 days: those records "were made" but nobody
but the phone has them. Worries come first (the longest-held first), then every other
phone, by officer (in the reader's order), newest seen first.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

UNSENT_TOO_LONG = timedelta(hours=48)
NOT_SEEN_TOO_LONG = timedelta(days=7)


class Worry(enum.StrEnum):
    UNSENT_TOO_LONG = "unsent_over_48_hours"
    NOT_SEEN_TOO_LONG = "not_seen_7_days"


@dataclass(frozen=True)
class PhoneState:
    """What the rules read of one phone."""

    unsent: int
    oldest_unsent_at: datetime | None
    last_seen_at: datetime


def worry(phone: PhoneState, now: datetime) -> Worry | None:
    """Why this phone must be looked at, or None. Holding nothing is never a worry."""
    if phone.unsent <= 0:
        return None
    if phone.oldest_unsent_at is not None and now - phone.oldest_unsent_at > UNSENT_TOO_LONG:
        return Worry.UNSENT_TOO_LONG
    if now - phone.last_seen_at >= NOT_SEEN_TOO_LONG:
        return Worry.NOT_SEEN_TOO_LONG
    return None


def unsent_age(phone: PhoneState, now: datetime) -> timedelta | None:
    """How long the oldest unsent record has waited (never negative), or None."""
    if phone.unsent <= 0 or phone.oldest_unsent_at is None:
        return None
    return max(timedelta(0), now - phone.oldest_unsent_at)


T = TypeVar("T")


def in_order(items: Iterable[T], now: datetime, *, state: Callable[[T], PhoneState],
             name_key: Callable[[T], object]) -> list[T]:
    """Worries first, the longest-held first; then the rest by ``name_key``, newest seen first."""

    def key(item: T):
        phone = state(item)
        if worry(phone, now) is not None:
            held_since = phone.oldest_unsent_at or phone.last_seen_at
            return (0, held_since.timestamp(), "", 0.0)
        return (1, 0.0, name_key(item), -phone.last_seen_at.timestamp())

    return sorted(items, key=key)
