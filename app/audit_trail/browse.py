"""A team's audit trail on a page, for its supervisors and for administrators: filtered by
person (a text search on the name), by who made the change, by kind of record and by date,
newest first, a page at a time. Team scoping (app/scoping.py) applies to every query, and
the view lets only those who may act for the team in (app/permissions.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from app.contacts import privacy
from app.audit_trail.labels import TECHNICAL, action_labels, describe, entity_labels
from app.domain.weeks import local_midnight_utc
from app.extensions import DbSession
from app.models import AuditEvent, Person, User

PAGE_SIZE = 50
MAX_SEARCH = 100


def _date(value: str | None) -> date | None:
    try:
        day = date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def number_or_none(value: str | None) -> int | None:
    """A whole number of at most 12 digits (an id), or None: never an error, never an overflow."""
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 12 else None


@dataclass(frozen=True)
class TrailFilters:
    """What the reader asked for. Values that cannot be used are ignored, as on the week view."""

    person: str = ""  # part of a person's name
    user: int | None = None
    kind: str | None = None
    start: date | None = None
    end: date | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping) -> TrailFilters:
        kind = args.get("kind")
        page = number_or_none(args.get("page")) or 1
        return cls(
            person=(args.get("person") or "").strip()[:MAX_SEARCH],
            user=number_or_none(args.get("user")),
            kind=kind if kind in entity_labels() else None,
            start=_date(args.get("start")),
            end=_date(args.get("end")),
            page=max(1, min(page, 100_000)),
        )

    def as_args(self, **changes) -> dict[str, str]:
        values = {"person": self.person, "user": self.user, "kind": self.kind, "start": self.start,
                  "end": self.end, "page": self.page if self.page > 1 else None, **changes}
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


@dataclass(frozen=True)
class TrailEntry:
    when: datetime
    who: str
    what: str
    kind: str
    person_id: int | None
    person: str
    before: str
    after: str


@dataclass(frozen=True)
class TrailPage:
    entries: list[TrailEntry]
    total: int
    page: int
    pages: int


def _events(team_id: int, filters: TrailFilters):
    query = select(AuditEvent).where(AuditEvent.team_id == team_id)
    if filters.person:
        pattern = "%" + filters.person.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        people = select(Person.id).where(Person.team_id == team_id, Person.display_name.ilike(pattern, escape="\\"))
        query = query.where(AuditEvent.person_id.in_(people))
    if filters.user is not None:
        query = query.where(AuditEvent.actor_id == filters.user)
    if filters.kind is not None:
        query = query.where(AuditEvent.entity == filters.kind)
    if filters.start is not None:
        query = query.where(AuditEvent.occurred_at >= local_midnight_utc(filters.start))
    if filters.end is not None:
        query = query.where(AuditEvent.occurred_at < local_midnight_utc(filters.end + timedelta(days=1)))
    return query


def trail_page(session: DbSession, team_id: int, filters: TrailFilters) -> TrailPage:
    query = _events(team_id, filters)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(filters.page, pages)
    events = session.scalars(
        query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    actors = {event.actor_id for event in events if event.actor_id is not None}
    people = {event.person_id for event in events if event.person_id is not None}
    names: dict[int, str] = dict(session.execute(select(User.id, User.name).where(User.id.in_(actors))).tuples().all()) if actors else {}
    person_names: dict[int, str] = dict(session.execute(select(Person.id, Person.display_name).where(Person.id.in_(people))).tuples().all()) if people else {}
    actions, kinds = action_labels(), entity_labels()
    # The page never shows a sensitive contact's notes: the export is where a reader asks for them.
    hidden, _shown = privacy.sensitive_contact_events(session, events, None, asked=False)
    entries = [
        TrailEntry(
            when=event.occurred_at,
            who=names.get(event.actor_id, ""),
            what=actions.get(event.action, event.action),
            kind=kinds.get(event.entity, event.entity),
            person_id=event.person_id,
            person=person_names.get(event.person_id, ""),
            before=describe(event.entity, privacy.redact_snapshot(event.before, hide=event.id in hidden), TECHNICAL),
            after=describe(event.entity, privacy.redact_snapshot(event.after, hide=event.id in hidden), TECHNICAL),
        )
        for event in events
    ]
    return TrailPage(entries, total, page, pages)


def team_users(session: DbSession, team_id: int) -> list[tuple[int, str]]:
    return sorted(session.execute(select(User.id, User.name).where(User.team_id == team_id)).tuples().all(),
                  key=lambda row: row[1].casefold())


def people_matching(session: DbSession, team_id: int | None, text: str, limit: int = 20) -> list[tuple[int, str]]:
    """People whose name contains ``text`` (in one team, or any team the reader may see)."""
    text = text.strip()[:MAX_SEARCH]
    if not text:
        return []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = select(Person.id, Person.display_name).where(Person.display_name.ilike(pattern, escape="\\"))
    if team_id is not None:
        query = query.where(Person.team_id == team_id)
    return [tuple(row) for row in session.execute(query.order_by(Person.display_name, Person.id).limit(limit))]
