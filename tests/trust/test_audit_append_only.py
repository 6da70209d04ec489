"""The audit trail is append-only: no code path changes or deletes an event, and on
PostgreSQL the database itself refuses to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from app import audit
from app.extensions import db
from app.models import AuditEvent
from tests import factories
from tests.conftest import TEST_DATABASE_URL

APP = Path(__file__).resolve().parents[2] / "app"
postgres_only = pytest.mark.skipif(not TEST_DATABASE_URL, reason="the database trigger exists on PostgreSQL only")


@pytest.fixture
def trail(team):
    factories.person(team, "Lowri Hughes")
    events = db.session.scalars(select(AuditEvent)).all()
    assert events
    return events


def snapshot():
    db.session.expire_all()
    return [(event.id, event.action, event.entity, event.after) for event in
            db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_changing_an_audit_event_through_the_orm_is_refused(trail):
    before = snapshot()
    trail[0].action = "nothing happened"
    with pytest.raises(audit.AuditTrailError):
        db.session.commit()
    db.session.rollback()
    assert snapshot() == before


def test_deleting_an_audit_event_through_the_orm_is_refused(trail):
    before = snapshot()
    db.session.delete(trail[0])
    with pytest.raises(audit.AuditTrailError):
        db.session.commit()
    db.session.rollback()
    assert snapshot() == before


@pytest.mark.parametrize("statement", [
    update(AuditEvent).values(action="rewritten"),
    delete(AuditEvent),
    delete(AuditEvent).where(AuditEvent.id < 0),
])
def test_bulk_updates_and_deletes_of_audit_events_are_refused(trail, statement):
    before = snapshot()
    with pytest.raises(audit.AuditTrailError):
        db.session.execute(statement)
    db.session.rollback()
    assert snapshot() == before


def test_adding_events_still_works(trail):
    count = len(trail)
    audit.record(db.session, "export_audit_trail", "audit_events", team_id=trail[0].team_id)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == count + 1


def test_no_code_in_the_app_updates_or_deletes_audit_events():
    forbidden = re.compile(
        r"update\(\s*AuditEvent|delete\(\s*AuditEvent|UPDATE\s+audit_events|DELETE\s+FROM\s+audit_events"
        r"|TRUNCATE[^;\n]*audit_events",
        re.IGNORECASE,
    )
    offenders = []
    for path in APP.rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if forbidden.search(line):
                offenders.append(f"{path.relative_to(APP.parent)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.commits  # another connection
@postgres_only
@pytest.mark.parametrize("sql", [
    "UPDATE audit_events SET action = 'rewritten'",
    "UPDATE audit_events SET after = NULL WHERE id = (SELECT min(id) FROM audit_events)",
    "DELETE FROM audit_events",
    "DELETE FROM audit_events WHERE false",
])
def test_postgresql_itself_refuses_to_change_or_delete_audit_events(trail, sql):
    before = snapshot()
    with db.engine.connect() as connection:
        with pytest.raises(DBAPIError, match="audit_events is append-only"):
            connection.execute(text(sql))
        connection.rollback()
    assert snapshot() == before
