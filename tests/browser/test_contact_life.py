"""A contact's life on the phone, in real Chromium: corrected and voided offline, sent once when
the signal returns, and the whole history seen on the web; a late entry asks to confirm its week."""

from __future__ import annotations

import re
from playwright.sync_api import expect
from sqlalchemy import select

from app.contacts.reference import short_reference
from app.extensions import db
from app.models import AuditEvent
from tests import factories
from tests.browser.conftest import cut_network, indicator, open_app, record_for, restore_network, stored_contacts


def stored_when(page, count: int):
    """The contacts the server holds, once there are ``count`` of them (the page keeps running meanwhile)."""
    waited = 0
    while len(found := stored_contacts()) != count:
        assert waited < 15000, f"the server holds {len(found)} contacts, not {count}"
        page.wait_for_timeout(50)
        waited += 50
    return found


def events_for(contact_id) -> list[str]:
    db.session.rollback()
    return [event.action for event in db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_id == str(contact_id)).order_by(AuditEvent.id))]


def test_correct_and_void_offline_then_sync_and_see_the_history_on_the_web(server, page, context, officer):
    factories.person(officer.team, "Rhys Evans")
    factories.person(officer.team, "Bethan Morgan")
    open_app(page, server, officer.email)
    record_for(page, "Rhys Evans")
    record_for(page, "Bethan Morgan", kind="Phone call")
    first, second = sorted(stored_when(page, 2), key=lambda c: c.type.value)  # home_visit, phone
    expect(indicator(page)).to_have_text("All sent")

    page.goto(server.url("/app#/sent"))
    expect(page.get_by_role("heading", name="Sent from this phone")).to_be_visible()
    rhys = page.locator(f"[data-record-id='{first.id}']")
    expect(rhys).to_contain_text(f"Reference {short_reference(first.id)}")
    expect(rhys).to_contain_text("The server holds this record exactly as sent.")

    cut_network(context)
    rhys.get_by_role("link", name="Correct this record").click()
    page.get_by_label("Not kept: not at home", exact=True).check()
    page.get_by_label("Why are you correcting this contact?").fill("Nobody answered the door")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator("#flash")).to_have_text("Correction saved on this phone — waiting to send")
    expect(rhys).to_contain_text("Correction saved on this phone — waiting to send")

    bethan = page.locator(f"[data-record-id='{second.id}']")
    bethan.get_by_role("link", name="Void this record").click()
    page.get_by_role("button", name="Void this record").click()
    expect(page.get_by_text("Say why this contact is being voided.").first).to_be_visible()
    page.get_by_label("Why is this contact being voided?").fill("Recorded against the wrong person")
    page.get_by_role("button", name="Void this record").click()
    expect(bethan).to_contain_text("Void saved on this phone — waiting to send")
    assert events_for(first.id) == ["create"] and events_for(second.id) == ["create"]

    restore_network(context)
    expect(rhys).to_contain_text("Correction sent: the server holds the corrected version.")
    expect(bethan).to_contain_text("Voided: the server holds it as void, and it no longer counts.")
    assert events_for(first.id) == ["create", "correct"]  # once, however often the phone tried
    assert events_for(second.id) == ["create", "void"]

    page.goto(server.url(f"/contacts/{first.id}"))
    expect(page.locator(".audit-trail__what").first).to_contain_text("Version: 2 – Corrected")
    expect(page.get_by_text("Reason: Nobody answered the door")).to_be_visible()
    expect(page.locator(".audit-trail__what").last).to_contain_text("Version: 1 – Created")
    page.goto(server.url(f"/people/{second.person_id}"))
    item = page.locator(f"#contact-{second.id}")
    expect(item).to_have_class(re.compile("contact-list__item--void"))
    expect(item).to_contain_text("Made void: Recorded against the wrong person")


def test_a_late_entry_on_the_phone_asks_to_confirm_and_names_the_week(server, page, context, officer):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    page.locator(".caseload__row .caseload__record").click()
    page.get_by_label("Phone call", exact=True).check()
    page.get_by_label("Another date or time").check()
    day = page.evaluate("new Date(Date.now() - 10 * 86400000).toISOString().slice(0, 10)")
    page.fill("#when-date", day)
    page.fill("#when-time", "10:00")
    page.get_by_role("button", name="Save", exact=True).click()
    warning = page.locator("#late-entry")
    expect(warning).to_contain_text("This is a late entry: it will count in the week beginning")
    named = warning.inner_text()
    assert stored_contacts() == []
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.locator("#flash")).to_have_text("Saved on this phone — waiting to send")
    [contact] = stored_when(page, 1)
    monday = contact.occurred_week
    assert f"Monday {monday.day} {monday.strftime('%B')} {monday.year}" in named  # the week it counts in, named


def test_in_welsh_the_phone_names_the_late_entrys_week_and_a_sent_records_receipt(server, page, team):
    welsh = factories.user(team, "swyddog@powys.example", language="cy")
    factories.person(team, "Rhys Evans")
    open_app(page, server, welsh.email)
    page.locator(".caseload__row .caseload__record").click()
    page.get_by_label("Galwad ffôn", exact=True).check()
    page.get_by_label("Dyddiad neu amser arall").check()
    page.fill("#when-date", page.evaluate("new Date(Date.now() - 10 * 86400000).toISOString().slice(0, 10)"))
    page.fill("#when-time", "10:00")
    page.get_by_role("button", name="Cadw", exact=True).click()
    expect(page.locator("#late-entry")).to_contain_text("Cofnod hwyr yw hwn: bydd yn cyfrif yn yr wythnos sy'n dechrau ddydd Llun")
    page.get_by_role("button", name="Cadarnhau a chadw").click()
    [contact] = stored_when(page, 1)
    expect(indicator(page)).to_have_text("Wedi anfon y cyfan")
    page.goto(server.url("/app#/sent"))
    item = page.locator(f"[data-record-id='{contact.id}']")
    expect(item).to_contain_text(f"Cyfeirnod {short_reference(contact.id)}")
    expect(item).to_contain_text("Mae'r cofnod hwn gan y gweinydd yn union fel y'i hanfonwyd.")
