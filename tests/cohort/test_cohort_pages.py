"""Admitting, allocating, transferring, de-selecting and re-admitting, through the pages."""

import uuid
from datetime import date, datetime, timezone

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, CohortPeriod, Person
from tests import factories
from tests.conftest import csrf_token_from


def post(client, url: str, data: dict):
    return client.post(url, data={"csrf_token": csrf_token_from(client, url), **data})


def reload(person_id):
    db.session.expire_all()
    return db.session.get(Person, person_id)


ADMIT = {"display_name": "Siân Ŵyn", "delius_crn": "x123456", "niche_ref": "22/0123456a", "category": "fixed",
         "rag": "amber", "lead_agency": "probation", "offender_manager": "", "joined_on": "2026-11-02", "y2a": "y"}


def test_a_supervisor_admits_a_person_allocated_to_an_officer(client, supervisor, officer, signed_in):
    signed_in(supervisor)
    response = post(client, "/cohort/admit", {**ADMIT, "offender_manager": str(officer.id)})
    assert response.status_code == 302
    person = db.session.scalars(select(Person).where(Person.delius_crn == "X123456")).one()
    assert (person.display_name, person.niche_ref, person.offender_manager_id) == ("Siân Ŵyn", "22/0123456A", officer.id)
    assert person.y2a_minimum_ends == date(2027, 2, 2)
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "admit")).one().person_id == person.id


def test_the_admit_form_refuses_each_bad_field_in_welsh(client, supervisor, signed_in):
    supervisor.language = "cy"
    db.session.commit()
    signed_in(supervisor)
    response = post(client, "/cohort/admit", {**ADMIT, "display_name": "", "delius_crn": "X12", "niche_ref": "22/0123456B",
                                              "joined_on": "2026-13-40", "category": "huge"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for welsh in ("Rhowch enw&#39;r person.", "Mae CRN Delius yn un llythyren a chwe digid",
                  "Mae llythyren wirio&#39;r ID PNC hwn yn anghywir", "Dewiswch un o", "Rhowch ddyddiad go iawn"):
        assert welsh in page, welsh
    assert "Enter the person&#39;s name." not in page
    assert db.session.scalar(select(Person)) is None


def test_a_crn_in_another_teams_cohort_names_the_team_only_to_an_administrator(
        app, client, supervisor, admin, other_team, signed_in):
    factories.person(other_team, "Dafydd", delius_crn="X123456")
    signed_in(supervisor)
    page = post(client, "/cohort/admit", ADMIT).get_data(as_text=True)
    assert "This person is already in a cohort." in page and other_team.name not in page
    admin_client = signed_in(admin, app.test_client())
    page = post(admin_client, f"/cohort/admit?team={supervisor.team_id}", ADMIT).get_data(as_text=True)
    assert f"This person is already in a cohort: {other_team.name}." in page


def test_an_officer_cannot_admit(client, officer, signed_in):
    signed_in(officer)
    assert client.get("/cohort/admit").status_code == 403


def test_allocation_changes_the_offender_manager_and_flags(client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team)
    signed_in(supervisor)
    response = post(client, f"/cohort/people/{person.id}/allocation",
                    {"offender_manager": str(officer.id), "lead_agency": "probation", "mappa": "y"})
    assert response.status_code == 302
    stored = reload(person.id)
    assert (stored.offender_manager_id, stored.lead_agency.value, stored.mappa) == (officer.id, "probation", True)
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "allocate")).one()


