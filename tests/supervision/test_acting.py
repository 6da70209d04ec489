"""Acting on the week view: reviews, category and RAG, pauses, de-selection, team defaults."""

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.requirements import Category
from app.extensions import db
from app.models import AuditEvent, CategoryChange, Pause, Person, Rag, RagChange, RequirementReview, Team
from tests import factories
from tests.conftest import csrf_token_from
from tests.supervision.conftest import LAST_WEEK, THIS_WEEK, at, row_for, text_of

REASONING = {
    "risk": "Lower risk since moving in with family.",
    "needs": "Housing is settled; alcohol support continues.",
    "responses_to_supervision": "Attends nearly every appointment.",
    "progress_towards_rehabilitation": "Started work at a garage.",
    "difficulties_attending": "Works shifts; phone contact suits better.",
}


def post(client, url: str, data: dict):
    return client.post(url, data={"csrf_token": csrf_token_from(client, url), **data})


def acting_urls(person, pause=None):
    urls = [f"/supervision/people/{person.id}/{action}" for action in ("review", "category", "rag", "pause", "deselect")]
    if pause is not None:
        urls.append(f"/supervision/people/{person.id}/pauses/{pause.id}/end")
    return urls


def reload(model, key):
    db.session.expire_all()
    return db.session.get(model, key)


# --- Who may act ---------------------------------------------------------------------


def test_officers_are_refused_every_acting_page_and_form(client, officer, signed_in):
    person = factories.person(officer.team)
    pause = factories.pause(person, date(2026, 11, 2))
    signed_in(officer)
    token = csrf_token_from(client, "/supervision/week")
    for url in acting_urls(person, pause) + ["/supervision/team"]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data={"csrf_token": token, "rag": "green", "reason": "x"}).status_code == 403, url
    assert reload(Person, person.id).rag == Rag.AMBER


def test_another_teams_supervisor_finds_nothing_there(client, other_team, signed_in):
    their_supervisor = factories.user(other_team, "sergeant@caerdydd.example", role="supervisor")
    ours = factories.team("Powys IOM")
    person = factories.person(ours)
    pause = factories.pause(person, date(2026, 11, 2))
    signed_in(their_supervisor)
    for url in acting_urls(person, pause):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/supervision/team?team={ours.id}").status_code == 404


def test_an_admin_acts_on_any_team(client, admin, other_team, signed_in):
    person = factories.person(other_team)
    signed_in(admin)
    response = post(client, f"/supervision/people/{person.id}/rag",
                    {"rag": "red", "effective": "2026-11-17", "reason": "Arrested on suspicion of burglary."})
    assert response.status_code == 302
    assert reload(Person, person.id).rag == Rag.RED


def test_a_form_without_its_csrf_token_is_refused(client, supervisor, signed_in):
    person = factories.person(supervisor.team)
    signed_in(supervisor)
    response = client.post(f"/supervision/people/{person.id}/rag",
                           data={"rag": "green", "effective": "2026-11-17", "reason": "Engaging well."})
    assert response.status_code == 400
    assert reload(Person, person.id).rag == Rag.AMBER


# --- Requirement reviews ---------------------------------------------------------------


def test_a_review_sets_the_persons_level_with_its_reasoning_and_next_date(client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans")
    factories.contact(person, officer, at(THIS_WEEK))
    signed_in(supervisor)
    response = post(client, f"/supervision/people/{person.id}/review",
                    {"contacts_per_week": "1", "effective": "2026-11-16", "next_review_due": "2027-02-16", **REASONING})
    assert response.location == f"/people/{person.id}"
    [review] = db.session.scalars(select(RequirementReview)).all()
    assert (review.contacts_per_week, review.reviewer_id, review.next_review_due) == (1, supervisor.id, date(2027, 2, 16))
    assert review.difficulties_attending == REASONING["difficulties_attending"]
    assert "The review has been saved." in client.get(f"/people/{person.id}").get_data(as_text=True)
    assert " 1 0 1 1 Met " in row_for(client.get("/supervision/week").get_data(as_text=True), "Rhys Evans")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"contacts_per_week": "15"}, "Enter a number of contacts a week from 0 to 14."),
        ({"contacts_per_week": "-1"}, "Enter a number of contacts a week from 0 to 14."),
        ({"contacts_per_week": "two"}, "Enter a whole number, for example 3."),
        ({"contacts_per_week": ""}, "Enter the number of contacts a week."),
        ({"risk": "  "}, "Write your reasoning on risk."),
        ({"difficulties_attending": ""}, "Write your reasoning on difficulties in attending appointments."),
        ({"next_review_due": "2026-11-16"}, "The next review must be after the date of this review."),
        ({"next_review_due": ""}, "Enter the date the next review is due."),
        ({"effective": "2026-02-30"}, "Enter a real date, for example 23/11/2026."),
        ({"effective": "2026-11-19"}, "The date cannot be in the future."),
        ({"effective": "2025-12-01"}, "The date cannot be before the person joined the cohort."),
    ],
)
def test_a_review_with_a_mistake_is_not_saved_and_says_what_to_fix(client, supervisor, signed_in, changes, message):
    person = factories.person(supervisor.team)
    signed_in(supervisor)
    data = {"contacts_per_week": "2", "effective": "2026-11-16", "next_review_due": "2027-02-16", **REASONING, **changes}
    response = post(client, f"/supervision/people/{person.id}/review", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(RequirementReview)).all() == []


