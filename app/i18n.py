"""Language selection: the one place that decides which language a response is in.

The order: the signed-in user's profile, then the device's remembered choice (a
cookie set by the language switch), then the browser's Accept-Language, then English.
"""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}
# Babel locales: British English conventions for dates and numbers.
BABEL_LOCALES = {"en": "en_GB", "cy": "cy"}


def supported() -> tuple[str, ...]:
    return current_app.config["LANGUAGES"]


def select_language() -> str:
    """The language code ("en" or "cy") for this request."""
    if current_user and current_user.is_authenticated:
        return current_user.language.value
    remembered = request.cookies.get(LANGUAGE_COOKIE)
    if remembered in supported():
        return remembered
    return request.accept_languages.best_match(supported()) or "en"


def select_locale() -> str:
    return BABEL_LOCALES[select_language()]


def current_language() -> str:
    """The language of the response being made: "en" or "cy"."""
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale is not None else "en"


def other_language(code: str) -> str:
    return "en" if code == "cy" else "cy"
