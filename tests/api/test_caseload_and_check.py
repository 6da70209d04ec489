"""GET /api/v1/caseload, GET /api/v1/session and POST /api/v1/contacts/check."""

from __future__ import annotations

from datetime import date

from app.collation import english_order_key
from app.extensions import db
from tests import factories
from tests.api.conftest import contact_json


def test_the_caseload_has_what_recording_needs_and_nothing_more(api, officer, team, person, other_person):
    factories.person(team, "Gone Already", joined_on=date(2026, 1, 5), left_on=date(2026, 6, 1))
    client = api(officer)
    client.sync([contact_json(person.id, notes="Private")])
    response = client.get("/api/v1/caseload")
    assert response.status_code == 200
    body = response.get_json()
    assert body["week_start"] == "2026-11-16" and body["server_time"] == "2026-11-18T12:00:00.000Z"
    assert body["people"] == [
        {
            "id": person.id,
            "display_name": "Rhys Evans",
            "order_key": english_order_key("Rhys Evans"),
            "category": "fixed",
            "rag": "amber",
            "required_this_week": 3,
            "offered_this_week": 1,
            "kept_this_week": 1,
            "arranged_this_week": 0,
            "last_contact_at": "2026-11-18T11:50:00.000Z",
            "offender_manager": {"id": officer.id, "name": officer.name},
            "is_mine": True,  # what finding people needs: whose they are, and the references to search
            "delius_crn": None,
            "niche_ref": None,
            "next_actions": [],
        }
    ]
    assert "Private" not in response.get_data(as_text=True)


