"""The phone app in a real browser: Debian's Chromium driven by Playwright.

The real app runs in a thread (werkzeug) on a free port of 127.0.0.1, on the same test
database as the rest of the suite; each test gets a fresh browser context (its own
storage, service worker and cookies). A missing browser fails the run: it is never a skip.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.models import Contact
from tests import factories
from tests.chromium import ARGS, CHROMIUM
from tests.conftest import test_settings

# On a busy machine (two workers, other work) a screen can take longer than Playwright's 5 s
# to reach the state an assertion waits for: wait longer, never for a fixed time.
expect.set_options(timeout=20_000)

PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make browser` (the browser tests never skip).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "service_workers": "allow", "viewport": PHONE, "locale": "en-GB",
            "timezone_id": "Europe/London"}


class LiveServer:
    """The real app on 127.0.0.1, with a log of what it was asked and what it answered to syncs.

    ``stop()`` and ``start()`` take it down and bring it back on the same port, so the
    origin (and its service worker and storage) survive a simulated outage.
    """

    def __init__(self, app):
        self.app = app
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.requests: list[str] = []
        self.sync_results: list[dict] = []
        self.arrangement_results: list[dict] = []
        self.unreachable: set[str] = set()
        self._server = None
        self.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _wsgi(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        self.requests.append(f"{environ['REQUEST_METHOD']} {path}")
        if path in self.unreachable:
            # Lost on the way, as a proxy says when the app cannot be reached. Done here, not with
            # Playwright's routes: those miss a service worker's requests for a moment after it restarts.
            start_response("502 Bad Gateway", [("Content-Type", "text/plain")])
            return [b"Bad Gateway"]
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"] = int(status.split()[0])
            return start_response(status, headers, exc_info)

        # Read each answer whole and close it here: werkzeug's development server can skip
        # closing a response (an open static file) when the browser drops the connection.
        answer = self.app(environ, capture)
        try:
            body = b"".join(answer)
        finally:
            if hasattr(answer, "close"):
                answer.close()
        if path == "/api/v1/contacts/sync" and captured["status"] == 200:
            self.sync_results.extend(json.loads(body)["results"])
        if path == "/api/v1/arrangements/sync" and captured["status"] == 200:
            self.arrangement_results.extend(json.loads(body)["results"])
        return [body]

    def start(self):
        self._server = make_server("127.0.0.1", self.port, self._wsgi, threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def statuses(self) -> list[str]:
        return [result["status"] for result in self.sync_results]


@pytest.fixture(scope="session")
def live_server(migrated_database):
    server = LiveServer(create_app(test_settings(migrated_database)))
    yield server
    server.stop()
    with server.app.app_context():
        db.engine.dispose()  # close the server's pooled connections


@pytest.fixture(scope="session")
def base_url(live_server):
    """Replaces pytest-playwright's own (whose form pytest 9 deprecates)."""
    return live_server.url("")


@pytest.fixture
def server(live_server, app):
    """The live server for one test: logs emptied, the version back to the test build."""
    live_server.requests.clear()
    live_server.sync_results.clear()
    live_server.arrangement_results.clear()
    live_server.unreachable.clear()
    live_server.app.config.pop("APP_VERSION_SALT", None)
    yield live_server
    live_server.unreachable.clear()
    live_server.app.config.pop("APP_VERSION_SALT", None)


def stored_contacts() -> list[Contact]:
    db.session.rollback()  # see what the live server committed
    return list(db.session.scalars(select(Contact).order_by(Contact.received_at)))


def stored_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Contact))


# --- The app, as an officer uses it ------------------------------------------------------


def sign_in(page, server, email, password=factories.PASSWORD, next_path="/app"):
    page.goto(server.url(f"/login?next={next_path}"))
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(server.url(next_path)) + r"(#.*)?$"))


def open_app(page, server, email, **kwargs):
    """Sign in, land in the app, and wait until the service worker controls it and the caseload is in."""
    sign_in(page, server, email, **kwargs)
    wait_for_worker(page)
    page.wait_for_selector("#sync-indicator:not([hidden])")
    page.wait_for_selector(".caseload__row")


GOOD_PIN = "250491"


def set_pin(page, pin: str = GOOD_PIN):
    """Set a PIN from the offer on "This week", as an officer does after signing in (static/js/lock.js)."""
    offer = page.locator(".pin-offer")
    offer.locator("#new-pin").fill(pin)
    offer.locator("#new-pin-again").fill(pin)
    offer.locator("button[type=submit]").click()
    expect(offer).to_have_count(0)


