"""The counting week: Monday to Sunday in Europe/London local time.

Contacts are stored as UTC instants; which week one counts in depends on the
London calendar date, so a contact at 00:30 on a BST Monday (23:30 UTC on the
Sunday) belongs to the Monday's week. Weeks that contain a clock change are
167 (spring forward) or 169 (fall back) hours long.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

DAYS_IN_WEEK = 7
_ONE_WEEK = timedelta(days=DAYS_IN_WEEK)
_DAY_OFFSETS = tuple(timedelta(days=offset) for offset in range(DAYS_IN_WEEK))


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a naive datetime has no place in time: {moment!r}")


def _require_calendar_date(day: date) -> None:
    # datetime is a subclass of date; accepting one would silently ignore its
    # time zone and put late-evening BST contacts in the wrong day.
    if isinstance(day, datetime):
        raise TypeError(f"expected a calendar date, got a datetime: {day!r}")


def _require_monday(monday: date) -> None:
    _require_calendar_date(monday)
    if monday.weekday() != 0:
        raise ValueError(f"{monday.isoformat()} is not a Monday")


def _require_count(count: int) -> None:
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")


def local_date(moment: datetime) -> date:
    """The Europe/London calendar date of an aware datetime."""
    _require_aware(moment)
    return moment.astimezone(LONDON).date()


def week_of(day: date) -> date:
    """The Monday of the week containing a calendar date."""
    _require_calendar_date(day)
    return day - timedelta(days=day.weekday())


def week_start(moment: datetime) -> date:
    """The Monday of the Europe/London week containing an aware datetime."""
    return week_of(local_date(moment))


def local_midnight_utc(day: date) -> datetime:
    """The UTC instant at which a London calendar day begins.

    UK clocks change at 01:00 UTC, so local midnight always exists and is
    never repeated.
    """
    _require_calendar_date(day)
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


def week_bounds_utc(monday: date) -> tuple[datetime, datetime]:
    """The UTC [start, end) instants of the London week beginning ``monday``."""
    _require_monday(monday)
    return local_midnight_utc(monday), local_midnight_utc(monday + _ONE_WEEK)


def week_days(monday: date) -> list[date]:
    """The seven dates, Monday to Sunday."""
    _require_monday(monday)
    return [monday + offset for offset in _DAY_OFFSETS]


def previous_weeks(monday: date, count: int) -> list[date]:
    """The ``count`` Mondays before ``monday``, most recent first."""
    _require_monday(monday)
    _require_count(count)
    return [monday - _ONE_WEEK * back for back in range(1, count + 1)]


def weeks_ending_with(monday: date, count: int) -> list[date]:
    """``count`` Mondays ending with ``monday``, oldest first (for charts)."""
    _require_monday(monday)
    _require_count(count)
    return [monday - _ONE_WEEK * back for back in range(count - 1, -1, -1)]


def last_completed_weeks(today: date, count: int) -> list[date]:
    """The ``count`` weeks that ended before ``today``'s week, most recent first."""
    return previous_weeks(week_of(today), count)
