"""Reviews due and overdue, reviews suggested, de-selection candidates, all of Wales."""

import re
from datetime import date, timedelta

from app.extensions import db
from app.models import Rag, RagChange
from tests import factories
from tests.supervision.conftest import LAST_WEEK, THIS_WEEK, at, text_of


def section(page: str, heading_id: str) -> str:
    match = re.search(rf'<h2 id="{heading_id}">.*?(?=<h2 |\Z)', page, flags=re.S)
    return text_of(match.group(0))


def test_reviews_are_listed_as_overdue_due_today_or_due_soon(client, supervisor, signed_in):
    for name, due in (("Aled Overdue", date(2026, 11, 17)), ("Bryn Today", date(2026, 11, 18)),
                      ("Cai Soon", date(2026, 12, 2)), ("Dai Later", date(2026, 12, 3))):
        person = factories.person(supervisor.team, name, category="free")
        factories.review(person, date(2026, 8, 1), 0, next_review_due=due)
    page = signed_in(supervisor).get("/supervision/reviews").get_data(as_text=True)
    assert "Aled Overdue 17 November 2026 1 August 2026" in section(page, "overdue")
    assert "Bryn Today" in section(page, "due") and "Aled" not in section(page, "due")
    assert "Cai Soon" in section(page, "soon")
    assert "Dai Later" not in page


def test_only_the_latest_reviews_due_date_counts(client, supervisor, signed_in):
    person = factories.person(supervisor.team, "Aled Reviewed", category="free")
    factories.review(person, date(2026, 5, 1), 0, next_review_due=date(2026, 8, 1))
    factories.review(person, date(2026, 8, 1), 0, next_review_due=date(2027, 2, 1))
    page = signed_in(supervisor).get("/supervision/reviews").get_data(as_text=True)
    assert "Aled Reviewed" not in page


def test_people_short_in_each_of_the_last_three_weeks_have_a_review_suggested(client, supervisor, officer, signed_in):
    factories.person(supervisor.team, "Bryn Short", joined_on=date(2026, 9, 1))
    one_good_week = factories.person(supervisor.team, "Cai Once", joined_on=date(2026, 9, 1), category="flex")
    factories.contact(one_good_week, officer, at(LAST_WEEK))
    page = signed_in(supervisor).get("/supervision/reviews").get_data(as_text=True)
    suggested = section(page, "suggested")
    assert "Bryn Short Offered: 0 · Kept: 0 · Required: 3" in suggested
    assert "Cai Once" not in suggested


def test_people_who_have_left_are_not_listed_for_review(client, supervisor, signed_in):
    person = factories.person(supervisor.team, "Gone Away", left_on=date(2026, 11, 2))
    factories.review(person, date(2026, 8, 1), 3, next_review_due=date(2026, 11, 1))
    assert "Gone Away" not in signed_in(supervisor).get("/supervision/reviews").get_data(as_text=True)


def test_officers_cannot_see_the_lists(client, officer, signed_in):
    signed_in(officer)
    assert client.get("/supervision/reviews").status_code == 403
    assert client.get("/supervision/deselection").status_code == 403


def test_green_for_three_months_and_y2a_past_the_minimum_are_de_selection_candidates(client, supervisor, signed_in):
    long_green = factories.person(supervisor.team, "Aled Green", rag="green")
    db.session.add(RagChange(person_id=long_green.id, rag=Rag.AMBER, effective=date(2026, 1, 5)))
    db.session.add(RagChange(person_id=long_green.id, rag=Rag.GREEN, effective=date(2026, 8, 18)))
    recent_green = factories.person(supervisor.team, "Bryn Newly", rag="green")
    db.session.add(RagChange(person_id=recent_green.id, rag=Rag.GREEN, effective=date(2026, 8, 19)))
    factories.person(supervisor.team, "Cai Y2A", rag="red", y2a=True, joined_on=date(2026, 8, 18))
    factories.person(supervisor.team, "Dai Y2A", rag="red", y2a=True, joined_on=date(2026, 8, 19))
    db.session.commit()
    page = signed_in(supervisor).get("/supervision/deselection").get_data(as_text=True)
    text = text_of(page)
    assert "Aled Green Green since 18 August 2026." in text
    assert "Cai Y2A Y2A: the three-month minimum ended on 18 November 2026." in text
    assert "Bryn Newly" not in text
    assert "Dai Y2A" not in text


def test_someone_green_since_joining_with_no_recorded_changes_counts_from_joining(client, supervisor, signed_in):
    factories.person(supervisor.team, "Aled Always", rag="green", joined_on=date(2026, 1, 5))
    page = signed_in(supervisor).get("/supervision/deselection").get_data(as_text=True)
    assert "Green since 5 January 2026." in page


def test_the_all_wales_summary_gives_each_teams_totals_for_admins_only(app, client, admin, officer, supervisor,
                                                                     other_team, signed_in):
    met = factories.person(admin.team, "Aled Met", category="flex")
    factories.contact(met, officer, at(THIS_WEEK))
    factories.person(admin.team, "Bryn Short")
    factories.person(other_team, "Cai Short")
    signed_in(supervisor)
    assert client.get("/supervision/wales").status_code == 403
    client = signed_in(admin, app.test_client())
    page = client.get("/supervision/wales").get_data(as_text=True)
    rows = [text_of(row) for row in re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", page, flags=re.S)]
    assert rows == [
        "Caerdydd IOM 1 0 1 0 0% 0%",
        "Powys IOM 2 1 1 0 0% 0%",
        "All of Wales 3 1 2 0 0% 0%",
    ]
    last_week = client.get(f"/supervision/wales?week={(THIS_WEEK - timedelta(days=3)).isoformat()}").get_data(as_text=True)
    assert "Week beginning Monday 9 November 2026" in last_week
