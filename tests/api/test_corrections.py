"""Corrections and voids: by the author or a supervisor of the team, within the team's window."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from app.contacts.canonical import content_hash, stored_content
from app.extensions import db
from app.models import AuditEvent, Contact
from tests import factories
from tests.api.conftest import NOW, contact_json, iso


def send(client, person, **fields) -> dict:
    sent = contact_json(person.id, **fields)
    result = client.sync([sent]).get_json()["results"][0]
    assert result["status"] == "created"
    return sent


def held(contact_id: str) -> Contact:
    db.session.expire_all()
    return db.session.get(Contact, uuid.UUID(contact_id))


def correct(client, contact_id: str, **body):
    body.setdefault("reason", "Typed wrongly")
    return client.post(f"/api/v1/contacts/{contact_id}/correction", json=body)


def void(client, contact_id: str, **body):
    return client.post(f"/api/v1/contacts/{contact_id}/void", json=body)


def events_for(contact_id: str) -> list[AuditEvent]:
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_id == contact_id).order_by(AuditEvent.id)
    ).all()


def test_the_author_corrects_a_contact_and_the_previous_version_is_kept_in_the_audit_trail(api, officer, person):
    client = api(officer)
    sent = send(client, person, outcome="kept", notes="Hen nodyn")
    before = held(sent["id"]).content_sha256
    response = correct(client, sent["id"], changes={"outcome": "not_at_home", "notes": "Nodyn newydd"},
                       reason="Wrong outcome chosen", expected_sha256=before)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    contact = held(sent["id"])
    assert contact.outcome.value == "not_at_home" and contact.notes == "Nodyn newydd"
    assert contact.content_sha256 == content_hash(stored_content(contact)) != before
    assert contact.received_sha256 == before
    assert contact.correction_reason == "Wrong outcome chosen"
    assert body["contact"]["sha256"] == contact.content_sha256
    assert body["people"][0]["kept_this_week"] == 0 and body["people"][0]["offered_this_week"] == 1
    [created, corrected] = events_for(sent["id"])
    assert (created.action, corrected.action) == ("create", "correct")
    assert corrected.before["outcome"] == "kept" and corrected.before["notes"] == "Hen nodyn"
    assert corrected.after["outcome"] == "not_at_home"
    assert corrected.before["content_sha256"] == before
    assert corrected.actor_id == officer.id


def test_a_supervisor_of_the_team_may_correct_another_officers_contact(api, officer, supervisor, person, second_client):
    sent = send(api(officer), person)
    response = correct(api(supervisor, second_client), sent["id"], changes={"type": "phone"})
    assert response.status_code == 200
    assert held(sent["id"]).type.value == "phone"


def test_another_officer_of_the_team_may_not_correct_or_void_it(api, officer, team, person, second_client):
    sent = send(api(officer), person)
    colleague = api(factories.user(team, "cydweithiwr@powys.example"), second_client)
    response = correct(colleague, sent["id"], changes={"type": "phone"})
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
    assert void(colleague, sent["id"], reason="Mistake").status_code == 403
    assert held(sent["id"]).type.value == "home_visit" and not held(sent["id"]).voided


def test_another_teams_contact_is_not_found(api, officer, person, other_officer, second_client):
    sent = send(api(officer), person)
    stranger = api(other_officer, second_client)
    for response in (
        correct(stranger, sent["id"], changes={"type": "phone"}),
        void(stranger, sent["id"], reason="Mistake"),
        stranger.get(f"/api/v1/contacts/{sent['id']}"),
    ):
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_corrections_close_after_the_teams_window(app, api, officer, team, person):
    client = api(officer)
    sent = send(client, person)
    app.config["FIXED_NOW"] = NOW + timedelta(days=7, minutes=1)
    response = correct(client, sent["id"], changes={"type": "phone"})
    assert response.status_code == 403
    assert response.get_json()["error"] == {
        "code": "correction_window_closed",
        "message": "A contact can only be changed within 7 days of reaching the server.",
    }
    team.correction_window_days = 10
    db.session.commit()
    assert correct(client, sent["id"], changes={"type": "phone"}).status_code == 200


def test_a_correction_of_an_out_of_date_version_is_a_conflict(api, officer, supervisor, person, second_client):
    client = api(officer)
    sent = send(client, person)
    original = held(sent["id"]).content_sha256
    assert correct(api(supervisor, second_client), sent["id"], changes={"duration_minutes": 15}).status_code == 200
    response = correct(client, sent["id"], changes={"type": "phone"}, expected_sha256=original)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict" and error["contact"]["duration_minutes"] == 15
    assert held(sent["id"]).type.value == "home_visit"


def test_a_correction_is_checked_field_by_field(api, officer, person, other_person):
    client = api(officer)
    sent = send(client, person)
    response = correct(client, sent["id"], changes={"outcome": "lost", "duration_minutes": -1}, reason=5)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and set(error["errors"]) == {"outcome", "duration_minutes", "reason"}
    response = correct(client, sent["id"], changes={"person_id": other_person.id})
    assert response.get_json()["error"]["errors"] == {"person_id": "This person is not on your caseload."}
    response = correct(client, sent["id"], changes={"occurred_at": iso(NOW + timedelta(hours=1))})
    assert set(response.get_json()["error"]["errors"]) == {"occurred_at"}
    assert set(correct(client, sent["id"], changes={}).get_json()["error"]["errors"]) == {"changes"}
    assert set(correct(client, sent["id"], changes={"id": "x"}).get_json()["error"]["errors"]) == {"changes"}
    assert held(sent["id"]).content_sha256 == held(sent["id"]).received_sha256


def test_moving_a_contact_to_another_week_and_person_recounts_both(api, officer, team, person):
    client = api(officer)
    sent = send(client, person)
    other = factories.person(team, "Lowri Price")
    response = correct(client, sent["id"], changes={"person_id": other.id,
                                                   "occurred_at": iso(NOW - timedelta(days=7))})
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.get_json()["people"]}
    assert rows[person.id]["offered_this_week"] == 0
    assert rows[other.id]["offered_this_week"] == 0  # it now counts in last week
    assert held(sent["id"]).occurred_week.isoformat() == "2026-11-09"


def test_sending_the_same_correction_twice_changes_nothing_the_second_time(api, officer, person):
    client = api(officer)
    sent = send(client, person)
    assert correct(client, sent["id"], changes={"type": "phone"}).status_code == 200
    assert correct(client, sent["id"], changes={"type": "phone"}).status_code == 200
    assert [event.action for event in events_for(sent["id"])] == ["create", "correct"]


def test_the_phone_resending_the_original_after_a_correction_is_told_it_arrived(api, officer, supervisor, person, second_client):
    client = api(officer)
    sent = send(client, person, outcome="kept")
    original = held(sent["id"]).content_sha256
    correct(api(supervisor, second_client), sent["id"], changes={"outcome": "refused"})
    result = client.sync([sent]).get_json()["results"][0]
    assert result["status"] == "duplicate"
    assert result["sha256"] == original  # the hash of what the phone sent: it may let the record go
    assert result["corrected"] is True
    assert result["stored"]["outcome"] == "refused"
    assert result["current_sha256"] == held(sent["id"]).content_sha256
    # Content that is neither the first version nor the current one is still a conflict.
    other = client.sync([{**sent, "outcome": "did_not_attend"}]).get_json()["results"][0]
    assert other["status"] == "conflict" and other["stored"]["outcome"] == "refused"


def test_voiding_needs_a_reason_and_then_the_contact_counts_nowhere(api, officer, person):
    client = api(officer)
    sent = send(client, person)
    missing = void(client, sent["id"])
    assert missing.status_code == 400
    assert missing.get_json()["error"]["errors"] == {"reason": "Say why this contact is being voided."}
    assert void(client, sent["id"], reason="   ").status_code == 400
    response = void(client, sent["id"], reason="Recorded against the wrong person")
    assert response.status_code == 200
    body = response.get_json()
    assert body["contact"]["voided"] is True and body["contact"]["void_reason"] == "Recorded against the wrong person"
    assert body["people"][0]["offered_this_week"] == 0
    [_created, voided] = events_for(sent["id"])
    assert voided.action == "void" and voided.before["voided"] is False and voided.after["voided"] is True


def test_voiding_twice_is_harmless_and_a_voided_contact_cannot_be_corrected(api, officer, person):
    client = api(officer)
    sent = send(client, person)
    void(client, sent["id"], reason="Mistake")
    again = void(client, sent["id"], reason="Another reason")
    assert again.status_code == 200 and again.get_json()["contact"]["void_reason"] == "Mistake"
    response = correct(client, sent["id"], changes={"type": "phone"})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "voided"
    assert [event.action for event in events_for(sent["id"])] == ["create", "void"]
    replay = client.sync([sent]).get_json()["results"][0]
    assert replay["status"] == "duplicate" and replay["voided"] is True


def test_a_stored_contact_can_be_read_back_in_full_by_its_team(api, officer, person):
    client = api(officer)
    sent = send(client, person, notes="Nodyn", others_present="Mam")
    body = client.get(f"/api/v1/contacts/{sent['id']}").get_json()
    assert body["contact"]["notes"] == "Nodyn" and body["contact"]["others_present"] == "Mam"
    assert body["contact"]["recorded_by"] == {"id": officer.id, "name": officer.name}


def test_a_correction_sent_again_under_its_key_is_applied_once_even_after_someone_elses_edit(
        api, officer, supervisor, person, second_client):
    client = api(officer)
    sent = send(client, person)
    base = held(sent["id"]).content_sha256
    key = str(uuid.uuid4())
    body = {"changes": {"outcome": "refused"}, "reason": "Refused at the door", "expected_sha256": base,
            "idempotency_key": key}
    assert correct(client, sent["id"], **body).status_code == 200
    correct(api(supervisor, second_client), sent["id"], changes={"duration_minutes": 20})
    again = correct(client, sent["id"], **body)  # its first answer was lost: the phone sends it again
    assert again.status_code == 200 and again.get_json()["contact"]["duration_minutes"] == 20
    assert [event.action for event in events_for(sent["id"])] == ["create", "correct", "correct"]
    other = send(client, person)
    reused = correct(client, other["id"], **{**body, "expected_sha256": None})
    assert reused.status_code == 409 and reused.get_json()["error"]["code"] == "key_reused"


def test_a_void_sent_again_under_its_key_is_applied_once(api, officer, person):
    client = api(officer)
    sent = send(client, person)
    key = str(uuid.uuid4())
    assert void(client, sent["id"], reason="Wrong person", idempotency_key=key).status_code == 200
    assert void(client, sent["id"], reason="Wrong person", idempotency_key=key).status_code == 200
    assert [event.action for event in events_for(sent["id"])] == ["create", "void"]


def test_a_record_discarded_on_the_phone_is_reported_once_with_its_reason(api, officer, person):
    client = api(officer)
    record = {"id": str(uuid.uuid4()), "person_id": person.id, "type": "phone",
              "occurred_at": iso(NOW - timedelta(hours=1)), "reason": "Recorded twice on this phone"}
    first = client.post("/api/v1/contacts/discarded", json=record)
    assert first.status_code == 200 and first.get_json()["status"] == "discarded"
    again = client.post("/api/v1/contacts/discarded", json=record)
    assert again.status_code == 200 and again.get_json()["status"] == "already_reported"
    [event] = events_for(record["id"])
    assert event.action == "discard" and event.actor_id == officer.id and event.person_id == person.id
    assert event.after["reason"] == "Recorded twice on this phone"
    missing = client.post("/api/v1/contacts/discarded", json={**record, "id": str(uuid.uuid4()), "reason": " "})
    assert missing.status_code == 400
    assert missing.get_json()["error"]["errors"] == {"reason": "Say why this record is being discarded."}
    sent = send(client, person)
    held_one = client.post("/api/v1/contacts/discarded", json={**record, "id": sent["id"]})
    assert held_one.status_code == 409 and held_one.get_json()["error"]["code"] == "held"


def test_the_session_tells_the_phone_the_teams_late_entry_age_and_correction_window(api, officer):
    team = api(officer).get("/api/v1/session").get_json()["user"]["team"]
    assert team["late_entry_days"] == 14 and team["correction_window_days"] == 7
