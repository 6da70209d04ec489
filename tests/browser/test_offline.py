"""Offline, properly: the failures field apps meet in production, in a real browser."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import (
    cut_network,
    indicator,
    open_app,
    outbox_rows,
    put_in_outbox,
    record_for,
    restore_network,
    set_pin,
    stored_contacts,
    stored_count,
    unlock,
    wait_for_outbox,
)

SAVED = "Saved on this phone — waiting to send"


def test_the_app_installs_its_service_worker_and_with_the_network_cut_reloads_and_works(server, page, context, officer):
    factories.person(officer.team, "Rhys Evans")
    factories.person(officer.team, "Bethan Morgan", category="flex")
    open_app(page, server, officer.email)
    set_pin(page)  # the app reopened without signal opens with the PIN (static/js/lock.js)

    cdp = context.new_cdp_session(page)
    errors = [e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    assert [e for e in errors if e != "in-incognito"] == []

    cut_network(context)
    response = page.reload()
    assert response is not None and response.from_service_worker
    unlock(page)
    expect(page.get_by_role("heading", name="Rhys Evans")).to_be_visible()
    expect(page.get_by_role("heading", name="Bethan Morgan")).to_be_visible()
    expect(page.locator("[data-banner=offline]")).to_be_visible()
    expect(page.get_by_text("You are offline. This caseload was last updated")).to_be_visible()
    expect(page.locator(".caseload__name")).to_have_text(["Rhys Evans", "Bethan Morgan"])  # still needing most first
    page.get_by_label("Search by name").fill("beth")
    expect(page.locator(".caseload__name")).to_have_text(["Bethan Morgan"])
    expect(page.get_by_text("1 person matches your search.")).to_be_visible()
    page.get_by_label("Search by name").fill("")
    page.get_by_role("link", name="Record a contact").first.click()
    expect(page.get_by_role("heading", name="Record a contact")).to_be_visible()
    # The shell, its scripts and styles came through the service worker, which had no network:
    # from its cache (the caseload from IndexedDB). Only the API may be tried, and it fails.
    resources = page.evaluate("performance.getEntriesByType('resource').map(e => [e.name, e.workerStart > 0])")
    assert resources and [name for name, through_worker in resources if not through_worker and "/api/" not in name] == []


def test_a_contact_recorded_offline_waits_in_the_outbox_and_is_sent_once_when_the_network_returns(
    server, page, context, officer
):
    factories.person(officer.team, "Rhys Evans")
    factories.person(officer.team, "Siôn Williams")
    open_app(page, server, officer.email)
    rhys = page.locator(".caseload__row", has=page.get_by_role("heading", name="Rhys Evans"))
    expect(rhys).to_contain_text("Offered: 0 · Kept: 0 · Required: 3")
    expect(page.locator(".caseload__name")).to_have_text(["Rhys Evans", "Siôn Williams"])  # both need 3: by name

    cut_network(context)
    taps = []
    record_for(page, "Rhys Evans", taps=taps)
    assert len(taps) - 1 <= 4  # a kept home visit now: at most four taps after choosing the person
    expect(page.locator("#flash")).to_have_text(SAVED)
    expect(indicator(page)).to_contain_text("1 waiting to send")
    expect(rhys).to_contain_text("1 contact this week, not yet sent")
    # The visit on the phone counts already for who needs contacts most: Siôn now.
    expect(page.locator(".caseload__name")).to_have_text(["Siôn Williams", "Rhys Evans"])
    [row] = outbox_rows(page)
    # Only the summary is readable on the phone: the outcome is inside the seal.
    assert row["state"] == "waiting" and row["contact"]["type"] == "home_visit" and "outcome" not in row["contact"]
    assert stored_count() == 0
    steady = [page.get_by_role("link", name="Record a contact").first, page.locator("#search"),
              page.locator(".caseload__row").first, rhys.locator(".caseload__record")]
    where = [part.bounding_box()["y"] for part in steady]

    restore_network(context)
    expect(indicator(page)).to_have_text("All sent")
    expect(rhys).to_contain_text("Offered: 1 · Kept: 1 · Required: 3")
    expect(page.get_by_text("Caseload updated")).to_be_visible()
    # The offline banner says so in its place, the notes and Rhys's "not yet sent" line keep theirs,
    # and the list its order: nothing moves, so a tap aimed as the signal came back lands on what
    # it was aimed at.
    expect(page.locator("[data-banner=online]")).to_have_text("You are online again.")
    assert [part.bounding_box()["y"] for part in steady] == where
    expect(page.locator(".caseload__name")).to_have_text(["Siôn Williams", "Rhys Evans"])
    [contact] = stored_contacts()
    assert str(contact.id) == row["id"] and contact.recorded_by_id == officer.id
    assert server.statuses() == ["created"]
    assert outbox_rows(page) == []


def test_a_double_tap_on_save_makes_one_record(server, page, context, officer):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    cut_network(context)
    page.locator(".caseload__row .caseload__record").click()
    page.get_by_label("Phone call", exact=True).check()
    page.get_by_role("button", name="Save", exact=True).dblclick()
    expect(page.locator("#flash")).to_have_text(SAVED)
    assert len(outbox_rows(page)) == 1

    restore_network(context)
    expect(indicator(page)).to_have_text("All sent")
    assert stored_count() == 1
    assert server.statuses() == ["created"]


def test_a_record_left_unsent_for_more_than_a_week_is_kept_shows_its_age_and_is_sent_once(server, page, context, officer):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    cut_network(context)
    record_for(page, "Rhys Evans")
    expect(indicator(page)).to_contain_text("1 waiting to send")  # saved (sealing takes a moment)
    [row] = outbox_rows(page)
    nine_days_ago = (datetime.now(timezone.utc) - timedelta(days=9)).isoformat()
    page.evaluate("""([id, when]) => import(new URL('store.js', document.querySelector('script[type=module]').src).href)
        .then((store) => store.changeOutbox([id], (row) => ({ ...row, saved_at: when })))""", [row["id"], nine_days_ago])

    page.goto(server.url("/app"))  # still offline: the app comes from the service worker
    expect(page.get_by_text("The oldest record waiting to send was saved 9 days ago.")).to_be_visible()
    assert [kept["id"] for kept in outbox_rows(page)] == [row["id"]]  # nothing expires

    restore_network(context)
    expect(indicator(page)).to_have_text("All sent")
    assert [str(contact.id) for contact in stored_contacts()] == [row["id"]]
    assert server.statuses() == ["created"]


def test_a_database_connection_closed_under_the_app_is_reopened_and_the_record_is_saved(server, page, context, officer):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    cut_network(context)
    page.locator(".caseload__row .caseload__record").click()
    page.get_by_label("Phone call", exact=True).check()
    # As iOS does to a page in the background: the app's next transaction meets a closed connection.
    page.evaluate("""() => {
        const transaction = IDBDatabase.prototype.transaction;
        window.closedUnderTheApp = 0;
        IDBDatabase.prototype.transaction = function (...args) {
            if (!window.closedUnderTheApp) {
                window.closedUnderTheApp = 1;
                this.close();
            }
            return transaction.apply(this, args);
        };
    }""")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#flash")).to_have_text(SAVED)
    assert page.evaluate("window.closedUnderTheApp") == 1
    [row] = outbox_rows(page)
    assert row["contact"]["type"] == "phone"

    restore_network(context)
    expect(indicator(page)).to_have_text("All sent")
    assert server.statuses() == ["created"]


def fail_after_storing(status):
    def handle(route):
        route.fetch()  # the server stores the batch...
        route.fulfill(status=status, content_type="text/html", body="<h1>Internal Server Error</h1>")  # ...the answer is lost
    return handle


def drop_after_storing(route):
    route.fetch()
    route.abort("connectionreset")


def captive_portal(route):
    route.fulfill(status=200, content_type="text/html", body="<html><body>Sign in to the café Wi-Fi</body></html>")


def unavailable(route):
    route.fulfill(status=503, content_type="application/json", headers={"Retry-After": "1"},
                  body='{"error": {"code": "unavailable", "message": "Try again soon."}}')



@pytest.mark.parametrize(
    ("failure", "stored_by_the_failed_attempt"),
    [(fail_after_storing(500), True), (drop_after_storing, True), (captive_portal, False), (unavailable, False)],
    ids=["500 after the server stored it", "connection dropped after the server stored it",
         "captive portal page with status 200", "503 with Retry-After"],
)
def test_a_failed_send_keeps_the_record_and_the_retry_never_makes_a_second_one(
    server, page, context, officer, failure, stored_by_the_failed_attempt
):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    context.route("**/api/v1/contacts/sync", failure)
    record_for(page, "Rhys Evans")
    expect(page.locator("#flash")).to_have_text(SAVED)
    wait_for_outbox(page, lambda rows: len(rows) == 1 and rows[0]["state"] == "waiting" and rows[0]["attempts"] >= 1)
    assert stored_count() == (1 if stored_by_the_failed_attempt else 0)
    expect(indicator(page)).to_contain_text("1 waiting to send")

    # "Send now" tries again at once, whatever the back-off: still failing, still kept.
    indicator(page).click()
    expect(page.locator(".outbox__item")).to_contain_text("Waiting to send")
    page.get_by_role("button", name="Send now").click()
    wait_for_outbox(page, lambda rows: len(rows) == 1 and rows[0]["state"] == "waiting" and rows[0]["attempts"] >= 2)
    assert stored_count() == (1 if stored_by_the_failed_attempt else 0)

    context.unroute("**/api/v1/contacts/sync")
    page.evaluate("window.dispatchEvent(new Event('online'))")  # the signal comes back
    expect(indicator(page)).to_have_text("All sent")
    assert stored_count() == 1
    assert server.statuses()[-1] == ("duplicate" if stored_by_the_failed_attempt else "created")
    assert outbox_rows(page) == []


def test_a_record_left_sending_when_the_app_was_closed_goes_back_to_waiting_and_is_sent_once(
    server, page, context, officer
):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    held = []
    context.route("**/api/v1/contacts/sync", lambda route: held.append(route))  # never answered
    record_for(page, "Rhys Evans")
    wait_for_outbox(page, lambda rows: len(rows) == 1 and rows[0]["state"] == "sending")
    page.close()
    context.unroute("**/api/v1/contacts/sync")

    again = context.new_page()
    again.goto(server.url("/app"))
    expect(indicator(again)).to_have_text("All sent")
    assert stored_count() == 1


def test_two_tabs_coming_back_online_together_send_each_record_once(server, page, context, officer):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    other_tab = context.new_page()
    other_tab.goto(server.url("/app"))
    other_tab.wait_for_selector(".caseload__row")
    # A tab behind another draws no frames, and Playwright waits for frames before each tap: the
    # officer taps in the tab in front. (Without this each tap took one to two seconds.)
    page.bring_to_front()
    cut_network(context)
    record_for(page, "Rhys Evans")
    record_for(page, "Rhys Evans", kind="Phone call")
    expect(indicator(other_tab)).to_contain_text("2 waiting to send")  # the tabs share one outbox
    sent = []
    context.on("request", lambda request: sent.append(request.post_data_json)
               if request.url.endswith("/api/v1/contacts/sync") and request.method == "POST" else None)

    restore_network(context)  # both tabs hear "online" and both try to send at once
    expect(indicator(page)).to_have_text("All sent")
    expect(indicator(other_tab)).to_have_text("All sent")
    assert stored_count() == 2
    assert server.statuses() == ["created", "created"]  # one sender at a time: never a duplicate
    posted = [contact["id"] for body in sent for contact in body["contacts"]]
    assert sorted(posted) == sorted(str(contact.id) for contact in stored_contacts())


def test_an_expired_session_keeps_the_outbox_and_asks_to_sign_in(server, page, context, officer):
    factories.person(officer.team, "Rhys Evans")
    open_app(page, server, officer.email)
    cut_network(context)
    record_for(page, "Rhys Evans")
    context.clear_cookies()  # the session has expired meanwhile
    restore_network(context)

    banner = page.locator("[data-banner=signed-out]")
    expect(banner).to_contain_text("You are signed out.")
    expect(indicator(page)).to_contain_text("1 waiting to send")
    assert len(outbox_rows(page)) == 1
    assert stored_count() == 0

    # Recording still works while signed out.
    record_for(page, "Rhys Evans", kind="Phone call")
    expect(indicator(page)).to_contain_text("2 waiting to send")

    banner.get_by_role("link", name="Sign in").click()
    page.fill("#email", officer.email)
    page.fill("#password", factories.PASSWORD)
    page.click("button[type=submit]")
    expect(indicator(page)).to_have_text("All sent")
    assert [c.recorded_by_id for c in stored_contacts()] == [officer.id, officer.id]


def test_another_user_signing_in_on_the_same_browser_sees_nothing_of_the_first_users(
    server, page, context, officer, other_officer
):
    factories.person(officer.team, "Rhys Evans")
    factories.person(other_officer.team, "Dylan Price")
    open_app(page, server, officer.email)
    cut_network(context)
    record_for(page, "Rhys Evans")
    context.clear_cookies()
    restore_network(context)
    expect(page.locator("[data-banner=signed-out]")).to_be_visible()

    open_app(page, server, other_officer.email)
    expect(page.get_by_role("heading", name="Dylan Price")).to_be_visible()
    expect(page.get_by_role("heading", name="Rhys Evans")).to_have_count(0)
    expect(indicator(page)).to_have_text("All sent")
    indicator(page).click()
    expect(page.get_by_text("Everything recorded on this phone has been sent.")).to_be_visible()
    expect(page.locator(".outbox__item")).to_have_count(0)
    assert stored_count() == 0  # never sent as the second user
    [kept] = outbox_rows(page)
    assert kept["user_id"] == officer.id
    caseloads = page.evaluate("import(new URL('store.js', document.querySelector('script[type=module]').src).href).then(s => s.getCaseload(%d))" % officer.id)
    assert caseloads is None

    page.goto(server.url("/app#/sign-out"))
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url("**/login")
    open_app(page, server, officer.email)
    expect(indicator(page)).to_have_text("All sent")
    [contact] = stored_contacts()
    assert contact.recorded_by_id == officer.id


def test_a_record_the_server_refuses_needs_attention_without_holding_up_the_rest_and_can_be_corrected(
    server, page, context, officer, other_officer
):
    factories.person(officer.team, "Rhys Evans")
    elsewhere = factories.person(other_officer.team, "Dylan Price")
    open_app(page, server, officer.email)
    cut_network(context)
    # A record for someone who is not on this team's caseload (it was moved, say).
    put_in_outbox(page, officer.id, elsewhere.id, "Dylan Price")
    record_for(page, "Rhys Evans")
    restore_network(context)

    expect(indicator(page)).to_contain_text("1 needs attention")
    assert [c.person.display_name for c in stored_contacts()] == ["Rhys Evans"]
    indicator(page).click()
    item = page.locator(".outbox__item--attention")
    expect(item).to_contain_text("Needs attention")
    expect(item).to_contain_text("This person is not on your caseload.")

    item.get_by_role("link", name="Correct and send again").click()
    page.get_by_label("Person").select_option(label="Rhys Evans")
    page.get_by_role("button", name="Save and send again").click()
    expect(indicator(page)).to_have_text("All sent")
    assert [c.person.display_name for c in stored_contacts()] == ["Rhys Evans", "Rhys Evans"]


def test_a_record_whose_id_the_server_cannot_use_is_sent_again_under_a_new_one(server, page, context, officer, other_officer):
    rhys = factories.person(officer.team, "Rhys Evans")
    taken = factories.contact(factories.person(other_officer.team, "Dylan Price"), other_officer)  # the id is held elsewhere
    open_app(page, server, officer.email)
    cut_network(context)
    put_in_outbox(page, officer.id, rhys.id, "Rhys Evans", contact_id=str(taken.id))
    restore_network(context)
    expect(indicator(page)).to_contain_text("1 needs attention")
    indicator(page).click()
    page.get_by_role("link", name="Correct and send again").click()
    page.get_by_role("button", name="Save and send again").click()
    expect(indicator(page)).to_have_text("All sent")
    mine = [c for c in stored_contacts() if c.recorded_by_id == officer.id]
    assert len(mine) == 1 and mine[0].id != taken.id and mine[0].person_id == rhys.id
