"""A found phone reveals nothing: signing out without signal, the lock after idle, the PIN, the
wipe after five wrong PINs and when the server revokes the phone, read from the browser's own storage."""

from __future__ import annotations


import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError, expect
from sqlalchemy import select

from app.extensions import db
from app.models import SignInSession
from tests import factories
from tests.browser.conftest import (
    open_sign_out,
    GOOD_PIN,
    cut_network,
    indicator,
    open_app,
    outbox_rows,
    record_for,
    restore_network,
    set_pin,
    sign_in,
    stored_count,
)

SECRET_NAME = "Siân Prydderch"  # on the caseload, never recorded: she is in nothing the outbox holds
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
}

# Everything the phone holds, as text: every IndexedDB store (the outbox apart, or not), every
# setting, and every Cache Storage entry with its URL and body.
READ_EVERYTHING = """async (withOutbox) => {
  const db = await new Promise((resolve, reject) => {
    const opening = indexedDB.open("cyswllt");
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
  const text = (value) => JSON.stringify(value, (key, v) =>
    v instanceof Uint8Array || v instanceof ArrayBuffer ? Array.from(new Uint8Array(v)).map((b) => String.fromCharCode(b)).join("") : v);
  const stores = {};
  for (const name of db.objectStoreNames) {
    if (name === "outbox" && !withOutbox) continue;
    stores[name] = await new Promise((resolve) => {
      const all = db.transaction(name).objectStore(name).getAll();
      all.onsuccess = () => resolve(all.result);
    });
  }
  db.close();
  const cached = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      cached.push({ url: request.url, body: await response.text() });
    }
  }
  return { stores: text(stores), settings: (stores.settings || []).map((row) => row.key),
           caseloads: (stores.caseload || []).length, cached };
}"""


def phone_storage(page, with_outbox: bool = False) -> dict:
    """What the phone holds, read once the page has settled: a wipe reloads every tab, so a
    read begun just before that reload is read again on the page it lands on."""
    for attempt in range(3):
        try:
            return page.evaluate(READ_EVERYTHING, with_outbox)
        except PlaywrightError as error:
            if "Execution context was destroyed" not in str(error) or attempt == 2:
                raise
            page.wait_for_load_state()
    raise AssertionError("unreachable")


def assert_nothing_readable(page, *names: str) -> dict:
    held = phone_storage(page)
    for name in names:
        assert name not in held["stores"], f"{name} is readable in IndexedDB"
        assert not [entry["url"] for entry in held["cached"] if name in entry["body"]], f"{name} is in Cache Storage"
    assert not [entry["url"] for entry in held["cached"] if "/api/" in entry["url"]], "an API answer is cached"
    return held


def sign_ins_of(user) -> int:
    db.session.rollback()  # see what the live server committed
    return len(db.session.scalars(select(SignInSession).where(SignInSession.user_id == user.id)).all())


def wait_for_sign_ins(page, user, count: int):
    for _ in range(400):
        if sign_ins_of(user) == count:
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"{user.email} still has {sign_ins_of(user)} sign-ins on the server, not {count}")


def session_status(page, server) -> int:
    return page.request.get(server.url("/api/v1/session")).status


@pytest.fixture
def lock_after(server):
    """Make the app lock after so many seconds untouched (from the next session answer)."""

    def _lock_after(seconds: int | None):
        if seconds is None:
            server.app.config.pop("APP_LOCK_SECONDS", None)  # back to the server's own
        else:
            server.app.config["APP_LOCK_SECONDS"] = seconds

    yield _lock_after
    server.app.config.pop("APP_LOCK_SECONDS", None)


@pytest.mark.database_independent
def test_the_caseload_on_the_phone_is_sealed_at_rest(server, page, officer):
    factories.person(officer.team, SECRET_NAME, delius_crn="X123456")
    open_app(page, server, officer.email)
    expect(page.get_by_role("heading", name=SECRET_NAME)).to_be_visible()
    held = assert_nothing_readable(page, SECRET_NAME, "Prydderch", "X123456")
    assert held["caseloads"] == 1  # there, but sealed


