"""The canonical form of a contact's content and its hash.

The phone hashes what it sent in the same way, so it can check that what the
server stored is what it sent before it forgets a record. Times are UTC with
millisecond precision, written as JavaScript's ``Date.toISOString()`` writes them.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timezone


def iso_utc_millis(moment: datetime) -> str:
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def truncate_to_millis(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def canonical_content(
    *,
    contact_id: uuid.UUID,
    person_id: int,
    type: str,
    outcome: str,
    occurred_at: datetime,
    duration_minutes: int | None,
    pathways: list[str] | tuple[str, ...],
    notes: str | None,
    sensitive: bool,
    concern: bool,
    others_present: str | None,
    colleague_ids: list[int] | tuple[int, ...] = (),
) -> dict:
    """The content as hashed. ``colleague_ids`` appears only when there are some, so that a
    contact with none (every contact stored before joint contacts) keeps its hash."""
    content: dict = {
        "id": str(contact_id),
        "person_id": person_id,
        "type": str(type),
        "outcome": str(outcome),
        "occurred_at": iso_utc_millis(occurred_at),
        "duration_minutes": duration_minutes,
        "pathways": sorted(str(pathway) for pathway in pathways),
        "notes": notes or None,
        "sensitive": bool(sensitive),
        "concern": bool(concern),
        "others_present": others_present or None,
    }
    if colleague_ids:
        content["colleague_ids"] = sorted(set(int(user_id) for user_id in colleague_ids))
    return content


def content_hash(content: dict) -> str:
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def stored_content(contact) -> dict:
    """The canonical content of a stored contact (an ORM ``Contact`` or anything shaped like one)."""
    return canonical_content(
        contact_id=contact.id,
        person_id=contact.person_id,
        type=contact.type,
        outcome=contact.outcome,
        occurred_at=contact.occurred_at,
        duration_minutes=contact.duration_minutes,
        pathways=contact.pathways or (),
        notes=contact.notes,
        sensitive=contact.sensitive,
        concern=contact.concern,
        others_present=contact.others_present,
        colleague_ids=getattr(contact, "colleague_ids", None) or (),
    )
