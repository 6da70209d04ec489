"""The idle timeout of a signed-in session (IDLE_TIMEOUT_MINUTES)."""

from __future__ import annotations

from flask import current_app, flash, request, session
from flask_babel import ngettext
from flask_login import current_user

from app import clock

# The last-activity time in the cookie is rewritten at most this often (seconds), so that
# not every response has to carry a new cookie.
ACTIVITY_RESOLUTION = 60


def idle_timeout_seconds() -> int | None:
    """How long a signed-in session may go unused, or None when it never times out."""
    minutes = current_app.config.get("IDLE_TIMEOUT_MINUTES") or 0
    return minutes * 60 if minutes > 0 else None


DEFAULT_APP_LOCK_SECONDS = 30 * 60


def app_lock_seconds() -> int:
    """How long the phone app may be left untouched before it locks (static/js/lock.js): the
    configured time, never longer than the idle timeout (the sign-in would be over first)."""
    configured = current_app.config.get("APP_LOCK_SECONDS") or 0
    idle = idle_timeout_seconds()
    wanted = configured if configured > 0 else (idle or DEFAULT_APP_LOCK_SECONDS)
    return min(wanted, idle) if idle else wanted


def end_idle_sign_in():
    if request.endpoint in ("static", "static_unversioned") or not current_user.is_authenticated:
        return None
    from app.auth.operations import LAST_ACTIVE, sign_out
    from app.extensions import db

    now = int(clock.now().timestamp())
    last = session.get(LAST_ACTIVE)
    timeout = idle_timeout_seconds()
    if timeout is not None and isinstance(last, int) and now - last > timeout:
        minutes = timeout // 60
        message = ngettext(
            "You were signed out after %(num)d minute without activity. Sign in again to carry on.",
            "You were signed out after %(num)d minutes without activity. Sign in again to carry on.",
            minutes,
        )
        sign_out(db.session, current_user._get_current_object(), action="idle_sign_out")
        from app.api import errors as api_errors

        if api_errors.is_api_request():  # the phone keeps its outbox and asks to sign in again
            return api_errors.error_response(401, "unauthenticated", message)
        flash(message, "notice")
        return None  # carry on signed out: pages that need a sign-in send the visitor to it
    if not isinstance(last, int) or now - last >= ACTIVITY_RESOLUTION:
        session[LAST_ACTIVE] = now
    return None
