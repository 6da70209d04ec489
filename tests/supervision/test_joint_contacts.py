"""Joint contacts in the supervision pages: counted once in the week view, the all-Wales
summary and the person page; shown under every officer there in the contact log and its CSV;
records that may be one meeting listed for a supervisor to confirm or dismiss (audited)."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.contacts import joint
from app.extensions import db
from app.models import AuditEvent, Contact, PossibleDuplicateDismissal
from tests import factories
from tests.supervision.conftest import LAST_WEEK, THIS_WEEK, at, row_for, text_of


@pytest.fixture
def probation(team):
    return factories.user(team, "probation@powys.example", agency="probation", name="Nia Rowlands")


@pytest.fixture
def police(officer):
    return officer


def joint_visit(person, police, probation, when=None):
    """A home visit by both officers, each recording it and naming the other, linked as sync links it."""
    when = when or at(THIS_WEEK + timedelta(days=1))
    first = factories.contact(person, police, when, colleague_ids=[probation.id])
    second = factories.contact(person, probation, when + timedelta(minutes=5), colleague_ids=[police.id],
                               same_as_id=first.id)
    return first, second


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_joint_visit_recorded_by_both_officers_counts_once_in_the_week_view(supervisor, police, probation, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans", offender_manager=police)
    joint_visit(person, police, probation)
    row = row_for(signed_in(supervisor).get("/supervision/week").get_data(as_text=True), "Rhys Evans")
    assert " 3 0 1 1 Short by 2 contacts" in row


def test_the_all_wales_summary_counts_it_once(admin, police, probation, team, signed_in):
    person = factories.person(team, "Rhys Evans", category="flex")
    joint_visit(person, police, probation)
    page = text_of(signed_in(admin).get("/supervision/wales").get_data(as_text=True))
    assert "Powys" in page
    from app.supervision import queries
    summary, _totals = queries.wales_summary(db.session, THIS_WEEK, "en")
    assert [row.totals.met for row in summary if row.team.id == team.id] == [1]


def test_the_person_page_shows_both_copies_recorded_by_both_of_you_and_counts_once(police, probation, signed_in, client):
    person = factories.person(police.team, "Rhys Evans")
    joint_visit(person, police, probation)
    page = text_of(signed_in(police).get(f"/people/{person.id}").get_data(as_text=True))
    assert page.count("Recorded by both of you: counted once.") == 2
    assert page.count("A second record of the same contact: it is not counted again.") == 1
    assert "Officers there: Officer (Police); Nia Rowlands (Probation)" in page
    assert "Counts for: police and probation" in page
    assert "16 Nov 2026 3 1 1" in page or " 3 1 1 " in page


def test_a_supervisor_who_did_not_record_it_sees_it_recorded_by_two_officers(supervisor, police, probation, signed_in):
    person = factories.person(police.team, "Rhys Evans")
    joint_visit(person, police, probation)
    page = text_of(signed_in(supervisor).get(f"/people/{person.id}").get_data(as_text=True))
    assert "Recorded by 2 officers: counted once." in page
    assert "Recorded by both of you" not in page


def test_the_contact_log_and_its_csv_list_the_meeting_once_under_every_officer_there(
    supervisor, police, probation, signed_in
):
    person = factories.person(police.team, "Rhys Evans")
    first, _second = joint_visit(person, police, probation)
    alone = factories.contact(person, police, at(THIS_WEEK + timedelta(days=2)))
    client = signed_in(supervisor)
    page = text_of(client.get("/supervision/contacts").get_data(as_text=True))
    assert "2 contacts." in page
    assert "Joint contact Officers there: Officer (Police); Nia Rowlands (Probation)" in page
    rows = list(csv.DictReader(io.StringIO(client.get("/supervision/contacts.csv").get_data(as_text=True).lstrip("\ufeff"))))
    by_id = {row[next(iter(row))]: row for row in rows}
    assert set(by_id) == {str(first.id), str(alone.id)}
    assert by_id[str(first.id)]["Joint contact"] == "Yes"
    assert by_id[str(first.id)]["Officers there"] == "Officer (Police); Nia Rowlands (Probation)"
    assert by_id[str(first.id)]["Counts for"] == "Police and probation"
    assert by_id[str(alone.id)]["Joint contact"] == "No"
    assert by_id[str(alone.id)]["Counts for"] == "Police"


def test_officers_present_is_every_officer_named_by_any_record_of_the_meeting(police, probation, team):
    third = factories.user(team, "third@powys.example", agency="police", name="Aled Bowen")
    person = factories.person(team)
    first = factories.contact(person, police, at(THIS_WEEK), colleague_ids=[probation.id])
    factories.contact(person, probation, at(THIS_WEEK), colleague_ids=[third.id], same_as_id=first.id)
    assert [officer.name for officer in joint.officers_present(db.session, first)] == [
        "Officer", "Nia Rowlands", "Aled Bowen"]


def test_records_by_officers_who_did_not_name_each_other_are_listed_as_possibly_the_same(
    supervisor, police, probation, signed_in
):
    person = factories.person(police.team, "Rhys Evans")
    factories.contact(person, police, at(THIS_WEEK, 10))
    factories.contact(person, probation, at(THIS_WEEK, 11))
    factories.contact(person, probation, at(THIS_WEEK + timedelta(days=2), 11))  # days apart: not listed
    page = signed_in(supervisor).get("/supervision/week").get_data(as_text=True)
    assert "Possibly the same contact" in page
    assert text_of(page).count("recorded by Nia Rowlands") == 1
    assert " 3 0 3 3 " in row_for(page, "Rhys Evans")  # both counted until a supervisor decides


def test_a_pair_either_side_of_midnight_on_sunday_is_listed_in_both_weeks(supervisor, police, probation, signed_in):
    """One record late on Sunday (last week), the other just after midnight (this week), an
    hour apart in GMT: the pair is listed in the week view of each of the two weeks."""
    person = factories.person(police.team, "Rhys Evans", joined_on=LAST_WEEK)
    factories.contact(person, police, datetime(2026, 11, 15, 23, 30, tzinfo=timezone.utc))
    factories.contact(person, probation, datetime(2026, 11, 16, 0, 30, tzinfo=timezone.utc))
    client = signed_in(supervisor)
    for week in (LAST_WEEK, THIS_WEEK):
        page = client.get(f"/supervision/week?week={week.isoformat()}").get_data(as_text=True)
        assert "Possibly the same contact" in page, week
        assert text_of(page).count("recorded by Nia Rowlands") == 1, week


def test_an_officer_sees_no_possibly_the_same_list(police, probation, signed_in):
    person = factories.person(police.team, "Rhys Evans")
    factories.contact(person, police, at(THIS_WEEK, 10))
    factories.contact(person, probation, at(THIS_WEEK, 11))
    assert "Possibly the same contact" not in signed_in(police).get("/supervision/week").get_data(as_text=True)


def test_confirming_links_them_counts_once_and_is_audited(supervisor, police, probation, signed_in):
    person = factories.person(police.team, "Rhys Evans")
    first = factories.contact(person, police, at(THIS_WEEK, 10))
    second = factories.contact(person, probation, at(THIS_WEEK, 11))
    client = signed_in(supervisor)
    page = client.get("/supervision/week").get_data(as_text=True)
    response = client.post(f"/supervision/possible/{first.id}/confirm", data={
        "csrf_token": csrf(page), "other": str(second.id), "week": THIS_WEEK.isoformat()})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Contact, second.id).same_as_id == first.id
    after = client.get(response.location).get_data(as_text=True)
    assert "The two records are now one contact, counted once." in after
    assert "Possibly the same contact" not in after
    assert " 3 0 1 1 " in row_for(after, "Rhys Evans")
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "confirm_same")).all()
    assert (event.actor_id, event.entity_id, event.after["same_as_id"]) == (supervisor.id, str(second.id), str(first.id))


def test_dismissing_keeps_both_counted_stops_listing_them_and_is_audited(supervisor, police, probation, signed_in):
    person = factories.person(police.team, "Rhys Evans")
    first = factories.contact(person, police, at(THIS_WEEK, 10))
    second = factories.contact(person, probation, at(THIS_WEEK, 11))
    client = signed_in(supervisor)
    page = client.get("/supervision/week").get_data(as_text=True)
    response = client.post(f"/supervision/possible/{second.id}/dismiss", data={
        "csrf_token": csrf(page), "other": str(first.id)})
    assert response.status_code == 303
    after = client.get(response.location).get_data(as_text=True)
    assert "Possibly the same contact" not in after
    assert " 3 0 2 2 " in row_for(after, "Rhys Evans")
    [dismissal] = db.session.scalars(select(PossibleDuplicateDismissal)).all()
    assert dismissal.dismissed_by_id == supervisor.id
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "possible_duplicate_dismissals")).all()
    assert event.action == "create" and event.actor_id == supervisor.id
    # Dismissing again (a second tab) changes nothing and says so.
    again = client.post(f"/supervision/possible/{second.id}/dismiss", data={"csrf_token": csrf(page), "other": str(first.id)})
    assert "no longer" in client.get(again.location).get_data(as_text=True)
    assert len(db.session.scalars(select(PossibleDuplicateDismissal)).all()) == 1


def test_a_pair_that_is_no_longer_possibly_the_same_is_not_linked(supervisor, police, probation, signed_in):
    person = factories.person(police.team, "Rhys Evans")
    first = factories.contact(person, police, at(THIS_WEEK, 10))
    second = factories.contact(person, probation, at(THIS_WEEK, 11))
    second.voided = True
    db.session.commit()
    client = signed_in(supervisor)
    page = client.get("/supervision/week").get_data(as_text=True)
    response = client.post(f"/supervision/possible/{first.id}/confirm", data={"csrf_token": csrf(page), "other": str(second.id)})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Contact, second.id).same_as_id is None
    for other in ("", "not-a-uuid", str(first.id)):
        assert client.post(f"/supervision/possible/{first.id}/confirm",
                           data={"csrf_token": csrf(page), "other": other}).status_code == 303


def test_the_week_view_in_welsh_lists_possibly_the_same(supervisor, police, probation, signed_in, team):
    welsh = factories.user(team, "rhingyll@powys.example", role="supervisor", language="cy")
    person = factories.person(police.team, "Rhys Evans")
    factories.contact(person, police, at(THIS_WEEK, 10))
    factories.contact(person, probation, at(THIS_WEEK, 11))
    page = signed_in(welsh).get("/supervision/week").get_data(as_text=True)
    assert "Yr un cyswllt, efallai" in page
    assert "Yr un cyswllt: ei gyfrif unwaith" in page
