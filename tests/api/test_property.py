"""Property-based tests: whatever JSON a phone or a stranger sends, the sync endpoint answers in
JSON without a 5xx, and the valid contacts in a batch are always stored."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta, timezone

from hypothesis import HealthCheck, given, settings, strategies as st

from app.contacts.canonical import canonical_content, content_hash
from app.extensions import db
from app.models import Contact, ContactType, Outcome, Pathway
from tests.api.conftest import NOW

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FIELDS = ("id", "person_id", "type", "outcome", "occurred_at", "recorded_at", "duration_minutes", "pathways",
          "notes", "sensitive", "concern", "others_present")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=15,
)
storable_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=120)
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))


@st.composite
def moments(draw, earliest: timedelta = timedelta(days=60)):
    back = draw(st.integers(min_value=-4 * 60_000, max_value=int(earliest.total_seconds() * 1000)))
    moment = NOW - timedelta(milliseconds=back)
    return moment.astimezone(draw(offsets)).isoformat(timespec="milliseconds")


@st.composite
def valid_contacts(draw, person_id: int):
    return {
        "id": str(draw(st.uuids(version=4))),
        "person_id": person_id,
        "type": draw(st.sampled_from([member.value for member in ContactType])),
        "outcome": draw(st.sampled_from([member.value for member in Outcome])),
        "occurred_at": draw(moments()),
        "recorded_at": draw(moments()),
        "duration_minutes": draw(st.none() | st.integers(0, 1440)),
        "pathways": draw(st.lists(st.sampled_from([member.value for member in Pathway]), unique=True)),
        "notes": draw(st.none() | storable_text),
        "sensitive": draw(st.booleans()),
        "concern": draw(st.booleans()),
        "others_present": draw(st.none() | storable_text.map(lambda text: text[:500])),
        **draw(st.dictionaries(st.text(max_size=8).filter(lambda key: key not in FIELDS), json_values, max_size=2)),
    }


@st.composite
def mangled_contacts(draw, person_id: int):
    """A valid contact with some fields replaced by arbitrary JSON or removed."""
    contact = draw(valid_contacts(person_id))
    for name in draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=4, unique=True)):
        if draw(st.booleans()):
            contact[name] = draw(json_values)
        else:
            contact.pop(name)
    return contact


def expected_hash(sent: dict) -> str:
    from datetime import datetime

    return content_hash(canonical_content(
        contact_id=uuid.UUID(sent["id"]), person_id=sent["person_id"], type=sent["type"],
        outcome=sent["outcome"], occurred_at=datetime.fromisoformat(sent["occurred_at"]),
        duration_minutes=sent["duration_minutes"], pathways=sent["pathways"], notes=sent["notes"],
        sensitive=sent["sensitive"], concern=sent["concern"], others_present=sent["others_present"],
    ))


def post_raw(client, body: str):
    return client.client.post(
        "/api/v1/contacts/sync", data=body, content_type="application/json",
        headers={"X-CSRFToken": client.csrf_token},
    )


def test_random_json_bodies_never_cause_a_5xx_and_are_always_answered_in_json(api, officer, person):
    client = api(officer)
    bodies = json_values | st.fixed_dictionaries({"contacts": st.lists(json_values, max_size=5)}) | st.fixed_dictionaries(
        {"contacts": st.lists(mangled_contacts(person.id), max_size=5), "sent_at": json_values}
    )

    @SETTINGS
    @given(body=bodies)
    def check(body):
        response = post_raw(client, json.dumps(body))
        assert response.status_code < 500, response.get_data(as_text=True)
        assert response.mimetype == "application/json"
        payload = response.get_json()
        if response.status_code == 200:
            assert len(payload["results"]) == len(body["contacts"])
            for result in payload["results"]:
                assert result["status"] in {"created", "duplicate", "conflict", "rejected"}
                if result["status"] == "rejected":
                    assert result["errors"] and all(isinstance(text, str) and text for text in result["errors"].values())
        else:
            assert set(payload["error"]) >= {"code", "message"}

    check()


def test_the_valid_contacts_of_a_batch_are_always_stored_whatever_else_it_holds(api, officer, person):
    client = api(officer)

    @SETTINGS
    @given(
        good=st.lists(valid_contacts(person.id), min_size=1, max_size=4),
        bad=st.lists(mangled_contacts(person.id) | json_values, max_size=4),
        order=st.randoms(use_true_random=False),
    )
    def check(good, bad, order):
        # Fresh ids: Hypothesis replays examples, and an id stored earlier with other content is a conflict.
        good = [{**contact, "id": str(uuid.uuid4())} for contact in good]
        batch = good + bad
        order.shuffle(batch)
        response = post_raw(client, json.dumps({"contacts": batch}))
        assert response.status_code == 200, response.get_data(as_text=True)
        results = response.get_json()["results"]
        by_position = {id(item): result for item, result in zip(batch, results)}
        db.session.expire_all()
        for contact in good:
            result = by_position[id(contact)]
            assert result["status"] in {"created", "duplicate"}, result
            assert result["sha256"] == expected_hash(contact)
            assert db.session.get(Contact, uuid.UUID(contact["id"])).content_sha256 == result["sha256"]

    check()


def test_random_bodies_for_check_corrections_and_voids_never_cause_a_5xx(api, officer, person):
    client = api(officer)
    sent = {
        "id": str(uuid.uuid4()), "person_id": person.id, "type": "phone", "outcome": "kept",
        "occurred_at": "2026-11-18T11:00:00.000Z", "recorded_at": "2026-11-18T11:00:00.000Z",
    }
    assert client.sync([sent]).get_json()["results"][0]["status"] == "created"
    paths = st.sampled_from([
        "/api/v1/contacts/check",
        f"/api/v1/contacts/{sent['id']}/correction",
        f"/api/v1/contacts/{sent['id']}/void",
    ])
    changes = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=4)
    bodies = json_values | st.fixed_dictionaries(
        {"changes": changes | json_values},
        optional={"reason": json_values | storable_text, "expected_sha256": json_values},
    ) | st.fixed_dictionaries({"ids": st.lists(json_values | st.uuids().map(str), max_size=5)})

    @SETTINGS
    @given(path=paths, body=bodies)
    def check(path, body):
        response = post_raw_to(client, path, json.dumps(body))
        assert response.status_code < 500, response.get_data(as_text=True)
        assert response.mimetype == "application/json"
        if response.status_code != 200:
            assert set(response.get_json()["error"]) >= {"code", "message"}

    check()


def post_raw_to(client, path: str, body: str):
    return client.client.post(path, data=body, content_type="application/json",
                              headers={"X-CSRFToken": client.csrf_token})
