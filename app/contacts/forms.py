"""The record form for browsers without JavaScript: a plain POST with a server-made id.

The form only reads what was typed (the date and the time are its own: the API has one
ISO 8601 time instead) and hands everything else to the contact contract
(``app/contacts/contract.py``), so its verdicts and messages are the API's.
"""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l, lazy_ngettext as _ln, lazy_pgettext as _lp
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired

from app.contacts import contract
from app.contacts.operations import ContactInput
from app.domain.weeks import LONDON
from app.fields import CalendarDateField
from app.models import ContactType, Outcome, Pathway
from app.presenters import CONTACT_TYPE_LABELS, OUTCOME_LABELS, PATHWAY_LABELS

WHOLE_NUMBER = re.compile(r"-?[0-9]{1,12}")
DURATION_PICKS = [(minutes, _ln("%(num)d minute", "%(num)d minutes", minutes)) for minutes in (15, 30, 45, 60)]

# The contract's field → the form's field that shows its message.
FORM_FIELDS = {
    "id": "contact_id",
    "person_id": "person",
    "type": "type",
    "outcome": "outcome",
    "occurred_at": "date",
    "duration_minutes": "duration_minutes",
    "pathways": "pathways",
    "notes": "notes",
    "others_present": "others_present",
    "sensitive": "sensitive",
    "concern": "concern",
    "colleague_ids": "colleagues",
}


def _number_or_text(text: str | None):
    """A whole number as a number; anything else as typed, for the contract to refuse."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if WHOLE_NUMBER.fullmatch(text) else text


def _text(text: str | None) -> str | None:
    return (text or "").strip() or None


class ContactForm(FlaskForm):
    contact_id = HiddenField()
    person = SelectField(_l("Person"), validate_choice=False)
    type = RadioField(
        _l("Kind of contact"),
        choices=[SelectChoice(kind.value, CONTACT_TYPE_LABELS[kind]) for kind in ContactType],
        validate_choice=False,
    )
    outcome = RadioField(
        _l("Outcome"),
        choices=[SelectChoice(outcome.value, OUTCOME_LABELS[outcome]) for outcome in Outcome],
        default=Outcome.KEPT.value,
        validate_choice=False,
    )
    date = CalendarDateField(
        _l("Date"),
        validators=[InputRequired(message=_l("Enter the date of the contact."))],
        invalid_value_message=_l("Enter the date of the contact, for example 18/11/2026."),
    )
    time = TimeField(
        _l("Time"),
        format=["%H:%M", "%H:%M:%S"],
        validators=[InputRequired(message=_l("Enter the time of the contact."))],
        invalid_value_message=_l("Enter the time of the contact, for example 14:30."),
    )
    # Duration: a quick pick (15, 30, 45, 60) or "other" with a number of minutes.
    duration_choice = RadioField(
        _l("How long it took (optional)"),
        choices=[SelectChoice(str(minutes), label) for minutes, label in DURATION_PICKS] + [SelectChoice("other", _lp("how long a contact took", "Other"))],
        validate_choice=False,
    )
    duration_minutes = StringField(_l("Other duration, in minutes"))
    pathways = SelectMultipleField(
        _l("Pathways (optional)"),
        choices=[SelectChoice(pathway.value, PATHWAY_LABELS[pathway]) for pathway in Pathway],
        validate_choice=False,
    )
    # Joint contacts: the colleagues of the team who were there too (choices set by the view).
    colleagues = SelectMultipleField(_l("With a colleague (optional)"), validate_choice=False)
    others_present = StringField(_l("Who else was there (optional)"))
    sensitive = BooleanField(_l("Sensitive: only you, the offender manager and the team's supervisors can read the notes"))
    concern = BooleanField(_l("A concern to raise with the supervisor"))
    notes = TextAreaField(_l("Notes (optional)"))

    contact: ContactInput | None = None

    def contract_input(self, recorded_at: datetime) -> dict:
        """What was typed, in the contract's shape (as the phone would send it)."""
        occurred_at = None
        if self.date.data is not None and self.time.data is not None:
            occurred_at = datetime.combine(self.date.data, self.time.data, tzinfo=LONDON)
        return {
            "id": self.contact_id.data or None,
            "person_id": _number_or_text(self.person.data),
            "type": self.type.data or None,
            "outcome": self.outcome.data or None,
            "occurred_at": occurred_at,
            "recorded_at": recorded_at,
            "duration_minutes": self._duration(),
            "pathways": list(self.pathways.data or ()),
            "notes": _text(self.notes.data),
            "others_present": _text(self.others_present.data),
            "sensitive": bool(self.sensitive.data),
            "concern": bool(self.concern.data),
            "colleague_ids": [_number_or_text(value) for value in self.colleagues.data or ()],
        }

    def _duration(self):
        """A quick pick's minutes, or the number typed under "Other" (given as is, for the contract to judge)."""
        choice = self.duration_choice.data
        if choice and choice != "other":
            return _number_or_text(choice)
        return _number_or_text(self.duration_minutes.data)

    def validate_contract(self, recorded_at: datetime) -> bool:
        """Check what was typed against the contract; each message goes on its field."""
        self.contact, errors = contract.parse_contact(self.contract_input(recorded_at))
        self.add_errors(errors)
        return self.contact is not None

    def add_errors(self, errors: dict) -> None:
        for name, message in errors.items():
            field = getattr(self, FORM_FIELDS.get(name, "contact_id"))
            if name == "occurred_at" and (self.date.errors or self.time.errors):
                continue  # the form has said what is wrong with the date or the time already
            field.errors = [*field.errors, str(message)]


class LateEntryMixin:
    """A contact dated outside this week (or older than the team's late-entry age) is saved only
    once the officer has confirmed the week it will count in (``app.domain.late``)."""

    confirm_late = HiddenField()


class RecordForm(LateEntryMixin, ContactForm):
    """The record form, with the late-entry confirmation."""





class CorrectionForm(LateEntryMixin, ContactForm):
    """A correction: the whole contact as it should be, why, and the version it was made from."""

    reason = TextAreaField(_l("Why are you correcting this contact?"))
    base_sha256 = HiddenField()


class VoidForm(FlaskForm):
    reason = TextAreaField(_l("Why is this contact being voided?"))
    base_sha256 = HiddenField()
