"""Words for the supervision screens and exports: statuses, review states, the audit trail."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext, lazy_gettext as _l, ngettext, pgettext
from markupsafe import Markup

from app.domain.counting import ReviewState, WeekStatus
from app.models import (
    Agency,
    AuditEvent,
    ContactType,
    DeselectionReason,
    Outcome,
    Pathway,
    PauseReason,
    Rag,
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
    date_time,
    pro_rating_note,
    short_date,
    week_status,
)
from app.supervision.forms import DESELECTION_LABELS
from app.supervision.charts import week_chart
from app.supervision.queries import AuditRecords, WeekView

PAUSED_STATUS = {
    PauseReason.CUSTODY: _l("Not required this week: in custody"),
    PauseReason.HOSPITAL: _l("Not required this week: in hospital"),
    PauseReason.OTHER: _l("Not required this week: paused"),
}
REVIEW_STATE_LABELS = {
    ReviewState.OVERDUE: _l("Review overdue"),
    ReviewState.DUE: _l("Review due"),
    ReviewState.DUE_SOON: _l("Review due soon"),
}
STATUS_FILTER_LABELS = {
    WeekStatus.MET: _l("Met"),
    WeekStatus.SHORT: _l("Short"),
    WeekStatus.NOT_REQUIRED: _l("Not required"),
}
SORT_LABELS = {
    "status": _l("Status (shortest first)"),
    "name": _l("Name"),
    "category": _l("Category"),
    "rag": _l("RAG status"),
    "agency": _l("Lead agency"),
    "manager": _l("Offender manager"),
}


def row_status(row) -> str:
    """The week's status in words; a week with nothing required says why if paused. A
    shortfall says what it is measured against: contacts offered, against the requirement."""
    if row.count.status is WeekStatus.NOT_REQUIRED and row.paused is not None:
        return str(PAUSED_STATUS[row.paused])
    if row.count.status is WeekStatus.SHORT:
        return ngettext(
            "Short by %(num)d contact: %(offered)d offered of %(required)d required",
            "Short by %(num)d contacts: %(offered)d offered of %(required)d required",
            row.count.shortfall, offered=row.count.offered, required=row.count.required,
        )
    return week_status(row.count)


def row_pro_rating(row) -> str:
    """Why the row's requirement is lower this week ("In custody from Wednesday: 1 contact required")."""
    return pro_rating_note(row.pro_rating, row.count.required, row.pro_rating_pause)


@dataclass(frozen=True, slots=True)
class WeekTableRow:
    """One person's row of the week view's table as the page shows it: every word, number
    and chart made here, once, so the template only places them (``week_table``)."""

    person_id: int
    name: str
    href: str  # the person's page
    status: str  # the week's status (its value), for the row's and the status cell's class
    category: str  # in force that week, in words; empty if none
    rag: str  # its value, for the class
    rag_label: str
    agency: str
    manager: str  # the offender manager's name, or "Not assigned"
    required: int
    note: str  # why the requirement is pro-rated (``row_pro_rating``); empty if it is not
    arranged: int
    offered: int
    kept: int
    status_words: str  # ``row_status``
    mix: str  # face to face and remote; empty when nothing was offered
    chart: Markup
    review: str  # the review state's value, for the tag's class; empty if none
    review_label: str
    suggested: bool
    left: bool
    late: str  # "2 late entries"; empty if none


def remembered(make: Callable[[Any], str], key: Callable[[Any], Any] = lambda value: value) -> Callable[[Any], str]:
    """``make``, remembering its words for each ``key`` of its argument: for one page, where
    the same few words show hundreds of times and a translation lookup costs far more than a
    look in a small dictionary."""
    words: dict = {}

    def lookup(value: Any) -> str:
        found = key(value)
        if found not in words:
            words[found] = make(value)
        return words[found]

    return lookup


def page_labels() -> dict[str, Callable[[Any], str]]:
    """The category, RAG and agency labels, each remembered for the page being made."""
    return {
        "category_label": remembered(lambda value: str(CATEGORY_LABELS[value])),
        "rag_label": remembered(lambda value: str(RAG_LABELS[value])),
        "agency_label": remembered(lambda value: str(AGENCY_LABELS[value])),
    }


