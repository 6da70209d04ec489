"""The API's messages are in the reader's language: by their profile once signed in, else by
Accept-Language. Every /api route is asked wrongly (signed out, then with an empty body) and
the messages in its JSON answers are compared between Welsh and English."""

from __future__ import annotations

import re

import pytest

from tests.conftest import CSRF_FIELD, sign_in
from tests.i18n.example import ROUTE_ARGUMENTS, build_example, set_language
from tests.i18n.visible import language_neutral

# Keys whose string values are words for people (anything else in an answer is data).
MESSAGE_KEYS = frozenset({"message", "messages", "error", "errors", "detail", "details", "title", "description"})
# A machine-readable code ("not_found", "validation.failed") is the same in every language.
CODE = re.compile(r"^[a-z0-9]+(?:[_.\-][a-z0-9]+)*$")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# API addresses whose answers are not read by officers, each with the reason.
NOT_FOR_READERS = {
    "/api/v1/openapi.json": "the API's description for developers, in English like the code it documents",
}


def api_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")),
                  key=lambda rule: rule.rule)


def messages_in(value, under_message_key=False) -> list[str]:
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in messages_in(item, under_message_key or key in MESSAGE_KEYS)]
    if isinstance(value, list):
        return [text for item in value for text in messages_in(item, under_message_key)]
    if isinstance(value, str) and under_message_key and not CODE.match(value):
        return [value]
    return []


def _url(app, rule, data) -> str:
    arguments = rule.arguments - set(rule.defaults or {})
    missing = sorted(name for name in arguments if name not in ROUTE_ARGUMENTS)
    assert not missing, f"{rule.rule} needs {missing}: add them to ROUTE_ARGUMENTS in tests/i18n/example.py"
    values = {name: ROUTE_ARGUMENTS[name](data, "en") for name in arguments}
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def _ask(client, method, url, headers, body=None):
    response = client.open(url, method=method, headers=headers, json=body)
    return response.status_code, (response.get_json(silent=True) if response.is_json else None)


def _compare(where, welsh, english, allowed) -> list[str]:
    (welsh_status, welsh_json), (english_status, english_json) = welsh, english
    problems = []
    if welsh_status != english_status:
        problems.append(f"{where}: {welsh_status} in Welsh but {english_status} in English")
    english_texts = set(messages_in(english_json))
    for text in messages_in(welsh_json):
        if text in english_texts and not language_neutral(text, allowed):
            problems.append(f"{where}: the Welsh answer says {text!r} as the English one does")
    return problems


def test_api_messages_follow_accept_language_and_the_profile(app):
    rules = api_rules(app)
    assert rules, "no /api routes: the sync API is missing"
    data = build_example(app)
    problems, compared = [], 0
    for rule in rules:
        if rule.rule in NOT_FOR_READERS:
            continue
        url = _url(app, rule, data)
        for method in (method for method in METHODS if method in rule.methods):
            # Signed out: only Accept-Language says which language.
            welsh = _ask(app.test_client(), method, url, {"Accept-Language": "cy"})
            english = _ask(app.test_client(), method, url, {"Accept-Language": "en"})
            problems += _compare(f"{method} {url} signed out", welsh, english, data.words)
            compared += bool(messages_in(welsh[1]))
            # Signed in: the profile wins over a browser that says the other language.
            answers = {}
            for language, browser_says in (("cy", "en"), ("en", "cy")):
                set_language(data.officer, language)
                client = app.test_client()
                assert sign_in(client, data.officer.email).status_code == 302
                token = CSRF_FIELD.search(client.get("/").get_data(as_text=True))
                headers = {"Accept-Language": browser_says, "Accept": "application/json"}
                if token:
                    headers["X-CSRFToken"] = token.group(1)
                answers[language] = _ask(client, method, url, headers, {} if method != "GET" else None)
            set_language(data.officer, "en")
            problems += _compare(f"{method} {url} signed in", answers["cy"], answers["en"], data.words)
            compared += bool(messages_in(answers["cy"][1]))
    assert compared, "no API answer carried a message: teach MESSAGE_KEYS the API's shape"
    assert problems == [], "\n".join(problems)


def test_messages_are_found_in_the_shapes_an_api_answers_with():
    answer = {"error": "not_found", "message": "Nid oes cyswllt o'r fath.",
              "errors": {"occurred_at": ["Rhowch amser."]}, "data": {"name": "Rhys"}}
    assert messages_in(answer) == ["Nid oes cyswllt o'r fath.", "Rhowch amser."]


# Every field of a contact wrong at once, so that every field's message is produced.
EVERYTHING_WRONG = {
    "id": "not-a-uuid", "person_id": "someone", "type": "carrier_pigeon", "outcome": "maybe",
    "occurred_at": "yesterday", "recorded_at": "today", "duration_minutes": -5, "pathways": "health",
    "notes": 5, "sensitive": "yes", "concern": "no", "others_present": 7,
}


def _signed_in_api(app, user):
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    token = client.get("/api/v1/session").get_json()["csrf_token"]
    return client, token


@pytest.mark.parametrize("language", ["cy", "en"])
def test_every_message_about_a_refused_contact_is_from_the_readers_catalogue(app, language):
    """A Welsh officer's phone is told what is wrong with each field in Welsh, in whole sentences."""
    from tests.i18n.catalogues import messages, placeholder_pattern, strings

    assert any(rule.rule == "/api/v1/contacts/sync" for rule in app.url_map.iter_rules()), "no sync API"
    data = build_example(app)
    set_language(data.officer, language)
    client, token = _signed_in_api(app, data.officer)
    response = client.post("/api/v1/contacts/sync", headers={"X-CSRFToken": token},
                           json={"sent_at": "2026-11-25T12:00:00.000Z", "contacts": [EVERYTHING_WRONG]})
    [result] = response.get_json()["results"]
    assert result["status"] == "rejected"
    assert len(result["errors"]) >= 8, result["errors"]
    if language == "cy":
        known = [placeholder_pattern(text) for message in messages("cy") for text in strings(message)]
    else:
        known = [placeholder_pattern(text) for message in messages("cy") for text in (message.id if isinstance(
            message.id, tuple) else (message.id,))]
    unknown = {field: text for field, text in result["errors"].items()
               if not any(pattern.match(text) for pattern in known)}
    assert unknown == {}
