"""The phone's record form as the usability audit measured it, in both languages: Save within
two screens of a 360 x 740 phone, no tile's words spilling out at 360 px (Welsh labels are
longer), the header on one row at 320 px, and the storage warning only once signed in, with a
button that looks like a button."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests import factories
from tests.browser.conftest import open_app
from tests.browser.test_app import browser_answers_persist

PHONE = {"width": 360, "height": 740}
NARROW = {"width": 320, "height": 640}
WORDS = {"en": {"record": "Record a contact", "kind": "Kind of contact"},
         "cy": {"record": "Cofnodi cyswllt", "kind": "Math o gyswllt"}}

# What the browser does by itself: the server's side is tested on both databases (pyproject's markers).
pytestmark = pytest.mark.database_independent


def _open_record_form(page, server, officer, language):
    officer.language = language
    db.session.commit()
    factories.person(officer.team, "Rhys Evans")
    page.set_viewport_size(PHONE)
    open_app(page, server, officer.email)
    page.locator(".caseload__row .caseload__record").click()
    expect(page.get_by_role("heading", name=WORDS[language]["record"])).to_be_visible()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_save_is_within_two_screens_and_no_tile_spills_at_360(server, page, officer, language):
    _open_record_form(page, server, officer, language)
    # Save is in reach at the top of the form and all the way down: never more than two screens away.
    for scrolled in (0, PHONE["height"], 2 * PHONE["height"]):
        page.evaluate(f"window.scrollTo(0, {scrolled})")
        box = page.locator("button.button--save").bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (scrolled, box)
    page.evaluate("window.scrollTo(0, 0)")
    spilling = page.evaluate(
        "() => [...document.querySelectorAll('.choice__label')]"
        ".filter((label) => label.offsetParent && label.scrollWidth > label.clientWidth + 1)"
        ".map((label) => label.textContent)")
    assert spilling == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_app_header_is_one_row_at_320(server, page, officer, language):
    _open_record_form(page, server, officer, language)
    page.set_viewport_size(NARROW)
    boxes = page.evaluate(
        "() => [document.querySelector('.site-header--app .site-name'),"
        " ...document.querySelectorAll('.site-header--app .site-nav > *')]"
        ".filter((item) => item.offsetParent && !item.hidden)"
        ".map((item) => { const box = item.getBoundingClientRect(); return [box.top, box.bottom, box.right]; })")
    assert len(boxes) >= 3
    assert max(top for top, _bottom, _right in boxes) < min(bottom for _top, bottom, _right in boxes), boxes
    assert max(right for _top, _bottom, right in boxes) <= NARROW["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def test_the_storage_warning_waits_for_sign_in_and_its_button_looks_like_one(server, page, context, officer):
    browser_answers_persist(context, granted=False)
    factories.person(officer.team, "Rhys Evans")
    page.goto(server.url("/app"))
    expect(page.get_by_role("heading", name="Sign in to start")).to_be_visible()
    page.wait_for_function("() => window.persistAsked >= 1")
    expect(page.locator("[data-banner=storage]")).to_have_count(0)
    open_app(page, server, officer.email)
    banner = page.locator("[data-banner=storage]")
    expect(banner).to_be_visible()
    # The banner is drawn again as the app starts: the button asked about is the one shown (a
    # button of a banner drawn over has no style at all).
    page.wait_for_function(
        "() => { const button = document.querySelector('[data-banner=storage] button');"
        " if (!button || !button.isConnected) return false;"
        " const own = getComputedStyle(button), around = getComputedStyle(button.closest('.banner'));"
        " return own.backgroundColor !== around.backgroundColor && parseFloat(own.borderTopWidth) >= 1; }")
