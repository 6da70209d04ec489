"""CSV exports for keying records into Delius (probation) and Niche (police).

- UTF-8 with a byte-order mark, so that Excel shows ŵ and ŷ; CRLF line ends.
- Headers and words in the user's language; codes (Delius CRN, Niche/PNC reference,
  Delius contact type code) exactly as the other systems need them.
- Dates are ISO 8601 calendar dates (YYYY-MM-DD) in Europe/London, the date the
  contact happened there; times are ISO 8601 with the Europe/London offset of that
  moment (``2026-07-01T10:00:00+01:00`` in summer, ``+00:00`` in winter), so each
  is unambiguous and reads as the local time staff will key in.
- A cell that a spreadsheet would run as a formula (= + - @ or their fullwidth forms, after
  any spaces, or a tab or carriage return first) gets a leading apostrophe: notes are free
  text (app/spreadsheet.py).
- Sensitive contacts' notes are left out unless the user asked and is allowed.
- The Delius and Niche runs (below) carry each contact's id as the external reference, so a
  later integration can replay a file without making duplicates.
- Every export is audited: what was exported (filters, row count), never the data.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence

from flask import Response
from datetime import datetime

from flask_babel import format_datetime, gettext, lazy_gettext as _l, ngettext, pgettext

from app import audit, spreadsheet
from app.contacts.joint import JointDetails
from app.domain.exports import ExportStatus, end_time
from app.domain.joint import CountsFor, counts_for
from app.domain.weeks import LONDON, week_of
from app.domain.requirements import Category
from app.extensions import DbSession
from app.models import Contact, ExportRun, Pathway
from app.presenters import AGENCY_LABELS, CATEGORY_LABELS, CONTACT_TYPE_LABELS, OUTCOME_LABELS, PATHWAY_LABELS, RAG_LABELS
from app.supervision import export_runs
from app.supervision.export_runs import RunLine
from app.supervision.operations import delius_code_for, delius_outcome_for
from app.supervision.presenters import row_status
from app.supervision.measures import TeamMeasures
from app.supervision.queries import ContactFilters, WeekView

BYTE_ORDER_MARK = "\ufeff"


def safe_cell(value):
    """A value a spreadsheet will show as text rather than run as a formula."""
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet.neutralise(value)  # the one rule (app/spreadsheet.py)
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_response(filename: str, text: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def _yes_no(value: bool) -> str:
    return pgettext("in an export", "Yes") if value else pgettext("in an export", "No")


def week_header() -> list[str]:
    return [
        gettext("Week beginning"),
        gettext("Name"),
        gettext("Delius CRN"),
        gettext("Niche or PNC reference"),
        gettext("Category"),
        gettext("RAG status"),
        gettext("Lead agency"),
        gettext("Offender manager"),
        gettext("Contacts required"),
        gettext("Contacts arranged"),
        gettext("Contacts offered"),
        gettext("Contacts kept"),
        gettext("Face to face"),
        gettext("Phone or online"),
        gettext("Status"),
        gettext("Next review due"),
    ]


def week_rows(view: WeekView) -> list[list]:
    rows = []
    for row in view.rows:
        person, count = row.person, row.count
        rows.append([
            view.week.isoformat(),
            person.display_name,
            person.delius_crn,
            person.niche_ref,
            str(CATEGORY_LABELS[row.category]) if row.category else "",
            str(RAG_LABELS[row.rag]),
            str(AGENCY_LABELS[person.lead_agency]),
            person.offender_manager.name if person.offender_manager else "",
            count.required,
            view.arranged.get(person.id, 0),
            count.offered,
            count.kept,
            count.face_to_face,
            count.remote,
            row_status(row),
            row.next_review_due.isoformat() if row.next_review_due else "",
        ])
    return rows


def week_filename(view: WeekView) -> str:
    """The download's name in the reader's language (ASCII, so every system keeps it)."""
    # Translators: a file name. Letters a-z, digits and hyphens only.
    return pgettext("file name", "cyswllt-week-%(week)s.csv", week=view.week.isoformat())


def measures_header() -> list[str]:
    """The team's measures (toolkit §10): one row for each week and category."""
    return [
        gettext("Week beginning"),
        gettext("Category"),
        gettext("People in the cohort"),
        gettext("People with contacts required"),
        gettext("Offered at least their required level"),
        gettext("Offered at least their required level (%)"),
        gettext("Kept at least their required level"),
        gettext("Kept at least their required level (%)"),
        gettext("Contacts required"),
        gettext("Contacts offered towards the required level"),
        gettext("Offered rate (%)"),
        gettext("Contacts offered"),
        gettext("Contacts kept"),
        gettext("Kept rate (%)"),
        gettext("Contacts offered by the police"),
        gettext("Contacts kept with the police"),
        gettext("Contacts offered by probation"),
        gettext("Contacts kept with probation"),
        gettext("Contacts offered by a partner agency"),
        gettext("Contacts kept with a partner agency"),
        gettext("Contacts arranged"),
        gettext("Contacts arranged with the outcome missing"),
    ]


