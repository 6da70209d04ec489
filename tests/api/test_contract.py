"""One contract for a contact: the API and the web form give the same verdict and the same
message for the same input, in English and in Welsh; the OpenAPI document says what the
contract says; the phone is told the limits."""

from __future__ import annotations

import html
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from flask_babel import force_locale

from app.contacts import contract
from app.devices import contract as device_contract
from app.contacts.operations import IN_THE_FUTURE, NOT_ON_CASELOAD
from app.extensions import db
from app.models import Contact
from tests import factories
from tests.api.conftest import NOW, contact_json, iso

# name: (what the phone sends differently, what is typed differently, the field refused or None)
CASES = {
    "a kept home visit": ({}, {}, None),
    "4,000 emoji (8,000 UTF-16 units) of notes": ({"notes": "😀" * 4000}, {"notes": "😀" * 4000}, None),
    "4,001 characters of notes": ({"notes": "ŵ" * 4001}, {"notes": "ŵ" * 4001}, "notes"),
    "who else was there, 501 characters": ({"others_present": "y" * 501}, {"others_present": "y" * 501}, "others_present"),
    "sensitive, a concern, and who else was there": (
        {"sensitive": True, "concern": True, "others_present": "Ei fam"},
        {"sensitive": "y", "concern": "y", "others_present": "Ei fam"}, None),
    "a duration of 1,441 minutes": ({"duration_minutes": 1441}, {"duration_minutes": "1441"}, "duration_minutes"),
    "a duration of minus one": ({"duration_minutes": -1}, {"duration_minutes": "-1"}, "duration_minutes"),
    "a duration in words": ({"duration_minutes": "twenty"}, {"duration_minutes": "twenty"}, "duration_minutes"),
    "no kind of contact": ({"type": None}, {"type": None}, "type"),
    "an unknown kind of contact": ({"type": "seance"}, {"type": "seance"}, "type"),
    "an unknown outcome": ({"outcome": "lost"}, {"outcome": "lost"}, "outcome"),
    "no person": ({"person_id": None}, {"person": ""}, "person_id"),
    "a person given by name": ({"person_id": "Rhys"}, {"person": "Rhys"}, "person_id"),
    "a person of another team": ("elsewhere", "elsewhere", "person_id"),
    "an unknown pathway": ({"type": "welfare_help", "pathways": ["fishing"]},
                           {"type": "welfare_help", "pathways": ["fishing"]}, "pathways"),
    "a pathway given twice": ({"type": "welfare_help", "pathways": ["health", "health"]},
                              {"type": "welfare_help", "pathways": ["health", "health"]}, "pathways"),
    "pathways on a home visit": ({"type": "home_visit", "pathways": ["health", "accommodation"]},
                                 {"type": "home_visit", "pathways": ["health", "accommodation"]}, None),
    "45 minutes, picked": ({"duration_minutes": 45}, {"duration_choice": "45"}, None),
    "another duration, 1,441 minutes": ({"duration_minutes": 1441},
                                        {"duration_choice": "other", "duration_minutes": "1441"}, "duration_minutes"),
    "an id that is not a UUID": ({"id": "not-a-uuid"}, {"contact_id": "not-a-uuid"}, "id"),
    "a version-1 UUID": ({"id": str(uuid.uuid1())}, {"contact_id": str(uuid.uuid1())}, None),
    "a time an hour ahead": ({"occurred_at": iso(NOW + timedelta(hours=1))}, {"time": "13:00"}, "occurred_at"),
}

SUMMARY = re.compile(r'<div class="error-summary".*?<ul>(.*?)</ul>', re.S)
ITEM = re.compile(r"<li><a [^>]*>(.*?)</a></li>", re.S)


def form_messages(page: str) -> list[str]:
    summary = SUMMARY.search(page)
    return [html.unescape(text) for text in ITEM.findall(summary.group(1))] if summary else []


