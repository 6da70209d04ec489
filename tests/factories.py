"""Small builders for test data. Each commits, so requests in the test see it."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

from app.auth.passwords import hash_password
from app.contacts.operations import build_contact
from app.domain.requirements import Category
from app.extensions import db
from app.models import (
    Agency,
    CategoryChange,
    ContactType,
    Language,
    Outcome,
    Pause,
    PauseReason,
    Person,
    Rag,
    RequirementReview,
    Role,
    Team,
    User,
)

PASSWORD = "correct horse battery staple"
_HASH = hash_password(PASSWORD, profile="cheapest")  # tests run with PASSWORD_HASH_PROFILE=cheapest


def team(name: str, force_area: str = "Dyfed-Powys Police", **fields) -> Team:
    team = Team(name=name, force_area=force_area, **fields)
    db.session.add(team)
    db.session.commit()
    return team


def user(team: Team, email: str, role: str = "officer", agency: str = "police",
         language: str = "en", name: str | None = None, active: bool = True) -> User:
    user = User(email=email, name=name or email.split("@")[0].title(), team=team, role=Role(role),
                agency=Agency(agency), language=Language(language), password_hash=_HASH, active=active)
    db.session.add(user)
    db.session.commit()
    return user


def person(team: Team, name: str = "Rhys Evans", category: str = "fixed", rag: str = "amber",
           joined_on: date = date(2026, 1, 5), offender_manager: User | None = None, **fields) -> Person:
    person = Person(team=team, display_name=name, category=Category(category), rag=Rag(rag),
                    lead_agency=Agency.POLICE, offender_manager=offender_manager, joined_on=joined_on, **fields)
    db.session.add(person)
    db.session.flush()
    db.session.add(CategoryChange(person_id=person.id, category=person.category, effective=joined_on))
    db.session.commit()
    return person


def contact(person: Person, recorded_by: User, occurred_at: datetime | None = None,
            type: str = "home_visit", outcome: str = "kept", **fields):
    occurred_at = occurred_at or datetime.now(timezone.utc) - timedelta(minutes=5)
    contact = build_contact(contact_id=uuid.uuid4(), person=person, recorded_by=recorded_by,
                            type=ContactType(type), outcome=Outcome(outcome), occurred_at=occurred_at,
                            recorded_at=occurred_at, **fields)
    db.session.add(contact)
    db.session.commit()
    return contact


def review(person: Person, effective: date, contacts_per_week: int, **fields) -> RequirementReview:
    reasoning = {key: "Reasoning." for key in (
        "risk", "needs", "responses_to_supervision", "progress_towards_rehabilitation", "difficulties_attending")}
    review = RequirementReview(person_id=person.id, effective=effective,
                               contacts_per_week=contacts_per_week, **{**reasoning, **fields})
    db.session.add(review)
    db.session.commit()
    return review


def pause(person: Person, start: date, end: date | None = None, reason: str = "custody") -> Pause:
    pause = Pause(person_id=person.id, start=start, end=end, reason=PauseReason(reason))
    db.session.add(pause)
    db.session.commit()
    return pause


def device(user: User, *, unsent: int = 0, oldest_unsent_at: datetime | None = None,
           last_seen_at: datetime | None = None, **fields):
    """A phone as its last report left it (app/devices)."""
    from app.models import Device

    seen = last_seen_at or datetime.now(timezone.utc)
    phone = Device(id=fields.pop("id", uuid.uuid4()), team_id=user.team_id, user_id=user.id, first_seen_at=seen,
                   last_seen_at=seen, unsent=unsent, oldest_unsent_at=oldest_unsent_at,
                   attention=fields.pop("attention", 0), user_agent=fields.pop(
                       "user_agent", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/131.0.0.0 Mobile Safari/537.36"), **fields)
    db.session.add(phone)
    db.session.commit()
    return phone


def arrangement(person: Person, officer: User, starts_at: datetime, type: str = "home_visit",
                arranged_by: User | None = None, place: str | None = "12 Stryd y Bont", with_whom: str | None = None,
                state: str = "arranged", **fields):
    """An arrangement stored as ``app.arrangements.operations.arrange`` stores one."""
    from app.arrangements.operations import content_hash, content_of
    from app.contacts.canonical import truncate_to_millis
    from app.models import Arrangement

    starts_at = truncate_to_millis(starts_at)  # as stored by the service
    arrangement_id = fields.pop("id", None) or uuid.uuid4()
    sha256 = content_hash(content_of(arrangement_id=arrangement_id, person_id=person.id, type=type,
                                     starts_at=starts_at, place=place, with_whom=with_whom, officer_id=officer.id))
    made = Arrangement(id=arrangement_id, team_id=person.team_id, person_id=person.id, type=ContactType(type),
                       starts_at=starts_at, place=place, with_whom=with_whom,
                       arranged_by_id=(arranged_by or officer).id, officer_id=officer.id, state=state,
                       received_sha256=sha256, **fields)
    db.session.add(made)
    db.session.commit()
    return made
