"""The phone reports itself with its sync: the server keeps its row with the right unsent count."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from app.extensions import db
from app.models import Device, SignInSession
from tests import factories
from tests.browser.conftest import cut_network, open_app, put_in_outbox, record_for, restore_network, wait_for_outbox


def the_phones_row(page) -> Device | None:
    db.session.rollback()  # see what the live server committed
    return db.session.scalars(db.select(Device)).first()


def wait_for_row(page, check, timeout_ms: int = 20000) -> Device:
    waited = 0
    while not ((row := the_phones_row(page)) is not None and check(row)):
        if waited > timeout_ms:
            raise AssertionError(f"the phone's row never got there: {row and vars(row)}")
        page.wait_for_timeout(50)
        waited += 50
    return row


def test_a_sync_from_the_phone_creates_its_row_with_what_it_still_holds(server, page, context, officer, other_team):
    factories.person(officer.team, "Rhys Evans")
    elsewhere = factories.person(other_team, "Dylan Morgan")  # not on this caseload: the server refuses it
    open_app(page, server, officer.email)

    cut_network(context)
    record_for(page, "Rhys Evans")
    expect(page.locator("#flash")).to_have_text("Saved on this phone — waiting to send")
    put_in_outbox(page, officer.id, elsewhere.id, "Dylan Morgan")
    saved = {row["person_name"]: row["saved_at"] for row in wait_for_outbox(page, lambda rows: len(rows) == 2)}

    # Forget the row the caseload fetch at start made: the sync must make it again.
    db.session.execute(db.update(SignInSession).values(device_id=None))
    db.session.execute(db.delete(Device))
    db.session.commit()
    reports = []
    page.on("request", lambda request: reports.append(request.post_data_json.get("device"))
            if request.url.endswith("/api/v1/contacts/sync") else None)

    restore_network(context)
    wait_for_outbox(page, lambda rows: [row["state"] for row in rows] == ["attention"])
    assert sorted(server.statuses()) == ["created", "rejected"]

    row = wait_for_row(page, lambda row: row.unsent == 1)
    phone_id = page.evaluate(
        "import(new URL('device.js', document.querySelector('script[type=module]').src).href)"
        ".then((device) => device.deviceId())")
    # The sync carried the report: nothing held besides the batch, whose refused record the server added.
    assert reports and reports[0]["id"] == phone_id and (reports[0]["unsent"], reports[0]["attention"]) == (0, 0)
    assert row.id == uuid.UUID(phone_id) and row.user_id == officer.id and row.team_id == officer.team_id
    assert (row.unsent, row.attention) == (1, 1)
    assert row.oldest_unsent_at is not None
    assert abs((row.oldest_unsent_at - _parse(saved["Dylan Morgan"])).total_seconds()) < 60
    assert re.fullmatch(r"[0-9a-f]{16}", row.app_version or "")
    assert row.storage_quota and row.storage_quota > 0 and row.storage_persisted is not None
    assert "Chrome" in (row.user_agent or "")


def _parse(text: str):
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00"))
