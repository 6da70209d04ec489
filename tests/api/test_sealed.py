"""Sealed records (app/sealing.py): opened only on the server, stored as the sealer's record.

A record sealed on a phone carries the seal token of the sign-in that sealed it; the server
opens it with the private key its key id names (old keys too, after a rotation: P-256 keys
now, and the RSA keys records were sealed with before, as they still sit in phones' outboxes),
checks the
contact inside by the one contract, and stores it as the record of the token's user, whoever
sends it. What it cannot open is refused for that record alone, with a reason in the
reader's language.
"""

from __future__ import annotations

import hashlib
import uuid

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from app import sealing
from app.contacts import contract
from app.extensions import db
from app.models import AuditEvent, Contact, SealToken
from app.staff.operations import deactivate
from tests import factories
from tests.api.conftest import contact_json


@pytest.fixture(scope="session")
def two_keys() -> tuple[sealing.SealingKey, sealing.SealingKey]:
    return sealing.SealingKey(sealing.generate_private_key()), sealing.SealingKey(sealing.generate_private_key())


@pytest.fixture(scope="session")
def rsa_key() -> sealing.SealingKey:
    """A key of the kind servers made before P-256 keys: RSA, 3072 bits."""
    return sealing.SealingKey(sealing.generate_rsa_private_key())


@pytest.fixture
def rotated(app, two_keys):
    """The server after a rotation: the newer key seals, the older one still opens."""
    old, new = two_keys
    app.extensions["sealing"] = sealing.KeyRing((new, old))
    return old, new


@pytest.fixture
def switched(app, two_keys, rsa_key):
    """The server after the switch to P-256: a P-256 key seals, the RSA key from before still opens."""
    new = two_keys[0]
    app.extensions["sealing"] = sealing.KeyRing((new, rsa_key))
    return rsa_key, new


def session_answer(client) -> dict:
    return client.get("/api/v1/session").get_json()["sealing"]


def sealed(contact: dict, *, key: sealing.SealingKey, token: str | None, content: dict | None = None) -> dict:
    """A record as the phone sends it: the summary, the hash of the contact and its seal."""
    inside = content if content is not None else contact
    return {
        "id": contact["id"], "person_id": contact["person_id"], "type": contact["type"],
        "occurred_at": contact["occurred_at"], "content_sha256": hash_of(contact),
        "sealed": sealing.seal(key, contact["id"], inside, token),
    }


def hash_of(contact: dict) -> str:
    item, errors = contract.parse_contact(contact)
    assert item is not None, errors
    return contract.content_hash_of(item)


def stored(contact_id: str) -> Contact | None:
    db.session.expire_all()
    return db.session.get(Contact, uuid.UUID(contact_id))


def test_the_session_answer_publishes_the_current_key_and_a_seal_token_whose_hash_alone_is_kept(api, officer, rotated):
    _old, new = rotated
    client = api(officer)
    answer = session_answer(client.client)
    assert answer["key_id"] == new.key_id == answer["public_key"]["kid"]
    assert answer["algorithm"] == "ECDH-P256-HKDF-SHA256"
    assert answer["public_key"]["kty"] == "EC" and answer["public_key"]["crv"] == "P-256"
    assert "d" not in answer["public_key"]  # never the private part
    assert session_answer(client.client)["seal_token"] == answer["seal_token"]  # one token for the sign-in
    [row] = db.session.scalars(select(SealToken).where(SealToken.user_id == officer.id))
    assert row.token_sha256 == hashlib.sha256(answer["seal_token"].encode()).hexdigest() != answer["seal_token"]


def test_each_sign_in_gets_its_own_seal_token(api, officer, second_client):
    first = session_answer(api(officer).client)["seal_token"]
    second = session_answer(api(officer, second_client).client)["seal_token"]
    assert first != second
    assert len(db.session.scalars(select(SealToken).where(SealToken.user_id == officer.id)).all()) == 2


