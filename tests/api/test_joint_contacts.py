"""Joint contacts through the sync API: `colleague_ids`, linking a colleague's own record of
the same meeting, counting once, and voiding either copy."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.contacts.canonical import canonical_content, content_hash
from app.domain.weeks import week_start
from app.extensions import db
from app.models import AuditEvent, Contact
from app import weekly_counts as caseload
from tests import factories
from tests.api.conftest import NOW, contact_json, iso
from tests.api.test_sealed import two_keys  # noqa: F401 (a fixture)

WEEK = week_start(NOW)


@pytest.fixture
def probation(team):
    return factories.user(team, "probation@powys.example", agency="probation", name="Nia Rowlands")


@pytest.fixture
def police(officer):
    return officer


def stored(contact_id) -> Contact:
    db.session.expire_all()
    return db.session.get(Contact, uuid.UUID(contact_id))


def offered(person) -> int:
    return caseload.load_tallies(db.session, [person.id], [WEEK]).get((person.id, WEEK), (0, 0, 0))[0]


def test_the_session_gives_the_phone_its_team_colleagues_other_agency_first(api, police, probation, team, other_team):
    factories.user(team, "another.police@powys.example", agency="police", name="Aled Bowen")
    factories.user(team, "gone@powys.example", agency="probation", name="Gone Away", active=False)
    factories.user(other_team, "far@caerdydd.example", agency="probation", name="Far Away")
    body = api(police).get("/api/v1/session").get_json()
    assert body["colleagues"] == [
        {"id": probation.id, "name": "Nia Rowlands", "agency": "probation"},
        {"id": body["colleagues"][1]["id"], "name": "Aled Bowen", "agency": "police"},
    ]
    assert body["limits"]["colleagues_max"] == 10


def test_a_contact_naming_a_colleague_is_stored_joint_and_counts_once(api, police, probation, person):
    sent = contact_json(person.id, colleague_ids=[probation.id])
    result = api(police).sync([sent]).get_json()["results"][0]
    assert result["status"] == "created" and "same_as" not in result
    contact = stored(sent["id"])
    assert contact.colleague_ids == [probation.id] and contact.joint
    assert offered(person) == 1


def test_the_colleagues_own_record_of_the_same_meeting_is_linked_and_not_counted_again(
    api, police, probation, person, second_client
):
    first = contact_json(person.id, colleague_ids=[probation.id])
    api(police).sync([first])
    # The probation officer records the same visit 25 minutes later, without naming anyone.
    second = contact_json(person.id, occurred_at=iso(NOW - timedelta(minutes=35)))
    body = api(probation, second_client).sync([second]).get_json()
    assert body["results"][0]["status"] == "created"
    assert body["results"][0]["same_as"] == first["id"]
    assert body["tallies"][0]["offered_this_week"] == 1
    assert stored(second["id"]).same_as_id == uuid.UUID(first["id"])
    assert offered(person) == 1


def test_a_record_naming_the_officer_whose_own_record_named_no_one_is_linked_to_it(
    api, police, probation, person, second_client
):
    first = contact_json(person.id)  # the police officer names no one
    api(police).sync([first])
    second = contact_json(person.id, occurred_at=iso(NOW - timedelta(minutes=35)), colleague_ids=[police.id])
    body = api(probation, second_client).sync([second]).get_json()
    assert body["results"][0]["same_as"] == first["id"]
    assert offered(person) == 1


def test_officers_who_did_not_name_each_other_are_both_counted_never_merged_silently(
    api, police, probation, person, second_client
):
    api(police).sync([contact_json(person.id)])
    second = contact_json(person.id)
    result = api(probation, second_client).sync([second]).get_json()["results"][0]
    assert "same_as" not in result
    assert offered(person) == 2


def test_a_record_more_than_two_hours_away_is_another_contact(api, police, probation, person, second_client):
    api(police).sync([contact_json(person.id, colleague_ids=[probation.id])])
    later = contact_json(person.id, occurred_at=iso(NOW - timedelta(minutes=10) + timedelta(hours=2, minutes=1)))
    later["occurred_at"] = iso(NOW - timedelta(minutes=10) - timedelta(hours=2, minutes=1))
    assert "same_as" not in api(probation, second_client).sync([later]).get_json()["results"][0]
    assert offered(person) == 2


def test_voiding_the_counted_copy_makes_the_other_count_and_voiding_both_counts_nothing(
    api, police, probation, person, second_client
):
    first = contact_json(person.id, colleague_ids=[probation.id])
    second = contact_json(person.id, colleague_ids=[police.id])
    police_phone = api(police)
    police_phone.sync([first])
    probation_phone = api(probation, second_client)
    probation_phone.sync([second])
    assert offered(person) == 1

    response = police_phone.post(f"/api/v1/contacts/{first['id']}/void", json={"reason": "Recorded twice by mistake"})
    assert response.status_code == 200, response.get_json()
    assert stored(second["id"]).same_as_id is None  # the probation officer's copy counts now
    assert stored(first["id"]).same_as_id == uuid.UUID(second["id"])  # still one of the meeting's records
    assert offered(person) == 1
    recount = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "recount")).all()
    assert [event.entity_id for event in recount] == [second["id"]]

    probation_phone.post(f"/api/v1/contacts/{second['id']}/void", json={"reason": "Wrong person"})
    assert offered(person) == 0


def test_voiding_the_second_copy_leaves_the_first_counted_once(api, police, probation, person, second_client):
    first = contact_json(person.id, colleague_ids=[probation.id])
    second = contact_json(person.id)
    api(police).sync([first])
    probation_phone = api(probation, second_client)
    probation_phone.sync([second])
    probation_phone.post(f"/api/v1/contacts/{second['id']}/void", json={"reason": "My colleague recorded it"})
    assert stored(first["id"]).same_as_id is None
    assert offered(person) == 1


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize(
    ("colleagues", "english"),
    [
        ("self", "You were there yourself: name only the colleagues who were with you."),
        ("elsewhere", "Each colleague must be a member of this person's team."),
        ("missing", "Each colleague must be a member of this person's team."),
        ("inactive", "One of the colleagues no longer has an active account. Choose another."),
        ("repeated", "Each colleague can be named only once."),
        ("text", "The colleagues must be a list of user numbers."),
        ("numbers_as_text", "The colleagues must be a list of user numbers."),
        ("zero", "The colleagues must be a list of user numbers."),
        ("too_many", "Name at most 10 colleagues."),
    ],
)
def test_colleagues_who_cannot_be_named_are_refused_field_by_field_in_the_users_language(
    api, team, other_team, person, probation, language, colleagues, english
):
    user = factories.user(team, f"{language}.police@powys.example", language=language)
    gone = factories.user(team, "gone@powys.example", active=False)
    far = factories.user(other_team, "far@caerdydd.example")
    value = {
        "self": [user.id], "elsewhere": [far.id], "missing": [987654], "inactive": [gone.id],
        "repeated": [probation.id, probation.id], "text": "Nia", "numbers_as_text": [str(probation.id)],
        "zero": [0], "too_many": list(range(1, 12)),
    }[colleagues]
    result = api(user).sync([contact_json(person.id, colleague_ids=value)]).get_json()["results"][0]
    assert result["status"] == "rejected"
    assert set(result["errors"]) == {"colleague_ids"}
    message = result["errors"]["colleague_ids"]
    assert (message == english) is (language == "en"), message
    assert db.session.scalar(select(Contact)) is None


def test_an_old_phone_that_sends_no_colleague_ids_still_works_with_the_hash_it_always_had(api, police, person):
    sent = contact_json(person.id)
    result = api(police).sync([sent]).get_json()["results"][0]
    contact = stored(sent["id"])
    assert result["status"] == "created" and contact.colleague_ids == [] and not contact.joint
    # The hash of a contact without colleagues has no colleague_ids key: as before joint contacts.
    content = canonical_content(
        contact_id=contact.id, person_id=contact.person_id, type=contact.type, outcome=contact.outcome,
        occurred_at=contact.occurred_at, duration_minutes=None, pathways=[], notes=None, sensitive=False,
        concern=False, others_present=None,
    )
    assert "colleague_ids" not in content
    assert result["sha256"] == content_hash(content) == contact.content_sha256


def test_an_empty_or_null_list_is_no_colleague(api, police, person):
    phone = api(police)
    for value in ([], None):
        sent = contact_json(person.id, colleague_ids=value)
        assert phone.sync([sent]).get_json()["results"][0]["status"] == "created"
        assert stored(sent["id"]).colleague_ids == []


def test_the_colleagues_are_in_the_hash_sorted_so_a_changed_list_is_a_conflict(api, police, probation, team, person):
    third = factories.user(team, "third@powys.example", agency="police")
    sent = contact_json(person.id, colleague_ids=[third.id, probation.id])
    phone = api(police)
    created = phone.sync([sent]).get_json()["results"][0]
    assert stored(sent["id"]).colleague_ids == sorted([third.id, probation.id])
    assert phone.sync([{**sent, "colleague_ids": [probation.id, third.id]}]).get_json()["results"][0]["status"] == "duplicate"
    conflict = phone.sync([{**sent, "colleague_ids": [probation.id]}]).get_json()["results"][0]
    assert conflict["status"] == "conflict" and conflict["sha256"] == created["sha256"]
    assert conflict["stored"]["colleague_ids"] == sorted([third.id, probation.id])


def test_the_stored_contact_names_the_record_that_counts(api, police, probation, person, second_client):
    first = contact_json(person.id, colleague_ids=[probation.id])
    second = contact_json(person.id)
    api(police).sync([first])
    phone = api(probation, second_client)
    phone.sync([second])
    body = phone.get(f"/api/v1/contacts/{second['id']}").get_json()["contact"]
    assert body["same_as_id"] == first["id"]


def test_the_server_hashes_a_joint_contact_as_the_phone_does():
    """The pair of tests/js/canonical.test.mjs: the same contact, the same two hashes."""
    from datetime import datetime, timezone

    fields = dict(
        contact_id=uuid.UUID("6F1C2A4E-8B3D-4C5E-9F70-1A2B3C4D5E6F"), person_id=42, type="home_visit", outcome="kept",
        occurred_at=datetime(2026, 11, 18, 9, 30, 15, 123000, tzinfo=timezone.utc), duration_minutes=30,
        pathways=["health", "accommodation"], notes="Siaradwyd am dai — ‘tŷ’ newydd", sensitive=False, concern=True,
        others_present="",
    )
    assert content_hash(canonical_content(**fields)) == "72ff3a05ba3d393a3d00550712e9abb56f57dc9d3dabc296b89389dcddbd8c1d"
    assert content_hash(canonical_content(**fields, colleague_ids=[12, 3])) == (
        "8a6605cb4a8da28bf372a4b343f38b0b2bcf29db0930cc731ee1fd3cc572b329")


def test_moving_the_counted_copy_to_another_person_makes_the_colleagues_copy_count(
    api, police, probation, person, team, second_client
):
    other = factories.person(team, "Lowri Price")
    first = contact_json(person.id, colleague_ids=[probation.id])
    second = contact_json(person.id)
    police_phone = api(police)
    police_phone.sync([first])
    api(probation, second_client).sync([second])
    response = police_phone.post(f"/api/v1/contacts/{first['id']}/correction",
                                 json={"changes": {"person_id": other.id}, "reason": "Wrong person chosen"})
    assert response.status_code == 200, response.get_json()
    assert stored(second["id"]).same_as_id is None and stored(first["id"]).same_as_id is None
    assert offered(person) == 1 and offered(other) == 1


def test_moving_a_second_copy_to_another_person_makes_it_count_there(api, police, probation, person, team, second_client):
    other = factories.person(team, "Lowri Price")
    first = contact_json(person.id, colleague_ids=[probation.id])
    second = contact_json(person.id)
    api(police).sync([first])
    probation_phone = api(probation, second_client)
    probation_phone.sync([second])
    response = probation_phone.post(f"/api/v1/contacts/{second['id']}/correction",
                                    json={"changes": {"person_id": other.id}, "reason": "Wrong person chosen"})
    assert response.status_code == 200, response.get_json()
    assert stored(second["id"]).same_as_id is None
    assert offered(person) == 1 and offered(other) == 1


def test_a_sealed_joint_contact_opens_with_its_colleagues_and_links_the_colleagues_own_record(
    api, police, probation, person, second_client, two_keys, app  # noqa: F811
):
    """Phones seal every record: the hash checked inside the seal covers the colleagues too."""
    from app import sealing
    from tests.api.test_sealed import sealed, session_answer

    key, _old = two_keys
    app.extensions["sealing"] = sealing.KeyRing((key,))
    police_phone = api(police)
    first = contact_json(person.id, colleague_ids=[probation.id])
    body = police_phone.sync([sealed(first, key=key, token=session_answer(police_phone.client)["seal_token"])])
    assert body.get_json()["results"][0]["status"] == "created", body.get_json()
    assert stored(first["id"]).colleague_ids == [probation.id]
    probation_phone = api(probation, second_client)
    second = contact_json(person.id, colleague_ids=[police.id])
    token = session_answer(probation_phone.client)["seal_token"]
    result = probation_phone.sync([sealed(second, key=key, token=token)]).get_json()["results"][0]
    assert result["same_as"] == first["id"]
    assert offered(person) == 1
