"""Every page as the real browser shows it, after its JavaScript has run, in Welsh and English.

The server-side check (tests/i18n/test_every_page.py) sees the HTML as sent; this one
sees what scripts add or change (the phone app's screens, messages, counts).
"""

from __future__ import annotations

import pytest

from tests import factories
from tests.i18n.catalogues import WELSH_PLURAL_CATEGORIES, welsh_plural_index
from tests.i18n.example import SWITCH_GOES_BACK_TO, build_example, example_url, page_rules, set_language, who_can_see
from tests.i18n.test_every_page import Rendering, check_html


def sign_in_through_the_form(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def shown(page, url: str) -> Rendering:
    response = page.goto(url, wait_until="networkidle")
    return Rendering(response.status if response else 0, "text/html", page.content())


def test_every_page_the_browser_shows_is_in_welsh(app, live_server, browser):
    example = build_example(app)
    problems, checked = [], []
    for rule in page_rules(app):
        try:
            urls = {language: example_url(app, rule, example, language) for language in ("cy", "en")}
            role = who_can_see(app, rule, urls["cy"], example)
        except LookupError as error:
            problems.append(str(error))
            continue
        renderings = {}
        for language in ("cy", "en"):
            context = browser.new_context(service_workers="block")
            try:
                page = context.new_page()
                if role is None:
                    context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
                else:
                    user = getattr(example, role)
                    set_language(user, language)
                    sign_in_through_the_form(page, live_server, user.email)
                rendering = shown(page, live_server + urls[language])
                if "html" not in (page.evaluate("document.contentType") or ""):
                    break
                renderings[language] = rendering
            finally:
                context.close()
        if role is not None:
            set_language(getattr(example, role), "en")
        if len(renderings) == 2:
            checked.append(urls["cy"])
            problems += check_html(f"{urls['cy']} in the browser", urls, renderings["cy"], renderings["en"],
                                   example.words, SWITCH_GOES_BACK_TO.get(rule.endpoint))
    assert checked
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("count", [0, 1, 2, 3, 6, 7, 11])
def test_the_browsers_welsh_plural_rules_pick_the_catalogues_form(live_server, page, count):
    """Intl.PluralRules('cy') (the phone app's counts) and the .po's six forms agree."""
    page.goto(f"{live_server}/login")
    category = page.evaluate("n => new Intl.PluralRules('cy').select(n)", count)
    assert category == WELSH_PLURAL_CATEGORIES[welsh_plural_index(count)]
