"""The API is tested against its own documentation: real responses of every endpoint, every status
the document names, validated with jsonschema against the OpenAPI 3.1 (JSON Schema 2020-12) schemas."""

from __future__ import annotations

import uuid

from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy.exc import OperationalError

from tests import factories
from tests.api.conftest import contact_json

DOCUMENT = yaml.safe_load((Path(__file__).parents[2] / "app" / "api" / "openapi.yaml").read_text(encoding="utf-8"))
REGISTRY = Registry().with_resource("urn:cyswllt:openapi", Resource(contents=DOCUMENT, specification=DRAFT202012))
JSON_METHODS = ("get", "post", "put", "patch", "delete")


def resolve(node: dict) -> dict:
    while "$ref" in node:
        target = DOCUMENT
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def documented_statuses() -> set[tuple[str, str, str]]:
    return {
        (path, method, status)
        for path, item in DOCUMENT["paths"].items()
        for method, operation in item.items()
        if method in JSON_METHODS
        for status in operation["responses"]
        if status != "default"
    }


def check_against_document(path: str, method: str, response) -> None:
    responses = DOCUMENT["paths"][path][method]["responses"]
    status = str(response.status_code)
    assert status in responses or "default" in responses, f"{method.upper()} {path} {status} is not documented"
    documented = resolve(responses.get(status) or responses["default"])
    for header, definition in documented.get("headers", {}).items():
        if resolve(definition).get("required") is False:  # only when the request asked for it
            continue
        assert header in response.headers, f"{method.upper()} {path} {status} lacks the {header} header"
    if "content" not in documented:
        assert response.data == b""
        return
    assert response.mimetype == "application/json"
    schema = documented["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = {"$ref": "urn:cyswllt:openapi" + schema["$ref"]}
    validator = Draft202012Validator(schema, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(response.get_json()), key=lambda error: list(error.path))
    assert not errors, f"{method.upper()} {path} {status}: " + "; ".join(
        f"{list(error.path)}: {error.message}" for error in errors[:5]
    )


def test_every_schema_in_the_document_is_valid_json_schema_2020_12():
    assert DOCUMENT["openapi"].startswith("3.1")
    for schema in DOCUMENT["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_the_document_is_served_as_json_without_signing_in(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.get_json() == DOCUMENT


@pytest.fixture
def exercised(app, api, officer, supervisor, team, person, other_person, second_client, client, monkeypatch):
    """Produce every documented status of every endpoint with real requests."""
    seen: list[tuple[str, str, object]] = []

    def record(path, method, response):
        seen.append((path, method, response))
        return response

    signed_out = app.test_client()
    officer_client = api(officer)
    record("/api/v1/openapi.json", "get", signed_out.get("/api/v1/openapi.json"))

    # Session and caseload.
    record("/api/v1/session", "get", officer_client.get("/api/v1/session"))
    record("/api/v1/session", "get", signed_out.get("/api/v1/session"))
    record("/api/v1/caseload", "get", signed_out.get("/api/v1/caseload"))

    # Sync: every result status in one answer.
    good = contact_json(person.id, pathways=["health"], notes="Nodyn")
    officer_client.sync([good])
    batch = [
        contact_json(person.id),
        good,
        {**good, "outcome": "refused"},
        contact_json(other_person.id),
        "not an object",
        {"id": 7},
    ]
    record("/api/v1/contacts/sync", "post", officer_client.sync(batch))
    first = officer_client.get("/api/v1/caseload")
    record("/api/v1/caseload", "get", first)
    record("/api/v1/caseload", "get", officer_client.get("/api/v1/caseload", headers={"If-None-Match": first.headers["ETag"]}))

    posts = {
        "/api/v1/contacts/sync": {"contacts": []},
        "/api/v1/contacts/check": {"ids": []},
        "/api/v1/contacts/{contact_id}/correction": {"changes": {"type": "phone"}, "reason": "Typo"},
        "/api/v1/contacts/{contact_id}/void": {"reason": "Mistake"},
        "/api/v1/arrangements/sync": {"arrangements": []},
    }
    for template, body in posts.items():
        path = template.replace("{contact_id}", good["id"])
        record(template, "post", signed_out.post(path, json=body))
        record(template, "post", officer_client.client.post(path, json=body))  # no CSRF header
        record(template, "post", officer_client.post(path, data="{}", content_type="text/plain"))
        record(template, "post", officer_client.post(path, data=b"{", content_type="application/json"))
        app.config["MAX_CONTENT_LENGTH"] = 100
        record(template, "post", officer_client.post(path, json={"padding": "x" * 200, **body}))
        app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024

    record("/api/v1/contacts/check", "post", officer_client.post("/api/v1/contacts/check", json={"ids": [good["id"], "x"]}))

    # One contact: read, correct, conflict, void, voided, not found, forbidden, window closed.
    one = "/api/v1/contacts/{contact_id}"
    record(one, "get", officer_client.get(f"/api/v1/contacts/{good['id']}"))
    record(one, "get", officer_client.get(f"/api/v1/contacts/{contact_json(1)['id']}"))
    record(one, "get", signed_out.get(f"/api/v1/contacts/{good['id']}"))
    correction = one + "/correction"
    void = one + "/void"
    url = f"/api/v1/contacts/{good['id']}"
    record(correction, "post", officer_client.post(url + "/correction", json={"changes": {"type": "phone"}, "reason": "Typo"}))
    record(correction, "post", officer_client.post(url + "/correction", json={"changes": {"type": "x"}}))
    stale = {"changes": {"type": "office"}, "reason": "Typo", "expected_sha256": "0" * 64}
    record(correction, "post", officer_client.post(url + "/correction", json=stale))
    record(void, "post", officer_client.post(url + "/void", json={"reason": "Mistake", "expected_sha256": "0" * 64}))
    record(void, "post", officer_client.post(url + "/void", json={"reason": ""}))
    record(void, "post", officer_client.post(url + "/void", json={"reason": "Mistake"}))
    record(correction, "post", officer_client.post(url + "/correction", json={"changes": {"type": "office"}, "reason": "Typo"}))
    unknown = f"/api/v1/contacts/{contact_json(1)['id']}"
    record(correction, "post", officer_client.post(unknown + "/correction", json={"changes": {"type": "phone"}, "reason": "Typo"}))
    record(void, "post", officer_client.post(unknown + "/void", json={"reason": "Mistake"}))
    colleague = api(factories.user(team, "cydweithiwr@powys.example"), second_client)
    other = contact_json(person.id)
    officer_client.sync([other])
    other_url = f"/api/v1/contacts/{other['id']}"
    record(correction, "post", colleague.post(other_url + "/correction", json={"changes": {"type": "phone"}, "reason": "Typo"}))
    key = {"changes": {"type": "phone"}, "reason": "Typo", "idempotency_key": str(uuid.uuid4())}
    record(correction, "post", officer_client.post(other_url + "/correction", json=key))
    record(correction, "post", officer_client.post(other_url + "/correction", json=key))  # sent again: done once
    record(correction, "post", officer_client.post(url + "/correction", json=key))  # another contact's key
    record(void, "post", officer_client.post(url + "/void", json={"reason": "Mistake", "idempotency_key": key["idempotency_key"]}))
    discarded = "/api/v1/contacts/discarded"
    gone = {"id": str(uuid.uuid4()), "person_id": person.id, "type": "phone",
            "occurred_at": "2026-11-18T10:05:00.000Z", "reason": "Recorded twice"}
    record(discarded, "post", officer_client.post(discarded, json=gone))
    record(discarded, "post", officer_client.post(discarded, json=gone))
    record(discarded, "post", officer_client.post(discarded, json={**gone, "reason": ""}))
    record(discarded, "post", officer_client.post(discarded, json={**gone, "id": good["id"]}))
    record(discarded, "post", signed_out.post(discarded, json=gone))
    record(discarded, "post", officer_client.client.post(discarded, json=gone))
    record(discarded, "post", officer_client.post(discarded, data="{}", content_type="text/plain"))
    app.config["MAX_CONTENT_LENGTH"] = 100
    record(discarded, "post", officer_client.post(discarded, json={"padding": "x" * 200, **gone}))
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    record(void, "post", colleague.post(other_url + "/void", json={"reason": "Mistake"}))

    # Arrangements: every result in one answer, then the officer's week.
    arranged = {"id": str(uuid.uuid4()), "person_id": person.id, "type": "phone", "starts_at": "2026-11-19T10:00:00Z",
                "place": "Swyddfa", "with_whom": None}
    officer_client.post("/api/v1/arrangements/sync", json={"arrangements": [arranged]})
    record("/api/v1/arrangements/sync", "post", officer_client.post("/api/v1/arrangements/sync", json={"arrangements": [
        {**arranged, "id": str(uuid.uuid4())}, arranged, {**arranged, "type": "office"}, {**arranged, "id": "x"}, 7]}))
    record("/api/v1/arrangements", "get", officer_client.get("/api/v1/arrangements"))
    record("/api/v1/arrangements", "get", signed_out.get("/api/v1/arrangements"))

    # The team's phones (app/devices): for supervisors; administrators choose the team.
    phones = "/api/v1/team/devices"
    factories.device(officer, unsent=1, oldest_unsent_at=app.config["FIXED_NOW"])
    supervisor_client = api(supervisor, app.test_client())
    record(phones, "get", supervisor_client.get(phones))
    record(phones, "get", officer_client.get(phones))
    record(phones, "get", signed_out.get(phones))
    record(phones, "get", api(factories.user(team, "gweinyddwr@powys.example", role="admin"),
                              app.test_client()).get(f"{phones}?team=987654"))
    # Concerns: listed for a supervisor, acknowledged by them; a colleague may not; signed out.
    worried = contact_json(person.id, concern=True)
    officer_client.sync([worried])
    concerns, acknowledge = "/api/v1/concerns", "/api/v1/contacts/{contact_id}/acknowledge-concern"
    supervisor_client = api(supervisor, app.test_client())
    record(concerns, "get", supervisor_client.get(concerns))
    record(concerns, "get", signed_out.get(concerns))
    record(acknowledge, "post", signed_out.post(f"/api/v1/contacts/{worried['id']}/acknowledge-concern"))
    record(acknowledge, "post", colleague.post(f"/api/v1/contacts/{worried['id']}/acknowledge-concern"))
    record(acknowledge, "post", supervisor_client.post(f"/api/v1/contacts/{worried['id']}/acknowledge-concern"))
    record(acknowledge, "post", supervisor_client.post(f"{unknown}/acknowledge-concern"))

    # Database unreachable: 503 with Retry-After from every endpoint that reads or writes.
    class Unreachable:
        @staticmethod
        def now():
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr("app.api.routes.clock", Unreachable)
    record("/api/v1/session", "get", officer_client.get("/api/v1/session"))
    record("/api/v1/caseload", "get", officer_client.get("/api/v1/caseload"))
    record(one, "get", officer_client.get(url))
    record("/api/v1/arrangements", "get", officer_client.get("/api/v1/arrangements"))
    monkeypatch.setattr("app.devices.routes.clock", Unreachable)
    record(phones, "get", supervisor_client.get(phones))
    record(concerns, "get", supervisor_client.get(concerns))
    record(acknowledge, "post", supervisor_client.post(f"/api/v1/contacts/{worried['id']}/acknowledge-concern"))
    for template, body in posts.items():
        path = template.replace("{contact_id}", other["id"])
        record(template, "post", officer_client.post(path, json=body))
    record(discarded, "post", officer_client.post(discarded, json={**gone, "id": str(uuid.uuid4())}))
    monkeypatch.undo()
    app.config["FIXED_NOW"] = app.config["FIXED_NOW"].replace(year=2027)
    record(correction, "post", officer_client.post(other_url + "/correction", json={"changes": {"type": "phone"}, "reason": "Typo"}))
    record(void, "post", officer_client.post(other_url + "/void", json={"reason": "Mistake"}))
    return seen


def test_every_real_response_matches_the_document_and_every_documented_status_is_produced(exercised):
    produced = set()
    for path, method, response in exercised:
        check_against_document(path, method, response)
        produced.add((path, method, str(response.status_code)))
    assert documented_statuses() - produced == set()


def test_the_sync_answer_used_every_result_status(exercised):
    [sync] = [response for path, method, response in exercised
              if path == "/api/v1/contacts/sync" and response.status_code == 200]
    statuses = [result["status"] for result in sync.get_json()["results"]]
    assert statuses == ["created", "duplicate", "conflict", "rejected", "rejected", "rejected"]
