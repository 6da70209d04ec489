"""Counting contacts offered and kept against the week's requirement."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.counting import (
    FACE_TO_FACE_TYPES,
    REMOTE_TYPES,
    WeekCount,
    WeekStatus,
    review_due,
    review_overdue,
    review_suggested,
)

MON = date(2026, 6, 1)
LAST_WEEK = date(2026, 5, 25)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def week(required: int, offered: int, kept_: int = 0, monday: date = MON) -> WeekCount:
    return WeekCount(week=monday, required=required, offered=offered, kept=kept_)


# --- Week status -------------------------------------------------------------------


def test_a_week_is_met_when_the_required_number_were_offered():
    count = week(required=3, offered=3, kept_=3)
    assert count.status is WeekStatus.MET
    assert count.shortfall == 0 and count.still_needed == 0


def test_a_week_is_met_on_contacts_offered_even_if_not_all_were_kept():
    count = week(required=3, offered=3, kept_=1)
    assert count.status is WeekStatus.MET
    assert count.shortfall == 0


def test_offering_more_than_required_is_met_with_no_negative_shortfall():
    count = week(required=2, offered=5, kept_=4)
    assert count.status is WeekStatus.MET
    assert count.shortfall == 0 and count.still_needed == 0


@pytest.mark.parametrize(("offered", "short_by"), [(0, 3), (1, 2), (2, 1)])
def test_a_week_is_short_by_the_number_still_to_offer(offered, short_by):
    count = week(required=3, offered=offered)
    assert count.status is WeekStatus.SHORT
    assert count.shortfall == short_by
    assert count.still_needed == short_by


@pytest.mark.parametrize("offered", [0, 2])
def test_a_week_requiring_no_contacts_is_not_required_rather_than_met(offered):
    count = week(required=0, offered=offered)
    assert count.status is WeekStatus.NOT_REQUIRED
    assert count.shortfall == 0 and count.still_needed == 0


def test_week_statuses_are_stored_as_their_codes():
    assert [s.value for s in WeekStatus] == ["met", "short", "not_required"]


def test_a_caseload_sorted_by_still_needed_puts_the_furthest_behind_first():
    caseload = {
        "met": week(required=3, offered=4),
        "short by two": week(required=3, offered=1),
        "not required": week(required=0, offered=0),
        "short by one": week(required=1, offered=0),
    }
    order = sorted(caseload, key=lambda name: caseload[name].still_needed, reverse=True)
    assert order[:2] == ["short by two", "short by one"]
    assert {caseload[name].still_needed for name in order[2:]} == {0}


def test_a_week_count_cannot_have_more_kept_than_offered_or_negative_numbers():
    with pytest.raises(ValueError):
        week(required=3, offered=1, kept_=2)
    with pytest.raises(ValueError):
        week(required=-1, offered=0)


@given(st.integers(0, 14), st.integers(0, 40))
def test_shortfall_is_what_remains_of_the_requirement_after_contacts_offered(required, offered):
    count = week(required=required, offered=offered)
    assert count.shortfall == max(required - offered, 0) == count.still_needed
    assert (count.status is WeekStatus.SHORT) == (count.shortfall > 0)


# --- Reviews due -------------------------------------------------------------------

DUE = date(2026, 6, 10)


def test_a_review_is_not_due_before_its_due_date():
    assert not review_due(DUE, DUE - timedelta(days=1))
    assert not review_overdue(DUE, DUE - timedelta(days=1))


def test_a_review_due_today_is_due_but_not_overdue():
    assert review_due(DUE, DUE)
    assert not review_overdue(DUE, DUE)


def test_a_review_is_overdue_from_the_day_after_its_due_date():
    assert review_due(DUE, DUE + timedelta(days=1))
    assert review_overdue(DUE, DUE + timedelta(days=1))
    assert review_overdue(DUE, DUE + timedelta(days=365))


def test_without_a_due_date_a_review_is_never_due_or_overdue():
    assert not review_due(None, DUE)
    assert not review_overdue(None, DUE)


# --- Review suggested after repeated shortfalls ----------------------------------

SHORT = week(required=3, offered=1)
MET = week(required=3, offered=3)
NOT_REQUIRED = week(required=0, offered=0)


def test_short_in_each_of_the_last_three_weeks_suggests_a_review():
    assert review_suggested([SHORT, SHORT, SHORT])


def test_short_by_only_one_contact_each_week_still_suggests_a_review():
    barely = week(required=3, offered=2)
    assert review_suggested([barely, barely, barely])


@pytest.mark.parametrize("position", range(3))
def test_meeting_the_level_in_any_one_of_the_three_weeks_means_no_review_is_suggested(position):
    recent = [SHORT, SHORT, SHORT]
    recent[position] = MET
    assert not review_suggested(recent)


@pytest.mark.parametrize("position", range(3))
def test_a_week_with_nothing_required_breaks_the_run_of_shortfalls(position):
    recent = [SHORT, SHORT, SHORT]
    recent[position] = NOT_REQUIRED
    assert not review_suggested(recent)


@pytest.mark.parametrize("recent", [[], [SHORT], [SHORT, SHORT]], ids=["none", "one", "two"])
def test_fewer_than_three_completed_weeks_never_suggest_a_review(recent):
    assert not review_suggested(recent)


def test_more_than_three_weeks_is_a_mistake_in_the_caller():
    with pytest.raises(ValueError):
        review_suggested([SHORT, SHORT, SHORT, SHORT])


# --- Contact types ---------------------------------------------------------------


def test_every_lighter_way_of_making_contact_is_a_face_to_face_type():
    assert {
        "home_visit",
        "public_place",
        "office",
        "partner_agency",
        "lift_practical",
        "welfare_help",
        "activity",
    } == FACE_TO_FACE_TYPES


def test_telephone_and_internet_discussions_are_remote():
    assert {"phone", "video_online"} == REMOTE_TYPES


def test_no_contact_type_is_both_face_to_face_and_remote():
    assert FACE_TO_FACE_TYPES.isdisjoint(REMOTE_TYPES)