def week_table(view: WeekView, person_url: Callable[[int], str], language: str) -> list[WeekTableRow]:
    """The week view's rows (``view.rows``, in their order) in words, for ``week.html``.

    A team of 250 shows the same few labels and sentences hundreds of times: each is made
    once for the page (``remembered``), and each chart is drawn once for its numbers
    (``charts.week_chart`` remembers them).
    """
    not_assigned = gettext("Not assigned")
    labels = page_labels()
    category_label, rag_label, agency_label = labels["category_label"], labels["rag_label"], labels["agency_label"]
    status_words = remembered(row_status, key=lambda row: (row.count.status, row.count.shortfall, row.paused,
                                                           row.count.offered, row.count.required))
    contact_mix = remembered(
        lambda count: gettext("Face to face: %(face)d · By phone or online: %(remote)d",
                              face=count.face_to_face, remote=count.remote),
        key=lambda count: (count.face_to_face, count.remote),
    )
    late_entries = remembered(lambda number: ngettext("%(num)d late entry", "%(num)d late entries", number))
    table = []
    for row in view.rows:
        person, count = row.person, row.count
        manager = person.offender_manager
        late = view.late_entries.get(person.id)
        table.append(WeekTableRow(
            person_id=person.id,
            name=person.display_name,
            href=person_url(person.id),
            status=count.status.value,
            category=category_label(row.category) if row.category else "",
            rag=row.rag.value,
            rag_label=rag_label(row.rag),
            agency=agency_label(person.lead_agency),
            manager=manager.name if manager else not_assigned,
            required=count.required,
            note=row_pro_rating(row) if row.pro_rating else "",
            arranged=view.arranged.get(person.id, 0),
            offered=count.offered,
            kept=count.kept,
            status_words=status_words(row),
            mix=contact_mix(count) if count.offered else "",
            chart=week_chart(row.history, f"chart-{person.id}", language=language),
            review=row.review.value if row.review else "",
            review_label=str(REVIEW_STATE_LABELS[row.review]) if row.review else "",
            suggested=row.review_suggested,
            left=person.left_on is not None,
            late=late_entries(late) if late else "",
        ))
    return table


def review_state_label(state: ReviewState) -> str:
    return str(REVIEW_STATE_LABELS[state])


def percent(value: int | None) -> str:
    if value is None:
        return gettext("No one in the Fixed cohort needed contact")
    return gettext("%(percent)d%%", percent=value)


# --- The audit trail, readably -----------------------------------------------------

ACTIONS = {
    ("people", "create"): _l("Added to the cohort"),
    ("people", "update"): _l("Details changed"),
    ("people", "deselect"): _l("De-selected from the cohort"),
    ("contacts", "create"): _l("Contact recorded"),
    ("contacts", "update"): _l("Contact changed"),
    ("contacts", "void"): _l("Contact made void"),
    ("category_changes", "create"): _l("Category change recorded"),
    ("rag_changes", "create"): _l("RAG status change recorded"),
    ("requirement_reviews", "create"): _l("Requirement reviewed"),
    ("pauses", "create"): _l("Pause added"),
    ("pauses", "end"): _l("Pause ended"),
    ("pauses", "update"): _l("Pause changed"),
    ("plan_pathways", "create"): _l("Plan: a pathway's need recorded"),
    ("plan_pathways", "update"): _l("Plan: a pathway's need changed"),
    ("plan_actions", "create"): _l("Plan: action added"),
    ("plan_actions", "done"): _l("Plan: action done"),
    ("plan_actions", "drop"): _l("Plan: action dropped"),
    ("plan_actions", "reopen"): _l("Plan: action open again"),
    ("meeting_decisions", "create"): _l("Decision recorded at the IOM meeting"),
}

