"""What of a sensitive contact a reader is shown: its notes and who else was there.

Who may read them is one rule, ``may(user, "read_sensitive_notes", contact)`` in
``app.permissions``. This module adds the other half: even a reader who may read them sees
them only after asking ("include sensitive notes"), and that choice is written to the audit
trail. Lists, exports and the audit export all go through ``shows_private_text`` (or
``redact_snapshot`` for a stored audit snapshot), so none of them can forget the rule.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from app import audit
from app.extensions import DbSession
from app.models import AuditEvent, Contact
from app.permissions import may

# The fields of a contact that a sensitive contact keeps from readers who did not ask.
PRIVATE_FIELDS = ("notes", "others_present")
ASKED_ARG = "sensitive_notes"  # ?sensitive_notes=1: the reader asks


def asked(args: Mapping[str, str]) -> bool:
    """Whether the request asks for sensitive notes (a checkbox or a link: ``sensitive_notes=1``)."""
    return args.get(ASKED_ARG) == "1"


def shows_private_text(user: Any, contact: Contact, *, asked: bool) -> bool:
    """Whether ``user`` is shown this contact's notes and others-present text."""
    if not contact.sensitive:
        return True
    return asked and may(user, "read_sensitive_notes", contact)


def left_out() -> str:
    return gettext("Sensitive: left out")


def redact_snapshot(values: dict | None, *, hide: bool) -> dict | None:
    """An audit snapshot of a contact with its private text left out (when ``hide``).

    The stored audit event is never changed: this is what a reader is shown of it.
    """
    if not values or not hide:
        return values
    return {key: (left_out() if key in PRIVATE_FIELDS and value else value) for key, value in values.items()}


def snapshot_is_sensitive(*snapshots: dict | None) -> bool:
    return any(bool(snapshot and snapshot.get("sensitive")) for snapshot in snapshots)


def sensitive_contact_events(session: DbSession, events: Sequence[AuditEvent], reader: Any, *, asked: bool) -> tuple[set[int], set[int]]:
    """(the events whose private text is left out, those of sensitive contacts shown in full).

    An event is of a sensitive contact when its snapshot says so, or the contact is
    sensitive now (a note corrected to sensitive stays out of its earlier versions too)."""
    contact_events = [event for event in events if event.entity == "contacts" and event.entity_id]
    ids = {_uuid_or_none(event.entity_id) for event in contact_events} - {None}
    contacts = {str(contact.id): contact for contact in session.scalars(
        select(Contact).where(Contact.id.in_(ids)))} if ids else {}
    hidden: set[int] = set()
    shown: set[int] = set()
    for event in contact_events:
        contact = contacts.get(str(_uuid_or_none(event.entity_id)))
        if not (snapshot_is_sensitive(event.before, event.after) or (contact is not None and contact.sensitive)):
            continue
        allowed = asked and reader is not None and contact is not None and may(reader, "read_sensitive_notes", contact)
        (shown if allowed else hidden).add(event.id)
    return hidden, shown


def _uuid_or_none(text: str | None) -> uuid.UUID | None:
    if text is None:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def record_choice(
    session: DbSession,
    where: str,  # the screen, as an audit entity ("person_page")
    *,
    asked: bool,
    included: int,
    team_id: int | None = None,
    person_id: int | None = None,
) -> None:
    """Audit that a reader asked to see sensitive notes, and how many they were shown."""
    if not asked:
        return
    audit.record(
        session,
        "read_sensitive_notes",
        where,
        team_id=team_id,
        person_id=person_id,
        after={"sensitive_notes_asked": True, "sensitive_notes_included": included},
    )
