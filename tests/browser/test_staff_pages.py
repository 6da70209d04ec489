"""The staff, account and team-settings screens, in Welsh and in English, at 320 px wide:
no axe-core violations, no sideways scrolling; and the one-time link works in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import NARROW, Scanner

WORDS = {
    "en": {"add": "Add the account and make a link", "set": "Set your password", "sign_in": "Sign in"},
    "cy": {"add": "Ychwanegu'r cyfrif a gwneud dolen", "set": "Gosod eich cyfrinair", "sign_in": "Mewngofnodi"},
}


@pytest.mark.database_independent
@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_staff_and_account_screens_pass_an_accessibility_scan(server, new_context, team, language):
    words = WORDS[language]
    admin = factories.user(team, f"gweinyddwr-{language}@powys.example", role="admin", language=language)
    context = new_context()
    page = context.new_page()
    page.set_viewport_size(NARROW)
    scan = Scanner(page, language)
    sign_in(page, server, admin.email, next_path="/account")
    scan("own page")
    page.goto(server.url("/staff"))
    scan("staff list")
    page.goto(server.url("/staff/new"))
    scan("add an account")
    page.get_by_role("button", name=words["add"]).click()
    expect(page.locator(".error-summary")).to_be_visible()
    scan("add an account, with errors")
    page.fill("#name", "Elin Newydd")
    page.fill("#email", f"elin-{language}@powys.example")
    page.get_by_role("button", name=words["add"]).click()
    link = page.locator("#one-time-link").input_value()
    scan("the one-time link")
    page.goto(server.url("/supervision/team"))
    scan("team settings")
    page.goto(server.url("/supervision/teams/new"))
    scan("create a team")
    context.close()

    invited = new_context()
    page = invited.new_page()
    page.set_viewport_size(NARROW)
    scan.page = page
    page.goto(server.url(f"/language/{language}?next=/login"))
    page.goto(link)
    scan("set a password")
    page.fill("#password", "ceffyl cywir batri styffylwr")
    page.fill("#confirm", "ceffyl cywir batri styffylwr")
    page.get_by_role("button", name=words["set"]).click()
    expect(page.get_by_role("heading", name=words["sign_in"], exact=True)).to_be_visible()
    page.goto(link)
    scan("a used link")
    invited.close()

    assert scan.problems == {}, "\n\n".join(f"== {name}\n{report}" for name, report in scan.problems.items())
    assert len(scan.scanned) == 9
