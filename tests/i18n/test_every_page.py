"""Every page, rendered for a Welsh reader and an English reader, differs wherever words are shown.

The routes come from ``app.url_map``, so a page added anywhere is checked without
anyone adding it here. A route this test cannot render fails it, with what to add.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import abort

from tests.conftest import sign_in
from tests.i18n.example import (
    MIMETYPES, NOT_HTML, NOT_PAGES, SWITCH_GOES_BACK_TO, build_example, example_urls, kind_of, page_rules, set_language,
    who_can_see,
)
from tests.i18n.visible import (
    abbreviated_date_problems, language_neutral, read, stray_english_words, untranslated, welsh_date_problems,
    welsh_vocabulary,
)


@pytest.fixture
def example(app):
    return build_example(app)


@dataclass
class Rendering:
    status: int
    mimetype: str
    body: str


def _signed_out(app, url: str, language: str) -> Rendering:
    client = app.test_client()
    client.set_cookie("lang", language)
    return _render(client, url)


def _signed_in(app, user, url: str, language: str) -> Rendering:
    set_language(user, language)
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    return _render(client, url)


def _render(client, url: str) -> Rendering:
    response = client.get(url, headers={"Accept": "text/html,application/json;q=0.9,*/*;q=0.8"})
    return Rendering(response.status_code, response.mimetype, response.get_data(as_text=True))


def _both_languages(app, rule, urls, data):
    """The page in Welsh and in English, signed out if it can be seen so, else as the first role allowed."""
    role = who_can_see(app, rule, urls["cy"], data)
    if role is None:
        return "signed out", _signed_out(app, urls["cy"], "cy"), _signed_out(app, urls["en"], "en")
    user = getattr(data, role)
    welsh, english = _signed_in(app, user, urls["cy"], "cy"), _signed_in(app, user, urls["en"], "en")
    set_language(user, "en")
    return role, welsh, english


def check_html(where: str, urls, welsh: Rendering, english: Rendering, allowed, switch_back=None) -> list[str]:
    """``urls`` is the page's address (or {"cy": ..., "en": ...} where the address names the language);
    ``switch_back`` is where its language switch should go back to, if not the page itself."""
    urls = urls if isinstance(urls, dict) else {"cy": urls, "en": urls}
    if switch_back:
        urls = {"cy": switch_back, "en": switch_back}
    problems = []
    welsh_page, english_page = read(welsh.body), read(english.body)
    if welsh_page.language != "cy":
        problems.append(f"{where}: <html lang> is {welsh_page.language!r} on the Welsh page")
    if english_page.language != "en":
        problems.append(f"{where}: <html lang> is {english_page.language!r} on the English page")
    problems += [f"{where}: {problem}" for problem in switch_problems(welsh_page, "en", urls["cy"])]
    problems += [f"{where}: {problem}" for problem in switch_problems(english_page, "cy", urls["en"])]
    same = untranslated(welsh_page.texts, english_page.texts, allowed)
    problems += [f"{where}: the Welsh page shows {text!r} as the English page does" for text in same]
    problems += [f"{where}: {problem}" for problem in welsh_date_problems(welsh_page.texts)]
    problems += [f"{where} (cy): {problem}" for problem in abbreviated_date_problems(welsh_page.texts, "cy")]
    problems += [f"{where} (en): {problem}" for problem in abbreviated_date_problems(english_page.texts, "en")]
    problems += [f"{where}: English words in the Welsh page's {text!r}"
                 for text in stray_english_words(welsh_page.texts, english_page.texts, welsh_vocabulary(allowed))
                 if text not in same]
    return problems


SWITCH_NAMES = {"cy": "Cymraeg", "en": "English"}
# HMRC's hidden text, in the language the switch goes to (A1 in the Welsh review).
SWITCH_HINTS = {"cy": "Newid yr iaith i'r Gymraeg", "en": "Change the language to English"}


def switch_problems(page, target: str, url: str | None) -> list[str]:
    """The GOV.UK-style switch: one link, in the other language, marked with its language, back here."""
    if len(page.switches) != 1:
        return [f"expected one language switch, found {len(page.switches)}"]
    switch = page.switches[0]
    problems = []
    expected_text = f"{SWITCH_HINTS[target]} {SWITCH_NAMES[target]}"
    if (switch.get("lang"), switch.get("hreflang"), switch["text"]) != (target, target, expected_text):
        problems.append(f"the switch should read {expected_text!r} with lang and hreflang {target!r}: {switch}")
    link = urlsplit(switch.get("href", ""))
    if link.path != f"/language/{target}":
        problems.append(f"the switch goes to {switch.get('href')!r}")
    elif url is not None and parse_qs(link.query).get("next", [None])[0] != url:
        problems.append(f"the switch does not come back to {url!r}: {switch.get('href')!r}")
    return problems


def check_manifest(where, welsh: Rendering, english: Rendering) -> list[str]:
    """The web app manifest: its lang, and its name, short name and description in Welsh."""
    welsh_manifest, english_manifest = json.loads(welsh.body), json.loads(english.body)
    problems = []
    for manifest, language in ((welsh_manifest, "cy"), (english_manifest, "en")):
        if manifest.get("lang", "").split("-")[0] != language:
            problems.append(f"{where}: the {language} manifest's lang is {manifest.get('lang')!r}")
    for key in ("name", "short_name", "description"):
        same = welsh_manifest.get(key) == english_manifest.get(key)
        if key in english_manifest and same and not language_neutral(english_manifest[key]):
            problems.append(f"{where}: the manifest's {key} is the same in Welsh: {english_manifest[key]!r}")
    for welsh_shortcut, english_shortcut in zip(welsh_manifest.get("shortcuts", []),
                                                english_manifest.get("shortcuts", [])):
        for key in ("name", "short_name", "description"):
            if key in english_shortcut and welsh_shortcut.get(key) == english_shortcut[key] \
                    and not language_neutral(english_shortcut[key]):
                problems.append(f"{where}: a shortcut's {key} is the same in Welsh: {english_shortcut[key]!r}")
    return problems


def check_csv(where, welsh: Rendering, english: Rendering, allowed) -> list[str]:
    welsh_headers = next(csv.reader(io.StringIO(welsh.body.lstrip("\ufeff"))), [])
    english_headers = next(csv.reader(io.StringIO(english.body.lstrip("\ufeff"))), [])
    return [f"{where}: the Welsh CSV has the column heading {text!r} as the English one does"
            for text in untranslated(welsh_headers, english_headers, allowed)]


def check_rendering(where, rule, urls, welsh, english, allowed) -> list[str]:
    """The checks for the route's kind (NOT_HTML), once its answers are seen to be of that kind."""
    kind = kind_of(rule)
    wrong = [rendering.mimetype for rendering in (welsh, english) if rendering.mimetype not in MIMETYPES[kind]]
    if wrong:
        hint = "" if rule.endpoint in NOT_HTML else ": if it is not a page, add it to NOT_HTML in tests/i18n/example.py"
        return [f"{where}: expected {kind} ({', '.join(MIMETYPES[kind])}), got {wrong[0]}{hint}"]
    if kind == "html":
        return check_html(where, urls, welsh, english, allowed, SWITCH_GOES_BACK_TO.get(rule.endpoint))
    if kind == "manifest":
        return check_manifest(where, welsh, english)
    if kind == "csv":
        return check_csv(where, welsh, english, allowed)
    return []  # json (API messages: test_api_messages.py) and code: no words for a reader


