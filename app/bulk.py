"""Inserting many rows in one statement, on PostgreSQL and SQLite alike.

On PostgreSQL the rows travel as one JSON document, unpacked by the server with
``json_populate_recordset`` into the table's own column types: one short statement
whatever the number of rows, which the driver prepares once, instead of a multi-row
VALUES list of a thousand parameters, each converted in Python and parsed on every
request. On SQLite it is an ordinary executemany.

``insert_new`` is the sync path's insert: on PostgreSQL one statement stores the rows
whose parent belongs to the right team, skips ids already held, and writes each stored
row's audit event (``app.audit.CreateEvents``) from the same rows (a data-modifying CTE),
so a batch is one round trip. On SQLite the same happens in three plain statements.
"""

from __future__ import annotations

import enum
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Protocol

from sqlalchemy import Column, Connection, Table, select, text


def _json_default(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetimes cannot be stored; give a time zone")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"cannot store {type(value).__name__} in bulk")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _document(rows: list[dict]) -> str:
    return json.dumps(rows, default=_json_default, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=32)
def _postgresql_statement(table: Table, columns: tuple[str, ...], skip_existing_ids: bool, returning: str | None):
    names = ", ".join(_quote(name) for name in columns)
    sql = (
        f"INSERT INTO {_quote(table.name)} ({names}) "
        f"SELECT {names} FROM json_populate_recordset(NULL::{_quote(table.name)}, CAST(:rows AS json))"
    )
    if skip_existing_ids:
        sql += " ON CONFLICT (id) DO NOTHING"
    if returning is not None:
        sql += f" RETURNING {_quote(returning)}"
    return text(sql)


def insert_rows(connection: Connection, table: Table, rows: list[dict], *, skip_existing_ids: bool = False,
                returning: Column | None = None) -> list:
    """Insert ``rows`` (mappings with the same keys, column names). Returns ``returning`` of each row inserted.

    ``skip_existing_ids``: ``ON CONFLICT (id) DO NOTHING`` — a row whose id is already held
    is left out without an error, and (with ``returning``) left out of the answer too.
    """
    if not rows:
        return []
    dialect = connection.dialect.name
    if dialect == "postgresql":
        statement = _postgresql_statement(
            table, tuple(rows[0]), skip_existing_ids, None if returning is None else returning.key
        )
        result = connection.execute(statement, {"rows": _document(rows)})
        return [] if returning is None else list(result.scalars())
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert

        statement = insert(table)
        if skip_existing_ids:
            statement = statement.on_conflict_do_nothing(index_elements=[table.c.id])
        if returning is not None:
            return list(connection.execute(statement.returning(returning), rows).scalars())
        connection.execute(statement, rows)
        return []
    raise NotImplementedError(f"no bulk insert written for {dialect}")  # pragma: no cover


@dataclass(frozen=True)
class Parent:
    """Only rows whose ``column`` names a row of ``table`` with ``table.key == value``
    (for contacts: a person of the actor's team)."""

    column: str
    table: Table
    key: str
    value: int


class Events(Protocol):
    """What writes the create events of inserted rows (``app.audit.CreateEvents``)."""

    def select_sql(self, rows: str) -> str: ...

    def parameters(self) -> dict: ...

    def write(self, connection: Connection, rows: list[dict]) -> None: ...


@lru_cache(maxsize=8)
def _insert_new_statement(table: Table, columns: tuple[str, ...], parent: tuple | None, events_sql: str | None):
    names = ", ".join(_quote(name) for name in columns)
    source = (
        f"SELECT r.*, e AS element FROM json_array_elements(CAST(:rows AS json)) AS e, "
        f"LATERAL json_populate_record(NULL::{_quote(table.name)}, e) AS r"
    )
    if parent is not None:
        column, parent_table, key = parent
        source += (
            f" WHERE r.{_quote(column)} IN (SELECT id FROM {_quote(parent_table)} "
            f"WHERE {_quote(key)} = CAST(:parent_value AS integer))"
        )
    sql = (
        f"WITH source AS ({source}), "
        f"inserted AS (INSERT INTO {_quote(table.name)} ({names}) SELECT {names} FROM source "
        f"ON CONFLICT (id) DO NOTHING RETURNING id)"
    )
    if events_sql is not None:
        sql += f", events AS ({events_sql})"
    return text(sql + " SELECT id FROM inserted")


def insert_new(connection: Connection, table: Table, rows: list[dict], *, parent: Parent | None = None,
               events: Events | None = None) -> list:
    """Insert the rows (with an ``id`` primary key) not already held; return the ids inserted.

    ``parent``: rows whose parent does not match are left out (and out of the answer).
    ``events``: each inserted row's audit event is written in the same statement.
    """
    if not rows:
        return []
    if connection.dialect.name == "postgresql":
        shape = None if parent is None else (parent.column, parent.table.name, parent.key)
        events_sql = None if events is None else events.select_sql(
            "inserted JOIN source ON source.id = inserted.id"
        )
        statement = _insert_new_statement(table, tuple(rows[0]), shape, events_sql)
        parameters: dict[str, object] = {"rows": _document(rows)}
        if parent is not None:
            parameters["parent_value"] = parent.value
        if events is not None:
            parameters.update(events.parameters())
        return list(connection.execute(statement, parameters).scalars())
    if parent is not None:
        wanted = {row[parent.column] for row in rows}
        key = parent.table.c.id
        allowed = set(
            connection.execute(
                select(key).where(key.in_(wanted), parent.table.c[parent.key] == parent.value)
            ).scalars()
        )
        rows = [row for row in rows if row[parent.column] in allowed]
    inserted = set(insert_rows(connection, table, rows, skip_existing_ids=True, returning=table.c.id))
    if events is not None:
        events.write(connection, [row for row in rows if row["id"] in inserted])
    return [row["id"] for row in rows if row["id"] in inserted]