def test_review_errors_are_in_welsh_for_welsh_users(client, team, signed_in):
    reader = factories.user(team, "rhingyll@powys.example", role="supervisor", language="cy")
    person = factories.person(team)
    signed_in(reader)
    response = post(client, f"/supervision/people/{person.id}/review", {"contacts_per_week": "15"})
    page = response.get_data(as_text=True)
    assert "Rhowch nifer o gysylltiadau yr wythnos o 0 i 14." in page
    assert "Ysgrifennwch eich rhesymau ynghylch risg." in page
    assert "Ysgrifennwch eich rhesymau ynghylch anawsterau o ran mynychu apwyntiadau." in page


# --- Category and RAG --------------------------------------------------------------------


def test_changing_category_records_history_and_updates_the_person_together(client, supervisor, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans", category="fixed")
    signed_in(supervisor)
    response = post(client, f"/supervision/people/{person.id}/category",
                    {"category": "flex", "effective": "2026-11-16", "reason": "Stable for six months."})
    assert response.status_code == 302
    assert reload(Person, person.id).category == Category.FLEX
    latest = db.session.scalars(select(CategoryChange).order_by(CategoryChange.id.desc())).first()
    assert (latest.category, latest.effective, latest.reason, latest.changed_by_id) == (
        Category.FLEX, date(2026, 11, 16), "Stable for six months.", supervisor.id)
    page = client.get("/supervision/week").get_data(as_text=True)
    assert row_for(page, "Rhys Evans").startswith("Rhys Evans Flex Amber Police Not assigned 1 ")
    last_week = client.get("/supervision/week?week=2026-11-09").get_data(as_text=True)
    assert row_for(last_week, "Rhys Evans").startswith("Rhys Evans Fixed Amber Police Not assigned 3 ")


def test_the_first_recorded_change_keeps_the_earlier_weeks_as_they_were(client, supervisor, signed_in):
    # A person with no history yet (made before history was kept).
    person = Person(team=supervisor.team, display_name="Hen Berson", category=Category.FIXED, rag=Rag.RED,
                    lead_agency="police", joined_on=date(2026, 1, 5))
    db.session.add(person)
    db.session.commit()
    signed_in(supervisor)
    post(client, f"/supervision/people/{person.id}/category",
         {"category": "free", "effective": "2026-11-16", "reason": "WISDOM case now managed by MAPPA."})
    post(client, f"/supervision/people/{person.id}/rag",
         {"rag": "green", "effective": "2026-11-16", "reason": "No intelligence of offending."})
    last_week = client.get("/supervision/week?week=2026-11-09").get_data(as_text=True)
    assert row_for(last_week, "Hen Berson").startswith("Hen Berson Fixed Red Police Not assigned 3 ")
    history = db.session.scalars(select(CategoryChange).order_by(CategoryChange.effective)).all()
    assert [(change.category, change.effective) for change in history] == [
        (Category.FIXED, date(2026, 1, 5)), (Category.FREE, date(2026, 11, 16))]


def test_a_backdated_change_does_not_override_a_later_one(client, supervisor, signed_in):
    person = factories.person(supervisor.team)
    signed_in(supervisor)
    post(client, f"/supervision/people/{person.id}/rag", {"rag": "red", "effective": "2026-11-10", "reason": "Recall."})
    post(client, f"/supervision/people/{person.id}/rag", {"rag": "green", "effective": "2026-10-01", "reason": "Late entry."})
    assert reload(Person, person.id).rag == Rag.RED
    assert len(db.session.scalars(select(RagChange)).all()) == 3  # the joining status, then the two


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rag": "green", "effective": "2026-11-16", "reason": ""}, "Give a reason for the change."),
        ({"rag": "purple", "effective": "2026-11-16", "reason": "x"}, "Choose one of the options."),
        ({"rag": "green", "effective": "2026-11-20", "reason": "x"}, "The date cannot be in the future."),
        ({"rag": "green", "effective": "", "reason": "x"}, "Enter the date the change takes effect."),
    ],
)
def test_a_rag_change_needs_a_reason_a_status_and_a_date_not_in_the_future(client, supervisor, signed_in, data, message):
    person = factories.person(supervisor.team)
    signed_in(supervisor)
    response = post(client, f"/supervision/people/{person.id}/rag", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert reload(Person, person.id).rag == Rag.AMBER
    assert db.session.scalars(select(RagChange)).all() == []


def test_category_and_rag_changes_are_audited_with_who_made_them(client, supervisor, signed_in):
    person = factories.person(supervisor.team)
    signed_in(supervisor)
    post(client, f"/supervision/people/{person.id}/rag", {"rag": "green", "effective": "2026-11-16", "reason": "Engaged."})
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == supervisor.id)).all()
    assert {(event.entity, event.action) for event in events} >= {("rag_changes", "create"), ("people", "update")}
    person_update = next(event for event in events if event.entity == "people")
    assert (person_update.before, person_update.after) == ({"rag": "amber"}, {"rag": "green"})


