"""Who may act on a team's people: its supervisors, and administrators (every team).

Seeing is decided by team scoping (``app.scoping``): another team's person is simply
not found. Acting is decided here: an officer of the team sees but may not act.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Person, Role, Team


def can_act_for_team(user, team_id: int) -> bool:
    """Supervisors act for their own team; administrators for every team."""
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.SUPERVISOR and user.team_id == team_id


def supervisor_required(view):
    """403 for anyone who is not a supervisor or administrator (before any team check)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_supervisor:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def admin_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


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
    if not can_act_for_team(current_user, person.team_id):
        abort(403)
    return person


def visible_team(team_id: int | None) -> Team:
    """The team asked for (admins may choose any), else the user's own; 404 if not visible."""
    team = db.session.scalar(select(Team).where(Team.id == (team_id or current_user.team_id)))
    if team is None:
        abort(404)
    return team


def team_to_act_on(team_id: int | None) -> Team:
    team = visible_team(team_id)
    if not can_act_for_team(current_user, team.id):
        abort(403)
    return team
