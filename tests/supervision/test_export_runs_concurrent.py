"""Two supervisors making a "new and changed" export at the same moment never both get the
same contacts: the second run waits for the first (the team's row is locked) and then finds
them already sent."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import ExportRun, Team, User
from app.supervision.export_runs import make_run
from tests import factories
from tests.supervision.conftest import NOW, THIS_WEEK, at

pytestmark = [pytest.mark.commits, pytest.mark.postgres_only]


def test_a_second_run_made_at_the_same_moment_waits_and_carries_nothing_twice(app, team, supervisor, officer):
    person = factories.person(team)
    factories.contact(person, officer, at(THIS_WEEK))
    with Session(db.engine) as first_session:  # the starting point: a date-range run
        first_team = first_session.get(Team, team.id)
        make_run(first_session, first_team, "delius", by=first_session.get(User, supervisor.id), changed_only=False,
                 first_day=date(2026, 11, 9), last_day=date(2026, 11, 18), now=NOW)
        first_session.commit()
    factories.contact(person, officer, at(THIS_WEEK, 11))

    holder = Session(db.engine)
    try:
        _race(holder, team, supervisor, app)
    finally:
        holder.close()
    db.session.rollback()
    assert [run.rows for run in db.session.scalars(select(ExportRun).order_by(ExportRun.id))] == [1, 1, 0]


def _race(holder: Session, team, supervisor, app) -> None:
    held = make_run(holder, holder.get(Team, team.id), "delius", by=holder.get(User, supervisor.id),
                    changed_only=True, now=NOW)  # not committed yet: the team's row stays locked
    assert held.rows == 1
    result: dict[str, int] = {}

    def second() -> None:
        with app.app_context(), Session(db.engine) as session:
            run = make_run(session, session.get(Team, team.id), "delius", by=session.get(User, supervisor.id),
                           changed_only=True, now=NOW)
            result["rows"] = run.rows
            session.commit()

    thread = threading.Thread(target=second)
    thread.start()
    with db.engine.connect() as watcher:  # wait until the second run is waiting for the lock
        while not watcher.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )).scalar():
            watcher.rollback()
            assert thread.is_alive(), "the second run did not wait for the first"
    holder.commit()
    thread.join(timeout=60)
    assert result == {"rows": 0}
