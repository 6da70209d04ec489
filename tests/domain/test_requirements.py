"""A person's required contacts per week: category default, reviews, pro-rating."""

import math
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.requirements import (
    DEFAULT_LEVELS,
    MAX_LEVEL,
    MIN_LEVEL,
    Category,
    CategorySpan,
    CohortMembership,
    DefaultsHistory,
    DefaultsPeriod,
    Pause,
    Review,
    active_days,
    category_on,
    level_for_week,
    required_for_week,
)

FIXED, FLEX, FREE = Category.FIXED, Category.FLEX, Category.FREE

# The week under test: Monday 1 June 2026 to Sunday 7 June 2026.
MON = date(2026, 6, 1)
TUE, WED, THU, FRI, SAT, SUN = (MON + timedelta(days=n) for n in range(1, 7))
NEXT_MON = MON + timedelta(days=7)
LAST_WEEK = MON - timedelta(days=7)
LONG_AGO = date(2025, 1, 6)

ALWAYS_IN = CohortMembership(joined=LONG_AGO, left=None)
FIXED_SINCE_LONG_AGO = [CategorySpan(FIXED, LONG_AGO)]
TEAM_DEFAULTS = {FIXED: 3, FLEX: 2, FREE: 1}


def level(
    *,
    spans=FIXED_SINCE_LONG_AGO,
    reviews=(),
    membership=ALWAYS_IN,
    defaults=DEFAULT_LEVELS,
    monday=MON,
):
    return level_for_week(
        monday, membership=membership, spans=spans, reviews=reviews, defaults=defaults
    )


def required(
    *,
    spans=FIXED_SINCE_LONG_AGO,
    reviews=(),
    membership=ALWAYS_IN,
    pauses=(),
    defaults=DEFAULT_LEVELS,
    monday=MON,
):
    return required_for_week(
        monday,
        membership=membership,
        spans=spans,
        reviews=reviews,
        pauses=pauses,
        defaults=defaults,
    )


def fixed_reviewed_to(contacts_per_week):
    return [Review(effective=LONG_AGO, contacts_per_week=contacts_per_week)]


# --- Categories -----------------------------------------------------------------


def test_the_built_in_defaults_follow_national_guidance_for_fixed():
    assert DEFAULT_LEVELS == {FIXED: 3, FLEX: 1, FREE: 0}
    assert (MIN_LEVEL, MAX_LEVEL) == (0, 14)


def test_category_values_are_the_stored_codes():
    assert [c.value for c in Category] == ["fixed", "flex", "free"]
    assert Category("flex") is FLEX


def test_nobody_has_a_category_before_their_first_one_starts():
    assert category_on(date(2024, 12, 31), FIXED_SINCE_LONG_AGO) is None
    assert category_on(MON, []) is None


def test_a_category_applies_from_its_first_day():
    spans = [CategorySpan(FIXED, LONG_AGO), CategorySpan(FLEX, WED)]
    assert category_on(TUE, spans) is FIXED
    assert category_on(WED, spans) is FLEX
    assert category_on(NEXT_MON, spans) is FLEX


def test_the_latest_category_applies_whatever_order_the_spans_come_in():
    spans = [CategorySpan(FREE, WED), CategorySpan(FIXED, LONG_AGO), CategorySpan(FLEX, LAST_WEEK)]
    assert category_on(TUE, spans) is FLEX
    assert category_on(SUN, spans) is FREE


def test_of_two_categories_set_on_the_same_day_the_one_recorded_last_applies():
    spans = [CategorySpan(FIXED, MON), CategorySpan(FLEX, MON)]
    assert category_on(MON, spans) is FLEX


@pytest.mark.parametrize(("category", "expected"), [(FIXED, 3), (FLEX, 1), (FREE, 0)])
def test_without_a_review_the_built_in_default_for_the_category_applies(category, expected):
    assert level(spans=[CategorySpan(category, LONG_AGO)]) == expected