def test_records_sealed_under_each_of_two_keys_open_after_a_rotation(api, officer, person, rotated):
    old, new = rotated
    client = api(officer)
    token = session_answer(client.client)["seal_token"]
    before = contact_json(person.id, notes="Sealed before the rotation.")
    after = contact_json(person.id, notes="Sealed after the rotation.", sensitive=True)
    results = client.sync([sealed(before, key=old, token=token), sealed(after, key=new, token=token)]).get_json()["results"]
    assert [result["status"] for result in results] == ["created", "created"]
    assert [result["sha256"] for result in results] == [hash_of(before), hash_of(after)]
    assert stored(before["id"]).notes == "Sealed before the rotation."
    assert stored(after["id"]).notes == "Sealed after the rotation." and stored(after["id"]).sensitive
    assert stored(after["id"]).recorded_by_id == officer.id


def test_after_the_switch_to_p256_records_sealed_with_rsa_on_phones_still_open(api, officer, person, switched):
    rsa_key, new = switched
    client = api(officer)
    answer = session_answer(client.client)
    assert answer["key_id"] == new.key_id and answer["algorithm"] == "ECDH-P256-HKDF-SHA256"
    token = answer["seal_token"]
    waiting = contact_json(person.id, notes="Sealed with RSA before the switch; still in the outbox.")
    old_form = sealed(waiting, key=rsa_key, token=token)
    assert set(old_form["sealed"]) == {"key_id", "wrapped_key", "iv", "ciphertext"}  # as phones sealed then: no alg
    labelled = contact_json(person.id, notes="Sealed with RSA by a phone that names the algorithm.")
    with_alg = sealed(labelled, key=rsa_key, token=token)
    with_alg["sealed"]["alg"] = "RSA-OAEP-256"
    fresh = contact_json(person.id, notes="Sealed with P-256 after the switch.")
    new_form = sealed(fresh, key=new, token=token)
    assert new_form["sealed"]["alg"] == "ECDH-P256-HKDF-SHA256" and "wrapped_key" not in new_form["sealed"]
    results = client.sync([old_form, with_alg, new_form]).get_json()["results"]
    assert [result["status"] for result in results] == ["created"] * 3
    assert [stored(item["id"]).notes for item in (waiting, labelled, fresh)] == [
        waiting["notes"], labelled["notes"], fresh["notes"]]


def test_a_server_whose_first_key_is_still_rsa_publishes_it_as_before(api, officer, app, rsa_key):
    app.extensions["sealing"] = sealing.KeyRing((rsa_key,))
    answer = session_answer(api(officer).client)
    assert answer["algorithm"] == "RSA-OAEP-256" and answer["key_id"] == rsa_key.key_id
    assert answer["public_key"]["kty"] == "RSA" and answer["public_key"]["alg"] == "RSA-OAEP-256"
    assert "d" not in answer["public_key"] and "p" not in answer["public_key"]


def test_a_seal_whose_algorithm_is_not_its_keys_kind_is_refused(api, officer, person, switched):
    rsa_key, new = switched
    client = api(officer)
    token = session_answer(client.client)["seal_token"]
    claims_ecdh = sealed(contact_json(person.id), key=rsa_key, token=token)
    claims_ecdh["sealed"] |= {"alg": "ECDH-P256-HKDF-SHA256", "epk": sealed(contact_json(person.id), key=new, token=token)["sealed"]["epk"]}
    claims_rsa = sealed(contact_json(person.id), key=new, token=token)
    claims_rsa["sealed"] |= {"alg": "RSA-OAEP-256", "wrapped_key": sealed(contact_json(person.id), key=rsa_key, token=token)["sealed"]["wrapped_key"]}
    foreign_epk = sealed(contact_json(person.id), key=new, token=token)
    foreign_epk["sealed"]["epk"] = sealed(contact_json(person.id), key=new, token=token)["sealed"]["epk"]
    changed_epk = sealed(contact_json(person.id), key=new, token=token)
    epk = changed_epk["sealed"]["epk"]
    changed_epk["sealed"]["epk"] = epk[:10] + ("A" if epk[10] != "A" else "B") + epk[11:]  # off the curve, or another key
    results = client.sync([claims_ecdh, claims_rsa, foreign_epk, changed_epk]).get_json()["results"]
    assert [result["status"] for result in results] == ["rejected"] * 4
    assert all(list(result["errors"]) == ["sealed"] for result in results)


