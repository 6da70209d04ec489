"""The team week view: one row per person, counts against the required level, filters."""

import re
from datetime import date, timedelta

from app.extensions import db
from app.models import CategoryChange, RagChange
from app.domain.requirements import Category
from app.models import Rag
from tests import factories
from tests.supervision.conftest import LAST_WEEK, THIS_WEEK, at, row_for, week_rows


def test_each_person_has_a_row_with_required_offered_kept_and_status(client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans", offender_manager=officer)
    factories.contact(person, officer, at(THIS_WEEK), type="home_visit", outcome="kept")
    factories.contact(person, officer, at(THIS_WEEK + timedelta(days=1)), type="phone", outcome="did_not_attend")
    page = signed_in(supervisor).get("/supervision/week").get_data(as_text=True)
    row = row_for(page, "Rhys Evans")
    assert row.startswith("Rhys Evans Fixed Amber Police Officer 3 0 2 1 Short by 1 contact")
    assert "Face to face: 1 · By phone or online: 1" in row


def test_a_person_who_met_the_level_shows_met(client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team, "Aled Flex", category="flex")
    factories.contact(person, officer, at(THIS_WEEK))
    row = row_for(signed_in(supervisor).get("/supervision/week").get_data(as_text=True), "Aled Flex")
    assert " 1 0 1 1 Met " in row


def test_any_past_week_can_be_chosen_by_any_day_in_it(client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans")
    factories.contact(person, officer, at(LAST_WEEK + timedelta(days=2)))
    page = signed_in(supervisor).get("/supervision/week?week=2026-11-12").get_data(as_text=True)
    assert "Week beginning Monday 9 November 2026" in page
    assert " 3 0 1 1 Short by 2 contacts: 1 offered of 3 required" in row_for(page, "Rhys Evans")
    assert 'href="/supervision/week?week=2026-11-02"' in page
    assert 'href="/supervision/week?week=2026-11-16"' in page


def test_next_week_is_not_offered_from_this_week_and_a_future_week_shows_this_one(client, supervisor, signed_in):
    signed_in(supervisor)
    page = client.get("/supervision/week").get_data(as_text=True)
    assert "Next week" not in page
    future = client.get("/supervision/week?week=2027-01-04").get_data(as_text=True)
    assert "Week beginning Monday 16 November 2026" in future


def test_a_nonsense_week_shows_this_week(client, supervisor, signed_in):
    page = signed_in(supervisor).get("/supervision/week?week=not-a-date").get_data(as_text=True)
    assert "Week beginning Monday 16 November 2026" in page


def test_someone_paused_all_week_is_not_required_and_the_reason_is_shown(client, supervisor, signed_in):
    person = factories.person(supervisor.team, "Gethin Custody")
    factories.pause(person, date(2026, 11, 1), None, reason="custody")
    row = row_for(signed_in(supervisor).get("/supervision/week").get_data(as_text=True), "Gethin Custody")
    assert " 0 0 0 Not required this week: in custody" in row


def test_only_people_in_the_cohort_during_the_week_are_listed(client, supervisor, signed_in):
    factories.person(supervisor.team, "Left Before", joined_on=date(2026, 1, 5), left_on=date(2026, 11, 9))
    factories.person(supervisor.team, "Left Midweek", joined_on=date(2026, 1, 5), left_on=date(2026, 11, 18))
    factories.person(supervisor.team, "Joined Later", joined_on=date(2026, 11, 23))
    page = signed_in(supervisor).get("/supervision/week").get_data(as_text=True)
    names = [row.split(" Fixed")[0] for row in week_rows(page)]
    assert names == ["Left Midweek"]
    assert " 1 Left the cohort on Wednesday: 1 contact required 0 0 0 Short by 1 contact: 0 offered of 1 required" in row_for(page, "Left Midweek")  # two days of three a week


def test_another_teams_people_never_appear(client, supervisor, other_team, signed_in):
    factories.person(supervisor.team, "Aled Powys")
    factories.person(other_team, "Bethan Caerdydd")
    page = signed_in(supervisor).get("/supervision/week").get_data(as_text=True)
    assert "Aled Powys" in page and "Bethan Caerdydd" not in page


def test_asking_for_another_teams_week_is_not_found(client, supervisor, other_team, signed_in):
    assert signed_in(supervisor).get(f"/supervision/week?team={other_team.id}").status_code == 404


def test_an_admin_can_choose_any_teams_week(client, admin, other_team, signed_in):
    factories.person(other_team, "Bethan Caerdydd")
    page = signed_in(admin).get(f"/supervision/week?team={other_team.id}").get_data(as_text=True)
    assert "Team week: Caerdydd IOM" in page
    assert "Bethan Caerdydd" in page


def test_officers_see_the_week_view_read_only(client, officer, signed_in):
    factories.person(officer.team, "Rhys Evans")
    response = signed_in(officer).get("/supervision/week")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Rhys Evans" in page
    assert "You can see this week view but not change it" in page


def test_the_category_shown_for_a_past_week_is_the_one_in_force_then(client, supervisor, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans", category="flex")
    db.session.add(CategoryChange(person_id=person.id, category=Category.FIXED, effective=date(2026, 11, 16)))
    db.session.add(RagChange(person_id=person.id, rag=Rag.RED, effective=date(2026, 1, 5)))
    db.session.add(RagChange(person_id=person.id, rag=Rag.GREEN, effective=date(2026, 11, 16)))
    person.category, person.rag = Category.FIXED, Rag.GREEN
    db.session.commit()
    signed_in(supervisor)
    assert row_for(client.get("/supervision/week").get_data(as_text=True), "Rhys Evans").startswith(
        "Rhys Evans Fixed Green")
    assert row_for(client.get("/supervision/week?week=2026-11-09").get_data(as_text=True), "Rhys Evans").startswith(
        "Rhys Evans Flex Red Police Not assigned 1 ")


def test_filters_narrow_the_rows_and_unknown_values_are_ignored(client, supervisor, officer, signed_in):
    met = factories.person(supervisor.team, "Aled Met", category="flex", offender_manager=officer)
    factories.contact(met, officer, at(THIS_WEEK))
    factories.person(supervisor.team, "Bryn Short", category="fixed", rag="red")
    factories.person(supervisor.team, "Cai Free", category="free", rag="green")
    signed_in(supervisor)

    def names(query):
        return [row.split(" ")[0] for row in week_rows(client.get("/supervision/week?" + query).get_data(as_text=True))]

    assert names("status=short") == ["Bryn"]
    assert names("status=met") == ["Aled"]
    assert names("status=not_required") == ["Cai"]
    assert names("category=fixed") == ["Bryn"]
    assert names("rag=green") == ["Cai"]
    assert names(f"manager={officer.id}") == ["Aled"]
    assert names("manager=0&sort=name") == ["Bryn", "Cai"]
    assert names("category=purple&status=maybe&sort=name") == ["Aled", "Bryn", "Cai"]


def test_sorting_by_status_puts_the_shortest_first(client, supervisor, officer, signed_in):
    nearly = factories.person(supervisor.team, "Aled Nearly")
    factories.contact(nearly, officer, at(THIS_WEEK))
    factories.contact(nearly, officer, at(THIS_WEEK))
    factories.person(supervisor.team, "Zac None")
    factories.person(supervisor.team, "Bryn Free", category="free")
    page = signed_in(supervisor).get("/supervision/week").get_data(as_text=True)
    assert [row.split(" ")[0] for row in week_rows(page)] == ["Zac", "Aled", "Bryn"]


def test_sorting_names_follows_welsh_order_for_welsh_readers(client, team, signed_in):
    reader = factories.user(team, "rhingyll@powys.example", role="supervisor", language="cy")
    for name in ("Llew Jones", "Lowri Evans", "Lewis Price"):
        factories.person(team, name)
    page = signed_in(reader).get("/supervision/week?sort=name").get_data(as_text=True)
    assert [row.split(" ")[0] for row in week_rows(page)] == ["Lewis", "Lowri", "Llew"]


def test_team_totals_count_the_whole_team_whatever_the_filters(client, supervisor, officer, signed_in):
    met = factories.person(supervisor.team, "Aled Met")
    for day in range(3):
        factories.contact(met, officer, at(THIS_WEEK + timedelta(days=day)), outcome="kept" if day else "refused")
    factories.person(supervisor.team, "Bryn Short")
    factories.person(supervisor.team, "Cai Free", category="free")
    page = signed_in(supervisor).get("/supervision/week?status=met").get_data(as_text=True)
    totals = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))
    assert totals["People in the cohort"] == "3"
    assert (totals["Met"], totals["Short"], totals["Not required"]) == ("1", "1", "1")
    assert totals["Fixed cohort offered at least their required level"] == "50%"
    assert totals["Fixed cohort who kept at least their required level"] == "0%"
    assert "Showing 1 person of 3." in page


def test_review_flags_show_who_is_overdue_and_who_was_short_three_weeks_running(client, supervisor, signed_in):
    overdue = factories.person(supervisor.team, "Aled Overdue", category="free")
    factories.review(overdue, date(2026, 8, 3), 0, next_review_due=date(2026, 11, 2))
    factories.person(supervisor.team, "Bryn Short", joined_on=date(2026, 10, 1))
    factories.person(supervisor.team, "Cai New", joined_on=date(2026, 11, 3))
    page = signed_in(supervisor).get("/supervision/week").get_data(as_text=True)
    assert "Review overdue" in row_for(page, "Aled Overdue")
    assert "Review suggested" in row_for(page, "Bryn Short")
    assert "Review suggested" not in row_for(page, "Cai New")  # only two weeks in the cohort


def test_each_row_has_a_twelve_week_chart_with_a_text_alternative(client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans", joined_on=date(2026, 1, 5))
    for day in range(3):
        factories.contact(person, officer, at(LAST_WEEK + timedelta(days=day)))
    page = signed_in(supervisor).get("/supervision/week").get_data(as_text=True)
    svg = re.search(rf'<svg[^>]*aria-labelledby="chart-{person.id}".*?</svg>', page, flags=re.S).group(0)
    assert 'role="img"' in svg
    title = re.search(rf'<title id="chart-{person.id}">([^<]+)</title>', svg).group(1)
    assert title.startswith(
        "Contacts in the 12 weeks up to the week beginning 16 November 2026. The required level was met in 1 week."
        " It was not met in 11 weeks. 3 contacts were offered in all, and 3 kept."
        " Week beginning 31 August 2026. Offered: 0, kept: 0, required: 3."
    )  # and every week's numbers, as the bars show them
    assert title.endswith(" Week beginning 9 November 2026. Offered: 3, kept: 3, required: 3."
                          " Week beginning 16 November 2026. Offered: 0, kept: 0, required: 3.")
    assert title.count("Week beginning") == 12
    assert svg.count('class="chart__required"') == 12


def test_the_page_has_no_inline_styles_or_scripts(client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans")
    factories.contact(person, officer, at(THIS_WEEK))
    page = signed_in(supervisor).get("/supervision/week").get_data(as_text=True)
    assert not re.search(r"\sstyle=|<style|<script(?![^>]*\ssrc=)|\son[a-z]+=", page)  # scripts only from files


def test_the_week_view_reads_in_welsh(client, team, signed_in):
    reader = factories.user(team, "rhingyll@powys.example", role="supervisor", language="cy")
    factories.person(team, "Rhys Evans")
    page = signed_in(reader).get("/supervision/week").get_data(as_text=True)
    assert "Wythnos yn dechrau ddydd Llun 16 Tachwedd 2026" in page
    row = row_for(page, "Rhys Evans")
    assert "Sefydlog" in row and "3 chyswllt yn brin" in row
    assert "Cysylltiadau dros 12 wythnos, hyd at yr wythnos yn dechrau 16 Tachwedd 2026." in page


def test_a_level_set_by_a_review_long_before_the_twelve_weeks_still_applies(client, supervisor, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans", joined_on=date(2026, 1, 5))
    factories.review(person, date(2026, 1, 12), 1)
    factories.review(person, date(2026, 3, 2), 2)
    db.session.add(RagChange(person_id=person.id, rag=Rag.RED, effective=date(2026, 1, 5)))
    db.session.add(RagChange(person_id=person.id, rag=Rag.GREEN, effective=date(2026, 3, 2)))
    db.session.commit()
    signed_in(supervisor)
    now = row_for(client.get("/supervision/week").get_data(as_text=True), "Rhys Evans")
    assert now.startswith("Rhys Evans Fixed Green Police Not assigned 2 0 0 ")
    february = row_for(client.get("/supervision/week?week=2026-02-02").get_data(as_text=True), "Rhys Evans")
    assert february.startswith("Rhys Evans Fixed Red Police Not assigned 1 0 0 ")


def test_someone_taken_into_custody_on_wednesday_shows_why_fewer_are_required(client, supervisor, signed_in):
    person = factories.person(supervisor.team, "Gethin Dalfa")
    factories.pause(person, date(2026, 11, 18), None, reason="custody")  # Wednesday of the week of 16 November
    english = row_for(signed_in(supervisor).get("/supervision/week").get_data(as_text=True), "Gethin Dalfa")
    assert " 1 In custody from Wednesday: 1 contact required 0 0 0 Short by 1 contact: 0 offered of 1 required" in english
    supervisor.language = "cy"
    db.session.commit()
    welsh = row_for(client.get("/supervision/week").get_data(as_text=True), "Gethin Dalfa")
    assert "Yn y ddalfa o ddydd Mercher ymlaen: angen 1 cyswllt" in welsh