def measures_rows(figures: TeamMeasures) -> list[list]:
    """Percentages are whole numbers; a cell is empty when there was nothing to divide by."""
    def number(value):
        return "" if value is None else value

    rows = []
    for category in figures.categories:
        label = str(CATEGORY_LABELS[Category(category)]) if category else gettext("Every category")
        for measure in figures.series(category):
            police, probation, partner = (measure.agency(name) for name in ("police", "probation", "partner"))
            rows.append([
                measure.week.isoformat(), label, measure.in_cohort, measure.required_people,
                measure.met, number(measure.met_percent), measure.kept_enough, number(measure.kept_enough_percent),
                measure.required, measure.offered_towards, number(measure.offered_rate),
                measure.offered, measure.kept, number(measure.kept_rate),
                police.offered, police.kept, probation.offered, probation.kept, partner.offered, partner.kept,
                measure.arranged, measure.outcome_missing,
            ])
    return rows


def measures_filename(figures: TeamMeasures) -> str:
    # Translators: a file name. Letters a-z, digits and hyphens only.
    return pgettext("file name", "cyswllt-team-measures-%(week)s.csv", week=figures.weeks[-1].isoformat())


def contact_header() -> list[str]:
    return [
        gettext("Contact ID"),
        gettext("Date"),
        gettext("Date and time"),
        gettext("Week beginning"),
        gettext("Name"),
        gettext("Delius CRN"),
        gettext("Niche or PNC reference"),
        gettext("Contact type"),
        gettext("Delius contact type code"),
        gettext("Outcome"),
        gettext("Kept"),
        gettext("Duration in minutes"),
        gettext("Pathways"),
        gettext("Recorded by"),
        gettext("Recorder's agency"),
        gettext("Recorded at"),
        gettext("Entered late"),
        gettext("Void"),
        gettext("Reason it was made void"),
        gettext("Sensitive"),
        gettext("Notes"),
        # Joint contacts (app/contacts/joint.py): each contact once, with every officer there.
        gettext("Joint contact"),
        gettext("Officers there"),
        gettext("Counts for"),
    ]


def _london(moment) -> str:
    return moment.astimezone(LONDON).isoformat(timespec="seconds")


def contact_rows(contacts: Iterable[Contact], codes: dict[str, str], shows_notes: Callable[[Contact], bool],
                 joint: Mapping[uuid.UUID, JointDetails] | None = None) -> list[list]:
    """One row a contact; ``shows_notes`` says whose notes this reader asked for and may read
    (``app.contacts.privacy.shows_private_text``); ``joint`` the officers of joint meetings."""
    left_out = gettext("Sensitive: notes left out of this export")
    rows = []
    for contact in contacts:
        person = contact.person
        local = contact.occurred_at.astimezone(LONDON)
        if not shows_notes(contact):
            notes = left_out if contact.notes else ""
        else:
            notes = contact.notes or ""
        rows.append([
            str(contact.id),
            local.date().isoformat(),
            _london(contact.occurred_at),
            week_of(local.date()).isoformat(),
            person.display_name,
            person.delius_crn,
            person.niche_ref,
            str(CONTACT_TYPE_LABELS[contact.type]),
            delius_code_for(contact, codes),
            str(OUTCOME_LABELS[contact.outcome]),
            _yes_no(contact.kept),
            contact.duration_minutes,
            "; ".join(str(PATHWAY_LABELS[pathway]) for pathway in _pathways(contact.pathways)),
            contact.recorded_by.name,
            str(AGENCY_LABELS[contact.recorder_agency]),
            _london(contact.recorded_at),
            _yes_no(contact.late),
            _yes_no(contact.voided),
            contact.void_reason or "",
            _yes_no(contact.sensitive),
            notes,
            *_joint_columns(contact, (joint or {}).get(contact.id)),
        ])
    return rows


def counts_for_label(counts_for: CountsFor) -> str:
    return str(COUNTS_FOR_LABELS[counts_for])


