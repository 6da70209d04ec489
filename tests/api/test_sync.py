"""POST /api/v1/contacts/sync: every contact stored exactly once, one result each, in order."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Contact
from tests import factories
from tests.api.conftest import NOW, contact_json, iso


def stored(contact_id: str) -> Contact | None:
    db.session.expire_all()
    return db.session.get(Contact, uuid.UUID(contact_id))


def count_contacts() -> int:
    return db.session.scalar(select(func.count()).select_from(Contact))


def test_a_new_contact_is_created_with_the_hash_the_phone_computes(api, officer, person):
    sent = contact_json(
        person.id, id="0b6f3c1e-2f4a-4c8e-9d2b-7a1e5c3f9b10", occurred_at="2026-11-18T10:05:00.000Z",
        pathways=["health", "accommodation"], notes="Siarad am dai.", duration_minutes=20,
    )
    response = api(officer).sync([sent])
    assert response.status_code == 200
    [result] = response.get_json()["results"]
    # What the phone's JavaScript hashes: keys sorted, no whitespace, UTF-8, not ASCII-escaped.
    canonical = (
        '{"concern":false,"duration_minutes":20,"id":"0b6f3c1e-2f4a-4c8e-9d2b-7a1e5c3f9b10",'
        '"notes":"Siarad am dai.","occurred_at":"2026-11-18T10:05:00.000Z","others_present":null,'
        '"outcome":"kept","pathways":["accommodation","health"],"person_id":%d,"sensitive":false,'
        '"type":"home_visit"}' % person.id
    )
    assert result == {
        "id": sent["id"],
        "status": "created",
        "server_received_at": "2026-11-18T12:00:00.000Z",
        "sha256": hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    }
    contact = stored(sent["id"])
    assert contact.recorded_by_id == officer.id and contact.team_id == officer.team_id
    assert contact.content_sha256 == contact.received_sha256 == result["sha256"]
    assert contact.pathways == ["accommodation", "health"] and contact.duration_minutes == 20
    assert contact.occurred_week.isoformat() == "2026-11-16"
    assert not contact.late and not contact.clock_skew


def test_sending_the_same_contact_again_is_a_duplicate_and_stores_nothing_more(api, officer, person):
    client = api(officer)
    sent = contact_json(person.id)
    first = client.sync([sent]).get_json()["results"][0]
    again = client.sync([sent]).get_json()["results"][0]
    assert again["status"] == "duplicate"
    assert again["sha256"] == first["sha256"]
    assert again["server_received_at"] == first["server_received_at"]
    assert (again["corrected"], again["voided"]) == (False, False)
    assert count_contacts() == 1


def test_the_same_id_with_other_content_is_a_conflict_that_returns_the_stored_version(api, officer, person):
    client = api(officer)
    sent = contact_json(person.id, outcome="kept")
    first = client.sync([sent]).get_json()["results"][0]
    changed = {**sent, "outcome": "not_at_home", "notes": "Different"}
    result = client.sync([changed]).get_json()["results"][0]
    assert result["status"] == "conflict"
    assert result["sha256"] == first["sha256"]
    assert result["stored"]["outcome"] == "kept" and result["stored"]["notes"] is None
    assert stored(sent["id"]).outcome.value == "kept"
    assert count_contacts() == 1


def test_a_mixed_batch_stores_the_good_ones_and_names_each_bad_one_in_order(api, officer, person, other_person):
    good_one, good_two = contact_json(person.id), contact_json(person.id, type="phone")
    batch = [
        good_one,
        {**contact_json(person.id), "type": "carrier_pigeon"},
        "not an object",
        contact_json(other_person.id),
        good_two,
        {**contact_json(person.id), "duration_minutes": "twenty"},
    ]
    results = api(officer).sync(batch).get_json()["results"]
    assert [result["status"] for result in results] == [
        "created", "rejected", "rejected", "rejected", "created", "rejected"
    ]
    assert [result["id"] for result in results] == [
        good_one["id"], batch[1]["id"], None, batch[3]["id"], good_two["id"], batch[5]["id"]
    ]
    assert set(results[1]["errors"]) == {"type"}
    assert set(results[2]["errors"]) == {"contact"}
    assert results[3]["errors"] == {"person_id": "This person is not on your caseload."}
    assert set(results[5]["errors"]) == {"duration_minutes"}
    assert stored(good_one["id"]) is not None and stored(good_two["id"]) is not None
    assert count_contacts() == 2


def test_another_teams_person_is_not_on_your_caseload_exactly_like_a_person_who_does_not_exist(
    api, officer, other_person
):
    results = api(officer).sync([contact_json(other_person.id), contact_json(other_person.id + 1000)]).get_json()
    assert [result["errors"] for result in results["results"]] == [
        {"person_id": "This person is not on your caseload."},
        {"person_id": "This person is not on your caseload."},
    ]
    assert results["tallies"] == [] and results["caseload"] is None
    assert count_contacts() == 0


def test_an_id_already_used_by_another_team_is_refused_without_revealing_its_record(
    api, officer, person, other_officer, other_person, second_client
):
    theirs = contact_json(other_person.id, notes="Their notes")
    assert api(other_officer, second_client).sync([theirs]).get_json()["results"][0]["status"] == "created"
    mine = contact_json(person.id, id=theirs["id"])
    result = api(officer).sync([mine]).get_json()["results"][0]
    assert result["status"] == "rejected"
    assert set(result) == {"id", "status", "errors"}
    assert set(result["errors"]) == {"id"}
    assert "Their notes" not in str(result)
    assert stored(theirs["id"]).team_id == other_officer.team_id


def test_the_same_id_twice_in_one_batch_is_stored_once(api, officer, person):
    sent = contact_json(person.id)
    results = api(officer).sync([sent, sent, {**sent, "outcome": "refused"}]).get_json()["results"]
    assert [result["status"] for result in results] == ["created", "duplicate", "conflict"]
    assert count_contacts() == 1


def test_a_contact_more_than_five_minutes_ahead_of_the_server_is_rejected(api, officer, person):
    soon = contact_json(person.id, occurred_at=iso(NOW + timedelta(minutes=4)))
    too_far = contact_json(person.id, occurred_at=iso(NOW + timedelta(minutes=6)))
    results = api(officer).sync([soon, too_far]).get_json()["results"]
    assert results[0]["status"] == "created"
    assert results[1]["status"] == "rejected" and set(results[1]["errors"]) == {"occurred_at"}


def test_a_time_without_an_offset_is_rejected_and_one_with_an_offset_is_stored_in_utc(api, officer, person):
    naive = contact_json(person.id, occurred_at="2026-11-18T10:05:00")
    summer = contact_json(person.id, occurred_at="2026-07-01T09:30:00.250+01:00")
    results = api(officer).sync([naive, summer]).get_json()["results"]
    assert results[0]["errors"] == {"occurred_at": "This time has no time zone offset. Add one, such as Z or +01:00."}
    assert results[1]["status"] == "created"
    assert iso(stored(summer["id"]).occurred_at) == "2026-07-01T08:30:00.250Z"


def test_an_entry_older_than_the_teams_late_age_is_stored_and_flagged_late(api, officer, person, team):
    recent = contact_json(person.id, occurred_at=iso(NOW - timedelta(days=13)))
    old = contact_json(person.id, occurred_at=iso(NOW - timedelta(days=15)))
    results = api(officer).sync([recent, old]).get_json()["results"]
    assert [result["status"] for result in results] == ["created", "created"]
    assert not stored(recent["id"]).late
    assert stored(old["id"]).late


def test_the_late_age_is_the_teams_setting(api, officer, person, team):
    team.late_entry_days = 3
    db.session.commit()
    sent = contact_json(person.id, occurred_at=iso(NOW - timedelta(days=4)))
    api(officer).sync([sent])
    assert stored(sent["id"]).late


def test_a_phone_whose_clock_is_wrong_when_sending_gets_its_records_flagged_not_refused(api, officer, person):
    client = api(officer)
    slow = contact_json(person.id)
    client.sync([slow], sent_at=iso(NOW - timedelta(minutes=11)))
    ahead = contact_json(person.id, recorded_at=iso(NOW + timedelta(minutes=11)))
    client.sync([ahead], sent_at=None)
    waited = contact_json(person.id, occurred_at=iso(NOW - timedelta(days=2)), recorded_at=iso(NOW - timedelta(days=2)))
    client.sync([waited])
    assert stored(slow["id"]).clock_skew
    assert stored(ahead["id"]).clock_skew
    assert not stored(waited["id"]).clock_skew  # sat in the outbox for two days: normal


def test_every_stored_contact_writes_one_create_event_with_its_content(api, officer, person):
    batch = [contact_json(person.id), contact_json(person.id, notes="Nodyn")]
    client = api(officer)
    client.sync(batch)
    client.sync(batch)  # duplicates write nothing
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "contacts").order_by(AuditEvent.id)
    ).all()
    assert sorted(event.entity_id for event in events) == sorted(item["id"] for item in batch)
    assert {event.action for event in events} == {"create"}
    assert {event.actor_id for event in events} == {officer.id}
    assert {event.team_id for event in events} == {officer.team_id}
    assert {event.person_id for event in events} == {person.id}
    by_id = {event.entity_id: event for event in events}
    assert by_id[batch[1]["id"]].after["notes"] == "Nodyn"
    assert by_id[batch[1]["id"]].after["content_sha256"] == stored(batch[1]["id"]).content_sha256


def test_the_answer_carries_this_weeks_tallies_of_the_people_touched_and_no_required_level(api, officer, team, person):
    untouched = factories.person(team, "Lowri Price")
    client = api(officer)
    body = client.sync([contact_json(person.id), contact_json(person.id, outcome="did_not_attend")]).get_json()
    assert body["week_start"] == "2026-11-16"
    assert body["tallies"] == [
        {"id": person.id, "offered_this_week": 2, "kept_this_week": 1, "last_contact_at": "2026-11-18T11:50:00.000Z"}
    ]
    assert untouched.id not in [row["id"] for row in body["tallies"]]
    assert body["server_time"] == "2026-11-18T12:00:00.000Z"


def test_a_phone_that_held_the_caseload_before_its_sync_holds_the_one_after_once_it_applies_the_tallies(
    api, officer, person
):
    client = api(officer)
    before = client.get("/api/v1/caseload")
    body = client.sync([contact_json(person.id)]).get_json()
    assert body["caseload"]["previous_etag"] == before.headers["ETag"]
    after = client.get("/api/v1/caseload")
    assert after.headers["ETag"] == body["caseload"]["etag"]
    [row] = [row for row in after.get_json()["people"] if row["id"] == person.id]
    [tally] = body["tallies"]
    assert {key: row[key] for key in tally} == tally
    assert client.get("/api/v1/caseload", headers={"If-None-Match": body["caseload"]["etag"]}).status_code == 304


def test_a_phone_whose_caseload_changed_in_other_ways_too_is_told_to_ask_again(api, officer, person, second_client, supervisor):
    client = api(officer)
    held = client.get("/api/v1/caseload").headers["ETag"]
    api(supervisor, second_client).sync([contact_json(person.id)])  # someone else's sync first
    body = client.sync([contact_json(person.id)]).get_json()
    assert body["caseload"]["previous_etag"] != held
    assert client.get("/api/v1/caseload", headers={"If-None-Match": held}).status_code == 200


def test_a_batch_of_duplicates_changes_no_caseload(api, officer, person):
    client = api(officer)
    sent = contact_json(person.id)
    client.sync([sent])
    etag = client.get("/api/v1/caseload").headers["ETag"]
    body = client.sync([sent]).get_json()
    assert body["results"][0]["status"] == "duplicate" and body["caseload"] is None
    assert body["tallies"] == [
        {"id": person.id, "offered_this_week": 1, "kept_this_week": 1, "last_contact_at": None}
    ]
    assert client.get("/api/v1/caseload", headers={"If-None-Match": etag}).status_code == 304


def test_an_empty_batch_is_answered_with_no_results(api, officer):
    body = api(officer).sync([]).get_json()
    assert body["results"] == [] and body["tallies"] == [] and body["caseload"] is None


def test_an_upper_case_id_is_stored_in_lower_case_and_named_as_sent(api, officer, person):
    sent = contact_json(person.id)
    sent["id"] = sent["id"].upper()
    result = api(officer).sync([sent]).get_json()["results"][0]
    assert result["status"] == "created" and result["id"] == sent["id"]
    assert stored(sent["id"].lower()) is not None


def test_unknown_fields_are_ignored(api, officer, person):
    sent = {**contact_json(person.id), "address": "1 Stryd Fawr", "colour": [1, 2]}
    result = api(officer).sync([sent]).get_json()["results"][0]
    assert result["status"] == "created"


def test_each_field_of_the_wrong_type_is_named(api, officer, person):
    sent = {
        "id": 12,
        "person_id": "5",
        "type": ["home_visit"],
        "outcome": True,
        "occurred_at": 1763460300,
        "recorded_at": "yesterday",
        "duration_minutes": 1441,
        "pathways": "health",
        "notes": {"text": "x"},
        "sensitive": "no",
        "concern": 0,
        "others_present": 5,
    }
    result = api(officer).sync([sent]).get_json()["results"][0]
    assert result["status"] == "rejected" and result["id"] is None
    assert set(result["errors"]) == set(sent)
    assert all(isinstance(message, str) and message.endswith(".") for message in result["errors"].values())


def test_notes_may_be_4000_characters_but_not_4001(api, officer, person):
    fits = contact_json(person.id, notes="ŵ" * 4000)
    too_long = contact_json(person.id, notes="ŵ" * 4001)
    results = api(officer).sync([fits, too_long]).get_json()["results"]
    assert results[0]["status"] == "created"
    assert results[1]["errors"] == {"notes": "Notes must be text of at most 4,000 characters."}


def test_text_that_cannot_be_stored_is_rejected_on_its_field(api, officer, person):
    client = api(officer)
    nul = contact_json(person.id, notes="before\u0000after")
    results = client.sync([nul]).get_json()["results"]
    assert set(results[0]["errors"]) == {"notes"}
    # A lone surrogate can only arrive as a JSON escape. No answer could echo it back, so the
    # whole request is refused before anything is read (app/security/request_text.py); the phone's halving
    # of a refused batch finds the record.
    body = '{"contacts": [%s]}' % (
        '{"id": "%s", "person_id": %d, "type": "phone", "outcome": "kept", "occurred_at": "2026-11-18T10:00:00Z",'
        ' "recorded_at": "2026-11-18T10:00:00Z", "others_present": "\\ud800"}' % (uuid.uuid4(), person.id)
    )
    response = client.client.post(
        "/api/v1/contacts/sync", data=body, content_type="application/json",
        headers={"X-CSRFToken": client.csrf_token},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "unencodable_text"


def test_a_duplicate_pathway_is_rejected_rather_than_quietly_changing_the_hash(api, officer, person):
    result = api(officer).sync([contact_json(person.id, pathways=["health", "health"])]).get_json()["results"][0]
    assert result["errors"] == {"pathways": "Each pathway can be given only once."}


def test_a_supervisors_and_an_officers_contacts_for_the_same_person_both_count(api, officer, supervisor, person, second_client):
    api(officer).sync([contact_json(person.id)])
    body = api(supervisor, second_client).sync([contact_json(person.id, type="phone")]).get_json()
    assert body["tallies"][0]["offered_this_week"] == 2
