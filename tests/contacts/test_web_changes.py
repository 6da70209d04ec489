"""Correcting and voiding on the web: who may, until when, with a reason, and never over someone else's edit."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.contacts.reference import short_reference
from app.extensions import db
from app.models import AuditEvent, Contact
from tests import factories

WEDNESDAY_NOON = datetime(2026, 11, 18, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def fixed_clock(app):
    app.config["FIXED_NOW"] = WEDNESDAY_NOON


@pytest.fixture
def person(officer):
    return factories.person(officer.team, "Rhys Evans", offender_manager=officer)


@pytest.fixture
def contact(person, officer):
    return factories.contact(person, officer, occurred_at=WEDNESDAY_NOON - timedelta(hours=2),
                             received_at=WEDNESDAY_NOON - timedelta(hours=1), notes="Hen nodyn")


def held(contact_id) -> Contact:
    db.session.expire_all()
    return db.session.get(Contact, contact_id)


def fields_of(page: str) -> dict:
    """Every value the form would post, as a browser would send it."""
    found: dict = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) in ("radio", "checkbox") and " checked" not in tag:
            continue
        found.setdefault(name.group(1), []).append(html.unescape(value.group(1) if value else "y"))
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        found[name] = [html.unescape(body.strip())]
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', options)
        found[name] = [chosen.group(1) if chosen else ""]
    return {name: values if len(values) > 1 else values[0] for name, values in found.items()}


def correction_form(client, contact) -> dict:
    response = client.get(f"/contacts/{contact.id}/correct")
    assert response.status_code == 200
    return fields_of(response.get_data(as_text=True))


def test_the_author_corrects_with_a_reason_and_the_history_shows_both_versions(client, officer, contact, signed_in):
    signed_in(officer)
    data = correction_form(client, contact)
    assert data["outcome"] == "kept" and data["notes"] == "Hen nodyn" and data["base_sha256"] == contact.content_sha256
    without_reason = client.post(f"/contacts/{contact.id}/correct", data={**data, "outcome": "refused"})
    assert without_reason.status_code == 400
    assert "Say why this contact is being corrected." in html.unescape(without_reason.get_data(as_text=True))
    assert held(contact.id).outcome.value == "kept"
    response = client.post(f"/contacts/{contact.id}/correct",
                           data={**data, "outcome": "refused", "reason": "Chose the wrong outcome"})
    assert response.status_code == 302
    stored = held(contact.id)
    assert stored.outcome.value == "refused" and stored.correction_reason == "Chose the wrong outcome"
    page = html.unescape(client.get(f"/contacts/{contact.id}").get_data(as_text=True))
    assert "Version: 2 – Corrected" in " ".join(page.split()) and "Version: 1 – Created" in " ".join(page.split())
    assert "Reason: Chose the wrong outcome" in page
    assert page.count(officer.name) >= 2  # who made each version
    assert f"Reference {short_reference(contact.id)}" in page


def test_an_edit_made_from_an_older_version_is_refused_as_a_conflict_showing_the_version_held(
        client, app, officer, supervisor, contact, signed_in):
    signed_in(officer)
    mine = correction_form(client, contact)
    other = app.test_client()
    signed_in(supervisor, other)
    theirs = correction_form(other, contact)
    assert other.post(f"/contacts/{contact.id}/correct",
                      data={**theirs, "duration_minutes": "45", "reason": "Added the length"}).status_code == 302
    response = client.post(f"/contacts/{contact.id}/correct",
                           data={**mine, "type": "phone", "reason": "It was a phone call"})
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert "Someone changed this contact while you were correcting it." in page
    assert "45 minutes" in page  # the version held now
    stored = held(contact.id)
    assert stored.duration_minutes == 45 and stored.type.value == "home_visit"  # theirs kept, mine not applied
    # Sending it again is a deliberate correction of the version shown: both changes are kept.
    again = fields_of(page)
    assert again["base_sha256"] == stored.content_sha256
    assert client.post(f"/contacts/{contact.id}/correct", data={**again, "duration_minutes": "45"}).status_code == 302
    stored = held(contact.id)
    assert stored.type.value == "phone" and stored.duration_minutes == 45


def test_a_void_made_from_an_older_version_is_refused_too(client, app, officer, supervisor, contact, signed_in):
    signed_in(officer)
    page = client.get(f"/contacts/{contact.id}/void").get_data(as_text=True)
    base = fields_of(page)
    other = app.test_client()
    signed_in(supervisor, other)
    theirs = correction_form(other, contact)
    other.post(f"/contacts/{contact.id}/correct", data={**theirs, "outcome": "not_at_home", "reason": "Not in"})
    response = client.post(f"/contacts/{contact.id}/void", data={**base, "reason": "Wrong person"})
    assert response.status_code == 409 and not held(contact.id).voided


def test_a_voided_contact_stays_visible_struck_through_with_its_reason_and_does_not_count(
        client, officer, person, contact, signed_in):
    signed_in(officer)
    base = fields_of(client.get(f"/contacts/{contact.id}/void").get_data(as_text=True))
    missing = client.post(f"/contacts/{contact.id}/void", data=base)
    assert missing.status_code == 400 and "Say why this contact is being voided." in html.unescape(missing.get_data(as_text=True))
    assert client.post(f"/contacts/{contact.id}/void", data={**base, "reason": "Recorded against the wrong person"}).status_code == 302
    assert held(contact.id).voided
    page = html.unescape(client.get(f"/people/{person.id}").get_data(as_text=True))
    item = re.search(rf'<li class="contact-list__item contact-list__item--void" id="contact-{contact.id}">(.*?)</li>', page, re.S)
    assert item and "Made void: Recorded against the wrong person" in item.group(1)
    assert "/correct" not in item.group(1)  # a void contact cannot be corrected
    week = re.search(r'<th scope="row">[^<]*</th>\s*<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>', page)
    assert week and week.group(2) == "0" and week.group(3) == "0"  # neither offered nor kept this week
    history = html.unescape(client.get(f"/contacts/{contact.id}").get_data(as_text=True))
    assert "Version: 2 – Voided" in " ".join(history.split()) and "This contact is void and does not count" in history
    actions = [event.action for event in db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_id == str(contact.id)).order_by(AuditEvent.id))]
    assert actions == ["create", "void"]


def test_only_the_author_and_the_teams_supervisors_are_offered_correct_and_void_within_the_window(
        client, app, officer, supervisor, team, person, contact, signed_in):
    colleague = factories.user(team, "cydweithiwr@powys.example")
    signed_in(colleague)
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert f"/contacts/{contact.id}/correct" not in page
    assert client.get(f"/contacts/{contact.id}/correct").status_code == 302  # back to the contact, saying why
    data = {"reason": "x", "base_sha256": contact.content_sha256}
    client.post(f"/contacts/{contact.id}/void", data=data)
    assert not held(contact.id).voided
    for user in (officer, supervisor):
        viewer = app.test_client()
        signed_in(user, viewer)
        assert f"/contacts/{contact.id}/correct" in viewer.get(f"/people/{person.id}").get_data(as_text=True)
    app.config["FIXED_NOW"] = contact.received_at + timedelta(days=team.correction_window_days, minutes=1)
    viewer = app.test_client()
    signed_in(officer, viewer)
    assert f"/contacts/{contact.id}/correct" not in viewer.get(f"/people/{person.id}").get_data(as_text=True)
    assert viewer.get(f"/contacts/{contact.id}/correct").status_code == 302


def test_my_recent_contacts_lists_mine_with_correct_and_void(client, officer, person, contact, signed_in):
    others = factories.contact(person, factories.user(officer.team, "arall@powys.example"),
                               occurred_at=WEDNESDAY_NOON - timedelta(hours=3), received_at=WEDNESDAY_NOON)
    page = signed_in(officer).get("/contacts/mine").get_data(as_text=True)
    assert f"/contacts/{contact.id}/correct" in page and f"/contacts/{contact.id}/void" in page
    assert str(others.id) not in page


def test_a_late_entry_asks_to_confirm_and_names_the_week_it_counts_in(client, officer, person, signed_in):
    page = signed_in(officer).get(f"/contacts/new?person={person.id}").get_data(as_text=True)
    data = {**fields_of(page), "type": "phone", "outcome": "kept", "date": "2026-11-12", "time": "10:00"}
    asked = client.post("/contacts/new", data=data)
    text = html.unescape(asked.get_data(as_text=True))
    assert asked.status_code == 200
    assert "This is a late entry: it will count in the week beginning Monday 9 November 2026." in text
    assert db.session.scalar(select(Contact)) is None
    confirmed = fields_of(text)
    assert confirmed["confirm_late"] == "2026-11-09"
    assert client.post("/contacts/new", data=confirmed).status_code == 302
    assert db.session.scalar(select(Contact)).occurred_week.isoformat() == "2026-11-09"


def test_a_contact_this_week_saves_without_asking(client, officer, person, signed_in):
    page = signed_in(officer).get(f"/contacts/new?person={person.id}").get_data(as_text=True)
    data = {**fields_of(page), "type": "phone", "outcome": "kept", "date": "2026-11-16", "time": "10:00"}
    assert client.post("/contacts/new", data=data).status_code == 302


def test_the_late_entry_question_is_in_welsh_for_a_welsh_speaker(client, team, signed_in):
    reader = factories.user(team, "darllenydd@powys.example", language="cy")
    person = factories.person(team, "Rhys Evans")
    page = signed_in(reader).get(f"/contacts/new?person={person.id}").get_data(as_text=True)
    data = {**fields_of(page), "type": "phone", "outcome": "kept", "date": "2026-11-12", "time": "10:00"}
    text = html.unescape(client.post("/contacts/new", data=data).get_data(as_text=True))
    assert "Cofnod hwyr yw hwn: bydd yn cyfrif yn yr wythnos sy'n dechrau ddydd Llun 9 Tachwedd 2026." in text


def test_the_supervisors_week_view_marks_late_entries(client, supervisor, person, officer, signed_in):
    factories.contact(person, officer, occurred_at=datetime(2026, 11, 2, 10, tzinfo=timezone.utc),
                      received_at=WEDNESDAY_NOON)  # sixteen days late
    factories.contact(person, officer, occurred_at=datetime(2026, 11, 3, 10, tzinfo=timezone.utc),
                      received_at=datetime(2026, 11, 3, 11, tzinfo=timezone.utc))
    page = signed_in(supervisor).get("/supervision/week?week=2026-11-02").get_data(as_text=True)
    assert "1 late entry" in page
    assert "late entr" not in client.get("/supervision/week?week=2026-11-16").get_data(as_text=True)


def test_the_short_reference_is_digits_only_and_the_same_as_the_phones():
    assert short_reference("0b6f3c1e-2f4a-4c8e-9d2b-7a1e5c3f9b10") == "0191-839-262"  # tests/js/life.test.mjs too