def test_only_p256_and_rsa_keys_of_3072_bits_or_more_are_accepted(tmp_path):
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    for weak, says in [(ec.generate_private_key(ec.SECP384R1()), "only P-256"),
                       (rsa.generate_private_key(public_exponent=65537, key_size=2048), "2048 bits")]:
        text = sealing.private_pem(sealing.generate_private_key()) + sealing.private_pem(weak)
        with pytest.raises(sealing.SealingKeyError, match=says):
            sealing.load_keyring({"SEALING_KEYS": text}, str(tmp_path))


def test_the_keys_come_from_pem_text_in_the_configuration_the_first_sealing(two_keys, rsa_key, tmp_path):
    old, new = two_keys
    text = sealing.private_pem(new.private_key) + sealing.private_pem(old.private_key) + sealing.private_pem(rsa_key.private_key)
    ring = sealing.load_keyring({"SEALING_KEYS": text}, str(tmp_path))
    assert [key.key_id for key in ring.keys] == [new.key_id, old.key_id, rsa_key.key_id]
    path = tmp_path / "keys.pem"
    path.write_text(text)
    assert sealing.load_keyring({"SEALING_KEYS_FILE": str(path)}, str(tmp_path)).current.key_id == new.key_id
    with pytest.raises(sealing.SealingKeyError, match="no PEM private key"):
        sealing.parse_keys("not a key")


def test_flask_keys_generate_puts_a_new_p256_key_first_and_keeps_the_old_ones(app, tmp_path, rsa_key):
    path = tmp_path / "keys.pem"
    path.write_text(sealing.private_pem(rsa_key.private_key))  # a server from before P-256 keys
    runner = app.test_cli_runner()
    first = runner.invoke(args=["keys", "generate", str(path)])
    assert first.exit_code == 0, first.output
    first_id = sealing.parse_keys(path.read_text()).current.key_id
    second = runner.invoke(args=["keys", "generate", str(path)])
    assert second.exit_code == 0, second.output
    ring = sealing.parse_keys(path.read_text())
    assert len(ring.keys) == 3 and ring.keys[1].key_id == first_id and ring.current.key_id in second.output
    assert [key.algorithm for key in ring.keys] == ["ECDH-P256-HKDF-SHA256"] * 2 + ["RSA-OAEP-256"]
    assert path.stat().st_mode & 0o777 == 0o600
    app.extensions["sealing"] = ring
    listed = runner.invoke(args=["keys", "list"])
    assert listed.output.splitlines() == [f"{ring.keys[0].key_id}  P-256  seals new records",
                                          f"{first_id}  P-256  opens older records",
                                          f"{rsa_key.key_id}  RSA-3072  opens older records"]


def test_production_refuses_to_start_without_sealing_keys(tmp_path):
    from app.config import ConfigurationError, load

    with pytest.raises(ConfigurationError, match="SEALING_KEYS_FILE"):
        load(str(tmp_path), environ={"CYSWLLT_ENV": "production", "SECRET_KEY": "x" * 48})


