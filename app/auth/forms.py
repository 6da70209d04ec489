from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length


class SignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Length(max=254, message=_l("The email address is too long.")),
        ],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Enter your password.")),
            Length(max=1000, message=_l("The password is too long.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )
