"""Sign-in throttling per account and per address, one answer for every failure, and the
rules on passwords."""

from __future__ import annotations

import html
import socket
import uuid

import pytest
from sqlalchemy import func, select

from app import create_app
from app.auth import operations, passwords, throttle
from app.extensions import db
from app.models import Agency, Role, User
from tests import conftest as shared
from tests import factories

# A second app (throttled, or several sharing Redis) has its own connection: it must see the data.
pytestmark = pytest.mark.commits

WRONG = "not the password at all"


def throttled_app(database_url: str, **settings):
    throttled = create_app(shared.test_settings(database_url, RATELIMIT_ENABLED=True, **settings))
    throttled.test_client_class = shared.IsolatedClient
    return throttled


@pytest.fixture
def throttled(app):
    """The app with sign-in throttling switched on (the other tests switch it off)."""
    limited = throttled_app(app.config["SQLALCHEMY_DATABASE_URI"])
    yield limited
    with limited.app_context():
        db.engine.dispose()


def attempt(client, email: str, password: str = WRONG, address: str = "192.0.2.1", language: str = "en"):
    environ = {"REMOTE_ADDR": address}
    headers = {"Accept-Language": language}
    page = client.get("/login", environ_base=environ, headers=headers).get_data(as_text=True)
    token = shared.CSRF_FIELD.search(page).group(1) if shared.CSRF_FIELD.search(page) else ""
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                       environ_base=environ, headers=headers)


def test_five_wrong_passwords_from_one_address_slow_that_address_for_that_account(throttled, officer, supervisor):
    client = throttled.test_client()
    for _ in range(5):
        assert attempt(client, officer.email, address="192.0.2.1").status_code == 400
    refused = attempt(client, officer.email.upper(), factories.PASSWORD, address="192.0.2.1")
    assert refused.status_code == 429
    # The same device can still sign in to another account, and the owner from elsewhere.
    assert attempt(client, supervisor.email, factories.PASSWORD, address="192.0.2.1").status_code == 302
    assert attempt(throttled.test_client(), officer.email, factories.PASSWORD, address="198.51.100.7").status_code == 302


def test_many_addresses_guessing_one_account_never_lock_its_owner_out(throttled, officer):
    """NCSC: throttling, not lockout. Past the account-wide limit, every address that has
    failed for the account waits; the owner's phone, which has not failed, still gets in."""
    client = throttled.test_client()
    for number in range(throttle.PER_ACCOUNT.amount):
        address = f"10.0.{number // 4}.{number % 4 + 1}"  # four tries each: under the per-address rules
        assert attempt(client, officer.email, address=address).status_code == 400
    assert attempt(client, officer.email, factories.PASSWORD, address="10.0.0.1").status_code == 429
    assert attempt(client, officer.email, address="10.0.0.2").status_code == 429
    assert attempt(throttled.test_client(), officer.email, factories.PASSWORD, address="198.51.100.7").status_code == 302


def test_thirty_failures_from_one_address_are_refused_whatever_the_accounts(throttled, officer):
    client = throttled.test_client()
    for number in range(30):
        assert attempt(client, f"guess{number}@powys.example", address="203.0.113.5").status_code == 400
    assert attempt(client, officer.email, factories.PASSWORD, address="203.0.113.5").status_code == 429
    # Someone else, from another address, still signs in.
    assert attempt(client, officer.email, factories.PASSWORD, address="203.0.113.6").status_code == 302


def test_signing_in_successfully_costs_no_try(throttled, officer):
    for _ in range(8):
        client = throttled.test_client()
        assert attempt(client, officer.email, factories.PASSWORD, address="192.0.2.9").status_code == 302


def test_the_too_many_attempts_page_states_the_wait_it_sends_in_the_visitors_language(throttled, officer):
    client = throttled.test_client()
    for _ in range(5):
        attempt(client, officer.email, address="192.0.2.1", language="cy")
    response = attempt(client, officer.email, language="cy")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 429
    assert "Gormod o ymgeisiau" in page
    assert '<html lang="cy">' in page
    seconds = int(response.headers["Retry-After"])
    assert 0 < seconds <= 15 * 60 + 1
    with throttled.test_request_context(headers={"Accept-Language": "cy"}):
        assert throttle.wait_message(seconds) in page
    # Nothing a signed-out reader cannot use: no link to the caseload, one to the sign-in page.
    assert 'href="/"' not in page and 'href="/login"' in page