@pytest.mark.parametrize(("category", "expected"), [(FIXED, 3), (FLEX, 2), (FREE, 1)])
def test_without_a_review_the_teams_own_default_for_the_category_applies(category, expected):
    assert level(spans=[CategorySpan(category, LONG_AGO)], defaults=TEAM_DEFAULTS) == expected


def test_a_category_the_team_has_not_set_a_default_for_uses_the_built_in_default():
    assert level(spans=[CategorySpan(FIXED, LONG_AGO)], defaults={FLEX: 2}) == 3


def test_a_person_with_no_category_yet_is_required_to_have_no_contacts():
    assert level(spans=[]) == 0
    assert required(spans=[], defaults=TEAM_DEFAULTS) == 0


def test_a_category_that_starts_mid_week_sets_that_weeks_level():
    spans = [CategorySpan(FLEX, LONG_AGO), CategorySpan(FIXED, THU)]
    assert level(spans=spans) == 3


def test_a_category_that_starts_next_week_does_not_change_this_week():
    spans = [CategorySpan(FLEX, LONG_AGO), CategorySpan(FIXED, NEXT_MON)]
    assert level(spans=spans) == 1


# --- The team's defaults change from a given week ---------------------------------------

FIXED_4_FROM_THIS_WEEK = DefaultsHistory([
    DefaultsPeriod(LONG_AGO, {FIXED: 3, FLEX: 1, FREE: 0}),
    DefaultsPeriod(MON, {FIXED: 4, FLEX: 1, FREE: 0}),
])


def test_a_change_of_the_teams_defaults_applies_from_its_week_on():
    assert level(defaults=FIXED_4_FROM_THIS_WEEK) == 4
    assert level(defaults=FIXED_4_FROM_THIS_WEEK, monday=NEXT_MON) == 4


def test_a_change_of_the_teams_defaults_leaves_earlier_weeks_as_they_were():
    assert level(defaults=FIXED_4_FROM_THIS_WEEK, monday=LAST_WEEK) == 3
    assert required(defaults=FIXED_4_FROM_THIS_WEEK, monday=LAST_WEEK) == 3


def test_a_leaver_whose_last_day_was_before_the_change_keeps_the_old_default_that_week():
    left_on_thursday = CohortMembership(joined=LONG_AGO, left=THU)
    history = DefaultsHistory([DefaultsPeriod(LONG_AGO, {FIXED: 3}), DefaultsPeriod(MON, {FIXED: 7})])
    assert level(defaults=history, membership=left_on_thursday) == 7  # the change is from Monday: the whole week
    assert required(defaults=history, membership=left_on_thursday) == 3  # 7 pro-rated for Monday to Wednesday


def test_before_a_teams_first_recorded_defaults_the_built_in_defaults_apply():
    from_this_week = DefaultsHistory([DefaultsPeriod(MON, {FIXED: 5})])
    assert level(defaults=from_this_week, monday=LAST_WEEK) == DEFAULT_LEVELS[FIXED]


def test_a_review_still_overrides_a_changed_default():
    assert level(defaults=FIXED_4_FROM_THIS_WEEK, reviews=fixed_reviewed_to(2)) == 2


def test_defaults_change_from_a_monday_only_and_once_a_day():
    with pytest.raises(ValueError):
        DefaultsPeriod(TUE, {FIXED: 3})
    with pytest.raises(ValueError):
        DefaultsHistory([DefaultsPeriod(MON, {FIXED: 3}), DefaultsPeriod(MON, {FIXED: 4})])


# --- Reviews --------------------------------------------------------------------


def test_a_reviewed_level_overrides_the_category_default():
    assert level(reviews=fixed_reviewed_to(1)) == 1


def test_a_review_can_raise_the_level_above_the_default():
    assert level(spans=[CategorySpan(FREE, LONG_AGO)], reviews=fixed_reviewed_to(5)) == 5


def test_a_review_can_set_the_level_to_zero():
    assert level(reviews=fixed_reviewed_to(0)) == 0
    assert required(reviews=fixed_reviewed_to(0)) == 0


def test_the_latest_review_wins():
    reviews = [Review(LONG_AGO, 1), Review(LAST_WEEK, 2)]
    assert level(reviews=reviews) == 2


