"""Every screen, in Welsh and in English, at 320 px wide: no axe-core violations, no sideways scrolling."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import (
    cut_network,
    indicator,
    open_app,
    put_in_outbox,
    record_for,
    set_pin,
    unlock,
    wait_for_outbox,
)

NARROW = {"width": 320, "height": 640}  # also what a 640 px wide screen shows at 200% zoom
AXE = Axe()
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
}

HEADINGS = {
    "en": {"home": "This week", "record": "Record a contact", "outbox": "Waiting to send", "sign_out": "Sign out",
           "start": "Sign in to start", "login": "Sign in", "kind": "Home visit", "save": "Save",
           "sign_out_keep": re.compile(r"^Sign out and delete \d+ records?$")},
    "cy": {"home": "Yr wythnos hon", "record": "Cofnodi cyswllt", "outbox": "Yn aros i'w anfon", "sign_out": "Allgofnodi",
           "start": "Mewngofnodi i ddechrau", "login": "Mewngofnodi", "kind": "Ymweliad cartref", "save": "Cadw",
           "sign_out_keep": re.compile(r"^Allgofnodi a dileu \d+ [cg]h?ofnod$")},
}


class Scanner:
    def __init__(self, page, language):
        self.page = page
        self.language = language
        self.problems: dict[str, str] = {}
        self.scanned: list[str] = []

    def __call__(self, name: str):
        page = self.page
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.lang") == self.language, name
        results = AXE.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            self.problems[name] = results.generate_report()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            self.problems[f"{name} (width)"] = f"scrolls sideways by {overflow}px at 320px wide"
        self.scanned.append(name)


@pytest.mark.database_independent
def test_a_deliberately_broken_page_is_flagged_so_the_scan_is_real(page, server):
    page.goto(server.url("/login"))
    page.evaluate("document.querySelector('#email').removeAttribute('id'); document.documentElement.removeAttribute('lang')")
    assert AXE.run(page, options=AXE_OPTIONS).violations_count > 0


@pytest.mark.database_independent
@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_screen_passes_an_accessibility_scan_in_both_languages(server, browser, new_context, team, other_team, language):
    words = HEADINGS[language]
    officer = factories.user(team, f"swyddog-{language}@powys.example", language=language)
    person = factories.person(team, "Rhys Evans")
    factories.person(team, "Llinos Owen", category="flex")
    elsewhere = factories.person(other_team, "Dylan Price")
    context = new_context()
    page = context.new_page()
    page.set_viewport_size(NARROW)
    scan = Scanner(page, language)

    page.goto(server.url(f"/language/{language}?next=/login"))
    expect(page.get_by_role("heading", name=words["login"], exact=True)).to_be_visible()
    scan("sign-in page")

    open_app(page, server, officer.email)
    expect(page.get_by_role("heading", name=words["home"])).to_be_visible()
    scan("app: this week")
    set_pin(page)  # the app reopened without signal below opens with it (static/js/lock.js)

    page.goto(server.url("/"))
    scan("web: caseload")
    page.goto(server.url(f"/people/{person.id}"))
    scan("web: person")
    page.goto(server.url(f"/contacts/new?person={person.id}"))
    scan("web: record form")
    page.get_by_role("button", name=words["save"], exact=True).click()
    expect(page.locator(".error-summary")).to_be_visible()
    scan("web: record form with errors")

    page.goto(server.url(f"/app#/record/{person.id}"))
    expect(page.get_by_role("heading", name=words["record"])).to_be_visible()
    scan("app: record a contact")
    page.get_by_role("button", name=words["save"], exact=True).click()
    expect(page.locator(".error-summary")).to_be_focused()
    scan("app: record a contact with errors")

    # One record the server refuses, one waiting while offline.
    put_in_outbox(page, officer.id, elsewhere.id, "Dylan Price")
    page.goto(server.url("/app#/outbox"))
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for_outbox(page, lambda rows: len(rows) == 1 and rows[0]["state"] == "attention")
    cut_network(context)
    page.goto(server.url("/app"))
    unlock(page)
    record_for(page, "Rhys Evans", kind=words["kind"], save=words["save"])
    expect(page.locator("[data-banner=offline]")).to_be_visible()
    scan("app: this week, offline, just saved")

    indicator(page).click()
    expect(page.locator(".outbox__item")).to_have_count(2)
    scan("app: waiting to send")
    page.locator(".outbox__item--attention").get_by_role("button").click()
    scan("app: waiting to send, confirming a deletion")
    page.locator(".outbox__item--attention").get_by_role("link").click()
    scan("app: correct and send again")

    page.goto(server.url("/app#/sign-out"))
    expect(page.get_by_role("heading", name=words["sign_out"])).to_be_visible()
    scan("app: sign out with records waiting")
    page.get_by_role("button", name=words["sign_out_keep"]).click()
    scan("app: sign out, confirming the deletion")
    context.close()

    fresh = new_context()
    page = fresh.new_page()
    page.set_viewport_size(NARROW)
    scan.page = page
    page.goto(server.url(f"/language/{language}?next=/app"))
    expect(page.get_by_role("heading", name=words["start"])).to_be_visible()
    scan("app: sign in to start")

    assert scan.problems == {}, "\n\n".join(f"== {name}\n{report}" for name, report in scan.problems.items())
    assert len(scan.scanned) == 15
