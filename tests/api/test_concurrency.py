"""The same contacts sent at the same moment over several connections are stored once.

This needs a real database with concurrent transactions and a real threaded server: the
app is served by Werkzeug on a loopback port and several threads post at once.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app.extensions import db
from app.models import AuditEvent, Contact
from tests import factories
from tests.api.conftest import NOW, contact_json, iso

pytestmark = pytest.mark.commits  # other connections, threads or processes read the data (tests/conftest.py)

SENDERS = 6
CONTACTS = 40


@pytest.fixture
def live_server(app, fixed_now):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def signed_in_opener(base: str, email: str):
    """An HTTP client that signed in through the sign-in form, and its CSRF token for the API."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(f"{base}/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urlencode({"email": email, "password": factories.PASSWORD, "csrf_token": token}).encode()
    opener.open(f"{base}/login", data=form, timeout=30)
    session = json.loads(opener.open(f"{base}/api/v1/session", timeout=30).read())
    return opener, session["csrf_token"]


@pytest.mark.postgres_only
def test_the_same_batch_sent_at_once_from_several_connections_is_stored_exactly_once(live_server, officer, person):
    opener, token = signed_in_opener(live_server, officer.email)
    batch = [contact_json(person.id, notes=f"Nodyn {number}") for number in range(CONTACTS)]
    bodies = [
        # Half the senders list the contacts backwards: overlapping batches in another order must not deadlock.
        json.dumps({"sent_at": iso(NOW), "contacts": batch if sender % 2 == 0 else batch[::-1]}).encode()
        for sender in range(SENDERS)
    ]
    start = threading.Barrier(SENDERS)

    def send(body: bytes):
        request = urllib.request.Request(
            f"{live_server}/api/v1/contacts/sync", data=body, method="POST",
            headers={"Content-Type": "application/json", "X-CSRFToken": token},
        )
        start.wait(timeout=30)
        with opener.open(request, timeout=60) as response:
            return response.status, json.loads(response.read())

    with ThreadPoolExecutor(SENDERS) as pool:
        answers = list(pool.map(send, bodies))

    assert [status for status, _body in answers] == [200] * SENDERS
    created: dict[str, int] = {}
    for _status, body in answers:
        assert len(body["results"]) == CONTACTS
        for result in body["results"]:
            assert result["status"] in {"created", "duplicate"}, result
            created[result["id"]] = created.get(result["id"], 0) + (result["status"] == "created")
    assert created == {contact["id"]: 1 for contact in batch}

    ids = [uuid.UUID(contact["id"]) for contact in batch]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Contact).where(Contact.id.in_(ids))) == CONTACTS
    events = db.session.scalars(
        select(AuditEvent.entity_id).where(AuditEvent.entity == "contacts", AuditEvent.action == "create")
    ).all()
    assert sorted(events) == sorted(contact["id"] for contact in batch)


@pytest.mark.postgres_only
def test_two_phones_racing_with_different_content_for_one_id_store_one_version_and_tell_the_other(
    live_server, officer, person
):
    opener, token = signed_in_opener(live_server, officer.email)
    contact_id = contact_json(person.id)["id"]
    versions = [contact_json(person.id, id=contact_id, outcome=outcome) for outcome in ("kept", "refused")] * 3
    start = threading.Barrier(len(versions))

    def send(contact):
        request = urllib.request.Request(
            f"{live_server}/api/v1/contacts/sync", method="POST",
            data=json.dumps({"contacts": [contact]}).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": token},
        )
        start.wait(timeout=30)
        with opener.open(request, timeout=60) as response:
            return json.loads(response.read())["results"][0]

    with ThreadPoolExecutor(len(versions)) as pool:
        results = list(pool.map(send, versions))
    db.session.expire_all()
    kept = db.session.get(Contact, uuid.UUID(contact_id)).outcome.value
    assert [result["status"] for result in results].count("created") == 1
    for sent, result in zip(versions, results):
        expected = {"created", "duplicate"} if sent["outcome"] == kept else {"conflict"}
        assert result["status"] in expected
