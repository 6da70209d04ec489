"""POST /api/v1/arrangements/sync and GET /api/v1/arrangements: arranged contacts, each stored once."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import Arrangement, AuditEvent
from tests import factories
from tests.api.conftest import NOW, iso


def arrangement_json(person_id: int, **fields) -> dict:
    return {"id": str(uuid.uuid4()), "person_id": person_id, "type": "home_visit",
            "starts_at": iso(NOW + timedelta(days=1)), "place": "12 Stryd y Bont", "with_whom": "Gweithiwr tai",
            **fields}


def sync(client, items):
    return client.post("/api/v1/arrangements/sync", json={"arrangements": items})


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Arrangement))


def test_an_arrangement_is_stored_once_and_a_replay_is_answered_the_same(api, officer, person):
    client = api(officer)
    sent = arrangement_json(person.id)
    first = sync(client, [sent]).get_json()["results"][0]
    again = sync(client, [sent]).get_json()["results"][0]
    assert first["status"] == "created" and again["status"] == "duplicate"
    assert first["sha256"] == again["sha256"] and first["arrangement"] == again["arrangement"]
    assert "place" not in first["arrangement"]
    assert count() == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.entity == "arrangements")) == 1


def test_other_content_under_the_same_id_is_a_conflict_and_changes_nothing(api, officer, person):
    client = api(officer)
    sent = arrangement_json(person.id)
    sync(client, [sent])
    [result] = sync(client, [{**sent, "with_whom": "Rhywun arall"}]).get_json()["results"]
    assert result["status"] == "conflict"
    assert result["arrangement"]["with_whom"] == "Gweithiwr tai"
    db.session.expire_all()
    assert db.session.get(Arrangement, uuid.UUID(sent["id"])).with_whom == "Gweithiwr tai"


def test_each_bad_arrangement_is_rejected_on_its_own(api, officer, person, other_person):
    client = api(officer)
    good = arrangement_json(person.id)
    results = sync(client, [arrangement_json(other_person.id), {"id": "x"}, good, 7]).get_json()["results"]
    assert [result["status"] for result in results] == ["rejected", "rejected", "created", "rejected"]
    assert results[0]["errors"] == {"person_id": "This person is not on your caseload."}
    assert set(results[1]["errors"]) >= {"id", "person_id", "type", "starts_at"}
    assert results[3]["errors"] == {"arrangement": "Each arrangement must be a JSON object."}


def test_an_officer_arranges_for_themselves_only(api, officer, supervisor, person):
    sent = arrangement_json(person.id, officer_id=supervisor.id)
    [result] = sync(api(officer), [sent]).get_json()["results"]
    assert result["status"] == "rejected" and "officer_id" in result["errors"]


def test_another_team_s_id_is_refused_without_saying_more(api, app, officer, other_officer, person, other_person):
    sent = arrangement_json(other_person.id)
    assert sync(api(other_officer), [sent]).get_json()["results"][0]["status"] == "created"
    [result] = sync(api(officer, app.test_client()), [{**sent, "person_id": person.id}]).get_json()["results"]
    assert result["status"] == "rejected" and set(result["errors"]) == {"id"}


def test_the_officer_s_arrangements_today_and_this_week(api, officer, supervisor, person):
    factories.arrangement(person, officer, NOW + timedelta(hours=2))  # today
    factories.arrangement(person, officer, NOW + timedelta(days=2))  # Friday
    factories.arrangement(person, officer, NOW - timedelta(days=6))  # last Thursday, no outcome
    factories.arrangement(person, officer, NOW + timedelta(days=8))  # next week
    factories.arrangement(person, supervisor, NOW + timedelta(hours=3))  # the supervisor's
    body = api(officer).get("/api/v1/arrangements").get_json()
    rows = body["arrangements"]
    assert body["week_start"] == "2026-11-16"
    assert [(row["today"], row["outcome_missing"]) for row in rows] == [(False, True), (True, False), (False, False)]
    assert all("place" not in row for row in rows)


def test_the_caseload_shows_arranged_this_week_beside_offered_and_kept(api, officer, person):
    factories.arrangement(person, officer, NOW + timedelta(days=1))
    factories.arrangement(person, officer, NOW + timedelta(days=2), state="cancelled")
    factories.arrangement(person, officer, NOW + timedelta(days=8))
    [row] = api(officer).get("/api/v1/caseload").get_json()["people"]
    assert (row["arranged_this_week"], row["offered_this_week"], row["kept_this_week"]) == (1, 0, 0)


def test_a_new_arrangement_changes_the_caseload_etag(api, officer, person):
    client = api(officer)
    etag = client.get("/api/v1/caseload").headers["ETag"]
    sync(client, [arrangement_json(person.id)])
    assert client.get("/api/v1/caseload", headers={"If-None-Match": etag}).status_code == 200


def test_a_contact_sent_with_its_arrangement_id_marks_the_arrangement_recorded(api, officer, person):
    from tests.api.conftest import contact_json

    arranged = factories.arrangement(person, officer, NOW - timedelta(hours=1))
    client = api(officer)
    sent = contact_json(person.id, outcome="did_not_attend", arrangement_id=str(arranged.id))
    assert client.sync([sent]).get_json()["results"][0]["status"] == "created"
    db.session.expire_all()
    recorded = db.session.get(Arrangement, arranged.id)
    assert (recorded.state, str(recorded.contact_id)) == ("recorded", sent["id"])
    assert client.sync([sent]).get_json()["results"][0]["status"] == "duplicate"  # a re-send changes nothing
    [row] = client.get("/api/v1/caseload").get_json()["people"]
    assert (row["arranged_this_week"], row["offered_this_week"], row["kept_this_week"]) == (1, 1, 0)


def test_an_unknown_arrangement_id_never_costs_the_contact(api, officer, person):
    from tests.api.conftest import contact_json

    sent = contact_json(person.id, arrangement_id=str(uuid.uuid4()))
    assert api(officer).sync([sent]).get_json()["results"][0]["status"] == "created"
