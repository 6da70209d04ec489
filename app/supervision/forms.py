"""Forms for acting on the week view. Every message is ours, translated: WTForms' own
catalogue is thin in Welsh, so the fields below replace its built-in parse errors too."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.domain.requirements import MAX_LEVEL, MIN_LEVEL
from app.models import DEFAULT_DELIUS_CODES, DeselectionReason
from app.presenters import CATEGORY_LABELS, PAUSE_LABELS, RAG_LABELS

REASON_MAX = 2000
REASONING_MAX = 5000

DESELECTION_LABELS = {
    DeselectionReason.GREEN_THREE_MONTHS: _l("Green for three months, with an exit strategy"),
    DeselectionReason.NO_CONVICTION_12_MONTHS: _l("No conviction in the last 12 months"),
    DeselectionReason.NO_OUTSTANDING_CHARGES: _l("No outstanding charges"),
    DeselectionReason.MOVED_AREA: _l("Moved out of the area"),
    DeselectionReason.CUSTODY_TWO_YEARS: _l("Custodial sentence of two years or more"),
    DeselectionReason.OTHER: _l("Another reason"),
}


class LocalDateField(DateField):
    """A date (YYYY-MM-DD, as a browser's date picker sends it) with our own error message."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = date.fromisoformat(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Enter a real date, for example 23/11/2026."))) from None


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Enter a whole number, for example 3."))) from None


def ChoiceField(label, labels: dict) -> SelectField:  # noqa: N802  (reads like a field class)
    """A select of an enum's members, labelled in the user's language."""
    return SelectField(
        label,
        choices=[SelectChoice(member.value, member_label) for member, member_label in labels.items()],
        invalid_choice_message=_l("Choose one of the options."),
    )


def _level_field(label):
    return WholeNumberField(
        label,
        validators=[
            InputRequired(message=_l("Enter the number of contacts a week.")),
            NumberRange(min=MIN_LEVEL, max=MAX_LEVEL,
                        message=_l("Enter a number of contacts a week from 0 to 14.")),
        ],
    )


def _reason_field(label, message):
    return TextAreaField(
        label,
        validators=[
            DataRequired(message=message),
            Length(max=REASON_MAX, message=_l("The reason must be 2,000 characters or fewer.")),
        ],
    )


class PersonForm(FlaskForm):
    """A form about one person, checked against what is known of them and today's date."""

    def __init__(self, *args, person=None, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.today = today

    def _not_before_joining(self, field) -> None:
        if field.data and self.person is not None and field.data < self.person.joined_on:
            raise ValidationError(str(_l("The date cannot be before the person joined the cohort.")))

    def _not_in_future(self, field) -> None:
        if field.data and self.today is not None and field.data > self.today:
            raise ValidationError(str(_l("The date cannot be in the future.")))


def _reasoning(label, message):
    return TextAreaField(
        label,
        validators=[
            DataRequired(message=message),
            Length(max=REASONING_MAX, message=_l("Keep each part of the reasoning to 5,000 characters or fewer.")),
        ],
    )


class ReviewForm(PersonForm):
    contacts_per_week = _level_field(_l("Contacts required each week from now on"))
    effective = LocalDateField(_l("Date of this review"),
                               validators=[InputRequired(message=_l("Enter the date of this review."))])
    risk = _reasoning(_l("Risk"), _l("Write your reasoning on risk."))
    needs = _reasoning(_l("Needs"), _l("Write your reasoning on needs."))
    responses_to_supervision = _reasoning(
        _l("Responses to supervision"), _l("Write your reasoning on responses to supervision."))
    progress_towards_rehabilitation = _reasoning(
        _l("Progress towards rehabilitation"), _l("Write your reasoning on progress towards rehabilitation."))
    difficulties_attending = _reasoning(
        _l("Difficulties in attending appointments"),
        _l("Write your reasoning on difficulties in attending appointments."))
    next_review_due = LocalDateField(_l("Next review due"),
                                     validators=[InputRequired(message=_l("Enter the date the next review is due."))])

    def validate_effective(self, field):
        self._not_before_joining(field)
        self._not_in_future(field)

    def validate_next_review_due(self, field):
        if field.data and self.effective.data and field.data <= self.effective.data:
            raise ValidationError(str(_l("The next review must be after the date of this review.")))


class CategoryForm(PersonForm):
    category = ChoiceField(_l("New category"), CATEGORY_LABELS)
    effective = LocalDateField(_l("From"), validators=[InputRequired(message=_l("Enter the date the change takes effect."))])
    reason = _reason_field(_l("Reason for the change"), _l("Give a reason for the change."))

    def validate_effective(self, field):
        self._not_before_joining(field)
        self._not_in_future(field)


class RagForm(PersonForm):
    rag = ChoiceField(_l("New RAG status"), RAG_LABELS)
    effective = LocalDateField(_l("From"), validators=[InputRequired(message=_l("Enter the date the change takes effect."))])
    reason = _reason_field(_l("Reason for the change"), _l("Give a reason for the change."))

    def validate_effective(self, field):
        self._not_before_joining(field)
        self._not_in_future(field)


class PauseForm(PersonForm):
    reason = ChoiceField(_l("Why contact is paused"), PAUSE_LABELS)
    start = LocalDateField(_l("First day of the pause"),
                           validators=[InputRequired(message=_l("Enter the first day of the pause."))])
    end = LocalDateField(_l("First day back (leave empty if not known yet)"), validators=[Optional()])

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(str(_l("The first day back cannot be before the pause starts.")))


class EndPauseForm(PersonForm):
    end = LocalDateField(_l("First day back"), validators=[InputRequired(message=_l("Enter the first day back."))])

    def __init__(self, *args, pause=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pause = pause

    def validate_end(self, field):
        if field.data and self.pause is not None and field.data < self.pause.start:
            raise ValidationError(str(_l("The first day back cannot be before the pause starts.")))


class DeselectForm(PersonForm):
    reason = ChoiceField(_l("Reason for de-selection"), DESELECTION_LABELS)
    left_on = LocalDateField(_l("First day no longer in the cohort"),
                             validators=[InputRequired(message=_l("Enter the first day the person is no longer in the cohort."))])

    def validate_left_on(self, field):
        self._not_before_joining(field)


class TeamDefaultsForm(FlaskForm):
    default_fixed = _level_field(_l("Fixed: contacts a week"))
    default_flex = _level_field(_l("Flex: contacts a week"))
    default_free = _level_field(_l("Free: contacts a week"))
    effective = LocalDateField(_l("From the week that includes"),
                               validators=[InputRequired(message=_l("Enter the date the change takes effect."))])


DELIUS_CODE = r"^[A-Za-z0-9]{2,16}$"


def delius_codes_form(labels: dict[str, object], data: dict | None = None) -> FlaskForm:
    """A form with one code field for each contact type and for police liaison."""

    class DeliusCodesForm(FlaskForm):
        pass

    for key in DEFAULT_DELIUS_CODES:
        setattr(DeliusCodesForm, key, StringField(
            labels[key],
            validators=[
                DataRequired(message=_l("Enter a Delius contact type code.")),
                Regexp(DELIUS_CODE, message=_l("A Delius code is 2 to 16 letters and numbers, for example COPT.")),
            ],
        ))
    return DeliusCodesForm(data=data)