def test_the_latest_review_wins_even_if_recorded_out_of_date_order():
    reviews = [Review(LAST_WEEK, 2), Review(LONG_AGO, 1)]
    assert level(reviews=reviews) == 2


def test_of_two_reviews_with_the_same_date_the_one_recorded_last_wins():
    assert level(reviews=[Review(TUE, 1), Review(TUE, 5)]) == 5
    assert level(reviews=[Review(TUE, 5), Review(TUE, 1)]) == 1


@pytest.mark.parametrize("effective", [MON, WED, THU, SUN], ids=["Mon", "Wed", "Thu", "Sun"])
def test_a_review_effective_during_the_week_applies_to_that_whole_week(effective):
    assert level(reviews=[Review(LONG_AGO, 1), Review(effective, 6)]) == 6
    assert required(reviews=[Review(LONG_AGO, 1), Review(effective, 6)]) == 6


def test_a_review_effective_next_week_does_not_apply_to_this_week():
    assert level(reviews=[Review(NEXT_MON, 6)]) == 3
    assert level(reviews=[Review(NEXT_MON, 6)], monday=NEXT_MON) == 6


def test_a_change_of_category_after_a_review_restores_the_new_categorys_default():
    spans = [CategorySpan(FIXED, LONG_AGO), CategorySpan(FLEX, LAST_WEEK)]
    reviews = [Review(date(2025, 6, 2), 5)]
    assert level(spans=spans, reviews=reviews, defaults=TEAM_DEFAULTS) == 2


def test_a_change_of_category_mid_week_after_a_review_restores_the_default_for_that_week():
    spans = [CategorySpan(FLEX, LONG_AGO), CategorySpan(FIXED, THU)]
    assert level(spans=spans, reviews=[Review(LAST_WEEK, 6)]) == 3
    # ...but the review still held the week before the change.
    assert level(spans=spans, reviews=[Review(LAST_WEEK, 6)], monday=LAST_WEEK) == 6


def test_a_change_of_category_next_week_leaves_this_weeks_reviewed_level_alone():
    spans = [CategorySpan(FIXED, LONG_AGO), CategorySpan(FLEX, NEXT_MON)]
    assert level(spans=spans, reviews=[Review(LAST_WEEK, 6)]) == 6
    assert level(spans=spans, reviews=[Review(LAST_WEEK, 6)], monday=NEXT_MON) == 1


def test_a_review_after_a_change_of_category_applies():
    spans = [CategorySpan(FIXED, LONG_AGO), CategorySpan(FLEX, LAST_WEEK)]
    assert level(spans=spans, reviews=[Review(TUE, 4)]) == 4


def test_a_review_on_the_same_day_as_a_change_of_category_applies():
    spans = [CategorySpan(FIXED, LONG_AGO), CategorySpan(FLEX, TUE)]
    assert level(spans=spans, reviews=[Review(TUE, 4)]) == 4


def test_recording_the_same_category_again_does_not_undo_a_review():
    spans = [CategorySpan(FIXED, LONG_AGO), CategorySpan(FIXED, TUE)]
    assert level(spans=spans, reviews=[Review(LAST_WEEK, 1)]) == 1


def test_moving_category_and_back_again_after_a_review_restores_the_default():
    spans = [
        CategorySpan(FIXED, LONG_AGO),
        CategorySpan(FLEX, LAST_WEEK),
        CategorySpan(FIXED, TUE),
    ]
    assert level(spans=spans, reviews=[Review(date(2025, 6, 2), 1)]) == 3


def test_a_leaver_is_judged_by_the_level_on_their_last_day():
    leaves_thursday = CohortMembership(joined=LONG_AGO, left=THU)  # last day Wednesday
    assert level(membership=leaves_thursday, reviews=[Review(WED, 5)]) == 5
    assert level(membership=leaves_thursday, reviews=[Review(THU, 5)]) == 3


