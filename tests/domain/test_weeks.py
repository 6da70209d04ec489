"""The counting week is Monday to Sunday in Europe/London local time."""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.weeks import (
    LONDON,
    last_completed_weeks,
    local_date,
    previous_weeks,
    week_bounds_utc,
    week_days,
    week_of,
    week_start,
    weeks_ending_with,
)

HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def london(*args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=LONDON, fold=fold)


def hours_long(monday: date) -> float:
    start, end = week_bounds_utc(monday)
    return (end - start) / HOUR


# --- Late night and early morning around local midnight -----------------------


def test_a_contact_at_0030_on_a_bst_monday_counts_in_that_mondays_week():
    moment = utc(2026, 5, 31, 23, 30)  # 00:30 BST on Monday 1 June 2026
    assert local_date(moment) == date(2026, 6, 1)
    assert week_start(moment) == date(2026, 6, 1)


def test_the_same_bst_monday_contact_given_in_london_time_counts_in_that_mondays_week():
    assert week_start(london(2026, 6, 1, 0, 30)) == date(2026, 6, 1)


def test_a_contact_at_2330_utc_on_a_gmt_sunday_is_still_sunday():
    moment = utc(2026, 1, 4, 23, 30)  # Sunday 4 January 2026, GMT
    assert local_date(moment) == date(2026, 1, 4)
    assert week_start(moment) == date(2025, 12, 29)


def test_a_contact_at_2330_bst_on_a_sunday_counts_in_the_week_ending_that_sunday():
    moment = london(2026, 6, 7, 23, 30)  # 22:30 UTC
    assert local_date(moment) == date(2026, 6, 7)
    assert week_start(moment) == date(2026, 6, 1)


def test_a_contact_recorded_with_a_foreign_offset_is_placed_by_its_london_date():
    # 01:00 on Monday in New York is 06:00 on Monday in London (both on summer time).
    new_york = datetime(2026, 6, 1, 1, 0, tzinfo=ZoneInfo("America/New_York"))
    assert local_date(new_york) == date(2026, 6, 1)
    # 08:00 on Monday at +09:00 is still Sunday evening in London.
    tokyo_time = datetime(2026, 6, 1, 6, 0, tzinfo=timezone(timedelta(hours=9)))
    assert local_date(tokyo_time) == date(2026, 5, 31)
    assert week_start(tokyo_time) == date(2026, 5, 25)


@pytest.mark.parametrize("refuse", [local_date, week_start], ids=["local_date", "week_start"])
def test_a_time_without_a_time_zone_is_refused(refuse):
    with pytest.raises(ValueError):
        refuse(datetime(2026, 6, 1, 0, 30))


# --- Weeks containing the clock changes ---------------------------------------

SPRING_FORWARD_WEEKS = [date(2025, 3, 24), date(2026, 3, 23)]  # clocks change Sunday
FALL_BACK_WEEKS = [date(2025, 10, 20), date(2026, 10, 19)]


@pytest.mark.parametrize("monday", SPRING_FORWARD_WEEKS)
def test_a_week_in_which_the_clocks_go_forward_is_167_hours_long(monday):
    assert hours_long(monday) == 167


@pytest.mark.parametrize("monday", FALL_BACK_WEEKS)
def test_a_week_in_which_the_clocks_go_back_is_169_hours_long(monday):
    assert hours_long(monday) == 169


@pytest.mark.parametrize("monday", [date(2026, 1, 5), date(2026, 6, 1), date(2026, 3, 30)])
def test_an_ordinary_week_is_168_hours_long(monday):
    assert hours_long(monday) == 168


def test_the_spring_forward_week_of_2026_runs_from_gmt_midnight_to_bst_midnight():
    assert week_bounds_utc(date(2026, 3, 23)) == (
        utc(2026, 3, 23, 0, 0),
        utc(2026, 3, 29, 23, 0),
    )


def test_the_fall_back_week_of_2026_runs_from_bst_midnight_to_gmt_midnight():
    assert week_bounds_utc(date(2026, 10, 19)) == (
        utc(2026, 10, 18, 23, 0),
        utc(2026, 10, 26, 0, 0),
    )


def test_the_spring_forward_week_of_2025_runs_from_gmt_midnight_to_bst_midnight():
    assert week_bounds_utc(date(2025, 3, 24)) == (
        utc(2025, 3, 24, 0, 0),
        utc(2025, 3, 30, 23, 0),
    )


def test_the_fall_back_week_of_2025_runs_from_bst_midnight_to_gmt_midnight():
    assert week_bounds_utc(date(2025, 10, 20)) == (
        utc(2025, 10, 19, 23, 0),
        utc(2025, 10, 27, 0, 0),
    )


def test_week_bounds_are_given_in_utc():
    start, end = week_bounds_utc(date(2026, 6, 1))
    assert start.utcoffset() == timedelta(0) and start.tzinfo is UTC
    assert end.utcoffset() == timedelta(0) and end.tzinfo is UTC


@pytest.mark.parametrize(
    ("moment", "expected_week"),
    [
        # 2026 spring forward: Monday 30 March begins at 23:00 UTC on Sunday 29 March.
        (utc(2026, 3, 29, 22, 59, 59), date(2026, 3, 23)),
        (utc(2026, 3, 29, 23, 0, 0), date(2026, 3, 30)),
        # ...and the week of the change began at 00:00 UTC on Monday 23 March (GMT).
        (utc(2026, 3, 22, 23, 59, 59), date(2026, 3, 16)),
        (utc(2026, 3, 23, 0, 0, 0), date(2026, 3, 23)),
        # 2026 fall back: the week of the change began at 23:00 UTC (BST midnight).
        (utc(2026, 10, 18, 22, 59, 59), date(2026, 10, 12)),
        (utc(2026, 10, 18, 23, 0, 0), date(2026, 10, 19)),
        # ...and Monday 26 October begins at 00:00 UTC (GMT midnight).
        (utc(2026, 10, 25, 23, 59, 59), date(2026, 10, 19)),
        (utc(2026, 10, 26, 0, 0, 0), date(2026, 10, 26)),
        # 2025 spring forward and fall back.
        (utc(2025, 3, 30, 22, 59, 59), date(2025, 3, 24)),
        (utc(2025, 3, 30, 23, 0, 0), date(2025, 3, 31)),
        (utc(2025, 10, 26, 23, 59, 59), date(2025, 10, 20)),
        (utc(2025, 10, 27, 0, 0, 0), date(2025, 10, 27)),
    ],
    ids=str,
)
def test_instants_either_side_of_local_midnight_around_a_clock_change_bucket_correctly(
    moment, expected_week
):
    assert week_start(moment) == expected_week
    start, end = week_bounds_utc(expected_week)
    assert start <= moment < end


def test_the_hour_that_happens_twice_when_the_clocks_go_back_is_in_the_same_week_both_times():
    first = london(2026, 10, 25, 1, 30, fold=0)  # 01:30 BST = 00:30 UTC
    second = london(2026, 10, 25, 1, 30, fold=1)  # 01:30 GMT = 01:30 UTC
    assert second.astimezone(UTC) - first.astimezone(UTC) == HOUR
    for moment in (first, second, first.astimezone(UTC), second.astimezone(UTC)):
        assert local_date(moment) == date(2026, 10, 25)
        assert week_start(moment) == date(2026, 10, 19)


def test_the_repeated_hour_in_2025_is_in_the_week_of_the_change():
    for minute_utc in (utc(2025, 10, 26, 0, 30), utc(2025, 10, 26, 1, 30)):
        assert minute_utc.astimezone(LONDON).hour == 1
        assert week_start(minute_utc) == date(2025, 10, 20)


def test_the_skipped_hour_when_the_clocks_go_forward_does_not_move_a_contact_to_another_week():
    just_before = utc(2026, 3, 29, 0, 59)  # 00:59 GMT
    just_after = utc(2026, 3, 29, 1, 0)  # 02:00 BST
    assert just_after.astimezone(LONDON).hour == 2
    assert week_start(just_before) == week_start(just_after) == date(2026, 3, 23)


def test_the_days_of_a_clock_change_week_are_still_seven_calendar_days():
    assert week_days(date(2026, 3, 23)) == [date(2026, 3, d) for d in range(23, 30)]
    assert week_days(date(2026, 10, 19)) == [date(2026, 10, d) for d in range(19, 26)]


# --- Year boundaries ----------------------------------------------------------


def test_new_years_day_2026_is_in_the_week_that_began_on_29_december_2025():
    assert week_of(date(2026, 1, 1)) == date(2025, 12, 29)
    assert week_start(utc(2026, 1, 1, 0, 0)) == date(2025, 12, 29)


def test_new_years_eve_2025_and_new_years_day_2026_share_a_week():
    assert week_start(utc(2025, 12, 31, 23, 59, 59)) == week_start(utc(2026, 1, 1, 0, 0))


def test_a_week_spanning_new_year_lists_its_days_across_both_years():
    assert week_days(date(2026, 12, 28)) == [
        date(2026, 12, 28),
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 1, 2),
        date(2027, 1, 3),
    ]


def test_a_week_spanning_new_year_has_bounds_in_both_years():
    assert week_bounds_utc(date(2026, 12, 28)) == (utc(2026, 12, 28), utc(2027, 1, 4))


def test_the_twelve_weeks_up_to_january_reach_back_into_the_previous_year():
    weeks = weeks_ending_with(date(2026, 1, 12), 12)
    assert weeks[0] == date(2025, 10, 27)
    assert weeks[-2:] == [date(2026, 1, 5), date(2026, 1, 12)]


# --- Calendar helpers ---------------------------------------------------------


@pytest.mark.parametrize("offset", range(7))
def test_every_day_of_a_week_belongs_to_that_weeks_monday(offset):
    assert week_of(date(2026, 6, 1) + timedelta(days=offset)) == date(2026, 6, 1)


def test_the_day_after_sunday_starts_a_new_week():
    assert week_of(date(2026, 6, 8)) == date(2026, 6, 8)


def test_week_of_refuses_a_datetime_because_it_would_ignore_the_time_zone():
    with pytest.raises(TypeError):
        week_of(datetime(2026, 5, 31, 23, 30, tzinfo=UTC))


@pytest.mark.parametrize(
    "use",
    [
        week_bounds_utc,
        week_days,
        lambda day: previous_weeks(day, 1),
        lambda day: weeks_ending_with(day, 1),
    ],
    ids=["week_bounds_utc", "week_days", "previous_weeks", "weeks_ending_with"],
)
def test_a_week_must_be_named_by_its_monday(use):
    with pytest.raises(ValueError, match="not a Monday"):
        use(date(2026, 6, 2))


def test_the_days_of_a_week_run_monday_to_sunday():
    days = week_days(date(2026, 6, 1))
    assert days == [date(2026, 6, d) for d in range(1, 8)]
    assert [day.strftime("%a") for day in days] == [
        "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
    ]


def test_previous_weeks_are_the_mondays_before_most_recent_first():
    assert previous_weeks(date(2026, 6, 1), 3) == [
        date(2026, 5, 25),
        date(2026, 5, 18),
        date(2026, 5, 11),
    ]


def test_asking_for_no_previous_weeks_gives_none():
    assert previous_weeks(date(2026, 6, 1), 0) == []
    assert weeks_ending_with(date(2026, 6, 1), 0) == []


@pytest.mark.parametrize(
    "use", [previous_weeks, weeks_ending_with, last_completed_weeks],
    ids=["previous_weeks", "weeks_ending_with", "last_completed_weeks"],
)
def test_a_negative_number_of_weeks_is_refused(use):
    with pytest.raises(ValueError):
        use(date(2026, 6, 1), -1)


def test_a_twelve_week_chart_ends_with_the_given_week_oldest_first():
    weeks = weeks_ending_with(date(2026, 6, 1), 12)
    assert len(weeks) == 12
    assert weeks[0] == date(2026, 3, 16)
    assert weeks[-1] == date(2026, 6, 1)
    assert weeks == sorted(weeks)
    assert all(later - earlier == timedelta(days=7) for earlier, later in zip(weeks, weeks[1:]))