COUNTS_FOR_LABELS = {
    CountsFor.POLICE: _l("Police"),
    CountsFor.PROBATION: _l("Probation"),
    CountsFor.BOTH: _l("Police and probation"),
    CountsFor.PARTNER: _l("Partner agency"),
}


def _officer(name: str, agency) -> str:
    return gettext("%(name)s (%(agency)s)", name=name, agency=AGENCY_LABELS[agency])


def _joint_columns(contact: Contact, details: JointDetails | None) -> list[str]:
    """Joint contact (yes/no), every officer there ("Name (Agency)", recorder first), and
    which agency it counts for."""
    if details is None:
        agency = contact.recorder_agency
        return [_yes_no(False), _officer(contact.recorded_by.name, agency), counts_for_label(counts_for([agency.value]))]
    return [
        _yes_no(details.joint),
        "; ".join(_officer(officer.name, officer.agency) for officer in details.officers),
        counts_for_label(details.counts_for),
    ]


def _pathways(values) -> list[Pathway]:
    known = []
    for value in values or ():
        try:
            known.append(Pathway(value))
        except ValueError:
            continue
    return known


def contacts_filename(filters: ContactFilters) -> str:
    # Translators: a file name. Letters a-z, digits and hyphens only.
    return pgettext("file name", "cyswllt-contacts-%(start)s-to-%(end)s.csv",
                    start=filters.start.isoformat(), end=filters.end.isoformat())


def record_export(
    session: DbSession, kind: str, *, team_id: int, filters: dict, rows: int, **details
) -> None:
    """Audit an export: what was asked for and how many rows went out, never the rows."""
    audit.record(session, "export", kind, team_id=team_id, after={"filters": filters, "rows": rows, **details})


def week_export_details(view: WeekView) -> dict:
    return {"week": view.week.isoformat()}



# --- Delius and Niche runs (app/supervision/export_runs.py) ------------------------------
#
# Dates and times go out as each receiving system's entry screen shows them, in
# Europe/London time (British Summer Time included): Delius takes the contact date as
# DD/MM/YYYY and the start and end times as HH:MM (24-hour); a Niche occurrence or
# nominal record takes "DD/MM/YYYY HH:MM". Codes are never translated.

DELIUS_DATE = "dd/MM/yyyy"
CLOCK_TIME = "HH:mm"
NICHE_MOMENT = "dd/MM/yyyy HH:mm"


def status_labels() -> dict[ExportStatus, str]:
    return {
        ExportStatus.NEW: pgettext("export status", "New"),
        ExportStatus.CORRECTED: pgettext("export status", "Corrected"),
        ExportStatus.VOIDED: pgettext("export status", "Voided"),
        ExportStatus.UNCHANGED: pgettext("export status", "Already exported, unchanged"),
    }


def status_instruction(status: ExportStatus) -> str:
    """What the person keying it does with a contact so marked."""
    return {
        ExportStatus.NEW: gettext("Key this contact in."),
        ExportStatus.CORRECTED: gettext("This contact was corrected after it was exported: change the entry already keyed to match."),
        ExportStatus.VOIDED: gettext("This contact was voided after it was exported: remove the entry already keyed, or mark it as recorded in error."),
        ExportStatus.UNCHANGED: gettext("Already exported and unchanged: do not key it again."),
    }[status]


def officers_present(lines: Sequence[RunLine]) -> dict[uuid.UUID, str]:
    """Each contact's officers, its recorder first, for the "Officers present" column and the
    Niche "Officer" line (app.contacts.joint: the colleagues it names and the officers of any
    second record of the same meeting); two queries for the whole run."""
    from app.contacts.joint import joint_details
    from app.extensions import db

    details = joint_details(db.session, [line.contact for line in lines])
    return {contact_id: "; ".join(officer.name for officer in detail.officers) for contact_id, detail in details.items()}


def _local(moment: datetime, pattern: str) -> str:
    return format_datetime(moment, pattern)  # in Europe/London (BABEL_DEFAULT_TIMEZONE)


def notes_for(contact: Contact, sensitive_notes: bool) -> str:
    """The notes, unless the contact is sensitive and its notes were not asked for by someone allowed."""
    if contact.sensitive and not sensitive_notes:
        return gettext("Sensitive: notes left out of this export") if contact.notes else ""
    return contact.notes or ""


def _reason(contact: Contact, status: ExportStatus) -> str:
    if status == ExportStatus.VOIDED:
        return contact.void_reason or ""
    if status == ExportStatus.CORRECTED:
        return contact.correction_reason or ""
    return ""


