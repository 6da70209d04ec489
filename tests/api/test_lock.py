"""What the phone's lock (static/js/lock.js) needs from the server: how long before it locks,
a key for its offline caseload that lasts exactly as long as the sign-in, and a sign-in that
ends whatever sign-in the browser still carried."""

from __future__ import annotations

import base64
import hashlib

from sqlalchemy import select

from app.auth import operations
from app.extensions import db
from app.models import SignInSession
from tests.conftest import sign_in


def test_the_app_locks_after_half_an_hour_untouched_when_no_idle_timeout_is_set(api, officer):
    body = api(officer).get("/api/v1/session").get_json()
    assert body["idle_timeout_seconds"] is None
    assert body["lock_after_seconds"] == 1800


def test_the_app_lock_follows_the_idle_timeout_and_is_never_later_than_it(app, api, officer):
    client = api(officer)
    app.config["IDLE_TIMEOUT_MINUTES"] = 20
    assert client.get("/api/v1/session").get_json()["lock_after_seconds"] == 1200
    app.config["APP_LOCK_SECONDS"] = 300
    assert client.get("/api/v1/session").get_json()["lock_after_seconds"] == 300
    app.config["APP_LOCK_SECONDS"] = 3600  # longer than the sign-in would last: the idle timeout wins
    assert client.get("/api/v1/session").get_json()["lock_after_seconds"] == 1200


def test_the_caseload_key_is_32_bytes_the_same_for_one_sign_in_and_another_for_the_next(app, api, officer):
    client = api(officer)
    first = client.get("/api/v1/session").get_json()["caseload_key"]
    assert len(base64.urlsafe_b64decode(first + "=")) == 32
    assert client.get("/api/v1/session").get_json()["caseload_key"] == first

    second = api(officer, app.test_client()).get("/api/v1/session").get_json()["caseload_key"]
    assert second != first


def test_after_signing_out_the_caseload_key_is_never_given_again(api, officer):
    client = api(officer)
    assert client.get("/api/v1/session").get_json()["caseload_key"]
    assert client.post("/logout", headers={"X-CSRFToken": client.csrf_token}).status_code == 302
    answer = client.get("/api/v1/session")
    assert answer.status_code == 401
    assert "caseload_key" not in answer.get_data(as_text=True)


def test_a_sign_in_ends_the_sign_in_the_browser_still_carried(app, client, officer, other_officer):
    assert sign_in(client, officer.email).status_code == 302
    with client.session_transaction() as cookie:
        earlier = cookie[operations.SIGN_IN_TOKEN]
        cookie.pop("_user_id")  # not signed in any more as far as the pages go, but the token is still there
    assert sign_in(client, other_officer.email).status_code == 302

    tokens = db.session.scalars(select(SignInSession.token_sha256)).all()
    assert hashlib.sha256(earlier.encode()).hexdigest() not in tokens
    assert len(tokens) == 1
    assert db.session.scalar(select(SignInSession.user_id)) == other_officer.id


def test_a_browser_with_no_sign_in_token_gets_no_caseload_key(app, officer):
    with app.test_request_context("/api/v1/session"):
        assert operations.caseload_key() is None
