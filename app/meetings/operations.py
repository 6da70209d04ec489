"""Running a meeting: making it, attendance, and each decision.

A decision changes a person only through the operations that change those things
everywhere else: ``supervision.operations.change_rag`` (the reason names the meeting),
``cohort.operations.change_allocation`` and ``cohort.operations.deselect``, and
``plans.operations.add_action`` (the action names the meeting). The ``MeetingDecision``
row says what was agreed. Every model changed is audited by ``app.audit``; nothing here
commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.cohort import operations as cohort
from app.domain.plans import Owner
from app.extensions import DbSession
from app.models import (
    Agency,
    DeselectionReason,
    Meeting,
    MeetingAttendance,
    MeetingDecision,
    Pathway,
    Person,
    Rag,
    Team,
    User,
)
from app.plans import operations as plans
from app.supervision import operations as supervision

AGENCY_MAX = 120
ATTENDEES_MAX = 2000


class MeetingError(ValueError):
    """Something a meeting cannot record (the forms check these first)."""


def create_meeting(session: DbSession, team: Team, *, held_on: date, by: User) -> Meeting:
    existing = session.scalar(select(Meeting).where(Meeting.team_id == team.id, Meeting.held_on == held_on))
    if existing is not None:
        return existing  # one meeting a day: asking again finds it
    meeting = Meeting(team_id=team.id, team=team, held_on=held_on, created_by_id=by.id)
    session.add(meeting)
    session.flush()
    return meeting


def set_attendance(session: DbSession, meeting: Meeting, *, agency: str, attendees: str | None) -> MeetingAttendance:
    """Who came for one agency (named as the meeting writes it); again for the same agency replaces it."""
    agency = " ".join((agency or "").split())
    if not agency or len(agency) > AGENCY_MAX:
        raise MeetingError("an agency's name is 1 to 120 characters")
    attendees = (attendees or "").strip() or None
    if attendees is not None and len(attendees) > ATTENDEES_MAX:
        raise MeetingError("the attendees are too long")
    row = session.scalar(select(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting.id,
                                                         MeetingAttendance.agency == agency))
    if row is None:
        row = MeetingAttendance(meeting_id=meeting.id, team_id=meeting.team_id, agency=agency)
        session.add(row)
    row.attendees = attendees
    return row


@dataclass(frozen=True)
class NewAction:
    description: str
    owner: Owner
    due_on: date
    pathway: Pathway | None = None


@dataclass(frozen=True)
class Decision:
    rag: Rag
    lead_agency: Agency
    offender_manager_id: int | None
    deselect: bool = False
    criteria: Sequence[DeselectionReason] = ()
    exit_strategy: str | None = None
    y2a_early_reason: str | None = None
    action: NewAction | None = None


def record_decision(session: DbSession, meeting: Meeting, person: Person, decision: Decision, *, by: User,
                    today: date, reason: str) -> MeetingDecision:
    """What the meeting agreed about ``person``, made so by the usual operations.

    ``reason`` is the RAG change's reason (a sentence naming the meeting, in the recorder's
    language). A meeting in the future records nothing yet. Raises ``MeetingError``, or the
    cohort's ``CohortError`` / the plan's ``PlanError`` with nothing changed."""
    if meeting.held_on > today:
        raise MeetingError("a meeting's decisions are recorded on its day or after")
    if person.team_id != meeting.team_id or person.left_on is not None:
        raise MeetingError("the person is not in the meeting's team's cohort")
    # In a SAVEPOINT: a de-selection the rules refuse undoes the RAG and allocation changes too.
    with session.begin_nested():
        if decision.rag != person.rag:
            supervision.change_rag(session, person, by=by, rag=decision.rag, effective=meeting.held_on,
                                   reason=reason, today=today)
        cohort.change_allocation(session, person, offender_manager_id=decision.offender_manager_id,
                                 lead_agency=decision.lead_agency)
        if decision.action is not None:
            plans.add_action(session, person, by=by, description=decision.action.description,
                             owner=decision.action.owner, due_on=decision.action.due_on,
                             pathway=decision.action.pathway, meeting=meeting)
        if decision.deselect:
            cohort.deselect(session, person, left_on=meeting.held_on, criteria=decision.criteria,
                            exit_strategy=decision.exit_strategy, y2a_early_reason=decision.y2a_early_reason,
                            today=today)
        row = MeetingDecision(
            meeting_id=meeting.id, team_id=meeting.team_id, person_id=person.id, rag=decision.rag,
            lead_agency=decision.lead_agency, offender_manager_id=decision.offender_manager_id,
            deselected=decision.deselect,
            criteria=[DeselectionReason(item).value for item in decision.criteria] if decision.deselect else None,
            decided_by_id=by.id,
        )
        session.add(row)
        session.flush()
    return row
