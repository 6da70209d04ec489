"""Every phone reports with each sync and caseload fetch; a bad report never costs a record."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.devices import contract
from app.extensions import db
from app.models import AuditEvent, Contact, Device, SignInSession
from tests.devices.conftest import NOW, contact_json, iso, report, sync_with


def stored_device(device_id: str) -> Device | None:
    db.session.expire_all()
    return db.session.get(Device, uuid.UUID(device_id))


def contacts_stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Contact))


# --- The contract -----------------------------------------------------------------------------


def test_a_good_report_is_read_with_its_times_in_utc():
    parsed, errors = contract.parse_report(report(oldest_unsent_at="2026-11-18T12:00:00+01:00"))
    assert errors == {}
    assert parsed.unsent == 2 and parsed.oldest_unsent_at.isoformat() == "2026-11-18T11:00:00+00:00"


@pytest.mark.parametrize("field, value, message", [
    ("id", "not-a-uuid", contract.DEVICE_ID_INVALID),
    ("id", None, contract.DEVICE_ID_INVALID),
    ("unsent", "2", contract.UNSENT_INVALID),
    ("unsent", -1, contract.UNSENT_INVALID),
    ("unsent", 1_000_001, contract.UNSENT_INVALID),
    ("unsent", True, contract.UNSENT_INVALID),
    ("attention", 3, contract.ATTENTION_TOO_MANY),
    ("oldest_unsent_at", "yesterday", contract.TIME_INVALID),
    ("oldest_unsent_at", "2026-11-18T10:00:00", contract.TIME_INVALID),
    ("storage_persisted", "yes", contract.PERSISTED_INVALID),
    ("storage_usage", 1.5, contract.BYTES_INVALID),
    ("app_version", "a version with spaces", contract.APP_VERSION_INVALID),
])
def test_each_wrong_field_of_a_report_is_named_with_its_own_sentence(app, field, value, message):
    parsed, errors = contract.parse_report(report(**{field: value}))
    assert parsed is None and errors == {field: message}


def test_a_report_that_is_not_an_object_or_not_json_says_so(app):
    assert contract.parse_report([1, 2]) == (None, {"device": contract.REPORT_NOT_OBJECT})
    assert contract.parse_header("{not json") == (None, {"device": contract.REPORT_NOT_OBJECT})
    assert contract.parse_header(json.dumps(report(padding="x" * 1000)))[1] == {"device": contract.REPORT_NOT_OBJECT}


def test_a_report_of_nothing_unsent_keeps_no_oldest_time():
    parsed, _errors = contract.parse_report(report(unsent=0, attention=0))
    assert parsed.oldest_unsent_at is None


# --- Through the sync ---------------------------------------------------------------------------


def test_a_sync_keeps_the_phones_report_with_who_signed_in_on_it_and_links_the_sign_in(api, officer, person):
    phone = api(officer)
    sent = report()
    answer = sync_with(phone, [contact_json(person.id)], sent)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["device"] == {"status": "recorded"}
    device = stored_device(sent["id"])
    assert (device.user_id, device.team_id, device.unsent, device.attention) == (officer.id, officer.team_id, 2, 0)
    assert device.oldest_unsent_at == NOW - timedelta(hours=1) and device.last_seen_at == NOW
    assert device.storage_persisted is True and device.storage_quota == 2_000_000_000
    assert db.session.scalar(select(SignInSession.device_id).where(SignInSession.user_id == officer.id)) == device.id
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "device_first_seen", AuditEvent.entity_id == sent["id"])) == 1


def test_the_next_report_replaces_the_last_one_it_is_not_a_log(api, officer, person):
    phone = api(officer)
    first = report()
    sync_with(phone, [], first)
    sync_with(phone, [], {**first, "unsent": 0, "oldest_unsent_at": None})
    assert db.session.scalar(select(func.count()).select_from(Device)) == 1
    assert stored_device(first["id"]).unsent == 0 and stored_device(first["id"]).oldest_unsent_at is None


def test_records_the_server_did_not_take_are_counted_as_still_on_the_phone(api, officer, person, other_person):
    phone = api(officer)
    refused = contact_json(other_person.id, recorded_at=iso(NOW - timedelta(days=2)))  # not on this caseload
    sent = report(unsent=1, attention=0, oldest_unsent_at=iso(NOW - timedelta(hours=1)))
    answer = sync_with(phone, [contact_json(person.id), refused], sent)
    assert [result["status"] for result in answer.get_json()["results"]] == ["created", "rejected"]
    device = stored_device(sent["id"])
    assert (device.unsent, device.attention) == (2, 1)
    assert device.oldest_unsent_at == NOW - timedelta(days=2)


def test_a_phone_whose_clock_is_a_day_out_still_shows_how_long_its_record_has_waited(api, officer):
    phone = api(officer)
    wrong_clock = NOW + timedelta(days=1)
    sent = report(oldest_unsent_at=iso(wrong_clock - timedelta(hours=5)), reported_at=iso(wrong_clock))
    sync_with(phone, [], sent)
    assert stored_device(sent["id"]).oldest_unsent_at == NOW - timedelta(hours=5)


def test_a_bad_report_is_ignored_and_said_so_and_the_batchs_records_are_stored(api, officer, person):
    phone = api(officer)
    answer = sync_with(phone, [contact_json(person.id), contact_json(person.id)], report(unsent="lots"))
    assert answer.status_code == 200
    body = answer.get_json()
    assert [result["status"] for result in body["results"]] == ["created", "created"]
    assert body["device"] == {"status": "ignored", "errors": {
        "unsent": "The number of unsent records must be a whole number from 0 to 1,000,000."}}
    assert contacts_stored() == 2 and db.session.scalar(select(func.count()).select_from(Device)) == 0


def test_a_bad_report_is_worded_in_the_officers_language(api, team, person):
    from tests import factories

    welsh = factories.user(team, "swyddog@powys.example", language="cy")
    body = sync_with(api(welsh), [], report(unsent=-4)).get_json()
    assert body["device"]["errors"]["unsent"] == "Rhaid i nifer y cofnodion heb eu hanfon fod yn rhif cyfan o 0 i 1,000,000."


def test_an_old_phone_that_sends_no_report_is_served_as_before(api, officer, person):
    answer = sync_with(api(officer), [contact_json(person.id)], None)
    assert answer.status_code == 200 and "device" not in answer.get_json()
    assert contacts_stored() == 1


def test_a_phone_used_by_another_officer_of_another_team_moves_with_them(api, officer, other_officer):
    sent = report()
    sync_with(api(officer), [], sent)
    from flask import current_app

    sync_with(api(other_officer, current_app.test_client()), [], sent)
    device = db.session.scalar(select(Device).execution_options(all_teams=True))
    assert (device.user_id, device.team_id) == (other_officer.id, other_officer.team_id)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "device_signed_in")) == 1


# --- Through the caseload fetch ---------------------------------------------------------------------


def test_a_caseload_fetch_carries_the_report_in_a_header_and_says_what_became_of_it(api, officer, person):
    phone = api(officer)
    sent = report(unsent=5, attention=1)
    answer = phone.get("/api/v1/caseload", headers={contract.HEADER: json.dumps(sent)})
    assert answer.status_code == 200 and answer.headers["Cyswllt-Device-Report"] == "recorded"
    assert stored_device(sent["id"]).unsent == 5
    again = phone.get("/api/v1/caseload", headers={contract.HEADER: json.dumps({**sent, "unsent": 4}),
                                                   "If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cyswllt-Device-Report"] == "recorded"
    assert stored_device(sent["id"]).unsent == 4


def test_a_caseload_fetch_with_a_bad_report_still_gets_the_caseload(api, officer, person):
    answer = api(officer).get("/api/v1/caseload", headers={contract.HEADER: "[]"})
    assert answer.status_code == 200 and answer.headers["Cyswllt-Device-Report"] == "ignored"
    assert [row["id"] for row in answer.get_json()["people"]] == [person.id]
