"""Bad input to the sync API, generated: never a 5xx, always JSON, and every refusal — of the
whole request or of one contact or field — is a sentence of the app in the user's own language
(the profile's, whatever the phone's Accept-Language says)."""

from __future__ import annotations

import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.trust.conftest import speaks

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FIELDS = ("id", "person_id", "type", "outcome", "occurred_at", "recorded_at", "duration_minutes", "pathways",
          "notes", "sensitive", "concern", "others_present")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20) | st.sampled_from(["\x00", "kept", "home_visit", "2026-11-18T10:05:00.000Z", "x" * 600]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@st.composite
def contact_like(draw, person_id: int):
    """Something shaped like a contact, with some fields wrong or missing."""
    contact = {"id": str(draw(st.uuids())), "person_id": person_id, "type": "home_visit", "outcome": "kept",
               "occurred_at": "2026-11-18T10:05:00.000Z", "recorded_at": "2026-11-18T10:06:00.000+00:00"}
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=3, unique=True)):
        if draw(st.booleans()):
            contact[name] = draw(json_values)
        else:
            contact.pop(name, None)
    return contact


def bodies(person_id: int):
    return st.one_of(
        json_values,
        st.fixed_dictionaries({"contacts": st.lists(contact_like(person_id) | json_values, max_size=4)},
                              optional={"sent_at": json_values}),
        st.fixed_dictionaries({"ids": st.lists(st.uuids().map(str) | json_values, max_size=4)}),
        st.fixed_dictionaries({}, optional={"changes": st.dictionaries(st.sampled_from(FIELDS), json_values),
                                            "reason": json_values, "expected_sha256": json_values}),
    )


def sentences(payload) -> list[str]:
    """Every message meant for a person in an API answer."""
    found = []
    if isinstance(payload, dict):
        error = payload.get("error")
        if isinstance(error, dict):
            found.append(error.get("message"))
            found += list((error.get("errors") or {}).values())
        for result in payload.get("results") or []:
            found += list((result.get("errors") or {}).values())
    return found


def test_whatever_reaches_the_api_the_answer_is_json_without_5xx_in_the_users_language(app, team, signed_in):
    person = factories.person(team, "Rhys Evans")
    users = {
        "cy": factories.user(team, "cymraeg@powys.example", language="cy"),
        "en": factories.user(team, "english@powys.example", language="en"),
    }
    clients, tokens = {}, {}
    for language, user in users.items():
        clients[language] = signed_in(user, app.test_client())
        tokens[language] = clients[language].get("/api/v1/session").get_json()["csrf_token"]
    held = factories.contact(person, users["cy"]).id
    paths = st.sampled_from([
        "/api/v1/contacts/sync", "/api/v1/contacts/check", f"/api/v1/contacts/{held}/correction",
        f"/api/v1/contacts/{held}/void", f"/api/v1/contacts/{uuid.uuid4()}/correction",
        f"/api/v1/contacts/{held}", "/api/v1/caseload", "/api/v1/session", "/api/v1/nothing-here",
    ])

    @SETTINGS
    @given(
        language=st.sampled_from(["cy", "en"]),
        method=st.sampled_from(["POST"] * 8 + ["GET", "PUT"]),
        path=paths,
        body=bodies(person.id),
        raw=st.sampled_from([None] * 6 + [b"", b"{", b"\xff\xfe", b"[]", b"null", b'{"contacts": 5}']),
        content_type=st.sampled_from(["application/json"] * 6 + ["text/plain", None]),
        with_token=st.sampled_from([True] * 6 + [False]),
    )
    def check(language, method, path, body, raw, content_type, with_token):
        headers = {"Accept-Language": "en" if language == "cy" else "cy"}  # the profile must win
        if with_token:
            headers["X-CSRFToken"] = tokens[language]
        if content_type:
            headers["Content-Type"] = content_type
        data = raw if raw is not None else json.dumps(body).encode()
        response = clients[language].open(path, method=method, data=None if method == "GET" else data,
                                          headers=headers)
        assert response.status_code < 500, response.get_data(as_text=True)
        if response.status_code == 304:
            return
        assert response.mimetype == "application/json", (path, response.status_code)
        payload = response.get_json()
        if response.status_code >= 400:
            assert isinstance(payload.get("error"), dict) and payload["error"].get("code")
        for sentence in sentences(payload):
            assert isinstance(sentence, str) and speaks(language, sentence), (language, path, sentence)

    check()


def test_each_refused_contact_in_a_batch_is_explained_in_the_users_language(app, team, signed_in):
    person = factories.person(team, "Rhys Evans")
    users = {"cy": factories.user(team, "cymraeg@powys.example", language="cy"),
             "en": factories.user(team, "english@powys.example", language="en")}
    clients, tokens = {}, {}
    for language, user in users.items():
        clients[language] = signed_in(user, app.test_client())
        tokens[language] = clients[language].get("/api/v1/session").get_json()["csrf_token"]
    explained = []

    @settings(max_examples=30, deadline=None)
    @given(language=st.sampled_from(["cy", "en"]),
           contacts=st.lists(contact_like(person.id) | contact_like(person.id + 1000), min_size=1, max_size=5))
    def check(language, contacts):
        response = clients[language].post("/api/v1/contacts/sync", json={"contacts": contacts},
                                           headers={"X-CSRFToken": tokens[language]})
        assert response.status_code == 200, response.get_data(as_text=True)
        for result in response.get_json()["results"]:
            for message in (result.get("errors") or {}).values():
                explained.append(message)
                assert speaks(language, message), (language, message)

    check()
    assert explained, "no contact was refused: the test checked nothing"
