"""The caseload's version: the one place it is raised and read.

Each team has a counter (``caseload_versions``) raised by one in the same transaction as
any change that alters what its caseload answer holds: a person (name, category, RAG,
joining and leaving, moving team), their category changes, reviews, RAG changes,
pauses and plan actions, the team's defaults, a user's name (shown as offender manager), contacts and
arrangements.
Changes made through the ORM are noticed by a session listener; rows written with a Core
INSERT (the sync path) are named with ``touch``. The counter is raised just before the
commit, so its row lock is held only for the commit itself.

``GET /api/v1/caseload`` builds its ETag from this counter (``caseload_etag``), so an
unchanged caseload is answered 304 from one primary-key read, without computing it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import chain

from sqlalchemy import event, inspect, select, text
from sqlalchemy.orm import Session

from app.extensions import DbSession
from app.models import (
    Arrangement,
    CaseloadVersion,
    CategoryChange,
    Contact,
    Pause,
    Person,
    PlanAction,
    RagChange,
    RequirementReview,
    Team,
    TeamDefaults,
    User,
)

_TEAM_OWNED = (Arrangement, Contact, TeamDefaults)  # arrangements: arranged_this_week
_PERSON_OWNED = (CategoryChange, RagChange, RequirementReview, Pause, PlanAction)  # actions: the next ones

_PENDING_TEAMS = "caseload_teams"
_PENDING_PEOPLE = "caseload_people"
_RAISED = "caseload_versions"

# One statement on both databases; the row is made by the first change to a team's caseload.
_RAISE = text(
    "INSERT INTO caseload_versions (team_id, version) VALUES (:team_id, 1) "
    "ON CONFLICT (team_id) DO UPDATE SET version = caseload_versions.version + 1 "
    "RETURNING version"
)


def touch(session: DbSession, team_ids: Iterable[int]) -> None:
    """These teams' caseloads change in this transaction (for writes that bypass the ORM)."""
    session.info.setdefault(_PENDING_TEAMS, set()).update(team_ids)


def raised(session: DbSession, team_id: int) -> int | None:
    """The version the last commit of this session raised the team's caseload to, if it did."""
    return session.info.get(_RAISED, {}).get(team_id)


def current(session: DbSession, team_id: int) -> int:
    """The team's caseload version now (0 before its first change)."""
    version = session.execute(
        select(CaseloadVersion.version).where(CaseloadVersion.team_id == team_id)
    ).scalar()
    return version or 0


def caseload_etag(team_id: int, version: int, week: date, language: str, build: str) -> str:
    """The caseload answer's validator: the same inputs give the same answer.

    The week (counts restart each Monday), the language (the order of names) and the
    app's build (the shape of a row) are part of it as well as the team's version.
    """
    return f"{team_id}.{version}.{week.isoformat()}.{language}.{build}"


def _teams_of(session: DbSession, instance) -> tuple[set[int], set[int]]:
    """(team ids, person ids whose team is not known here) an instance's change touches."""
    if isinstance(instance, Team):
        return ({instance.id} if instance.id is not None else set()), set()
    if isinstance(instance, Person):
        teams = {instance.team_id}
        history = inspect(instance).attrs.team_id.history
        teams.update(history.deleted or ())  # a person moved: both teams' caseloads change
        return {team for team in teams if team is not None}, set()
    if isinstance(instance, User):
        # Only a name shows in a caseload (as offender manager): a new password, role or
        # language changes nothing there.
        renamed: bool = inspect(instance).attrs.name.history.has_changes()
        return ({instance.team_id} if renamed and instance.team_id is not None else set()), set()
    if isinstance(instance, _TEAM_OWNED):
        return ({instance.team_id} if instance.team_id is not None else set()), set()
    if isinstance(instance, _PERSON_OWNED) and instance.person_id is not None:
        person = session.identity_map.get(inspect(Person).identity_key_from_primary_key((instance.person_id,)))
        if person is not None:
            return {person.team_id}, set()
        return set(), {instance.person_id}
    return set(), set()


@event.listens_for(Session, "after_flush")
def _note_caseload_changes(session: Session, _flush_context) -> None:
    teams, people = set(), set()
    for instance in chain(session.new, session.deleted, session.dirty):
        if instance in session.dirty and not session.is_modified(instance):
            continue
        found_teams, found_people = _teams_of(session, instance)
        teams |= found_teams
        people |= found_people
    deleted_teams = {instance.id for instance in session.deleted if isinstance(instance, Team)}
    if teams - deleted_teams:
        touch(session, teams - deleted_teams)
    if people:
        session.info.setdefault(_PENDING_PEOPLE, set()).update(people)


@event.listens_for(Session, "before_commit")
def _raise_versions(session: Session) -> None:
    session.info.pop(_RAISED, None)
    if session.dirty or session.new or session.deleted:
        session.flush()  # so that the listener above has seen every change
    teams = set(session.info.pop(_PENDING_TEAMS, ()))
    people = session.info.pop(_PENDING_PEOPLE, set())
    if not teams and not people:
        return
    connection = session.connection()
    if people:
        teams.update(
            connection.execute(select(Person.team_id).where(Person.id.in_(people)).distinct()).scalars()
        )
    existing = set(connection.execute(select(Team.id).where(Team.id.in_(teams))).scalars()) if people else teams
    # In one order, so that two transactions touching the same teams never deadlock.
    session.info[_RAISED] = {
        team_id: connection.execute(_RAISE, {"team_id": team_id}).scalar_one() for team_id in sorted(existing)
    }


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING_TEAMS, None)
    session.info.pop(_PENDING_PEOPLE, None)
