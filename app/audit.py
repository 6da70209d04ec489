"""Auditing: the one place where audit events are written.

Every flush of an audited model (``__audited__ = True``) writes an event with the
values before and after, inside the same transaction as the change, so a change
cannot be stored without its audit event. Events that are not changes to a row
(sign-in, sign-out, exports) are written with ``record``.

The trail is append-only. No code changes or deletes an event: the guards below refuse it
in the ORM (a changed or deleted AuditEvent in a flush, an ORM UPDATE or DELETE of
audit_events), and on PostgreSQL a trigger refuses UPDATE and DELETE in the database
itself (migration 0004).
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import g, has_app_context
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Mapper, ORMExecuteState, Session

from app import bulk
from app.extensions import DbSession
from app.models import AuditEvent, Person, utcnow

_ACTION_ATTRIBUTE = "_audit_action"


class AuditTrailError(RuntimeError):
    """Something tried to change or delete an audit event: the trail is append-only."""


def set_actor(user_id: int | None) -> None:
    """Who is responsible for the changes made in this request or command."""
    g.audit_actor_id = user_id


def current_actor_id() -> int | None:
    return g.get("audit_actor_id") if has_app_context() else None


def label(instance, action: str) -> None:
    """Name the next audited change to ``instance`` (e.g. ``void`` rather than ``update``)."""
    setattr(instance, _ACTION_ATTRIBUTE, action)


def record(
    session: DbSession,
    action: str,
    entity: str,
    *,
    entity_id: str | int | None = None,
    team_id: int | None = None,
    person_id: int | None = None,
    after: dict | None = None,
    actor_id: int | None = None,
) -> None:
    """Write an event that is not a row change, such as a sign-in or an export."""
    session.add(
        AuditEvent(
            occurred_at=utcnow(),
            actor_id=actor_id if actor_id is not None else current_actor_id(),
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            team_id=team_id,
            person_id=person_id,
            after=after,
        )
    )


def rows_created(session: DbSession, model, rows: list[dict], *, actor_id: int | None = None) -> None:
    """Write the create events for rows inserted with a Core INSERT, which bypasses the flush listener.

    Each row is a mapping of column name to value holding every column (as the
    listener's snapshot would). The events go in the same transaction as the rows.
    """
    _insert_created(session.connection(), model, rows, actor_id=actor_id, now=utcnow())


def _insert_created(connection, model, rows: list[dict], *, actor_id: int | None, now: datetime) -> None:
    if not rows:
        return
    if not getattr(model, "__audited__", False):
        raise ValueError(f"{model.__name__} is not audited")
    columns = _audited_columns_of(model)
    primary_key = [column.key for column in inspect(model).primary_key]
    actor_id = actor_id if actor_id is not None else current_actor_id()
    events = [
        {
            "occurred_at": now,
            "actor_id": actor_id,
            "action": "create",
            "entity": model.__tablename__,
            "entity_id": ",".join(str(row[key]) for key in primary_key),
            "team_id": row.get("team_id"),
            "person_id": row.get("person_id"),
            "before": None,
            "after": {key: jsonable(row.get(key)) for key in columns},
        }
        for row in rows
    ]
    bulk.insert_rows(connection, AuditEvent.__table__, events)


@dataclass(frozen=True)
class CreateEvents:
    """The create events of rows inserted by ``app.bulk.insert_new``: the same events as
    ``rows_created`` writes (and as the flush listener would), but on PostgreSQL written by
    the INSERT statement itself from the rows it stored, in one round trip.

    Each row travels as a JSON object whose keys are every column and whose values are
    what ``jsonable`` makes of them, so that object is the event's ``after``.
    """

    model: type
    actor_id: int | None
    occurred_at: datetime = field(default_factory=utcnow)

    def select_sql(self, rows: str) -> str:
        """``INSERT INTO audit_events … SELECT`` one event per row of ``rows``, whose columns are
        the model's own plus ``element`` (the row's JSON object), qualified as ``source``."""
        if getattr(self.model, "__audit_exclude__", None):
            raise ValueError(f"{self.model.__name__} leaves columns out of its events: use rows_created")
        mapper: Mapper = inspect(self.model)
        (primary_key,) = [column.key for column in mapper.primary_key]
        columns = mapper.local_table.c
        team = "source.team_id" if "team_id" in columns else "NULL"
        person = "source.person_id" if "person_id" in columns else "NULL"
        return (
            "INSERT INTO audit_events (occurred_at, actor_id, action, entity, entity_id, team_id, person_id, "
            '"before", "after") '
            "SELECT CAST(:audit_at AS timestamptz), CAST(:audit_actor AS integer), 'create', "
            f"CAST(:audit_entity AS varchar), CAST(source.{primary_key} AS text), {team}, {person}, NULL, "
            f"source.element FROM {rows}"
        )

    def parameters(self) -> dict:
        actor_id = self.actor_id if self.actor_id is not None else current_actor_id()
        return {"audit_at": self.occurred_at, "audit_actor": actor_id, "audit_entity": inspect(self.model).local_table.name}

    def write(self, connection, rows: list[dict]) -> None:
        """The same events, written apart (SQLite)."""
        _insert_created(connection, self.model, rows, actor_id=self.actor_id, now=self.occurred_at)


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def jsonable(value):
    if type(value) in _PLAIN_TYPES:  # exact types: a StrEnum member is a str subclass, handled below
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    return value


def _audited_columns_of(cls) -> list[str]:
    excluded: frozenset[str] = frozenset(getattr(cls, "__audit_exclude__", ()))
    return [attr.key for attr in inspect(cls).column_attrs if attr.key not in excluded]


def _audited_columns(instance) -> list[str]:
    return _audited_columns_of(type(instance))


def _snapshot(instance) -> dict:
    return {key: jsonable(getattr(instance, key)) for key in _audited_columns(instance)}


def _changes(instance) -> tuple[dict, dict]:
    state = inspect(instance)
    before, after = {}, {}
    for key in _audited_columns(instance):
        history = state.attrs[key].history
        if history.has_changes():
            before[key] = jsonable(history.deleted[0]) if history.deleted else None
            after[key] = jsonable(history.added[0]) if history.added else None
    return before, after


def _owners(session: DbSession, instance) -> tuple[int | None, int | None]:
    """The team and person an event belongs to, so that scoped readers can find it."""
    if isinstance(instance, Person):
        return instance.team_id, instance.id
    person_id = getattr(instance, "person_id", None)
    team_id = getattr(instance, "team_id", None)
    if team_id is None and person_id is not None:
        person = session.identity_map.get(inspect(Person).identity_key_from_primary_key((person_id,)))
        team_id = person.team_id if person is not None else None
    return team_id, person_id


def _event_row(session: DbSession, instance, action: str, before, after, actor_id) -> dict:
    team_id, person_id = _owners(session, instance)
    identity = inspect(type(instance)).primary_key_from_instance(instance)
    return {
        "occurred_at": utcnow(),
        "actor_id": actor_id,
        "action": getattr(instance, _ACTION_ATTRIBUTE, None) or action,
        "entity": type(instance).__tablename__,
        "entity_id": ",".join(str(part) for part in identity) if any(p is not None for p in identity) else None,
        "team_id": team_id,
        "person_id": person_id,
        "before": before,
        "after": after,
    }


def _keep_old_value(_target, value, _old_value, _initiator):
    return value


@event.listens_for(Mapper, "mapper_configured")
def _load_old_values_before_changes(mapper: Mapper, cls) -> None:
    """Make SQLAlchemy load an expired value before replacing it, so "before" is never lost."""
    if getattr(cls, "__audited__", False):
        for key in _audited_columns_of(cls):
            event.listen(getattr(cls, key), "set", _keep_old_value, active_history=True, retval=True)


@event.listens_for(Session, "after_flush")
def _write_audit_events(session: Session, _flush_context) -> None:
    actor_id = current_actor_id()
    rows = []
    for instance in session.new:
        if getattr(type(instance), "__audited__", False):
            rows.append(_event_row(session, instance, "create", None, _snapshot(instance), actor_id))
    for instance in session.dirty:
        if getattr(type(instance), "__audited__", False) and session.is_modified(instance):
            before, after = _changes(instance)
            if after:
                rows.append(_event_row(session, instance, "update", before, after, actor_id))
    for instance in session.deleted:
        if getattr(type(instance), "__audited__", False):
            rows.append(_event_row(session, instance, "delete", _snapshot(instance), None, actor_id))
    for instance in list(session.new) + list(session.dirty):
        if hasattr(instance, _ACTION_ATTRIBUTE):
            delattr(instance, _ACTION_ATTRIBUTE)
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_audit_events(session: Session, _flush_context, _instances) -> None:
    for instance in session.deleted:
        if isinstance(instance, AuditEvent):
            raise AuditTrailError("Audit events cannot be deleted.")
    for instance in session.dirty:
        if isinstance(instance, AuditEvent) and session.is_modified(instance):
            raise AuditTrailError("Audit events cannot be changed.")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes_to_audit_events(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and state.bind_mapper is not None \
            and state.bind_mapper.class_ is AuditEvent:
        raise AuditTrailError("Audit events cannot be changed or deleted.")
