"""Forms for acting on the week view. Every message is ours, translated: WTForms' own
catalogue is thin in Welsh, so the fields below replace its built-in parse errors too."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l, ngettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.fields import CalendarDateField
from app.domain.requirements import MAX_LEVEL, MIN_LEVEL
from app.domain import exports as exports_rules
from app.models import DeselectionReason
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


# The one date field type (app/fields.py): white space is empty, the calendar is bounded.
LocalDateField = CalendarDateField


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


class TeamDefaultsForm(FlaskForm):
    default_fixed = _level_field(_l("Fixed: contacts a week"))
    default_flex = _level_field(_l("Flex: contacts a week"))
    default_free = _level_field(_l("Free: contacts a week"))
    effective = LocalDateField(_l("From the week that includes"),
                               validators=[InputRequired(message=_l("Enter the date the change takes effect."))])


DELIUS_CODE = r"^[A-Za-z0-9]{2,16}$"


def field_name(key: str) -> str:
    """A mapping key (``police:home_visit``) as a form field's name (``police__home_visit``)."""
    return key.replace(":", "__")


def delius_codes_form(labels: dict[str, object], data: dict[str, str] | None = None) -> FlaskForm:
    """One code field for each agency and kind of contact and for each outcome code, and a
    choice for each kind of absence (``app.domain.exports.KEYS``); ``labels`` by key."""

    class DeliusCodesForm(FlaskForm):
        pass

    for key in exports_rules.CODE_KEYS:
        message = (_l("Enter a Delius outcome code.") if key in exports_rules.OUTCOME_CODE_KEYS
                   else _l("Enter a Delius contact type code."))
        setattr(DeliusCodesForm, field_name(key), StringField(
            labels[key],
            validators=[
                DataRequired(message=message),
                Regexp(DELIUS_CODE, message=_l("A Delius code is 2 to 16 letters and numbers, for example COPT.")),
            ],
        ))
    for key in exports_rules.ABSENCE_KEYS:
        setattr(DeliusCodesForm, field_name(key), RadioField(
            labels[key],
            choices=[SelectChoice(exports_rules.ACCEPTABLE, _l("Acceptable absence")),
                     SelectChoice(exports_rules.UNACCEPTABLE, _l("Unacceptable absence"))],
            validators=[InputRequired(message=_l("Choose whether this absence is acceptable."))],
            invalid_choice_message=_l("Choose one of the options."),
        ))
    return DeliusCodesForm(data={field_name(key): value for key, value in (data or {}).items()})


def delius_codes_from(form: FlaskForm) -> dict[str, str]:
    return {key: getattr(form, field_name(key)).data for key in exports_rules.KEYS}


class ExportRunForm(FlaskForm):
    """Make a Delius or Niche export: what is new and changed since the last one, or a date range."""

    kind = RadioField(_l("Export for"), choices=[SelectChoice("delius", _l("Delius (probation): a CSV file")),
                                                 SelectChoice("niche", _l("Niche (police): text to paste into each record"))],
                      validators=[InputRequired(message=_l("Choose which system the export is for."))],
                      invalid_choice_message=_l("Choose one of the options."))
    scope = RadioField(_l("Which contacts"), choices=[
        SelectChoice("changed", _l("New and changed since the last export of this kind")),
        SelectChoice("range", _l("Every contact between two dates")),
    ], default="changed", validators=[InputRequired(message=_l("Choose which contacts to export."))],
        invalid_choice_message=_l("Choose one of the options."))
    first_day = LocalDateField(_l("First day"), validators=[Optional()])
    last_day = LocalDateField(_l("Last day"), validators=[Optional()])
    sensitive_notes = BooleanField(_l("Include the notes of contacts marked sensitive"))

    def __init__(self, *args, today: date | None = None, max_days: int = 366, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.max_days = today, max_days

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.scope.data != "range":
            return valid
        for day in (self.first_day, self.last_day):
            if day.data is None and not day.errors:
                day.errors = [*day.errors, str(_l("Enter the first day.") if day is self.first_day
                                                else _l("Enter the last day."))]
                valid = False
        first, last = self.first_day.data, self.last_day.data
        if first is not None and last is not None:
            if last < first:
                self.last_day.errors = [*self.last_day.errors, str(_l("The last day cannot be before the first day."))]
                valid = False
            elif (last - first).days >= self.max_days:
                self.last_day.errors = [*self.last_day.errors, ngettext(
                    "Choose a range of %(num)d day or fewer.", "Choose a range of %(num)d days or fewer.", self.max_days)]
                valid = False
            elif self.today is not None and first > self.today:
                self.first_day.errors = [*self.first_day.errors, str(_l("The first day cannot be in the future."))]
                valid = False
        return valid


# --- The team's own settings (name, area, correction window, late-entry age) --------------

TEAM_TEXT_MAX = 120  # teams.name, teams.force_area, teams.community_safety_partnership
MAX_CORRECTION_WINDOW_DAYS = 90
MAX_LATE_ENTRY_DAYS = 365


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _team_text(label, required_message):
    validators = [DataRequired(message=required_message)] if required_message else [Optional()]
    return StringField(label, filters=[_stripped], validators=[
        *validators, Length(max=TEAM_TEXT_MAX, message=_l("Keep this to 120 characters or fewer."))])


def _days_field(label, required, most, message):
    return WholeNumberField(label, validators=[
        InputRequired(message=required), NumberRange(min=1, max=most, message=message)])


class TeamDetailsForm(FlaskForm):
    """The team's name and area, and the two day limits the contact rules read."""

    name = _team_text(_l("Team name"), _l("Enter the team's name."))
    force_area = _team_text(_l("Police force area"), _l("Enter the police force area."))
    community_safety_partnership = _team_text(_l("Community safety partnership (optional)"), None)
    correction_window_days = _days_field(
        _l("Correction window, in days"), _l("Enter the number of days."),
        MAX_CORRECTION_WINDOW_DAYS, _l("Enter a number of days from 1 to 90."))
    late_entry_days = _days_field(
        _l("Late-entry age, in days"), _l("Enter the number of days."),
        MAX_LATE_ENTRY_DAYS, _l("Enter a number of days from 1 to 365."))

    def __init__(self, *args, team_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.team_id = team_id

    def validate_name(self, field):
        from app.supervision.operations import team_name_taken

        if field.data and team_name_taken(field.data, except_team_id=self.team_id):
            raise ValidationError(str(_l("Another team already has this name.")))
