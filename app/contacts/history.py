"""A contact's life, read back: every version with who made it, when and why, and its reference.

The versions come from the audit trail (``app.audit``), which keeps every change of a contact
in the same transaction as the change: the ``create`` event holds the first version whole,
and each later event the columns it changed. Replaying them gives each version in turn, so
nothing else has to keep a copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.contacts.operations import CORRECTABLE_FIELDS
from app.contacts.reference import short_reference

__all__ = ["SHOWN_FIELDS", "Version", "short_reference", "versions"]
from app.extensions import DbSession
from app.models import AuditEvent, Contact, User

# What a version shows: the content, and whether it was void then.
SHOWN_FIELDS = (*CORRECTABLE_FIELDS, "voided")


@dataclass(frozen=True)
class Version:
    number: int  # 1 for the version first received
    action: str  # create, correct, void, or update (a change made by the system)
    when: datetime
    who: str | None  # None: the system
    reason: str | None  # why it was corrected or voided
    content: dict  # the version's values, as the audit trail keeps them (SHOWN_FIELDS)


def versions(session: DbSession, contact: Contact) -> list[Version]:
    """Every version of the contact, oldest first (the caller has found it in its own team)."""
    events = list(session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == Contact.__tablename__, AuditEvent.entity_id == str(contact.id))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ))
    actor_ids = {event.actor_id for event in events if event.actor_id is not None}
    names: dict = {}
    if actor_ids:
        names = {row.id: row.name for row in session.execute(select(User.id, User.name).where(User.id.in_(actor_ids)))}
    found: list[Version] = []
    content: dict = {}
    for event in events:
        after = event.after or {}
        if event.action == "create":
            content = dict(after)
        else:
            content = {**content, **after}
        if found and not any(key in after for key in SHOWN_FIELDS):
            continue  # a change of something the version does not show (the team, a derived column)
        reason = None
        if event.action == "correct":
            reason = after.get("correction_reason") or content.get("correction_reason")
        elif event.action == "void":
            reason = content.get("void_reason")
        found.append(Version(
            number=len(found) + 1,
            action=event.action,
            when=event.occurred_at,
            who=names.get(event.actor_id) if event.actor_id is not None else None,
            reason=reason,
            content=_readable(content),
        ))
    return found


def _readable(content: dict) -> dict:
    shown = {key: content.get(key) for key in SHOWN_FIELDS}
    occurred_at = shown.get("occurred_at")
    if isinstance(occurred_at, str):
        shown["occurred_at"] = datetime.fromisoformat(occurred_at)
    return shown