def test_a_one_week_chart_is_just_that_week():
    assert weeks_ending_with(date(2026, 6, 1), 1) == [date(2026, 6, 1)]


@pytest.mark.parametrize("today", [date(2026, 6, 1), date(2026, 6, 3), date(2026, 6, 7)])
def test_the_last_completed_weeks_leave_out_the_week_still_in_progress(today):
    assert last_completed_weeks(today, 3) == [
        date(2026, 5, 25),
        date(2026, 5, 18),
        date(2026, 5, 11),
    ]


def test_on_a_monday_last_week_has_just_completed():
    assert last_completed_weeks(date(2026, 6, 8), 1) == [date(2026, 6, 1)]


# --- Properties ---------------------------------------------------------------

FIXED_OFFSETS = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
ZONES = st.one_of(
    st.sampled_from(
        [
            UTC,
            LONDON,
            ZoneInfo("America/New_York"),
            ZoneInfo("Australia/Lord_Howe"),  # half-hour DST shift
            ZoneInfo("Pacific/Kiritimati"),  # UTC+14
            ZoneInfo("Pacific/Pago_Pago"),  # UTC-11
        ]
    ),
    FIXED_OFFSETS,
)
AWARE_MOMENTS = st.datetimes(
    min_value=datetime(1972, 1, 1), max_value=datetime(2100, 12, 31), timezones=ZONES
)
MONDAYS = st.dates(min_value=date(1972, 1, 3), max_value=date(2100, 12, 20)).map(week_of)


@given(AWARE_MOMENTS)
def test_any_moment_falls_in_a_monday_to_sunday_week_around_its_london_date(moment):
    monday = week_start(moment)
    assert monday.weekday() == 0
    assert monday <= local_date(moment) < monday + timedelta(days=7)


@given(AWARE_MOMENTS)
def test_any_moment_lies_within_the_utc_bounds_of_its_week(moment):
    start, end = week_bounds_utc(week_start(moment))
    assert start <= moment < end


@given(AWARE_MOMENTS)
def test_any_moment_means_the_same_week_whatever_zone_it_is_written_in(moment):
    assert week_start(moment.astimezone(UTC)) == week_start(moment)
    assert week_start(moment.astimezone(LONDON)) == week_start(moment)


@given(MONDAYS)
def test_consecutive_weeks_meet_with_no_gap_and_no_overlap(monday):
    _, end = week_bounds_utc(monday)
    next_start, _ = week_bounds_utc(monday + timedelta(days=7))
    assert end == next_start


@given(MONDAYS)
def test_every_week_is_167_168_or_169_hours_long(monday):
    assert hours_long(monday) in {167, 168, 169}


@given(MONDAYS)
def test_a_week_begins_at_london_midnight_on_its_monday(monday):
    start, end = week_bounds_utc(monday)
    for bound, day in ((start, monday), (end, monday + timedelta(days=7))):
        local = bound.astimezone(LONDON)
        assert (local.date(), local.hour, local.minute, local.second) == (day, 0, 0, 0)
    assert week_start(start) == monday
    assert week_start(end - SECOND) == monday


@given(MONDAYS, st.integers(min_value=1, max_value=60))
def test_a_chart_of_weeks_is_the_week_and_the_ones_before_it_in_date_order(monday, count):
    assert weeks_ending_with(monday, count) == (
        list(reversed(previous_weeks(monday, count - 1))) + [monday]
    )


@given(st.dates(min_value=date(1972, 1, 10), max_value=date(2100, 12, 20)), st.integers(0, 10))
def test_completed_weeks_are_all_mondays_strictly_before_todays_week(today, count):
    weeks = last_completed_weeks(today, count)
    assert len(weeks) == count
    assert all(week.weekday() == 0 for week in weeks)
    assert all(week + timedelta(days=7) <= week_of(today) for week in weeks)
    assert weeks == sorted(weeks, reverse=True)
