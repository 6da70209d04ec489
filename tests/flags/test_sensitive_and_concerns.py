"""Sensitive notes and concerns: who may read a sensitive contact's notes (one rule), that
they are absent from every list and export unless an allowed reader asks (and that asking
is audited), and that a concern is an alert until the offender manager or a supervisor
acknowledges it."""

from __future__ import annotations

import csv
import html
import io
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.contacts import privacy
from app.extensions import db
from app.models import AuditEvent, ConcernAcknowledgement, Contact
from app.permissions import may
from tests import factories

SECRET = "Told me about her brother's debts"
WHO = "Ei chwaer, Siân"
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def fixed_clock(app):
    app.config["FIXED_NOW"] = NOW


@pytest.fixture
def people(team, officer, supervisor):
    """author (officer), offender manager, colleague, a sensitive concern contact."""
    manager = factories.user(team, "om@powys.example", agency="probation", name="Olwen Manager")
    colleague = factories.user(team, "colleague@powys.example", name="Cai Colleague")
    person = factories.person(team, "Rhys Evans", offender_manager=manager)
    contact = factories.contact(person, officer, NOW - timedelta(hours=1), notes=SECRET, others_present=WHO,
                                sensitive=True, concern=True)
    return {"manager": manager, "colleague": colleague, "person": person, "contact": contact}


def test_who_may_read_a_sensitive_contacts_notes(people, officer, supervisor, admin, other_officer, team):
    contact = people["contact"]
    other_supervisor = factories.user(other_officer.team, "sarjant@caerdydd.example", role="supervisor")
    assert may(officer, "read_sensitive_notes", contact)  # the author
    assert may(people["manager"], "read_sensitive_notes", contact)  # the person's offender manager
    assert may(supervisor, "read_sensitive_notes", contact)  # a supervisor of the team
    assert may(admin, "read_sensitive_notes", contact)  # administrators act for every team
    assert not may(people["colleague"], "read_sensitive_notes", contact)  # another officer of the team
    assert not may(other_officer, "read_sensitive_notes", contact)
    assert not may(other_supervisor, "read_sensitive_notes", contact)  # a supervisor of another team


def test_who_may_acknowledge_a_concern(people, officer, supervisor, admin):
    contact = people["contact"]
    assert may(people["manager"], "acknowledge_concern", contact)
    assert may(supervisor, "acknowledge_concern", contact) and may(admin, "acknowledge_concern", contact)
    assert not may(people["colleague"], "acknowledge_concern", contact)
    assert not may(officer, "acknowledge_concern", contact)  # the author raised it: someone else acknowledges


def _csv(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_sensitive_note_is_absent_everywhere_for_a_colleague_even_when_they_ask(app, people, signed_in):
    client = signed_in(people["colleague"], app.test_client())
    person_id, contact_id = people["person"].id, people["contact"].id
    for path in ("/", f"/people/{person_id}", f"/people/{person_id}?sensitive_notes=1",
                 "/supervision/week", "/supervision/contacts?start=2026-11-01&end=2026-11-18",
                 "/supervision/contacts.csv?start=2026-11-01&end=2026-11-18&sensitive_notes=1",
                 "/api/v1/caseload", f"/api/v1/contacts/{contact_id}", f"/api/v1/contacts/{contact_id}?sensitive_notes=1"):
        response = client.get(path)
        assert response.status_code == 200, path
        body = html.unescape(response.get_data(as_text=True))
        assert SECRET not in body and WHO not in body, path
    api = client.get(f"/api/v1/contacts/{contact_id}?sensitive_notes=1").get_json()["contact"]
    assert api["notes"] is None and api["private_text_left_out"] is True and api["sha256"]


@pytest.mark.parametrize("reader", ["author", "manager", "supervisor"])
def test_an_allowed_reader_sees_the_notes_only_after_asking_and_the_asking_is_audited(app, people, officer, supervisor,
                                                                                        signed_in, reader):
    user = {"author": officer, "manager": people["manager"], "supervisor": supervisor}[reader]
    client = signed_in(user, app.test_client())
    page = f"/people/{people['person'].id}"
    plain = html.unescape(client.get(page).get_data(as_text=True))
    assert SECRET not in plain and WHO not in plain
    assert "Include sensitive notes (this is recorded)" in plain
    before = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "read_sensitive_notes"))
    assert before is None
    asked = html.unescape(client.get(page + "?sensitive_notes=1").get_data(as_text=True))
    assert SECRET in asked and WHO in asked
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "read_sensitive_notes"))
    assert (event.actor_id, event.entity, event.person_id) == (user.id, "person_page", people["person"].id)
    assert event.after == {"sensitive_notes_asked": True, "sensitive_notes_included": 1}
    assert SECRET not in str(event.after)
    exported = _csv(client.get("/supervision/contacts.csv?start=2026-11-01&end=2026-11-18"))
    assert SECRET not in exported
    exported = _csv(client.get("/supervision/contacts.csv?start=2026-11-01&end=2026-11-18&sensitive_notes=1"))
    assert SECRET in exported


def _audit_export(client, team_id, asked: bool) -> str:
    query = f"/audit/export?team={team_id}" + ("&sensitive_notes=1" if asked else "")
    return _csv(client.get(query))


