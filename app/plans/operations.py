"""Changing a person's plan: a pathway's need and work, and actions (added, done, dropped).

Views and the meeting call these after their forms have checked the input. Every model
changed here is audited by ``app.audit``; nothing here commits.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app import audit
from app.domain.plans import ActionStatus, Need, Owner
from app.extensions import DbSession
from app.models import Meeting, Pathway, Person, PlanAction, PlanPathway, User

DESCRIPTION_MAX = 500
WORK_MAX = 2000
AGENCY_MAX = 120


class PlanError(ValueError):
    """A change the plan's rules do not allow (the forms check these first)."""


def set_pathway(session: DbSession, person: Person, *, by: User, pathway: Pathway, need: Need,
                work: str | None) -> bool:
    """The need on one pathway and what is being done; returns whether anything changed."""
    work = (work or "").strip() or None
    if work is not None and len(work) > WORK_MAX:
        raise PlanError("the work is too long")
    row = session.scalar(select(PlanPathway).where(PlanPathway.person_id == person.id,
                                                   PlanPathway.pathway == pathway))
    if row is None:
        if need is Need.NONE and work is None:
            return False  # nothing to keep: "no need" and not assessed read the same
        session.add(PlanPathway(person_id=person.id, pathway=pathway, need=need, work=work, updated_by_id=by.id))
        return True
    if row.need == need and row.work == work:
        return False
    row.need, row.work, row.updated_by_id = need, work, by.id
    return True


def _check_owner(session: DbSession, person: Person, owner: Owner) -> None:
    if owner.user_id is not None:
        user = session.get(User, owner.user_id)
        if user is None or user.team_id != person.team_id or not user.active:
            raise PlanError("an action's owner must be an active user of the person's team")
    elif owner.agency_name is not None and len(owner.agency_name) > AGENCY_MAX:
        raise PlanError("the agency's name is too long")


def add_action(session: DbSession, person: Person, *, by: User, description: str, owner: Owner, due_on: date,
               pathway: Pathway | None = None, meeting: Meeting | None = None) -> PlanAction:
    """A new open action of the person's plan (agreed at ``meeting``, if given)."""
    description = (description or "").strip()
    if not description or len(description) > DESCRIPTION_MAX:
        raise PlanError("an action needs a description of up to 500 characters")
    _check_owner(session, person, owner)
    action = PlanAction(
        person_id=person.id, person=person, pathway=pathway, description=description, owner_id=owner.user_id,
        owner_agency=owner.agency_name, due_on=due_on, status=ActionStatus.OPEN,
        meeting_id=meeting.id if meeting is not None else None, created_by_id=by.id,
    )
    session.add(action)
    return action


def set_action_status(session: DbSession, action: PlanAction, status: ActionStatus) -> bool:
    """Done, dropped, or open again; returns whether it changed."""
    status = ActionStatus(status)
    if action.status == status:
        return False
    audit.label(action, {ActionStatus.DONE: "done", ActionStatus.DROPPED: "drop"}.get(status, "reopen"))
    action.status = status
    return True