def test_the_list_of_answers_that_are_not_pages_names_only_real_routes(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    assert set(NOT_HTML) - endpoints == set(), "NOT_HTML in tests/i18n/example.py names routes that do not exist"
    assert set(NOT_PAGES) - endpoints == set(), "NOT_PAGES in tests/i18n/example.py names routes that do not exist"
    assert set(NOT_HTML.values()) <= set(MIMETYPES) - {"html"}


@pytest.mark.slow
def test_every_page_is_in_welsh_for_a_welsh_reader(app, example):
    problems, checked = [], {kind: [] for kind in MIMETYPES}
    for rule in page_rules(app):
        try:
            addresses = {language: example_urls(app, rule, example, language) for language in ("cy", "en")}
        except LookupError as error:
            problems.append(str(error))
            continue
        for urls in ({"cy": welsh, "en": english} for welsh, english in zip(addresses["cy"], addresses["en"])):
            try:
                who, welsh, english = _both_languages(app, rule, urls, example)
            except LookupError as error:
                problems.append(str(error))
                continue
            where = f"{urls['cy']} ({who})"
            checked[kind_of(rule)].append(where)
            problems += check_rendering(where, rule, urls, welsh, english, example.words)
    assert all(checked.values()), f"no answer of some kind was checked: {checked}"
    assert problems == [], "\n".join(problems)


# ---- error pages -------------------------------------------------------------------------

ERROR_TRIGGER = "/_i18n_test/error/<int:status>"


@pytest.fixture
def app_with_errors(app):
    """The app with one extra route that fails with the status asked for (added before any request)."""

    def fail(status: int):
        if status == 500:
            raise RuntimeError("a deliberate failure")
        abort(status)

    app.add_url_rule(ERROR_TRIGGER, "i18n_test_error", fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def _error_renderings(app, user, language):
    """Every error page, as a reader in ``language`` meets it (signed in when a user is given)."""
    client = app.test_client()
    if user is not None:
        set_language(user, language)
        assert sign_in(client, user.email).status_code == 302
    else:
        client.set_cookie("lang", language)
    pages = {status: client.get(f"/_i18n_test/error/{status}") for status in (400, 403, 404, 413, 429, 500)}
    pages["404 (no such page)"] = client.get("/no/such/page")
    pages["405 (GET on a POST-only address)"] = client.get("/logout")
    pages["400 (form without its CSRF token)"] = client.post("/login", data={"email": "a@b.example"})
    return pages


@pytest.mark.parametrize("signed_in_as", [None, "officer"], ids=["signed out", "signed in"])
@pytest.mark.own_app
def test_every_error_page_is_in_welsh_with_a_language_switch(app_with_errors, example, signed_in_as):
    user = getattr(example, signed_in_as) if signed_in_as else None
    welsh_pages = _error_renderings(app_with_errors, user, "cy")
    english_pages = _error_renderings(app_with_errors, user, "en")
    problems = []
    for which, welsh in welsh_pages.items():
        english = english_pages[which]
        expected = int(str(which)[:3])
        if signed_in_as is None and which == "405 (GET on a POST-only address)":
            expected = welsh.status_code  # /logout may send a signed-out reader to sign in first
        assert welsh.status_code == expected and english.status_code == welsh.status_code, which
        if welsh.status_code >= 400:
            path = urlsplit(welsh.request.url).path
            problems += check_html(str(which), path, _rendering(welsh), _rendering(english), example.words)
    assert problems == [], "\n".join(problems)


def _rendering(response) -> Rendering:
    return Rendering(response.status_code, response.mimetype, response.get_data(as_text=True))
