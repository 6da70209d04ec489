"""Never a server error, whatever is typed into an address, a query string or a form.

Hypothesis drives every route in ``app.url_map`` (so a route added later is covered without
editing this file): every GET with generated URL arguments and query strings, and every
POST with generated form fields and a valid CSRF token, signed in as each role and signed
out. The answer may refuse (400, 404, 405, 409, 413, 415), never fail (5xx). The nine inputs
an outside review found are kept as examples, so each is tried on every run, and each class
has a plain test of what the person sees.
"""

from __future__ import annotations

import json
import re
import uuid
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from werkzeug.routing import IntegerConverter, PathConverter, UUIDConverter

from app.extensions import db
from app.models import Contact, Language
from tests.trust.routes import all_rules, checked_methods, is_api
from tests.trust.test_access_matrix import Caller

ROLES = ("signed out", "officer", "supervisor", "admin")
BEYOND_64_BITS = 2**64 + 1
# Names the app reads from query strings, and a few it does not.
QUERY_NAMES = ("team", "week", "start", "end", "person", "manager", "category", "rag", "agency", "status",
               "sort", "type", "sensitive_notes", "next", "page", "x")
AWKWARD = (
    "", " ", "   ", "\t", "\u00a0", "0", "-1", "2", "14", "15", str(2**31), str(BEYOND_64_BITS), "9" * 40, "1e309",
    "0001-01-01", "9999-12-31", "1999-12-31", "2000-01-01", "2026-11-23", "2026-02-30", "2100-01-01", " 2026-11-23 ",
    "fixed", "flex", "free", "green", "amber", "red", "custody", "other", "face_to_face", "phone", "kept", "missed",
    "en", "cy", "status", "name", "1", "true", "on", "NaN", "Infinity", "null", "x" * 5000,
    "=1+2", "<script>", "../../etc", "//evil.example/", "ŵ ŷ", "12:30", "25:61",
)
# What a browser can send: any Unicode text but lone surrogates (those only come in JSON).
TEXT = st.characters(blacklist_categories=("Cs",))
VALUE = st.one_of(st.sampled_from(AWKWARD), st.integers(-(2**70), 2**70).map(str),
                  st.dates().map(lambda day: day.isoformat()), st.text(TEXT, max_size=40))
NAME_IN_FORM = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _path_value(converter, ids: dict, text: str | None, number: int | None, chosen_uuid: uuid.UUID):
    if isinstance(converter, IntegerConverter):
        return str(number)
    if isinstance(converter, UUIDConverter):
        return str(chosen_uuid)
    if isinstance(converter, PathConverter):
        return quote(text or "x", safe="/")
    return quote(text or "x", safe="")


def url_for_rule(rule, draw_value) -> str:
    """The rule's address with each argument filled by ``draw_value(converter)``."""

    def fill(match):
        name = match.group(2)
        return draw_value(rule._converters[name])

    return ARGUMENT.sub(fill, rule.rule)


@pytest.fixture
def callers(app, world):
    return {
        "signed out": Caller(app),
        "officer": Caller(app, world.officer),
        "supervisor": Caller(app, world.supervisor),
        "admin": Caller(app, world.admin),
    }


@pytest.fixture
def known_ids(world) -> dict:
    return {
        "numbers": sorted({world.own_person.id, world.other_person.id, world.own_pause.id, world.other_pause.id,
                           world.team.id, world.other_team.id, world.missing_int}),
        "uuids": [world.own_contact.id, world.other_contact.id, world.missing_uuid],
    }


def field_names(app, callers, rules, world) -> list[str]:
    """Every form field name on every page the roles can open: what the POSTs fill in.

    The pages are opened for the own team's person and pause (ids are not 1 on PostgreSQL,
    whose sequences a rolled-back test does not reset)."""
    ids = {"person_id": str(world.own_person.id), "pause_id": str(world.own_pause.id)}
    names = {"csrf_token"}
    for rule in rules:
        if "GET" not in rule.methods or rule.arguments - {"person_id", "pause_id"}:
            continue
        for caller in callers.values():
            response = caller.send("GET", url_for_rule(rule, lambda converter, rule=rule: _own_id(rule, converter, ids)), api=False)
            if response.mimetype == "text/html":
                names.update(NAME_IN_FORM.findall(response.get_data(as_text=True)))
    names.discard("csrf_token")
    return sorted(names)


def _own_id(rule, converter, ids) -> str:
    """The own team's record for the argument this converter belongs to."""
    for name, value in rule._converters.items():
        if value is converter:
            return ids.get(name, "1")
    return "1"