WELSH = {
    "unknown_key": "Cafodd y cofnod hwn ei selio ag allwedd nad yw'r gweinydd yn ei dal",
    "broken": "Nid oedd modd agor sêl y cofnod hwn",
    "token": "Nid yw'r cofnod hwn yn dangos pwy a'i cofnododd",
    "hash": "Nid yw cynnwys y cofnod yn cyfateb i'w stwnsh cynnwys",
}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_record_the_server_cannot_open_is_refused_alone_with_its_reason(api, team, person, rotated, language):
    _old, new = rotated
    user = factories.user(team, f"swyddog-{language}@powys.example", language=language)
    client = api(user)
    token = session_answer(client.client)["seal_token"]
    good = contact_json(person.id)
    unknown_key = sealed(contact_json(person.id), key=sealing.SealingKey(sealing.generate_private_key()), token=token)
    tampered = sealed(contact_json(person.id), key=new, token=token)
    ciphertext = tampered["sealed"]["ciphertext"]
    tampered["sealed"]["ciphertext"] = ciphertext[:-2] + ("AA" if ciphertext[-2:] != "AA" else "BB")
    moved = sealed(contact_json(person.id), key=new, token=token)
    moved["id"] = str(uuid.uuid4())  # the seal names the id it was made for
    bad_token = sealed(contact_json(person.id), key=new, token="a-token-the-server-never-issued")
    no_token = sealed(contact_json(person.id), key=new, token=None)
    wrong_hash = sealed(contact_json(person.id), key=new, token=token)
    wrong_hash["content_sha256"] = "0" * 64
    other = contact_json(person.id)
    swapped = sealed(other, key=new, token=token, content={**other, "notes": "not what was hashed"})
    batch = [unknown_key, tampered, moved, bad_token, no_token, wrong_hash, swapped, sealed(good, key=new, token=token)]
    results = client.sync(batch).get_json()["results"]
    assert [result["status"] for result in results] == ["rejected"] * 7 + ["created"]
    assert [result["id"] for result in results] == [item["id"] for item in batch]
    assert stored(good["id"]) is not None and all(stored(item["id"]) is None for item in batch[:7])
    errors = [result["errors"] for result in results[:7]]
    assert [sorted(error) for error in errors] == [["sealed"]] * 5 + [["content_sha256"]] * 2
    with force_locale(language):
        expected = [contract.SEAL_UNKNOWN_KEY, contract.SEAL_BROKEN, contract.SEAL_BROKEN, contract.SEAL_TOKEN_UNKNOWN,
                    contract.SEAL_TOKEN_UNKNOWN, contract.CONTENT_SHA256_MISMATCH, contract.CONTENT_SHA256_MISMATCH]
        assert [next(iter(error.values())) for error in errors] == [str(message) for message in expected]
    if language == "cy":
        assert errors[0]["sealed"].startswith(WELSH["unknown_key"])
        assert errors[1]["sealed"].startswith(WELSH["broken"])
        assert errors[3]["sealed"].startswith(WELSH["token"])
        assert errors[5]["content_sha256"].startswith(WELSH["hash"])


def test_a_malformed_seal_is_refused_field_by_field(api, officer, person):
    client = api(officer)
    contact = contact_json(person.id)
    broken = [
        {"id": contact["id"], "content_sha256": hash_of(contact), "sealed": "not an object"},
        {"id": str(uuid.uuid4()), "content_sha256": "NOT HEX", "sealed": {"key_id": "k", "wrapped_key": "a", "iv": "a" * 16,
                                                                           "ciphertext": "a"}},
        {"id": str(uuid.uuid4()), "content_sha256": "0" * 64, "sealed": {"key_id": "k", "wrapped_key": "a", "iv": "short",
                                                                          "ciphertext": "a"}},
        {"id": str(uuid.uuid4()), "content_sha256": "0" * 64, "sealed": {"alg": "ECDH-P256-HKDF-SHA256", "key_id": "k",
                                                                          "wrapped_key": "a", "iv": "a" * 16, "ciphertext": "a"}},
        {"id": str(uuid.uuid4()), "content_sha256": "0" * 64, "sealed": {"key_id": "k", "epk": "a" * 87, "iv": "a" * 16,
                                                                          "ciphertext": "a"}},
    ]
    results = client.sync(broken).get_json()["results"]
    assert [result["status"] for result in results] == ["rejected"] * 5
    assert "sealed" in results[0]["errors"] and "content_sha256" in results[1]["errors"] and "sealed" in results[2]["errors"]
    with force_locale("en"):
        assert results[3]["errors"] == results[4]["errors"] == {"sealed": str(contract.SEALED_INVALID)}


def test_a_leavers_sealed_record_sent_from_a_colleagues_sign_in_is_the_leavers(
    api, team, officer, person, supervisor, second_client, rotated
):
    _old, new = rotated
    leaver_session = api(officer)
    token = session_answer(leaver_session.client)["seal_token"]
    contact = contact_json(person.id, notes="Recorded before leaving.")
    record = sealed(contact, key=new, token=token)
    # The officer leaves: every sign-in of theirs ends; the phone still holds the sealed record.
    admin = factories.user(team, "admin@powys.example", role="admin")
    deactivate(db.session, db.session.merge(officer), by=admin)
    db.session.commit()
    assert leaver_session.get("/api/v1/session").status_code == 401
    colleague = factories.user(team, "colleague@powys.example")
    sender = api(colleague, second_client)
    [result] = sender.sync([record]).get_json()["results"]
    assert result["status"] == "created" and result["sha256"] == hash_of(contact)
    saved = stored(contact["id"])
    assert saved.recorded_by_id == officer.id and saved.notes == "Recorded before leaving."
    assert saved.recorder_agency == officer.agency
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "contacts",
                                                       AuditEvent.entity_id == contact["id"]))
    assert event.actor_id == colleague.id  # audited as sent by whoever sent it
    # Sending it again is a duplicate, and what is held is not shown to the colleague.
    [again] = sender.sync([record]).get_json()["results"]
    assert again["status"] == "duplicate" and "stored" not in again


