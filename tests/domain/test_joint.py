"""Joint contacts as plain rules (app/domain/joint.py): one meeting, one contact."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.domain import joint
from app.domain.joint import CountsFor, Record
from app.domain.weeks import LONDON

POLICE, PROBATION, THIRD = 1, 2, 3
TEN = datetime(2026, 6, 2, 9, 0, tzinfo=timezone.utc)


def record(id, by, at=TEN, colleagues=(), person=7, **fields) -> Record:
    return Record(id, person, at, by, frozenset(colleagues), **fields)


def test_two_officers_who_name_each_other_within_two_hours_recorded_one_meeting():
    first = record("a", POLICE, colleagues=[PROBATION])
    assert joint.same_meeting(first, record("b", PROBATION, TEN + timedelta(minutes=40)))
    assert joint.same_meeting(first, record("b", PROBATION, TEN + timedelta(hours=2)))  # two hours is within
    assert not joint.same_meeting(first, record("b", PROBATION, TEN + timedelta(hours=2, seconds=1)))


def test_either_record_naming_the_other_officer_is_enough():
    assert joint.same_meeting(record("a", POLICE), record("b", PROBATION, colleagues=[POLICE]))
    assert joint.same_meeting(record("a", POLICE, colleagues=[PROBATION]), record("b", PROBATION))


def test_another_person_or_the_same_officer_twice_is_never_one_meeting():
    first = record("a", POLICE, colleagues=[PROBATION])
    assert not joint.same_meeting(first, record("b", PROBATION, person=8))
    assert not joint.same_meeting(first, record("b", POLICE, colleagues=[PROBATION]))


def test_officers_who_did_not_name_each_other_are_possibly_the_same_never_linked():
    first, second = record("a", POLICE), record("b", PROBATION, TEN + timedelta(minutes=30))
    assert not joint.same_meeting(first, second)
    assert joint.possibly_same(first, second)
    assert not joint.possibly_same(first, record("b", PROBATION, TEN + timedelta(hours=3)))
    assert not joint.possibly_same(first, record("b", PROBATION, voided=True))
    assert not joint.possibly_same(first, record("b", PROBATION, same_as="z"))
    assert not joint.possibly_same(record("a", POLICE, colleagues=[PROBATION]), second)  # linked instead


def test_the_second_record_is_linked_to_the_record_that_counts_never_to_a_second_record():
    counted = record("a", POLICE, colleagues=[PROBATION, THIRD])
    second = record("b", PROBATION, TEN + timedelta(minutes=5), colleagues=[POLICE], same_as="a")
    third = record("c", THIRD, TEN + timedelta(minutes=6), colleagues=[PROBATION])
    assert joint.counted_record(third, [second]) == "a"
    assert joint.counted_record(third, [counted, second]) == "a"
    assert joint.counted_record(record("d", PROBATION, colleagues=[POLICE]), [record("a", POLICE, voided=True)]) is None
    assert joint.counted_record(record("d", THIRD), [counted]) == "a"  # the counted record names the third
    assert joint.counted_record(record("d", THIRD), []) is None


def test_a_meeting_recorded_by_both_counts_once_and_voiding_either_copy_keeps_it_counted_once():
    first = record("a", POLICE, colleagues=[PROBATION])
    second = record("b", PROBATION, TEN + timedelta(minutes=10), colleagues=[POLICE], same_as="a")
    assert joint.meetings([first, second]) == 1
    # The counted one is voided: the other takes the count.
    assert joint.successor([second]) == "b"
    assert joint.meetings([record("a", POLICE, voided=True, same_as="b"), record("b", PROBATION)]) == 1
    # The second copy is voided: the first still counts, once.
    assert joint.meetings([first, record("b", PROBATION, voided=True, same_as="a")]) == 1
    # Both voided: nothing counts, and no one takes the count.
    assert joint.successor([record("b", PROBATION, voided=True)]) is None


def test_the_earliest_remaining_record_takes_the_count():
    later = record("c", THIRD, TEN + timedelta(minutes=30))
    earlier = record("b", PROBATION, TEN + timedelta(minutes=10))
    assert joint.successor([later, earlier]) == "b"


def test_which_agency_a_contact_counts_for():
    assert joint.counts_for(["police", "probation"]) is CountsFor.BOTH
    assert joint.counts_for(["police", "police"]) is CountsFor.POLICE
    assert joint.counts_for(["probation", "partner"]) is CountsFor.PROBATION
    assert joint.counts_for(["partner"]) is CountsFor.PARTNER


# The clocks go back at 02:00 BST on Sunday 25 October 2026: 01:00-02:00 happens twice.
FIRST_0110 = datetime(2026, 10, 25, 1, 10, tzinfo=LONDON, fold=0)  # 00:10 UTC, BST
SECOND_0150 = datetime(2026, 10, 25, 1, 50, tzinfo=LONDON, fold=1)  # 01:50 UTC, GMT


def test_two_hours_is_real_time_when_the_clocks_go_back():
    # 40 minutes apart by the wall clock, 1 h 40 min apart in fact: within the window.
    assert joint.apart(FIRST_0110, SECOND_0150) == timedelta(hours=1, minutes=40)
    assert joint.same_meeting(record("a", POLICE, FIRST_0110, [PROBATION]), record("b", PROBATION, SECOND_0150))
    # 00:30 BST and 02:20 GMT: 1 h 50 min by the wall clock, 2 h 50 min in fact: not the same meeting.
    early = datetime(2026, 10, 25, 0, 30, tzinfo=LONDON)
    late = datetime(2026, 10, 25, 2, 20, tzinfo=LONDON)
    assert late - early == timedelta(hours=1, minutes=50)  # what Python's wall-clock subtraction says
    assert not joint.same_meeting(record("a", POLICE, early, [PROBATION]), record("b", PROBATION, late))
    assert not joint.possibly_same(record("a", POLICE, early), record("b", PROBATION, late))


def test_a_record_needs_an_aware_time():
    with pytest.raises(ValueError):
        Record("a", 1, datetime(2026, 6, 2, 9), POLICE)