def test_a_change_of_category_after_someone_has_left_does_not_affect_their_last_week():
    leaves_thursday = CohortMembership(joined=LONG_AGO, left=THU)
    spans = [CategorySpan(FIXED, LONG_AGO), CategorySpan(FLEX, FRI)]
    assert level(membership=leaves_thursday, spans=spans, reviews=[Review(LAST_WEEK, 5)]) == 5
    assert level(membership=leaves_thursday, spans=spans) == 3


def test_a_pause_does_not_change_which_day_the_level_is_decided_on():
    paused_from_thursday = [Pause(THU, None)]
    reviews = [Review(SAT, 7)]
    assert level(reviews=reviews) == 7
    # Wednesday was the last active day, but Saturday's review sets the level,
    # so Monday to Wednesday need ceil(7 * 3 / 7) = 3.
    assert required(reviews=reviews, pauses=paused_from_thursday) == 3


def test_a_week_before_someone_joined_is_decided_as_at_its_sunday():
    joins_next_week = CohortMembership(joined=NEXT_MON, left=None)
    assert level(membership=joins_next_week, reviews=[Review(SUN, 6)]) == 6
    assert required(membership=joins_next_week, reviews=[Review(SUN, 6)]) == 0


def test_a_level_outside_0_to_14_cannot_be_recorded():
    with pytest.raises(ValueError):
        Review(MON, MAX_LEVEL + 1)
    with pytest.raises(ValueError):
        Review(MON, MIN_LEVEL - 1)
    assert Review(MON, MAX_LEVEL).contacts_per_week == 14


def test_a_pause_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Pause(start=WED, end=TUE)


def test_nobody_can_leave_the_cohort_before_joining():
    with pytest.raises(ValueError):
        CohortMembership(joined=WED, left=TUE)


# --- Active days ------------------------------------------------------------------


def test_someone_in_the_cohort_all_week_and_never_paused_is_active_seven_days():
    assert active_days(MON, ALWAYS_IN, []) == 7


@pytest.mark.parametrize(
    ("joined", "expected"),
    [(MON, 7), (TUE, 6), (WED, 5), (THU, 4), (FRI, 3), (SAT, 2), (SUN, 1)],
    ids=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
)
def test_joining_mid_week_counts_from_the_day_of_joining(joined, expected):
    assert active_days(MON, CohortMembership(joined=joined, left=None), []) == expected


@pytest.mark.parametrize(
    ("left", "expected"),
    [(MON, 0), (TUE, 1), (WED, 2), (THU, 3), (FRI, 4), (SAT, 5), (SUN, 6), (NEXT_MON, 7)],
    ids=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "next Mon"],
)
def test_leaving_mid_week_counts_up_to_the_day_before_leaving(left, expected):
    assert active_days(MON, CohortMembership(joined=LONG_AGO, left=left), []) == expected


def test_joining_and_leaving_in_the_same_week_counts_the_days_between():
    assert active_days(MON, CohortMembership(joined=TUE, left=FRI), []) == 3


def test_someone_who_joins_next_week_or_left_last_week_is_not_active_this_week():
    assert active_days(MON, CohortMembership(joined=NEXT_MON, left=None), []) == 0
    assert active_days(MON, CohortMembership(joined=LONG_AGO, left=MON), []) == 0
    assert active_days(MON, CohortMembership(joined=LONG_AGO, left=LAST_WEEK), []) == 0


def test_a_pause_starting_mid_week_with_no_end_stops_the_count_from_that_day():
    assert active_days(MON, ALWAYS_IN, [Pause(start=WED, end=None)]) == 2


def test_a_pause_ending_mid_week_counts_from_the_first_day_back():
    assert active_days(MON, ALWAYS_IN, [Pause(start=LAST_WEEK, end=WED)]) == 5


def test_a_pause_inside_the_week_removes_only_its_own_days():
    assert active_days(MON, ALWAYS_IN, [Pause(start=TUE, end=FRI)]) == 4


def test_an_open_ended_pause_from_before_the_week_leaves_no_active_days():
    assert active_days(MON, ALWAYS_IN, [Pause(start=LAST_WEEK, end=None)]) == 0


