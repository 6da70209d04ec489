"""Contact notes are the most sensitive field: never logged, never in a URL."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.security.redaction import redact
from tests import factories
from tests.trust.conftest import HIDDEN_NOTE

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"
SECRET = "he has moved in with his sister at 4 Heol y Bryn"


@pytest.mark.parametrize("text", [
    f'{{"id": "a1", "notes": "{SECRET}", "type": "home_visit"}}',
    f"{{'notes': '{SECRET}', 'type': 'home_visit'}}",
    f"type=home_visit&notes={SECRET.replace(' ', '+')}&outcome=kept",
    f'{{"NOTES":"{SECRET} \\"quoted\\""}}',
    f"DETAIL:  Failing row contains (3f2a, 1, 2, police, home_visit, kept, {SECRET}, f, f).",
])
def test_notes_and_row_dumps_are_redacted_from_any_text(text):
    cleaned = redact(text)
    assert "sister" not in cleaned
    assert "[redacted]" in cleaned


def test_text_without_notes_is_left_alone():
    text = '{"id": "a1", "type": "home_visit", "notes_count": 3} notes are private'
    assert redact(text) == text


def test_whatever_logger_writes_a_note_the_record_is_redacted(app, caplog):
    caplog.set_level(logging.DEBUG)
    for logger in (app.logger, logging.getLogger("gunicorn.error"), logging.getLogger("sqlalchemy.engine")):
        logger.warning("received %s", {"id": "a1", "notes": SECRET})
        logger.info('payload {"notes": "%s"}' % SECRET)
    assert caplog.records
    assert SECRET not in caplog.text
    assert all(SECRET not in record.getMessage() for record in caplog.records)


def test_a_database_error_about_a_contact_never_carries_its_notes_into_the_log(app, team, officer, caplog):
    """PostgreSQL's error text prints the failing row; SQLAlchemy's prints the parameters."""
    caplog.set_level(logging.DEBUG)
    person = factories.person(team)
    with pytest.raises(IntegrityError) as raised:
        factories.contact(person, officer, notes=SECRET, duration_minutes=5000)
    db.session.rollback()
    assert "SQL parameters hidden" in str(raised.value)
    app.logger.exception("storing a contact failed", exc_info=raised.value)
    assert "sister" not in caplog.text
    for record in caplog.records:
        assert "sister" not in (record.exc_text or "")


@pytest.mark.own_app  # adds a route
def test_a_server_error_while_handling_notes_logs_no_notes(app, client, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.post("/_explode")
    def explode():
        raise RuntimeError(f"could not store {{'notes': '{SECRET}'}}")

    from app.extensions import csrf

    csrf.exempt(explode)
    caplog.set_level(logging.DEBUG)
    response = client.post("/_explode", data={"notes": SECRET})
    assert response.status_code == 500
    assert "RuntimeError" in caplog.text, "the error itself must still be logged"
    assert "sister" not in caplog.text


def test_signing_in_logs_nothing_of_what_was_posted(client, officer, caplog):
    caplog.set_level(logging.DEBUG)
    from tests.conftest import csrf_token_from

    token = csrf_token_from(client)
    client.post("/login", data={"email": officer.email, "password": factories.PASSWORD, "csrf_token": token,
                                "notes": SECRET})
    assert factories.PASSWORD not in caplog.text
    assert "sister" not in caplog.text


def test_no_route_takes_notes_in_its_path(app):
    assert [rule.rule for rule in app.url_map.iter_rules() if "note" in rule.rule.lower()] == []


def test_every_form_with_a_notes_field_is_posted_not_put_in_the_address():
    problems = []
    form = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.S | re.I)
    for template in TEMPLATES.rglob("*.html"):
        for match in form.finditer(template.read_text()):
            if re.search(r"""name=["']notes["']|\.notes\b|form\.notes""", match.group("body")) \
                    and not re.search(r"""method=["']post["']""", match.group("attrs"), re.I):
                problems.append(str(template.relative_to(TEMPLATES)))
    assert problems == []


def test_another_teams_notes_are_never_shown(client, world, signed_in):
    signed_in(world.officer)
    for path in ("/", f"/people/{world.own_person.id}", f"/people/{world.other_person.id}"):
        assert HIDDEN_NOTE not in client.get(path).get_data(as_text=True)


def test_the_caseload_sent_to_the_phone_carries_no_notes(client, world, signed_in):
    signed_in(world.officer)
    caseload = client.get("/api/v1/caseload").get_data(as_text=True)
    assert world.own_person.display_name in caseload
    assert '"notes"' not in caseload and "Our own note" not in caseload


@pytest.mark.commits  # SQL logging is read when a connection opens: the request needs a new one
def test_syncing_a_contact_logs_nothing_of_its_notes_even_with_sql_logging_on(client, world, signed_in, caplog):
    from datetime import datetime, timedelta, timezone
    from uuid import uuid4

    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")  # put back by caplog afterwards
    signed_in(world.officer)
    csrf = client.get("/api/v1/session").get_json()["csrf_token"]
    made = (datetime.now(timezone.utc) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    contact = {"id": str(uuid4()), "person_id": world.own_person.id, "type": "home_visit", "outcome": "kept",
               "occurred_at": made, "recorded_at": made, "notes": SECRET}
    response = client.post("/api/v1/contacts/sync", json={"sent_at": made, "contacts": [contact]},
                           headers={"X-CSRFToken": csrf})
    assert response.get_json()["results"][0]["status"] == "created"
    tallies = response.get_json()["tallies"]
    assert tallies and "notes" not in json.dumps(tallies)
    assert any("INSERT INTO" in record.getMessage() for record in caplog.records), "SQL logging was not on"
    assert "sister" not in caplog.text
