"""Switching language in a real browser keeps what the reader typed, and never their password."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories

# What the browser does by itself: the server's side is tested on both databases (pyproject's markers).
pytestmark = pytest.mark.database_independent


def test_switching_to_welsh_on_the_sign_in_page_keeps_the_email_but_not_the_password(live_server, page):
    page.goto(f"{live_server}/login")
    page.fill("#email", "gareth.hughes@powys.example")
    page.fill("#password", "a secret that must not be kept")
    page.click("a.language-switch")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("h1")).to_have_text("Mewngofnodi")
    expect(page.locator("#email")).to_have_value("gareth.hughes@powys.example")
    expect(page.locator("#password")).to_have_value("")
    stored = page.evaluate("JSON.stringify(Object.entries(sessionStorage))")
    assert "secret" not in stored and "gareth" not in stored, "the saved copy is deleted once restored"


def test_switching_back_to_english_keeps_it_too(live_server, page):
    page.goto(f"{live_server}/login")
    page.fill("#email", "lowri@powys.example")
    page.click("a.language-switch")
    expect(page.locator("#email")).to_have_value("lowri@powys.example")
    page.fill("#email", "lowri.evans@powys.example")
    page.click("a.language-switch")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#email")).to_have_value("lowri.evans@powys.example")


def test_what_was_typed_is_not_put_into_a_different_page(live_server, page):
    page.goto(f"{live_server}/login")
    page.fill("#email", "gareth.hughes@powys.example")
    page.click("a.language-switch")
    page.goto(f"{live_server}/login?next=/")
    expect(page.locator("#email")).to_have_value("")


def test_the_switch_works_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/login")
        page.click("a.language-switch")
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        expect(page.locator("h1")).to_have_text("Mewngofnodi")
    finally:
        context.close()


def test_a_signed_in_officers_switch_is_kept_on_their_profile(live_server, page, team):
    factories.user(team, "gareth.hughes@powys.example", name="Gareth Hughes")
    page.goto(f"{live_server}/login")
    page.fill("#email", "gareth.hughes@powys.example")
    page.fill("#password", factories.PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))
    page.click("a.language-switch")
    expect(page.locator("h1")).to_have_text("Yr wythnos hon")
    page.context.clear_cookies()
    page.goto(f"{live_server}/login")
    page.fill("#email", "gareth.hughes@powys.example")
    page.fill("#password", factories.PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("html")).to_have_attribute("lang", "cy")


LATE_FORM_PAGE = """{% extends "base.html" %}{% block title %}Test{% endblock %}
{% block content %}<div id="later"></div>
<script type="module" src="/_i18n_test/late-form.js"></script>{% endblock %}"""
LATE_FORM_SCRIPT = """setTimeout(() => {
  const form = document.createElement("form");
  const notes = document.createElement("textarea");
  notes.name = "notes"; notes.id = "notes";
  form.append(notes);
  document.getElementById("later").append(form);
}, 300);"""


def test_what_was_typed_into_a_form_drawn_by_script_comes_back_too(app, live_server, page):
    """The phone app draws its record form after the page has loaded: the copy waits for it."""
    from flask import Response, render_template_string

    app.add_url_rule("/_i18n_test/late-form", "i18n_test_late_form", lambda: render_template_string(LATE_FORM_PAGE))
    app.add_url_rule("/_i18n_test/late-form.js", "i18n_test_late_form_js",
                     lambda: Response(LATE_FORM_SCRIPT, mimetype="text/javascript"))
    page.goto(f"{live_server}/_i18n_test/late-form")
    page.fill("#notes", "Met at the café; lift home to Llanidloes.")
    page.click("a.language-switch")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("#notes")).to_have_value("Met at the café; lift home to Llanidloes.")
