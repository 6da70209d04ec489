"""Export runs for keying into Delius and Niche: making one, and reading one back.

A run is made by a POST and recorded with the version (content hash, void) of every
contact it carries (``ExportRun``, ``ExportRunContact``), in the same transaction as its
audit event; its files are then downloaded from the run as often as needed, so a lost
download never loses a contact. What a run carries is decided by ``app.domain.exports``.

Two runs of one kind for one team are made one after the other: on PostgreSQL the
team's row is locked (``FOR UPDATE``) while the next run reads what the earlier ones
sent, so two supervisors pressing the button together never both get the same contacts
as new. (SQLite runs one writing transaction at a time.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app import audit
from app.domain import exports as rules
from app.domain.exports import ExportStatus
from app.domain.weeks import local_midnight_utc
from app.extensions import DbSession
from app.models import Contact, ExportRun, ExportRunContact, Team, User

DELIUS = "delius"
NICHE = "niche"
KINDS = (DELIUS, NICHE)
MAX_RANGE_DAYS = 366
RUNS_LISTED = 20


class NothingToContinue(ValueError):
    """A "new and changed" run was asked for before any run of that kind was made."""


@dataclass(frozen=True)
class RunLine:
    """One contact of a run, as the run marked it; ``changed_since``: corrected or voided after it."""

    contact: Contact
    status: ExportStatus
    changed_since: bool


def _runs_of(team: Team, kind: str):
    return select(ExportRun).where(ExportRun.team_id == team.id, ExportRun.kind == kind)


def last_run(session: DbSession, team: Team, kind: str) -> ExportRun | None:
    return session.scalar(_runs_of(team, kind).order_by(ExportRun.id.desc()).limit(1))


def recent_runs(session: DbSession, team: Team) -> list[ExportRun]:
    return list(session.scalars(
        select(ExportRun).where(ExportRun.team_id == team.id)
        .options(selectinload(ExportRun.made_by)).order_by(ExportRun.id.desc()).limit(RUNS_LISTED)
    ))


def _sent_rows(team: Team, kind: str):
    return (
        select(ExportRunContact.contact_id, ExportRunContact.content_sha256, ExportRunContact.voided,
               ExportRunContact.run_id)
        .join(ExportRun, ExportRun.id == ExportRunContact.run_id)
        .where(ExportRun.team_id == team.id, ExportRun.kind == kind)
    )


def _candidates(session: DbSession, team: Team, kind: str, *, changed_only: bool,
                first_day: date | None, last_day: date | None) -> list[Contact]:
    conditions = [Contact.team_id == team.id]
    if changed_only:
        # Everything sent before, and everything since the first day any run of this kind
        # covered: what happened earlier was keyed by hand before these exports began.
        began = session.scalar(select(func.min(ExportRun.first_day)).where(
            ExportRun.team_id == team.id, ExportRun.kind == kind))
        sent_ids = select(ExportRunContact.contact_id).join(ExportRun, ExportRun.id == ExportRunContact.run_id).where(
            ExportRun.team_id == team.id, ExportRun.kind == kind)
        since = [Contact.occurred_at >= local_midnight_utc(began)] if began is not None else []
        conditions.append(or_(Contact.id.in_(sent_ids), *since))
    else:
        assert first_day is not None and last_day is not None
        conditions += [Contact.occurred_at >= local_midnight_utc(first_day),
                       Contact.occurred_at < local_midnight_utc(last_day + timedelta(days=1))]
    return list(session.scalars(select(Contact).where(*conditions).order_by(Contact.occurred_at, Contact.id)))


def make_run(
    session: DbSession, team: Team, kind: str, *, by: User, changed_only: bool,
    first_day: date | None = None, last_day: date | None = None, sensitive_notes: bool = False,
    now: datetime,
) -> ExportRun:
    """Record a run and what it carries; audited. Does not commit.

    ``sensitive_notes`` is whether the notes of sensitive contacts go in: the caller has
    asked ``app.permissions`` whether this user may see them."""
    if kind not in KINDS:
        raise ValueError(kind)
    session.execute(select(Team.id).where(Team.id == team.id).with_for_update())
    previous = last_run(session, team, kind)
    if changed_only and previous is None:
        raise NothingToContinue(kind)
    sent = rules.latest_sent(
        (str(row.contact_id), row.content_sha256, row.voided, row.run_id)
        for row in session.execute(_sent_rows(team, kind))
    )
    contacts = _candidates(session, team, kind, changed_only=changed_only, first_day=first_day, last_day=last_day)
    by_id = {str(contact.id): contact for contact in contacts}
    chosen = rules.select_for_run(
        (rules.Candidate(str(contact.id), contact.content_sha256, contact.voided) for contact in contacts),
        sent, changed_only=changed_only,
    )
    run = ExportRun(
        team_id=team.id, kind=kind, made_by_id=by.id, made_at=now, changed_only=changed_only,
        first_day=None if changed_only else first_day, last_day=None if changed_only else last_day,
        previous_run_id=previous.id if previous is not None else None,
        sensitive_notes=sensitive_notes, rows=len(chosen),
    )
    run.contacts = [
        ExportRunContact(contact_id=by_id[candidate.contact_id].id, position=position,
                         content_sha256=candidate.sha256, voided=candidate.voided, status=status.value)
        for position, (candidate, status) in enumerate(chosen)
    ]
    session.add(run)
    session.flush()
    counts = {f"{status.value}_contacts": sum(1 for _candidate, marked in chosen if marked == status) for status in ExportStatus}
    audit.record(session, "export", f"{kind}_export", entity_id=run.id, team_id=team.id, after={
        "filters": {"changed_only": changed_only, **({} if changed_only else {
            "start": first_day.isoformat() if first_day else None, "end": last_day.isoformat() if last_day else None})},
        "rows": len(chosen), **counts, "sensitive_notes_included": sensitive_notes,
    })
    return run


def run_lines(session: DbSession, run: ExportRun) -> list[RunLine]:
    """The run's contacts in its order, as they are now, with how the run marked each."""
    items = list(session.scalars(
        select(ExportRunContact).where(ExportRunContact.run_id == run.id).order_by(ExportRunContact.position)
        .options(selectinload(ExportRunContact.contact).selectinload(Contact.person),
                 selectinload(ExportRunContact.contact).selectinload(Contact.recorded_by))
    ))
    return [
        RunLine(item.contact, ExportStatus(item.status),
                item.contact.content_sha256 != item.content_sha256 or item.contact.voided != item.voided)
        for item in items
    ]


def record_download(session: DbSession, run: ExportRun, *, what: str, sensitive_notes: bool) -> None:
    """A run's file was downloaded, or its page (with the Niche text) read: audited, never the data."""
    audit.record(session, "export", f"{run.kind}_export", entity_id=run.id, team_id=run.team_id,
                 after={"rows": run.rows, "sensitive_notes_included": sensitive_notes, "download": what})
