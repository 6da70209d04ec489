"""Whole requests that cannot be answered record by record: always JSON, never a page, never a 500."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Contact, User
from tests.api.conftest import contact_json

SYNC = "/api/v1/contacts/sync"


def count_contacts() -> int:
    return db.session.scalar(select(func.count()).select_from(Contact))


def raw_post(client, body: bytes | str, content_type="application/json", path=SYNC, **headers):
    return client.client.post(
        path, data=body, content_type=content_type, headers={"X-CSRFToken": client.csrf_token, **headers}
    )


def assert_error(response, status: int, code: str):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error["message"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"", "invalid_json"),
        (b"{", "invalid_json"),
        (b'{"contacts": [}', "invalid_json"),
        (b"\xff\xfe{}", "invalid_json"),
        ('\ufeff{"contacts": []}'.encode(), "invalid_json"),
        (b'{"contacts": [NaN]}', "invalid_json"),
        (b'{"contacts": [Infinity]}', "invalid_json"),
        (b"[" * 100_000 + b"]" * 100_000, "invalid_json"),
        (b'{"contacts": [' + b"1" * 5000 + b"]}", "invalid_json"),
        (b"null", "bad_request"),
        (b"[]", "bad_request"),
        (b'"contacts"', "bad_request"),
        (b"{}", "bad_request"),
        (b'{"contacts": null}', "bad_request"),
        (b'{"contacts": {"0": {}}}', "bad_request"),
        (b'{"Contacts": []}', "bad_request"),
    ],
)
def test_a_body_that_is_not_a_list_of_contacts_is_a_400_and_stores_nothing(api, officer, body, code):
    response = raw_post(api(officer), body)
    assert_error(response, 400, code)


def test_more_than_200_contacts_is_refused_whole(api, officer, person):
    client = api(officer)
    message = assert_error(client.sync([contact_json(person.id) for _ in range(201)]), 400, "too_many_contacts")
    assert message == "Send at most 200 contacts at a time."
    assert count_contacts() == 0
    assert client.sync([contact_json(person.id) for _ in range(200)]).status_code == 200
    assert count_contacts() == 200


def test_a_body_over_the_size_limit_is_a_413_json_error(app, api, officer, person):
    client = api(officer)
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    big = [contact_json(person.id, notes="x" * 3000) for _ in range(5)]
    message = assert_error(client.sync(big), 413, "too_large")
    assert "too large" in message
    assert count_contacts() == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""])
def test_a_body_that_is_not_sent_as_json_is_a_415(api, officer, content_type):
    response = raw_post(api(officer), json.dumps({"contacts": []}), content_type=content_type)
    assert_error(response, 415, "unsupported_media_type")


def test_json_with_a_charset_parameter_is_json(api, officer):
    response = raw_post(api(officer), json.dumps({"contacts": []}), content_type="application/json; charset=utf-8")
    assert response.status_code == 200


def test_a_signed_out_phone_gets_401_json_not_a_redirect_for_reads_and_writes(client):
    for response in (
        client.get("/api/v1/caseload"),
        client.get("/api/v1/session"),
        client.post(SYNC, json={"contacts": []}),
        client.post("/api/v1/contacts/check", json={"ids": []}),
    ):
        assert_error(response, 401, "unauthenticated")
        assert "Location" not in response.headers


def test_an_expired_session_gets_401_json_even_with_the_old_token(api, officer, person):
    client = api(officer)
    with client.client.session_transaction() as session:
        session.pop("_user_id", None)  # what an expired or cleared session looks like to the server
    response = client.sync([contact_json(person.id)])
    assert_error(response, 401, "unauthenticated")
    assert count_contacts() == 0


def test_a_session_cookie_lost_altogether_gets_401(api, officer, person):
    client = api(officer)
    client.client.delete_cookie("session")
    assert_error(client.sync([contact_json(person.id)]), 401, "unauthenticated")


def test_a_deactivated_account_is_signed_out_of_the_api(api, officer, person):
    client = api(officer)
    db.session.get(User, officer.id).active = False
    db.session.commit()
    response = client.sync([contact_json(person.id)])
    assert_error(response, 401, "revoked")  # the phone wipes what it shows (app/devices)
    assert response.get_json()["error"]["revoked"] == "account" and count_contacts() == 0


def test_a_write_without_the_csrf_header_is_a_403_json_error(api, officer, person):
    client = api(officer)
    response = client.client.post(SYNC, json={"contacts": [contact_json(person.id)]})
    assert_error(response, 403, "csrf_failed")
    response = client.client.post(SYNC, json={"contacts": [contact_json(person.id)]}, headers={"X-CSRFToken": "forged"})
    assert_error(response, 403, "csrf_failed")
    assert count_contacts() == 0


def test_the_web_pages_still_send_a_signed_out_visitor_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_unknown_addresses_and_wrong_methods_under_api_are_json(api, officer):
    client = api(officer)
    assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert_error(client.get("/api/v2/caseload"), 404, "not_found")
    assert_error(client.get("/api/v1/contacts/not-a-uuid"), 404, "not_found")
    assert_error(client.get("/api/v1/contacts/sync"), 405, "method_not_allowed")
    assert_error(client.client.put(SYNC, json={}), 405, "method_not_allowed")


def test_pages_outside_the_api_still_answer_with_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_an_unexpected_failure_is_a_json_500_that_keeps_the_phones_queue(app, api, officer, person, monkeypatch):
    client = api(officer)
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("app.contacts.operations.sync_contacts", broken)
    message = assert_error(client.sync([contact_json(person.id)]), 500, "server_error")
    assert "lost" in message


def test_a_database_that_cannot_be_reached_is_a_503_with_retry_after(app, api, officer, person, monkeypatch):
    from sqlalchemy.exc import OperationalError

    client = api(officer)

    def unreachable(*_args, **_kwargs):
        raise OperationalError("INSERT", {}, Exception("connection refused"))

    monkeypatch.setattr("app.contacts.operations.sync_contacts", unreachable)
    response = client.sync([contact_json(person.id)])
    assert_error(response, 503, "unavailable")
    assert response.headers["Retry-After"] == "30"


def test_errors_are_in_welsh_for_a_user_who_chose_welsh(api, team, person):
    from tests import factories

    welsh_officer = factories.user(team, "swyddog@powys.example", language="cy")
    client = api(welsh_officer)
    result = client.sync([contact_json(person.id, type="carrier_pigeon")]).get_json()["results"][0]
    assert result["errors"]["type"] == "Nid yw Cyswllt yn adnabod y math hwn o gyswllt."
    message = assert_error(client.sync([contact_json(person.id) for _ in range(201)]), 400, "too_many_contacts")
    assert message == "Anfonwch 200 cyswllt ar y mwyaf ar y tro."


def test_a_signed_out_phone_is_answered_in_the_language_its_browser_asks_for(client):
    response = client.get("/api/v1/caseload", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"})
    message = assert_error(response, 401, "unauthenticated")
    assert message.startswith("Rydych wedi cael eich allgofnodi.")
