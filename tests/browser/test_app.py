"""The phone app's promises beyond the network: updates, signing out, keyboards, Welsh, hashes, no JavaScript."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from app.contacts.canonical import canonical_content, content_hash
from tests import factories
from tests.browser.conftest import (
    open_sign_out,
    cut_network,
    indicator,
    open_app,
    outbox_rows,
    record_for,
    restore_network,
    set_pin,
    sign_in,
    stored_contacts,
    stored_count,
    unlock,
    wait_until,
)

SAVED = "Saved on this phone — waiting to send"


def caches(page) -> list[str]:
    return page.evaluate("caches.keys()")


@pytest.mark.database_independent
def test_a_new_version_waits_is_offered_never_interrupts_a_form_and_keeps_the_outbox(server, page, context, officer):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    first_version = page.evaluate("document.documentElement.dataset.version")
    [old_cache] = caches(page)
    cut_network(context)
    record_for(page, "Rhys Evans")
    context.route("**/api/v1/contacts/sync", lambda route: route.abort("internetdisconnected"))  # it stays waiting
    restore_network(context)
    # The home screen says it is online again: its note above the button changes, and the
    # button moves (a tap while it moves lands beside it).
    expect(page.get_by_text("Caseload updated")).to_be_visible()

    server.app.config["APP_VERSION_SALT"] = "release 2"  # a new release is deployed
    page.get_by_role("link", name="Record a contact").first.click()
    page.get_by_label("Phone call", exact=True).check()  # in the middle of a form
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    wait_until(page, "navigator.serviceWorker.getRegistration().then((r) => r.waiting !== null)")
    expect(page.locator("[data-banner=update]")).to_have_count(0)  # not offered while the form is open
    assert page.evaluate("document.documentElement.dataset.version") == first_version

    page.get_by_role("link", name="Cancel").click()
    banner = page.locator("[data-banner=update]")
    expect(banner).to_contain_text("A new version of the app is ready.")
    banner.get_by_role("button", name="Reload to update").click()
    page.wait_for_function("(old) => document.documentElement.dataset.version !== old", arg=first_version)
    expect(indicator(page)).to_contain_text("1 waiting to send")
    assert len(outbox_rows(page)) == 1  # the outbox survives the update
    wait_until(page, "caches.keys().then((names) => names.length === 1)")
    assert caches(page) != [old_cache]  # the old version's cache is gone


@pytest.mark.database_independent
def test_signing_out_offers_to_send_first_then_clears_the_caseload(server, page, context, officer):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    # The server is busy for an hour: the app waits as told, so only the officer's tap sends.
    refused = []

    def busy_for_an_hour(route):
        refused.append(route.request.url)
        route.fulfill(status=503, headers={"Retry-After": "3600"}, content_type="application/json",
                      body='{"error": {"code": "unavailable", "message": "Try later."}}')

    context.route("**/api/v1/contacts/sync", busy_for_an_hour)
    record_for(page, "Rhys Evans")
    page.get_by_role("link", name="Sign out").click()
    expect(page.get_by_text("1 record on this phone has not been sent yet.")).to_be_visible()
    for _ in range(300):  # the send on save has met the busy server (slow on a loaded machine)
        if refused:
            break
        page.wait_for_timeout(50)
    assert refused, "the send on save never reached the server"
    context.unroute("**/api/v1/contacts/sync")  # the server is back
    page.get_by_role("button", name="Send 1 record, then sign out").click()
    page.wait_for_url("**/login")
    assert stored_count() == 1
    assert page.evaluate("import(new URL('store.js', document.querySelector('script[type=module]').src).href).then(s => s.getCaseload(%d))" % officer.id) is None
    assert outbox_rows(page) == []
    page.goto(server.url("/app"))
    expect(page.get_by_role("heading", name="Sign in to start")).to_be_visible()


@pytest.mark.database_independent
def test_unsent_records_are_deleted_only_after_a_clear_warning(server, page, context, officer):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    context.route("**/api/v1/contacts/sync", lambda route: route.fulfill(status=500, body="down"))
    record_for(page, "Rhys Evans")
    open_sign_out(page, 1)
    page.get_by_role("button", name="Send 1 record, then sign out").click()
    expect(page.get_by_text("Not everything could be sent.")).to_be_visible()
    assert len(outbox_rows(page)) == 1

    page.get_by_role("button", name="Sign out and delete 1 record").click()
    warning = page.get_by_role("alert").filter(has_text="Delete records that have not been sent?")
    expect(warning).to_contain_text("1 record has not reached the server. If you delete it, it is gone for good")
    page.get_by_role("button", name="Do not delete anything").click()
    assert len(outbox_rows(page)) == 1

    page.get_by_role("button", name="Sign out and delete 1 record").click()
    page.get_by_role("button", name="Delete 1 record and sign out").click()
    page.wait_for_url("**/login")
    assert outbox_rows(page) == []
    assert stored_count() == 0


@pytest.mark.database_independent
def test_a_screen_chosen_while_a_record_saves_is_where_the_officer_stays(server, page, context, officer):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    context.route("**/api/v1/contacts/sync", lambda route: route.abort("internetdisconnected"))
    page.locator(".caseload__row", has=page.get_by_role("heading", name="Rhys Evans")).locator(".caseload__record").click()
    page.get_by_label("Home visit", exact=True).check()
    # Save, then at once Sign out in the header, before the save has finished.
    page.evaluate("""() => {
        [...document.querySelectorAll("#screen button")].find((b) => b.textContent.trim() === "Save").click();
        document.getElementById("sign-out-link").click();
    }""")
    expect(page.locator("#flash")).to_have_text(SAVED)
    expect(page.get_by_text("1 record on this phone has not been sent yet.")).to_be_visible()
    assert page.evaluate("location.hash") == "#/sign-out"


def test_signing_out_and_keeping_the_records_sends_them_when_the_same_officer_signs_in_again(server, page, context, officer):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    context.route("**/api/v1/contacts/sync", lambda route: route.abort("internetdisconnected"))
    record_for(page, "Rhys Evans")
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out and keep 1 record on this phone").click()
    page.wait_for_url("**/login")
    context.unroute("**/api/v1/contacts/sync")
    assert stored_count() == 0
    assert len(outbox_rows(page)) == 1

    sign_in(page, server, officer.email)
    expect(indicator(page)).to_have_text("All sent")
    assert stored_count() == 1


@pytest.mark.database_independent
def test_a_contact_can_be_recorded_with_the_keyboard_alone(server, page, officer):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    page.locator(".caseload__row .caseload__record").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Record a contact")).to_be_focused()
    page.keyboard.press("Tab")  # "Choose someone else"
    page.keyboard.press("Tab")  # the first kind of contact
    expect(page.get_by_label("Home visit", exact=True)).to_be_focused()
    page.keyboard.press("ArrowDown")  # radios move with the arrow keys and select as they go
    expect(page.get_by_label("Meeting in a public place", exact=True)).to_be_checked()
    page.keyboard.press("Enter")  # submits the form
    expect(page.locator("#flash")).to_have_text(SAVED)
    expect(indicator(page)).to_have_text("All sent")
    [contact] = stored_contacts()
    assert contact.type.value == "public_place" and contact.outcome.value == "kept"


def test_earlier_today_choices_record_the_time_chosen(server, page, officer):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    page.locator(".caseload__row .caseload__record").click()
    page.get_by_label("Office appointment", exact=True).check()
    page.get_by_label("Not kept: did not attend").check()
    page.get_by_label("1 hour ago").check()
    page.get_by_label("Other", exact=True).check()
    page.get_by_label("Other duration, in minutes").fill("20")
    page.get_by_text("Notes, who else was there, sensitive or a concern (optional)").click()
    page.get_by_label("Notes", exact=True).fill("Did not come in; phoned later.")
    before = datetime.now(timezone.utc)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#flash")).to_have_text(SAVED)
    expect(indicator(page)).to_have_text("All sent")
    [contact] = stored_contacts()
    assert contact.outcome.value == "did_not_attend" and contact.duration_minutes == 20
    assert contact.notes == "Did not come in; phoned later."
    assert 3500 < (before - contact.occurred_at).total_seconds() < 3700


def test_welfare_help_takes_pathways_and_an_exact_time_can_be_given(server, page, officer):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    page.locator(".caseload__row .caseload__record").click()
    expect(page.get_by_role("group", name="Pathways (optional)")).to_be_visible()  # for every kind of contact
    page.get_by_label("Welfare help", exact=True).check()
    page.get_by_label("Accommodation and support").check()
    page.get_by_label("Drugs and alcohol").check()
    page.get_by_label("Another date or time").check()
    page.get_by_label("Date", exact=True).fill("2026-06-01")  # British Summer Time
    page.get_by_label("Time", exact=True).fill("09:30")
    page.get_by_role("button", name="Save", exact=True).click()
    # A past week: the phone names the week it will count in and saves once the officer confirms.
    expect(page.get_by_role("alert")).to_contain_text("it will count in the week beginning Monday 1 June 2026")
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.locator("#flash")).to_have_text(SAVED)
    expect(indicator(page)).to_have_text("All sent")
    [contact] = stored_contacts()
    assert contact.pathways == ["accommodation", "drugs_alcohol"]
    assert contact.occurred_at == datetime(2026, 6, 1, 8, 30, tzinfo=timezone.utc)


@pytest.mark.database_independent
def test_the_app_works_offline_in_welsh(server, page, context, team):
    officer = factories.user(team, "swyddog@powys.example", language="cy")
    factories.person(team, "Rhys Evans")
    open_app(page, server, officer.email)
    expect(page.get_by_role("heading", name="Yr wythnos hon")).to_be_visible()
    set_pin(page)  # the app reopened without signal opens with the PIN (static/js/lock.js)
    cut_network(context)
    page.reload()
    unlock(page)
    expect(page.get_by_role("heading", name="Yr wythnos hon")).to_be_visible()
    expect(page.locator(".caseload__row")).to_contain_text("3 chyswllt yn brin")
    record_for(page, "Rhys Evans", kind="Ymweliad cartref", save="Cadw")
    expect(page.locator("#flash")).to_have_text("Wedi'i gadw ar y ffôn hwn — yn aros i'w anfon")
    expect(indicator(page)).to_contain_text("1 yn aros i'w anfon")


@pytest.mark.database_independent
def test_choosing_cymraeg_offline_switches_the_app_and_tells_the_server_later(server, page, context, officer):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    set_pin(page)
    cut_network(context)
    page.locator("a.language-switch").click()  # its accessible name is "Newid yr iaith i'r Gymraeg"
    unlock(page)  # a new page without signal: the PIN opens it
    expect(page.get_by_role("heading", name="Yr wythnos hon")).to_be_visible()
    restore_network(context)
    page.reload()
    expect(page.get_by_role("heading", name="Yr wythnos hon")).to_be_visible()
    wait_until(page, "import(new URL('store.js', document.querySelector('script[type=module]').src).href).then(s => s.getSetting('lang_pending')).then(v => v === null)")
    from app.extensions import db
    from app.models import User

    db.session.rollback()
    assert db.session.get(User, officer.id).language.value == "cy"


CASES = [
    {"notes": "Siân – “ŵ ŷ” é ñ 🏔️ \"quoted\" back\\slash\ttab\nline\u2028sep \u0001 control", "pathways": ["health", "accommodation"]},
    {"notes": "", "pathways": [], "duration_minutes": 0},
    {"notes": None, "pathways": ["drugs_alcohol"], "duration_minutes": 1440, "sensitive": True, "concern": True,
     "others_present": "Mam — ei fam"},
]


@pytest.mark.parametrize("case", CASES, ids=["awkward text", "empty", "flags"])
def test_the_phone_hashes_a_contact_exactly_as_the_server_does(server, page, case):
    page.goto(server.url("/app"))
    contact = {
        "id": str(uuid.uuid4()), "person_id": 42, "type": "welfare_help", "outcome": "kept",
        "occurred_at": "2026-11-18T10:05:00.123+01:00", "duration_minutes": None, "pathways": [], "notes": None,
        "sensitive": False, "concern": False, "others_present": None, **case,
    }
    in_browser = page.evaluate("(c) => import(new URL('canonical.js', document.querySelector('script[type=module]').src).href).then((m) => m.contentHash(c))", contact)
    on_server = content_hash(canonical_content(
        contact_id=uuid.UUID(contact["id"]), person_id=42, type="welfare_help", outcome="kept",
        occurred_at=datetime.fromisoformat(contact["occurred_at"]), duration_minutes=contact["duration_minutes"],
        pathways=contact["pathways"], notes=contact["notes"], sensitive=contact["sensitive"],
        concern=contact["concern"], others_present=contact["others_present"],
    ))
    assert in_browser == on_server


def test_without_javascript_the_record_form_still_records_a_contact(server, browser, officer):
    person = factories.person(officer.team, "Rhys Evans")
    context = browser.new_context(java_script_enabled=False, service_workers="block")
    page = context.new_page()
    sign_in(page, server, officer.email, next_path="/")
    page.get_by_role("link", name="Record a contact").nth(1).click()
    expect(page.get_by_label("Person")).to_have_value(str(person.id))
    page.get_by_label("Home visit", exact=True).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Contact recorded.")
    expect(page.locator(".caseload__row")).to_contain_text("Offered: 1 · Kept: 1 · Required: 3")
    assert stored_count() == 1
    context.close()


@pytest.mark.database_independent
def test_a_phone_clock_two_hours_fast_is_pointed_out_and_now_means_the_servers_now(server, page, officer):
    factories.person(officer.team, "Rhys Evans")
    real_now = datetime.now(timezone.utc)
    page.clock.install(time=real_now + timedelta(hours=2))  # the phone's clock is wrong
    open_app(page, server, officer.email)
    expect(page.locator("[data-banner=clock]")).to_contain_text("This phone's clock is wrong by more than 10 minutes.")
    record_for(page, "Rhys Evans")
    expect(page.locator("#flash")).to_have_text(SAVED)
    expect(indicator(page)).to_have_text("All sent")
    [contact] = stored_contacts()
    assert abs((contact.occurred_at - real_now).total_seconds()) < 120  # not two hours in the future
    assert contact.clock_skew  # and the server flags what the phone said


@pytest.mark.database_independent
def test_a_full_phone_keeps_the_form_and_says_nothing_was_saved(server, page, officer):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    page.locator(".caseload__row .caseload__record").click()
    page.evaluate("""() => {
        IDBObjectStore.prototype.add = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
    }""")
    page.get_by_label("Home visit", exact=True).check()
    page.get_by_role("button", name="Save", exact=True).click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("This phone's storage is full.")
    expect(page.get_by_label("Home visit", exact=True)).to_be_checked()
    expect(page.locator("#flash")).to_be_empty()
    assert outbox_rows(page) == [] and stored_count() == 0


STORAGE_REFUSED = "This browser has not agreed to keep what is saved on this phone if it runs short of space."


def browser_answers_persist(context, granted: bool):
    context.add_init_script(f"""
        window.persistAsked = 0;
        navigator.storage.persisted = async () => false;
        navigator.storage.persist = async () => {{ window.persistAsked += 1; return {str(granted).lower()}; }};
    """)


@pytest.mark.database_independent
def test_the_app_asks_to_keep_its_storage_and_says_so_when_the_browser_refuses(server, page, context, officer):
    browser_answers_persist(context, granted=False)
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    assert page.evaluate("window.persistAsked") >= 1
    banner = page.locator("[data-banner=storage]")
    expect(banner).to_contain_text(STORAGE_REFUSED)
    banner.get_by_role("button").click()
    expect(banner).to_have_count(0)
    page.reload()
    page.wait_for_selector(".caseload__row")
    expect(page.locator("[data-banner=storage]")).to_have_count(0)  # dismissed stays dismissed


@pytest.mark.database_independent
def test_no_storage_warning_when_the_browser_agrees_to_keep_what_is_saved(server, page, context, officer):
    browser_answers_persist(context, granted=True)
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    page.wait_for_function("() => window.persistAsked >= 1")
    page.wait_for_timeout(500)  # long enough for a refusal's banner to have been drawn
    expect(page.locator("[data-banner=storage]")).to_have_count(0)
