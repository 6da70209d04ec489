"""A backup made as docs/deployment.md says (pg_dump -Fc) restores into an empty database
with every row, the migration version and the append-only trigger intact."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from tests.conftest import TEST_DATABASE_URL

pytestmark = [
    pytest.mark.commits,  # read by another process (see tests/conftest.py)
    pytest.mark.postgres_only,
    pytest.mark.skipif(not TEST_DATABASE_URL, reason="pg_dump and pg_restore back up PostgreSQL only"),
    pytest.mark.skipif(not shutil.which("pg_dump") or not shutil.which("pg_restore"),
                       reason="the PostgreSQL client tools are not installed"),
]


def libpq(url) -> str:
    """The URL as pg_dump and pg_restore read it (no SQLAlchemy driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def table_contents(engine) -> dict[str, list]:
    contents = {}
    with engine.connect() as connection:
        for table in [*sorted(db.metadata.tables), "alembic_version"]:
            rows = connection.execute(text(f"SELECT * FROM {table}")).all()
            contents[table] = sorted((tuple(str(value) for value in row) for row in rows))
    return contents


def test_a_dump_restores_into_an_empty_database_with_everything_in_it(app, world, tmp_path):
    source = make_url(db.engine.url.render_as_string(hide_password=False))
    scratch = source.set(database=f"{source.database}_restore")
    server = create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
    backup = tmp_path / "cyswllt.dump"

    subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(backup), "--dbname", libpq(source)],
                   check=True, capture_output=True)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{scratch.database}"'))
    restored = create_engine(scratch)
    try:
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", libpq(scratch), str(backup)],
                       check=True, capture_output=True)
        original = table_contents(db.engine)
        copy = table_contents(restored)
        assert copy == original
        assert len(copy["contacts"]) == 2 and len(copy["people"]) == 2 and copy["audit_events"]
        assert any(world.own_contact.notes in row for row in copy["contacts"])
        with restored.connect() as connection, pytest.raises(DBAPIError, match="append-only"):
            connection.execute(text("DELETE FROM audit_events"))
    finally:
        restored.dispose()
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
        server.dispose()