def test_a_record_sealed_by_another_teams_officer_is_refused_and_not_stored(
    api, other_team, officer, person, second_client, rotated
):
    _old, new = rotated
    token = session_answer(api(officer).client)["seal_token"]
    contact = contact_json(person.id)
    stranger = factories.user(other_team, "heddwas@caerdydd.example")
    [result] = api(stranger, second_client).sync([sealed(contact, key=new, token=token)]).get_json()["results"]
    assert result["status"] == "rejected" and "sealed" in result["errors"]
    assert stored(contact["id"]) is None


def test_plain_and_sealed_records_go_in_one_batch_in_order(api, officer, person, rotated):
    _old, new = rotated
    client = api(officer)
    token = session_answer(client.client)["seal_token"]
    plain, inside = contact_json(person.id), contact_json(person.id)
    results = client.sync([plain, sealed(inside, key=new, token=token), {"not": "a contact"}]).get_json()["results"]
    assert [result["status"] for result in results] == ["created", "created", "rejected"]
    assert results[1]["id"] == inside["id"]


def test_the_openapi_document_describes_the_sealed_form_as_the_contract_reads_it(app):
    from app.api.routes import openapi_document
    from tests.api.test_contract import _facts

    schemas = openapi_document()["components"]["schemas"]
    for model, name in [(contract.SealedContactIn, "SealedContactIn"), (contract.Seal, "Seal")]:
        described = schemas[name]
        generated = model.model_json_schema(ref_template="#/$defs/{model}")
        assert set(described["required"]) == set(generated["required"])
        assert set(generated["properties"]) <= set(described["properties"])
        for field, schema in generated["properties"].items():
            mine = _facts(schema, generated.get("$defs", {}))
            theirs = _facts(described["properties"][field], schemas)
            assert mine == theirs, f"{name}.{field}: the contract says {mine}, the document {theirs}"
    assert "sealing" in schemas["Session"]["required"]


B64URL = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=600)
ANYTHING = st.one_of(st.none(), st.integers(), st.text(max_size=40), B64URL, st.lists(st.integers(), max_size=3))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key_id=st.one_of(st.sampled_from(["the P-256 key", "the RSA key"]), B64URL, ANYTHING),
       alg=st.one_of(st.sampled_from(["ECDH-P256-HKDF-SHA256", "RSA-OAEP-256", "absent"]), ANYTHING),
       wrapped=st.one_of(B64URL, ANYTHING), epk=st.one_of(B64URL, st.text(alphabet="AB_-", min_size=87, max_size=87), ANYTHING),
       iv=st.one_of(B64URL, ANYTHING), ciphertext=st.one_of(B64URL, ANYTHING), digest=st.one_of(st.just("0" * 64), ANYTHING))
def test_whatever_a_seal_holds_it_is_opened_or_refused_by_field_never_an_error(app, two_keys, rsa_key, key_id, alg, wrapped,
                                                                              epk, iv, ciphertext, digest):
    app.extensions["sealing"] = sealing.KeyRing((two_keys[0], rsa_key))
    key_id = {"the P-256 key": two_keys[0].key_id, "the RSA key": rsa_key.key_id}.get(key_id, key_id) \
        if isinstance(key_id, str) else key_id
    seal = {"key_id": key_id, "wrapped_key": wrapped, "epk": epk, "iv": iv, "ciphertext": ciphertext}
    if alg != "absent":
        seal["alg"] = alg
    raw = {"id": str(uuid.uuid4()), "content_sha256": digest, "sealed": seal}
    item, errors, token = contract.parse_sealed_contact(raw)
    assert item is None and token is None
    assert errors and set(errors) <= {"id", "content_sha256", "sealed"}
