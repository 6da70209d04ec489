"""A review and a change of category on the same day, and why a week was pro-rated.

The review form says a reviewed level lasts "until the next review or a change of category".
Recorded on the same day, the one recorded last takes effect: a review then a change of
category puts the person on the new category's default; a change then a review keeps the
reviewed level. The week view says why a week's requirement is lower than the level.
"""

from datetime import date, datetime, timedelta, timezone

import pytest

from app.domain.requirements import (
    Category,
    CategorySpan,
    CohortMembership,
    Pause,
    ProRatingReason,
    Review,
    level_for_week,
    pro_rating,
    required_for_week,
    required_for_weeks,
    supersedes,
)

FIXED, FLEX = Category.FIXED, Category.FLEX
MON = date(2026, 6, 1)
TUE, WED, THU = (MON + timedelta(days=n) for n in (1, 2, 3))
SUN = MON + timedelta(days=6)
LONG_AGO = date(2025, 1, 6)
ALWAYS_IN = CohortMembership(joined=LONG_AGO, left=None)
DEFAULTS = {FIXED: 3, Category.FLEX: 1, Category.FREE: 0}
MORNING = datetime(2026, 6, 2, 9, 0, tzinfo=timezone.utc)
AFTERNOON = datetime(2026, 6, 2, 15, 0, tzinfo=timezone.utc)


def levels(spans, reviews, monday=MON):
    """The level for the week both ways the app counts (one week, and many), which must agree."""
    one = level_for_week(monday, membership=ALWAYS_IN, spans=spans, reviews=reviews, defaults=DEFAULTS)
    rules = {"membership": ALWAYS_IN, "spans": spans, "reviews": reviews, "pauses": (), "defaults": DEFAULTS}
    many = required_for_weeks([monday - timedelta(days=7), monday], **rules)[-1]
    assert required_for_week(monday, **rules) == many
    return one, many


def test_reviewed_to_two_then_moved_to_flex_the_same_day_goes_to_flexs_default():
    spans = [CategorySpan(FIXED, LONG_AGO), CategorySpan(FLEX, TUE, recorded=AFTERNOON)]
    reviews = [Review(TUE, 2, recorded=MORNING)]
    assert levels(spans, reviews) == (1, 1)


def test_moved_to_flex_then_reviewed_to_two_the_same_day_keeps_the_reviewed_level():
    spans = [CategorySpan(FIXED, LONG_AGO), CategorySpan(FLEX, TUE, recorded=MORNING)]
    reviews = [Review(TUE, 2, recorded=AFTERNOON)]
    assert levels(spans, reviews) == (2, 2)


def test_a_change_of_category_dated_after_the_review_supersedes_it_whenever_it_was_recorded():
    spans = [CategorySpan(FIXED, LONG_AGO), CategorySpan(FLEX, WED, recorded=MORNING)]
    reviews = [Review(TUE, 2, recorded=AFTERNOON)]
    assert levels(spans, reviews) == (1, 1)


def test_a_review_dated_after_the_change_of_category_stands_whenever_it_was_recorded():
    spans = [CategorySpan(FIXED, LONG_AGO), CategorySpan(FLEX, TUE, recorded=AFTERNOON)]
    reviews = [Review(WED, 2, recorded=MORNING)]
    assert levels(spans, reviews) == (2, 2)


def test_on_the_same_day_with_no_recording_times_the_review_stands():
    assert not supersedes(CategorySpan(FLEX, TUE), Review(TUE, 2))
    assert levels([CategorySpan(FIXED, LONG_AGO), CategorySpan(FLEX, TUE)], [Review(TUE, 2)]) == (2, 2)


def test_restating_the_same_category_after_a_review_on_the_same_day_changes_nothing():
    spans = [CategorySpan(FIXED, LONG_AGO), CategorySpan(FIXED, TUE, recorded=AFTERNOON)]
    assert levels(spans, [Review(TUE, 2, recorded=MORNING)]) == (2, 2)


# --- Why a week was pro-rated ------------------------------------------------------


def test_a_full_week_in_the_cohort_is_not_pro_rated():
    assert pro_rating(MON, ALWAYS_IN, []) is None


def test_joining_on_thursday_is_the_reason_with_its_day():
    reason = pro_rating(MON, CohortMembership(THU, None), [])
    assert (reason.reason, reason.day, reason.active_days) == (ProRatingReason.JOINED, THU, 4)


def test_leaving_on_wednesday_is_the_reason_with_the_first_day_out():
    reason = pro_rating(MON, CohortMembership(LONG_AGO, WED), [])
    assert (reason.reason, reason.day, reason.active_days) == (ProRatingReason.LEFT, WED, 2)


def test_custody_from_wednesday_gives_its_day_and_the_pause_itself():
    custody = Pause(WED, None)
    reason = pro_rating(MON, ALWAYS_IN, [custody])
    assert (reason.reason, reason.day, reason.active_days, reason.pause) == (ProRatingReason.PAUSED, WED, 2, custody)
    assert required_for_week(MON, membership=ALWAYS_IN, spans=[CategorySpan(FIXED, LONG_AGO)], reviews=[],
                             pauses=[custody], defaults=DEFAULTS) == 1


def test_back_from_hospital_on_thursday_gives_the_first_day_back():
    hospital = Pause(date(2026, 5, 20), THU)
    reason = pro_rating(MON, ALWAYS_IN, [hospital])
    assert (reason.reason, reason.day, reason.active_days) == (ProRatingReason.RESUMED, THU, 4)


def test_paused_the_whole_week_says_so():
    reason = pro_rating(MON, ALWAYS_IN, [Pause(date(2026, 5, 20), None)])
    assert (reason.reason, reason.active_days) == (ProRatingReason.PAUSED_ALL_WEEK, 0)


@pytest.mark.parametrize("monday", [date(2026, 3, 23), date(2026, 3, 30), date(2026, 10, 19), date(2026, 10, 26)])
def test_a_pause_in_a_week_with_a_clock_change_is_counted_in_days(monday):
    reason = pro_rating(monday, ALWAYS_IN, [Pause(monday + timedelta(days=4), None)])
    assert (reason.reason, reason.active_days) == (ProRatingReason.PAUSED, 4)
