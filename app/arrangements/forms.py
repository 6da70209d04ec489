"""The arrangement forms for browsers without JavaScript: each reads what was typed and hands it
to the arrangement contract (``app/arrangements/contract.py``), so its verdicts and messages are
the API's."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired

from app.arrangements import contract
from app.domain.arrangements import CancelledBy, State
from app.domain.weeks import LONDON
from app.fields import CalendarDateField
from app.models import ContactType, Outcome
from app.presenters import CONTACT_TYPE_LABELS, OUTCOME_LABELS

STATE_LABELS = {State.ARRANGED: _l("Arranged"), State.MOVED: _l("Moved"), State.CANCELLED: _l("Cancelled"),
                State.RECORDED: _l("Outcome recorded")}
CANCELLED_BY_LABELS = {CancelledBy.PERSON: _l("Cancelled by the person"), CancelledBy.TEAM: _l("Cancelled by the team")}

FORM_FIELDS = {"id": "arrangement_id", "person_id": "person", "type": "type", "starts_at": "date",
               "place": "place", "with_whom": "with_whom", "officer_id": "officer", "reason": "reason",
               "cancelled_by": "cancelled_by", "outcome": "outcome"}


def _number_or_text(text: str | None):
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) <= 12 else text


def _when(form) -> datetime | None:
    if form.date.data is None or form.time.data is None:
        return None
    return datetime.combine(form.date.data, form.time.data, tzinfo=LONDON)


def _date_field():
    return CalendarDateField(
        _l("Date"), validators=[InputRequired(message=_l("Enter the date of the arranged contact."))],
        invalid_value_message=_l("Enter the date of the arranged contact, for example 18/11/2026."))


def _time_field():
    return TimeField(
        _l("Time"), format=["%H:%M", "%H:%M:%S"],
        validators=[InputRequired(message=_l("Enter the time of the arranged contact."))],
        invalid_value_message=_l("Enter the time of the arranged contact, for example 14:30."))


class ErrorsOnFields:
    def add_errors(self, errors: dict) -> None:
        for name, message in errors.items():
            field = getattr(self, FORM_FIELDS.get(name, "csrf_token"), None)
            if field is None:
                continue
            if name == "starts_at" and (self.date.errors or self.time.errors):  # type: ignore[attr-defined]
                continue
            field.errors = [*field.errors, str(message)]


class ArrangeForm(ErrorsOnFields, FlaskForm):
    arrangement_id = HiddenField()
    person = SelectField(_l("Person"), validate_choice=False)
    type = RadioField(_l("Kind of contact"),
                      choices=[SelectChoice(kind.value, CONTACT_TYPE_LABELS[kind]) for kind in ContactType],
                      validate_choice=False)
    date = _date_field()
    time = _time_field()
    place = StringField(_l("Where (optional; shown only on the arrangement itself)"))
    with_whom = StringField(_l("With whom (optional)"))
    officer = SelectField(_l("The officer it is for"), validate_choice=False)

    arrangement: contract.ArrangementInput | None = None

    def validate_contract(self) -> bool:
        self.arrangement, errors = contract.parse_arrangement({
            "id": self.arrangement_id.data or None,
            "person_id": _number_or_text(self.person.data),
            "type": self.type.data or None,
            "starts_at": _when(self),
            "place": self.place.data,
            "with_whom": self.with_whom.data,
            "officer_id": _number_or_text(self.officer.data),
        })
        self.add_errors(errors)
        return self.arrangement is not None


class MoveForm(ErrorsOnFields, FlaskForm):
    date = _date_field()
    time = _time_field()
    reason = TextAreaField(_l("Why is it being moved?"))

    def parsed(self):
        move, errors = contract.parse_move({"starts_at": _when(self), "reason": self.reason.data})
        self.add_errors(errors)
        return move


class CancelForm(ErrorsOnFields, FlaskForm):
    cancelled_by = RadioField(_l("Who cancelled it?"),
                              choices=[SelectChoice(by.value, CANCELLED_BY_LABELS[by]) for by in CancelledBy],
                              validate_choice=False)
    reason = TextAreaField(_l("Why was it cancelled?"))

    def parsed(self):
        cancel, errors = contract.parse_cancel({"cancelled_by": self.cancelled_by.data or None,
                                                "reason": self.reason.data})
        self.add_errors(errors)
        return cancel


class OutcomeForm(ErrorsOnFields, FlaskForm):
    contact_id = HiddenField()
    outcome = RadioField(_l("Was it kept?"),
                         choices=[SelectChoice(outcome.value, OUTCOME_LABELS[outcome]) for outcome in Outcome],
                         validate_choice=False)

    def parsed(self):
        outcome, errors = contract.parse_outcome({"outcome": self.outcome.data or None})
        self.add_errors(errors)
        return outcome
