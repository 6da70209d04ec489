"""The fortnightly IOM meeting's agenda rules (toolkit §8.4–8.7, §9.1–9.2), no Flask.

Red people are managed daily and are on every agenda; amber people are reviewed at the
fortnightly multi-agency meeting, so an amber person is due when they have not been
discussed at a meeting in the last fortnight (or ever). New admissions are the people who
joined since the team's last meeting; a Y2A minimum is "ending" when it ends before the
next meeting would be held. Reviews and de-selection candidates come from their own
rules (``app.domain.counting`` and ``app.domain.cohort``), never re-stated here.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.domain.cohort import y2a_minimum_ends

MEETING_INTERVAL_DAYS = 14  # "fortnightly"
RED, AMBER = "red", "amber"


def next_meeting_day(meeting_day: date) -> date:
    return meeting_day + timedelta(days=MEETING_INTERVAL_DAYS)


def for_daily_management(rag: str) -> bool:
    """Red: wanted, actively offending, disengaged or subject to recall: on every agenda."""
    return rag == RED


def amber_review_due(rag: str, last_discussed: date | None, meeting_day: date) -> bool:
    """Amber and not discussed at a meeting in the fortnight before this one."""
    if rag != AMBER:
        return False
    return last_discussed is None or (meeting_day - last_discussed).days >= MEETING_INTERVAL_DAYS


def new_admission(joined_on: date, last_meeting_day: date | None, meeting_day: date) -> bool:
    """Joined since the last meeting (on its day or after), up to this meeting's day; with no
    earlier meeting, in the fortnight before this one."""
    if last_meeting_day is None:
        return meeting_day - timedelta(days=MEETING_INTERVAL_DAYS) <= joined_on <= meeting_day
    return last_meeting_day < joined_on <= meeting_day


def y2a_minimum_ending(y2a: bool, joined_on: date, recorded_end: date | None, meeting_day: date) -> date | None:
    """For a Y2A person whose minimum ends from this meeting up to the next, the day it ends."""
    if not y2a:
        return None
    ends = y2a_minimum_ends(joined_on, recorded_end)
    return ends if meeting_day <= ends < next_meeting_day(meeting_day) else None
