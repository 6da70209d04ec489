"""Real-browser fixtures for the Welsh checks: Debian's Chromium driven by Playwright, and the
app served from a thread (the recipe in ../shared/browser-tests.md)."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.chromium import ARGS, CHROMIUM

# On a busy machine (two workers, other work) a screen can take longer than Playwright's 5 s
# to reach the state an assertion waits for: wait longer, never for a fixed time.
expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser_i18n" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # pytest-base-url (a pytest-playwright dependency) defines its session fixture in a
            # way pytest 9 deprecates; not ours to fix, so only that warning is let through.
            item.add_marker(pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "service_workers": "allow"}


@pytest.fixture
def live_server(app):
    """The app on http://127.0.0.1:<port>, in a thread, for the length of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
