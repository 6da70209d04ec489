"""Inserting many rows in one statement, on PostgreSQL and SQLite alike.

On PostgreSQL the rows travel as one JSON document, unpacked by the server with
``json_populate_recordset`` into the table's own column types: one short statement
whatever the number of rows, which the driver prepares once, instead of a multi-row
VALUES list of a thousand parameters, each converted in Python and parsed on every
request. On SQLite it is an ordinary executemany.
"""

from __future__ import annotations

import enum
import json
import uuid
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import Column, Connection, Table, text


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


@lru_cache(maxsize=32)
def _postgresql_statement(table: Table, columns: tuple[str, ...], skip_existing_ids: bool, returning: str | None):
    def quote(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    names = ", ".join(quote(name) for name in columns)
    sql = (
        f"INSERT INTO {quote(table.name)} ({names}) "
        f"SELECT {names} FROM json_populate_recordset(NULL::{quote(table.name)}, CAST(:rows AS json))"
    )
    if skip_existing_ids:
        sql += " ON CONFLICT (id) DO NOTHING"
    if returning is not None:
        sql += f" RETURNING {quote(returning)}"
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
        document = json.dumps(rows, default=_json_default, ensure_ascii=False, separators=(",", ":"))
        result = connection.execute(statement, {"rows": document})
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