def test_a_pause_spanning_the_whole_week_leaves_no_active_days():
    assert active_days(MON, ALWAYS_IN, [Pause(start=LAST_WEEK, end=NEXT_MON + timedelta(7))]) == 0
    assert active_days(MON, ALWAYS_IN, [Pause(start=MON, end=NEXT_MON)]) == 0


def test_a_pause_that_ended_on_monday_or_starts_next_monday_does_not_touch_this_week():
    assert active_days(MON, ALWAYS_IN, [Pause(start=LAST_WEEK, end=MON)]) == 7
    assert active_days(MON, ALWAYS_IN, [Pause(start=NEXT_MON, end=None)]) == 7


def test_a_pause_that_ends_the_day_it_starts_pauses_nothing():
    assert active_days(MON, ALWAYS_IN, [Pause(start=WED, end=WED)]) == 7


def test_a_join_and_a_pause_in_the_same_week_combine():
    joined_wednesday = CohortMembership(joined=WED, left=None)
    # In from Wednesday; paused Thursday and Friday; back Saturday: Wed, Sat, Sun.
    assert active_days(MON, joined_wednesday, [Pause(start=THU, end=SAT)]) == 3


def test_a_pause_before_joining_is_not_subtracted_again():
    joined_wednesday = CohortMembership(joined=WED, left=None)
    assert active_days(MON, joined_wednesday, [Pause(start=MON, end=WED)]) == 5
    assert active_days(MON, joined_wednesday, [Pause(start=MON, end=THU)]) == 4


def test_overlapping_pauses_are_not_subtracted_twice():
    overlapping = [Pause(start=TUE, end=FRI), Pause(start=WED, end=SAT)]  # Tue to Fri
    assert active_days(MON, ALWAYS_IN, overlapping) == 3


def test_the_same_pause_recorded_twice_is_not_subtracted_twice():
    assert active_days(MON, ALWAYS_IN, [Pause(TUE, THU), Pause(TUE, THU)]) == 5


def test_two_separate_pauses_in_a_week_are_both_subtracted():
    assert active_days(MON, ALWAYS_IN, [Pause(TUE, WED), Pause(FRI, SAT)]) == 5


# --- Required contacts: pro-rating, rounding up -------------------------------------


@pytest.mark.parametrize("category", [FIXED, FLEX, FREE])
def test_a_full_week_requires_the_whole_level(category):
    spans = [CategorySpan(category, LONG_AGO)]
    assert required(spans=spans, defaults=TEAM_DEFAULTS) == TEAM_DEFAULTS[category]


def test_joining_on_thursday_at_level_three_requires_two_contacts():
    assert required(membership=CohortMembership(joined=THU, left=None)) == 2


@pytest.mark.parametrize(
    ("joined", "expected"),
    # ceil(3 * days / 7) for 7, 6, 5, 4, 3, 2 and 1 days in the cohort.
    [(MON, 3), (TUE, 3), (WED, 3), (THU, 2), (FRI, 2), (SAT, 1), (SUN, 1)],
    ids=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
)
def test_a_fixed_person_joining_mid_week_has_a_pro_rated_requirement_rounded_up(joined, expected):
    assert required(membership=CohortMembership(joined=joined, left=None)) == expected


@pytest.mark.parametrize(
    ("left", "expected"),
    [(MON, 0), (TUE, 1), (WED, 1), (THU, 2), (FRI, 2), (SAT, 3), (SUN, 3)],
    ids=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
)
def test_a_fixed_person_leaving_mid_week_has_a_pro_rated_requirement_rounded_up(left, expected):
    assert required(membership=CohortMembership(joined=LONG_AGO, left=left)) == expected


def test_someone_paused_all_week_is_required_to_have_no_contacts():
    assert required(pauses=[Pause(start=LAST_WEEK, end=None)]) == 0


def test_a_pause_from_wednesday_at_level_three_requires_one_contact():
    # Monday and Tuesday: ceil(3 * 2 / 7) = 1.
    assert required(pauses=[Pause(start=WED, end=None)]) == 1


