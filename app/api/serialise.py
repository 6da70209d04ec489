"""The JSON shapes the API answers with (described in ``openapi.yaml``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from datetime import datetime

from app.weekly_counts import PersonWeek
from app.collation import order_key_for
from app.contacts.canonical import iso_utc_millis, stored_content
from app.contacts.operations import Status, SyncResult
from app.models import Contact


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else iso_utc_millis(moment)


def caseload_row(row: PersonWeek, language: str, user_id: int | None = None,
                 actions: Mapping[int, Sequence] | None = None, arranged: int = 0) -> dict:
    """One person as the phone needs them to record offline and find them: no notes, no addresses.

    ``next_actions`` are the person's next open plan actions (``app.domain.plans.next_actions``):
    what is to be done, by when and by whom; never a pathway's need or what is being done on it.

    ``order_key`` is the name's place in the reader's alphabet (``app.collation``), which the
    phone sorts by so that its lists are in the server's order.
    """
    person, count = row.person, row.count
    manager = person.offender_manager
    return {
        "id": person.id,
        "display_name": person.display_name,
        "order_key": order_key_for(language)(person.display_name),
        "category": person.category.value,
        "rag": person.rag.value,
        "required_this_week": count.required,
        "offered_this_week": count.offered,
        "kept_this_week": count.kept,
        # Arranged ahead (not cancelled) this week: shown beside offered and kept, never counted.
        "arranged_this_week": arranged,
        "last_contact_at": iso(row.last_contact_at),
        "offender_manager": None if manager is None else {"id": manager.id, "name": manager.name},
        "is_mine": user_id is not None and person.offender_manager_id == user_id,
        "delius_crn": person.delius_crn,
        "niche_ref": person.niche_ref,
        "next_actions": [plan_action(action) for action in (actions or {}).get(person.id, [])],
    }


def plan_action(action) -> dict:
    return {
        "id": action.id,
        "description": action.description,
        "due_on": action.due_on.isoformat(),
        "owner": action.owner.name if action.owner is not None else action.owner_agency,
        "owner_id": action.owner_id,
    }


def sync_result(result: SyncResult, sent_id: str | None) -> dict:
    if result.status == Status.REJECTED:
        return {
            "id": sent_id,
            "status": result.status.value,
            "errors": {key: str(message) for key, message in result.errors.items()},
        }
    answer: dict[str, object] = {
        "id": sent_id,
        "status": result.status.value,
        "server_received_at": iso(result.received_at),
        "sha256": result.sha256,
    }
    if result.same_as is not None:
        answer["same_as"] = str(result.same_as)
    if result.status != Status.CREATED:
        answer["corrected"] = result.corrected
        answer["voided"] = result.voided
    if result.stored is not None:
        answer["stored"] = result.stored
    if result.current_sha256 is not None:
        answer["current_sha256"] = result.current_sha256
    return answer


def rejected(sent_id: str | None, errors: dict) -> dict:
    return {"id": sent_id, "status": Status.REJECTED.value, "errors": {key: str(value) for key, value in errors.items()}}


def stored_contact(contact: Contact) -> dict:
    """A stored contact in full, for its own team: its canonical content and what the server knows."""
    return {
        **stored_content(contact),
        "sha256": contact.content_sha256,
        "received_sha256": contact.received_sha256,
        "recorded_at": iso(contact.recorded_at),
        "server_received_at": iso(contact.received_at),
        "recorded_by": {"id": contact.recorded_by.id, "name": contact.recorded_by.name},
        "recorder_agency": contact.recorder_agency.value,
        "late": contact.late,
        "clock_skew": contact.clock_skew,
        "voided": contact.voided,
        "void_reason": contact.void_reason,
        "correction_reason": contact.correction_reason,
        "updated_at": iso(contact.updated_at),
        "same_as_id": None if contact.same_as_id is None else str(contact.same_as_id),
    }


def concern(contact: Contact) -> dict:
    """An open concern for a home screen: who, when, what kind; never notes."""
    return {
        "contact_id": str(contact.id),
        "person": {"id": contact.person_id, "display_name": contact.person.display_name},
        "occurred_at": iso(contact.occurred_at),
        "type": contact.type.value,
        "recorded_by": {"id": contact.recorded_by.id, "name": contact.recorded_by.name},
    }


def held(contact: Contact, sent_id: str) -> dict:
    """One answer of /contacts/check."""
    return {
        "id": sent_id,
        "sha256": contact.content_sha256,
        "received_sha256": contact.received_sha256,
        "server_received_at": iso(contact.received_at),
        "voided": contact.voided,
    }


def arrangement(found, now: datetime) -> dict:
    """An arrangement as the phone shows it on its home and lists: never where (``place``)."""
    from app.domain import arrangements as rules

    return {
        "id": str(found.id),
        "person": {"id": found.person_id, "display_name": found.person.display_name},
        "type": found.type.value,
        "starts_at": iso(found.starts_at),
        "with_whom": found.with_whom,
        "officer_id": found.officer_id,
        "arranged_by_id": found.arranged_by_id,
        "state": found.state.value,
        "cancelled_by": None if found.cancelled_by is None else found.cancelled_by.value,
        "contact_id": None if found.contact_id is None else str(found.contact_id),
        "today": rules.is_today(found.starts_at, now),
        "outcome_missing": rules.outcome_missing(found.starts_at, found.state, now),
    }


def arrangement_result(result, sent_id: str | None, now: datetime) -> dict:
    """One answer of /arrangements/sync."""
    if result.status == Status.REJECTED:
        return rejected(sent_id, result.errors)
    return {"id": sent_id, "status": result.status.value, "sha256": result.sha256,
            "arrangement": arrangement(result.arrangement, now)}