# The fields worth showing, per record; identifiers, hashes and timestamps are left out.
FIELDS = {
    "people": {
        "display_name": _l("Name"),
        "category": _l("Category"),
        "rag": _l("RAG status"),
        "lead_agency": _l("Lead agency"),
        "delius_crn": _l("Delius CRN"),
        "niche_ref": _l("Niche or PNC reference"),
        "joined_on": _l("Joined the cohort"),
        "left_on": _l("First day no longer in the cohort"),
        "left_reason": _l("Reason for de-selection"),
        "wisdom": _l("WISDOM"),
        "mappa": _l("MAPPA"),
        "y2a": _l("Y2A"),
    },
    "contacts": {
        "type": _l("Contact type"),
        "outcome": _l("Outcome"),
        "occurred_at": _l("Date and time"),
        "voided": _l("Void"),
        "void_reason": _l("Reason it was made void"),
        "sensitive": _l("Sensitive"),
        "notes": _l("Notes"),
    },
    "category_changes": {"category": _l("Category"), "effective": _l("From"), "reason": _l("Reason")},
    "rag_changes": {"rag": _l("RAG status"), "effective": _l("From"), "reason": _l("Reason")},
    "requirement_reviews": {
        "contacts_per_week": _l("Contacts required each week"),
        "effective": _l("Date of this review"),
        "next_review_due": _l("Next review due"),
    },
    "pauses": {"reason": _l("Why contact is paused"), "start": _l("First day of the pause"), "end": _l("First day back")},
    "plan_pathways": {"pathway": _l("Pathway"), "need": _l("Need"), "work": _l("What is being done")},
    "plan_actions": {"description": _l("Action"), "owner_agency": _l("Partner agency"), "due_on": _l("Due by"),
                     "status": _l("Status")},
    "meeting_decisions": {"rag": _l("RAG status"), "lead_agency": _l("Lead agency"), "deselected": _l("De-selected")},
}

_ENUM_LABELS: dict[str, tuple[type[enum.Enum], Mapping]] = {
    "category": (Category, CATEGORY_LABELS),
    "rag": (Rag, RAG_LABELS),
    "lead_agency": (Agency, AGENCY_LABELS),
    "left_reason": (DeselectionReason, DESELECTION_LABELS),
    "type": (ContactType, CONTACT_TYPE_LABELS),
    "outcome": (Outcome, OUTCOME_LABELS),
    "pathway": (Pathway, PATHWAY_LABELS),
    "need": (Need, NEED_LABELS),
    "status": (ActionStatus, ACTION_STATUS_LABELS),
}
_DATES = {"joined_on", "left_on", "effective", "next_review_due", "start", "end", "due_on"}
_MOMENTS = {"occurred_at"}
_HIDDEN_TEXT = {"notes"}


@dataclass(frozen=True)
class AuditChange:
    label: str
    before: str | None  # None when the record was created
    after: str


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str
    what: str
    changes: list[AuditChange]


def _value(entity: str, field: str, value) -> str:
    if value is None or value == "":
        return gettext("(none)")
    if field in _HIDDEN_TEXT:
        return gettext("(not shown here)")
    if isinstance(value, bool):
        return pgettext("in an audit trail", "Yes") if value else pgettext("in an audit trail", "No")
    if entity == "pauses" and field == "reason":
        try:
            return str(PAUSE_LABELS[PauseReason(value)])
        except ValueError:
            return str(value)
    if field in _ENUM_LABELS:
        enum_class, labels = _ENUM_LABELS[field]
        try:
            return str(labels[enum_class(value)])
        except ValueError:
            return str(value)
    try:
        if field in _DATES:
            return short_date(date.fromisoformat(value))
        if field in _MOMENTS:
            return date_time(datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)
    return str(value)


def _changes(event: AuditEvent) -> list[AuditChange]:
    fields = FIELDS.get(event.entity, {})
    after = event.after or {}
    before = event.before
    changes = []
    for field, label in fields.items():
        if field not in after:
            continue
        if before is None:
            if after[field] in (None, "", False):
                continue  # a new record: show what it says, not every empty field
            changes.append(AuditChange(str(label), None, _value(event.entity, field, after[field])))
        else:
            changes.append(
                AuditChange(str(label), _value(event.entity, field, before.get(field)), _value(event.entity, field, after[field]))
            )
    return changes


def audit_trail(records: AuditRecords) -> list[AuditEntry]:
    """The person's audit events (``queries.person_audit_records``) in words, newest first."""
    names = records.actor_names
    entries = []
    for event in records.events:
        if event.action == "delete":
            what = gettext("Record deleted")
        else:
            what = str(ACTIONS.get((event.entity, event.action), _l("Record changed")))
        if event.actor_id is None:
            who = gettext("The system")
        else:
            who = names.get(event.actor_id) or gettext("A former user")
        entries.append(AuditEntry(event.occurred_at, who, what, _changes(event)))
    return entries
