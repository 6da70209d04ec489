"""Fixtures for the sync API: a signed-in JSON client and contact payloads."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tests import factories

# A Wednesday in GMT: the week starts on Monday 16 November 2026.
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=timezone.utc)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def contact_json(person_id: int, **fields) -> dict:
    """A valid contact as the phone sends it, made ten minutes before NOW."""
    made = NOW - timedelta(minutes=10)
    return {
        "id": str(uuid.uuid4()),
        "person_id": person_id,
        "type": "home_visit",
        "outcome": "kept",
        "occurred_at": iso(made),
        "recorded_at": iso(made + timedelta(seconds=30)),
        **fields,
    }


class ApiClient:
    """A test client signed in as one user, sending the CSRF token with every write."""

    def __init__(self, client, csrf_token: str):
        self.client = client
        self.csrf_token = csrf_token

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def post(self, path: str, json=None, *, headers=None, **kwargs):
        headers = {"X-CSRFToken": self.csrf_token, **(headers or {})}
        return self.client.post(path, json=json, headers=headers, **kwargs)

    def sync(self, contacts, *, sent_at: str | None = "now", **kwargs):
        body = {"contacts": contacts}
        if sent_at == "now":
            body["sent_at"] = iso(NOW)
        elif sent_at is not None:
            body["sent_at"] = sent_at
        return self.post("/api/v1/contacts/sync", json=body, **kwargs)


@pytest.fixture
def fixed_now(app):
    app.config["FIXED_NOW"] = NOW
    return NOW


@pytest.fixture
def api(app, client, signed_in, fixed_now):
    """``api(user)`` signs the client in as ``user`` and returns an ApiClient."""

    def _api(user, test_client=None) -> ApiClient:
        test_client = signed_in(user, test_client or client)
        session = test_client.get("/api/v1/session")
        assert session.status_code == 200, session.get_data(as_text=True)
        return ApiClient(test_client, session.get_json()["csrf_token"])

    return _api


@pytest.fixture
def second_client(app):
    return app.test_client()


@pytest.fixture
def person(team, officer):
    return factories.person(team, "Rhys Evans", offender_manager=officer)


@pytest.fixture
def other_person(other_team):
    return factories.person(other_team, "Dylan Morgan")
