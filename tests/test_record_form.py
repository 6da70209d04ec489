"""The record form without JavaScript: a plain POST with a server-made id, online."""

import html
import re
import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Contact
from tests import factories
from tests.conftest import sign_in

WEDNESDAY_NOON = datetime(2026, 11, 18, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def fixed_clock(app):
    app.config["FIXED_NOW"] = WEDNESDAY_NOON


def form_fields(page: str) -> dict:
    fields = dict(re.findall(r'name="(csrf_token|contact_id)"[^>]*value="([^"]+)"', page))
    fields.update(dict(re.findall(r'<input[^>]*id="(date|time)"[^>]*value="([^"]+)"', page)))
    return fields


def contacts_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Contact))


def test_the_form_starts_with_the_person_chosen_kept_selected_and_now_in_london_time(client, officer, signed_in):
    person = factories.person(officer.team, "Rhys Evans")
    page = signed_in(officer).get(f"/contacts/new?person={person.id}").get_data(as_text=True)
    assert re.search(rf'<option selected value="{person.id}">Rhys Evans</option>', page)
    assert re.search(r'id="outcome-kept" value="kept"\s+checked', page)
    fields = form_fields(page)
    assert fields["date"] == "2026-11-18" and fields["time"] == "12:00"  # GMT in November
    uuid.UUID(fields["contact_id"], version=4)


def test_a_kept_home_visit_is_stored_once_even_when_the_form_is_sent_twice(client, officer, signed_in):
    person = factories.person(officer.team, "Rhys Evans")
    page = signed_in(officer).get(f"/contacts/new?person={person.id}").get_data(as_text=True)
    data = {**form_fields(page), "person": str(person.id), "type": "home_visit", "outcome": "kept"}
    first = client.post("/contacts/new", data=data)
    second = client.post("/contacts/new", data=data)
    assert first.status_code == second.status_code == 302
    assert contacts_count() == 1
    stored = db.session.scalar(select(Contact))
    assert str(stored.id) == data["contact_id"] and stored.recorded_by_id == officer.id
    assert stored.occurred_at == WEDNESDAY_NOON
    assert "Contact recorded." in client.get("/").get_data(as_text=True)


def test_every_kind_of_contact_keeps_its_pathways(client, officer, signed_in):
    person = factories.person(officer.team)
    signed_in(officer)
    for kind in ("welfare_help", "phone"):
        data = {**form_fields(client.get("/contacts/new").get_data(as_text=True)), "person": str(person.id),
                "type": kind, "outcome": "kept", "pathways": ["health", "accommodation"]}
        assert client.post("/contacts/new", data=data).status_code == 302
    stored = {c.type.value: c.pathways for c in db.session.scalars(select(Contact))}
    assert stored == {"welfare_help": ["accommodation", "health"], "phone": ["accommodation", "health"]}


def test_a_form_missing_what_it_needs_says_so_in_welsh(client, team, signed_in):
    reader = factories.user(team, "darllenydd@powys.example", language="cy")
    page = signed_in(reader).get("/contacts/new").get_data(as_text=True)
    data = {**form_fields(page), "person": "", "date": "", "time": "25:99", "duration_minutes": "lots"}
    response = client.post("/contacts/new", data=data)
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    for message in ("Dewiswch gyda phwy y bu'r cyswllt.", "Dewiswch y math o gyswllt.", "Rhowch ddyddiad y cyswllt.",
                    "Rhowch amser y cyswllt, er enghraifft 14:30.",
                    "Rhaid i'r hyd fod yn nifer cyfan o funudau rhwng 0 a 1440."):
        assert message in text
    assert contacts_count() == 0


def test_a_contact_in_the_future_is_refused(client, officer, signed_in):
    person = factories.person(officer.team)
    page = signed_in(officer).get("/contacts/new").get_data(as_text=True)
    data = {**form_fields(page), "person": str(person.id), "type": "phone", "outcome": "kept", "time": "13:00"}
    response = client.post("/contacts/new", data=data)
    assert response.status_code == 400
    assert "The time of the contact is in the future." in response.get_data(as_text=True)
    assert contacts_count() == 0


def test_another_teams_person_cannot_be_chosen_or_recorded(client, officer, other_officer, signed_in):
    elsewhere = factories.person(other_officer.team, "Dylan Price")
    page = signed_in(officer).get("/contacts/new").get_data(as_text=True)
    assert "Dylan Price" not in page
    assert client.get(f"/contacts/new?person={elsewhere.id}").status_code == 404
    data = {**form_fields(page), "person": str(elsewhere.id), "type": "phone", "outcome": "kept"}
    assert client.post("/contacts/new", data=data).status_code == 400
    assert contacts_count() == 0


def test_the_form_needs_its_token_and_a_signed_in_user(client, officer):
    assert client.get("/contacts/new").status_code == 302
    factories.person(officer.team)
    sign_in(client, officer.email)
    data = {"contact_id": str(uuid.uuid4()), "person": "1", "type": "phone", "outcome": "kept",
            "date": "2026-11-18", "time": "11:00"}
    assert client.post("/contacts/new", data=data).status_code == 400
    assert contacts_count() == 0


def test_every_caseload_row_and_person_page_links_to_the_form_with_the_person_chosen(client, officer, signed_in):
    person = factories.person(officer.team, "Rhys Evans")
    signed_in(officer)
    link = f'href="/contacts/new?person={person.id}"'
    assert link in client.get("/").get_data(as_text=True)
    assert link in client.get(f"/people/{person.id}").get_data(as_text=True)