def typed(client, person_id: int, overrides: dict) -> dict:
    page = client.get("/contacts/new").get_data(as_text=True)
    fields = dict(re.findall(r'name="(csrf_token|contact_id)"[^>]*value="([^"]+)"', page))
    data = {**fields, "person": str(person_id), "type": "home_visit", "outcome": "kept",
            "date": "2026-11-18", "time": "11:50", **overrides}
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_api_and_the_form_say_the_same_about_the_same_contact(api, team, other_team, client, language, case):
    user = factories.user(team, f"{language}@powys.example", language=language)
    person = factories.person(team, "Rhys Evans")
    elsewhere = factories.person(other_team, "Dylan Price")
    sent, entered, refused = CASES[case]
    if sent == "elsewhere":
        sent, entered = {"person_id": elsewhere.id}, {"person": str(elsewhere.id)}
    phone = api(user)

    result = phone.sync([{**contact_json(person.id), **sent}]).get_json()["results"][0]
    response = client.post("/contacts/new", data=typed(client, person.id, entered))

    if refused is None:
        assert result["status"] == "created", result
        assert response.status_code == 302, form_messages(response.get_data(as_text=True))
        assert len(db.session.scalars(select(Contact)).all()) == 2
        return
    assert result["status"] == "rejected" and set(result["errors"]) == {refused}
    assert response.status_code == 400
    assert form_messages(response.get_data(as_text=True)) == [result["errors"][refused]]
    if language == "cy":
        with phone.client.application.test_request_context(), force_locale("en"):
            english = {str(message) for messages in contract.MESSAGES.values() for message in messages.values()}
            english |= {str(NOT_ON_CASELOAD), str(IN_THE_FUTURE)}
        assert result["errors"][refused] not in english


def test_the_form_offers_and_stores_others_present_sensitive_and_concern(api, officer, team, client):
    person = factories.person(team)
    api(officer)
    page = client.get("/contacts/new").get_data(as_text=True)
    for name in ("others_present", "sensitive", "concern"):
        assert f'name="{name}"' in page
    data = typed(client, person.id, {"others_present": "Ei chwaer", "sensitive": "y", "concern": "y"})
    assert client.post("/contacts/new", data=data).status_code == 302
    stored = db.session.scalar(select(Contact))
    assert (stored.others_present, stored.sensitive, stored.concern) == ("Ei chwaer", True, True)


def test_pathways_on_any_kind_and_a_quick_duration_are_stored_alike_from_the_api_and_the_form(api, officer, team, client):
    person = factories.person(team)
    phone = api(officer)
    sent = {**contact_json(person.id), "type": "home_visit", "pathways": ["health", "drugs_alcohol"], "duration_minutes": 45}
    assert phone.sync([sent]).get_json()["results"][0]["status"] == "created"
    page = client.get("/contacts/new").get_data(as_text=True)
    for minutes in ("15", "30", "45", "60", "other"):
        assert f'id="duration_choice-{minutes}" value="{minutes}"' in page
    data = typed(client, person.id, {"type": "home_visit", "pathways": ["health", "drugs_alcohol"], "duration_choice": "45",
                                     "duration_minutes": "999"})  # a quick pick wins over a number left in "Other"
    assert client.post("/contacts/new", data=data).status_code == 302
    stored = [(c.type.value, c.pathways, c.duration_minutes) for c in db.session.scalars(select(Contact))]
    assert stored == [("home_visit", ["drugs_alcohol", "health"], 45)] * 2


def test_an_administrators_form_lists_only_the_people_of_their_own_team(api, admin, team, other_team, client):
    factories.person(team, "Rhys Evans")
    factories.person(other_team, "Dylan Price")
    api(admin)
    page = client.get("/contacts/new").get_data(as_text=True)
    assert "Rhys Evans" in page and "Dylan Price" not in page


def test_the_phone_is_told_the_limits_it_enforces(api, officer):
    session = api(officer).get("/api/v1/session").get_json()
    assert session["limits"] == contract.LIMITS
    assert session["limits"]["notes_max"] == 4000 and session["limits"]["future_tolerance_seconds"] == 300


# The OpenAPI document and the contract ---------------------------------------------------


