"""The plan's and the meeting agenda's rules, without Flask or a database."""

from dataclasses import dataclass
from datetime import date

import pytest

from app.domain.meetings import (
    amber_review_due,
    for_daily_management,
    new_admission,
    next_meeting_day,
    y2a_minimum_ending,
)
from app.domain.plans import ActionStatus, Owner, action_overdue, next_actions, overdue

TUESDAY = date(2026, 12, 1)


@dataclass
class Action:
    status: str
    due_on: date


def test_an_open_action_is_overdue_from_the_day_after_it_was_due():
    assert not action_overdue(ActionStatus.OPEN, TUESDAY, TUESDAY)
    assert action_overdue(ActionStatus.OPEN, TUESDAY, date(2026, 12, 2))


@pytest.mark.parametrize("status", [ActionStatus.DONE, ActionStatus.DROPPED, "done"])
def test_a_done_or_dropped_action_is_never_overdue(status):
    assert not action_overdue(status, date(2026, 1, 1), TUESDAY)


def test_overdue_actions_come_oldest_first_and_the_next_ones_soonest_first():
    actions = [Action("open", date(2026, 11, 20)), Action("done", date(2026, 11, 1)),
               Action("open", date(2026, 11, 10)), Action("open", date(2026, 12, 20)),
               Action("open", date(2026, 12, 5)), Action("dropped", date(2026, 12, 2))]
    assert [a.due_on.day for a in overdue(actions, TUESDAY)] == [10, 20]
    assert [a.due_on for a in next_actions(actions)] == [date(2026, 11, 10), date(2026, 11, 20), date(2026, 12, 5)]


def test_an_action_is_owned_by_one_user_or_one_partner_agency_never_both_or_neither():
    assert Owner(user_id=3).agency_name is None
    assert Owner(agency_name="  Tai Ceredigion ").agency_name == "Tai Ceredigion"
    with pytest.raises(ValueError):
        Owner()
    with pytest.raises(ValueError):
        Owner(agency_name="   ")
    with pytest.raises(ValueError):
        Owner(user_id=3, agency_name="Dyfed Drug and Alcohol Service")


def test_red_people_are_on_every_agenda_for_daily_management():
    assert for_daily_management("red")
    assert not for_daily_management("amber")


def test_an_amber_person_is_due_when_not_discussed_in_the_last_fortnight():
    assert amber_review_due("amber", None, TUESDAY)
    assert amber_review_due("amber", date(2026, 11, 17), TUESDAY)  # exactly a fortnight ago
    assert not amber_review_due("amber", date(2026, 11, 18), TUESDAY)
    assert not amber_review_due("green", None, TUESDAY)
    assert not amber_review_due("red", None, TUESDAY)


def test_new_admissions_are_those_who_joined_since_the_last_meeting():
    last = date(2026, 11, 17)
    assert not new_admission(last, last, TUESDAY)  # discussed at the last meeting already
    assert new_admission(date(2026, 11, 18), last, TUESDAY)
    assert new_admission(TUESDAY, last, TUESDAY)
    assert not new_admission(date(2026, 12, 2), last, TUESDAY)
    # With no earlier meeting: the fortnight before this one.
    assert new_admission(date(2026, 11, 17), None, TUESDAY)
    assert not new_admission(date(2026, 11, 16), None, TUESDAY)


def test_a_y2a_minimum_is_ending_when_it_ends_before_the_next_meeting():
    assert next_meeting_day(TUESDAY) == date(2026, 12, 15)
    joined = date(2026, 9, 10)  # three months: 10 December
    assert y2a_minimum_ending(True, joined, None, TUESDAY) == date(2026, 12, 10)
    assert y2a_minimum_ending(True, joined, date(2026, 12, 15), TUESDAY) is None  # on the next one's day
    assert y2a_minimum_ending(True, joined, date(2026, 11, 30), TUESDAY) is None  # ended already
    assert y2a_minimum_ending(False, joined, None, TUESDAY) is None
