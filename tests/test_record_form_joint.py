"""The record form without JavaScript records a joint contact: "with a colleague"."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Contact
from tests import factories
from tests.test_record_form import form_fields


@pytest.fixture(autouse=True)
def fixed_clock(app):
    app.config["FIXED_NOW"] = datetime(2026, 11, 18, 12, 0, tzinfo=timezone.utc)


def typed(page: str, person, **extra) -> dict:
    return {**form_fields(page), "person": str(person.id), "type": "home_visit", "outcome": "kept", **extra}


def test_the_form_offers_the_teams_colleagues_other_agency_first_and_stores_them(officer, team, other_team, signed_in):
    probation = factories.user(team, "nia@powys.example", agency="probation", name="Nia Rowlands")
    police = factories.user(team, "aled@powys.example", agency="police", name="Aled Bowen")
    factories.user(other_team, "far@caerdydd.example", agency="probation", name="Far Away")
    person = factories.person(team, "Rhys Evans")
    client = signed_in(officer)
    page = client.get("/contacts/new").get_data(as_text=True)
    offered = re.findall(r'for="colleagues-(\d+)">([^<]+)<', page)
    assert offered == [(str(probation.id), "Nia Rowlands (Probation)"), (str(police.id), "Aled Bowen (Police)")]
    response = client.post("/contacts/new", data=typed(page, person, colleagues=[str(probation.id), str(police.id)]))
    assert response.status_code == 302
    stored = db.session.scalar(select(Contact))
    assert stored.colleague_ids == sorted([probation.id, police.id])


def test_a_colleague_who_cannot_be_named_is_refused_on_its_field_in_welsh(team, other_team, signed_in):
    welsh = factories.user(team, "swyddog@powys.example", language="cy")
    far = factories.user(other_team, "far@caerdydd.example")
    factories.user(team, "nia@powys.example", agency="probation")
    person = factories.person(team, "Rhys Evans")
    client = signed_in(welsh)
    page = client.get("/contacts/new").get_data(as_text=True)
    response = client.post("/contacts/new", data=typed(page, person, colleagues=[str(far.id)]))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Rhaid i bob cydweithiwr fod yn aelod o dîm y person hwn." in body
    assert 'href="#colleagues-' in body
    assert db.session.scalar(select(Contact)) is None


def test_a_team_with_no_one_else_shows_no_picker_and_a_forged_colleague_is_still_refused(officer, team, signed_in):
    person = factories.person(team, "Rhys Evans")
    client = signed_in(officer)
    page = client.get("/contacts/new").get_data(as_text=True)
    assert 'name="colleagues"' not in page
    response = client.post("/contacts/new", data=typed(page, person, colleagues=["nonsense"]))
    assert response.status_code == 400
    assert "The colleagues must be a list of user numbers." in response.get_data(as_text=True)