CHECKED = ("maxLength", "minLength", "minimum", "maximum", "enum", "pattern", "uniqueItems")


def _facts(schema: dict, definitions: dict) -> dict:
    """What a property's schema says that the contract decides: limits, forms and allowed codes."""
    while "$ref" in schema:
        schema = definitions[schema["$ref"].rsplit("/", 1)[1]]
    facts = {key: sorted(schema[key]) if key == "enum" else schema[key] for key in CHECKED if key in schema}
    if "items" in schema:
        facts["items"] = _facts(schema["items"], definitions)
    for option in [*schema.get("anyOf", []), *schema.get("oneOf", []), *schema.get("allOf", [])]:
        facts.update(_facts(option, definitions))
    return facts


@pytest.fixture
def document(app):
    from app.api.routes import openapi_document

    return openapi_document()


@pytest.mark.parametrize("model, name", [(contract.ContactIn, "ContactIn"), (contract.VoidIn, "VoidRequest"),
                                         (device_contract.DeviceReportIn, "DeviceReport")])
def test_the_openapi_document_describes_what_the_contract_accepts(document, model, name):
    described = document["components"]["schemas"][name]
    generated = model.model_json_schema(ref_template="#/$defs/{model}")
    assert set(described["properties"]) == set(generated["properties"])
    assert set(described.get("required", [])) == set(generated.get("required", []))
    for field, schema in generated["properties"].items():
        mine = _facts(schema, generated.get("$defs", {}))
        theirs = _facts(described["properties"][field], document["components"]["schemas"])
        assert mine == theirs, f"{name}.{field}: the contract says {mine}, the document {theirs}"


def test_a_correction_may_change_exactly_what_the_contract_lets_it(document):
    described = document["components"]["schemas"]["CorrectionRequest"]
    changes = described["properties"]["changes"]["properties"]
    assert set(changes) == set(contract.CORRECTABLE_FIELDS)
    generated = contract.ContactIn.model_json_schema()
    for field in contract.CORRECTABLE_FIELDS:
        mine = _facts(generated["properties"][field], generated.get("$defs", {}))
        assert _facts(changes[field], document["components"]["schemas"]) == mine, field
    assert described["properties"]["reason"]["maxLength"] == contract.REASON_MAX
    assert set(described["properties"]) == set(contract.CorrectionIn.model_fields)


def test_the_sentences_that_name_a_limit_name_the_contracts_limit(app):
    with app.test_request_context(), force_locale("en"):
        assert f"{contract.NOTES_MAX:,}" in str(contract.NOTES_INVALID)
        assert f"{contract.OTHERS_PRESENT_MAX:,}" in str(contract.OTHERS_PRESENT_INVALID)
        assert f"{contract.REASON_MAX:,}" in str(contract.REASON_INVALID)
        assert f"to {contract.DURATION_MAX}." in str(contract.DURATION_INVALID)


def test_the_phone_counts_and_words_its_checks_as_the_contract_does():
    from pathlib import Path

    script = (Path(__file__).parents[2] / "static" / "js" / "record.js").read_text(encoding="utf-8")
    for sentence in (contract.NOTES_INVALID, contract.DURATION_INVALID, contract.PERSON_MISSING,
                     contract.TYPE_MISSING, contract.OCCURRED_MISSING, IN_THE_FUTURE):
        assert f'_("{sentence._args[0]}")' in script
    assert "codePoints(noteText) > limits.notesMax" in script and ".length > " not in script


def test_the_database_holds_what_the_contract_lets_in():
    """The model's own constraints (set by migrations) are the contract's limits, no tighter."""
    table = Contact.__table__
    assert table.c.others_present.type.length == contract.OTHERS_PRESENT_MAX
    assert getattr(table.c.notes.type, "length", None) is None  # Text: the contract alone limits notes
    checks = {str(constraint.sqltext) for constraint in table.constraints if hasattr(constraint, "sqltext")}
    assert f"duration_minutes IS NULL OR duration_minutes BETWEEN 0 AND {contract.DURATION_MAX}" in checks