def test_a_single_active_day_at_any_non_zero_level_requires_at_least_one_contact():
    for contacts_per_week in range(1, MAX_LEVEL + 1):
        assert (
            required(
                reviews=fixed_reviewed_to(contacts_per_week),
                membership=CohortMembership(joined=SUN, left=None),
            )
            == math.ceil(contacts_per_week / 7)
            >= 1
        )


def test_an_exact_share_of_the_week_is_not_rounded_up_further():
    # Level 7, three days: exactly 3, not 4.
    assert required(reviews=fixed_reviewed_to(7), pauses=[Pause(start=THU, end=None)]) == 3
    # Level 14, one day: exactly 2.
    assert required(reviews=fixed_reviewed_to(14), pauses=[Pause(start=TUE, end=None)]) == 2


def test_level_fourteen_for_six_days_requires_twelve():
    assert required(reviews=fixed_reviewed_to(14), membership=CohortMembership(TUE, None)) == 12


def test_a_level_of_zero_requires_nothing_however_many_days_are_active():
    free = [CategorySpan(FREE, LONG_AGO)]
    assert required(spans=free) == 0
    assert required(spans=free, membership=CohortMembership(joined=THU, left=None)) == 0


# --- Properties ---------------------------------------------------------------------

WEEK_OFFSETS = st.integers(min_value=-10, max_value=17)


def near_this_week(offset: int) -> date:
    return MON + timedelta(days=offset)


@st.composite
def memberships(draw):
    joined = near_this_week(draw(WEEK_OFFSETS))
    left = draw(st.one_of(st.none(), st.integers(0, 20).map(lambda n: joined + timedelta(n))))
    return CohortMembership(joined=joined, left=left)


@st.composite
def pauses(draw):
    start = near_this_week(draw(WEEK_OFFSETS))
    end = draw(st.one_of(st.none(), st.integers(0, 20).map(lambda n: start + timedelta(n))))
    return Pause(start=start, end=end)


LEVELS = st.integers(min_value=MIN_LEVEL, max_value=MAX_LEVEL)
PAUSE_LISTS = st.lists(pauses(), max_size=4)


@given(memberships(), PAUSE_LISTS, LEVELS)
def test_the_requirement_is_never_negative_nor_more_than_the_level(membership, pause_list, lvl):
    needed = required(reviews=fixed_reviewed_to(lvl), membership=membership, pauses=pause_list)
    assert 0 <= needed <= lvl


@given(memberships(), PAUSE_LISTS, LEVELS)
def test_the_requirement_is_the_level_times_the_share_of_active_days_rounded_up(
    membership, pause_list, lvl
):
    days = active_days(MON, membership, pause_list)
    needed = required(reviews=fixed_reviewed_to(lvl), membership=membership, pauses=pause_list)
    assert needed == math.ceil(Fraction(lvl * days, 7))
    if days == 7:
        assert needed == lvl
    if days == 0:
        assert needed == 0


@given(LEVELS, PAUSE_LISTS)
def test_someone_active_all_week_is_required_to_have_exactly_their_level(lvl, pause_list):
    outside_this_week = [
        p for p in pause_list if (p.end is not None and p.end <= MON) or p.start >= NEXT_MON
    ]
    assert required(reviews=fixed_reviewed_to(lvl), pauses=outside_this_week) == lvl


@given(memberships(), PAUSE_LISTS)
def test_active_days_are_the_days_in_the_cohort_and_not_paused(membership, pause_list):
    expected = 0
    for offset in range(7):
        day = MON + timedelta(days=offset)
        in_cohort = membership.joined <= day and (membership.left is None or day < membership.left)
        paused = any(p.start <= day and (p.end is None or day < p.end) for p in pause_list)
        expected += in_cohort and not paused
    assert active_days(MON, membership, pause_list) == expected


@given(memberships(), PAUSE_LISTS, pauses())
def test_another_pause_never_increases_the_requirement(membership, pause_list, extra):
    before = required(membership=membership, pauses=pause_list)
    after = required(membership=membership, pauses=[*pause_list, extra])
    assert after <= before
