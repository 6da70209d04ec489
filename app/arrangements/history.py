"""An arrangement's life, read back from the audit trail: made, moved, cancelled, recorded.

As ``app.contacts.history`` does for contacts: the ``create`` event holds the first version
whole and each later event the columns it changed, with who and when; the reason for a move
or a cancellation is the ``change_reason`` it set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.extensions import DbSession
from app.models import Arrangement, AuditEvent, User


@dataclass(frozen=True)
class Step:
    action: str  # create, move, cancel, record (or update: a change made by the system)
    when: datetime
    who: str | None
    starts_at: datetime | None
    cancelled_by: str | None
    reason: str | None


def steps(session: DbSession, arrangement: Arrangement) -> list[Step]:
    """Every change of the arrangement, oldest first (the caller has found it in its own team)."""
    events = list(session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == Arrangement.__tablename__, AuditEvent.entity_id == str(arrangement.id))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)))
    actor_ids = {event.actor_id for event in events if event.actor_id is not None}
    names = {row.id: row.name for row in session.execute(select(User.id, User.name).where(User.id.in_(actor_ids)))} \
        if actor_ids else {}
    found = []
    content: dict = {}
    for event in events:
        after = event.after or {}
        content = dict(after) if event.action == "create" else {**content, **after}
        starts_at = content.get("starts_at")
        found.append(Step(
            action=event.action,
            when=event.occurred_at,
            who=names.get(event.actor_id) if event.actor_id is not None else None,
            starts_at=datetime.fromisoformat(starts_at) if isinstance(starts_at, str) else None,
            cancelled_by=content.get("cancelled_by") if event.action == "cancel" else None,
            reason=after.get("change_reason") if event.action in ("move", "cancel") else None,
        ))
    return found
