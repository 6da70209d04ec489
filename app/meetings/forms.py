"""The meeting's forms: a new meeting, attendance, and a decision about one person.

A decision's parts are changed by the operations every other form uses (see
``app.meetings.operations``); the rules they enforce (criteria, exit strategy, the Y2A
minimum) are theirs, and their refusal is shown here as one message."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.cohort.forms import CheckboxesField
from app.cohort.operations import CRITERIA
from app.fields import CalendarDateField
from app.meetings.operations import AGENCY_MAX, ATTENDEES_MAX
from app.plans.forms import AGENCY
from app.plans.operations import DESCRIPTION_MAX
from app.presenters import AGENCY_LABELS, RAG_LABELS
from app.supervision.forms import DESELECTION_LABELS, ChoiceField


class MeetingForm(FlaskForm):
    held_on = CalendarDateField(_l("Date of the meeting"),
                                validators=[InputRequired(message=_l("Enter the date of the meeting."))])


class AttendanceForm(FlaskForm):
    agency = StringField(_l("Agency"), validators=[
        DataRequired(message=_l("Name the agency.")),
        Length(max=AGENCY_MAX, message=_l("The agency's name must be 120 characters or fewer.")),
    ])
    attendees = TextAreaField(_l("Who came for it"), validators=[
        Length(max=ATTENDEES_MAX, message=_l("Keep the names to 2,000 characters or fewer.")),
    ])


class DecisionForm(FlaskForm):
    person = SelectField(_l("Person"), invalid_choice_message=_l("Choose one of the options."))
    rag = ChoiceField(_l("RAG status agreed"), RAG_LABELS)
    lead_agency = ChoiceField(_l("Lead agency agreed"), AGENCY_LABELS)
    offender_manager = SelectField(_l("Offender manager agreed"), invalid_choice_message=_l("Choose one of the options."))
    deselect = BooleanField(_l("De-select from the cohort on the meeting's date"))
    criteria = CheckboxesField(
        _l("Which of the toolkit's criteria apply"),
        choices=[SelectChoice(item.value, DESELECTION_LABELS[item]) for item in CRITERIA], validate_choice=False,
    )
    exit_strategy = TextAreaField(_l("Exit strategy"), validators=[
        Length(max=2000, message=_l("Keep this to 2,000 characters or fewer."))])
    y2a_early_reason = TextAreaField(_l("Why the person leaves before the end of the Y2A minimum"), validators=[
        Length(max=2000, message=_l("Keep this to 2,000 characters or fewer."))])
    action = TextAreaField(_l("Action agreed (if any)"), validators=[
        Length(max=DESCRIPTION_MAX, message=_l("Keep the action to 500 characters or fewer."))])
    action_owner = SelectField(_l("Who will do it"), invalid_choice_message=_l("Choose one of the options."))
    action_agency = StringField(_l("Partner agency (when a partner agency will do it)"), validators=[
        Optional(), Length(max=AGENCY_MAX, message=_l("The agency's name must be 120 characters or fewer.")),
    ])
    action_due_on = CalendarDateField(_l("Due by"), validators=[Optional()])

    def validate_criteria(self, field):
        known = {item.value for item in CRITERIA}
        if any(value not in known for value in field.data or []):
            raise ValidationError(str(_l("Choose one of the options.")))
        if self.deselect.data and not field.data:
            raise ValidationError(str(_l("Choose at least one of the criteria that apply.")))

    def validate_action_owner(self, field):
        if (self.action.data or "").strip() and field.data == AGENCY and not (self.action_agency.data or "").strip():
            raise ValidationError(str(_l("Name the partner agency that will do it.")))

    def validate_action_due_on(self, field):
        if (self.action.data or "").strip() and field.data is None:
            raise ValidationError(str(_l("Enter the date it is due by.")))
