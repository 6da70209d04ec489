"""Several periods in the cohort: a re-admission or a transfer (app.domain.requirements)."""

from datetime import date

import pytest

from app.domain.requirements import (
    Category,
    CategorySpan,
    CohortMembership,
    CohortPeriods,
    Period,
    days_in_cohort,
    required_for_week,
    required_for_weeks,
)

FIXED = [CategorySpan(Category.FIXED, date(2026, 1, 5))]
DEFAULTS = {Category.FIXED: 3, Category.FLEX: 1, Category.FREE: 0}


def required(monday, membership):
    return required_for_week(monday, membership=membership, spans=FIXED, reviews=[], pauses=[], defaults=DEFAULTS)


def test_a_person_left_and_readmitted_is_required_nothing_in_the_weeks_between():
    periods = CohortPeriods([Period(date(2026, 2, 2), date(2026, 3, 2)), Period(date(2026, 4, 6), None)])
    assert required(date(2026, 2, 23), periods) == 3
    assert required(date(2026, 3, 9), periods) == 0
    assert required(date(2026, 3, 30), periods) == 0
    assert required(date(2026, 4, 6), periods) == 3


def test_each_period_is_pro_rated_at_its_start_and_end():
    # Left on Thursday 5 March (in Mon-Wed: 3 days), back on Saturday 14 March (2 days).
    periods = [Period(date(2026, 2, 2), date(2026, 3, 5)), Period(date(2026, 3, 14), None)]
    assert required(date(2026, 3, 2), CohortPeriods(periods)) == 2  # ceil(3 * 3 / 7)
    assert required(date(2026, 3, 9), CohortPeriods(periods)) == 1  # ceil(3 * 2 / 7)


def test_two_periods_in_one_week_count_their_days_together():
    periods = CohortPeriods([Period(date(2026, 3, 9), date(2026, 3, 11)), Period(date(2026, 3, 13), None)])
    assert days_in_cohort(date(2026, 3, 9), periods.periods) == (
        date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 13), date(2026, 3, 14), date(2026, 3, 15))
    assert required(date(2026, 3, 9), periods) == 3  # ceil(3 * 5 / 7)


def test_a_transfer_counts_each_team_only_for_its_own_days():
    # Moved from team 1 to team 2 on Wednesday 11 March.
    periods = [Period(date(2026, 1, 5), date(2026, 3, 11), team=1), Period(date(2026, 3, 11), None, team=2)]
    monday = date(2026, 3, 9)
    assert days_in_cohort(monday, periods, team=1) == (date(2026, 3, 9), date(2026, 3, 10))
    assert len(days_in_cohort(monday, periods, team=2)) == 5
    assert len(days_in_cohort(monday, periods)) == 7
    assert required(monday, CohortPeriods(periods, team=1)) == 1
    assert required(monday, CohortPeriods(periods, team=2)) == 3
    assert required(date(2026, 3, 16), CohortPeriods(periods, team=1)) == 0


def test_the_weeks_when_the_clocks_change_are_seven_days_like_any_other():
    # 29 March 2026 (BST starts) and 25 October 2026 (BST ends) are Sundays.
    periods = [Period(date(2026, 3, 25), date(2026, 10, 21))]
    assert len(days_in_cohort(date(2026, 3, 23), periods)) == 5
    assert len(days_in_cohort(date(2026, 10, 19), periods)) == 2


def test_one_period_counts_exactly_as_a_plain_membership():
    one = CohortMembership(date(2026, 2, 4), date(2026, 5, 7))
    as_periods = CohortPeriods([Period(one.joined, one.left)])
    mondays = [date.fromordinal(date(2026, 1, 26).toordinal() + 7 * n) for n in range(16)]
    rules = {"spans": FIXED, "reviews": [], "pauses": [], "defaults": DEFAULTS}
    assert required_for_weeks(mondays, membership=as_periods, **rules) == required_for_weeks(
        mondays, membership=one, **rules)


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        CohortPeriods([Period(date(2026, 3, 2), date(2026, 3, 1))])
