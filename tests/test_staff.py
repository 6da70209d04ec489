"""Staff accounts in the browser: invitations and resets by one-time link, role/team/agency, leavers."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from html import unescape

import pytest
from sqlalchemy import func, select

from app import scoping
from app.extensions import db
from app.models import AccountLink, Agency, AuditEvent, Contact, Role, SignInSession, User
from tests import factories
from tests.conftest import csrf_token_from, sign_in

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=timezone.utc)
NEW_PASSWORD = "ceffyl cywir batri styffylwr"
LINK = re.compile(r'value="(http://localhost/account/set-password/[^"]+)"')


@pytest.fixture(autouse=True)
def fixed_clock(app):
    app.config["FIXED_NOW"] = NOW


def post(client, path, data, page="/staff"):
    return client.post(path, data={**data, "csrf_token": csrf_token_from(client, page)})


def invite(client, **fields):
    data = {"name": "Elin Newydd", "email": "elin.newydd@powys.example", "role": "officer", "agency": "probation",
            "language": "cy", **fields}
    if "team" not in data:
        data["team"] = str(db.session.scalar(select(User.team_id).limit(1)))
    return post(client, "/staff/new", data, page="/staff/new")


def link_in(response) -> str:
    match = LINK.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    return unescape(match.group(1)).removeprefix("http://localhost")


def user_called(email: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email).execution_options(**scoping.UNSCOPED))


def set_password(app, path, password=NEW_PASSWORD, confirm=None):
    browser = app.test_client()
    return browser.post(path, data={"password": password, "confirm": confirm or password,
                                    "csrf_token": csrf_token_from(browser)})


# --- invitations ---------------------------------------------------------------------


def test_an_administrator_adds_an_account_with_no_password_and_gets_a_link_to_pass_on(app, admin, signed_in):
    client = signed_in(admin)
    response = invite(client)
    assert response.status_code == 200
    path = link_in(response)
    invited = user_called("elin.newydd@powys.example")
    assert invited.password_hash is None and invited.active and invited.role == Role.OFFICER
    assert sign_in(app.test_client(), invited.email, "").status_code != 302
    assert "has not set a password yet" in client.get("/staff").get_data(as_text=True)

    assert set_password(app, path).status_code == 302
    assert sign_in(app.test_client(), invited.email, NEW_PASSWORD).status_code == 302


def test_a_one_time_link_works_once(app, admin, signed_in):
    path = link_in(invite(signed_in(admin)))
    assert set_password(app, path).status_code == 302
    again = set_password(app, path, "another good passphrase here")
    assert "This link cannot be used" in again.get_data(as_text=True)
    assert "This link cannot be used" in app.test_client().get(path).get_data(as_text=True)
    assert sign_in(app.test_client(), "elin.newydd@powys.example", NEW_PASSWORD).status_code == 302


def test_a_one_time_link_stops_working_72_hours_after_it_was_made(app, admin, signed_in):
    path = link_in(invite(signed_in(admin)))
    app.config["FIXED_NOW"] = NOW + timedelta(hours=71, minutes=59)
    assert "Set your password" in app.test_client().get(path).get_data(as_text=True)
    app.config["FIXED_NOW"] = NOW + timedelta(hours=72)
    assert "This link cannot be used" in app.test_client().get(path).get_data(as_text=True)
    assert "This link cannot be used" in set_password(app, path).get_data(as_text=True)
    assert user_called("elin.newydd@powys.example").password_hash is None


def test_only_the_tokens_hash_is_stored_and_neither_it_nor_a_password_hash_reaches_the_audit_trail(
        app, admin, signed_in):
    path = link_in(invite(signed_in(admin)))
    token = path.rsplit("/", 1)[1]
    set_password(app, path)
    link = db.session.scalar(select(AccountLink))
    assert link.token_sha256 != token and len(link.token_sha256) == 64
    trail = json.dumps([[event.action, event.entity, event.before, event.after]
                        for event in db.session.scalars(select(AuditEvent))])
    assert token not in trail and link.token_sha256 not in trail
    assert "token_sha256" not in trail and "password_hash" not in trail and "$argon2" not in trail
    actions = {(event.entity, event.action) for event in db.session.scalars(select(AuditEvent))}
    assert {("users", "create"), ("account_links", "invite"), ("account_links", "use"),
            ("users", "set_password")} <= actions


def test_the_link_page_refuses_a_weak_password_field_by_field_in_the_readers_language(app, admin, signed_in):
    path = link_in(invite(signed_in(admin)))
    browser = app.test_client()
    browser.set_cookie("lang", "cy")
    response = browser.post(path, data={"password": "password", "confirm": "passwrd",
                                        "csrf_token": csrf_token_from(browser)})
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Rhaid i'r cyfrinair fod o leiaf 12 nod o hyd." in page
    assert "Mae'r cyfrinair hwn yn rhy gyffredin" in page
    assert "Nid yw'r ddau gyfrinair yr un fath." in page
    name_inside = browser.post(path, data={"password": "newydd is my surname", "confirm": "newydd is my surname",
                                           "csrf_token": csrf_token_from(browser)})
    assert "Ni all y cyfrinair gynnwys eich enw." in name_inside.get_data(as_text=True)
    assert user_called("elin.newydd@powys.example").password_hash is None


def test_a_new_link_ends_the_older_one(app, admin, signed_in):
    client = signed_in(admin)
    first = link_in(invite(client))
    invited = user_called("elin.newydd@powys.example")
    second = link_in(post(client, f"/staff/{invited.id}/link", {}))
    assert "This link cannot be used" in set_password(app, first).get_data(as_text=True)
    assert set_password(app, second).status_code == 302


def test_a_reset_link_sets_a_new_password_and_signs_the_user_out_everywhere(app, admin, officer, signed_in):
    officers_phone = signed_in(officer, app.test_client())
    path = link_in(post(signed_in(admin), f"/staff/{officer.id}/link", {}))
    assert sign_in(app.test_client(), officer.email).status_code == 302  # the old password works until then
    assert set_password(app, path).status_code == 302
    assert officers_phone.get("/api/v1/session").status_code == 401
    assert sign_in(app.test_client(), officer.email).status_code != 302
    assert sign_in(app.test_client(), officer.email, NEW_PASSWORD).status_code == 302


def test_adding_an_account_refuses_bad_input_field_by_field(app, admin, officer, signed_in):
    client = signed_in(admin)
    response = invite(client, name="   ", email=officer.email.upper(), role="chief", team="junk")
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    for message in ("Enter the person's full name.", "An account with this email address already exists.",
                    "Choose one of the options."):
        assert message in page
    too_long = invite(client, name="N" * 121, email="x" * 250 + "@a.example")
    assert "The name must be 120 characters or fewer." in too_long.get_data(as_text=True)
    assert "The email address is too long." in too_long.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User).execution_options(**scoping.UNSCOPED)) == 2


# --- who may manage whom ----------------------------------------------------------------


def test_a_supervisor_adds_officers_to_their_own_team_only_and_never_an_administrator(
        app, supervisor, other_team, signed_in):
    client = signed_in(supervisor)
    as_admin = invite(client, role="admin")
    elsewhere = invite(client, email="b@powys.example", team=str(other_team.id))
    assert as_admin.status_code == elsewhere.status_code == 400
    assert "Choose one of the options." in as_admin.get_data(as_text=True)
    assert user_called("elin.newydd@powys.example") is None
    assert invite(client, email="c@powys.example", team=str(supervisor.team_id)).status_code == 200
    assert user_called("c@powys.example").team_id == supervisor.team_id


def test_a_supervisor_manages_their_own_teams_officers_but_not_other_supervisors_or_other_teams(
        app, team, supervisor, officer, other_officer, signed_in):
    other_supervisor = factories.user(team, "rhingyll2@powys.example", role="supervisor")
    client = signed_in(supervisor)
    assert client.get(f"/staff/{officer.id}").status_code == 200
    assert client.get(f"/staff/{other_supervisor.id}").status_code == 403
    assert client.get(f"/staff/{other_officer.id}").status_code == 404
    assert post(client, f"/staff/{other_supervisor.id}/deactivate", {}).status_code == 403
    assert user_called(other_supervisor.email).active


def test_a_supervisor_may_make_an_officer_a_supervisor_but_not_an_administrator_nor_move_them(
        app, supervisor, officer, other_team, signed_in):
    client = signed_in(supervisor)
    data = {"role": "admin", "agency": "police", "team": str(officer.team_id)}
    assert post(client, f"/staff/{officer.id}", data).status_code == 400
    moved = post(client, f"/staff/{officer.id}", {**data, "role": "officer", "team": str(other_team.id)})
    assert moved.status_code == 400
    assert user_called(officer.email).team_id == officer.team_id
    promoted = post(client, f"/staff/{officer.id}", {**data, "role": "supervisor", "agency": "probation"})
    assert promoted.status_code == 302
    changed = user_called(officer.email)
    assert (changed.role, changed.agency) == (Role.SUPERVISOR, Agency.PROBATION)


def test_an_administrator_moves_someone_to_another_team_and_the_change_is_audited(
        app, admin, officer, other_team, signed_in):
    client = signed_in(admin)
    response = post(client, f"/staff/{officer.id}", {"role": "officer", "agency": "police", "team": str(other_team.id)})
    assert response.status_code == 302
    assert user_called(officer.email).team_id == other_team.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "users", AuditEvent.action == "update"))
    assert event.after == {"team_id": other_team.id} and event.actor_id == admin.id


def test_nobody_deactivates_or_changes_the_role_of_their_own_account(app, admin, signed_in):
    client = signed_in(admin)
    assert post(client, f"/staff/{admin.id}/deactivate", {}).status_code == 403
    refused = post(client, f"/staff/{admin.id}", {"role": "officer", "agency": "partner", "team": str(admin.team_id)})
    assert refused.status_code == 400
    assert user_called(admin.email).role == Role.ADMIN and user_called(admin.email).active


# --- leavers -----------------------------------------------------------------------------


def test_a_leavers_phone_gets_401_at_once_and_what_it_sends_is_not_stored_so_it_keeps_it(
        app, supervisor, officer, signed_in):
    person = factories.person(officer.team, offender_manager=officer)
    phone = signed_in(officer, app.test_client())
    csrf = phone.get("/api/v1/session").get_json()["csrf_token"]
    assert post(signed_in(supervisor), f"/staff/{officer.id}/deactivate", {}).status_code == 302

    caseload = phone.get("/api/v1/caseload")  # told once that the account was revoked: the phone wipes what it shows
    assert caseload.status_code == 401 and caseload.get_json()["error"]["code"] == "revoked"
    assert caseload.get_json()["error"]["revoked"] == "account"
    contact = {"id": "6f1c7f0e-6c1a-4d4c-9a55-3e0d1f2a9b10", "person_id": person.id, "type": "home_visit",
               "outcome": "kept", "occurred_at": "2026-11-18T11:00:00.000Z", "recorded_at": "2026-11-18T11:01:00.000Z"}
    sent = phone.post("/api/v1/contacts/sync", json={"contacts": [contact]}, headers={"X-CSRFToken": csrf})
    assert sent.status_code == 401 and sent.get_json()["error"]["code"] == "unauthenticated"
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 0
    assert db.session.scalar(select(func.count()).select_from(SignInSession).where(
        SignInSession.user_id == officer.id)) == 0
    assert sign_in(app.test_client(), officer.email).status_code != 302


def test_a_leavers_contacts_keep_their_author_and_keep_counting(app, supervisor, officer, signed_in):
    person = factories.person(officer.team, offender_manager=officer)
    factories.contact(person, officer, occurred_at=NOW - timedelta(hours=3))
    client = signed_in(supervisor)
    before = client.get("/api/v1/caseload").get_json()["people"]
    page = client.get(f"/staff/{officer.id}").get_data(as_text=True)
    assert "1 person in the cohort still has them as offender manager." in page
    post(client, f"/staff/{officer.id}/deactivate", {})
    assert client.get("/api/v1/caseload").get_json()["people"] == before
    contact = db.session.scalar(select(Contact))
    assert contact.recorded_by_id == officer.id
    assert "Deactivated" in client.get("/staff").get_data(as_text=True)


def test_deactivating_ends_the_leavers_links_and_reactivating_lets_them_sign_in_again(
        app, admin, officer, signed_in):
    client = signed_in(admin)
    path = link_in(post(client, f"/staff/{officer.id}/link", {}))
    post(client, f"/staff/{officer.id}/deactivate", {})
    assert "This link cannot be used" in app.test_client().get(path).get_data(as_text=True)
    assert post(client, f"/staff/{officer.id}/link", {}).status_code == 302  # no link for a leaver
    assert db.session.scalar(select(func.count()).select_from(AccountLink)) == 1
    post(client, f"/staff/{officer.id}/reactivate", {})
    assert sign_in(app.test_client(), officer.email).status_code == 302
    actions = [event.action for event in db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "users").order_by(AuditEvent.id))]
    assert "deactivate" in actions and "sign_out_everywhere" in actions and "reactivate" in actions


def test_an_email_address_taken_by_another_request_meanwhile_is_a_field_error_not_a_server_error(
        app, admin, officer, signed_in, monkeypatch):
    from app.auth import operations as auth_operations
    from app.staff import forms

    client = signed_in(admin)
    monkeypatch.setattr(forms, "find_user_by_email", lambda *args: None)  # the form's check ran before
    monkeypatch.setattr(auth_operations, "find_user_by_email", lambda *args: None)  # and so did create_user's
    response = invite(client, email=officer.email)
    assert response.status_code == 400
    assert "An account with this email address already exists." in response.get_data(as_text=True)
