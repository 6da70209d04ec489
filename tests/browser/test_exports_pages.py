"""The Delius and Niche export pages in a real browser, in Welsh and in English, at 320 px:
no axe-core violations, no sideways scrolling; a Niche block copies to the clipboard whole."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import NARROW, Scanner

WORDS = {
    "en": {"niche": "Niche (police): text to paste into each record", "range": "Every contact between two dates",
           "make": "Make the export", "copy": "Copy for Niche", "copied": "Copied", "reference": "Cyswllt reference:"},
    "cy": {"niche": "Niche (yr heddlu): testun i'w gludo i bob cofnod", "range": "Pob cyswllt rhwng dau ddyddiad",
           "make": "Gwneud yr allforio", "copy": "Copïo ar gyfer Niche", "copied": "Wedi'i gopïo",
           "reference": "Cyfeirnod Cyswllt:"},
}

# What the browser does by itself: the server's side is tested on both databases (pyproject's markers).
pytestmark = pytest.mark.database_independent


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_sergeant_makes_a_niche_export_and_copies_a_block(server, new_context, team, language):
    words = WORDS[language]
    sergeant = factories.user(team, f"rhingyll-{language}@powys.example", role="supervisor", language=language)
    officer = factories.user(team, f"pc-{language}@powys.example", name="PC Dai Jones")
    person = factories.person(team, "Siôn Ŵyn", niche_ref="22/123456A")
    factories.contact(person, officer, datetime.now(timezone.utc) - timedelta(hours=1), notes="Gwaith ar y tŷ.")
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_viewport_size(NARROW)
    scan = Scanner(page, language)
    sign_in(page, server, sergeant.email, next_path="/supervision/exports")
    scan("exports")
    page.get_by_label(words["niche"]).check()
    page.get_by_label(words["range"]).check()
    page.get_by_role("button", name=words["make"]).click()
    button = page.get_by_role("button", name=words["copy"])
    expect(button).to_be_visible()
    scan("a Niche export")
    button.click()
    expect(page.get_by_role("button", name=words["copied"])).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert words["reference"] in copied and "22/123456A" in copied and "Siôn Ŵyn" in copied
    assert "Gwaith ar y tŷ." in copied
    page.goto(server.url("/supervision/delius-codes"))
    scan("Delius codes")
    assert scan.problems == {}, "\n\n".join(f"== {name}\n{report}" for name, report in scan.problems.items())
