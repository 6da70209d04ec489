"""Faults on the sync path: whatever breaks, and when, every contact ends up stored exactly
once, or not at all and still on the phone to send again.

The live tests run the app in gunicorn (as in production) on a loopback port and kill it
with SIGKILL, so a batch really is cut off mid-way; the phone is a plain HTTP client.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError

from app import create_app
from app.extensions import db
from app.models import AuditEvent, Contact
from tests import conftest as shared
from tests import factories
from tests.trust.conftest import page_error_messages, speaks

pytestmark = pytest.mark.commits  # other connections, threads or processes read the data (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[2]
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


# --- the phone's side -------------------------------------------------------------------

def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def canonical_sha256(contact: dict) -> str:
    """The hash the phone computes (api-contract.md), written out here independently."""
    content = {key: contact.get(key) for key in ("duration_minutes", "occurred_at", "outcome", "person_id", "type")}
    content.update(id=contact["id"].lower(), concern=bool(contact.get("concern")),
                   sensitive=bool(contact.get("sensitive")), notes=contact.get("notes") or None,
                   others_present=contact.get("others_present") or None, pathways=sorted(contact.get("pathways", [])))
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def new_contact(person_id: int, minutes_ago: int = 10, **fields) -> dict:
    made = datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)
    return {"id": str(uuid.uuid4()), "person_id": person_id, "type": "home_visit", "outcome": "kept",
            "occurred_at": iso(made), "recorded_at": iso(made + timedelta(seconds=20)),
            "duration_minutes": 20, "pathways": [], "notes": "Nodyn ar y ffôn", **fields}


class Phone:
    """A phone talking HTTP to a live server: cookies, the CSRF token, one connection."""

    def __init__(self, port: int, email: str, address: str = "127.0.0.1"):
        self.port, self.email, self.address = port, email, address
        self.cookie, self.csrf = "", ""
        self.connection: http.client.HTTPConnection | None = None

    def _connection(self):
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60,
                                                         source_address=(self.address, 0))
        return self.connection

    def hang_up(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method, path, body=None, headers=None, read=True):
        connection = self._connection()
        try:
            connection.request(method, path, body=body, headers={"Cookie": self.cookie, **(headers or {})})
            if not read:
                self.hang_up()
                return None, None
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.hang_up()
            raise
        for value in response.headers.get_all("Set-Cookie") or []:
            if value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        return response, data

    def sign_in(self):
        _, page = self.request("GET", "/login")
        token = CSRF_FIELD.search(page.decode()).group(1)
        form = urlencode({"email": self.email, "password": factories.PASSWORD, "csrf_token": token}).encode()
        response, _ = self.request("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
        assert response.status == 302
        response, data = self.request("GET", "/api/v1/session")
        assert response.status == 200
        self.csrf = json.loads(data)["csrf_token"]
        return self

    def sync(self, batch, read=True):
        body = json.dumps({"sent_at": iso(datetime.now(timezone.utc)), "contacts": batch}).encode()
        response, data = self.request("POST", "/api/v1/contacts/sync", body,
                                      {"Content-Type": "application/json", "X-CSRFToken": self.csrf}, read=read)
        if not read:
            return None
        assert response.status == 200, data
        results = json.loads(data)["results"]
        assert [result["id"] for result in results] == [contact["id"] for contact in batch]
        for contact, result in zip(batch, results):
            assert result["status"] in ("created", "duplicate"), result
            assert result["sha256"] == canonical_sha256(contact), "the phone would keep the record"
        return [result["status"] for result in results]


# --- the server ---------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """The app in gunicorn on a loopback port; ``kill`` is SIGKILL: no goodbyes, no cleanup."""

    def __init__(self, database_url: str):
        self.database_url, self.port, self.process = database_url, free_port(), None

    def start(self):
        environment = {**os.environ, "DATABASE_URL": self.database_url, "CYSWLLT_ENV": "development",
                       "SECRET_KEY": shared.test_settings("")["SECRET_KEY"], "PASSWORD_HASH_PROFILE": "cheapest"}
        command = [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{self.port}",
                   "--workers", "1", "--worker-class", "gthread", "--threads", "4", "--log-level", "error",
                   "wsgi:app"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):  # ready when it answers (not merely when something accepts)
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn stopped while starting")
            probe = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                probe.request("GET", "/login")
                if probe.getresponse().status == 200:
                    return self
            except (OSError, http.client.HTTPException):
                pass
            finally:
                probe.close()  # also when it timed out on a busy machine
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            group = self.process.pid  # its own process group: the master and its workers, nothing else
            os.killpg(group, signal.SIGKILL)
            self.process.wait(timeout=30)
            for _ in range(300):  # the worker dies a moment after the master, holding the port till then
                try:
                    os.killpg(group, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
        self.process = None


@pytest.fixture
def gunicorn(app):
    server = Gunicorn(app.config["SQLALCHEMY_DATABASE_URI"]).start()
    yield server
    server.kill()


@pytest.fixture
def phone_for(gunicorn):
    """``phone_for(user)``: a signed-in phone on the live server, hung up after the test."""
    made = []

    def make(user, address="127.0.0.1"):
        phone = Phone(gunicorn.port, user.email, address)
        made.append(phone)
        return phone.sign_in()

    yield make
    for phone in made:
        phone.hang_up()


@pytest.fixture
def person(team, officer):
    return factories.person(team, "Rhys Evans", offender_manager=officer)


def stored_ids() -> set[str]:
    db.session.expire_all()
    return {str(contact_id) for contact_id in db.session.scalars(select(Contact.id))}


def create_events() -> Counter:
    db.session.expire_all()
    return Counter(db.session.scalars(
        select(AuditEvent.entity_id).where(AuditEvent.entity == "contacts", AuditEvent.action == "create")))


def assert_held_exactly(batches):
    made = {contact["id"] for batch in batches for contact in batch}
    assert stored_ids() == made
    events = create_events()
    assert all(events[contact_id] == 1 for contact_id in made), "one create event per contact, no more"


# --- the tests ----------------------------------------------------------------------------

def test_an_answer_lost_after_the_server_committed_is_answered_duplicate_on_the_retry(phone_for, officer, person):
    phone = phone_for(officer)
    batch = [new_contact(person.id) for _ in range(3)]
    phone.sync(batch, read=False)  # the request goes; the signal drops before the answer comes back
    for _ in range(300):  # wait (bounded) for the server to finish what it was sent
        if stored_ids() >= {contact["id"] for contact in batch}:
            break
        time.sleep(0.05)
    assert phone.sync(batch) == ["duplicate"] * 3
    assert_held_exactly([batch])


def test_a_server_killed_mid_batch_leaves_all_or_nothing_and_the_retry_completes_it(
    gunicorn, phone_for, officer, person
):
    phone = phone_for(officer)
    first = [new_contact(person.id) for _ in range(5)]
    assert phone.sync(first) == ["created"] * 5
    big = [new_contact(person.id, minutes_ago=number + 1, notes=f"Nodyn {number} " + "x" * 500)
           for number in range(200)]
    phone.sync(big, read=False)
    gunicorn.kill()  # SIGKILL while it reads, stores or answers the batch of 200
    held = stored_ids() & {contact["id"] for contact in big}
    assert held in (set(), {contact["id"] for contact in big}), f"half a batch stored: {len(held)} of 200"
    gunicorn.start()  # a new process: the same sign-in still works (nothing was local to the old one)
    phone.hang_up()
    statuses = phone.sync(big)
    assert set(statuses) == ({"duplicate"} if held else {"created"})
    last = [new_contact(person.id)]
    assert phone.sync(last) == ["created"]
    assert_held_exactly([first, big, last])


def test_two_phones_of_one_user_sending_overlapping_batches_at_once_store_each_contact_once(
    phone_for, officer, person
):
    phones = [phone_for(officer, address=f"127.0.0.{number + 2}") for number in range(2)]
    contacts = [new_contact(person.id, minutes_ago=number + 1) for number in range(60)]
    # Phone 0 sends contacts 0-39, phone 1 sends 20-59 (backwards): 20 in both, at the same moment.
    batches = [[*contacts[:40]], [*contacts[20:]][::-1]]
    statuses: dict[int, list[str]] = {}
    start = threading.Barrier(2)

    def send(number):
        start.wait()
        statuses[number] = phones[number].sync(batches[number])

    threads = [threading.Thread(target=send, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    created = Counter()
    for number, batch in enumerate(batches):
        for contact, status in zip(batch, statuses[number]):
            created[contact["id"]] += status == "created"
    assert all(created[contact["id"]] == 1 for contact in contacts), "each contact created exactly once"
    assert_held_exactly([contacts])


def test_batches_that_arrive_out_of_order_are_all_stored_and_counted(client, signed_in, officer, person):
    phone = signed_in(officer)
    csrf = phone.get("/api/v1/session").get_json()["csrf_token"]
    now = datetime.now(timezone.utc)
    monday, tuesday, wednesday = (new_contact(person.id, minutes_ago=minutes) for minutes in (300, 200, 100))

    def sync(batch):
        response = phone.post("/api/v1/contacts/sync", json={"sent_at": iso(now), "contacts": batch},
                              headers={"X-CSRFToken": csrf})
        return [result["status"] for result in response.get_json()["results"]]

    def check(ids):
        return phone.post("/api/v1/contacts/check", json={"ids": ids}, headers={"X-CSRFToken": csrf}).get_json()

    assert check([wednesday["id"]])["missing"] == [wednesday["id"]]
    assert sync([wednesday]) == ["created"]  # the last made arrives first
    assert sync([monday, tuesday]) == ["created", "created"]
    assert sync([tuesday]) == ["duplicate"]  # a late retry of the middle batch
    assert check([contact["id"] for contact in (monday, tuesday, wednesday)])["missing"] == []
    row = next(row for row in phone.get("/api/v1/caseload").get_json()["people"] if row["id"] == person.id)
    assert row["last_contact_at"] == wednesday["occurred_at"]
    assert_held_exactly([[monday, tuesday, wednesday]])


def test_a_database_that_cannot_be_reached_answers_503_with_retry_after_to_phone_and_page(app, client, signed_in, officer):
    signed_in(officer)
    csrf = client.get("/api/v1/session").get_json()["csrf_token"]
    unreachable = create_app(shared.test_settings("postgresql+psycopg://nobody@127.0.0.1:9/closed"))
    phone = unreachable.test_client()
    for cookie in client._cookies.values():  # the same browser, now talking to a server without its database
        phone.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    response = phone.post("/api/v1/contacts/sync", json={"sent_at": iso(datetime.now(timezone.utc)), "contacts": []},
                          headers={"X-CSRFToken": csrf, "Accept-Language": "cy"})
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    error = response.get_json()["error"]
    assert error["code"] == "unavailable"
    assert speaks("cy", error["message"]), error  # nobody can be looked up: the phone's language
    page = phone.get("/", headers={"Accept-Language": "cy"})
    assert page.status_code == 503 and int(page.headers["Retry-After"]) > 0
    assert all(speaks("cy", message) for message in page_error_messages(page.get_data(as_text=True)))
    with unreachable.app_context():
        db.engine.dispose()


def test_a_database_failing_mid_batch_stores_nothing_and_answers_503(app, client, signed_in, officer, person):
    signed_in(officer)
    csrf = client.get("/api/v1/session").get_json()["csrf_token"]
    batch = [new_contact(person.id) for _ in range(4)]
    body = {"sent_at": iso(datetime.now(timezone.utc)), "contacts": batch}
    before_events = create_events()
    failures = []

    def connection_lost_after_the_contacts(conn, cursor, statement, parameters, context, executemany):
        # The contacts are in (uncommitted); the database goes away before their audit events.
        if re.search(r'INSERT INTO "?audit_events', statement, re.I):
            failures.append(statement)
            raise OperationalError(statement, None, Exception("server closed the connection unexpectedly"))

    event.listen(db.engine, "before_cursor_execute", connection_lost_after_the_contacts)
    try:
        response = client.post("/api/v1/contacts/sync", json=body, headers={"X-CSRFToken": csrf})
    finally:
        event.remove(db.engine, "before_cursor_execute", connection_lost_after_the_contacts)
    assert failures, "the fault was not injected: the sync path no longer writes audit events like this"
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json()["error"]["code"] == "unavailable"
    assert stored_ids().isdisjoint(contact["id"] for contact in batch), "half a batch was stored"
    assert create_events() == before_events
    # The phone kept everything and sends it again once the database is back.
    retry = client.post("/api/v1/contacts/sync", json=body, headers={"X-CSRFToken": csrf})
    assert [result["status"] for result in retry.get_json()["results"]] == ["created"] * 4
    assert_held_exactly([batch])


def test_after_an_idle_sign_out_the_phone_signs_in_again_and_its_outbox_goes(app, client, signed_in, officer, person):
    app.config.update(IDLE_TIMEOUT_MINUTES=30, FIXED_NOW=datetime.now(timezone.utc))
    signed_in(officer)
    csrf = client.get("/api/v1/session").get_json()["csrf_token"]
    assert client.get("/api/v1/session").get_json()["idle_timeout_seconds"] == 1800
    batch = [new_contact(person.id, minutes_ago=120)]  # recorded offline while the session sat idle
    app.config["FIXED_NOW"] += timedelta(minutes=45)
    body = {"sent_at": iso(app.config["FIXED_NOW"]), "contacts": batch}
    refused = client.post("/api/v1/contacts/sync", json=body, headers={"X-CSRFToken": csrf})
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "unauthenticated"
    assert stored_ids() == set()
    signed_in(officer)
    csrf = client.get("/api/v1/session").get_json()["csrf_token"]
    sent = client.post("/api/v1/contacts/sync", json=body, headers={"X-CSRFToken": csrf})
    assert [result["status"] for result in sent.get_json()["results"]] == ["created"]
    assert_held_exactly([batch])
