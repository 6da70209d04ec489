"""What operators see: one JSON line per request without notes or names, health and
readiness checks, and Sentry events redacted as the logs are (app/observability.py)."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import text

from app import observability
from app.extensions import db
from tests import factories
from tests.trust.conftest import HIDDEN_NOTE

NAME = "Bethan Gyfrinachol"


def request_lines(caplog) -> list[dict]:
    return [json.loads(record.getMessage()) for record in caplog.records if record.name == observability.REQUEST_LOGGER]


def test_each_request_is_one_json_line_with_its_route_status_time_and_user(client, officer, signed_in, caplog):
    person = factories.person(officer.team, NAME, offender_manager=officer)
    factories.contact(person, officer, notes=HIDDEN_NOTE)
    signed_in(officer)
    with caplog.at_level(logging.INFO, logger=observability.REQUEST_LOGGER):
        caplog.clear()
        response = client.get(f"/people/{person.id}?q={NAME}", headers={"X-Request-ID": "from-the-proxy-42"})
    assert response.status_code == 200 and response.headers["X-Request-ID"] == "from-the-proxy-42"
    [line] = request_lines(caplog)
    assert set(line) == {"request_id", "method", "route", "endpoint", "status", "duration_ms", "user_id"}
    assert line["request_id"] == "from-the-proxy-42"
    assert line["route"] == "/people/<int:person_id>" and line["endpoint"] == "people.person_page"
    assert line["status"] == 200 and line["user_id"] == officer.id and line["duration_ms"] >= 0
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert NAME not in logged and HIDDEN_NOTE not in logged and "Gyfrinachol" not in logged


def test_a_request_id_is_made_when_none_or_a_strange_one_is_given(client, caplog):
    with caplog.at_level(logging.INFO, logger=observability.REQUEST_LOGGER):
        first = client.get("/login")
        second = client.get("/login", headers={"X-Request-ID": "<script>"})
    ids = [line["request_id"] for line in request_lines(caplog)]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert first.headers["X-Request-ID"] == ids[0] and second.headers["X-Request-ID"] == ids[1]
    assert all(len(id_) == 32 for id_ in ids)
    assert all(line["user_id"] is None for line in request_lines(caplog))


def test_healthz_answers_while_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_answers_ready_when_the_database_is_at_the_migrations_head(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "ok"


def test_readyz_answers_503_when_the_schema_is_behind_the_migrations(app, client):
    db.session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    db.session.commit()  # rolled back with the rest of the test
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["reason"] == "migrations"


def test_readyz_answers_503_when_the_database_cannot_be_reached():
    from app import create_app
    from tests.conftest import test_settings

    unreachable = create_app(test_settings("postgresql+psycopg://nobody@127.0.0.1:9/closed"))
    response = unreachable.test_client().get("/readyz")
    assert response.status_code == 503 and response.get_json()["reason"] == "database"
    assert unreachable.test_client().get("/healthz").status_code == 200


def test_sentry_events_are_redacted_as_the_logs_are_and_carry_no_body():
    event = {
        "message": f'sync failed: {{"notes": "{HIDDEN_NOTE}", "type": "phone"}}',
        "exception": {"values": [{"value": "Failing row contains (1, secret, row)"}]},
        "request": {"url": "https://cyswllt.example/api/v1/contacts/sync", "data": {"notes": HIDDEN_NOTE},
                    "query_string": f"q={NAME}", "cookies": {"session": "abc"}},
        "breadcrumbs": {"values": [{"message": f"notes='{HIDDEN_NOTE}'"}]},
        "extra": {"contact": {"notes": HIDDEN_NOTE, "type": "phone"}},
    }
    cleaned = json.dumps(observability.redact_event(event))
    assert HIDDEN_NOTE.split(":")[1].strip() not in cleaned and "secret" not in cleaned and NAME not in cleaned
    assert "[redacted]" in cleaned and "/api/v1/contacts/sync" in cleaned


@pytest.mark.parametrize("setting", [None, ""])
def test_sentry_is_off_without_a_dsn(setting):
    from app.config import load

    assert load("/tmp", environ={"SENTRY_DSN": setting} if setting is not None else {})["SENTRY_DSN"] is None
