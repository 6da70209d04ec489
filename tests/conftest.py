"""Fixtures shared by every test: the app on SQLite or PostgreSQL, clients, users.

Set TEST_DATABASE_URL to run the whole suite against PostgreSQL; otherwise it runs
on a temporary SQLite database. Either way the schema is made by the migrations.
"""

from __future__ import annotations

import os
import re
import time

import flask_migrate
import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.config import normalise_database_url
from app.extensions import db
from tests import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()


def pytest_collection_modifyitems(config, items):
    if TEST_DATABASE_URL:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set TEST_DATABASE_URL to run it")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + TEST_DATABASE_URL if TEST_DATABASE_URL else 'SQLite (temporary file)'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if not TEST_DATABASE_URL:
        return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
    url = normalise_database_url(TEST_DATABASE_URL)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def is_postgres(database_url) -> bool:
    return database_url.startswith("postgresql")


def test_settings(database_url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_ENABLED": False,
        # Tests move FIXED_NOW by days: sign-ins would time out. tests/trust/ switches these on.
        "IDLE_TIMEOUT_MINUTES": 0,
        "SIGN_IN_MAX_AGE_HOURS": 0,
        # Argon2's cheapest parameters: tests about hashing set "owasp" themselves.
        "PASSWORD_HASH_PROFILE": "cheapest",
        **extra,
    }


@pytest.fixture(scope="session")
def migrated_database(database_url, tmp_path_factory) -> str:
    app = create_app(test_settings(database_url))
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    return database_url


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, database session and ``g``, as in production.

    Without this, Flask reuses the test's own app context for the request, and the
    test and the request would share one session (whose identity map could hide a
    scoping bug) and one ``g`` (which caches the signed-in user and the locale).
    """

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture
def app(migrated_database):
    app = create_app(test_settings(migrated_database))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        _empty_every_table()
        db.engine.dispose()


def _empty_every_table(attempts: int = 5) -> None:
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    for attempt in range(attempts):
        try:
            with db.engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
                else:
                    for table in tables:
                        connection.execute(text(f"DELETE FROM {table}"))
            return
        except OperationalError as error:
            # A browser test's page can still be asking the live server for something while
            # the tables are emptied; PostgreSQL then ends one side of the deadlock. Go again.
            if "deadlock" not in str(error.orig).lower() or attempt == attempts - 1:
                raise
            time.sleep(0.2)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def team(app):
    return factories.team("Powys IOM")


@pytest.fixture
def other_team(app):
    return factories.team("Caerdydd IOM", force_area="South Wales Police")


@pytest.fixture
def officer(team):
    return factories.user(team, "officer@powys.example", role="officer")


@pytest.fixture
def supervisor(team):
    return factories.user(team, "sergeant@powys.example", role="supervisor")


@pytest.fixture
def admin(team):
    return factories.user(team, "admin@cyswllt.example", role="admin")


@pytest.fixture
def other_officer(other_team):
    return factories.user(other_team, "officer@caerdydd.example", role="officer")


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = CSRF_FIELD.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client, email: str, password: str = factories.PASSWORD):
    token = csrf_token_from(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def signed_in(client):
    """Sign a client in as a user: ``signed_in(user)`` returns the client."""

    def _sign_in(user, test_client=None):
        test_client = test_client or client
        response = sign_in(test_client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return test_client

    return _sign_in
