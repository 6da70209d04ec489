"""A meeting's agenda, made from the data by the rules that already decide each thing:
RAG (``app.domain.meetings``), reviews (``app.domain.counting`` through
``supervision.queries.review_lists``), de-selection (``app.domain.cohort`` through
``supervision.queries.deselection_candidates``), concerns (``app.contacts.concerns``) and
plan actions (``app.domain.plans``). Nothing here restates a rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.collation import sort_key_for
from app.contacts.concerns import open_concerns_of_team
from app.domain import meetings as rules
from app.extensions import DbSession
from app.models import Contact, Meeting, MeetingAttendance, MeetingDecision, Person, PlanAction
from app.plans.queries import overdue_for_team
from app.supervision.queries import Candidate, ReviewListRow, deselection_candidates, review_lists


@dataclass
class Agenda:
    meeting: Meeting
    last_meeting_day: date | None
    red: list[Person] = field(default_factory=list)
    amber_due: list[tuple[Person, date | None]] = field(default_factory=list)  # and when last discussed
    reviews_due: list[ReviewListRow] = field(default_factory=list)
    reviews_suggested: list[ReviewListRow] = field(default_factory=list)
    deselection: list[Candidate] = field(default_factory=list)
    new_admissions: list[Person] = field(default_factory=list)
    y2a_ending: list[tuple[Person, date]] = field(default_factory=list)
    concerns: list[Contact] = field(default_factory=list)
    overdue_actions: list[PlanAction] = field(default_factory=list)

    def people(self) -> list[Person]:
        """Everyone the agenda names, once each, in the order they first appear."""
        seen: dict[int, Person] = {}
        for person in (
            self.red + [p for p, _ in self.amber_due] + [r.person for r in self.reviews_due]
            + [r.person for r in self.reviews_suggested] + [c.person for c in self.deselection]
            + self.new_admissions + [p for p, _ in self.y2a_ending] + [c.person for c in self.concerns]
            + [a.person for a in self.overdue_actions]
        ):
            seen.setdefault(person.id, person)
        return list(seen.values())


def team_meetings(session: DbSession, team_id: int) -> list[Meeting]:
    return list(session.scalars(select(Meeting).where(Meeting.team_id == team_id).order_by(Meeting.held_on.desc())))


def find_meeting(session: DbSession, meeting_id: int) -> Meeting | None:
    return session.scalar(select(Meeting).where(Meeting.id == meeting_id).options(selectinload(Meeting.team)))


def last_meeting_before(session: DbSession, meeting: Meeting) -> date | None:
    return session.scalar(select(func.max(Meeting.held_on)).where(
        Meeting.team_id == meeting.team_id, Meeting.held_on < meeting.held_on))


def last_discussed(session: DbSession, meeting: Meeting) -> dict[int, date]:
    """When each of the team's people was last decided on at an earlier meeting."""
    rows = session.execute(
        select(MeetingDecision.person_id, func.max(Meeting.held_on))
        .join(Meeting, Meeting.id == MeetingDecision.meeting_id)
        .where(Meeting.team_id == meeting.team_id, Meeting.held_on < meeting.held_on)
        .group_by(MeetingDecision.person_id)
    )
    return {person_id: day for person_id, day in rows}


def agenda(session: DbSession, meeting: Meeting, today: date, language: str) -> Agenda:
    """The agenda for ``meeting``, as the data stands ``today`` (reviews, de-selection and
    concerns as of today; RAG, admissions, Y2A and actions as of the meeting's day)."""
    team, day = meeting.team, meeting.held_on
    name = sort_key_for(language)
    people = sorted(session.scalars(
        select(Person).where(Person.team_id == team.id, Person.left_on.is_(None), Person.joined_on <= day)
        .options(selectinload(Person.offender_manager))
    ), key=lambda person: name(person.display_name))
    found = Agenda(meeting, last_meeting_before(session, meeting))
    discussed = last_discussed(session, meeting)
    for person in people:
        if rules.for_daily_management(person.rag.value):
            found.red.append(person)
        if rules.amber_review_due(person.rag.value, discussed.get(person.id), day):
            found.amber_due.append((person, discussed.get(person.id)))
        if rules.new_admission(person.joined_on, found.last_meeting_day, day):
            found.new_admissions.append(person)
        ending = rules.y2a_minimum_ending(person.y2a, person.joined_on, person.y2a_minimum_ends, day)
        if ending is not None:
            found.y2a_ending.append((person, ending))
    reviews = review_lists(session, team, today, language)
    found.reviews_due = reviews.overdue + reviews.due + [
        row for row in reviews.due_soon if row.next_review_due is not None and row.next_review_due <= day]
    found.reviews_suggested = reviews.suggested
    found.deselection = deselection_candidates(session, team, today, language)
    found.concerns = open_concerns_of_team(session, team.id)
    found.overdue_actions = overdue_for_team(session, team.id, day)
    return found


@dataclass(frozen=True)
class Minutes:
    attendance: list[MeetingAttendance]
    decisions: list[MeetingDecision]
    actions: list[PlanAction]  # agreed at this meeting


def minutes(session: DbSession, meeting: Meeting) -> Minutes:
    return Minutes(
        list(session.scalars(select(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting.id)
                             .order_by(MeetingAttendance.id))),
        list(session.scalars(select(MeetingDecision).where(MeetingDecision.meeting_id == meeting.id)
                             .options(selectinload(MeetingDecision.person),
                                      selectinload(MeetingDecision.offender_manager))
                             .order_by(MeetingDecision.id))),
        list(session.scalars(select(PlanAction).where(PlanAction.meeting_id == meeting.id)
                             .options(selectinload(PlanAction.person), selectinload(PlanAction.owner))
                             .order_by(PlanAction.id))),
    )
