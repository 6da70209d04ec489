"""The audit trail as a CSV file for an administrator: UTF-8 with a BOM, headings in the
reader's language, and the export itself written to the trail."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import format_datetime, gettext, pgettext
from sqlalchemy import select

from app import audit, clock, spreadsheet
from app.audit_trail.labels import action_labels, describe, entity_labels
from app.contacts import privacy
from app.domain.weeks import local_date, local_midnight_utc
from app.extensions import DbSession
from app.models import AuditEvent, Person, Team, User


def headings() -> list[str]:
    return [
        gettext("Time (UK)"),
        gettext("Time (UTC, ISO 8601)"),
        gettext("Who"),
        gettext("User number"),
        gettext("What happened"),
        pgettext("audit trail column", "Record"),
        gettext("Record number"),
        gettext("Team number"),
        gettext("Person number"),
        pgettext("audit trail column", "Before"),
        pgettext("audit trail column", "After"),
        gettext("Event number"),
    ]


LOCAL_TIME = "yyyy-MM-dd HH:mm:ss"


@dataclass(frozen=True)
class Export:
    filename: str
    content: str
    rows: int


def team_choices(session: DbSession) -> list[tuple[int, str]]:
    teams = session.scalars(select(Team)).all()
    return sorted(((team.id, team.name) for team in teams), key=lambda choice: choice[1].casefold())


def chosen_person(session: DbSession, person_id: int | None) -> tuple[list[tuple[int, str]], dict[int, set[int]]]:
    """The person chosen, and which team they are in, for the form
    to check the choice against the team; nothing when no such person."""
    if person_id is None:
        return [], {}
    row = session.execute(select(Person.id, Person.display_name, Person.team_id).where(Person.id == person_id)).first()
    if row is None:
        return [], {}
    return [(row.id, row.display_name)], {row.team_id: {row.id}}


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return spreadsheet.neutralise(text)


def export_audit_trail(
    session: DbSession,
    *,
    team_id: int,
    person_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    reader: Any = None,
    sensitive_notes: bool = False,
) -> Export:
    """The team's (or one person's) events from ``start`` to ``end`` (UK dates, inclusive).

    A sensitive contact's notes and others-present text are left out of its events' before
    and after unless ``reader`` asked (``sensitive_notes``) and may read them
    (``app.contacts.privacy``); the stored events are never changed."""
    query = select(AuditEvent).where(AuditEvent.team_id == team_id).order_by(AuditEvent.id)
    if person_id is not None:
        query = query.where(AuditEvent.person_id == person_id)
    if start is not None:
        query = query.where(AuditEvent.occurred_at >= local_midnight_utc(start))
    if end is not None:
        query = query.where(AuditEvent.occurred_at < local_midnight_utc(end + timedelta(days=1)))
    events = session.scalars(query).all()
    actor_ids = {event.actor_id for event in events if event.actor_id is not None}
    names: dict[int, str] = dict(session.execute(select(User.id, User.name).where(User.id.in_(actor_ids))).tuples().all()) if actor_ids else {}

    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that spreadsheets read the file as UTF-8 (ŵ, ŷ, â...)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headings())
    actions, entities = action_labels(), entity_labels()
    hidden, shown = privacy.sensitive_contact_events(session, events, reader, asked=sensitive_notes)
    for event in events:
        hide = event.id in hidden
        writer.writerow([
            format_datetime(event.occurred_at, LOCAL_TIME),
            event.occurred_at.isoformat(),
            _cell("" if event.actor_id is None else names.get(event.actor_id, "")),
            _cell(event.actor_id),
            _cell(actions.get(event.action, event.action)),
            _cell(entities.get(event.entity, event.entity)),
            _cell(event.entity_id),
            _cell(event.team_id),
            _cell(event.person_id),
            _cell(describe(event.entity, privacy.redact_snapshot(event.before, hide=hide))),
            _cell(describe(event.entity, privacy.redact_snapshot(event.after, hide=hide))),
            event.id,
        ])

    audit.record(
        session,
        "export_audit_trail",
        "audit_events",
        team_id=team_id,
        person_id=person_id,
        after={
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
            "events": len(events),
            "sensitive_notes_asked": sensitive_notes,
            "sensitive_notes_included": len(shown),
        },
    )
    today = local_date(clock.now()).strftime("%Y%m%d")
    # Translators: file names. Letters a-z, digits and hyphens only.
    if person_id is None:
        filename = pgettext("file name", "cyswllt-audit-team-%(team)s-%(day)s.csv", team=team_id, day=today)
    else:
        filename = pgettext("file name", "cyswllt-audit-team-%(team)s-person-%(person)s-%(day)s.csv",
                            team=team_id, person=person_id, day=today)
    return Export(filename=filename, content=buffer.getvalue(), rows=len(events))
