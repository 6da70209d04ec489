"""Arrangements sealed on a phone (static/js/seal.js read as ``{"arrangement": ...}``): opened on
the server, checked by the arrangement contract, arranged by whoever sealed them, each once."""

from __future__ import annotations

import uuid

from app import sealing
from app.arrangements import operations as arranging
from app.arrangements.contract import parse_arrangement
from app.extensions import db
from app.models import Arrangement
from tests import factories
from tests.api.test_arrangements import arrangement_json, sync
from tests.api.test_sealed import session_answer


def hash_of(arrangement: dict, officer_id: int) -> str:
    item, errors = parse_arrangement(arrangement)
    assert item is not None, errors
    return arranging._hash_of(item, officer_id)


def sealed(app, arrangement: dict, token: str | None, *, officer_id: int, member: str = "arrangement") -> dict:
    key = app.extensions["sealing"].current
    return {"id": arrangement["id"], "person_id": arrangement["person_id"], "type": arrangement["type"],
            "starts_at": arrangement["starts_at"], "content_sha256": hash_of(arrangement, officer_id),
            "sealed": sealing.seal(key, arrangement["id"], arrangement, token, member=member)}


def test_a_sealed_arrangement_is_opened_stored_once_and_answered_with_the_phones_hash(app, api, officer, person):
    client = api(officer)
    token = session_answer(client.client)["seal_token"]
    plain = arrangement_json(person.id, officer_id=officer.id)
    body = sealed(app, plain, token, officer_id=officer.id)
    first = sync(client, [body]).get_json()["results"][0]
    again = sync(client, [body]).get_json()["results"][0]
    assert (first["status"], again["status"]) == ("created", "duplicate")
    assert first["sha256"] == again["sha256"] == body["content_sha256"]
    db.session.expire_all()
    held = db.session.get(Arrangement, uuid.UUID(plain["id"]))
    assert (held.place, held.with_whom, held.arranged_by_id) == ("12 Stryd y Bont", "Gweithiwr tai", officer.id)


def test_a_sealed_arrangement_sent_by_a_colleague_is_arranged_by_whoever_sealed_it(app, api, officer, person, second_client):
    token = session_answer(api(officer).client)["seal_token"]
    colleague = factories.user(officer.team, email="cydweithiwr@example.org")
    plain = arrangement_json(person.id, officer_id=officer.id)
    [result] = sync(api(colleague, second_client), [sealed(app, plain, token, officer_id=officer.id)]).get_json()["results"]
    assert result["status"] == "created"
    db.session.expire_all()
    held = db.session.get(Arrangement, uuid.UUID(plain["id"]))
    assert (held.arranged_by_id, held.officer_id) == (officer.id, officer.id)


def test_a_sealed_arrangement_that_cannot_be_trusted_is_refused_alone_with_its_reason(app, api, officer, person):
    client = api(officer)
    token = session_answer(client.client)["seal_token"]
    good = arrangement_json(person.id, officer_id=officer.id)
    wrong_hash = {**sealed(app, arrangement_json(person.id, officer_id=officer.id), token, officer_id=officer.id),
                  "content_sha256": "0" * 64}
    unknown_token = sealed(app, arrangement_json(person.id, officer_id=officer.id), "not-a-token", officer_id=officer.id)
    a_contact_seal = sealed(app, arrangement_json(person.id, officer_id=officer.id), token, officer_id=officer.id,
                            member="contact")  # a seal of the other kind is never read as an arrangement
    broken = {**sealed(app, arrangement_json(person.id), token, officer_id=officer.id)}
    broken["sealed"] = {**broken["sealed"], "ciphertext": broken["sealed"]["ciphertext"][:-4] + "AAAA"}
    results = sync(client, [wrong_hash, unknown_token, a_contact_seal, broken,
                            sealed(app, good, token, officer_id=officer.id)]).get_json()["results"]
    assert [result["status"] for result in results] == ["rejected"] * 4 + ["created"]
    assert set(results[0]["errors"]) == {"content_sha256"}
    assert set(results[1]["errors"]) == {"sealed"}
    assert set(results[2]["errors"]) == {"arrangement"}
    assert set(results[3]["errors"]) == {"sealed"}


def test_the_openapi_document_describes_the_sealed_arrangement_as_the_contract_reads_it(app):
    from app.api.routes import openapi_document
    from app.arrangements.contract import SealedArrangementIn
    from tests.api.test_contract import _facts

    schemas = openapi_document()["components"]["schemas"]
    described = schemas["SealedArrangementIn"]
    generated = SealedArrangementIn.model_json_schema(ref_template="#/$defs/{model}")
    assert set(described["required"]) == set(generated["required"])
    for field, schema in generated["properties"].items():
        if field != "sealed":
            assert _facts(schema, generated.get("$defs", {})) == _facts(described["properties"][field], schemas), field
