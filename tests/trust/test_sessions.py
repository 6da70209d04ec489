"""Session cookies, sign-in and sign-out on the server, and the idle timeout."""

from __future__ import annotations

import html
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app import config, create_app
from app.auth import operations
from app.extensions import db
from app.models import AuditEvent, SignInSession, User
from tests import conftest as shared
from tests import factories
from tests.conftest import csrf_token_from, sign_in

T0 = datetime(2026, 11, 18, 9, 0, tzinfo=timezone.utc)


def copy_of(client):
    """Another browser holding a copy of this browser's cookies (a stolen or cloned cookie)."""
    thief = client.application.test_client()
    for cookie in client._cookies.values():
        thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return thief


def session_cookie(response) -> str:
    return next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))


def test_the_session_cookie_is_httponly_and_samesite_lax(client, officer):
    cookie = session_cookie(sign_in(client, officer.email))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in development and tests


@pytest.mark.commits  # a second app, with its own connection, signs the user in
def test_in_production_the_session_cookie_is_secure(migrated_database, team):
    factories.user(team, "prod@powys.example")
    production = create_app(shared.test_settings(migrated_database, PRODUCTION=True, SEALING_KEYS=shared.production_sealing_keys()))
    production.test_client_class = shared.IsolatedClient
    client = production.test_client()
    site = "https://cyswllt.example"
    page = client.get("/login", base_url=site).get_data(as_text=True)
    token = shared.CSRF_FIELD.search(page).group(1)
    form = {"email": "prod@powys.example", "password": factories.PASSWORD, "csrf_token": token}
    # Over HTTPS the token alone is not enough: the Referer must be this site (so the
    # Referrer-Policy must not be no-referrer).
    assert client.post("/login", data=form, base_url=site).status_code == 400
    response = client.post("/login", data=form, base_url=site, headers={"Referer": f"{site}/login"})
    assert response.status_code == 302
    assert "Secure" in session_cookie(response)
    with production.app_context():
        db.engine.dispose()


def test_a_session_planted_before_sign_in_is_not_signed_in_afterwards(client, officer):
    """Session fixation: whoever held the cookie from before sign-in gains nothing."""
    csrf_token_from(client)
    planted = copy_of(client)
    sign_in(client, officer.email)
    assert client.get("/").status_code == 200
    assert planted.get("/").status_code == 302


def test_signing_out_ends_the_sign_in_on_the_server_so_a_copied_cookie_stops_working(client, officer, signed_in):
    signed_in(officer)
    thief = copy_of(client)
    assert thief.get("/").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token_from(client, "/")})
    assert thief.get("/").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(SignInSession)) == 0


def test_signing_out_on_one_device_leaves_the_others_signed_in(app, client, officer, signed_in):
    phone = app.test_client()
    signed_in(officer)
    signed_in(officer, phone)
    client.post("/logout", data={"csrf_token": csrf_token_from(client, "/")})
    assert phone.get("/").status_code == 200


def test_signing_out_everywhere_ends_every_device(app, client, officer, signed_in):
    phone = app.test_client()
    signed_in(officer)
    signed_in(officer, phone)
    operations.end_every_sign_in(db.session, db.session.get(User, officer.id))
    db.session.commit()
    assert client.get("/").status_code == 302
    assert phone.get("/").status_code == 302


def test_a_phone_moving_from_wifi_to_mobile_data_stays_signed_in(client, officer, signed_in):
    """An officer's address changes all day (Wi-Fi, 4G, a valley's one mast): the waiting
    records must keep sending without a sign-in each time. A stolen cookie is stopped by
    sign-out on the server, the idle timeout and the maximum age instead."""
    signed_in(officer)
    on_mobile_data = {"REMOTE_ADDR": "203.0.113.77"}
    assert client.get("/", environ_base=on_mobile_data).status_code == 200
    assert client.get("/api/v1/session", environ_base=on_mobile_data).status_code == 200


def test_a_deactivated_account_is_signed_out_at_its_next_request(client, officer, signed_in):
    signed_in(officer)
    db.session.get(User, officer.id).active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_the_cookie_holds_a_random_token_and_the_database_only_its_hash(client, officer, signed_in):
    signed_in(officer)
    with client.session_transaction() as session:
        token = session[operations.SIGN_IN_TOKEN]
    stored = db.session.scalar(select(SignInSession.token_sha256))
    assert len(token) >= 40
    assert token not in stored


