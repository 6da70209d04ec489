"""Every page as the real browser shows it, after its JavaScript has run, in Welsh and English.

The server-side check (tests/i18n/test_every_page.py) sees the HTML as sent; this one
sees what scripts add or change (the phone app's screens, messages, counts).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests import factories
from tests.i18n.catalogues import WELSH_PLURAL_CATEGORIES, welsh_plural_index
from tests.i18n.example import (
    ROLES, SWITCH_GOES_BACK_TO, build_example, example_url, kind_of, page_rules, set_language, who_can_see,
)
from tests.i18n.test_every_page import Rendering, check_html


def sign_in_through_the_form(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def shown(page, url: str) -> Rendering:
    # The phone app draws its screens from what it fetches: wait until the network settles. The
    # server's pages are whole when loaded (their scripts fetch nothing), and waiting for the
    # network to settle would cost half a second a page.
    drawn_by_script = urlsplit(url).path.startswith("/app")
    response = page.goto(url, wait_until="networkidle" if drawn_by_script else "load")
    return Rendering(response.status if response else 0, "text/html", page.content())


@pytest.mark.database_independent
def test_every_page_the_browser_shows_is_in_welsh(app, live_server, browser):
    """Each HTML page (every route not listed in NOT_HTML), seen by the first role allowed, in each
    language; one browser context per role and language, signed in once."""
    example = build_example(app)
    problems, pages = [], []
    for rule in page_rules(app):
        if kind_of(rule) != "html":
            continue  # listed in NOT_HTML: read on the server side (tests/i18n/test_every_page.py)
        try:
            urls = {language: example_url(app, rule, example, language) for language in ("cy", "en")}
            pages.append((rule, urls, who_can_see(app, rule, urls["cy"], example)))
        except LookupError as error:
            problems.append(str(error))
    renderings = {}
    for language in ("cy", "en"):
        for role in ROLES:
            set_language(getattr(example, role), language)
        contexts = {}
        try:
            for rule, urls, role in pages:
                if role not in contexts:
                    context = browser.new_context(service_workers="block")
                    contexts[role] = context
                    if role is None:
                        context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
                        context.new_page()
                    else:
                        sign_in_through_the_form(context.new_page(), live_server, getattr(example, role).email)
                page = contexts[role].pages[0]
                rendering = shown(page, live_server + urls[language])
                content_type = page.evaluate("document.contentType") or ""
                if "html" not in content_type:
                    problems.append(f"{urls[language]}: the browser shows {content_type!r}, not an HTML page: "
                                    "if it is not a page, add it to NOT_HTML in tests/i18n/example.py")
                else:
                    renderings[rule.endpoint, language] = rendering
        finally:
            for context in contexts.values():
                context.close()
    for role in ROLES:
        set_language(getattr(example, role), "en")
    checked = []
    for rule, urls, _role in pages:
        if (rule.endpoint, "cy") in renderings and (rule.endpoint, "en") in renderings:
            checked.append(urls["cy"])
            problems += check_html(f"{urls['cy']} in the browser", urls, renderings[rule.endpoint, "cy"],
                                   renderings[rule.endpoint, "en"], example.words,
                                   SWITCH_GOES_BACK_TO.get(rule.endpoint))
    assert checked
    assert problems == [], "\n".join(problems)


@pytest.mark.database_independent
def test_the_browsers_welsh_plural_rules_pick_the_catalogues_form(page):
    """Intl.PluralRules('cy') (the phone app's counts) and the .po's six forms agree, for a count
    of each form and the first counts past them (checked in the browser's own blank page)."""
    counts = [0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 20, 100]
    categories = page.evaluate("counts => counts.map((n) => new Intl.PluralRules('cy').select(n))", counts)
    expected = [WELSH_PLURAL_CATEGORIES[welsh_plural_index(count)] for count in counts]
    assert dict(zip(counts, categories, strict=True)) == dict(zip(counts, expected, strict=True))
