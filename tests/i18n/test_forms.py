"""Every form speaks Welsh: explicit translated messages, never WTForms' own catalogue.

The forms are found by walking every module under app/, so a form added anywhere is
checked here without being listed.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask_babel import force_locale
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice
from wtforms.fields import (
    DateField, DateTimeField, DateTimeLocalField, DecimalField, FloatField, IntegerField, MonthField,
    SelectFieldBase, TimeField, WeekField,
)

import app as app_package
from tests.i18n.catalogues import messages, placeholder_pattern, strings

# Fields that turn the text typed into a value, and so can fail before any validator runs.
COERCING = (IntegerField, DecimalField, FloatField, DateField, DateTimeField, DateTimeLocalField, TimeField,
            MonthField, WeekField)
# Validators with nothing to say: they stop the chain, never add an error.
SILENT_VALIDATORS = {"Optional"}


def all_forms():
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)
    found, pending = [], list(FlaskForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        if form.__module__.startswith("app."):
            found.append(form)
    return sorted(found, key=lambda form: (form.__module__, form.__qualname__))


def build(form_class, formdata=None):
    form = form_class(formdata=formdata, meta={"csrf": False})
    for field in fields(form):
        if isinstance(field, SelectFieldBase) and getattr(field, "choices", None) is None:
            # Set after construction as views do (tuples); "1" survives coerce=int too.
            field.choices = [("1", "Example")]
    return form


def fields(form):
    """Every field, the ones inside FormField and FieldList included."""
    for field in form:
        if hasattr(field, "entries"):  # FieldList
            for entry in field.entries:
                yield from fields(entry.form) if hasattr(entry, "form") else [entry]
        elif hasattr(field, "form") and isinstance(field.form, object) and hasattr(field.form, "_fields"):
            yield from fields(field.form)  # FormField
        else:
            yield field


FORMS = all_forms()


def test_the_forms_are_found():
    assert any(form.__name__ == "SignInForm" for form in FORMS)


def _wtforms_reads_it(field) -> bool:
    """True if WTForms' own code turns the answer into a value (and so words its own error).
    A field class of ours that reads the answer itself says what is wrong itself: the
    behaviour test below checks that what it says is in the Welsh catalogue."""
    reader = next(klass for klass in type(field).__mro__ if "process_formdata" in vars(klass))
    return reader.__module__.startswith("wtforms.")


def message_problems(form) -> list[str]:
    problems = []
    for field in fields(form):
        for validator in field.validators:
            name = type(validator).__name__
            if name in SILENT_VALIDATORS or not hasattr(validator, "message"):
                continue  # plain functions raise their own message (checked below by their output)
            if validator.message is None:
                problems.append(f"{field.name}: {name} needs message=_l(...)")
        if isinstance(field, COERCING) and _wtforms_reads_it(field) and not getattr(field, "invalid_value_message", None):
            problems.append(f"{field.name}: {type(field).__name__} needs invalid_value_message=_l(...)")
        if isinstance(field, SelectFieldBase):
            if getattr(field, "validate_choice", False) and not getattr(field, "invalid_choice_message", None):
                problems.append(f"{field.name}: {type(field).__name__} needs invalid_choice_message=_l(...)")
            coerce = getattr(field, "coerce", str)
            # A type (int, UUID...) raises WTForms' own message on junk; a coerce function of
            # ours handles junk itself, and the behaviour test below checks what it says.
            if isinstance(coerce, type) and coerce is not str and not getattr(field, "invalid_value_message", None):
                problems.append(f"{field.name}: {type(field).__name__} needs invalid_value_message=_l(...)")
    return problems


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form: f"{form.__module__}.{form.__qualname__}")
def test_every_validator_has_an_explicit_message(app, form_class):
    with app.test_request_context():
        assert message_problems(build(form_class)) == []


def _welsh_translations():
    return [placeholder_pattern(text) for message in messages("cy") for text in strings(message)]


# Three kinds of wrong answer between them reach every built-in message: nothing at all,
# junk that no number, date or choice accepts, and far too much.
BAD_ANSWERS = {"empty": "", "junk": "zz-not-a-value-zz", "too long": "x" * 20000}


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form: f"{form.__module__}.{form.__qualname__}")
def test_every_error_a_form_can_show_a_welsh_reader_is_from_the_welsh_catalogue(app, form_class):
    patterns, problems = _welsh_translations(), []
    with app.test_request_context(), force_locale("cy"):
        for answer_name, answer in BAD_ANSWERS.items():
            names = [field.name for field in fields(build(form_class))]
            form = build(form_class, MultiDict({name: answer for name in names}))
            form.validate()
            for field in fields(form):
                for error in field.errors:
                    error = str(error)
                    if not any(pattern.match(error) for pattern in patterns):
                        problems.append(f"{field.name} ({answer_name}): {error!r} is not in the Welsh catalogue")
    assert problems == []


def test_a_form_field_with_a_built_in_message_is_caught(app):
    """The check above is real: WTForms' own message for a bad number is not ours."""
    from flask_babel import lazy_gettext as _l

    class Careless(FlaskForm):
        count = IntegerField(_l("Email address"))

    Careless.__module__ = "tests.careless"
    with app.test_request_context(), force_locale("cy"):
        form = build(Careless, MultiDict({"count": "zz"}))
        form.validate()
        assert form.count.errors and not any(p.match(str(form.count.errors[0])) for p in _welsh_translations())


def test_a_validator_without_its_own_message_is_caught(app):
    from flask_babel import lazy_gettext as _l
    from wtforms import SelectField, StringField
    from wtforms.validators import DataRequired

    class Careless(FlaskForm):
        name = StringField(_l("Email address"), validators=[DataRequired()])
        choice = SelectField(_l("Password"), choices=[SelectChoice("a", "A")])

    Careless.__module__ = "tests.careless"
    with app.test_request_context():
        assert message_problems(build(Careless)) == [
            "name: DataRequired needs message=_l(...)", "choice: SelectField needs invalid_choice_message=_l(...)"]
