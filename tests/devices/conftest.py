"""Fixtures for the phones: the sync API's signed-in JSON client, and a phone's report."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest

from tests.api.conftest import NOW, ApiClient, api, contact_json, fixed_now, iso, other_person, person  # noqa: F401


def report(**fields) -> dict:
    """A phone's report as static/js/device.js makes it: 2 unsent, the oldest saved an hour before NOW."""
    return {
        "id": fields.pop("id", str(uuid.uuid4())),
        "app_version": "0123456789abcdef",
        "unsent": 2,
        "oldest_unsent_at": iso(NOW - timedelta(hours=1)),
        "attention": 0,
        "storage_persisted": True,
        "storage_usage": 52_000,
        "storage_quota": 2_000_000_000,
        "reported_at": iso(NOW),
        **fields,
    }


def sync_with(client: ApiClient, contacts: list, device, **kwargs):
    body = {"sent_at": iso(NOW), "contacts": contacts}
    if device is not None:
        body["device"] = device
    return client.post("/api/v1/contacts/sync", json=body, **kwargs)


@pytest.fixture
def at(app):
    """Move the server's clock (app/clock.py): ``at(moment)``."""

    def _at(moment: datetime) -> datetime:
        app.config["FIXED_NOW"] = moment
        return moment

    return _at
