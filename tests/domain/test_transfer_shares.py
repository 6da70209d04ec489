"""A person transferred mid-week: each team is required its share of the week, by days.

Days are calendar days in Europe/London, so the weeks with a clock change (Sunday 29 March
and Sunday 25 October 2026) count exactly like any other week.
"""

from datetime import date, timedelta

import pytest

from app.domain.requirements import (
    Category,
    CategorySpan,
    Pause,
    Period,
    Review,
    pro_rated,
    required_for_weeks,
    team_shares_for_weeks,
    CohortPeriods,
)

OLD, NEW = 1, 2
DEFAULTS = {Category.FIXED: 3, Category.FLEX: 1, Category.FREE: 0}
JOINED = date(2026, 1, 5)


def shares(monday: date, moved_on: date, *, reviews=(), pauses=(), spans=None):
    periods = [Period(JOINED, moved_on, OLD), Period(moved_on, None, NEW)]
    rules = {"periods": periods, "spans": spans or [CategorySpan(Category.FIXED, JOINED)], "reviews": list(reviews),
             "pauses": list(pauses), "defaults": DEFAULTS}
    weeks = [monday - timedelta(days=7), monday, monday + timedelta(days=7)]
    return (team_shares_for_weeks(weeks, team=OLD, **rules), team_shares_for_weeks(weeks, team=NEW, **rules))


def test_a_wednesday_transfer_gives_the_old_team_two_days_and_the_new_team_five():
    old, new = shares(date(2026, 11, 9), date(2026, 11, 11))
    assert old == [3, pro_rated(3, 2), 0] == [3, 1, 0]
    assert new == [0, pro_rated(3, 5), 3] == [0, 3, 3]


@pytest.mark.parametrize(("monday", "moved_on", "old_days"), [
    (date(2026, 3, 23), date(2026, 3, 26), 3),  # the clocks go forward on Sunday 29 March
    (date(2026, 3, 23), date(2026, 3, 29), 6),  # moved on the day the clocks change
    (date(2026, 10, 19), date(2026, 10, 25), 6),  # the clocks go back on Sunday 25 October
    (date(2026, 10, 19), date(2026, 10, 20), 1),
])
def test_a_transfer_in_a_clock_change_week_is_shared_by_calendar_days(monday, moved_on, old_days):
    old, new = shares(monday, moved_on)
    assert (old[1], new[1]) == (pro_rated(3, old_days), pro_rated(3, 7 - old_days))


def test_each_team_is_judged_by_the_level_on_its_own_last_day():
    # Reviewed to 7 a week from the Thursday, the day the person moved: the old team's days
    # (Monday to Wednesday) were at 3, the new team's at 7.
    old, new = shares(date(2026, 11, 9), date(2026, 11, 12), reviews=[Review(date(2026, 11, 12), 7)])
    assert (old[1], new[1]) == (pro_rated(3, 3), pro_rated(7, 4)) == (2, 4)


def test_a_pause_in_the_transfer_week_comes_off_the_share_of_the_team_it_falls_in():
    pause = Pause(date(2026, 11, 12), date(2026, 11, 14))  # Thursday and Friday, in the new team
    old, new = shares(date(2026, 11, 9), date(2026, 11, 11), pauses=[pause])
    assert (old[1], new[1]) == (pro_rated(3, 2), pro_rated(3, 3))


def test_a_person_who_never_moved_is_required_the_whole_week_as_before():
    periods = [Period(JOINED, None, OLD)]
    rules = {"spans": [CategorySpan(Category.FIXED, JOINED)], "reviews": [], "pauses": [], "defaults": DEFAULTS}
    weeks = [date(2026, 11, 9)]
    assert team_shares_for_weeks(weeks, periods=periods, team=OLD, **rules) \
        == required_for_weeks(weeks, membership=CohortPeriods(periods), **rules) == [3]