def test_the_caseload_has_each_persons_next_plan_actions_and_its_etag_follows_them(api, officer, supervisor, person):
    from app.domain.plans import Need, Owner
    from app.models import Pathway
    from app.plans import operations as plans

    plans.set_pathway(db.session, person, by=supervisor, pathway=Pathway.HEALTH, need=Need.HIGH,
                      work="Nodyn iechyd: sees the community mental health team")
    for day, text in ((date(2026, 12, 20), "Fourth"), (date(2026, 11, 10), "Overdue one"),
                      (date(2026, 11, 25), "Second"), (date(2026, 12, 1), "Third")):
        plans.add_action(db.session, person, by=supervisor, description=text, owner=Owner(agency_name="Tai Powys"),
                         due_on=day)
    db.session.commit()
    client = api(officer)
    first = client.get("/api/v1/caseload")
    row = first.get_json()["people"][0]
    assert [action["description"] for action in row["next_actions"]] == ["Overdue one", "Second", "Third"]
    assert row["next_actions"][0] == {"id": row["next_actions"][0]["id"], "description": "Overdue one",
                                      "due_on": "2026-11-10", "owner": "Tai Powys", "owner_id": None}
    assert "Nodyn iechyd" not in first.get_data(as_text=True)
    from app.models import PlanAction
    from sqlalchemy import select

    overdue = db.session.scalar(select(PlanAction).where(PlanAction.description == "Overdue one"))
    plans.set_action_status(db.session, overdue, "done")
    db.session.commit()
    again = client.get("/api/v1/caseload", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert [a["description"] for a in again.get_json()["people"][0]["next_actions"]] == ["Second", "Third", "Fourth"]


def test_the_caseload_answers_304_while_nothing_has_changed(api, officer, person):
    client = api(officer)
    first = client.get("/api/v1/caseload")
    etag = first.headers["ETag"]
    unchanged = client.get("/api/v1/caseload", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert unchanged.headers["ETag"] == etag
    client.sync([contact_json(person.id)])
    changed = client.get("/api/v1/caseload", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_the_caseload_etag_changes_when_a_person_changes(api, officer, person):
    client = api(officer)
    etag = client.get("/api/v1/caseload").headers["ETag"]
    person.rag = "red"
    db.session.commit()
    assert client.get("/api/v1/caseload", headers={"If-None-Match": etag}).status_code == 200


def test_the_caseload_etag_changes_with_a_review_a_pause_and_the_teams_defaults(api, officer, team, person):
    client = api(officer)
    changes = [
        lambda: factories.review(person, date(2026, 11, 16), 5),
        lambda: factories.pause(person, date(2026, 11, 17)),
        lambda: setattr(team, "default_flex", 2),
    ]
    for change in changes:
        etag = client.get("/api/v1/caseload").headers["ETag"]
        change()
        db.session.commit()
        assert client.get("/api/v1/caseload", headers={"If-None-Match": etag}).status_code == 200


def test_another_teams_change_leaves_the_caseload_unchanged(api, officer, person, other_person):
    client = api(officer)
    etag = client.get("/api/v1/caseload").headers["ETag"]
    other_person.rag = "red"
    db.session.commit()
    assert client.get("/api/v1/caseload", headers={"If-None-Match": etag}).status_code == 304


def test_the_session_tells_the_phone_who_it_is_and_gives_a_working_token(api, officer, team):
    client = api(officer)
    body = client.get("/api/v1/session").get_json()
    assert body["user"] == {
        "id": officer.id, "name": officer.name, "language": "en",
        "team": {"id": team.id, "name": "Powys IOM", "late_entry_days": 14, "correction_window_days": 7}, "role": "officer", "agency": "police",
    }
    assert body["idle_timeout_seconds"] is None
    assert client.post("/api/v1/contacts/check", json={"ids": []}, headers={"X-CSRFToken": body["csrf_token"]}).status_code == 200


def test_check_reports_held_ids_with_their_hashes_and_everything_else_as_missing(
    api, officer, person, other_officer, other_person, second_client
):
    client = api(officer)
    mine = contact_json(person.id)
    result = client.sync([mine]).get_json()["results"][0]
    theirs = contact_json(other_person.id)
    api(other_officer, second_client).sync([theirs])
    never_sent = contact_json(person.id)["id"]
    body = client.post(
        "/api/v1/contacts/check", json={"ids": [mine["id"], theirs["id"], never_sent, "not-a-uuid"]}
    ).get_json()
    assert body["contacts"] == [
        {
            "id": mine["id"],
            "sha256": result["sha256"],
            "received_sha256": result["sha256"],
            "server_received_at": result["server_received_at"],
            "voided": False,
        }
    ]
    assert body["missing"] == [theirs["id"], never_sent, "not-a-uuid"]


def test_check_refuses_a_body_that_is_not_a_list_of_ids(api, officer):
    client = api(officer)
    for body in ({}, {"ids": "x"}, {"ids": [1, 2]}, []):
        response = client.post("/api/v1/contacts/check", json=body)
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"
    response = client.post("/api/v1/contacts/check", json={"ids": ["x"] * 501})
    assert response.get_json()["error"] == {"code": "too_many_ids", "message": "Ask about at most 500 ids at a time."}


def test_the_caseload_is_never_stored_by_a_browser_yet_its_etag_still_saves_sending_it_again(api, officer, person):
    client = api(officer)
    first = client.get("/api/v1/caseload")
    assert first.headers["Cache-Control"] == "no-store"
    unchanged = client.get("/api/v1/caseload", headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.headers["Cache-Control"] == "no-store"


def test_only_answers_without_personal_data_may_be_cached(app):
    from app.security.headers import CACHEABLE

    assert set(CACHEABLE) <= {rule.endpoint for rule in app.url_map.iter_rules()}, "a cacheable endpoint is gone"
    assert not any(endpoint.startswith(("main.", "people.", "supervision.", "audit_trail.", "contacts."))
                   for endpoint in CACHEABLE)
    assert {endpoint for endpoint in CACHEABLE if endpoint.startswith("api.")} == {"api.openapi"}


def test_an_officers_new_name_changes_the_caseload_and_a_new_password_does_not(api, officer, person):
    client = api(officer)
    etag = client.get("/api/v1/caseload").headers["ETag"]
    officer.password_hash = officer.password_hash + "x"
    db.session.commit()
    assert client.get("/api/v1/caseload", headers={"If-None-Match": etag}).status_code == 304
    officer.name = "Sioned Hughes"
    db.session.commit()
    assert client.get("/api/v1/caseload", headers={"If-None-Match": etag}).status_code == 200
