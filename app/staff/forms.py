"""Forms for managing staff accounts. Every message is ours, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, ValidationError

from app.account.forms import LANGUAGE_CHOICES
from app.auth.operations import EMAIL_MAX, NAME_MAX, find_user_by_email
from app.extensions import db
from app.presenters import AGENCY_LABELS, ROLE_LABELS


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _team_id(value):
    """The chosen team's id; junk becomes None, which no choice matches ("Choose one of the options")."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _AccountForm(FlaskForm):
    role = SelectField(_l("Role"), invalid_choice_message=_l("Choose one of the options."))
    agency = SelectField(
        _l("Agency"),
        choices=[SelectChoice(agency.value, label) for agency, label in AGENCY_LABELS.items()],
        invalid_choice_message=_l("Choose one of the options."),
    )
    team = SelectField(_l("Team"), coerce=_team_id, invalid_choice_message=_l("Choose one of the options."))

    def offer(self, roles, teams) -> None:
        """The roles and teams the signed-in user may give (``app.permissions``)."""
        self.role.choices = [SelectChoice(role.value, ROLE_LABELS[role]) for role in roles]
        self.team.choices = [SelectChoice(team.id, team.name) for team in teams]


class InviteForm(_AccountForm):
    name = StringField(
        _l("Full name"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter the person's full name.")),
            Length(max=NAME_MAX, message=_l("The name must be 120 characters or fewer.")),
        ],
    )
    email = EmailField(
        _l("Work email address"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter their work email address.")),
            Length(max=EMAIL_MAX, message=_l("The email address is too long.")),
            Email(message=_l("Enter an email address like name@example.org.")),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    language = SelectField(
        _l("Language of the service"),
        choices=[SelectChoice(code, label) for code, label in LANGUAGE_CHOICES],
        invalid_choice_message=_l("Choose one of the options."),
    )

    def validate_email(self, field):
        if field.data and find_user_by_email(db.session, field.data) is not None:
            raise ValidationError(str(_l("An account with this email address already exists.")))


class ChangeAccountForm(_AccountForm):
    pass
