"""Arranged contacts on the phone: the home shows today's, and recording the outcome takes two taps."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from playwright.sync_api import expect

from app.domain.weeks import LONDON
from app.extensions import db
from app.models import Arrangement
from tests import factories
from tests.browser.conftest import indicator, open_app, stored_contacts


def test_an_arranged_contact_s_outcome_is_recorded_in_two_taps_from_home(server, page, officer):
    person = factories.person(officer.team, "Rhys Evans", offender_manager=officer)
    now = datetime.now(timezone.utc)
    start_of_today = datetime.combine(now.astimezone(LONDON).date(), datetime.min.time(), tzinfo=LONDON)
    arranged = factories.arrangement(person, officer, max(now - timedelta(hours=1), start_of_today.astimezone(timezone.utc)),
                                     type="office", place="Swyddfa'r Drenewydd")
    open_app(page, server, officer.email)
    section = page.locator("#arranged")
    expect(section.get_by_role("heading", name="Today")).to_be_visible()
    expect(section).not_to_contain_text("Swyddfa")  # where is never on a list
    section.get_by_role("button", name="Rhys Evans").click()  # tap one
    section.get_by_role("button", name="Not kept: did not attend").click()  # tap two
    expect(page.locator("#flash")).to_have_text("Saved on this phone — waiting to send")
    expect(section).to_be_hidden()  # nothing left to record
    expect(indicator(page)).to_have_text("All sent")
    [contact] = stored_contacts()
    assert (contact.type.value, contact.outcome.value, contact.occurred_at) == ("office", "did_not_attend", arranged.starts_at)
    db.session.expire_all()
    recorded = db.session.get(Arrangement, arranged.id)
    assert (recorded.state.value, recorded.contact_id) == ("recorded", contact.id)
