"""Late entries: a contact recorded after its week, which the officer confirms before saving.

The phone keeps the same rule in ``static/js/late.js`` (it must work offline); both read
the team's late-entry age from the server (``GET /api/v1/session`` on the phone).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.domain.weeks import week_start


def is_late(occurred_at: datetime, recorded_at: datetime, late_entry_days: int) -> bool:
    """Stored on the contact: it reached the server more than the team's late-entry age after it happened."""
    return recorded_at - occurred_at > timedelta(days=late_entry_days)


def week_to_confirm(occurred_at: datetime, now: datetime, late_entry_days: int) -> date | None:
    """The Monday of the week a contact will count in, when saving it needs the officer's
    confirmation: it is dated outside the current week, or longer ago than the team's
    late-entry age. None when it needs none."""
    week = week_start(occurred_at)
    if week != week_start(now) or is_late(occurred_at, now, late_entry_days):
        return week
    return None
