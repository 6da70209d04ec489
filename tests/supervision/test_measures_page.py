"""How the team is doing (toolkit §10): the team page of measures, its chart and its CSV."""

import csv
import io
import re
import uuid
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from tests import factories
from tests.supervision.conftest import LAST_WEEK, THIS_WEEK, at, text_of
from tests.supervision.test_query_count import a_team_of, queries_for


def table_rows(page: str, key: str) -> dict[str, str]:
    """The rows of one category's table, by week (as text)."""
    table = re.search(rf'<table class="table" id="measures-table-{key}">.*?</table>', page, flags=re.S)
    assert table, key
    rows = [text_of(row) for row in re.findall(r'<tr class="measures-row">.*?</tr>', table.group(0), flags=re.S)]
    return {" ".join(row.split()[:3]): row for row in rows}


def a_team_with_known_contacts(supervisor, officer):
    """Three Fixed people last week (required 3 each): one offered 3 (2 kept), one offered 1, and
    one paused all week; a Flex person offered 1 by a probation officer (kept)."""
    team = supervisor.team
    probation = factories.user(team, "probation@powys.example", agency="probation")
    met = factories.person(team, "Rhys Evans", joined_on=date(2026, 6, 1))
    short = factories.person(team, "Aled Jones", joined_on=date(2026, 6, 1))
    paused = factories.person(team, "Gethin Custody", joined_on=date(2026, 6, 1))
    flex = factories.person(team, "Siân Flex", category="flex", joined_on=date(2026, 6, 1))
    factories.pause(paused, LAST_WEEK - timedelta(days=3), THIS_WEEK + timedelta(days=3))
    for day, outcome in ((0, "kept"), (1, "kept"), (2, "did_not_attend")):
        factories.contact(met, officer, at(LAST_WEEK + timedelta(days=day)), outcome=outcome)
    factories.contact(short, probation, at(LAST_WEEK + timedelta(days=1)), outcome="not_at_home")
    factories.contact(flex, probation, at(LAST_WEEK + timedelta(days=3)))
    return probation


def test_a_team_with_known_contacts_shows_the_right_shares(client, supervisor, officer, signed_in):
    a_team_with_known_contacts(supervisor, officer)
    page = signed_in(supervisor).get("/supervision/measures").get_data(as_text=True)
    assert "How the team is doing: Powys IOM" in page
    # Week | in cohort | required | offered at least | kept at least | offered rate | kept rate | police | rate
    # | probation | rate | arranged | outcome missing
    assert table_rows(page, "fixed")["9 November 2026"] == "9 November 2026 3 2 50% 0% 67% 50% 3 67% 1 0% 0 0"
    assert table_rows(page, "flex")["9 November 2026"] == "9 November 2026 1 1 100% 100% 100% 100% 0 Nothing to count 1 100% 0 0"
    assert table_rows(page, "all")["9 November 2026"] == "9 November 2026 4 3 67% 33% 71% 60% 3 67% 2 50% 0 0"
    assert table_rows(page, "free")["9 November 2026"].startswith("9 November 2026 0 0 Nothing to count")


def test_last_weeks_figures_are_shown_first(client, supervisor, officer, signed_in):
    a_team_with_known_contacts(supervisor, officer)
    page = signed_in(supervisor).get("/supervision/measures").get_data(as_text=True)
    totals = text_of(re.search(r'<dl class="totals" id="last-week-totals">.*?</dl>', page, flags=re.S).group(0))
    assert totals == ("Offered at least their required level 67% Kept at least their required level 33% "
                      "Offered rate 71% Kept rate 60% Contacts offered by the police 3 "
                      "Contacts offered by probation 2 Contacts arranged 0 Contacts arranged with the outcome missing 0")
    assert "Week beginning Monday 9 November 2026" in page


def test_the_cohort_size_is_set_against_the_toolkits_guidance(client, supervisor, officer, signed_in):
    a_team_with_known_contacts(supervisor, officer)
    page = signed_in(supervisor).get("/supervision/measures").get_data(as_text=True)
    sentence = text_of(re.search(r'<p id="cohort-size-sentence">.*?</p>', page, flags=re.S).group(0))
    assert sentence == ("4 people are in the cohort this week: fewer than the 60 to 100 the toolkit suggests "
                        "for a smaller CSP area.")


