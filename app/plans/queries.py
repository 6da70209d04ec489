"""What the plan pages, the home page and the agenda read of plans, in a few queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.plans import ActionStatus, next_actions, overdue
from app.extensions import DbSession
from app.models import Pathway, Person, PlanAction, PlanPathway

_STATUS_ORDER = {ActionStatus.OPEN: 0, ActionStatus.DONE: 1, ActionStatus.DROPPED: 2}


@dataclass(frozen=True)
class Plan:
    pathways: list[tuple[Pathway, PlanPathway | None]]  # all seven, in the toolkit's order
    actions: list[PlanAction]  # open ones first (soonest due first), then done and dropped
    overdue_ids: set[int]

    @property
    def empty(self) -> bool:
        return not self.actions and all(row is None for _, row in self.pathways)


def plan_of(session: DbSession, person: Person, today: date) -> Plan:
    rows = {row.pathway: row for row in session.scalars(
        select(PlanPathway).where(PlanPathway.person_id == person.id).options(selectinload(PlanPathway.updated_by))
    )}
    actions = list(session.scalars(
        select(PlanAction).where(PlanAction.person_id == person.id).options(selectinload(PlanAction.owner))
    ))
    actions.sort(key=lambda action: (_STATUS_ORDER[action.status], action.due_on, action.id))
    return Plan([(pathway, rows.get(pathway)) for pathway in Pathway], actions,
                {action.id for action in overdue(actions, today)})


def find_action(session: DbSession, person: Person, action_id: int | None) -> PlanAction | None:
    if action_id is None:
        return None
    return session.scalar(select(PlanAction).where(PlanAction.id == action_id, PlanAction.person_id == person.id)
                          .options(selectinload(PlanAction.person)))


def _open_actions(session: DbSession, *conditions) -> list[PlanAction]:
    return list(session.scalars(
        select(PlanAction).where(PlanAction.status == ActionStatus.OPEN, *conditions)
        .options(selectinload(PlanAction.person), selectinload(PlanAction.owner))
    ))


def overdue_owned_by(session: DbSession, user, today: date) -> list[PlanAction]:
    """The overdue actions a user owns (their web home), oldest due first."""
    return overdue(_open_actions(session, PlanAction.owner_id == user.id), today)


def overdue_for_team(session: DbSession, team_id: int, today: date) -> list[PlanAction]:
    """The overdue actions of the people in a team's cohort now (the meeting's agenda)."""
    return overdue(_open_actions(session, PlanAction.person_id.in_(
        select(Person.id).where(Person.team_id == team_id, Person.left_on.is_(None)))), today)


def next_actions_of(session: DbSession, person_ids: Iterable[int]) -> dict[int, list[PlanAction]]:
    """Each person's next open actions (for the phone's caseload), in one query."""
    by_person: dict[int, list[PlanAction]] = {}
    ids = list(person_ids)
    if not ids:
        return by_person
    for action in _open_actions(session, PlanAction.person_id.in_(ids)):
        by_person.setdefault(action.person_id, []).append(action)
    return {person_id: next_actions(actions) for person_id, actions in by_person.items()}
