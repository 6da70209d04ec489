"""A person's plan: shown on their page, changed by their offender manager and the team's
supervisors, audited, team-scoped; overdue actions on their owner's home."""

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, PlanAction, PlanPathway
from tests import factories
from tests.conftest import csrf_token_from

NOW = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)  # Tuesday 1 December 2026


@pytest.fixture(autouse=True)
def fixed_clock(app):
    app.config["FIXED_NOW"] = NOW


def post(client, url, data, token_from):
    return client.post(url, data={"csrf_token": csrf_token_from(client, token_from), **data})


def plan_form(**pathways):
    data = {f"need_{code}": "none" for code in (
        "accommodation", "education_training_employment", "health", "drugs_alcohol", "children_families",
        "finance_benefits_debt", "attitudes_thinking_behaviour")}
    for code, (need, work) in pathways.items():
        data[f"need_{code}"], data[f"work_{code}"] = need, work
    return data


def test_the_offender_manager_records_needs_and_the_person_page_shows_them(client, officer, signed_in):
    person = factories.person(officer.team, "Rhys Evans", offender_manager=officer)
    signed_in(officer)
    url = f"/people/{person.id}/plan"
    response = post(client, url, plan_form(accommodation=("high", "Referred to the council's housing team.")), url)
    assert response.status_code == 302
    row = db.session.scalar(select(PlanPathway).where(PlanPathway.person_id == person.id))
    assert (row.pathway.value, row.need.value, row.work) == ("accommodation", "high",
                                                             "Referred to the council's housing team.")
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "High need" in page and "Referred to the council&#39;s housing team." in page
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "plan_pathways")).person_id == person.id


def test_an_action_for_a_partner_agency_becomes_overdue_and_its_owner_sees_their_own_on_home(
        app, client, officer, supervisor, signed_in):
    person = factories.person(officer.team, "Rhys Evans", offender_manager=officer)
    signed_in(supervisor)
    url = f"/people/{person.id}/plan"
    add = f"/people/{person.id}/plan/actions"
    assert post(client, add, {"description": "Housing assessment", "owner": "agency",
                              "owner_agency": "Tai Ceredigion", "due_on": "2026-11-20",
                              "pathway": "accommodation"}, url).status_code == 302
    assert post(client, add, {"description": "Check in with the GP", "owner": str(officer.id),
                              "owner_agency": "", "due_on": "2026-11-25"}, url).status_code == 302
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Owner: Tai Ceredigion" in page and page.count("Overdue: it was due on") == 2

    client = signed_in(officer, app.test_client())
    home = client.get("/").get_data(as_text=True)
    assert "1 plan action of yours is overdue" in home and "Check in with the GP" in home
    assert "Housing assessment" not in home  # a partner agency's, not theirs
    action = db.session.scalar(select(PlanAction).where(PlanAction.owner_id == officer.id))
    response = post(client, f"/people/{person.id}/plan/actions/status",
                    {"action": str(action.id), "status": "done", "back": "home"}, "/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    assert "plan action of yours is overdue" not in client.get("/").get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "plan_actions",
                                                      AuditEvent.action == "done")) is not None


def test_an_agency_owner_needs_a_name_and_the_form_says_so(client, officer, signed_in):
    person = factories.person(officer.team, offender_manager=officer)
    signed_in(officer)
    url = f"/people/{person.id}/plan"
    response = post(client, f"/people/{person.id}/plan/actions",
                    {"description": "Benefits appointment", "owner": "agency",
                     "owner_agency": " ", "due_on": "2026-12-10"}, url)
    assert response.status_code == 400
    assert "Name the partner agency that will do it." in response.get_data(as_text=True)
    assert db.session.scalar(select(PlanAction)) is None


def test_an_officer_who_is_not_the_offender_manager_sees_the_plan_but_may_not_change_it(
        client, officer, team, signed_in):
    colleague = factories.user(team, "colleague@powys.example")
    person = factories.person(team, offender_manager=colleague)
    signed_in(officer)
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Offender management plan" in page and "Change the plan or add an action" not in page
    assert client.get(f"/people/{person.id}/plan").status_code == 403
    token = csrf_token_from(client, "/")
    assert client.post(f"/people/{person.id}/plan", data={"csrf_token": token, **plan_form()}).status_code == 403


def test_another_teams_plan_is_not_found(client, other_team, officer, signed_in):
    theirs = factories.person(other_team, "Bethan Gyfrinachol")
    signed_in(officer)
    assert client.get(f"/people/{theirs.id}/plan").status_code == 404
    token = csrf_token_from(client, "/")
    assert client.post(f"/people/{theirs.id}/plan/actions/status",
                       data={"csrf_token": token, "action": "1", "status": "done"}).status_code == 404


def test_the_owner_may_mark_their_action_done_without_being_the_offender_manager(
        client, officer, supervisor, team, signed_in):
    from app.domain.plans import Owner
    from app.plans import operations

    person = factories.person(team, offender_manager=supervisor)
    action = operations.add_action(db.session, person, by=supervisor, description="Lift to the job centre",
                                   owner=Owner(user_id=officer.id), due_on=date(2026, 12, 3))
    db.session.commit()
    signed_in(officer)
    response = post(client, f"/people/{person.id}/plan/actions/status",
                    {"action": str(action.id), "status": "dropped"}, f"/people/{person.id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(PlanAction, action.id).status.value == "dropped"
