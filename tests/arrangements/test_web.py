"""Arranging contacts ahead on the web: arrange, see the week, move, cancel, record the outcome."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Arrangement, AuditEvent, Contact
from tests import factories
from tests.conftest import csrf_token_from

WEDNESDAY_NOON = datetime(2026, 11, 18, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def fixed_clock(app):
    app.config["FIXED_NOW"] = WEDNESDAY_NOON


@pytest.fixture
def person(officer):
    return factories.person(officer.team, "Rhys Evans", offender_manager=officer)


def held(arrangement_id) -> Arrangement:
    db.session.expire_all()
    return db.session.get(Arrangement, arrangement_id)


def form_id(page: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]+)"', page).group(1)


def arrange(client, person, **overrides):
    page = client.get(f"/arrangements/new?person={person.id}").get_data(as_text=True)
    data = {"csrf_token": form_id(page, "csrf_token"), "arrangement_id": form_id(page, "arrangement_id"),
            "person": str(person.id), "type": "home_visit", "date": "2026-11-20", "time": "10:30",
            "place": "12 Stryd y Bont, Y Drenewydd", "with_whom": "Gweithiwr tai", "officer": overrides.pop("officer", "")}
    data.update(overrides)
    return client.post("/arrangements/new", data=data), data


def test_an_officer_arranges_a_contact_from_the_person_page(signed_in, officer, person):
    client = signed_in(officer)
    assert "/arrangements/new?person=" in client.get(f"/people/{person.id}").get_data(as_text=True)
    response, data = arrange(client, person, officer=str(officer.id))
    assert response.status_code == 302
    arrangement = held(uuid.UUID(data["arrangement_id"]))
    assert (arrangement.person_id, arrangement.officer_id, arrangement.arranged_by_id) == (person.id, officer.id, officer.id)
    assert arrangement.starts_at == datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc)  # GMT in November
    assert arrangement.state == "arranged"
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "arrangements"))
    assert created.action == "create" and created.actor_id == officer.id and created.team_id == officer.team_id


def test_the_week_list_shows_the_arrangement_but_never_where(signed_in, officer, person):
    factories.arrangement(person, officer, WEDNESDAY_NOON + timedelta(days=1), place="12 Stryd y Bont",
                          with_whom="Gweithiwr tai")
    client = signed_in(officer)
    page = client.get("/arrangements/").get_data(as_text=True)
    assert "Rhys Evans" in page and "Gweithiwr tai" in page
    assert "Stryd y Bont" not in page
    assert "Stryd y Bont" not in client.get(f"/people/{person.id}").get_data(as_text=True)


def test_the_same_form_sent_twice_arranges_one_contact(signed_in, officer, person):
    client = signed_in(officer)
    first, data = arrange(client, person)
    second = client.post("/arrangements/new", data=data)
    assert first.status_code == second.status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(Arrangement)) == 1


def test_an_officer_cannot_arrange_for_another_officer_but_a_supervisor_can(signed_in, client, app, officer,
                                                                            supervisor, person):
    colleague = factories.user(officer.team, "colleague@powys.example")
    response, _data = arrange(signed_in(officer), person, officer=str(colleague.id))
    assert response.status_code == 400
    assert "a supervisor can arrange them for any officer" in response.get_data(as_text=True)
    response, data = arrange(signed_in(supervisor, app.test_client()), person, officer=str(officer.id))
    assert response.status_code == 302
    arrangement = held(uuid.UUID(data["arrangement_id"]))
    assert (arrangement.officer_id, arrangement.arranged_by_id) == (officer.id, supervisor.id)


def test_an_arrangement_needs_a_kind_and_a_time(signed_in, officer, person):
    response, _data = arrange(signed_in(officer), person, type="", time="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose the kind of contact." in page and "Enter the time of the arranged contact." in page


def test_moving_keeps_the_old_time_who_moved_it_and_why(signed_in, officer, person):
    arrangement = factories.arrangement(person, officer, WEDNESDAY_NOON + timedelta(days=1))
    client = signed_in(officer)
    path = f"/arrangements/{arrangement.id}/move"
    response = client.post(path, data={"csrf_token": csrf_token_from(client, path), "date": "2026-11-21",
                                       "time": "09:00", "reason": "Mae ganddo apwyntiad meddyg"})
    assert response.status_code == 302
    moved = held(arrangement.id)
    assert moved.state == "moved" and moved.starts_at == datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "arrangements", AuditEvent.action == "move"))
    assert event.before["starts_at"].startswith("2026-11-19T12:00")
    assert event.after["change_reason"] == "Mae ganddo apwyntiad meddyg" and event.actor_id == officer.id
    page = client.get(f"/arrangements/{arrangement.id}").get_data(as_text=True)
    assert "Mae ganddo apwyntiad meddyg" in page and "19 November 2026, 12:00" in page and "21 November 2026, 09:00" in page


def test_cancelling_says_who_cancelled_it_and_why(signed_in, officer, person):
    arrangement = factories.arrangement(person, officer, WEDNESDAY_NOON + timedelta(days=1))
    client = signed_in(officer)
    path = f"/arrangements/{arrangement.id}/cancel"
    token = csrf_token_from(client, path)
    refused = client.post(path, data={"csrf_token": token, "reason": ""})
    assert refused.status_code == 400
    assert "Say why this arrangement is being cancelled." in refused.get_data(as_text=True)
    assert "Say whether the person or the team cancelled it." in refused.get_data(as_text=True)
    response = client.post(path, data={"csrf_token": token, "cancelled_by": "person", "reason": "Yn sâl"})
    assert response.status_code == 302
    cancelled = held(arrangement.id)
    assert (cancelled.state, cancelled.cancelled_by, cancelled.change_reason) == ("cancelled", "person", "Yn sâl")
    page = client.get(f"/arrangements/{arrangement.id}").get_data(as_text=True)
    assert "Cancelled by the person" in page and "Yn sâl" in page
    assert f"/arrangements/{arrangement.id}/move" not in page  # an ended arrangement is not changed again


def test_recording_the_outcome_stores_the_contact_and_marks_the_arrangement_recorded(signed_in, officer, person):
    arrangement = factories.arrangement(person, officer, WEDNESDAY_NOON - timedelta(hours=3), type="office")
    client = signed_in(officer)
    path = f"/arrangements/{arrangement.id}/outcome"
    page = client.get(path).get_data(as_text=True)
    data = {"csrf_token": form_id(page, "csrf_token"), "contact_id": form_id(page, "contact_id"),
            "outcome": "did_not_attend"}
    assert client.post(path, data=data).status_code == 302
    assert client.post(path, data=data).status_code == 302  # sent twice: still one contact
    recorded = held(arrangement.id)
    contact = db.session.get(Contact, recorded.contact_id)
    assert recorded.state == "recorded"
    assert (contact.type, contact.outcome, contact.occurred_at) == ("office", "did_not_attend", arrangement.starts_at)
    assert contact.recorded_by_id == officer.id
    assert db.session.scalar(select(db.func.count()).select_from(Contact)) == 1
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "arrangements")))
    assert "record" in actions


def test_an_arrangement_a_day_past_without_an_outcome_shows_outcome_missing(signed_in, officer, supervisor, person, app):
    factories.arrangement(person, officer, WEDNESDAY_NOON - timedelta(days=1, minutes=1))
    factories.arrangement(person, officer, WEDNESDAY_NOON - timedelta(hours=2))
    page = signed_in(officer).get("/arrangements/").get_data(as_text=True)
    assert page.count("Outcome missing") == 1
    assert "1 arranged contact has its outcome missing." in page
    assert "Outcome missing" in signed_in(supervisor, app.test_client()).get("/arrangements/").get_data(as_text=True)


def test_an_outcome_missing_from_last_week_is_still_listed(signed_in, officer, person):
    factories.arrangement(person, officer, WEDNESDAY_NOON - timedelta(days=6))  # Thursday of last week
    assert "Outcome missing" in signed_in(officer).get("/arrangements/").get_data(as_text=True)


def test_another_team_s_arrangement_is_not_found(signed_in, other_officer, officer, person):
    arrangement = factories.arrangement(person, officer, WEDNESDAY_NOON)
    client = signed_in(other_officer)
    assert client.get(f"/arrangements/{arrangement.id}").status_code == 404
    assert client.get(f"/arrangements/{arrangement.id}/move").status_code == 404
    assert "Rhys Evans" not in client.get("/arrangements/").get_data(as_text=True)


def test_only_its_officer_who_arranged_it_and_supervisors_may_change_it(signed_in, officer, person):
    colleague = factories.user(officer.team, "colleague@powys.example")
    arrangement = factories.arrangement(person, officer, WEDNESDAY_NOON)
    assert signed_in(colleague).get(f"/arrangements/{arrangement.id}/cancel").status_code == 403
