"""The person or team a view works on: visible (404 if not), or to act on (403 if only visible).

Seeing is decided by team scoping (``app.scoping``): another team's person is simply
not found. Acting is decided by ``app.permissions`` (``act_for_team``): an officer of the
team sees but may not act.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Person, Team
from app.permissions import require


def visible_person(person_id: int) -> Person:
    """The person, loaded through the scoped ORM: another team's person is a 404."""
    person = db.session.scalar(
        select(Person)
        .where(Person.id == person_id)
        .options(selectinload(Person.team), selectinload(Person.offender_manager))
    )
    if person is None:
        abort(404)
    return person


def person_to_act_on(person_id: int) -> Person:
    """A person the signed-in user may change: 404 if not visible, 403 if only visible."""
    person = visible_person(person_id)
    require("act_for_team", person.team_id)
    return person


def visible_team(team_id: int | None) -> Team:
    """The team asked for (admins may choose any), else the user's own; 404 if not visible."""
    team = db.session.scalar(select(Team).where(Team.id == (team_id or current_user.team_id)))
    if team is None:
        abort(404)
    return team


def team_to_act_on(team_id: int | None) -> Team:
    team = visible_team(team_id)
    require("act_for_team", team)
    return team
