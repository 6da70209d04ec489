"""Revoking a phone: its next request ends its sign-in and is answered 401 revoked; nothing it sends is lost."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Contact, Device, SignInSession
from tests import factories
from tests.devices.conftest import contact_json, report, sync_with


def csrf_of(client, path: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert match
    return match.group(1)


def revoke(client, device_id) -> int:
    token = csrf_of(client, "/phones")
    return client.post(f"/phones/{device_id}/revoke", data={"csrf_token": token}).status_code


def test_a_revoked_phones_next_request_is_401_revoked_and_its_sign_in_ends(app, api, officer, supervisor, signed_in):
    phone = api(officer)
    sent = report()
    sync_with(phone, [], sent)
    assert revoke(signed_in(supervisor, app.test_client()), sent["id"]) == 302

    answer = phone.get("/api/v1/session")
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "revoked" and answer.get_json()["error"]["revoked"] == "device"
    assert db.session.scalar(select(func.count()).select_from(SignInSession).where(
        SignInSession.user_id == officer.id)) == 0
    # Told once: from then on it is an ordinary signed-out phone.
    assert phone.get("/api/v1/caseload").get_json()["error"]["code"] == "unauthenticated"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "revoke_device", AuditEvent.actor_id == supervisor.id)) == 1


def test_the_officers_other_sign_ins_carry_on(app, api, officer, supervisor, signed_in):
    phone, desk = api(officer), api(officer, app.test_client())
    sent = report()
    sync_with(phone, [], sent)
    revoke(signed_in(supervisor, app.test_client()), sent["id"])
    assert desk.get("/api/v1/session").status_code == 200


def test_a_sync_that_names_a_revoked_phone_is_stored_first_then_answered_revoked_with_each_result(
        app, api, officer, supervisor, signed_in, person):
    sent = report()
    sync_with(api(officer), [], sent)
    revoke(signed_in(supervisor, app.test_client()), sent["id"])

    again = api(officer, app.test_client())  # someone signs in on the revoked phone again
    record = contact_json(person.id)
    answer = sync_with(again, [record], sent)
    assert answer.status_code == 401
    error = answer.get_json()["error"]
    assert error["code"] == "revoked" and [result["status"] for result in error["results"]] == ["created"]
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 1
    assert again.get("/api/v1/session").status_code == 401  # that sign-in ended too


def test_a_caseload_fetch_that_names_a_revoked_phone_gets_no_caseload(app, api, officer, supervisor, signed_in, person):
    import json

    sent = report()
    sync_with(api(officer), [], sent)
    revoke(signed_in(supervisor, app.test_client()), sent["id"])
    answer = api(officer, app.test_client()).get("/api/v1/caseload", headers={"Cyswllt-Device": json.dumps(sent)})
    assert answer.status_code == 401 and answer.get_json()["error"]["code"] == "revoked"
    assert person.display_name not in answer.get_data(as_text=True)


def test_a_signed_out_phone_is_still_told_unauthenticated_not_revoked(app, client):
    answer = client.get("/api/v1/session")
    assert answer.status_code == 401 and answer.get_json()["error"]["code"] == "unauthenticated"


def test_a_supervisor_cannot_revoke_another_supervisors_phone_nor_another_teams(
        app, team, supervisor, other_officer, signed_in):
    colleague = factories.user(team, "rhingyll2@powys.example", role="supervisor")
    theirs = factories.device(colleague, unsent=1)
    other_team_phone = factories.device(other_officer, unsent=1)
    client = signed_in(supervisor, app.test_client())
    assert revoke(client, theirs.id) == 403
    assert revoke(client, other_team_phone.id) == 404
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Device).where(Device.revoked_at.is_not(None))
                             .execution_options(all_teams=True)) == 0


def test_an_administrator_revokes_any_teams_phone(app, admin, other_officer, signed_in):
    theirs = factories.device(other_officer, unsent=1)
    client = signed_in(admin, app.test_client())
    token = csrf_of(client, "/phones")
    assert client.post(f"/phones/{theirs.id}/revoke", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Device, theirs.id).revoked_at is not None