def test_a_transfer_keeps_the_old_teams_past_weeks(client, supervisor, officer, other_team, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans", joined_on=date(2026, 9, 7))
    factories.contact(person, officer, occurred_at=datetime(2026, 11, 3, 10, tzinfo=timezone.utc))
    signed_in(supervisor)
    response = post(client, f"/cohort/people/{person.id}/transfer", {"team": str(other_team.id), "on": "2026-11-11"})
    assert response.status_code == 302
    stored = reload(person.id)
    assert (stored.team_id, stored.joined_on) == (other_team.id, date(2026, 11, 11))
    period = db.session.scalars(select(CohortPeriod)).one()
    assert (period.team_id, period.started_on, period.ended_on) == (supervisor.team_id, date(2026, 9, 7), date(2026, 11, 11))
    assert "Rhys Evans" in client.get("/supervision/week?week=2026-11-02").get_data(as_text=True)
    assert "Rhys Evans" in client.get("/supervision/week?week=2026-11-02").get_data(as_text=True)
    assert "Rhys Evans" not in client.get("/supervision/week?week=2026-11-16").get_data(as_text=True)
    assert "Rhys Evans" in client.get("/supervision/week.csv?week=2026-11-02").get_data(as_text=True)
    # The old team sees but may not act any more.
    assert client.get(f"/cohort/people/{person.id}/allocation").status_code == 403


def test_de_selection_records_the_criteria_and_the_exit_strategy(client, supervisor, signed_in):
    person = factories.person(supervisor.team)
    signed_in(supervisor)
    response = post(client, f"/supervision/people/{person.id}/deselect",
                    {"criteria": ["green_three_months", "no_outstanding_charges"], "left_on": "2026-11-16"})
    assert response.status_code == 400
    assert "Write the exit strategy" in response.get_data(as_text=True)
    response = post(client, f"/supervision/people/{person.id}/deselect",
                    {"criteria": ["green_three_months", "no_outstanding_charges"], "left_on": "2026-11-16",
                     "exit_strategy": "Handed to the local neighbourhood team."})
    assert response.status_code == 302
    stored = reload(person.id)
    assert stored.left_criteria == ["green_three_months", "no_outstanding_charges"]
    assert stored.exit_strategy == "Handed to the local neighbourhood team."


def test_a_de_selection_needs_at_least_one_criterion(client, supervisor, signed_in):
    person = factories.person(supervisor.team)
    signed_in(supervisor)
    response = post(client, f"/supervision/people/{person.id}/deselect", {"left_on": "2026-11-16"})
    assert response.status_code == 400
    assert reload(person.id).left_on is None


def test_inside_the_y2a_minimum_a_de_selection_needs_a_reason(client, supervisor, signed_in):
    person = factories.person(supervisor.team, joined_on=date(2026, 10, 1), y2a=True)
    signed_in(supervisor)
    data = {"criteria": "moved_area", "left_on": "2026-11-16"}
    response = post(client, f"/supervision/people/{person.id}/deselect", data)
    assert response.status_code == 400
    assert "Y2A minimum" in response.get_data(as_text=True)
    response = post(client, f"/supervision/people/{person.id}/deselect", {**data, "y2a_early_reason": "Moved to Leeds."})
    assert response.status_code == 302
    assert reload(person.id).y2a_early_reason == "Moved to Leeds."


def test_readmission_starts_a_new_period_and_keeps_the_old_one(client, supervisor, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans", joined_on=date(2026, 3, 2), left_on=date(2026, 6, 1),
                              left_criteria=["moved_area"])
    signed_in(supervisor)
    response = post(client, f"/cohort/people/{person.id}/readmit",
                    {"joined_on": "2026-11-09", "category": "flex", "rag": "red", "offender_manager": ""})
    assert response.status_code == 302
    stored = reload(person.id)
    assert (stored.joined_on, stored.left_on, stored.category.value) == (date(2026, 11, 9), None, "flex")
    period = db.session.scalars(select(CohortPeriod)).one()
    assert (period.started_on, period.ended_on, period.left_criteria) == (date(2026, 3, 2), date(2026, 6, 1), ["moved_area"])
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Periods in the cohort" in page and "Moved out of the area" in page


def test_readmission_cannot_come_before_leaving(client, supervisor, signed_in):
    person = factories.person(supervisor.team, joined_on=date(2026, 3, 2), left_on=date(2026, 6, 1))
    signed_in(supervisor)
    response = post(client, f"/cohort/people/{person.id}/readmit",
                    {"joined_on": "2026-05-01", "category": "flex", "rag": "red", "offender_manager": ""})
    assert response.status_code == 400
    assert reload(person.id).left_on == date(2026, 6, 1)


def _sync(client, person, occurred_at: str):
    contact = {"id": str(uuid.uuid4()), "person_id": person.id, "type": "phone", "outcome": "kept",
               "occurred_at": occurred_at, "recorded_at": occurred_at}
    return client.post("/api/v1/contacts/sync", json={"contacts": [contact]},
                       headers={"X-CSRFToken": csrf_token_from(client, "/")})


def test_a_contact_after_the_person_left_is_refused_and_one_before_is_accepted(client, officer, signed_in):
    person = factories.person(officer.team, left_on=date(2026, 11, 16))
    signed_in(officer)
    after = _sync(client, person, "2026-11-16T09:00:00Z").get_json()
    assert after["results"][0]["status"] == "rejected"
    assert "left the cohort on Monday 16 November 2026" in after["results"][0]["errors"]["occurred_at"]
    before = _sync(client, person, "2026-11-15T09:00:00Z").get_json()
    assert before["results"][0]["status"] == "created"


def test_the_demo_shows_transfers_de_selection_criteria_and_a_readmission(runner):
    result = runner.invoke(args=["seed-demo", "--password", "demo password 123"])
    assert result.exit_code == 0, result.output
    ended_by = [period.ended_by for period in db.session.scalars(select(CohortPeriod))]
    assert ended_by.count("transfer") == 4 and ended_by.count("deselection") == 4
    people = list(db.session.scalars(select(Person)))
    assert any(person.exit_strategy and "green_three_months" in person.left_criteria for person in people)
    assert len({person.offender_manager_id for person in people if person.team.name == "Powys IOM"}) > 2


def test_the_refusal_of_a_contact_after_leaving_is_in_welsh_for_a_welsh_reader(client, officer, signed_in):
    officer.language = "cy"
    db.session.commit()
    person = factories.person(officer.team, left_on=date(2026, 11, 16))
    signed_in(officer)
    answer = _sync(client, person, "2026-11-17T09:00:00Z").get_json()
    assert "Gadawodd y person hwn y garfan ddydd Llun 16 Tachwedd 2026" in answer["results"][0]["errors"]["occurred_at"]


def test_the_web_form_refuses_a_contact_after_leaving_and_accepts_one_before(client, officer, signed_in):
    person = factories.person(officer.team, left_on=date(2026, 11, 16))
    signed_in(officer)
    form = {"contact_id": str(uuid.uuid4()), "person": str(person.id), "type": "phone", "outcome": "kept",
            "date": "2026-11-17", "time": "09:00"}
    response = post(client, "/contacts/new", form)
    assert response.status_code == 400
    assert "left the cohort on Monday 16 November 2026" in response.get_data(as_text=True)
    # The day before is last week: a late entry, saved once the officer confirms the week it counts in.
    response = post(client, "/contacts/new", {**form, "contact_id": str(uuid.uuid4()), "date": "2026-11-15",
                                              "confirm_late": "2026-11-09"})
    assert response.status_code == 302


def test_sensitive_notes_show_on_the_person_page_only_to_those_who_may_read_them_and_ask(app, client, supervisor, officer,
                                                                                        signed_in):
    person = factories.person(supervisor.team)
    colleague = factories.user(supervisor.team, "cydweithiwr@powys.example")
    factories.contact(person, officer, datetime(2026, 11, 16, 10, tzinfo=timezone.utc), notes="Plain note.")
    factories.contact(person, officer, datetime(2026, 11, 17, 10, tzinfo=timezone.utc), notes="Private matter.",
                      sensitive=True, duration_minutes=25)
    colleague_page = signed_in(colleague).get(f"/people/{person.id}?sensitive_notes=1").get_data(as_text=True)
    assert "Plain note." in colleague_page and "Private matter." not in colleague_page
    supervisor_client = signed_in(supervisor, app.test_client())
    supervisor_page = supervisor_client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Private matter." not in supervisor_page and "25 minutes" in supervisor_page
    asked = supervisor_client.get(f"/people/{person.id}?sensitive_notes=1").get_data(as_text=True)
    assert "Private matter." in asked
