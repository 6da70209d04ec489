"""Untrusted scalars from addresses, query strings and forms: the one place they become
numbers and dates, within the ranges the app and its databases can handle.

- ``ID_MIN``/``ID_MAX``: every id column is a 32-bit integer on PostgreSQL; a larger number
  in an address or a query string can match nothing, so it is "not found", never a 500.
- ``FIRST_DAY``/``LAST_DAY``: the calendar the app works in. Weeks, months and time zones are
  computed around a date (a week back, a month on, London midnight in UTC), so a date near
  ``date.min`` or ``date.max`` would overflow; no IOM record is from before 2000 or after 2099.

``BoundedIntConverter`` replaces Werkzeug's ``int`` converter for every ``<int:…>`` route
(registered in ``create_app`` before any blueprint), so a new route is bounded without
anyone remembering to.
"""

from __future__ import annotations

from datetime import date

from werkzeug.routing import IntegerConverter

ID_MIN = 0
ID_MAX = 2**31 - 1
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` limited to what an id column can hold: anything larger is a 404."""

    def __init__(self, map, fixed_digits=0, min=ID_MIN, max=ID_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_int(value, minimum: int = -ID_MAX, maximum: int = ID_MAX) -> int | None:
    """A whole number from a query string, or None when absent, not a number or out of range."""
    if not isinstance(value, str):
        return value if isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= maximum else None
    text = value.strip()
    # isdigit() alone accepts other scripts' digits and superscripts that int() refuses.
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or len(digits) > len(str(ID_MAX)) or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def in_calendar(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def parse_date(value) -> date | None:
    """A YYYY-MM-DD date within the calendar, or None when absent, unreadable or outside it."""
    if not isinstance(value, str):
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return day if in_calendar(day) else None


def is_blank(value) -> bool:
    """Nothing but white space (or nothing at all): what a person means by leaving a field empty."""
    return value is None or (isinstance(value, str) and not value.strip())
