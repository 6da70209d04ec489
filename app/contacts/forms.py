"""The record form for browsers without JavaScript: a plain POST with a server-made id."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from app.models import ContactType, Outcome, Pathway
from app.presenters import CONTACT_TYPE_LABELS, OUTCOME_LABELS, PATHWAY_LABELS

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
MAX_NOTES = 4000
MAX_DURATION = 1440


class ContactForm(FlaskForm):
    contact_id = HiddenField(
        validators=[
            InputRequired(message=_l("This form has expired. Open a new one and try again.")),
            Regexp(UUID_PATTERN, message=_l("This form has expired. Open a new one and try again.")),
        ]
    )
    person = SelectField(
        _l("Person"),
        coerce=lambda value: int(value) if value not in ("", None) else None,
        validators=[InputRequired(message=_l("Choose the person you had contact with."))],
        invalid_value_message=_l("Choose the person you had contact with."),
        invalid_choice_message=_l("Choose the person you had contact with."),
    )
    type = RadioField(
        _l("Kind of contact"),
        choices=[SelectChoice(kind.value, CONTACT_TYPE_LABELS[kind]) for kind in ContactType],
        invalid_choice_message=_l("Choose the kind of contact."),
    )
    outcome = RadioField(
        _l("Outcome"),
        choices=[SelectChoice(outcome.value, OUTCOME_LABELS[outcome]) for outcome in Outcome],
        default=Outcome.KEPT.value,
        invalid_choice_message=_l("Choose the outcome."),
    )
    date = DateField(
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
    duration_minutes = IntegerField(
        _l("Duration in minutes (optional)"),
        validators=[
            Optional(),
            NumberRange(min=0, max=MAX_DURATION, message=_l("Enter the duration as a whole number of minutes, from 0 to 1440.")),
        ],
        invalid_value_message=_l("Enter the duration as a whole number of minutes, from 0 to 1440."),
    )
    pathways = SelectMultipleField(
        _l("Pathways (for welfare help)"),
        choices=[SelectChoice(pathway.value, PATHWAY_LABELS[pathway]) for pathway in Pathway],
        invalid_choice_message=_l("Choose pathways from the list."),
        invalid_value_message=_l("Choose pathways from the list."),
    )
    notes = TextAreaField(
        _l("Notes (optional)"),
        validators=[Length(max=MAX_NOTES, message=_l("Notes can be at most 4000 characters long."))],
    )
