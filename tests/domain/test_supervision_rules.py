"""Rules the supervisors' screens rely on: review states, suggestions, team totals, the mix."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.counting import (
    CohortTotals,
    ReviewState,
    WeekCount,
    cohort_totals,
    review_state,
    suggestion_weeks,
)
from app.domain.requirements import CohortMembership, Pause, active_days, is_active
from app.domain.weeks import week_days

MON = date(2026, 11, 16)


def week(required: int, offered: int, kept: int = 0, face_to_face: int = 0) -> WeekCount:
    return WeekCount(MON, required, offered, kept, face_to_face)


@pytest.mark.parametrize(
    ("due", "today", "state"),
    [
        (None, date(2026, 11, 18), None),
        (date(2026, 11, 17), date(2026, 11, 18), ReviewState.OVERDUE),
        (date(2026, 11, 18), date(2026, 11, 18), ReviewState.DUE),
        (date(2026, 12, 2), date(2026, 11, 18), ReviewState.DUE_SOON),
        (date(2026, 12, 3), date(2026, 11, 18), None),
    ],
)
def test_a_review_is_overdue_after_its_date_due_on_it_and_coming_up_within_two_weeks(due, today, state):
    assert review_state(due, today) == state


def test_seen_from_the_running_week_the_three_weeks_before_it_decide_a_suggestion():
    assert suggestion_weeks(MON, date(2026, 11, 18)) == [date(2026, 11, 9), date(2026, 11, 2), date(2026, 10, 26)]


def test_seen_from_a_finished_week_that_week_and_the_two_before_it_decide():
    assert suggestion_weeks(date(2026, 11, 9), date(2026, 11, 18)) == [
        date(2026, 11, 9), date(2026, 11, 2), date(2026, 10, 26)]
    assert suggestion_weeks(date(2026, 10, 5), date(2026, 11, 18)) == [
        date(2026, 10, 5), date(2026, 9, 28), date(2026, 9, 21)]


def test_face_to_face_and_remote_contacts_add_up_to_those_offered():
    count = week(3, 4, 2, face_to_face=3)
    assert (count.face_to_face, count.remote) == (3, 1)


def test_more_face_to_face_contacts_than_offered_is_refused():
    with pytest.raises(ValueError):
        week(3, 1, 0, face_to_face=2)


def test_team_totals_count_met_short_and_not_required_people():
    totals = cohort_totals([("fixed", week(3, 3)), ("flex", week(1, 0)), ("fixed", week(0, 0)), ("free", week(0, 2))])
    assert (totals.people, totals.met, totals.short, totals.not_required) == (4, 1, 1, 2)


def test_the_fixed_percentages_leave_out_other_categories_and_weeks_with_nothing_required():
    totals = cohort_totals([
        ("fixed", week(3, 3, 3)),  # offered and kept enough
        ("fixed", week(3, 4, 1)),  # offered enough, kept too few
        ("fixed", week(3, 1, 1)),  # short
        ("fixed", week(0, 0)),  # paused all week: left out
        ("flex", week(1, 0)),  # not Fixed: left out
    ])
    assert (totals.fixed_required, totals.fixed_offered_enough, totals.fixed_kept_enough) == (3, 2, 1)
    assert totals.fixed_offered_percent == 67
    assert totals.fixed_kept_percent == 33


def test_percentages_round_half_up_and_are_absent_when_nobody_in_fixed_needed_contact():
    assert CohortTotals(8, 0, 0, 0, 8, 1, 0).fixed_offered_percent == 13  # 12.5 rounds up
    assert cohort_totals([("flex", week(1, 1))]).fixed_offered_percent is None
    assert cohort_totals([]).fixed_kept_percent is None


# --- The quick count of active days agrees with counting them one by one ---------------

BASE = date(2026, 3, 2)


@st.composite
def membership_and_pauses(draw):
    joined = BASE + timedelta(days=draw(st.integers(-10, 20)))
    left = draw(st.none() | st.integers(0, 25).map(lambda days: joined + timedelta(days=days)))
    pauses = []
    for _ in range(draw(st.integers(0, 3))):
        start = BASE + timedelta(days=draw(st.integers(-10, 20)))
        end = draw(st.none() | st.integers(0, 10).map(lambda days, start=start: start + timedelta(days=days)))
        pauses.append(Pause(start, end))
    monday = BASE + timedelta(weeks=draw(st.integers(-2, 3)))
    return monday, CohortMembership(joined, left), pauses


@given(membership_and_pauses())
def test_active_days_are_the_days_in_the_cohort_and_not_paused_counted_one_by_one(case):
    monday, membership, pauses = case
    expected = sum(1 for day in week_days(monday) if is_active(day, membership, pauses))
    assert active_days(monday, membership, pauses) == expected


# --- Many weeks at once gives what one week at a time gives --------------------------

from app.domain.requirements import (  # noqa: E402
    Category,
    CategorySpan,
    DefaultsHistory,
    DefaultsPeriod,
    Review,
    required_for_week,
    required_for_weeks,
)

DAYS = st.integers(-60, 60).map(lambda days: BASE + timedelta(days=days))
# Few possible days, so that two changes on the same day (where order decides) are common.
CHANGE_DAYS = st.sampled_from([BASE + timedelta(days=days) for days in (-40, -9, -3, 0, 4, 11, 30)])


@st.composite
def histories(draw):
    joined = draw(DAYS)
    left = draw(st.none() | st.integers(0, 90).map(lambda days: joined + timedelta(days=days)))
    spans = draw(st.lists(st.builds(CategorySpan, st.sampled_from(list(Category)), CHANGE_DAYS), max_size=5))
    reviews = draw(st.lists(st.builds(Review, CHANGE_DAYS, st.integers(0, 14)), max_size=5))
    pauses = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(DAYS)
        pauses.append(Pause(start, draw(st.none() | st.integers(0, 30).map(lambda d, s=start: s + timedelta(days=d)))))
    def team_levels():
        return {category: draw(st.integers(0, 14)) for category in draw(st.sets(st.sampled_from(list(Category))))}

    defaults = team_levels()
    if draw(st.booleans()):  # the team changed its defaults from some weeks (BASE is a Monday)
        starts = draw(st.sets(st.integers(-12, 12), max_size=4))
        defaults = DefaultsHistory([DefaultsPeriod(BASE + timedelta(weeks=n), team_levels()) for n in starts])
    mondays = [BASE + timedelta(weeks=n) for n in draw(st.lists(st.integers(-10, 10), min_size=1, max_size=12))]
    return mondays, CohortMembership(joined, left), spans, reviews, pauses, defaults


@settings(max_examples=500)
@given(histories())
def test_the_requirement_for_many_weeks_at_once_is_the_requirement_week_by_week(case):
    mondays, membership, spans, reviews, pauses, defaults = case
    history = {"membership": membership, "spans": spans, "reviews": reviews, "pauses": pauses, "defaults": defaults}
    assert required_for_weeks(mondays, **history) == [required_for_week(monday, **history) for monday in mondays]