@pytest.mark.database_independent
def test_signing_out_without_signal_wipes_at_once_and_the_server_ends_the_sign_in_when_the_phone_reaches_it(
    server, page, context, officer
):
    factories.person(officer.team, "Rhys Evans")
    factories.person(officer.team, SECRET_NAME)
    open_app(page, server, officer.email)
    cut_network(context)
    record_for(page, "Rhys Evans")
    open_sign_out(page, 1)
    page.get_by_role("button", name="Sign out and keep 1 record on this phone").click()

    notice = page.locator("[data-wiped=signed_out]")
    expect(notice).to_contain_text("You have signed out. Your team's caseload has been removed from this phone.")
    expect(notice).to_contain_text("Your sign-in will be ended on the server as soon as this phone has a signal.")
    expect(notice).to_contain_text("1 record not yet sent is kept on this phone")
    expect(page.get_by_role("heading", name="Sign in to start")).to_be_visible()
    expect(page.get_by_text(SECRET_NAME)).to_have_count(0)
    held = assert_nothing_readable(page, SECRET_NAME, "Rhys Evans", officer.name)
    assert held["caseloads"] == 0
    # Nothing about anyone: the language, why it was wiped, the sign-out to finish, and the phone's own id.
    assert set(held["settings"]) <= {"lang", "pending_sign_out", "wiped", "last_active_at", "device_id"}
    assert len(outbox_rows(page)) == 1  # the unsent record stays
    assert sign_ins_of(officer) == 1  # the server has not heard yet

    restore_network(context)
    wait_for_sign_ins(page, officer, 0)  # the phone ended it as soon as it could
    assert session_status(page, server) == 401  # the old cookie is dead
    expect(notice).not_to_contain_text("Your sign-in will be ended")
    sign_in(page, server, officer.email)
    expect(indicator(page)).to_have_text("All sent")
    assert stored_count() == 1


@pytest.mark.database_independent
def test_no_page_opens_on_the_old_sign_in_until_the_server_has_heard_of_the_sign_out(server, page, context, officer):
    factories.person(officer.team, SECRET_NAME)
    open_app(page, server, officer.email)
    cut_network(context)
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("[data-wiped=signed_out]")).to_be_visible()

    # Signal returns, but the phone's request to end the old sign-in is lost on the way.
    server.unreachable.add("/logout")
    restore_network(context)
    page.goto(server.url("/login?next=/app"))
    expect(page.get_by_role("heading", name="Sign in to start")).to_be_visible()
    expect(page.locator("[data-wiped=signed_out]")).to_contain_text("Your sign-in will be ended on the server as soon as this phone has a signal.")
    expect(page.get_by_text(SECRET_NAME)).to_have_count(0)
    assert sign_ins_of(officer) == 1

    server.unreachable.discard("/logout")
    page.get_by_role("link", name="Sign in").click()
    page.fill("#email", officer.email)
    page.fill("#password", factories.PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name=SECRET_NAME)).to_be_visible()
    assert page.url.startswith(server.url("/app"))
    assert sign_ins_of(officer) == 1  # the new one: the old one ended before the sign-in form was shown


@pytest.mark.database_independent
def test_a_sign_out_left_pending_is_finished_before_the_sign_in_page_is_shown(server, page, context, officer, other_officer):
    factories.person(officer.team, SECRET_NAME)
    factories.person(other_officer.team, "Dylan Price")
    open_app(page, server, officer.email)
    cut_network(context)
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("[data-wiped=signed_out]")).to_be_visible()
    page.close()  # the app is closed before the signal returns

    restore_network(context)
    other = context.new_page()
    other.goto(server.url("/login"))  # the service worker ends the old sign-in first
    expect(other.locator("#email")).to_be_visible()  # the sign-in form, not the old officer's pages
    assert sign_ins_of(officer) == 0
    open_app(other, server, other_officer.email)
    expect(other.get_by_role("heading", name="Dylan Price")).to_be_visible()
    expect(other.get_by_text(SECRET_NAME)).to_have_count(0)


