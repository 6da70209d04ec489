"""The plan's forms: the seven pathways at once, and a new action. Every message is ours."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.fields import CalendarDateField
from app.models import Pathway
from app.plans.operations import AGENCY_MAX, DESCRIPTION_MAX, WORK_MAX
from app.presenters import NEED_LABELS, PATHWAY_LABELS
from app.supervision.forms import ChoiceField, PersonForm

AGENCY = "agency"  # the owner choice that names a partner agency instead of a user


def pathway_fields(code: str) -> tuple[str, str]:
    return f"need_{code}", f"work_{code}"


class PlanForm(PersonForm):
    """A need and what is being done, for each of the seven pathways."""


for _pathway in Pathway:
    _need, _work = pathway_fields(_pathway.value)
    setattr(PlanForm, _need, ChoiceField(_l("Need"), NEED_LABELS))
    setattr(PlanForm, _work, TextAreaField(
        _l("What is being done"),
        validators=[Length(max=WORK_MAX, message=_l("Keep what is being done to 2,000 characters or fewer."))],
    ))


class ActionForm(PersonForm):
    description = TextAreaField(_l("Action"), validators=[
        DataRequired(message=_l("Say what is to be done.")),
        Length(max=DESCRIPTION_MAX, message=_l("Keep the action to 500 characters or fewer.")),
    ])
    pathway = SelectField(_l("Pathway (if any)"), default="", invalid_choice_message=_l("Choose one of the options."),
                          choices=[SelectChoice("", _l("No particular pathway"))]
                          + [SelectChoice(member.value, label) for member, label in PATHWAY_LABELS.items()])
    owner = SelectField(_l("Who will do it"), invalid_choice_message=_l("Choose one of the options."))
    owner_agency = StringField(_l("Partner agency (when a partner agency will do it)"), validators=[
        Optional(), Length(max=AGENCY_MAX, message=_l("The agency's name must be 120 characters or fewer.")),
    ])
    due_on = CalendarDateField(_l("Due by"), validators=[InputRequired(message=_l("Enter the date it is due by."))])

    def validate_owner(self, field):
        if field.data == AGENCY and not (self.owner_agency.data or "").strip():
            raise ValidationError(str(_l("Name the partner agency that will do it.")))


def owner_choices(users) -> list[SelectChoice]:
    return [SelectChoice(str(user.id), user.name) for user in users] + [
        SelectChoice(AGENCY, _l("A partner agency (name it below)"))]
