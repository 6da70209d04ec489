"""De-selection signals: RAG history runs, three calendar months, the Y2A minimum."""

from datetime import date

import pytest

from app.domain.cohort import (
    StatusSpan,
    add_months,
    green_for_three_months,
    green_since,
    in_force_since,
    value_on,
    y2a_minimum_ends,
    y2a_minimum_passed,
)


def span(value: str, day: date) -> StatusSpan:
    return StatusSpan(value, day)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 15), 3, date(2026, 4, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2026, 10, 31), 1, date(2026, 11, 30)),
        (date(2026, 12, 1), 12, date(2027, 12, 1)),
    ],
)
def test_adding_months_keeps_the_day_or_falls_back_to_the_months_last_day(start, months, expected):
    assert add_months(start, months) == expected


def test_the_value_in_force_is_the_latest_starting_on_or_before_the_day_in_any_order():
    spans = [span("green", date(2026, 5, 1)), span("red", date(2026, 1, 1)), span("amber", date(2026, 3, 1))]
    assert value_on(date(2025, 12, 31), spans) is None
    assert value_on(date(2026, 2, 28), spans) == "red"
    assert value_on(date(2026, 3, 1), spans) == "amber"
    assert value_on(date(2026, 9, 1), spans) == "green"


def test_of_two_changes_on_one_day_the_later_recorded_wins():
    spans = [span("green", date(2026, 5, 1)), span("amber", date(2026, 5, 1))]
    assert value_on(date(2026, 5, 1), spans) == "amber"


def test_restating_the_same_status_does_not_restart_the_run():
    spans = [span("green", date(2026, 1, 10)), span("green", date(2026, 3, 1))]
    assert in_force_since(date(2026, 6, 1), spans) == date(2026, 1, 10)


def test_a_break_in_green_restarts_the_three_months():
    spans = [span("green", date(2026, 1, 1)), span("amber", date(2026, 2, 1)), span("green", date(2026, 3, 1))]
    assert green_since(date(2026, 5, 31), spans) == date(2026, 3, 1)
    assert not green_for_three_months(date(2026, 5, 31), spans)
    assert green_for_three_months(date(2026, 6, 1), spans)


def test_green_for_exactly_three_calendar_months_qualifies_on_that_day():
    spans = [span("amber", date(2026, 1, 5)), span("green", date(2026, 2, 14))]
    assert not green_for_three_months(date(2026, 5, 13), spans)
    assert green_for_three_months(date(2026, 5, 14), spans)


def test_someone_not_green_today_is_not_a_candidate_however_long_they_were_green():
    spans = [span("green", date(2025, 1, 1)), span("red", date(2026, 6, 1))]
    assert not green_for_three_months(date(2026, 6, 2), spans)
    assert green_since(date(2026, 6, 2), spans) is None


def test_a_future_change_does_not_count_yet():
    spans = [span("green", date(2026, 1, 1)), span("red", date(2026, 12, 1))]
    assert green_for_three_months(date(2026, 6, 1), spans)


def test_the_y2a_minimum_is_as_recorded_or_else_three_months_after_joining():
    assert y2a_minimum_ends(date(2026, 1, 31), None) == date(2026, 4, 30)
    assert y2a_minimum_ends(date(2026, 1, 31), date(2026, 6, 1)) == date(2026, 6, 1)


def test_the_y2a_minimum_has_passed_from_its_end_date():
    assert not y2a_minimum_passed(date(2026, 4, 29), date(2026, 1, 31), None)
    assert y2a_minimum_passed(date(2026, 4, 30), date(2026, 1, 31), None)
