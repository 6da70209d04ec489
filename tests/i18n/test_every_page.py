"""Every page, rendered for a Welsh reader and an English reader, differs wherever words are shown.

The routes come from ``app.url_map``, so a page added anywhere is checked without
anyone adding it here. A route this test cannot render fails it, with what to add.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import abort

from app import scoping
from app.extensions import db
from app.models import Language, User
from tests import factories
from tests.conftest import sign_in
from tests.i18n.visible import read, stray_english_words, untranslated, welsh_vocabulary

NOW = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)

# Endpoints with no page of their own, each with the reason. Keep it short.
NOT_PAGES = {
    "static": "files served as they are; the phone app's screens are checked in the browser",
    "main.switch_language": "redirects back to the page the switch was followed from",
}

# How to fill each URL argument from the example data below. A route with an argument
# that is not here fails the test: add the argument (and, if needed, the example row).
ROUTE_ARGUMENTS = {
    "person_id": lambda data: data.person.id,
    "contact_id": lambda data: data.contact.id,
    "user_id": lambda data: data.officer.id,
    "team_id": lambda data: data.team.id,
    "review_id": lambda data: data.review.id,
    "pause_id": lambda data: data.pause.id,
    "code": lambda data: "cy",
}

# The roles tried, in order, for a page that needs signing in: the first that may see it.
ROLES = ("officer", "supervisor", "admin")


@dataclass
class ExampleData:
    team: object
    officer: object
    supervisor: object
    admin: object
    person: object
    contact: object
    review: object
    pause: object
    words: frozenset[str]


@pytest.fixture
def example(app):
    """A small team with one of almost everything, so that pages show as many words as they can."""
    app.config["FIXED_NOW"] = NOW
    team = factories.team("Powys IOM", community_safety_partnership="Powys Community Safety Partnership")
    officer = factories.user(team, "gareth.hughes@powys.example", name="Gareth Hughes")
    supervisor = factories.user(team, "catrin.ffowc@powys.example", role="supervisor", name="Catrin Ffowc")
    admin = factories.user(team, "aled.price@powys.example", role="admin", name="Aled Price")
    person = factories.person(team, "Rhys Evans", rag="red", offender_manager=officer, wisdom=True, mappa=True,
                              y2a=True, y2a_minimum_ends=date(2026, 12, 7), delius_crn="X123456",
                              niche_ref="PNC 26/123456A")
    other = factories.person(team, "Lowri Evans", category="flex", rag="green")
    factories.person(team, "Llew Jones", category="free", rag="amber", joined_on=date(2026, 11, 24))
    contact = None
    for index, (kind, outcome) in enumerate([
        ("home_visit", "kept"), ("phone", "did_not_attend"), ("public_place", "not_at_home"),
        ("office", "refused"), ("welfare_help", "kept"), ("lift_practical", "kept"), ("activity", "kept"),
        ("partner_agency", "kept"), ("video_online", "kept"),
    ]):
        made = factories.contact(person, officer, occurred_at=NOW - timedelta(days=1, hours=index), type=kind,
                                 outcome=outcome, duration_minutes=30, pathways=["accommodation", "health"])
        contact = contact or made
    void = factories.contact(other, supervisor, occurred_at=NOW - timedelta(days=2))
    void.voided = True
    void.void_reason = "Duplicate"
    db.session.commit()
    review = factories.review(person, date(2026, 11, 2), 2, reviewer_id=supervisor.id,
                              next_review_due=date(2027, 2, 1))
    pause = factories.pause(other, date(2026, 10, 1), date(2026, 10, 20), reason="hospital")
    # Data is shown as it was typed, in whichever language it was typed in.
    words = frozenset({
        team.name, team.force_area, team.community_safety_partnership, "Powys", "Dyfed-Powys",
        *(user.name for user in (officer, supervisor, admin)), *(user.email for user in (officer, supervisor, admin)),
        "Rhys Evans", "Lowri Evans", "Llew Jones", "X123456", "PNC 26/123456A", "Reasoning.", "Duplicate",
    })
    return ExampleData(team, officer, supervisor, admin, person, contact, review, pause, words)


@dataclass
class Rendering:
    status: int
    mimetype: str
    body: str


def _page_rules(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" in rule.methods and rule.endpoint not in NOT_PAGES:
            yield rule


def _url(app, rule, data) -> str:
    missing = [name for name in rule.arguments - set(rule.defaults or {}) if name not in ROUTE_ARGUMENTS]
    if missing:
        raise LookupError(
            f"{rule.rule} ({rule.endpoint}) needs {', '.join(sorted(missing))}: add an example to "
            "ROUTE_ARGUMENTS in tests/i18n/test_every_page.py (or, if it is not a page, to NOT_PAGES with why)"
        )
    values = {name: ROUTE_ARGUMENTS[name](data) for name in rule.arguments - set(rule.defaults or {})}
    return app.url_map.bind("localhost").build(rule.endpoint, values, method="GET")


def _set_language(user, language: str) -> None:
    row = db.session.get(User, user.id, execution_options=scoping.UNSCOPED)
    row.language = Language(language)
    db.session.commit()


def _signed_out(app, url: str, language: str) -> Rendering:
    client = app.test_client()
    client.set_cookie("lang", language)
    return _render(client, url)


def _signed_in(app, user, url: str, language: str) -> Rendering:
    _set_language(user, language)
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    return _render(client, url)


def _render(client, url: str) -> Rendering:
    response = client.get(url, headers={"Accept": "text/html,application/json;q=0.9,*/*;q=0.8"})
    return Rendering(response.status_code, response.mimetype, response.get_data(as_text=True))


def _both_languages(app, rule, url, data):
    """The page in Welsh and in English, signed out if it can be seen so, else as the first role allowed."""
    welsh = _signed_out(app, url, "cy")
    if welsh.status == 200:
        return "signed out", welsh, _signed_out(app, url, "en")
    for role in ROLES:
        user = getattr(data, role)
        welsh = _signed_in(app, user, url, "cy")
        if welsh.status == 200:
            english = _signed_in(app, user, url, "en")
            _set_language(user, "en")
            return role, welsh, english
    raise LookupError(
        f"{url} ({rule.endpoint}) answered {welsh.status} to every role: give it example data in "
        "tests/i18n/test_every_page.py, or list it in NOT_PAGES with why it is not a page"
    )


def check_html(where: str, url: str, welsh: Rendering, english: Rendering, allowed) -> list[str]:
    problems = []
    welsh_page, english_page = read(welsh.body), read(english.body)
    if welsh_page.language != "cy":
        problems.append(f"{where}: <html lang> is {welsh_page.language!r} on the Welsh page")
    if english_page.language != "en":
        problems.append(f"{where}: <html lang> is {english_page.language!r} on the English page")
    problems += [f"{where}: {problem}" for problem in switch_problems(welsh_page, "en", url)]
    problems += [f"{where}: {problem}" for problem in switch_problems(english_page, "cy", url)]
    problems += [f"{where}: the Welsh page shows {text!r} as the English page does"
                 for text in untranslated(welsh_page.texts, english_page.texts, allowed)]
    problems += [f"{where}: English words in the Welsh page's {text!r}"
                 for text in stray_english_words(welsh_page.texts, english_page.texts, welsh_vocabulary(allowed))]
    return problems


SWITCH_NAMES = {"cy": "Cymraeg", "en": "English"}


def switch_problems(page, target: str, url: str | None) -> list[str]:
    """The GOV.UK-style switch: one link, in the other language, marked with its language, back here."""
    if len(page.switches) != 1:
        return [f"expected one language switch, found {len(page.switches)}"]
    switch = page.switches[0]
    problems = []
    if (switch.get("lang"), switch.get("hreflang"), switch["text"]) != (target, target, SWITCH_NAMES[target]):
        problems.append(f"the switch should read {SWITCH_NAMES[target]!r} with lang and hreflang {target!r}: {switch}")
    link = urlsplit(switch.get("href", ""))
    if link.path != f"/language/{target}":
        problems.append(f"the switch goes to {switch.get('href')!r}")
    elif url is not None and parse_qs(link.query).get("next", [None])[0] != url:
        problems.append(f"the switch does not come back to {url!r}: {switch.get('href')!r}")
    return problems


def check_manifest(where, welsh: Rendering, english: Rendering) -> list[str]:
    welsh_manifest, english_manifest = json.loads(welsh.body), json.loads(english.body)
    problems = []
    if welsh_manifest.get("lang", "").split("-")[0] != "cy":
        problems.append(f"{where}: the Welsh manifest's lang is {welsh_manifest.get('lang')!r}")
    for key in ("name", "short_name", "description"):
        if key in english_manifest and welsh_manifest.get(key) == english_manifest[key] and key != "short_name":
            problems.append(f"{where}: the manifest's {key} is the same in Welsh")
    return problems


def check_csv(where, welsh: Rendering, english: Rendering, allowed) -> list[str]:
    welsh_headers = next(csv.reader(io.StringIO(welsh.body.lstrip("\ufeff"))), [])
    english_headers = next(csv.reader(io.StringIO(english.body.lstrip("\ufeff"))), [])
    return [f"{where}: the Welsh CSV has the column heading {text!r} as the English one does"
            for text in untranslated(welsh_headers, english_headers, allowed)]


# Files that are code or pictures, not words: their words are checked where they are shown.
NOT_WORDS = ("text/javascript", "application/javascript", "text/css", "image/")


def test_every_page_is_in_welsh_for_a_welsh_reader(app, example):
    problems, checked = [], []
    for rule in _page_rules(app):
        try:
            url = _url(app, rule, example)
            who, welsh, english = _both_languages(app, rule, url, example)
        except LookupError as error:
            problems.append(str(error))
            continue
        where = f"{url} ({who})"
        checked.append(where)
        if welsh.mimetype == "text/html":
            problems += check_html(where, url, welsh, english, example.words)
        elif welsh.mimetype == "application/manifest+json" or rule.endpoint.endswith("manifest"):
            problems += check_manifest(where, welsh, english)
        elif welsh.mimetype == "text/csv":
            problems += check_csv(where, welsh, english, example.words)
        elif welsh.mimetype == "application/json" or welsh.mimetype.startswith(NOT_WORDS):
            continue  # data (API) or code; API messages are checked in test_api_messages.py
        else:
            problems.append(f"{where}: a {welsh.mimetype} response: teach this test how to read it")
    assert checked, "no page was checked"
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
        _set_language(user, language)
        assert sign_in(client, user.email).status_code == 302
    else:
        client.set_cookie("lang", language)
    pages = {status: client.get(f"/_i18n_test/error/{status}") for status in (400, 403, 404, 413, 429, 500)}
    pages["404 (no such page)"] = client.get("/no/such/page")
    pages["405 (GET on a POST-only address)"] = client.get("/logout")
    pages["400 (form without its CSRF token)"] = client.post("/login", data={"email": "a@b.example"})
    return pages


@pytest.mark.parametrize("signed_in_as", [None, "officer"], ids=["signed out", "signed in"])
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
