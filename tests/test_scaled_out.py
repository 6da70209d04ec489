"""Scaled out on real parts: Debian's nginx in front of two gunicorn app servers that share
one PostgreSQL database and one redis-server (tests/layout.py).

What a second app server must not break: the sign-in throttle counts across both, a
sign-in made on one is valid on the other, the same batch arriving at both at the same
moment is stored once, and an app server that dies in the middle of the load loses
nothing the phones sent.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import uuid
from datetime import datetime, timedelta, timezone
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Contact
from tests import factories
from tests.layout import Layout, missing_programs

pytestmark = [pytest.mark.postgres_only, pytest.mark.commits]  # the app servers read what the test stored

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(scope="module")
def layout(migrated_database, tmp_path_factory):
    missing = missing_programs()
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed: `make test` installs them (Debian's nginx-light, redis-server)")
    running = Layout(migrated_database, tmp_path_factory.mktemp("layout")).start()
    yield running
    running.stop()


class Phone:
    """A signed-in phone talking HTTP to one port (nginx, or one app server directly)."""

    def __init__(self, port: int, address: str = "127.0.0.1"):
        self.port, self.address = port, address
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                port: int | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=30)
        headers = {"X-Forwarded-For": self.address, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return response.status, data

    def sign_in(self, email: str, password: str = factories.PASSWORD, port: int | None = None) -> int:
        _status, page = self.request("GET", "/login", port=port)
        token = CSRF_FIELD.search(page.decode()).group(1)
        form = urlencode({"email": email, "password": password, "csrf_token": token}).encode()
        status, _ = self.request("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"}, port=port)
        return status

    def start_session(self, port: int | None = None) -> None:
        status, data = self.request("GET", "/api/v1/session", port=port)
        assert status == 200, data
        self.csrf = json.loads(data)["csrf_token"]

    def sync(self, contacts: list[dict], port: int | None = None):
        body = json.dumps({"contacts": contacts}).encode()
        return self.request("POST", "/api/v1/contacts/sync", body,
                            {"Content-Type": "application/json", "X-CSRFToken": self.csrf}, port=port)


def contact(person_id: int) -> dict:
    made = datetime.now(timezone.utc) - timedelta(minutes=10)
    moment = made.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return {"id": str(uuid.uuid4()), "person_id": person_id, "type": "phone", "outcome": "kept",
            "occurred_at": moment, "recorded_at": moment}


def held(ids: list[str]) -> tuple[int, int]:
    """(contacts held, create events) for these ids."""
    db.session.expire_all()
    wanted = [uuid.UUID(value) for value in ids]
    contacts = db.session.scalar(select(func.count()).select_from(Contact).where(Contact.id.in_(wanted)))
    events = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.entity == "contacts", AuditEvent.action == "create", AuditEvent.entity_id.in_(ids)))
    return contacts, events


@pytest.fixture
def world(app, layout, team, officer):
    import redis

    redis.Redis.from_url(layout.redis_url).flushall()  # each test starts with no sign-in attempts counted
    person = factories.person(team, "Rhys Evans", offender_manager=officer)
    return {"officer": officer.email, "person": person.id}


def test_the_sign_in_throttle_is_counted_across_both_app_servers(layout, world):
    phone = Phone(layout.port, address="127.0.9.9")
    # Five wrong passwords for one account from one address (app/auth/throttle.py), split
    # between the servers: neither saw five, so a 429 from both proves they count together.
    statuses = [phone.sign_in(world["officer"], "not the password", port=layout.app_port(attempt % 2))
                for attempt in range(5)]
    assert set(statuses) == {400}
    assert phone.sign_in(world["officer"], port=layout.app_port(0)) == 429
    assert phone.sign_in(world["officer"], port=layout.app_port(1)) == 429


def test_a_sign_in_made_on_one_app_server_is_valid_on_the_other(layout, world):
    phone = Phone(layout.port)
    assert phone.sign_in(world["officer"], port=layout.app_port(0)) == 302
    for index in (0, 1):
        status, data = phone.request("GET", "/api/v1/session", port=layout.app_port(index))
        assert status == 200 and json.loads(data)["user"]["id"]


def test_the_same_batch_sent_to_both_app_servers_at_the_same_moment_is_stored_once(layout, world):
    phone = Phone(layout.port)
    assert phone.sign_in(world["officer"]) == 302
    phone.start_session()
    batch = [contact(world["person"]) for _ in range(20)]
    together = threading.Barrier(2)
    answers = {}

    def send(index):
        together.wait()
        answers[index] = phone.sync(batch, port=layout.app_port(index))

    threads = [threading.Thread(target=send, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {status for status, _ in answers.values()} == {200}
    results = [json.loads(data)["results"] for _status, data in answers.values()]
    for first, second in zip(*results):
        assert {first["status"], second["status"]} <= {"created", "duplicate"}
        assert [first["status"], second["status"]].count("created") == 1
        assert first["sha256"] == second["sha256"]
    assert held([item["id"] for item in batch]) == (20, 20)


def test_an_app_server_killed_in_the_middle_of_the_load_loses_nothing(layout, world):
    phones = []
    for _ in range(4):
        phone = Phone(layout.port)
        assert phone.sign_in(world["officer"]) == 302
        phone.start_session()
        phones.append(phone)
    batches_each = 12
    outboxes = [[[contact(world["person"]) for _ in range(10)] for _ in range(batches_each)] for _ in phones]
    halfway = threading.Barrier(len(phones) + 1)
    problems = []

    def run(phone, outbox):
        for number, batch in enumerate(outbox):
            if number == batches_each // 2:
                halfway.wait()
            for _attempt in range(20):  # as the phone's outbox does: the same batch until it is settled
                try:
                    status, data = phone.sync(batch)
                except OSError:
                    continue
                if status == 200 and {r["status"] for r in json.loads(data)["results"]} <= {"created", "duplicate"}:
                    break
            else:
                problems.append(f"a batch was never settled (last answer {status})")

    threads = [threading.Thread(target=run, args=(phone, outbox)) for phone, outbox in zip(phones, outboxes)]
    for thread in threads:
        thread.start()
    halfway.wait()
    layout.kill("app0")  # mid-load: phones are sending through nginx to both servers
    for thread in threads:
        thread.join()
    assert problems == []
    ids = [item["id"] for outbox in outboxes for batch in outbox for item in batch]
    assert held(ids) == (len(ids), len(ids))  # each stored once, with one create event
    spread = layout.requests_per_worker()
    assert any(key.startswith("app1/") for key in spread)
