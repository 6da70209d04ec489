"""The rules about arranged contacts: when an outcome is missing, which arrangements are this week's."""

from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.arrangements import (
    CancelledBy,
    State,
    counts_as_arranged,
    in_week,
    is_open,
    is_today,
    outcome_missing,
    this_week_bounds,
    today_bounds,
)

NOON_TUESDAY = datetime(2026, 11, 17, 12, 0, tzinfo=UTC)


def test_an_arrangement_is_open_until_it_is_cancelled_or_recorded():
    assert is_open(State.ARRANGED) and is_open(State.MOVED)
    assert not is_open(State.CANCELLED) and not is_open(State.RECORDED)
    assert {member.value for member in CancelledBy} == {"person", "team"}


def test_the_outcome_is_missing_once_the_time_has_passed_by_a_day():
    assert not outcome_missing(NOON_TUESDAY, State.ARRANGED, NOON_TUESDAY + timedelta(hours=23, minutes=59))
    assert outcome_missing(NOON_TUESDAY, State.ARRANGED, NOON_TUESDAY + timedelta(days=1))
    assert outcome_missing(NOON_TUESDAY, State.MOVED, NOON_TUESDAY + timedelta(days=3))


def test_a_recorded_or_cancelled_arrangement_never_misses_its_outcome():
    later = NOON_TUESDAY + timedelta(days=5)
    assert not outcome_missing(NOON_TUESDAY, State.RECORDED, later)
    assert not outcome_missing(NOON_TUESDAY, State.CANCELLED, later)


def test_an_arrangement_still_to_come_has_no_outcome_missing():
    assert not outcome_missing(NOON_TUESDAY + timedelta(days=2), State.ARRANGED, NOON_TUESDAY)


def test_this_week_runs_monday_to_sunday_in_london():
    start, end = this_week_bounds(NOON_TUESDAY)
    assert start == datetime(2026, 11, 16, 0, 0, tzinfo=UTC)  # GMT: London midnight is UTC midnight
    assert end == datetime(2026, 11, 23, 0, 0, tzinfo=UTC)


def test_an_arrangement_at_half_past_midnight_on_a_bst_monday_is_in_that_monday_s_week():
    # The clocks went forward on Sunday 29 March 2026: 00:30 BST on Monday 30 March is 23:30 UTC on the Sunday.
    half_past_midnight = datetime(2026, 3, 29, 23, 30, tzinfo=UTC)
    assert in_week(half_past_midnight, date(2026, 3, 30))
    assert not in_week(half_past_midnight, date(2026, 3, 23))


def test_the_week_the_clocks_go_forward_is_167_hours_long():
    start, end = this_week_bounds(datetime(2026, 3, 25, 12, 0, tzinfo=UTC))  # Monday 23 to Sunday 29 March
    assert end - start == timedelta(hours=167)
    late_sunday = datetime(2026, 3, 29, 22, 30, tzinfo=UTC)  # 23:30 BST on the Sunday
    assert in_week(late_sunday, date(2026, 3, 23))


def test_the_week_the_clocks_go_back_is_169_hours_long():
    start, end = this_week_bounds(datetime(2026, 10, 21, 12, 0, tzinfo=UTC))  # Monday 19 to Sunday 25 October
    assert end - start == timedelta(hours=169)


def test_today_is_the_london_day_and_is_23_hours_when_the_clocks_go_forward():
    start, end = today_bounds(datetime(2026, 3, 29, 12, 0, tzinfo=UTC))
    assert (start, end - start) == (datetime(2026, 3, 29, 0, 0, tzinfo=UTC), timedelta(hours=23))
    assert is_today(datetime(2026, 7, 1, 23, 30, tzinfo=UTC), datetime(2026, 7, 2, 9, 0, tzinfo=UTC))  # 00:30 BST


def test_arranged_this_week_counts_everything_not_cancelled():
    assert counts_as_arranged(State.ARRANGED) and counts_as_arranged(State.MOVED) and counts_as_arranged(State.RECORDED)
    assert not counts_as_arranged(State.CANCELLED)


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        this_week_bounds(datetime(2026, 11, 17, 12, 0))
