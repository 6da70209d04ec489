"""How the team is doing (toolkit §10): the weekly shares, rates and agency figures."""

from datetime import date, datetime, timezone

import pytest

from app.domain.counting import WeekCount
from app.domain.measures import (
    ALL,
    CohortBand,
    ContactCredit,
    credited_agencies,
    cohort_size_band,
    percent,
    week_measures,
)
from app.domain.weeks import week_start, weeks_ending_with

WEEK = date(2026, 11, 9)
BEFORE = date(2026, 11, 2)


def count(week, required, offered, kept):
    return WeekCount(week, required, offered, kept)


def test_the_share_who_met_their_level_leaves_out_people_with_nothing_required():
    people = [
        (1, "fixed", count(WEEK, 3, 3, 2)),  # met, did not keep enough
        (2, "fixed", count(WEEK, 3, 1, 1)),  # short
        (3, "fixed", count(WEEK, 0, 0, 0)),  # paused all week
        (4, "flex", count(WEEK, 1, 2, 2)),  # met and kept
    ]
    measures = week_measures(people, [], [WEEK])
    fixed = measures[WEEK, "fixed"]
    assert (fixed.in_cohort, fixed.required_people, fixed.met, fixed.kept_enough) == (3, 2, 1, 0)
    assert fixed.met_percent == 50 and fixed.kept_enough_percent == 0
    everyone = measures[WEEK, ALL]
    assert (everyone.in_cohort, everyone.required_people, everyone.met, everyone.kept_enough) == (4, 3, 2, 1)
    assert everyone.met_percent == 67 and everyone.kept_enough_percent == 33
    assert measures[WEEK, "free"].met_percent is None  # nobody in the Free cohort: nothing to divide


def test_the_offered_rate_counts_each_persons_contacts_only_up_to_their_level():
    people = [(1, "fixed", count(WEEK, 3, 6, 6)), (2, "fixed", count(WEEK, 3, 0, 0))]
    fixed = week_measures(people, [], [WEEK])[WEEK, "fixed"]
    assert (fixed.required, fixed.offered_towards, fixed.offered, fixed.kept) == (6, 3, 6, 6)
    assert fixed.offered_rate == 50  # not 100: one person's extra contacts do not hide the other's none
    assert fixed.kept_rate == 100


def test_the_kept_rate_is_of_the_contacts_offered():
    fixed = week_measures([(1, "fixed", count(WEEK, 3, 4, 1))], [], [WEEK])[WEEK, "fixed"]
    assert fixed.kept_rate == 25


def test_a_contact_counts_for_the_agency_of_each_officer_who_was_there():
    people = [(1, "fixed", count(WEEK, 3, 3, 2))]
    credits = [
        ContactCredit(1, WEEK, True, frozenset({"police"})),
        ContactCredit(1, WEEK, False, frozenset({"probation"})),
        ContactCredit(1, WEEK, True, frozenset({"police", "probation"})),  # a joint visit
    ]
    measures = week_measures(people, credits, [WEEK])
    for category in ("fixed", ALL):
        figures = measures[WEEK, category]
        assert (figures.agency("police").offered, figures.agency("police").kept) == (2, 2)
        assert (figures.agency("probation").offered, figures.agency("probation").kept) == (2, 1)
        assert figures.agency("probation").kept_rate == 50
        assert figures.agency("partner").offered == 0 and figures.agency("partner").kept_rate is None


def test_the_agencies_credited_follow_the_joint_contact_rule():
    assert credited_agencies(["police", "probation"]) == ("police", "probation")
    assert credited_agencies(["probation", "partner"]) == ("probation",)
    assert credited_agencies(["partner"]) == ("partner",)


def test_a_contact_in_a_week_the_person_was_not_in_the_cohort_counts_for_no_agency():
    measures = week_measures([(1, "fixed", count(WEEK, 3, 0, 0))],
                             [ContactCredit(1, BEFORE, True, frozenset({"police"}))], [BEFORE, WEEK])
    assert measures[BEFORE, ALL].agency("police").offered == 0
    assert measures[BEFORE, ALL].in_cohort == 0