def paths(rules, ids):
    """A rule and its address, with real, missing and far too large ids."""
    numbers = st.one_of(st.sampled_from(ids["numbers"]), st.integers(0, 2**80))
    uuids = st.one_of(st.sampled_from(ids["uuids"]), st.uuids())
    texts = st.one_of(st.sampled_from(["en", "cy", "fr", "sw", "x.json"]), st.text(TEXT, min_size=1, max_size=20))

    @st.composite
    def build(draw):
        rule = draw(st.sampled_from(rules))
        url = url_for_rule(rule, lambda converter: _path_value(converter, ids, draw(texts), draw(numbers), draw(uuids)))
        return rule, url

    return build()


def send(caller, method: str, url: str, rule, data: dict):
    caller._ensure_state()
    headers = {"X-CSRFToken": caller.token, "Accept-Language": "cy"}
    if method == "GET":
        response = caller.client.get(url, headers=headers)
    elif is_api(rule):
        response = caller.client.open(url, method=method, json=data, headers=headers)
    else:
        response = caller.client.open(url, method=method, data={**data, "csrf_token": caller.token}, headers=headers)
    response.get_data()
    response.close()
    return response


@pytest.mark.slow
def test_no_address_or_query_string_gives_a_server_error(app, callers, known_ids):
    rules = [rule for rule in all_rules(app) if "GET" in rule.methods and rule.endpoint != "static"]

    @settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(route=paths(rules, known_ids), role=st.sampled_from(ROLES),
           query=st.dictionaries(st.sampled_from(QUERY_NAMES), VALUE, max_size=4))
    @example(route=("supervision.week_page", "/supervision/week"), role="supervisor", query={"week": "0001-01-01"})
    @example(route=("supervision.week_export", "/supervision/week.csv"), role="supervisor", query={"week": "0001-01-01"})
    @example(route=("supervision.wales_page", "/supervision/wales"), role="admin", query={"week": "0001-01-01"})
    @example(route=("supervision.week_page", "/supervision/week"), role="admin", query={"team": str(BEYOND_64_BITS)})
    @example(route=("people.person_page", f"/people/{BEYOND_64_BITS}"), role="officer", query={})
    def check(route, role, query):
        rule, url = route
        if isinstance(rule, str):  # an explicit example: find the rule by endpoint
            rule = next(candidate for candidate in rules if candidate.endpoint == rule)
        response = send(callers[role], "GET", url + ("?" + "&".join(f"{quote(k)}={quote(v, safe='')}"
                                                                    for k, v in query.items()) if query else ""),
                        rule, {})
        assert response.status_code < 500, f"GET {url} {query} as {role}: {response.status_code}"

    check()


@pytest.mark.slow
def test_no_form_sent_to_any_route_gives_a_server_error(app, callers, known_ids, world):
    every = all_rules(app)
    rules = [rule for rule in every if set(checked_methods(rule)) - {"GET"} and rule.endpoint != "static"]
    names = field_names(app, callers, every, world)
    assert {"start", "effective", "end", "reason"} <= set(names), "the form pages were not read"

    @settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(route=paths(rules, known_ids), role=st.sampled_from(ROLES), data=st.data(),
           fields=st.dictionaries(st.sampled_from(names), VALUE, max_size=8))
    def check(route, role, data, fields):
        rule, url = route
        method = data.draw(st.sampled_from(sorted(set(checked_methods(rule)) - {"GET"})))
        response = send(callers[role], method, url, rule, fields)
        assert response.status_code < 500, f"{method} {url} {fields} as {role}: {response.status_code}"

    check()


# --- each class the review found, as the person meets it -----------------------------------


def test_an_id_beyond_64_bits_is_not_found(app, callers, world):
    supervisor = callers["supervisor"]
    assert supervisor.send("GET", f"/people/{BEYOND_64_BITS}", api=False).status_code == 404
    assert supervisor.send("GET", f"/supervision/people/{world.own_person.id}/pauses/{BEYOND_64_BITS}/end",
                           api=False).status_code == 404
    assert callers["admin"].send("GET", f"/supervision/week?team={BEYOND_64_BITS}", api=False).status_code < 500


@pytest.mark.parametrize("path", ["/supervision/week", "/supervision/week.csv", "/supervision/wales"])
def test_a_week_far_outside_the_calendar_shows_this_week(callers, path):
    far = callers["admin"].send("GET", f"{path}?week=0001-01-01", api=False)
    this_week = callers["admin"].send("GET", path, api=False)
    assert far.status_code == this_week.status_code == 200
    def content(response):  # a page's own content (the header names the address asked for)
        text = response.get_data(as_text=True)
        main = re.search(r"<main.*?</main>", text, re.S)
        return main.group(0) if main else text

    assert content(far) == content(this_week)


