"""The demo team's plans and its next meeting, as seed-demo leaves them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.domain.weeks import LONDON
from app.extensions import db
from app.meetings import queries
from app.models import Meeting, PlanAction, PlanPathway, Team


def test_the_demo_meeting_agenda_lists_a_red_an_amber_due_a_deselection_candidate_and_an_overdue_action(runner):
    assert runner.invoke(args=["seed-demo", "--password", "demo password 123"]).exit_code == 0
    today = datetime.now(LONDON).date()
    team = db.session.scalar(select(Team).where(Team.name == "Powys IOM"))
    assert db.session.scalar(select(PlanPathway).limit(1)) is not None
    assert db.session.scalar(select(PlanAction).where(PlanAction.due_on < today)) is not None
    upcoming = db.session.scalar(select(Meeting).where(Meeting.team_id == team.id, Meeting.held_on > today))
    assert upcoming is not None
    agenda = queries.agenda(db.session, upcoming, today, "en")
    assert agenda.red and agenda.amber_due and agenda.deselection and agenda.overdue_actions
    assert agenda.last_meeting_day is not None  # the one twelve days ago
    discussed = queries.last_discussed(db.session, upcoming)
    # A fortnight on from the last meeting, the amber person discussed there is due again.
    assert [last for person, last in agenda.amber_due if person.id in discussed] == list(discussed.values())
