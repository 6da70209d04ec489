"""The caseload page: this week's required, offered and kept for each person."""

import re
from datetime import date, datetime, timezone

import pytest

from app.extensions import db
from tests import factories

WEDNESDAY_NOON = datetime(2026, 11, 18, 12, 0, tzinfo=timezone.utc)  # week of Monday 16 November
MONDAY = date(2026, 11, 16)


@pytest.fixture(autouse=True)
def fixed_clock(app):
    app.config["FIXED_NOW"] = WEDNESDAY_NOON


def rows(page: str) -> list[str]:
    items = re.findall(r'<li class="caseload__row.*?</li>', page, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in items]


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=timezone.utc)


def test_offered_counts_every_outcome_and_kept_counts_only_kept(client, officer, signed_in):
    person = factories.person(officer.team, "Rhys Evans")
    factories.contact(person, officer, at(16), outcome="kept")
    factories.contact(person, officer, at(17), outcome="did_not_attend")
    [row] = rows(signed_in(officer).get("/").get_data(as_text=True))
    assert "Offered: 2 · Kept: 1 · Required: 3" in row
    assert "Short by 1 contact" in row


def test_a_void_contact_counts_for_nothing(client, officer, signed_in):
    person = factories.person(officer.team)
    factories.contact(person, officer, at(16))
    voided = factories.contact(person, officer, at(17))
    voided.voided = True
    db.session.commit()
    [row] = rows(signed_in(officer).get("/").get_data(as_text=True))
    assert "Offered: 1 · Kept: 1 · Required: 3" in row


def test_contacts_in_other_weeks_do_not_count_this_week(client, officer, signed_in):
    person = factories.person(officer.team)
    factories.contact(person, officer, datetime(2026, 11, 15, 23, 59, tzinfo=timezone.utc))  # Sunday
    [row] = rows(signed_in(officer).get("/").get_data(as_text=True))
    assert "Offered: 0 · Kept: 0 · Required: 3" in row


def test_people_still_needing_contacts_come_first(client, officer, signed_in):
    done = factories.person(officer.team, "Aled Met", category="flex")
    factories.contact(done, officer, at(16))
    factories.person(officer.team, "Zac Short", category="fixed")
    one_short = factories.person(officer.team, "Bryn Nearly", category="fixed")
    factories.contact(one_short, officer, at(16))
    factories.contact(one_short, officer, at(17))
    order = [row.split(" ")[0] for row in rows(signed_in(officer).get("/").get_data(as_text=True))]
    assert order == ["Zac", "Bryn", "Aled"]


def test_a_person_paused_all_week_is_not_required(client, officer, signed_in):
    person = factories.person(officer.team, "Gethin Custody")
    factories.pause(person, date(2026, 11, 2), None)
    [row] = rows(signed_in(officer).get("/").get_data(as_text=True))
    assert "Not required this week" in row
    assert "Required: 0" in row


def test_a_reviewed_level_replaces_the_category_default(client, officer, signed_in):
    person = factories.person(officer.team)
    factories.review(person, date(2026, 10, 1), 1)
    factories.contact(person, officer, at(16))
    [row] = rows(signed_in(officer).get("/").get_data(as_text=True))
    assert "Required: 1" in row
    assert "Met" in row


def test_a_team_default_replaces_the_national_default(client, team, signed_in):
    team.default_flex = 2
    db.session.commit()
    officer = factories.user(team, "o@powys.example")
    factories.person(team, category="flex")
    [row] = rows(signed_in(officer).get("/").get_data(as_text=True))
    assert "Required: 2" in row


def test_someone_who_joined_on_thursday_needs_a_pro_rated_number(client, officer, signed_in):
    factories.person(officer.team, joined_on=date(2026, 11, 19))
    [row] = rows(signed_in(officer).get("/").get_data(as_text=True))
    assert "Offered: 0 · Kept: 0 · Required: 2" in row


def test_people_who_have_left_the_cohort_are_not_on_the_caseload(client, officer, signed_in):
    factories.person(officer.team, "Gone Away", left_on=date(2026, 11, 1))
    assert rows(signed_in(officer).get("/").get_data(as_text=True)) == []


def test_the_last_contact_is_shown_in_london_time(client, officer, signed_in):
    person = factories.person(officer.team)
    factories.contact(person, officer, datetime(2026, 11, 17, 18, 30, tzinfo=timezone.utc))
    [row] = rows(signed_in(officer).get("/").get_data(as_text=True))
    assert "Last contact: 17 November, 18:30" in row


def test_the_caseload_reads_in_welsh_with_welsh_plurals_and_dates(client, team, signed_in):
    welsh_officer = factories.user(team, "swyddog@powys.example", language="cy")
    person = factories.person(team, "Rhys Evans")
    factories.contact(person, welsh_officer, at(16))
    page = signed_in(welsh_officer).get("/").get_data(as_text=True)
    assert '<html lang="cy">' in page
    assert "Wythnos yn dechrau ddydd Llun 16 Tachwedd 2026" in page
    [row] = rows(page)
    assert "2 gyswllt yn brin" in row
    assert "Sefydlog" in row


def test_the_person_page_shows_twelve_weeks_newest_first(client, officer, signed_in):
    person = factories.person(officer.team, joined_on=date(2026, 1, 5))
    factories.contact(person, officer, at(16), outcome="refused")
    page = signed_in(officer).get(f"/people/{person.id}").get_data(as_text=True)
    weeks = re.findall(r'<th scope="row">([^<]+)</th>', page)
    assert len(weeks) == 12
    assert weeks[0] == "16 November 2026"
    assert weeks[-1] == "31 August 2026"
    assert "Refused" in page
