from flask_babel import gettext, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField
from wtforms.validators import InputRequired, Optional, ValidationError

from app import inputs


FIRST_YEAR, LAST_YEAR = inputs.FIRST_DAY.year, inputs.LAST_DAY.year  # the calendar the app works in


class DayField(DateField):
    """A date input whose messages are in the user's language, within years that make sense."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(gettext("Enter a real date.")) from None
        if self.data is not None and not FIRST_YEAR <= self.data.year <= LAST_YEAR:
            self.data = None
            raise ValueError(gettext("Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))


NOT_A_CHOICE = -1  # what a value that is not a number becomes: no record has this id


def _optional_int(value):
    """A chosen id, None when nothing was chosen; never an exception (WTForms' message for that
    is not in our catalogue)."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return NOT_A_CHOICE


class ExportForm(FlaskForm):
    """A GET form: it reads; the only thing it writes is the audit event of the export."""

    class Meta:
        csrf = False

    team = SelectField(
        _l("Team"),
        coerce=_optional_int,
        validators=[InputRequired(message=_l("Choose a team."))],
        validate_choice=False,
    )
    person = SelectField(_l("Person (leave blank for the whole team)"), coerce=_optional_int,
                         validators=[Optional()], validate_choice=False)
    start = DayField(_l("From (optional)"), validators=[Optional()], render_kw={"type": "date"})
    end = DayField(_l("To (optional)"), validators=[Optional()], render_kw={"type": "date"})
    sensitive_notes = BooleanField(_l("Include the notes of contacts marked sensitive"), false_values=("", "0"))

    def validate_team(self, field):
        if field.data is None or field.data not in {value for value, _label in field.choices if value}:
            raise ValidationError(_l("Choose a team."))

    def validate_person(self, field):
        if field.data is None:
            return
        people = getattr(self, "people_by_team", {})
        if field.data not in people.get(self.team.data, set()):
            raise ValidationError(_l("Choose a person in the team you chose, or leave it blank."))

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The end date must be on or after the start date."))
