"""The counting rules as production runs them: contacts stored, then counted by the SQL in
app/weekly_counts.py (``load_tallies``, ``weekly_counts``), on SQLite and PostgreSQL alike.

tests/domain/test_counting.py states the same rules over plain Python values; these tests
fail if the queries production uses disagree with them (a week boundary in BST, the
repeated hour when the clocks go back, voided contacts, kept and face to face)."""

from __future__ import annotations

from datetime import date, datetime, timezone

from app import weekly_counts
from app.extensions import db
from tests import factories

MONDAY = date(2026, 6, 1)  # BST
LAST_WEEK = date(2026, 5, 25)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def tallies(person, weeks):
    return weekly_counts.load_tallies(db.session, [person.id], weeks)


def test_offered_counts_every_outcome_kept_only_kept_and_a_void_contact_nothing(officer):
    person = factories.person(officer.team)
    factories.contact(person, officer, at(2026, 6, 2, 10), outcome="kept")
    factories.contact(person, officer, at(2026, 6, 2, 11), outcome="did_not_attend")
    factories.contact(person, officer, at(2026, 6, 2, 12), outcome="refused")
    voided = factories.contact(person, officer, at(2026, 6, 2, 13), outcome="kept")
    voided.voided = True
    db.session.commit()
    assert tallies(person, [MONDAY]) == {(person.id, MONDAY): (3, 1, 3)}


def test_a_contact_at_0030_on_a_bst_monday_counts_in_that_week_and_2359_sunday_in_the_last(officer):
    person = factories.person(officer.team)
    factories.contact(person, officer, at(2026, 5, 31, 23, 30))  # 00:30 BST, Monday 1 June
    factories.contact(person, officer, at(2026, 5, 31, 22, 59))  # 23:59 BST, Sunday 31 May
    assert tallies(person, [LAST_WEEK, MONDAY]) == {(person.id, MONDAY): (1, 1, 1), (person.id, LAST_WEEK): (1, 1, 1)}


def test_a_contact_in_the_repeated_hour_when_the_clocks_go_back_counts_in_that_week(officer):
    person = factories.person(officer.team)
    factories.contact(person, officer, at(2026, 10, 25, 0, 30))  # 01:30 BST, the first 01:30
    factories.contact(person, officer, at(2026, 10, 25, 1, 30))  # 01:30 GMT, the second
    factories.contact(person, officer, at(2026, 10, 25, 23, 59))  # 23:59 GMT Sunday
    factories.contact(person, officer, at(2026, 10, 26, 0, 0))  # 00:00 GMT Monday: the next week
    week, next_week = date(2026, 10, 19), date(2026, 10, 26)
    assert tallies(person, [week, next_week]) == {(person.id, week): (3, 3, 3), (person.id, next_week): (1, 1, 1)}


def test_phone_and_video_contacts_are_offered_but_not_face_to_face(officer):
    person = factories.person(officer.team)
    factories.contact(person, officer, at(2026, 6, 2, 10), type="phone")
    factories.contact(person, officer, at(2026, 6, 2, 11), type="video_online", outcome="did_not_attend")
    factories.contact(person, officer, at(2026, 6, 2, 12), type="office")
    assert tallies(person, [MONDAY]) == {(person.id, MONDAY): (3, 2, 1)}


def test_the_weeks_count_joins_the_tallies_to_the_required_level(officer):
    person = factories.person(officer.team, category="fixed", joined_on=date(2026, 1, 5))
    factories.contact(person, officer, at(2026, 6, 1, 9))
    factories.contact(person, officer, at(2026, 6, 3, 9), outcome="not_at_home")
    count = weekly_counts.weekly_counts(db.session, [person], [MONDAY])[person.id, MONDAY]
    assert (count.required, count.offered, count.kept, count.face_to_face) == (3, 2, 1, 2)
    assert count.still_needed == 1


def test_a_joint_visit_recorded_by_both_officers_counts_once_and_a_void_hands_the_count_on(officer, team):
    """The same rule as tests/domain/test_joint.py, in the repeated hour when the clocks go back."""
    from app.contacts.operations import void_contact

    probation = factories.user(team, "probation@powys.example", agency="probation")
    person = factories.person(officer.team)
    first = factories.contact(person, officer, at(2026, 10, 25, 0, 10), colleague_ids=[probation.id])  # 01:10 BST
    second = factories.contact(person, probation, at(2026, 10, 25, 1, 50), same_as_id=first.id)  # 01:50 GMT
    week = date(2026, 10, 19)
    assert tallies(person, [week]) == {(person.id, week): (1, 1, 1)}
    void_contact(db.session, officer, first.id, now=at(2026, 10, 25, 9), reason="Recorded by my colleague")
    db.session.commit()
    assert tallies(person, [week]) == {(person.id, week): (1, 1, 1)}
    assert db.session.get(type(second), second.id).same_as_id is None