@pytest.mark.parametrize(
    ("seconds", "english"),
    [(1, "Wait 1 second, then try again."), (59, "Wait 59 seconds, then try again."),
     (60, "Wait 1 minute, then try again."), (61, "Wait 2 minutes, then try again."),
     (900, "Wait 15 minutes, then try again.")],
)
def test_the_wait_is_said_in_seconds_under_a_minute_and_in_minutes_rounded_up_after(app, seconds, english):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert throttle.wait_message(seconds) == english


def test_looking_at_the_sign_in_page_is_never_throttled(throttled):
    client = throttled.test_client()
    for _ in range(40):
        assert client.get("/login").status_code == 200


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379 to share the counts through")
def test_several_app_servers_share_the_counts_through_redis(app, officer):
    """RATELIMIT_STORAGE_URI points every app server at one Redis: the limit is for them all."""
    import redis

    prefix = f"cyswllt-test-{uuid.uuid4().hex}"
    settings = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0", "RATELIMIT_KEY_PREFIX": prefix}
    servers = [throttled_app(app.config["SQLALCHEMY_DATABASE_URI"], **settings) for _ in range(2)]
    try:
        for number in range(5):  # the wrong tries of one address, spread over both servers
            client = servers[number % 2].test_client()
            assert attempt(client, officer.email, address="192.0.2.1").status_code == 400
        assert attempt(servers[0].test_client(), officer.email, factories.PASSWORD).status_code == 429
        assert attempt(servers[1].test_client(), officer.email, factories.PASSWORD).status_code == 429
    finally:
        connection = redis.Redis(host="127.0.0.1", port=6379, db=0)
        for key in connection.scan_iter(f"*{prefix}*"):
            connection.delete(key)
        connection.close()
        for server in servers:
            with server.app_context():
                db.engine.dispose()


def test_an_unknown_account_costs_the_same_password_check_as_a_wrong_password(app, officer, monkeypatch):
    app.config["PASSWORD_HASH_PROFILE"] = "owasp"
    checked = []
    real = passwords._hasher("owasp")

    class CountingHasher:
        def verify(self, hash_, password):
            checked.append(hash_)
            return real.verify(hash_, password)

    monkeypatch.setattr(passwords, "_hasher", lambda profile: CountingHasher())
    monkeypatch.setattr(passwords, "_unknown_account_hash", lambda profile: real.hash("no account"))
    assert operations.authenticate(db.session, "nobody@powys.example", WRONG) is None
    assert operations.authenticate(db.session, officer.email, WRONG) is None
    assert len(checked) == 2
    # The unknown account's stand-in hash has the production parameters, so it costs the same.
    assert checked[0].startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_deactivated_account_gets_the_same_answer_as_a_wrong_password(client, team):
    factories.user(team, "gone@powys.example", active=False)
    wrong = shared.sign_in(client, "nobody@powys.example", WRONG).get_data(as_text=True)
    gone = shared.sign_in(client, "gone@powys.example").get_data(as_text=True)
    message = "The email address or password is not right."
    assert message in wrong and message in gone


def test_the_minimum_password_length_is_one_setting_that_every_account_obeys(app, runner, team):
    app.config["MIN_PASSWORD_LENGTH"] = 20
    base = ["create-user", "--name", "Nia", "--team", team.name, "--role", "officer", "--agency", "police"]
    refused = runner.invoke(args=[*base, "--email", "a@powys.example", "--password", "nineteen characters"])
    assert refused.exit_code != 0
    assert "at least 20 characters" in refused.output
    accepted = runner.invoke(args=[*base, "--email", "b@powys.example", "--password", "twenty characters ok"])
    assert accepted.exit_code == 0, accepted.output
    with pytest.raises(operations.AccountError, match="at least 20 characters"):
        operations.create_user(db.session, email="c@powys.example", name="C", team=team, role=Role.OFFICER,
                               agency=Agency.POLICE, password="x" * 19,
                               min_password_length=app.config["MIN_PASSWORD_LENGTH"])
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