def test_a_cookie_with_the_right_user_number_but_no_sign_in_is_not_signed_in(app, officer):
    """What a forged or pre-2026 cookie would hold: Flask-Login's user id and nothing else."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(officer.id)
        session["_fresh"] = True
    assert client.get("/").status_code == 302


def test_a_sign_in_ends_after_the_maximum_age_whatever_the_activity(app, client, officer, signed_in):
    app.config.update(FIXED_NOW=T0, SIGN_IN_MAX_AGE_HOURS=12, IDLE_TIMEOUT_MINUTES=30)
    signed_in(officer)
    for minutes in range(20, 12 * 60, 20):
        app.config["FIXED_NOW"] = T0 + timedelta(minutes=minutes)
        assert client.get("/").status_code == 200, minutes
    app.config["FIXED_NOW"] = T0 + timedelta(hours=12, minutes=1)
    assert client.get("/").status_code == 302


class TestIdleTimeout:
    def test_a_session_used_within_the_timeout_stays_signed_in(self, app, client, officer, signed_in):
        app.config.update(FIXED_NOW=T0, IDLE_TIMEOUT_MINUTES=30)
        signed_in(officer)
        for minutes in (29, 58, 87, 116):  # each request is within 30 minutes of the one before
            app.config["FIXED_NOW"] = T0 + timedelta(minutes=minutes)
            assert client.get("/").status_code == 200, minutes

    def test_a_session_idle_for_longer_is_signed_out_with_a_message(self, app, client, officer, signed_in):
        app.config.update(FIXED_NOW=T0, IDLE_TIMEOUT_MINUTES=30)
        signed_in(officer)
        thief = copy_of(client)
        app.config["FIXED_NOW"] = T0 + timedelta(minutes=31)
        response = client.get("/people/1")
        assert response.status_code == 302
        assert response.location.startswith("/login")
        page = client.get(response.location).get_data(as_text=True)
        assert "You were signed out after 30 minutes without activity. Sign in again to carry on." in page
        assert thief.get("/").status_code == 302, "the idle sign-in must end on the server too"
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions[-1] == "idle_sign_out"

    def test_after_signing_in_again_the_user_carries_on(self, app, client, officer, signed_in):
        app.config.update(FIXED_NOW=T0, IDLE_TIMEOUT_MINUTES=30)
        signed_in(officer)
        app.config["FIXED_NOW"] = T0 + timedelta(hours=3)
        assert client.get("/").status_code == 302
        signed_in(officer)
        assert client.get("/").status_code == 200

    def test_the_sync_api_answers_401_json_in_the_users_language(self, app, client, team, signed_in):
        welsh = factories.user(team, "cymraeg@powys.example", language="cy")
        app.config.update(FIXED_NOW=T0, IDLE_TIMEOUT_MINUTES=30)
        signed_in(welsh)
        app.config["FIXED_NOW"] = T0 + timedelta(minutes=45)
        response = client.get("/api/v1/session")
        assert response.status_code == 401
        assert response.get_json()["error"] == {
            "code": "unauthenticated",
            "message": "Cawsoch eich allgofnodi ar ôl 30 munud heb weithgarwch. Mewngofnodwch eto i barhau.",
        }

    def test_the_welsh_message_mutates_after_two(self, app, client, team, signed_in):
        welsh = factories.user(team, "cymraeg@powys.example", language="cy")
        app.config.update(FIXED_NOW=T0, IDLE_TIMEOUT_MINUTES=2)
        signed_in(welsh)
        app.config["FIXED_NOW"] = T0 + timedelta(minutes=3)
        page = html.unescape(client.get(client.get("/").location).get_data(as_text=True))
        assert "ar ôl 2 funud heb weithgarwch" in page

    def test_no_timeout_when_it_is_set_to_zero(self, app, client, officer, signed_in):
        app.config.update(FIXED_NOW=T0, IDLE_TIMEOUT_MINUTES=0, SIGN_IN_MAX_AGE_HOURS=0)
        signed_in(officer)
        app.config["FIXED_NOW"] = T0 + timedelta(days=3)
        assert client.get("/").status_code == 200


def test_the_timeouts_and_proxy_settings_come_from_the_environment(tmp_path):
    settings = config.load(str(tmp_path), environ={"IDLE_TIMEOUT_MINUTES": "15", "SIGN_IN_MAX_AGE_HOURS": "10",
                                                   "PROXY_FIX_X_FOR": "1", "MIN_PASSWORD_LENGTH": "16"})
    assert settings["IDLE_TIMEOUT_MINUTES"] == 15
    assert settings["SIGN_IN_MAX_AGE_HOURS"] == 10
    assert settings["PROXY_FIX_X_FOR"] == 1
    assert settings["MIN_PASSWORD_LENGTH"] == 16
    defaults = config.load(str(tmp_path), environ={})
    assert (defaults["IDLE_TIMEOUT_MINUTES"], defaults["MIN_PASSWORD_LENGTH"]) == (30, 12)


@pytest.mark.parametrize(("name", "value"), [("IDLE_TIMEOUT_MINUTES", "half an hour"),
                                              ("IDLE_TIMEOUT_MINUTES", "-5"),
                                              ("MIN_PASSWORD_LENGTH", "8")])
def test_a_bad_setting_stops_the_app_from_starting(tmp_path, name, value):
    with pytest.raises(config.ConfigurationError, match=name):
        config.load(str(tmp_path), environ={name: value})


def test_behind_a_proxy_the_clients_address_and_scheme_are_taken_from_the_proxy(migrated_database):
    from flask import request

    proxied = create_app(shared.test_settings(migrated_database, PROXY_FIX_X_FOR=1, PROXY_FIX_X_PROTO=1))
    seen = {}

    @proxied.get("/_probe")
    def probe():
        seen.update(address=request.remote_addr, scheme=request.scheme)
        return ""

    proxied.test_client().get("/_probe", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
    assert seen == {"address": "203.0.113.9", "scheme": "https"}
    with proxied.app_context():
        db.engine.dispose()
