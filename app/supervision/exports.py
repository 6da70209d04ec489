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
- Every export is audited: what was exported (filters, row count), never the data.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence

from flask import Response
from flask_babel import gettext, lazy_gettext as _l, pgettext
from sqlalchemy.orm import Session

from app import audit, spreadsheet
from app.contacts.joint import JointDetails
from app.domain.joint import CountsFor, counts_for
from app.domain.weeks import LONDON, week_of
from app.models import Contact, Pathway
from app.presenters import AGENCY_LABELS, CATEGORY_LABELS, CONTACT_TYPE_LABELS, OUTCOME_LABELS, PATHWAY_LABELS, RAG_LABELS
from app.supervision.operations import delius_code_for
from app.supervision.presenters import row_status
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
    session: Session, kind: str, *, team_id: int, filters: dict, rows: int, **details
) -> None:
    """Audit an export: what was asked for and how many rows went out, never the rows."""
    audit.record(session, "export", kind, team_id=team_id, after={"filters": filters, "rows": rows, **details})


def week_export_details(view: WeekView) -> dict:
    return {"week": view.week.isoformat()}

