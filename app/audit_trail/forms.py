from flask_babel import gettext, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired, Optional, ValidationError


class DayField(DateField):
    """A date input whose "not a date" message is in the user's language."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(gettext("Enter a real date.")) from None


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


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