# --- Pauses ---------------------------------------------------------------------------


def test_adding_and_ending_a_pause_changes_what_the_week_requires(client, supervisor, signed_in):
    person = factories.person(supervisor.team, "Gethin Ysbyty")
    signed_in(supervisor)
    response = post(client, f"/supervision/people/{person.id}/pause", {"reason": "hospital", "start": "2026-11-09", "end": ""})
    assert response.status_code == 302
    page = client.get("/supervision/week").get_data(as_text=True)
    assert "Not required this week: in hospital" in row_for(page, "Gethin Ysbyty")
    [pause] = db.session.scalars(select(Pause)).all()
    response = post(client, f"/supervision/people/{person.id}/pauses/{pause.id}/end", {"end": "2026-11-19"})
    assert response.status_code == 302
    assert reload(Pause, pause.id).end == date(2026, 11, 19)
    # Back on Thursday: four days of the week, so ceil(3 x 4 / 7) = 2.
    row = row_for(client.get("/supervision/week").get_data(as_text=True), "Gethin Ysbyty")
    # The row says why fewer are required, and what the shortfall is measured against.
    assert " 2 Back from a pause on Thursday: 2 contacts required 0 0 0 Short by 2 contacts: 0 offered of 2 required" in row
    assert client.get(f"/supervision/people/{person.id}/pauses/{pause.id}/end").status_code == 404  # already ended


def test_a_pause_cannot_end_before_it_starts(client, supervisor, signed_in):
    person = factories.person(supervisor.team)
    signed_in(supervisor)
    response = post(client, f"/supervision/people/{person.id}/pause", {"reason": "custody", "start": "2026-11-09", "end": "2026-11-08"})
    assert response.status_code == 400
    assert "The first day back cannot be before the pause starts." in response.get_data(as_text=True)
    pause = factories.pause(person, date(2026, 11, 9))
    response = post(client, f"/supervision/people/{person.id}/pauses/{pause.id}/end", {"end": "2026-11-01"})
    assert response.status_code == 400
    assert reload(Pause, pause.id).end is None


def test_another_persons_pause_cannot_be_ended_through_this_person(client, supervisor, signed_in):
    person = factories.person(supervisor.team, "Un")
    someone_else = factories.person(supervisor.team, "Dau")
    pause = factories.pause(someone_else, date(2026, 11, 9))
    signed_in(supervisor)
    assert client.get(f"/supervision/people/{person.id}/pauses/{pause.id}/end").status_code == 404


# --- De-selection -----------------------------------------------------------------------


def test_de_selection_records_the_reason_and_the_person_leaves_the_cohort(client, supervisor, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans")
    signed_in(supervisor)
    response = post(client, f"/supervision/people/{person.id}/deselect", {"criteria": "moved_area", "left_on": "2026-11-02"})
    assert response.status_code == 302
    stored = reload(Person, person.id)
    assert (stored.left_on, stored.left_reason.value) == (date(2026, 11, 2), "moved_area")
    assert "Rhys Evans" not in client.get("/supervision/week").get_data(as_text=True)
    assert "Rhys Evans" in client.get("/supervision/week?week=2026-10-26").get_data(as_text=True)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "deselect")).one()
    assert event.after == {"left_on": "2026-11-02", "left_reason": "moved_area", "left_criteria": ["moved_area"]}


def test_someone_who_has_left_cannot_be_de_selected_again(client, supervisor, signed_in):
    person = factories.person(supervisor.team, left_on=date(2026, 11, 2))
    signed_in(supervisor)
    response = post(client, f"/supervision/people/{person.id}/deselect", {"criteria": "moved_area", "left_on": "2026-11-16"})
    assert response.status_code == 409
    assert reload(Person, person.id).left_on == date(2026, 11, 2)