@pytest.mark.database_independent
def test_after_the_idle_time_the_app_locks_shows_nothing_and_the_sign_in_ends(server, page, officer, lock_after):
    factories.person(officer.team, SECRET_NAME)
    open_app(page, server, officer.email)
    page.get_by_role("button", name="Not now").click()  # no PIN
    lock_after(2)
    page.evaluate("import(new URL('session.js', document.querySelector('script[type=module]').src).href).then((s) => s.refresh())")

    expect(page.get_by_role("heading", name="The app is locked")).to_be_visible()
    expect(page.locator(".caseload__row")).to_have_count(0)
    assert SECRET_NAME not in page.content()
    for screen in ["#/", "#/outbox", f"#/record/{1}"]:
        page.evaluate("(hash) => { location.hash = hash; }", screen)
        expect(page.get_by_role("heading", name="The app is locked")).to_be_visible()
    expect(page.get_by_text("Sign in again to see your caseload.")).to_be_visible()
    wait_for_sign_ins(page, officer, 0)
    assert session_status(page, server) == 401

    # Signing in again starts a sign-in with the server's own lock time: with two seconds, a busy
    # machine could lock the caseload again before the check below had seen it.
    lock_after(None)
    page.locator("#screen").get_by_role("link", name="Sign in", exact=True).click()
    page.fill("#email", officer.email)
    page.fill("#password", factories.PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name=SECRET_NAME)).to_be_visible()


@pytest.mark.database_independent
def test_with_a_pin_the_app_opens_offline_and_five_wrong_pins_wipe_it(server, page, context, officer):
    factories.person(officer.team, "Rhys Evans")
    factories.person(officer.team, SECRET_NAME)
    open_app(page, server, officer.email)
    set_pin(page)
    expect(page.locator("#flash")).to_contain_text("PIN set. When the app locks, your PIN opens it")
    assert GOOD_PIN not in phone_storage(page)["stores"]  # the PIN is never stored
    cut_network(context)
    record_for(page, "Rhys Evans")
    expect(indicator(page)).to_contain_text("1 waiting to send")
    page.reload()  # the app reopened without signal: its key is no longer in memory

    expect(page.get_by_role("heading", name="The app is locked")).to_be_visible()
    assert_nothing_readable(page, SECRET_NAME)
    page.get_by_label("Your PIN").fill(GOOD_PIN)
    page.get_by_role("button", name="Unlock").click()
    expect(page.get_by_role("heading", name=SECRET_NAME)).to_be_visible()

    page.reload()
    for left in [4, 3, 2, 1]:
        page.get_by_label("Your PIN").fill("000001")
        page.get_by_role("button", name="Unlock").click()
        expect(page.get_by_role("alert")).to_contain_text(f"That PIN is not right. {left} more wrong PIN")
    page.reload()  # closing the app does not give the tries back
    page.get_by_label("Your PIN").fill("000001")
    page.get_by_role("button", name="Unlock").click()

    expect(page.locator("[data-wiped=pin]")).to_contain_text("A wrong PIN was entered 5 times")
    held = assert_nothing_readable(page, SECRET_NAME, "Rhys Evans")
    assert held["caseloads"] == 0 and "vault" not in held["settings"] and "user" not in held["settings"]
    assert len(outbox_rows(page)) == 1