@pytest.mark.parametrize("blank", [" ", "   ", "\t"])
def test_a_date_of_only_spaces_is_asked_for_again_in_welsh(app, callers, world, blank):
    supervisor = callers["supervisor"]
    supervisor.client.set_cookie("lang", "cy")
    pause = supervisor.client.post(f"/supervision/people/{world.own_person.id}/pause",
                                   data={"csrf_token": supervisor.token, "start": blank, "reason": "custody"},
                                   headers={"Accept-Language": "cy"})
    assert pause.status_code == 400
    team = supervisor.client.post("/supervision/team", data={"csrf_token": supervisor.token, "effective": blank,
                                                             "default_fixed": "3", "default_flex": "2",
                                                             "default_free": "1"})
    assert team.status_code == 400


def test_a_date_outside_the_calendar_is_refused_with_the_range(app, callers, world):
    supervisor = callers["supervisor"]
    page = supervisor.client.post(f"/supervision/people/{world.own_person.id}/pause",
                                  data={"csrf_token": supervisor.token, "start": "0001-01-01", "reason": "custody"},
                                  headers={"Accept-Language": "en"})
    assert page.status_code == 400
    assert "Enter a date from 2000-01-01 to 2099-12-31." in page.get_data(as_text=True)


def test_a_lone_surrogate_in_a_batch_is_refused_whole_in_welsh_and_nothing_is_stored(app, callers, world):
    officer = callers["officer"]
    world.officer.language = Language.WELSH  # the API answers in the profile's language
    db.session.commit()
    good = {"id": str(uuid.uuid4()), "person_id": world.own_person.id, "type": "face_to_face", "outcome": "kept",
            "occurred_at": "2026-11-23T10:00:00Z", "recorded_at": "2026-11-23T10:05:00Z"}
    body = ('{"contacts": [' + json.dumps(good)
            + ', {"id": "\\ud800", "person_id": 1}]}').encode()
    before = db.session.query(Contact).count()
    response = officer.client.post("/api/v1/contacts/sync", data=body, content_type="application/json",
                                   headers={"X-CSRFToken": officer.token, "Accept-Language": "cy"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "unencodable_text"
    assert response.get_json()["error"]["message"].startswith("Mae")
    db.session.expire_all()
    assert db.session.query(Contact).count() == before


def test_every_refused_method_says_which_methods_the_address_takes(callers):
    page = callers["officer"].client.delete("/")
    assert page.status_code == 405 and set(page.headers["Allow"].split(", ")) >= {"GET"}
    api = callers["officer"].client.put("/api/v1/caseload", headers={"X-CSRFToken": callers["officer"].token})
    assert api.status_code == 405 and "GET" in api.headers["Allow"]
    assert api.get_json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "   "])
def test_a_contact_dated_outside_the_calendar_or_with_a_blank_date_is_not_stored(app, callers, world, day):
    officer = callers["officer"]
    page = officer.client.post("/contacts/new", data={
        "csrf_token": officer.token, "contact_id": str(uuid.uuid4()), "person": str(world.own_person.id),
        "type": "home_visit", "outcome": "kept", "date": day, "time": "23:59"})
    assert page.status_code == 400
    expected = "Enter the date of the contact." if not day.strip() else "Enter a date from 2000-01-01 to 2099-12-31."
    assert expected in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.query(Contact).count() == 2  # the world's two


def test_a_properly_paired_escape_such_as_an_emoji_in_notes_is_stored(app, callers, world):
    from datetime import datetime, timezone

    app.config["FIXED_NOW"] = datetime(2026, 11, 18, 12, tzinfo=timezone.utc)
    officer = callers["officer"]
    made = "2026-11-18T11:50:00.000Z"
    record = {"id": str(uuid.uuid4()), "person_id": world.own_person.id, "type": "home_visit", "outcome": "kept",
              "occurred_at": made, "recorded_at": made, "notes": "Hwyl \\ud83d\\ude00"}
    body = '{"contacts": [' + json.dumps(record).replace("\\\\ud83d\\\\ude00", "\\ud83d\\ude00") + "]}"
    assert "\\ud83d\\ude00" in body
    response = officer.client.post("/api/v1/contacts/sync", data=body.encode(), content_type="application/json",
                                   headers={"X-CSRFToken": officer.token})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["results"][0]["status"] == "created"
    db.session.expire_all()
    assert db.session.query(Contact).filter(Contact.notes == "Hwyl \U0001F600").count() == 1