def test_a_person_cannot_leave_before_joining(client, supervisor, signed_in):
    person = factories.person(supervisor.team, joined_on=date(2026, 6, 1))
    signed_in(supervisor)
    response = post(client, f"/supervision/people/{person.id}/deselect", {"criteria": "moved_area", "left_on": "2026-05-31"})
    assert response.status_code == 400
    assert reload(Person, person.id).left_on is None


# --- Team defaults -------------------------------------------------------------------------


THIS_WEEK_ON = {"effective": THIS_WEEK.isoformat()}


def test_a_supervisor_sets_the_teams_default_levels(client, supervisor, signed_in):
    factories.person(supervisor.team, "Aled Flex", category="flex")
    signed_in(supervisor)
    response = post(client, "/supervision/team",
                    {"default_fixed": "4", "default_flex": "2", "default_free": "1", **THIS_WEEK_ON})
    assert response.status_code == 302
    team = reload(Team, supervisor.team_id)
    assert (team.default_fixed, team.default_flex, team.default_free) == (4, 2, 1)
    assert " 0 0 Short by 2 contacts: 0 offered of 2 required" in row_for(client.get("/supervision/week").get_data(as_text=True), "Aled Flex")


def test_changing_a_default_leaves_the_weeks_before_it_as_they_were_counted(client, supervisor, signed_in):
    factories.person(supervisor.team, "Rhys Evans", joined_on=date(2026, 1, 5))
    signed_in(supervisor)
    post(client, "/supervision/team", {"default_fixed": "5", "default_flex": "1", "default_free": "0", **THIS_WEEK_ON})
    this_week = client.get("/supervision/week").get_data(as_text=True)
    last_week = client.get(f"/supervision/week?week={LAST_WEEK.isoformat()}").get_data(as_text=True)
    assert " 5 0 0 0 Short by 5 contacts" in row_for(this_week, "Rhys Evans")
    assert " 3 0 0 0 Short by 3 contacts" in row_for(last_week, "Rhys Evans")


def test_a_change_dated_mid_week_counts_from_that_weeks_monday_and_says_so(client, supervisor, signed_in):
    signed_in(supervisor)
    post(client, "/supervision/team",
         {"default_fixed": "4", "default_flex": "1", "default_free": "0", "effective": "2026-11-19"})
    page = client.get("/supervision/team").get_data(as_text=True)
    assert "They count from the week beginning Monday 16 November 2026" in page
    [change] = [row for row in reload(Team, supervisor.team_id).default_history if row.set_by_id]
    assert change.effective == THIS_WEEK


def test_the_settings_page_lists_each_change_with_who_made_it_and_the_change_is_audited(client, supervisor, signed_in):
    signed_in(supervisor)
    post(client, "/supervision/team", {"default_fixed": "4", "default_flex": "1", "default_free": "0", **THIS_WEEK_ON})
    post(client, "/supervision/team",
         {"default_fixed": "2", "default_flex": "1", "default_free": "0", "effective": "2026-12-07"})
    page = text_of(client.get("/supervision/team").get_data(as_text=True))
    assert f"7 December 2026 2 1 0 {supervisor.name} 16 November 2026 4 1 0 {supervisor.name} The start 3 1 0" in page
    audited = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "team_defaults")).all()
    assert len(audited) == 3 and {event.team_id for event in audited} == {supervisor.team_id}


def test_a_change_of_defaults_needs_the_date_it_takes_effect(client, supervisor, signed_in):
    signed_in(supervisor)
    response = post(client, "/supervision/team",
                    {"default_fixed": "4", "default_flex": "1", "default_free": "0", "effective": ""})
    assert response.status_code == 400
    assert "Enter the date the change takes effect." in response.get_data(as_text=True)
    assert reload(Team, supervisor.team_id).default_history == []


def test_a_default_level_outside_0_to_14_is_refused(client, supervisor, signed_in):
    signed_in(supervisor)
    response = post(client, "/supervision/team",
                    {"default_fixed": "15", "default_flex": "2", "default_free": "1", **THIS_WEEK_ON})
    assert response.status_code == 400
    assert "Enter a number of contacts a week from 0 to 14." in response.get_data(as_text=True)
    assert reload(Team, supervisor.team_id).default_fixed == 3


def test_an_admin_sets_another_teams_defaults(client, admin, other_team, signed_in):
    signed_in(admin)
    url = f"/supervision/team?team={other_team.id}"
    response = post(client, url, {"default_fixed": "3", "default_flex": "0", "default_free": "2", **THIS_WEEK_ON})
    assert response.status_code == 302
    assert reload(Team, other_team.id).default_free == 2