def delius_header() -> list[str]:
    return [
        gettext("External reference"),
        gettext("Export status"),
        gettext("What to do"),
        gettext("Delius CRN"),
        gettext("Name"),
        gettext("Contact date"),
        gettext("Start time"),
        gettext("End time"),
        gettext("Delius contact type code"),
        gettext("Delius outcome code"),
        gettext("Contact type"),
        gettext("Outcome"),
        gettext("Officers present"),
        gettext("Recorder's agency"),
        gettext("Sensitive"),
        gettext("Notes"),
        gettext("Reason for the correction or void"),
    ]


def delius_rows(lines: Sequence[RunLine], codes: dict[str, str], sensitive_notes: bool) -> list[list]:
    labels = status_labels()
    present = officers_present(lines)
    rows = []
    for line in lines:
        contact = line.contact
        ended = end_time(contact.occurred_at, contact.duration_minutes)
        rows.append([
            str(contact.id),
            labels[line.status],
            status_instruction(line.status),
            contact.person.delius_crn,
            contact.person.display_name,
            _local(contact.occurred_at, DELIUS_DATE),
            _local(contact.occurred_at, CLOCK_TIME),
            _local(ended, CLOCK_TIME) if ended is not None else "",
            delius_code_for(contact, codes),
            delius_outcome_for(contact, codes),
            str(CONTACT_TYPE_LABELS[contact.type]),
            str(OUTCOME_LABELS[contact.outcome]),
            present[contact.id],
            str(AGENCY_LABELS[contact.recorder_agency]),
            _yes_no(contact.sensitive),
            notes_for(contact, sensitive_notes),
            _reason(contact, line.status),
        ])
    return rows


def niche_block(line: RunLine, sensitive_notes: bool, present: str) -> str:
    """One contact as the text a police officer pastes into a Niche record: a heading line
    saying what to do, then one "Label: value" line each (``present``: its officers' names)."""
    contact = line.contact
    status = line.status
    lines = [
        f"[{status_labels()[status].upper()}] {status_instruction(status)}",
        gettext("Cyswllt reference: %(reference)s", reference=str(contact.id)),
        gettext("Niche or PNC reference: %(reference)s", reference=contact.person.niche_ref or "-"),
        gettext("Name: %(name)s", name=contact.person.display_name),
        gettext("Date and time: %(moment)s", moment=_local(contact.occurred_at, NICHE_MOMENT)),
        gettext("Officer: %(names)s", names=present),
        gettext("Kind of contact: %(kind)s", kind=str(CONTACT_TYPE_LABELS[contact.type])),
        gettext("Outcome: %(outcome)s", outcome=str(OUTCOME_LABELS[contact.outcome])),
    ]
    if contact.duration_minutes is not None:
        lines.append(ngettext("Duration: %(num)d minute", "Duration: %(num)d minutes", contact.duration_minutes))
    reason = _reason(contact, status)
    if reason:
        lines.append(gettext("Reason: %(reason)s", reason=reason))
    notes = notes_for(contact, sensitive_notes)
    if notes:
        lines.append(gettext("Notes: %(notes)s", notes=notes))
    return "\r\n".join(lines)


def niche_blocks(lines: Sequence[RunLine], sensitive_notes: bool) -> list[str]:
    present = officers_present(lines)
    return [niche_block(line, sensitive_notes, present[line.contact.id]) for line in lines]


def niche_text(lines: Sequence[RunLine], sensitive_notes: bool) -> str:
    """Every block, with a blank line between; UTF-8 with a byte-order mark and CRLF, so
    Notepad on a force's Windows desktop shows ŵ and ŷ and the line ends."""
    return BYTE_ORDER_MARK + "\r\n\r\n".join(niche_blocks(lines, sensitive_notes)) + "\r\n"


def run_filename(run: ExportRun) -> str:
    """The download's name in the reader's language (ASCII, so every system keeps it)."""
    day = run.made_at.astimezone(LONDON).date().isoformat()
    if run.kind == export_runs.NICHE:
        # Translators: a file name. Letters a-z, digits and hyphens only.
        return pgettext("file name", "cyswllt-niche-%(day)s-run-%(run)s.txt", day=day, run=run.id)
    # Translators: a file name. Letters a-z, digits and hyphens only.
    return pgettext("file name", "cyswllt-delius-%(day)s-run-%(run)s.csv", day=day, run=run.id)


def nothing_to_continue() -> str:
    return gettext("There is no earlier export of this kind to continue from. Export every contact between two dates first.")


def text_response(filename: str, text: str) -> Response:
    return Response(
        text,
        mimetype="text/plain",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
