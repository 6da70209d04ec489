"""What a person's page shows, read in one place (the view only renders it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import person_weeks
from app.extensions import DbSession
from app.weekly_counts import load_tallies
from app.domain.weeks import week_start, weeks_ending_with
from app.models import CategoryChange, Contact, Pause, Person, RagChange, RequirementReview
from app.supervision.queries import AuditRecords, person_audit_records

HISTORY_WEEKS = 12
RECENT_CONTACTS = 1000  # every contact, in practice (a person has a few hundred at most)


@dataclass(frozen=True)
class PersonPage:
    history: list  # this week's count first, then each week before it
    contacts: list[Contact]
    reviews: list[RequirementReview]
    category_changes: list[CategoryChange]
    rag_changes: list[RagChange]
    pauses: list[Pause]
    trail: AuditRecords | None  # the audit trail, for those who may act for the person's team


def person_page(session: DbSession, person: Person, now: datetime, *, with_trail: bool) -> PersonPage:
    this_week = week_start(now)
    weeks = weeks_ending_with(this_week, HISTORY_WEEKS)
    person_id = person.id
    stored = person_weeks.read_stored(session, [Person.id == person_id], weeks, this_week)  # it may commit
    counts = person_weeks.stored_counts(stored, load_tallies(session, [person_id], weeks), person_id, weeks)
    return PersonPage(
        history=[counts[week] for week in reversed(weeks)],
        contacts=list(session.scalars(
            select(Contact)
            .where(Contact.person_id == person.id)
            .options(selectinload(Contact.recorded_by))
            .order_by(Contact.occurred_at.desc())
            .limit(RECENT_CONTACTS)
        )),
        reviews=_newest_first(session, RequirementReview, person, RequirementReview.reviewer),
        category_changes=_newest_first(session, CategoryChange, person, CategoryChange.changed_by),
        rag_changes=_newest_first(session, RagChange, person, RagChange.changed_by),
        pauses=list(session.scalars(
            select(Pause).where(Pause.person_id == person.id).order_by(Pause.start.desc(), Pause.id.desc())
        )),
        trail=person_audit_records(session, person.id) if with_trail else None,
    )


def _newest_first(session: DbSession, model, person: Person, who) -> list:
    return list(session.scalars(
        select(model)
        .where(model.person_id == person.id)
        .options(selectinload(who))
        .order_by(model.effective.desc(), model.id.desc())
    ))
