"""The demo team has contacts arranged this week, one of them with its outcome missing."""

from __future__ import annotations

from sqlalchemy import select

from app import clock
from app.domain import arrangements as rules
from app.extensions import db
from app.models import Arrangement, AuditEvent


def test_the_demo_team_has_arrangements_this_week_and_one_outcome_missing(runner):
    assert runner.invoke(args=["seed-demo", "--password", "demo password 123"]).exit_code == 0
    arrangements = list(db.session.scalars(select(Arrangement)))
    assert len({arrangement.team_id for arrangement in arrangements}) == 1
    now = clock.now()
    states = {arrangement.state.value for arrangement in arrangements}
    assert {"arranged", "moved", "cancelled"} <= states
    assert sum(rules.outcome_missing(a.starts_at, a.state, now) for a in arrangements) == 1
    start, end = rules.this_week_bounds(now)
    assert any(start <= a.starts_at < end and rules.is_open(a.state) for a in arrangements)
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "arrangements")))
    assert {"create", "move", "cancel"} <= actions
