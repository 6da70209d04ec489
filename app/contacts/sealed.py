"""A sync batch that holds sealed records: each stored as the record of whoever sealed it.

A sealed record carries, inside its seal, the seal token of the sign-in that sealed it
(``app/sealing.py``). It is stored as that user's record (their team, agency and
``recorded_by``), whoever sends it: the officer themselves, or a colleague who signed in on
the phone after them, a leaver's records included (contacts are evidence). The audit trail
names the sender. A token the server never issued is refused for that record alone.

A record sealed by an officer of another team is refused (for that record alone): only
someone of the recorder's team may send it, as team scoping allows nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import scoping, sealing
from app.contacts.contract import SEAL_TOKEN_UNKNOWN, SEALED_OTHER_TEAM
from app.contacts import operations
from app.contacts.operations import ContactInput, Status, SyncResult
from app.extensions import DbSession
from app.models import User


@dataclass(frozen=True)
class Entry:
    """One contact of a batch, read: plain (``seal_token`` None) or opened from its seal."""

    item: ContactInput
    seal_token: str | None = None


def store_batch(
    session: DbSession,
    sender: User,
    entries: Sequence[Entry],
    *,
    received_at: datetime,
    sent_at: datetime | None = None,
) -> list[SyncResult]:
    """One result per entry, in order; plain entries are the sender's. Does not commit."""
    owners = sealing.users_of_tokens(session, {entry.seal_token for entry in entries if entry.seal_token})
    recorders = _users(session, set(owners.values()) - {sender.id})
    recorders[sender.id] = sender
    results: list[SyncResult | None] = [None] * len(entries)
    groups: dict[int, list[int]] = {}
    for index, entry in enumerate(entries):
        if entry.seal_token is None:
            groups.setdefault(sender.id, []).append(index)
        elif entry.seal_token in owners:
            groups.setdefault(owners[entry.seal_token], []).append(index)
        else:
            results[index] = SyncResult(Status.REJECTED, entry.item.contact_id, errors={"sealed": SEAL_TOKEN_UNKNOWN})
    for recorder_id, indexes in groups.items():
        recorder = recorders[recorder_id]
        if recorder.team_id != sender.team_id:
            for index in indexes:
                results[index] = SyncResult(Status.REJECTED, entries[index].item.contact_id,
                                            errors={"sealed": SEALED_OTHER_TEAM})
            continue
        outcomes = operations.sync_contacts(session, recorder, [entries[index].item for index in indexes],
                                            received_at=received_at, sent_at=sent_at,
                                            sender=None if recorder is sender else sender)
        for index, outcome in zip(indexes, outcomes):
            # What another user's team holds under an id is not shown to the sender.
            results[index] = outcome if recorder is sender else replace(outcome, stored=None)
    return results  # type: ignore[return-value]


def _users(session: DbSession, user_ids: set[int]) -> dict[int, User]:
    """The recorders, deactivated ones too (their records are still theirs)."""
    if not user_ids:
        return {}
    statement = (select(User).where(User.id.in_(user_ids)).options(joinedload(User.team))
                 .execution_options(**scoping.UNSCOPED))
    return {user.id: user for user in session.scalars(statement)}