@pytest.mark.database_independent
@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_lock_screens_pass_an_accessibility_scan_at_phone_width(server, page, context, team, language):
    officer = factories.user(team, f"clo-{language}@powys.example", language=language)
    factories.person(team, "Rhys Evans")
    page.set_viewport_size({"width": 320, "height": 640})
    open_app(page, server, officer.email)
    axe = Axe()
    problems = {}

    def scan(name):
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            problems[name] = results.generate_report()
        if page.evaluate("document.documentElement.scrollWidth - window.innerWidth") > 0:
            problems[f"{name} (width)"] = "scrolls sideways"

    scan("the offer of a PIN")
    page.locator("#new-pin").fill("1234")
    page.locator("form.pin-offer__form button[type=submit]").click()
    expect(page.locator("#new-pin-error")).to_be_visible()
    scan("a PIN refused")
    page.locator("#new-pin").fill(GOOD_PIN)
    page.locator("#new-pin-again").fill(GOOD_PIN)
    page.locator("form.pin-offer__form button[type=submit]").click()
    expect(page.locator(".pin-offer")).to_have_count(0)
    cut_network(context)
    page.reload()
    expect(page.locator("#pin")).to_be_visible()
    scan("locked")
    page.locator("#pin").fill("000001")
    page.locator("form.unlock button[type=submit]").click()
    expect(page.locator("#pin-error")).to_be_visible()
    scan("a wrong PIN")
    page.get_by_role("link", name="Sign out" if language == "en" else "Allgofnodi").click()
    page.locator(".sign-out button").first.click()
    expect(page.locator("[data-wiped]")).to_be_visible()
    scan("signed out")
    assert not problems, "\n\n".join(f"{name}:\n{report}" for name, report in problems.items())


@pytest.mark.database_independent
def test_the_app_opened_after_it_was_left_alone_too_long_starts_locked(server, page, officer):
    factories.person(officer.team, SECRET_NAME)
    open_app(page, server, officer.email)
    page.get_by_role("button", name="Not now").click()
    page.evaluate("""() => import(new URL('store.js', document.querySelector('script[type=module]').src).href)
        .then((store) => store.setSetting('last_active_at', Date.now() - 31 * 60 * 1000))""")  # the phone sat in a pocket
    page.reload()  # with signal, and the sign-in still alive on the server
    expect(page.get_by_role("heading", name="The app is locked")).to_be_visible()
    wait_for_sign_ins(page, officer, 0)
    expect(page.get_by_text(SECRET_NAME)).to_have_count(0)


@pytest.mark.database_independent
def test_another_officer_signing_in_leaves_nothing_of_the_first_ones_caseload_readable(
    server, page, context, officer, other_officer
):
    factories.person(officer.team, SECRET_NAME)
    factories.person(other_officer.team, "Dylan Price")
    open_app(page, server, officer.email)
    context.clear_cookies()  # the first officer's sign-in is over
    open_app(page, server, other_officer.email)
    expect(page.get_by_role("heading", name="Dylan Price")).to_be_visible()
    held = assert_nothing_readable(page, SECRET_NAME)
    assert held["caseloads"] == 1  # the second officer's, sealed


def test_an_administrator_revokes_a_phone_and_its_next_request_wipes_it_while_its_records_arrive(
        server, page, context, officer, admin):
    """End to end, no interception: the phone's own reports made its row; revoking it on the
    server ends its sign-in; the phone's next request stores what it carries, then wipes."""
    from app import clock
    from app.devices import operations as devices
    from app.models import Contact, Device
    from tests.browser.test_device_report import wait_for_row

    factories.person(officer.team, "Rhys Evans")
    factories.person(officer.team, SECRET_NAME)
    open_app(page, server, officer.email)
    phone = wait_for_row(page, lambda row: row.user_id == officer.id)  # the caseload fetch reported it

    cut_network(context)
    record_for(page, "Rhys Evans")
    expect(page.locator("#flash")).to_have_text("Saved on this phone — waiting to send")
    assert devices.revoke(db.session, db.session.get(Device, phone.id), by=admin, now=clock.now())
    db.session.commit()

    restore_network(context)  # the phone's next request is told "revoked"
    expect(page.locator("[data-wiped=revoked]")).to_contain_text("Access from this phone has been withdrawn")
    expect(page.get_by_text(SECRET_NAME)).to_have_count(0)
    held = assert_nothing_readable(page, SECRET_NAME, officer.name)
    assert held["caseloads"] == 0 and "user" not in held["settings"]
    # The sealed record stays, to be sent (and accepted as the officer's) whoever signs in next;
    # a revoked phone's sync is stored before it is told (tests/devices).
    assert len(outbox_rows(page)) == 1
    db.session.rollback()
    assert db.session.scalars(select(Contact).where(Contact.recorded_by_id == officer.id)).all() == []
    assert db.session.get(Device, phone.id).revoked_at is not None
