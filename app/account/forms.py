"""Forms of a user's own account: setting a password (with a link or on the own page), name, language."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.auth.operations import NAME_MAX
from app.auth.password_policy import MAX_PASSWORD_LENGTH, problem_messages
from app.auth.passwords import verify_password

LANGUAGE_CHOICES = (("cy", "Cymraeg"), ("en", "English"))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class NewPasswordForm(FlaskForm):
    """A new password, checked against the password policy for ``user``."""

    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=_l("Enter a new password."))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("The new password again"),
        validators=[
            DataRequired(message=_l("Enter the new password again.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_password(self, field):
        problems = problem_messages(
            field.data or "", min_length=current_app.config["MIN_PASSWORD_LENGTH"],
            email=self.user.email if self.user is not None else "",
            name=self.user.name if self.user is not None else "",
        )
        if problems:  # each problem its own message
            field.errors.extend(problems[:-1])
            raise ValidationError(problems[-1])


class SetPasswordForm(NewPasswordForm):
    """The one-time link's form."""


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        _l("Your current password"),
        validators=[
            DataRequired(message=_l("Enter your current password.")),
            Length(max=MAX_PASSWORD_LENGTH * 4, message=_l("The password is too long.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )

    def validate_current(self, field):
        if len(field.data or "") > MAX_PASSWORD_LENGTH * 4:
            return  # already refused as too long
        if self.user is None or not verify_password(self.user.password_hash, field.data or ""):
            raise ValidationError(str(_l("Your current password is not right.")))


class DetailsForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter your name.")),
            Length(max=NAME_MAX, message=_l("The name must be 120 characters or fewer.")),
        ],
        render_kw={"autocomplete": "name"},
    )
    language = SelectField(
        _l("Language of the service"),
        choices=[SelectChoice(code, label) for code, label in LANGUAGE_CHOICES],
        invalid_choice_message=_l("Choose one of the options."),
    )
