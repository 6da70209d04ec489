"""Fixtures shared by every test: the app on SQLite or PostgreSQL, clients, users.

Set TEST_DATABASE_URL to run the whole suite against PostgreSQL; otherwise it runs
on a temporary SQLite database. Either way the schema is made by the migrations.

Each test runs inside one transaction on one connection that is rolled back at the end;
every session (the test's and each request's) works in a SAVEPOINT of it, so a commit in
a request is seen by the test and nothing outlives the test. Tests whose data must be seen
by another connection, thread, process or app (the browser tests' live server, gunicorn,
pg_dump, a second app) are marked ``commits``: they really commit, and every table is
emptied after them.

Under pytest-xdist each worker has its own database: ``<name>_gw0``, ``<name>_gw1``… on
PostgreSQL (made if missing), its own temporary file on SQLite.
"""

from __future__ import annotations

import functools
import os
import re
import time
from contextlib import contextmanager

import flask_migrate
import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app import create_app
from app.config import normalise_database_url
from app.extensions import db
from tests import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()


def pytest_collection_modifyitems(config, items):
    items.sort(key=_longest_first, reverse=os.environ.get("TEST_ORDER") == "browsers-last")
    if TEST_DATABASE_URL:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set TEST_DATABASE_URL to run it")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


def _longest_first(item) -> int:
    """The tests that drive a browser first, then the ones marked ``slow``, then the rest
    (a stable sort: each group keeps its order).

    With ``--maxschedchunk=2`` (pyproject's addopts) pytest-xdist hands out two tests at a
    time to whichever worker is free, so with the long tests first both workers share them
    and the run ends on short ones. Before, in file order and xdist's default chunks (a
    quarter of the suite each), one worker got every browser test and the other, done with
    everything else, sat idle: the SQLite suite took 353 s; like this, 232 s.

    ``TEST_ORDER=browsers-last`` turns the order round (.ci/run, for its PostgreSQL run): while
    one run drives its browsers the other runs its short tests, so two Chromiums work at once,
    not four.
    """
    if "browser" in item.fixturenames:
        return 0
    return 1 if item.get_closest_marker("slow") else 2


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + TEST_DATABASE_URL if TEST_DATABASE_URL else 'SQLite (temporary file)'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id) -> str:
    if not TEST_DATABASE_URL:
        return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
    url = normalise_database_url(TEST_DATABASE_URL)
    if worker_id != "master":
        url = _worker_database(url, worker_id)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def _worker_database(url: str, worker_id: str) -> str:
    """This worker's own PostgreSQL database, next to the one named, made if it is missing."""
    base = make_url(url)
    name = f"{base.database}_{worker_id}"
    server = create_engine(base, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}) is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def is_postgres(database_url) -> bool:
    return database_url.startswith("postgresql")


@functools.cache
def production_sealing_keys() -> str:
    """One sealing key (P-256) as PEM text, for every app the tests make (production refuses to
    start without one: app/config.py)."""
    from app import sealing

    return sealing.private_pem(sealing.generate_private_key())


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
        # A P-256 sealing key made for the run, as `flask keys generate` makes, whatever kind of
        # key instance/sealing_keys.pem holds (records sealed with RSA: tests/api/test_sealed.py).
        "SEALING_KEYS": production_sealing_keys(),
        **extra,
    }


@pytest.fixture(scope="session")
def migrated_database(database_url, tmp_path_factory) -> str:
    app = create_app(test_settings(database_url))
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:  # rows the migrations put in (Delius codes)
            for table in db.metadata.sorted_tables:
                serial = table.autoincrement_column  # left to the database, whose counter starts again
                rows = [{key: value for key, value in row._mapping.items() if serial is None or key != serial.name}
                        for row in connection.execute(table.select())]
                if rows:
                    MIGRATIONS_ROWS[table.name] = rows
        db.engine.dispose()
    return database_url


# Rows the migrations put in, put back after every table is emptied, as a fresh database has them.
MIGRATIONS_ROWS: dict[str, list[dict]] = {}


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


def commits(node) -> bool:
    """Whether a test's data must really be committed (see the module's docstring)."""
    return node.get_closest_marker("commits") is not None or "browser" in node.keywords


@pytest.fixture(scope="session")
def shared_app(migrated_database):
    """One app per worker for the tests whose data is rolled back: making an app costs more
    than most tests (its URL rules, every template compiled afresh, every SQL statement
    compiled afresh for its new engine). What a test changes of it is put back after."""
    app = create_app(test_settings(migrated_database))
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture
def app(migrated_database, request):
    """The app of one test. Tests that commit (another connection must see their data) and
    tests marked ``own_app`` (they add routes) get one made for them; the rest share one."""
    if commits(request.node) or request.node.get_closest_marker("own_app"):
        app = create_app(test_settings(migrated_database))
        app.test_client_class = IsolatedClient
        shared = False
    else:
        app = request.getfixturevalue("shared_app")
        shared = True
    with app.app_context(), _put_back_afterwards(app, shared):
        if commits(request.node):
            yield app
            db.session.remove()
            _empty_every_table()
        else:
            with _rolled_back():
                yield app
        db.engine.dispose()


@contextmanager
def _put_back_afterwards(app, shared: bool):
    """The shared app's settings and extensions as they were before the test (tests set the
    clock, limits and keys on ``app.config`` and ``app.extensions``)."""
    if not shared:
        yield
        return
    config, extensions = dict(app.config), dict(app.extensions)
    try:
        yield
    finally:
        app.config.clear()
        app.config.update(config)
        app.extensions.clear()
        app.extensions.update(extensions)


class _BoundSession(FlaskSession):
    """A session that uses the connection it was given (Flask-SQLAlchemy's picks the engine)."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return super().get_bind(mapper, clause, bind or self.bind, **kwargs)


@contextmanager
def _rolled_back():
    """Every session of the test, requests' included, in SAVEPOINTs of one transaction rolled back at the end."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        _sqlite_transactions_as_written(engine)
    connection = engine.connect()
    outer = connection.begin()
    scoped = db.session
    db.session = db._make_scoped_session(
        {"class_": _BoundSession, "bind": connection, "join_transaction_mode": "create_savepoint"}
    )
    try:
        yield
    finally:
        db.session.remove()
        db.session = scoped
        outer.rollback()
        connection.close()


def _sqlite_transactions_as_written(engine) -> None:
    """pysqlite begins and ends transactions on its own guesses, which breaks SAVEPOINTs:
    let SQLAlchemy say BEGIN itself (SQLAlchemy's documented recipe for pysqlite). Once per
    engine: the shared app's engine serves many tests."""
    if event.contains(engine, "begin", _begin_as_written):
        return

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    event.listen(engine, "begin", _begin_as_written)


def _begin_as_written(connection) -> None:
    connection.exec_driver_sql("BEGIN")


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
                for table in db.metadata.sorted_tables:
                    if table.name in MIGRATIONS_ROWS:
                        connection.execute(table.insert(), MIGRATIONS_ROWS[table.name])
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
