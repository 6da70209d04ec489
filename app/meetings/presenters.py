"""A meeting's agenda and minutes in words: the same rows for the page, the print and the CSV.

Never a contact's notes: a concern is named by its person, day and kind only."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext, pgettext

from app.meetings.queries import Agenda, Minutes
from app.models import DeselectionReason, Meeting
from app.presenters import (
    AGENCY_LABELS,
    CONTACT_TYPE_LABELS,
    RAG_LABELS,
    full_date_in_sentence,
    short_date,
)
from app.supervision.forms import DESELECTION_LABELS


@dataclass(frozen=True)
class Row:
    person_id: int
    name: str
    detail: str


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    rows: list[Row]


def _manager(person) -> str:
    return person.offender_manager.name if person.offender_manager else gettext("Not assigned")


def agenda_sections(agenda: Agenda) -> list[Section]:
    """Every part of the agenda, in the meeting's order; an empty part is kept (it says "none")."""
    def row(person, detail: str) -> Row:
        return Row(person.id, person.display_name, detail)

    return [
        Section("red", gettext("Red: daily management"), [
            row(p, gettext("Offender manager: %(name)s", name=_manager(p))) for p in agenda.red]),
        Section("amber", gettext("Amber: due for their fortnightly review"), [
            row(p, gettext("Last discussed on %(date)s.", date=short_date(last)) if last
                else gettext("Not discussed at a meeting yet.")) for p, last in agenda.amber_due]),
        Section("reviews_due", gettext("Reviews of the required level due"), [
            row(r.person, gettext("Review due on %(date)s.", date=short_date(r.next_review_due)))
            for r in agenda.reviews_due]),
        Section("reviews_suggested", gettext("Reviews suggested: short of the required level three weeks running"), [
            row(r.person, gettext("Short in each of the last three completed weeks.")) for r in agenda.reviews_suggested]),
        Section("deselection", gettext("To consider for de-selection"), [
            row(c.person, _criteria(c)) for c in agenda.deselection]),
        Section("new", gettext("New admissions since the last meeting"), [
            row(p, gettext("Joined on %(date)s.", date=short_date(p.joined_on))) for p in agenda.new_admissions]),
        Section("y2a", gettext("Y2A minimums ending before the next meeting"), [
            row(p, gettext("The three-month minimum ends on %(date)s.", date=full_date_in_sentence(ends)))
            for p, ends in agenda.y2a_ending]),
        Section("concerns", gettext("Open concerns"), [
            row(c.person, gettext("Raised by %(officer)s after a contact on %(date)s (%(kind)s).",
                                  officer=c.recorded_by.name, date=short_date(c.occurred_at),
                                  kind=CONTACT_TYPE_LABELS[c.type]))
            for c in agenda.concerns]),
        Section("actions", gettext("Overdue plan actions"), [
            row(a.person, gettext("%(action)s (owner: %(owner)s; due by %(date)s)", action=a.description,
                                  owner=a.owner.name if a.owner else a.owner_agency, date=short_date(a.due_on)))
            for a in agenda.overdue_actions]),
    ]


def _criteria(candidate) -> str:
    if candidate.green_since is not None and candidate.y2a_minimum_ended is not None:
        return gettext("%(criterion)s (green since %(green)s); the Y2A minimum ended on %(date)s.",
                       criterion=DESELECTION_LABELS[DeselectionReason.GREEN_THREE_MONTHS],
                       green=short_date(candidate.green_since), date=short_date(candidate.y2a_minimum_ended))
    if candidate.green_since is not None:
        return gettext("%(criterion)s (green since %(green)s)",
                       criterion=DESELECTION_LABELS[DeselectionReason.GREEN_THREE_MONTHS],
                       green=short_date(candidate.green_since))
    return gettext("The Y2A minimum ended on %(date)s.", date=short_date(candidate.y2a_minimum_ended))


def decision_text(decision) -> str:
    """One decision in a sentence for the minutes."""
    manager = decision.offender_manager.name if decision.offender_manager else gettext("Not assigned")
    if decision.deselected:
        return gettext("RAG agreed: %(rag)s. Lead agency: %(agency)s. Offender manager: %(manager)s."
                       " De-selected from the cohort.", rag=RAG_LABELS[decision.rag],
                       agency=AGENCY_LABELS[decision.lead_agency], manager=manager)
    return gettext("RAG agreed: %(rag)s. Lead agency: %(agency)s. Offender manager: %(manager)s."
                   " Stays in the cohort.", rag=RAG_LABELS[decision.rag],
                   agency=AGENCY_LABELS[decision.lead_agency], manager=manager)


def criteria_of(decision) -> list[str]:
    """The toolkit's criteria a de-selection was made on, one sentence each."""
    return [gettext("De-selection criterion: %(criterion)s", criterion=DESELECTION_LABELS[DeselectionReason(item)])
            for item in decision.criteria or []]


def agenda_csv_rows(sections: list[Section]) -> list[list[str]]:
    return [[section.heading, row.name, row.detail] for section in sections for row in section.rows]


def agenda_csv_header() -> list[str]:
    return [gettext("Part of the agenda"), gettext("Name"), gettext("Details")]


def minutes_csv_header() -> list[str]:
    return [gettext("Record"), gettext("Name"), gettext("Details")]


def minutes_csv_rows(minutes: Minutes) -> list[list[str]]:
    rows = [[gettext("Attendance"), row.agency, row.attendees or ""] for row in minutes.attendance]
    for decision in minutes.decisions:
        rows.append([gettext("Decision"), decision.person.display_name, decision_text(decision)])
        rows += [[gettext("Decision"), decision.person.display_name, text] for text in criteria_of(decision)]
    rows += [[gettext("Action"), a.person.display_name,
              gettext("%(action)s (owner: %(owner)s; due by %(date)s)", action=a.description,
                      owner=a.owner.name if a.owner else a.owner_agency, date=short_date(a.due_on))]
             for a in minutes.actions]
    return rows


def agenda_filename(meeting: Meeting) -> str:
    # Translators: a file name. Letters a-z, digits and hyphens only.
    return pgettext("file name", "cyswllt-meeting-agenda-%(date)s.csv", date=meeting.held_on.isoformat())


def minutes_filename(meeting: Meeting) -> str:
    # Translators: a file name. Letters a-z, digits and hyphens only.
    return pgettext("file name", "cyswllt-meeting-minutes-%(date)s.csv", date=meeting.held_on.isoformat())