def test_the_chart_has_labelled_axes_and_says_each_week_in_words(client, supervisor, officer, signed_in):
    a_team_with_known_contacts(supervisor, officer)
    page = signed_in(supervisor).get("/supervision/measures").get_data(as_text=True)
    chart = re.search(r'<svg class="chart chart--share".*?</svg>', page, flags=re.S).group(0)  # the first: every category
    assert 'role="img"' in chart and 'aria-labelledby="measures-chart-all-title"' in chart
    assert 'aria-describedby="measures-chart-all-desc"' in chart
    assert ("The share of people in every category who were offered, and who kept, at least their required level"
            " each week.") in chart
    assert ("Week beginning 9 November 2026. Offered at least their required level: 67%. "
            "Kept at least their required level: 33%.") in chart
    assert "Week beginning 16 November 2026. Offered at least their required level: 0%." in chart
    assert ">Week beginning</text>" in chart and ">Share of people</text>" in chart
    assert ">0%</text>" in chart and ">100%</text>" in chart


def test_the_agency_chart_says_each_weeks_contacts_by_agency(client, supervisor, officer, signed_in):
    a_team_with_known_contacts(supervisor, officer)
    page = signed_in(supervisor).get("/supervision/measures").get_data(as_text=True)
    chart = re.search(r'<svg[^>]*aria-labelledby="measures-chart-agencies-title".*?</svg>', page, flags=re.S).group(0)
    assert "Contacts offered each week by police officers and by probation officers." in chart
    assert ("Week beginning 9 November 2026. Contacts offered by the police: 3. "
            "Contacts offered by probation: 2.") in chart
    assert ">Contacts offered</text>" in chart and ">Week beginning</text>" in chart


def test_a_bst_monday_contact_counts_in_its_week_on_the_page(client, supervisor, officer, signed_in):
    """00:30 BST on Monday 5 October 2026 is 23:30 UTC on the Sunday before."""
    person = factories.person(supervisor.team, "Rhys Evans", category="flex", joined_on=date(2026, 6, 1))
    factories.contact(person, officer, datetime(2026, 10, 4, 23, 30, tzinfo=timezone.utc))
    page = signed_in(supervisor).get("/supervision/measures").get_data(as_text=True)
    rows = table_rows(page, "flex")
    assert rows["5 October 2026"].startswith("5 October 2026 1 1 100%")
    assert rows["28 September 2026"].startswith("28 September 2026 1 1 0%")


def test_a_joint_visit_counts_for_both_agencies(client, supervisor, officer, signed_in):
    probation = factories.user(supervisor.team, "probation@powys.example", agency="probation")
    person = factories.person(supervisor.team, "Rhys Evans", category="flex", joined_on=date(2026, 6, 1))
    factories.contact(person, officer, at(LAST_WEEK), colleague_ids=[probation.id])
    page = signed_in(supervisor).get("/supervision/measures").get_data(as_text=True)
    assert table_rows(page, "flex")["9 November 2026"] == "9 November 2026 1 1 100% 100% 100% 100% 1 100% 1 100% 0 0"


def test_the_figures_download_as_csv_and_the_download_is_audited(client, supervisor, officer, signed_in):
    a_team_with_known_contacts(supervisor, officer)
    response = signed_in(supervisor).get("/supervision/measures.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="cyswllt-team-measures-2026-11-16.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["Week beginning", "Category", "People in the cohort", "People with contacts required"]
    assert len(rows) == 1 + 12 * 4
    fixed = next(row for row in rows if row[:2] == ["2026-11-09", "Fixed"])
    assert fixed[2:] == ["3", "2", "1", "50", "0", "0", "6", "4", "67", "4", "2", "50", "3", "2", "1", "0", "0", "0", "0", "0"]
    db.session.expire_all()
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "team_measures")).one()
    assert event.after["rows"] == 48


