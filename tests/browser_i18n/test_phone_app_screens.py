"""Every phone-app screen, drawn by its JavaScript, in Welsh and in English; and offline too.

The screens are the app's #/ addresses (static/js/app.js). A new screen goes in SCREENS.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import set_pin, unlock, wait_for_worker
from tests.i18n.example import build_example, set_language
from tests.i18n.test_every_page import Rendering, check_html

# The app's screens, as addresses under /app (person: the example person's id).
SCREENS = ("#/", "#/record", "#/record/{person}", "#/arrange", "#/arrange/{person}", "#/outbox", "#/sent", "#/sign-out")
HEADINGS = {"cy": "Yr wythnos hon", "en": "This week"}
RECORD_HEADINGS = {"cy": "Cofnodi cyswllt", "en": "Record a contact"}


def open_app(page, base: str, email: str) -> None:
    page.goto(f"{base}/login?next=/app")
    page.fill("#email", email)
    page.fill("#password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/app(#.*)?$"))
    wait_for_worker(page)
    page.wait_for_selector(".caseload__row")


def screen(page, base: str, address: str) -> Rendering:
    page.goto(f"{base}/app{address}")
    page.wait_for_selector("#screen h1")
    page.wait_for_load_state("networkidle")
    return Rendering(200, "text/html", page.content())


@pytest.fixture
def example(app):
    return build_example(app)


@pytest.mark.database_independent
def test_every_phone_app_screen_is_in_welsh(app, live_server, browser, example):
    shown = {}
    for language in ("cy", "en"):
        set_language(example.officer, language)
        context = browser.new_context()
        try:
            page = context.new_page()
            open_app(page, live_server, example.officer.email)
            for address in SCREENS:
                address = address.format(person=example.person.id)
                shown[language, address] = screen(page, live_server, address)
        finally:
            context.close()
    set_language(example.officer, "en")
    problems = []
    for address in SCREENS:
        address = address.format(person=example.person.id)
        problems += check_html(f"/app{address}", "/app", shown["cy", address], shown["en", address],
                               example.words)
    assert problems == [], "\n".join(problems)
    # The example person's sensitive concern is an alert on their offender manager's home screen, in both languages.
    assert "Cydnabod y pryder hwn" in shown["cy", "#/"].body and "Acknowledge this concern" in shown["en", "#/"].body
    # The record form's quick durations and flags, in Welsh.
    record = shown["cy", f"#/record/{example.person.id}"].body
    assert "45 munud" in record and "Faint o amser a gymerodd (dewisol)" in record
    # The person's next plan actions on the home, and the form that arranges a contact, in Welsh.
    home = shown["cy", "#/"].body
    assert "Camau nesaf y cynllun" in home and "Housing assessment" in home and "Perchennog: Tai Powys" in home
    arrange = shown["cy", f"#/arrange/{example.person.id}"].body
    assert "Trefnu cyswllt" in arrange and "Ble (dewisol)" in arrange and "Gyda phwy (dewisol)" in arrange


@pytest.mark.database_independent
def test_the_sign_in_screen_of_the_phone_app_is_in_welsh(live_server, browser, example):
    shown = {}
    for language in ("cy", "en"):
        context = browser.new_context()
        try:
            context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
            page = context.new_page()
            shown[language] = screen(page, live_server, "")
        finally:
            context.close()
    assert check_html("/app signed out", "/app", shown["cy"], shown["en"], example.words) == []


def _no_network(route):
    route.abort("internetdisconnected")


@pytest.mark.database_independent
def test_the_phone_app_stays_in_welsh_offline(live_server, browser, example):
    set_language(example.officer, "cy")
    context = browser.new_context()
    try:
        page = context.new_page()
        open_app(page, live_server, example.officer.email)
        # The sign-in page was English, so the app may reload itself once into the officer's
        # Welsh: wait for the Welsh shell, controlled by its worker, before cutting the signal.
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        expect(page.locator("#screen h1")).to_have_text(HEADINGS["cy"])
        page.wait_for_selector(".caseload__row")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")  # a function: the CSP forbids eval
        set_pin(page)  # the app reopened without signal opens with the PIN (static/js/lock.js)
        context.route("**/*", _no_network)  # nothing reaches the server, whatever set_offline lets through
        context.set_offline(True)
        response = page.reload()
        assert response is not None and response.from_service_worker
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        expect(page.locator("#screen h1")).to_have_text("Mae'r ap wedi'i gloi")
        unlock(page)
        expect(page.locator("#screen h1")).to_have_text(HEADINGS["cy"])
        page.evaluate("location.hash = '#/record'")
        expect(page.locator("#screen h1")).to_have_text(RECORD_HEADINGS["cy"])
    finally:
        context.close()


@pytest.mark.database_independent
def test_switching_language_on_the_record_screen_keeps_the_screen_and_what_was_typed(live_server, browser, example):
    context = browser.new_context()
    try:
        page = context.new_page()
        open_app(page, live_server, example.officer.email)
        page.goto(f"{live_server}/app#/record/{example.person.id}")
        page.check("input[name=type][value=lift_practical]")
        page.locator(".details__summary", has_text="Notes").click()  # not "with a colleague"
        page.fill("#notes", "Lift home to Llanidloes; talked about housing.")
        page.click("a.language-switch")
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        expect(page).to_have_url(re.compile(rf"/app#/record/{example.person.id}$"))
        expect(page.locator("#notes")).to_be_visible()
        expect(page.locator("#notes")).to_have_value("Lift home to Llanidloes; talked about housing.")
        expect(page.locator("input[name=type][value=lift_practical]")).to_be_checked()
    finally:
        context.close()
