"""Sign-in throttling per account and per address, one answer for every failure, and the
rules on passwords."""

from __future__ import annotations

import html
import socket
import uuid

import pytest
from sqlalchemy import func, select

from app import create_app
from app.auth import operations, passwords
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


def test_ten_wrong_passwords_for_one_account_lock_it_for_a_while_from_any_address(throttled, officer):
    client = throttled.test_client()
    for number in range(10):
        assert attempt(client, officer.email, address=f"192.0.2.{number + 1}").status_code == 400
    # The eleventh try, even with the right password from a new address, is refused.
    response = attempt(client, officer.email.upper(), factories.PASSWORD, address="198.51.100.7")
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def test_twenty_tries_from_one_address_are_refused_whatever_the_accounts(throttled, officer):
    client = throttled.test_client()
    for number in range(20):
        assert attempt(client, f"guess{number}@powys.example", address="203.0.113.5").status_code == 400
    assert attempt(client, officer.email, factories.PASSWORD, address="203.0.113.5").status_code == 429
    # Someone else, from another address, still signs in.
    assert attempt(client, officer.email, factories.PASSWORD, address="203.0.113.6").status_code == 302


def test_the_too_many_attempts_page_is_in_the_visitors_language(throttled, officer):
    client = throttled.test_client()
    for number in range(10):
        attempt(client, officer.email, address=f"192.0.2.{number + 1}", language="cy")
    page = html.unescape(attempt(client, officer.email, language="cy").get_data(as_text=True))
    assert "Gormod o ymdrechion" in page
    assert '<html lang="cy">' in page


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
        for number in range(10):  # five wrong tries on each server
            client = servers[number % 2].test_client()
            assert attempt(client, officer.email, address=f"192.0.2.{number + 1}").status_code == 400
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