def test_the_csv_is_in_welsh_for_a_welsh_reader(client, team, officer, signed_in):
    welsh = factories.user(team, "rhingyll@powys.example", role="supervisor", language="cy")
    response = signed_in(welsh).get("/supervision/measures.csv")
    assert 'filename="cyswllt-mesurau-tim-2026-11-16.csv"' in response.headers["Content-Disposition"]
    header = next(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert header[:2] == ["Wythnos yn dechrau", "Categori"]


def test_officers_may_not_see_the_measures_and_supervisors_see_their_own_team_only(
        app, client, supervisor, officer, other_team, signed_in):
    assert signed_in(officer).get("/supervision/measures").status_code == 403
    assert client.get("/supervision/measures.csv").status_code == 403
    other = factories.user(other_team, "sergeant@caerdydd.example", role="supervisor")
    theirs = signed_in(other, app.test_client())
    assert theirs.get(f"/supervision/measures?team={supervisor.team_id}").status_code == 404  # not found, as any other team's record
    assert "How the team is doing: Caerdydd IOM" in theirs.get("/supervision/measures").get_data(as_text=True)


def test_an_administrator_chooses_the_team(client, admin, other_team, signed_in):
    page = signed_in(admin).get(f"/supervision/measures?team={other_team.id}").get_data(as_text=True)
    assert "How the team is doing: Caerdydd IOM" in page


def test_the_supervision_navigation_links_to_the_measures(app, client, supervisor, officer, signed_in):
    assert 'href="/supervision/measures"' in signed_in(supervisor).get("/supervision/week").get_data(as_text=True)
    officers_page = signed_in(officer, app.test_client()).get("/supervision/week").get_data(as_text=True)
    assert 'href="/supervision/measures"' not in officers_page


def test_the_measures_need_as_many_queries_for_30_people_as_for_3(app, signed_in):
    small = a_team_of(3, "Bach IOM")
    large = a_team_of(30, "Mawr IOM")
    for url, most in (("/supervision/measures", 10), ("/supervision/measures.csv", 14)):  # the CSV is audited
        small_count = queries_for(app.test_client(), signed_in, small, url)
        large_count = queries_for(app.test_client(), signed_in, large, url)
        assert small_count == large_count, url
        assert large_count <= most, (url, large_count)


def test_contacts_arranged_and_those_whose_outcome_is_missing_are_counted_each_week(client, supervisor, officer,
                                                                                     signed_in):
    from app.arrangements import operations as arranging
    from tests.supervision.conftest import NOW

    person = factories.person(supervisor.team, "Rhys Evans", category="flex", joined_on=date(2026, 6, 1))
    factories.arrangement(person, officer, at(LAST_WEEK))  # never recorded: its outcome is missing
    cancelled = factories.arrangement(person, officer, at(LAST_WEEK + timedelta(days=1)))
    arranging.cancel(db.session, officer, cancelled, cancelled_by="person", reason="Ill.", now=NOW)
    recorded = factories.arrangement(person, officer, at(LAST_WEEK + timedelta(days=2)))
    arranging.record_outcome(db.session, officer, recorded, outcome="kept", contact_id=uuid.uuid4(), now=NOW)
    factories.arrangement(person, officer, NOW + timedelta(days=1))  # this week, still to come
    db.session.commit()

    client = signed_in(supervisor)
    rows = table_rows(client.get("/supervision/measures").get_data(as_text=True), "flex")
    assert rows["9 November 2026"].endswith(" 2 1")  # arranged (the cancelled one not), outcome missing
    assert rows["16 November 2026"].endswith(" 1 0")
    rows = list(csv.DictReader(io.StringIO(client.get("/supervision/measures.csv").get_data().decode("utf-8-sig"))))
    [last_week] = [row for row in rows if row["Week beginning"] == "2026-11-09" and row["Category"] == "Flex"]
    assert (last_week["Contacts arranged"], last_week["Contacts arranged with the outcome missing"]) == ("2", "1")
    assert last_week["Contacts offered"] == "1"  # the recorded one, as its contact
