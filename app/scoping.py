"""Team scoping: the one place that decides which rows a signed-in user may see.

Every ORM SELECT goes through ``_apply_team_scope``. An officer or supervisor sees
their own team's rows only; an admin sees every team. A team also sees the people who
were once in its cohort (an earlier period in ``cohort_periods``, before a transfer), so
its past weeks keep their people; their contacts stay with the team that recorded them. During a web request nothing
is visible until the request's user has been bound (``bind``), so a forgotten check
fails closed. Command-line tools and scripts run outside requests and see everything.
"""

from __future__ import annotations

from functools import lru_cache

from flask import g, has_request_context
from sqlalchemy import event, or_, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from app.models import (
    Arrangement,
    AuditEvent,
    CategoryChange,
    CohortPeriod,
    ConcernAcknowledgement,
    Contact,
    Device,
    DeliusCode,
    ExportRun,
    Meeting,
    MeetingAttendance,
    MeetingDecision,
    Pause,
    Person,
    PlanAction,
    PlanPathway,
    RagChange,
    RequirementReview,
    StoredPersonWeek,
    Team,
    TeamDefaults,
    User,
)

ALL_TEAMS = "all"
NO_TEAM = -1  # matches no row: used before sign-in
UNSCOPED = {"all_teams": True}  # execution option for the few deliberate exceptions

TEAM_OWNED = (Arrangement, Contact, User, AuditEvent, TeamDefaults, ConcernAcknowledgement, DeliusCode, ExportRun, Device,
              Meeting, MeetingAttendance, MeetingDecision)
# A person's stored weeks go with the person (not with the team they are in now), so a team
# that a person moved on from still reads their past weeks.
PERSON_OWNED = (CategoryChange, RagChange, RequirementReview, Pause, CohortPeriod, StoredPersonWeek,
                PlanPathway, PlanAction)
# Earlier periods are read through the table (not the entity) inside the criteria below,
# so that the criteria on people and on periods do not apply to each other without end.
_PERIODS = CohortPeriod.__table__


def bind(user) -> None:
    """Fix the scope for this request from the signed-in user (or nobody)."""
    if user is None or not user.is_authenticated:
        g.team_scope = NO_TEAM
    elif user.is_admin:
        g.team_scope = ALL_TEAMS
    else:
        g.team_scope = user.team_id


def current_scope():
    if not has_request_context():
        return ALL_TEAMS
    return g.get("team_scope", NO_TEAM)


def visible_team_id(user) -> int | None:
    """The team whose pages a user sees by default."""
    return user.team_id


@event.listens_for(Session, "do_orm_execute")
def _apply_team_scope(state: ORMExecuteState) -> None:
    if not state.is_select or state.is_column_load or state.is_relationship_load:
        return
    if state.execution_options.get("all_teams"):
        return
    team_id = current_scope()
    if team_id == ALL_TEAMS:
        return
    state.statement = state.statement.options(*_team_criteria(team_id))


@lru_cache(maxsize=4096)  # one entry per team: the same criteria for every statement of its users
def _team_criteria(team_id: int) -> tuple:
    """The criteria that limit every ORM SELECT to what team ``team_id`` may see.

    Built once per team and reused (they are immutable; the team's id is the only value in
    them): making them afresh for each of a page's statements cost more than running most
    of those statements.
    """
    options = [
        with_loader_criteria(model, lambda cls: cls.team_id == team_id, include_aliases=True)
        for model in TEAM_OWNED
    ]
    options.append(with_loader_criteria(Team, lambda cls: cls.id == team_id, include_aliases=True))
    options.append(with_loader_criteria(
        Person,
        lambda cls: or_(
            cls.team_id == team_id,
            cls.id.in_(select(_PERIODS.c.person_id).where(_PERIODS.c.team_id == team_id)),
        ),
        include_aliases=True,
    ))
    earlier = select(_PERIODS.c.person_id).where(_PERIODS.c.team_id == team_id)
    people = Person.__table__
    team_people = select(people.c.id).where(or_(people.c.team_id == team_id, people.c.id.in_(earlier))).scalar_subquery()
    options.extend(
        with_loader_criteria(model, model.person_id.in_(team_people), include_aliases=True)
        for model in PERSON_OWNED
    )
    return tuple(options)