def unlock(page, pin: str = GOOD_PIN):
    """The app reopened without signal is locked: the PIN opens it."""
    page.locator("#pin").fill(pin)
    page.locator("form.unlock button[type=submit]").click()
    expect(page.locator("form.unlock")).to_have_count(0)


def _no_network(route):
    route.abort("internetdisconnected")


def cut_network(context):
    """No signal: the browser is offline and nothing at all reaches the server.

    ``set_offline`` alone lets the odd request through (a service worker restarted while
    offline is not always emulated offline), so every request is also refused on the way out.
    """
    context.route("**/*", _no_network)
    context.set_offline(True)


def restore_network(context):
    context.unroute("**/*", _no_network)
    context.set_offline(False)  # fires the page's "online" event


def wait_for_worker(page):
    """Until the service worker is active and controls the page.

    Polled, with a time limit: when a worker's install fails, ``navigator.serviceWorker.ready``
    never settles, and an evaluate waiting on it would hold the test (and its worker) for ever.
    """
    wait_until(page, "navigator.serviceWorker.getRegistration().then((r) => Boolean(r && r.active))", timeout_ms=30000)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")  # a function: the CSP forbids eval


def wait_for_empty_outbox(page) -> None:
    """Until the phone holds nothing unsent, anyone's (the indicator counts the signed-in user's only)."""
    wait_until(
        page,
        "() => import(new URL('store.js', document.querySelector('script[type=module]').src).href)"
        ".then((store) => store.allOutboxRows()).then((rows) => rows.length === 0)",
        timeout_ms=30000,  # as long as Playwright waits by default: a send can be slow on a busy machine
    )


def outbox_rows(page) -> list[dict]:
    return page.evaluate("import(new URL('store.js', document.querySelector('script[type=module]').src).href).then((store) => store.allOutboxRows())")


def wait_until(page, expression: str, arg=None, timeout_ms: int = 15000):
    """Poll an expression that may return a promise.

    ``page.wait_for_function`` is no use for those: it returns as soon as the promise settles,
    whatever it settles to (a promise of ``false`` ends the wait too).
    """
    waited = 0
    while not (value := page.evaluate(expression, arg)):
        if waited > timeout_ms:
            raise AssertionError(f"never true: {expression}")
        page.wait_for_timeout(50)
        waited += 50
    return value


def wait_for_outbox(page, check, timeout_ms: int = 15000) -> list[dict]:
    """Poll the outbox until ``check(rows)`` holds (route handlers run while Playwright waits)."""
    rows = outbox_rows(page)
    waited = 0
    while not check(rows):
        if waited > timeout_ms:
            raise AssertionError(f"the outbox never got there: {rows!r}")
        page.wait_for_timeout(50)
        waited += 50
        rows = outbox_rows(page)
    return rows


def put_in_outbox(page, user_id: int, person_id: int, person_name: str, contact_id: str | None = None) -> None:
    """Save a kept phone call straight into the phone's outbox, as the record form would,
    for a person the form cannot offer (another team's) or under a chosen id."""
    page.evaluate(
        """async ([userId, personId, personName, id]) => {
            const outbox = await import(new URL('outbox.js', document.querySelector('script[type=module]').src).href);
            const now = new Date().toISOString();
            await outbox.save(userId, {id: id || crypto.randomUUID(), person_id: personId, type: 'phone',
              outcome: 'kept', occurred_at: now, recorded_at: now, duration_minutes: null, pathways: [],
              notes: null, sensitive: false, concern: false, others_present: null}, personName);
        }""",
        [user_id, person_id, person_name, contact_id],
    )


def indicator(page):
    return page.locator("#sync-indicator")


def record_for(page, name: str, kind: str = "Home visit", taps: list | None = None, save: str = "Save"):
    """Choose the person from their row, then the kind, then Save: the defaults do the rest.
    Done when the phone says the record is saved (the message above the next screen)."""
    steps = [
        lambda: page.locator(".caseload__row", has=page.get_by_role("heading", name=name)).locator(".caseload__record").click(),
        lambda: page.get_by_label(kind, exact=True).check(),
        lambda: page.get_by_role("button", name=save, exact=True).click(),
    ]
    for step in steps:
        step()
        if taps is not None:
            taps.append(1)
    expect(page.locator("#flash")).not_to_be_empty()


def open_sign_out(page, unsent: int) -> None:
    """The sign-out screen, showing the records still on the phone."""
    words = f"{unsent} record{'s' if unsent != 1 else ''} on this phone {'has' if unsent == 1 else 'have'} not been sent yet."
    page.get_by_role("link", name="Sign out").click()
    expect(page.get_by_text(words)).to_be_visible()