def test_every_week_and_category_has_figures_even_when_empty():
    weeks = weeks_ending_with(WEEK, 12)
    measures = week_measures([], [], weeks)
    assert len(measures) == 12 * 4
    assert all(measure.in_cohort == 0 and measure.met_percent is None for measure in measures.values())


def test_a_contact_at_half_past_midnight_on_a_bst_monday_counts_in_that_weeks_figures():
    """Sunday 23:30 UTC is 00:30 BST on Monday 5 October 2026: that Monday's week, not the one before."""
    monday, sunday_before = date(2026, 10, 5), date(2026, 9, 28)
    moment = datetime(2026, 10, 4, 23, 30, tzinfo=timezone.utc)
    credit = ContactCredit(1, week_start(moment), True, frozenset({"probation"}))
    people = [(1, "flex", count(sunday_before, 1, 0, 0)), (1, "flex", count(monday, 1, 1, 1))]
    measures = week_measures(people, [credit], [sunday_before, monday])
    assert measures[monday, "flex"].agency("probation").offered == 1
    assert measures[sunday_before, "flex"].agency("probation").offered == 0


def test_the_week_the_clocks_go_back_is_one_week_of_figures():
    """The week of Monday 19 October 2026 has 169 hours; a contact late on its Sunday is still in it."""
    weeks = weeks_ending_with(date(2026, 10, 26), 2)
    assert weeks == [date(2026, 10, 19), date(2026, 10, 26)]
    late_sunday = datetime(2026, 10, 25, 23, 30, tzinfo=timezone.utc)  # GMT again: still Sunday
    credit = ContactCredit(1, week_start(late_sunday), False, frozenset({"police"}))
    people = [(1, "fixed", count(weeks[0], 3, 1, 0)), (1, "fixed", count(weeks[1], 3, 0, 0))]
    measures = week_measures(people, [credit], weeks)
    assert measures[weeks[0], "fixed"].agency("police").offered == 1
    assert measures[weeks[1], "fixed"].agency("police").offered == 0


@pytest.mark.parametrize(("size", "band"), [
    (0, CohortBand.BELOW_SMALLER), (59, CohortBand.BELOW_SMALLER), (60, CohortBand.SMALLER),
    (100, CohortBand.SMALLER), (101, CohortBand.BETWEEN), (239, CohortBand.BETWEEN),
    (240, CohortBand.LARGER), (500, CohortBand.LARGER), (501, CohortBand.ABOVE_LARGER),
])
def test_the_cohort_size_is_placed_against_the_toolkits_guidance(size, band):
    assert cohort_size_band(size) is band


def test_a_negative_cohort_size_is_refused():
    with pytest.raises(ValueError):
        cohort_size_band(-1)


def test_percentages_round_half_up_and_have_no_answer_for_nothing():
    assert (percent(1, 8), percent(1, 2), percent(2, 3), percent(0, 0)) == (13, 50, 67, None)


def test_arranged_contacts_are_counted_by_week_and_category_with_those_whose_outcome_is_missing():
    from app.domain.measures import ArrangedCredit

    people = [(1, "fixed", count(WEEK, 3, 1, 1)), (2, "flex", count(WEEK, 1, 0, 0))]
    arranged = [
        ArrangedCredit(1, WEEK, outcome_missing=False),
        ArrangedCredit(1, WEEK, outcome_missing=True),
        ArrangedCredit(2, WEEK, outcome_missing=True),
        ArrangedCredit(3, WEEK, outcome_missing=True),  # not in the cohort that week: left out
    ]
    measures = week_measures(people, [], [WEEK], arranged)
    assert (measures[WEEK, "fixed"].arranged, measures[WEEK, "fixed"].outcome_missing) == (2, 1)
    assert (measures[WEEK, "flex"].arranged, measures[WEEK, "flex"].outcome_missing) == (1, 1)
    assert (measures[WEEK, ALL].arranged, measures[WEEK, ALL].outcome_missing) == (3, 2)
    assert measures[WEEK, ALL].offered == 1  # arranging is never offering
