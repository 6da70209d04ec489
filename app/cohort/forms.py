"""The cohort's forms. Each field's check is a rule of ``app.cohort.rules`` (shared with
the CSV import), so the form and the import refuse the same things in the same words."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.cohort import rules
from app.cohort.operations import CRITERIA, deselection_needs_y2a_reason
from app.presenters import AGENCY_LABELS, CATEGORY_LABELS, RAG_LABELS
from app.supervision.forms import DESELECTION_LABELS, ChoiceField, LocalDateField, PersonForm

NOBODY = ""


def _rule(clean):
    """A WTForms validator from a rule: the field's data becomes the cleaned value."""

    def check(_form, field):
        try:
            field.data = clean(field.data)
        except rules.Invalid as problem:
            raise ValidationError(str(problem.message)) from None

    return check


def _manager_field():
    return SelectField(_l("Offender manager"), choices=[], validate_choice=True,
                       invalid_choice_message=_l("Choose one of the options."))


def manager_choices(users) -> list:
    return [SelectChoice(NOBODY, _l("Not allocated yet"))] + [SelectChoice(str(user.id), user.name) for user in users]


def manager_id(value: str | None) -> int | None:
    return int(value) if value else None


class DatedForm(FlaskForm):
    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def _not_in_future(self, field):
        if field.data and self.today is not None and field.data > self.today:
            raise ValidationError(str(_l("The date cannot be in the future.")))


class _Flags:
    mappa = BooleanField(_l("MAPPA"))
    wisdom = BooleanField(_l("WISDOM (high risk of serious harm)"))
    y2a = BooleanField(_l("Y2A (moving from youth to adult justice)"))
    y2a_minimum_ends = LocalDateField(
        _l("End of the Y2A minimum (leave empty for three months from the date joined)"), validators=[Optional()])


class AdmitForm(_Flags, DatedForm):
    display_name = StringField(_l("Name"), validators=[_rule(rules.clean_name)])
    delius_crn = StringField(_l("Delius CRN"), validators=[_rule(rules.clean_crn)])
    niche_ref = StringField(_l("Niche or PNC reference"), validators=[_rule(rules.clean_niche_ref)])
    category = ChoiceField(_l("Category"), CATEGORY_LABELS)
    rag = ChoiceField(_l("RAG status"), RAG_LABELS)
    lead_agency = ChoiceField(_l("Lead agency"), AGENCY_LABELS)
    offender_manager = _manager_field()
    joined_on = LocalDateField(_l("Date joined"),
                               validators=[InputRequired(message=_l("Enter the date the person joined the cohort."))])

    def validate_joined_on(self, field):
        self._not_in_future(field)

    def validate_niche_ref(self, field):
        if not self.delius_crn.errors and not field.errors and not self.delius_crn.data and not field.data:
            raise ValidationError(str(_l("Enter a Delius CRN or a Niche or PNC reference, so that the person can be found.")))

    def validate_y2a_minimum_ends(self, field):
        try:
            field.data = rules.clean_y2a_end(self.y2a.data, self.joined_on.data, field.data)
        except rules.Invalid as problem:
            raise ValidationError(str(problem.message)) from None


class AllocationForm(_Flags, PersonForm):
    offender_manager = _manager_field()
    lead_agency = ChoiceField(_l("Lead agency"), AGENCY_LABELS)

    def validate_y2a_minimum_ends(self, field):
        try:
            joined_on = self.person.joined_on if self.person is not None else None
            field.data = rules.clean_y2a_end(self.y2a.data, joined_on, field.data)
        except rules.Invalid as problem:
            raise ValidationError(str(problem.message)) from None


class TransferForm(PersonForm):
    team = SelectField(_l("New team"), choices=[], invalid_choice_message=_l("Choose one of the options."))
    on = LocalDateField(_l("First day in the new team"),
                        validators=[InputRequired(message=_l("Enter the first day in the new team."))])

    def validate_on(self, field):
        self._not_before_joining(field)
        self._not_in_future(field)


def _reference(value: str | None) -> tuple[str | None, str | None]:
    """A CRN or a Niche/PNC reference, whichever it is: ``(crn, None)`` or ``(None, niche_ref)``."""
    try:
        crn = rules.clean_crn(value)
    except rules.Invalid:
        crn = None
    if crn is not None:
        return crn, None
    try:
        niche_ref = rules.clean_niche_ref(value)
    except rules.Invalid:
        niche_ref = None
    if niche_ref is None:
        raise rules.Invalid(_l("Enter the person's Delius CRN, such as X123456, or their Niche or PNC reference."))
    return None, niche_ref


class TransferInForm(DatedForm):
    """A receiving team's supervisor takes a person in from another team, found by reference."""

    reference = StringField(_l("Delius CRN, or Niche or PNC reference"), validators=[_rule(_reference)])
    on = LocalDateField(_l("First day in this team"),
                        validators=[InputRequired(message=_l("Enter the first day in the new team."))])

    def validate_on(self, field):
        self._not_in_future(field)


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DeselectForm(PersonForm):
    """De-selection against the toolkit's criteria (§9), not a bare reason."""

    criteria = CheckboxesField(
        _l("Which of the toolkit's criteria apply"),
        choices=[SelectChoice(item.value, DESELECTION_LABELS[item]) for item in CRITERIA], validate_choice=False,
        validators=[InputRequired(message=_l("Choose at least one of the criteria that apply."))],
    )
    exit_strategy = TextAreaField(_l("Exit strategy"), validators=[_rule(rules.clean_text)])
    left_on = LocalDateField(_l("First day no longer in the cohort"),
                             validators=[InputRequired(message=_l("Enter the first day the person is no longer in the cohort."))])
    y2a_early_reason = TextAreaField(_l("Why the person leaves before the end of the Y2A minimum"),
                                     validators=[_rule(rules.clean_text)])

    def validate_criteria(self, field):
        known = {item.value for item in CRITERIA}
        if any(value not in known for value in field.data or []):
            raise ValidationError(str(_l("Choose one of the options.")))

    def validate_exit_strategy(self, field):
        if "green_three_months" in (self.criteria.data or []) and not field.data:
            raise ValidationError(str(_l("Write the exit strategy: it is part of being green for three months.")))

    def validate_left_on(self, field):
        self._not_before_joining(field)
        self._not_in_future(field)

    def validate_y2a_early_reason(self, field):
        if self.left_on.data and self.person is not None and not field.data \
                and deselection_needs_y2a_reason(self.person, self.left_on.data):
            raise ValidationError(str(_l(
                "This is inside the person's Y2A minimum of three months. Record why they leave early.")))


class ReadmitForm(PersonForm):
    joined_on = LocalDateField(_l("First day back in the cohort"),
                               validators=[InputRequired(message=_l("Enter the first day back in the cohort."))])
    category = ChoiceField(_l("Category"), CATEGORY_LABELS)
    rag = ChoiceField(_l("RAG status"), RAG_LABELS)
    offender_manager = _manager_field()

    def validate_joined_on(self, field):
        if field.data and self.person is not None and self.person.left_on and field.data < self.person.left_on:
            raise ValidationError(str(_l("The person cannot come back before the day they left.")))
        self._not_in_future(field)


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"))
    dry_run = BooleanField(_l("Check the file only: change nothing"))