def test_the_audit_export_leaves_sensitive_notes_out_unless_asked_and_keeps_the_stored_events_whole(
        app, people, admin, team, signed_in, api_client=None):
    client = signed_in(admin, app.test_client())
    plain = _audit_export(client, team.id, asked=False)
    rows = list(csv.reader(io.StringIO(plain.lstrip("\ufeff"))))
    assert SECRET not in plain and WHO not in plain
    assert any("Sensitive: left out" in cell for row in rows for cell in row)
    stored = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "contacts", AuditEvent.action == "create"))
    assert stored.after["notes"] == SECRET  # the trail itself is never changed
    asked = _audit_export(client, team.id, asked=True)
    assert SECRET in asked and WHO in asked
    exports = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export_audit_trail")
                                 .order_by(AuditEvent.id)).all()
    assert [event.after["sensitive_notes_asked"] for event in exports] == [False, True]
    assert exports[1].after["sensitive_notes_included"] >= 1


def test_the_teams_audit_trail_page_never_shows_sensitive_notes(app, people, supervisor, signed_in):
    page = html.unescape(signed_in(supervisor, app.test_client()).get("/audit/team").get_data(as_text=True))
    assert "Sensitive: left out" in page
    assert SECRET not in page and WHO not in page


def test_a_contact_corrected_to_sensitive_keeps_its_earlier_notes_out_of_the_audit_export(app, officer, admin, team,
                                                                                          signed_in):
    person = factories.person(team, "Bryn Price")
    contact = factories.contact(person, officer, NOW - timedelta(hours=2), notes="First words")
    contact.sensitive = True
    db.session.commit()
    exported = _audit_export(signed_in(admin, app.test_client()), team.id, asked=False)
    assert "First words" not in exported


# Concerns -----------------------------------------------------------------------------------


def test_a_concern_is_an_alert_for_the_offender_manager_and_supervisors_until_acknowledged(app, people, officer,
                                                                                          supervisor, signed_in):
    alert = "Officer raised a concern about Rhys Evans"
    manager = signed_in(people["manager"], app.test_client())
    boss = signed_in(supervisor, app.test_client())
    colleague = signed_in(people["colleague"], app.test_client())
    assert alert in manager.get("/").get_data(as_text=True)
    assert alert in boss.get("/").get_data(as_text=True)
    assert alert not in colleague.get("/").get_data(as_text=True)
    assert SECRET not in manager.get("/").get_data(as_text=True)
    assert manager.get("/api/v1/concerns").get_json()["total"] == 1
    assert colleague.get("/api/v1/concerns").get_json() | {"server_time": None} == {
        "concerns": [], "total": 0, "server_time": None}

    from tests.conftest import csrf_token_from

    url = f"/contacts/{people['contact'].id}/acknowledge-concern"
    assert colleague.post(url, data={"csrf_token": csrf_token_from(colleague, "/")}).status_code == 403
    response = boss.post(url, data={"csrf_token": csrf_token_from(boss, "/")})
    assert response.status_code == 302
    assert "Concern acknowledged." in boss.get("/").get_data(as_text=True)
    for client in (manager, boss):
        assert alert not in client.get("/").get_data(as_text=True)
        assert client.get("/api/v1/concerns").get_json()["concerns"] == []

    acknowledgement = db.session.scalar(select(ConcernAcknowledgement))
    assert (acknowledgement.acknowledged_by_id, acknowledgement.acknowledged_at) == (supervisor.id, NOW)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "concern_acknowledgements"))
    assert (event.action, event.actor_id, event.person_id) == ("create", supervisor.id, people["person"].id)
    assert event.after["contact_id"] == str(people["contact"].id)
    # Acknowledged twice (another supervisor at the same moment): still one acknowledgement, the first.
    assert boss.post(url, data={"csrf_token": csrf_token_from(boss, "/")}).status_code == 302
    assert len(db.session.scalars(select(ConcernAcknowledgement)).all()) == 1


def test_the_phone_acknowledges_a_concern_through_the_api(app, people, signed_in):
    client = signed_in(people["manager"], app.test_client())
    csrf = client.get("/api/v1/session").get_json()["csrf_token"]
    [concern] = client.get("/api/v1/concerns").get_json()["concerns"]
    assert concern["person"]["display_name"] == "Rhys Evans" and "notes" not in concern
    response = client.post(f"/api/v1/contacts/{concern['contact_id']}/acknowledge-concern", json={},
                           headers={"X-CSRFToken": csrf})
    assert response.status_code == 200
    assert response.get_json()["acknowledged"]["by"] == people["manager"].id
    assert client.get("/api/v1/concerns").get_json()["total"] == 0


def test_a_voided_concern_or_one_without_a_concern_is_no_alert(app, people, supervisor, team, officer, signed_in):
    people["contact"].voided = True
    db.session.commit()
    factories.contact(people["person"], officer, NOW - timedelta(minutes=30))
    assert signed_in(supervisor, app.test_client()).get("/api/v1/concerns").get_json()["total"] == 0


def test_concern_alerts_are_in_welsh(app, people, team, signed_in):
    reader = factories.user(team, "rheolwr@powys.example", role="supervisor", language="cy")
    page = signed_in(reader, app.test_client()).get("/").get_data(as_text=True)
    assert "Cydnabod y pryder hwn" in page
    assert "1 pryder i'w gydnabod" in html.unescape(page)


def test_shows_private_text_needs_both_the_right_and_the_asking(people, officer):
    contact = people["contact"]
    assert not privacy.shows_private_text(officer, contact, asked=False)
    assert privacy.shows_private_text(officer, contact, asked=True)
    assert not privacy.shows_private_text(people["colleague"], contact, asked=True)
    plain = db.session.scalar(select(Contact).where(Contact.id != contact.id)) or factories.contact(
        people["person"], officer, notes="plain")
    assert privacy.shows_private_text(people["colleague"], plain, asked=False)
    assert uuid.UUID(str(contact.id))
