"""Language selection: the one place that decides which language a response is in.

The order: a choice made with the switch on this device in this browser session, then the
signed-in user's profile, then the device's remembered choice (a cookie set by the
language switch), then the browser's Accept-Language, then English.

The switch is a link (GOV.UK style). Following it (GET) changes only the device: it sets
the device cookie and marks it as chosen in this browser session. The profile changes only
by a same-site POST with a CSRF token: on pages for a signed-in user, language-switch.js
turns the click into that POST (a hidden form beside the link). A link from another site
can therefore change the language this browser shows, never anyone's profile. Without
JavaScript the switch still works on the device; the profile keeps its language.
(Sec-Fetch-Site on the GET was the other option: it is absent from older browsers and from
some proxies, and a GET that changes data is still fetched by link previewers.)

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


def chosen_on_this_device() -> str | None:
    """The language picked with the switch in this browser session, if the device still shows it."""
    chosen = request.cookies.get(CHOSEN_BEFORE_SIGN_IN_COOKIE)
    if chosen in supported() and chosen == request.cookies.get(LANGUAGE_COOKIE):
        return chosen
    return None


def select_language() -> str:
    """The language code ("en" or "cy") for this request."""
    if current_user and current_user.is_authenticated:
        return chosen_on_this_device() or current_user.language.value
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


def remember_on_device(response, code: str) -> None:
    """The device's choice (a GET may do this): the cookie, and its mark for this browser session."""
    production = current_app.config["PRODUCTION"]
    response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", secure=production,
                        httponly=False)
    response.set_cookie(CHOSEN_BEFORE_SIGN_IN_COOKIE, code, samesite="Lax", secure=production, httponly=True)


def keep_on_profile(user, code: str) -> bool:
    """Set the user's own language (only ever from a same-site POST); True if it changed."""
    from app.models import Language

    if user.language == Language(code):
        return False
    user.language = Language(code)
    return True


@user_logged_in.connect
def _adopt_the_choice_made_before_sign_in(_app, user, **_extra) -> None:
    """Copy a language chosen on the sign-in page to the profile of whoever signs in there.

    Only a choice made in this browser session that still matches what the device shows
    counts, so a shared phone's old choice does not change the next officer's profile.
    The caller's sign-in commits the change (with its audit) along with the sign-in.
    """
    chosen = chosen_on_this_device()
    if chosen is None:
        return
    keep_on_profile(user, chosen)

    @after_this_request
    def forget(response):
        response.delete_cookie(CHOSEN_BEFORE_SIGN_IN_COOKIE)
        return response
