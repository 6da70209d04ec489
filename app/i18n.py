"""Language selection: the one place that decides which language a response is in.

The order: the signed-in user's profile, then the device's remembered choice (a
cookie set by the language switch), then the browser's Accept-Language, then English.

A reader who chooses a language on the sign-in page is never asked twice: the choice
made on this device before signing in (a browser-session cookie beside the device
cookie) is copied to their profile as they sign in.
"""

from __future__ import annotations

from flask import after_this_request, current_app, request
from flask_login import current_user, user_logged_in

LANGUAGE_COOKIE = "lang"
# Set by the switch while signed out, for this browser session only; read once at sign-in.
CHOSEN_BEFORE_SIGN_IN_COOKIE = "lang_chosen"
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


@user_logged_in.connect
def _adopt_the_choice_made_before_sign_in(_app, user, **_extra) -> None:
    """Copy a language chosen on the sign-in page to the profile of whoever signs in there.

    Only a choice made in this browser session that still matches what the device shows
    counts, so a shared phone's old choice does not change the next officer's profile.
    The caller's sign-in commits the change (with its audit) along with the sign-in.
    """
    from app.models import Language

    chosen = request.cookies.get(CHOSEN_BEFORE_SIGN_IN_COOKIE)
    if chosen not in supported() or chosen != request.cookies.get(LANGUAGE_COOKIE):
        return
    if user.language != Language(chosen):
        user.language = Language(chosen)

    @after_this_request
    def forget(response):
        response.delete_cookie(CHOSEN_BEFORE_SIGN_IN_COOKIE)
        return response
