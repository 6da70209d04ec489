"""The fortnightly IOM meeting: an agenda made from the data, decisions that change each
person's history through the usual operations, attendance, and the CSV files."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.domain.plans import Owner
from app.extensions import db
from app.models import AuditEvent, Meeting, MeetingDecision, Person, PlanAction, RagChange
from app.plans import operations as plans
from tests import factories
from tests.conftest import csrf_token_from

NOW = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)  # Tuesday 1 December 2026
TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def fixed_clock(app):
    app.config["FIXED_NOW"] = NOW


@pytest.fixture
def cohort(team, officer, supervisor):
    people = {
        "red": factories.person(team, "Rhys Evans", rag="red", offender_manager=officer),
        "amber": factories.person(team, "Llinos Amber", rag="amber", offender_manager=officer),
        "green": factories.person(team, "Gwyn Green", rag="green", offender_manager=officer),
        "new": factories.person(team, "Nia Newydd", rag="green", joined_on=date(2026, 11, 25)),
        "y2a": factories.person(team, "Ifan Ifanc", rag="green", y2a=True, joined_on=date(2026, 9, 10),
                                y2a_minimum_ends=date(2026, 12, 10)),
    }
    factories.review(people["amber"], date(2026, 9, 1), 2, next_review_due=date(2026, 11, 30))
    plans.add_action(db.session, people["amber"], by=supervisor, description="Housing assessment",
                     owner=Owner(agency_name="Tai Powys"), due_on=date(2026, 11, 20))
    factories.contact(people["red"], officer, occurred_at=NOW - timedelta(days=2), concern=True,
                      sensitive=True, notes="Nodyn cyfrinachol: he said where he is staying")
    db.session.commit()
    return people


def post(client, url, data, token_from):
    return client.post(url, data={"csrf_token": csrf_token_from(client, token_from), **data})


def open_meeting(client, day=TODAY):
    response = post(client, "/meetings", {"held_on": day.isoformat()}, "/meetings")
    assert response.status_code == 302
    return response.headers["Location"]


def section(page: str, key: str) -> str:
    start = page.index(f'id="agenda-{key}"')
    return page[start:page.index("</section>", start)]


def test_the_agenda_lists_each_part_from_the_data_and_never_a_note(client, supervisor, cohort, signed_in):
    signed_in(supervisor)
    page = client.get(open_meeting(client)).get_data(as_text=True)
    assert "Rhys Evans" in section(page, "red")
    assert "Llinos Amber" in section(page, "amber") and "Not discussed at a meeting yet." in section(page, "amber")
    assert "Llinos Amber" in section(page, "reviews_due")
    assert "Gwyn Green" in section(page, "deselection")
    assert "Green for three months, with an exit strategy" in section(page, "deselection")
    assert "Nia Newydd" in section(page, "new") and "Gwyn Green" not in section(page, "new")
    assert "Ifan Ifanc" in section(page, "y2a")
    assert "Rhys Evans" in section(page, "concerns")
    assert "Housing assessment" in section(page, "actions") and "Tai Powys" in section(page, "actions")
    assert "Nodyn cyfrinachol" not in page


def test_a_decision_at_the_meeting_is_a_rag_change_an_allocation_and_an_action_in_the_history(
        client, supervisor, officer, team, cohort, signed_in):
    other_officer = factories.user(team, "prawf@powys.example", agency="probation", name="Siân Prawf")
    signed_in(supervisor)
    url = open_meeting(client)
    meeting_id = int(url.rsplit("/", 1)[1])
    amber = cohort["amber"]
    page = client.get(f"{url}?person={amber.id}").get_data(as_text=True)
    assert 'selected value="amber"' in page  # the form starts from what the person has now
    response = post(client, f"{url}/decisions", {
        "person": str(amber.id), "rag": "red", "lead_agency": "probation", "offender_manager": str(other_officer.id),
        "action": "Arrange a joint home visit", "action_owner": str(officer.id), "action_due_on": "2026-12-08",
    }, url)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    person = db.session.get(Person, amber.id)
    assert (person.rag.value, person.lead_agency.value, person.offender_manager_id) == (
        "red", "probation", other_officer.id)
    change = db.session.scalar(select(RagChange).where(RagChange.person_id == amber.id, RagChange.rag == "red"))
    assert change.reason == "Agreed at the IOM meeting held on Tuesday 1 December 2026."
    assert change.changed_by_id == supervisor.id and change.effective == TODAY
    action = db.session.scalar(select(PlanAction).where(PlanAction.meeting_id == meeting_id))
    assert action.description == "Arrange a joint home visit" and action.owner_id == officer.id
    events = {(e.entity, e.action) for e in db.session.scalars(select(AuditEvent).where(AuditEvent.person_id == amber.id))}
    assert {("rag_changes", "create"), ("people", "allocate"), ("plan_actions", "create"),
            ("meeting_decisions", "create")} <= events
    history = client.get(f"/people/{amber.id}").get_data(as_text=True)
    assert "Agreed at the IOM meeting held on Tuesday 1 December 2026." in history
    assert "Decision recorded at the IOM meeting" in history
    minutes = client.get(url).get_data(as_text=True)
    assert "RAG agreed: Red. Lead agency: Probation. Offender manager: Siân Prawf." in minutes


def test_a_deselection_at_the_meeting_goes_through_the_cohorts_rules(client, supervisor, cohort, signed_in):
    signed_in(supervisor)
    url = open_meeting(client)
    green = cohort["green"]
    refused = post(client, f"{url}/decisions", {
        "person": str(green.id), "rag": "green", "lead_agency": "police", "offender_manager": "",
        "deselect": "y", "criteria": "green_three_months", "exit_strategy": "",
    }, url)
    assert refused.status_code == 400 and "The decision could not be recorded" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Person, green.id).left_on is None
    assert db.session.get(Person, green.id).offender_manager_id is not None  # the allocation was undone too
    done = post(client, f"{url}/decisions", {
        "person": str(green.id), "rag": "green", "lead_agency": "police",
        "offender_manager": str(green.offender_manager_id), "deselect": "y", "criteria": "green_three_months",
        "exit_strategy": "Support from the housing officer continues.",
    }, url)
    assert done.status_code == 302
    db.session.expire_all()
    person = db.session.get(Person, green.id)
    assert person.left_on == TODAY and person.left_criteria == ["green_three_months"]
    decision = db.session.scalar(select(MeetingDecision).where(MeetingDecision.person_id == green.id))
    assert decision.deselected and decision.criteria == ["green_three_months"]


def test_an_amber_person_discussed_at_the_last_meeting_is_not_due_again_within_the_fortnight(
        client, supervisor, team, cohort, signed_in):
    last = Meeting(team_id=team.id, held_on=date(2026, 11, 24), created_by_id=supervisor.id)
    db.session.add(last)
    db.session.flush()
    db.session.add(MeetingDecision(meeting_id=last.id, team_id=team.id, person_id=cohort["amber"].id,
                                   rag="amber", lead_agency="police", deselected=False))
    db.session.commit()
    signed_in(supervisor)
    page = client.get(open_meeting(client)).get_data(as_text=True)
    assert "Llinos Amber" not in section(page, "amber")
    assert "Nia Newydd" in section(page, "new")  # joined on 25 November, after the last meeting


def test_a_future_meeting_shows_its_agenda_but_takes_decisions_only_on_its_day(client, supervisor, cohort, signed_in):
    signed_in(supervisor)
    url = open_meeting(client, date(2026, 12, 15))
    page = client.get(url).get_data(as_text=True)
    assert "Rhys Evans" in section(page, "red")
    assert "Decisions are recorded on the day of the meeting or after it." in page
    response = post(client, f"{url}/decisions", {"person": str(cohort["red"].id), "rag": "amber",
                                                 "lead_agency": "police", "offender_manager": ""}, url)
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Person, cohort["red"].id).rag.value == "red"


def test_attendance_by_agency_and_the_csv_files_in_welsh(client, supervisor, cohort, signed_in):
    signed_in(supervisor)
    url = open_meeting(client)
    assert post(client, f"{url}/attendance", {"agency": "Tai Powys", "attendees": "Mererid Jones"}, url).status_code == 302
    client.get("/language/cy")
    agenda = client.get(f"{url}/agenda.csv")
    assert agenda.mimetype == "text/csv"
    disposition = agenda.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="cyswllt-agenda-cyfarfod-2026-12-01.csv"', disposition
    text = agenda.get_data(as_text=True)
    assert text.splitlines()[0].lstrip("\ufeff").startswith("Rhan o'r agenda")
    assert "Rhys Evans" in text and "Nodyn cyfrinachol" not in text
    minutes = client.get(f"{url}/minutes.csv").get_data(as_text=True)
    assert "Tai Powys" in minutes and "Mererid Jones" in minutes
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "meeting_agenda")) is not None


def test_officers_may_not_run_a_meeting_and_another_team_finds_none(
        app, client, officer, supervisor, other_team, cohort, signed_in):
    signed_in(supervisor)
    url = open_meeting(client)
    officer_client = signed_in(officer, app.test_client())
    assert officer_client.get(url).status_code == 403
    assert officer_client.get("/meetings").status_code == 403
    theirs = factories.user(other_team, "rhingyll@caerdydd.example", role="supervisor")
    their_client = signed_in(theirs, app.test_client())
    assert their_client.get(url).status_code == 404
    assert their_client.get(f"{url}/agenda.csv").status_code == 404
