"""The audit trail in the reader's words: what happened, to which kind of record, and what
the record said before and after, as labelled values ("Categori: Hyblyg"), never column
names, action codes or stored enum values.

The one place these words live: the audit CSV uses them, and the supervisors' audit
trail page shows the same. ``tests/trust/test_audit_export.py`` checks that every audited
column of every audited table has a label here, so a new column cannot slip into an
export as its raw name.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext, lazy_gettext as _l, pgettext

from app.domain.arrangements import CancelledBy, State as ArrangementState
from app.domain.counting import WeekStatus
from app.i18n import LANGUAGE_NAMES
from app.models import (
    Agency,
    ContactType,
    DeselectionReason,
    Language,
    Outcome,
    Pathway,
    PauseReason,
    Rag,
    Role,
)
from app.domain.plans import ActionStatus, Need
from app.domain.requirements import Category
from app.presenters import (
    ACTION_STATUS_LABELS,
    AGENCY_LABELS,
    CATEGORY_LABELS,
    CONTACT_TYPE_LABELS,
    NEED_LABELS,
    OUTCOME_LABELS,
    PATHWAY_LABELS,
    PAUSE_LABELS,
    RAG_LABELS,
    ROLE_LABELS,
    date_time,
    short_date,
)


def action_labels() -> dict[str, str]:
    """Every action the trail records (app/audit.py writes create/update/delete; the rest
    are named where they happen)."""
    return {
        "create": pgettext("audit trail action", "Created"),
        "update": pgettext("audit trail action", "Changed"),
        "delete": pgettext("audit trail action", "Deleted"),
        "void": pgettext("audit trail action", "Voided"),
        "correct": pgettext("audit trail action", "Corrected"),
        "move": pgettext("audit trail action", "Moved"),
        "cancel": pgettext("audit trail action", "Cancelled"),
        "record": pgettext("audit trail action", "Outcome recorded"),
        "recount": gettext("Counted instead of a joint record made void or moved"),
        "confirm_same": gettext("Confirmed as the same contact as another record"),
        "deselect": pgettext("audit trail action", "De-selected"),
        "end": pgettext("audit trail action", "Pause ended"),
        "export": pgettext("audit trail action", "Exported"),
        "sign_in": pgettext("audit trail action", "Signed in"),
        "sign_out": pgettext("audit trail action", "Signed out"),
        "idle_sign_out": gettext("Signed out after a time without activity"),
        "sign_out_everywhere": gettext("Signed out on every device"),
        "export_audit_trail": gettext("Exported the audit trail"),
        "read_sensitive_notes": gettext("Asked to read sensitive notes"),
    }


def entity_labels() -> dict[str, str]:
    """Every kind of record in the trail: the audited tables, and what exports are of."""
    return {
        "audit_events": pgettext("kind of record", "Audit trail"),
        "category_changes": pgettext("kind of record", "Category change"),
        "contacts": pgettext("kind of record", "Contact"),
        "possible_duplicate_dismissals": pgettext("kind of record", "Records confirmed as different contacts"),
        "pauses": pgettext("kind of record", "Pause"),
        "people": pgettext("kind of record", "Person"),
        "rag_changes": pgettext("kind of record", "RAG status change"),
        "requirement_reviews": pgettext("kind of record", "Review of the required level"),
        "teams": pgettext("kind of record", "Team"),
        "team_defaults": pgettext("kind of record", "Team's default levels"),
        "delius_codes": pgettext("kind of record", "Delius contact type code"),
        "users": pgettext("kind of record", "User account"),
        "week_view": pgettext("kind of record", "Week view"),
        "contact_log": pgettext("kind of record", "Contact log"),
        "team_measures": pgettext("kind of record", "How the team is doing"),
        "delius_export": pgettext("kind of record", "Delius export"),
        "niche_export": pgettext("kind of record", "Niche export"),
        "cohort_periods": pgettext("kind of record", "Period in the cohort"),
        "account_links": pgettext("kind of record", "One-time link"),
        "person_page": pgettext("kind of record", "Person's page"),
        "concern_acknowledgements": pgettext("kind of record", "Acknowledgement of a concern"),
        "plan_pathways": pgettext("kind of record", "Pathway of a plan"),
        "plan_actions": pgettext("kind of record", "Action of a plan"),
        "meetings": pgettext("kind of record", "IOM meeting"),
        "meeting_attendance": pgettext("kind of record", "Attendance at an IOM meeting"),
        "meeting_decisions": pgettext("kind of record", "Decision at an IOM meeting"),
        "meeting_agenda": pgettext("kind of record", "Agenda of an IOM meeting"),
        "meeting_minutes": pgettext("kind of record", "Minutes of an IOM meeting"),
        "arrangements": pgettext("kind of record", "Arranged contact"),
    }


# Column (or export detail) names, the same meaning in every table they appear in.
FIELD_LABELS = {
    "id": _l("Record number"),
    "team_id": _l("Team number"),
    "person_id": _l("Person number"),
    "name": _l("Name"),
    "display_name": _l("Name"),
    "email": _l("Email address"),
    "force_area": _l("Police force area"),
    "community_safety_partnership": _l("Community safety partnership"),
    "default_fixed": _l("Default level: Fixed"),
    "default_flex": _l("Default level: Flex"),
    "default_free": _l("Default level: Free"),
    "fixed": _l("Default level: Fixed"),
    "flex": _l("Default level: Flex"),
    "free": _l("Default level: Free"),
    "correction_window_days": _l("Days in which a contact can be corrected"),
    "late_entry_days": _l("Days after which a contact is late"),
    "created_at": _l("Recorded at"),
    "updated_at": _l("Last changed at"),
    "category": _l("Category"),
    "effective": _l("From"),
    "reason": _l("Reason"),
    "changed_by_id": _l("Changed by (user number)"),
    "set_by_id": _l("Set by (user number)"),
    "created_by_id": _l("Recorded by (user number)"),
    "recorded_by_id": _l("Recorded by (user number)"),
    "reviewer_id": _l("Reviewed by (user number)"),
    "offender_manager_id": _l("Offender manager (user number)"),
    "key": _l("Kind of contact"),
    "code": _l("Delius code"),
    "start": _l("First day"),
    "end": _l("Last day"),
    "recorder_agency": _l("Agency of the person who recorded it"),
    "type": _l("Contact type"),
    "outcome": _l("Outcome"),
    "occurred_at": _l("Date and time"),
    "occurred_week": _l("Week beginning"),
    "duration_minutes": _l("Duration in minutes"),
    "pathways": _l("Pathways"),
    "notes": _l("Notes"),
    "others_present": _l("Who else was there"),
    "sensitive": _l("Sensitive"),
    "concern": _l("Concern"),
    "recorded_at": _l("Recorded on the phone at"),
    "received_at": _l("Received by the server at"),
    "late": _l("Recorded late"),
    "clock_skew": _l("Phone clock out"),
    "content_sha256": _l("Fingerprint of the content (SHA-256)"),
    "received_sha256": _l("Fingerprint when received (SHA-256)"),
    "voided": _l("Void"),
    "void_reason": _l("Reason it was made void"),
    "correction_reason": _l("Reason for the correction"),
    "colleague_ids": _l("Colleagues who were there (user numbers)"),
    "same_as_id": _l("Second record of the joint contact (the counted record's id)"),
    "first_id": _l("First record"),
    "second_id": _l("Second record"),
    "dismissed_by_id": _l("Dismissed by (user number)"),
    "delius_crn": _l("Delius CRN"),
    "niche_ref": _l("Niche or PNC reference"),
    "rag": _l("RAG status"),
    "lead_agency": _l("Lead agency"),
    "wisdom": _l("WISDOM"),
    "mappa": _l("MAPPA"),
    "y2a": _l("Y2A"),
    "y2a_minimum_ends": _l("Y2A minimum period ends"),
    "joined_on": _l("Joined the cohort"),
    "left_on": _l("First day no longer in the cohort"),
    "left_reason": _l("Reason for de-selection"),
    "contacts_per_week": _l("Contacts required each week"),
    "risk": _l("Risk"),
    "needs": _l("Needs"),
    "responses_to_supervision": _l("Responses to supervision"),
    "progress_towards_rehabilitation": _l("Progress towards rehabilitation"),
    "difficulties_attending": _l("Difficulties in attending appointments"),
    "next_review_due": _l("Next review due"),
    "agency": _l("Agency"),
    "role": _l("Role"),
    "language": _l("Language"),
    "active": _l("Can sign in"),
    "user_id": _l("User number"),
    "purpose": _l("What the link is for"),
    "expires_at": _l("Stops working at"),
    "used_at": _l("Used at"),
    "started_on": _l("Joined the cohort"),
    "ended_on": _l("First day no longer in the cohort"),
    "ended_by": _l("How the period ended"),
    "left_criteria": _l("De-selection criteria"),
    "exit_strategy": _l("Exit strategy"),
    "y2a_early_reason": _l("Why de-selected before the end of the Y2A minimum"),
    # What an export recorded about itself.
    "filters": _l("Filters"),
    "rows": _l("Rows"),
    "events": _l("Events"),
    "week": _l("Week beginning"),
    "manager": _l("Offender manager (user number)"),
    "status": _l("Status"),
    "sort": _l("Sorted by"),
    "sensitive_notes_asked": _l("Sensitive notes asked for"),
    "sensitive_notes_included": _l("Sensitive notes included"),
    "contact_id": _l("Contact"),
    "acknowledged_by_id": _l("Acknowledged by (user number)"),
    "starts_at": _l("Arranged for"),
    "place": _l("Where"),
    "with_whom": _l("With whom"),
    "arranged_by_id": _l("Arranged by (user number)"),
    "officer_id": _l("The officer it is for (user number)"),
    "state": _l("State"),
    "cancelled_by": _l("Cancelled by"),
    "change_reason": _l("Why it was moved or cancelled"),
    "acknowledged_at": _l("Acknowledged at"),
    "updated_by_id": _l("Changed by (user number)"),
    "changed_only": _l("Only what is new or changed since the last export"),
    "new_contacts": _l("New contacts"),
    "corrected_contacts": _l("Corrected contacts"),
    "voided_contacts": _l("Voided contacts"),
    "unchanged_contacts": _l("Contacts already exported, unchanged"),
    "download": _l("What was read"),
    # Plans and meetings (app/plans, app/meetings).
    "pathway": _l("Pathway"),
    "need": _l("Need"),
    "work": _l("What is being done"),
    "description": _l("Action"),
    "owner_id": _l("Owner (user number)"),
    "owner_agency": _l("Partner agency"),
    "due_on": _l("Due by"),
    "meeting_id": _l("Meeting number"),
    "meeting": _l("Meeting number"),
    "held_on": _l("Date of the meeting"),
    "attendees": _l("Who came for it"),
    "deselected": _l("De-selected"),
    "criteria": _l("De-selection criteria"),
    "decided_by_id": _l("Decided by (user number)"),
}

PER_ENTITY_LABELS = {
    ("pauses", "reason"): _l("Why contact is paused"),
    ("pauses", "start"): _l("First day of the pause"),
    ("pauses", "end"): _l("First day back"),
    ("requirement_reviews", "effective"): _l("Date of this review"),
}

def _supervision_labels():
    """Deselection reasons, week statuses and sort orders, as the supervision screens name them
    (imported when first needed: app.supervision imports from this package's neighbours)."""
    from app.supervision.forms import DESELECTION_LABELS
    from app.supervision.presenters import SORT_LABELS, STATUS_FILTER_LABELS

    return DESELECTION_LABELS, STATUS_FILTER_LABELS, SORT_LABELS


def _enum_labels(key: str) -> tuple | None:
    """The labels for a field holding an enum's stored value, as (enum class, labels)."""
    return {
        "category": (Category, CATEGORY_LABELS),
        "rag": (Rag, RAG_LABELS),
        "lead_agency": (Agency, AGENCY_LABELS),
        "agency": (Agency, AGENCY_LABELS),
        "recorder_agency": (Agency, AGENCY_LABELS),
        "role": (Role, ROLE_LABELS),
        "type": (ContactType, CONTACT_TYPE_LABELS),
        "outcome": (Outcome, OUTCOME_LABELS),
        "left_reason": (DeselectionReason, _supervision_labels()[0]),
        "left_criteria": (DeselectionReason, _supervision_labels()[0]),
        "criteria": (DeselectionReason, _supervision_labels()[0]),
        "pathway": (Pathway, PATHWAY_LABELS),
        "need": (Need, NEED_LABELS),
        "status": (WeekStatus, _supervision_labels()[1]),
        "state": (ArrangementState, _arrangement_labels()[0]),
        "cancelled_by": (CancelledBy, _arrangement_labels()[1]),
    }.get(key)


def _arrangement_labels():
    from app.arrangements.forms import CANCELLED_BY_LABELS, STATE_LABELS

    return STATE_LABELS, CANCELLED_BY_LABELS


_DATES = {"due_on", "held_on", "effective", "start", "end", "joined_on", "left_on", "started_on", "ended_on", "y2a_minimum_ends", "next_review_due",
          "occurred_week", "week"}
_MOMENTS = {"starts_at", "created_at", "updated_at", "occurred_at", "recorded_at", "received_at", "expires_at", "used_at", "acknowledged_at"}


def field_label(entity: str, key: str) -> str:
    label = PER_ENTITY_LABELS.get((entity, key)) or FIELD_LABELS.get(key)
    return str(label) if label is not None else key


def value_text(entity: str, key: str, value) -> str:
    """A stored value in words: enum values by their labels, dates as dates, Yes/No."""
    if value is None or value == "":
        return gettext("(none)")
    if isinstance(value, bool):
        return pgettext("in an audit trail", "Yes") if value else pgettext("in an audit trail", "No")
    if isinstance(value, dict):
        return "; ".join(f"{field_label(entity, k)}: {value_text(entity, k, v)}" for k, v in value.items()) or gettext("(none)")
    if isinstance(value, list):
        if key == "pathways":
            return ", ".join(_label_of(Pathway, PATHWAY_LABELS, item) for item in value) or gettext("(none)")
        return ", ".join(value_text(entity, key, item) for item in value)
    if entity == "pauses" and key == "reason":
        return _label_of(PauseReason, PAUSE_LABELS, value)
    if entity == "plan_actions" and key == "status":
        return _label_of(ActionStatus, ACTION_STATUS_LABELS, value)
    if entity == "meeting_attendance" and key == "agency":
        return str(value)  # named as the meeting wrote it
    if entity == "delius_codes" and key in ("key", "code"):
        from app.supervision import delius_code_pages

        return delius_code_pages.label_of(value) if key == "key" else delius_code_pages.value_of(value, value)
    if key == "download":
        return gettext("The file") if value == "file" else gettext("The page")
    if key == "language":
        return LANGUAGE_NAMES.get(value, str(value)) if value in {item.value for item in Language} else str(value)
    if key == "sort":
        return str(_supervision_labels()[2].get(value, value))
    labels = _enum_labels(key)
    if labels is not None:
        enum_class, names = labels
        return _label_of(enum_class, names, value)
    try:
        if key in _DATES and isinstance(value, str):
            return short_date(date.fromisoformat(value))
        if key in _MOMENTS and isinstance(value, str):
            return date_time(datetime.fromisoformat(value))
    except ValueError:
        return str(value)
    return str(value)


def _label_of(enum_class, labels, value) -> str:
    try:
        return str(labels[enum_class(value)])
    except (ValueError, KeyError):
        return str(value)


# Identifiers and fingerprints: in the CSV for whoever checks records across systems, left
# out of the page, where they are noise (the page links to the person instead).
TECHNICAL = frozenset({"id", "team_id", "person_id", "content_sha256", "received_sha256"})


def describe(entity: str, values: dict | None, leave_out: frozenset[str] = frozenset()) -> str:
    """A whole snapshot or change as "Label: value; Label: value", in the reader's language."""
    if not values:
        return ""
    return "; ".join(f"{field_label(entity, key)}: {value_text(entity, key, value)}"
                     for key, value in values.items() if key not in leave_out)
