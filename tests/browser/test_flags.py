"""A sensitive concern, recorded on the phone, as the web and the people it concerns see it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import indicator, open_app, sign_in, stored_contacts

SAVED = "Saved on this phone — waiting to send"
NOTE = "Talked about the rent arrears and his sister's offer of a room."


def test_a_sensitive_concern_home_visit_with_pathways_and_45_minutes_from_the_phone_on_the_web(
        server, page, browser, officer, supervisor):
    person = factories.person(officer.team, "Rhys Evans", offender_manager=officer)
    colleague = factories.user(officer.team, "cydweithiwr@powys.example", name="Cai Colleague")
    open_app(page, server, officer.email)
    page.locator(".caseload__row .caseload__record").click()
    page.get_by_label("Home visit", exact=True).check()
    # Tiles: every duration pick is at least 24 px each way (a touch target).
    for minutes in ("15 minutes", "30 minutes", "45 minutes", "60 minutes", "Other"):
        box = page.locator(f"label:text-is('{minutes}')").bounding_box()
        assert box and box["width"] >= 24 and box["height"] >= 24, minutes
    page.get_by_label("45 minutes", exact=True).check()
    page.get_by_label("Accommodation and support").check()
    page.get_by_label("Finance, benefits and debt").check()
    page.get_by_text("Notes, who else was there, sensitive or a concern (optional)").click()
    page.get_by_label("Who else was there (optional)").fill("His sister, Siân")
    page.get_by_label("Notes", exact=True).fill(NOTE)
    page.get_by_label("Sensitive: only you, the offender manager and the team's supervisors can read the notes").check()
    page.get_by_label("A concern to raise with the supervisor").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#flash")).to_have_text(SAVED)
    expect(indicator(page)).to_have_text("All sent")
    [contact] = stored_contacts()
    assert (contact.type.value, contact.duration_minutes, contact.pathways) == (
        "home_visit", 45, ["accommodation", "finance_benefits_debt"])
    assert (contact.sensitive, contact.concern, contact.others_present, contact.notes) == (
        True, True, "His sister, Siân", NOTE)

    # The web person page: the author sees the visit; the notes only after asking.
    page.goto(server.url(f"/people/{person.id}"))
    item = page.locator(".contact-list__item").first
    expect(item).to_contain_text("Home visit")
    expect(item).to_contain_text("45 minutes")
    expect(item).to_contain_text("Accommodation and support")
    expect(item).to_contain_text("Sensitive")
    expect(item).not_to_contain_text(NOTE)
    page.get_by_role("link", name="Include sensitive notes (this is recorded)").click()
    expect(page.locator(".contact-list__item").first).to_contain_text(NOTE)
    expect(page.locator(".contact-list__item").first).to_contain_text("His sister, Siân")

    # A colleague never sees the note; the supervisor is alerted on the phone's home screen and acknowledges it.
    other = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", timezone_id="Europe/London")
    try:
        theirs = other.new_page()
        sign_in(theirs, server, colleague.email, next_path="/")
        theirs.goto(server.url(f"/people/{person.id}?sensitive_notes=1"))
        expect(theirs.locator(".contact-list__item").first).to_contain_text("Home visit")
        assert NOTE not in theirs.content() and "Siân" not in theirs.content()
        assert "raised a concern" not in theirs.goto(server.url("/")).text()
    finally:
        other.close()
    boss = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", timezone_id="Europe/London",
                               service_workers="allow")
    try:
        phone = boss.new_page()
        open_app(phone, server, supervisor.email)
        alert = phone.locator("#concerns")
        expect(alert).to_contain_text(re.compile(r"raised a concern about Rhys Evans"))
        expect(alert.get_by_role("heading")).to_have_text("1 concern to acknowledge")
        assert NOTE not in alert.inner_text()
        alert.get_by_role("button", name="Acknowledge this concern").click()
        expect(alert).to_be_hidden()
    finally:
        boss.close()
