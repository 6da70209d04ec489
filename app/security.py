"""Security settings that apply to every response: the one place for them.

- Security headers (a Content Security Policy with no inline code, no framing, no referrer,
  no powerful browser features, HSTS in production) on every response, and which answers
  may be cached at all (``CACHEABLE``; everything else is ``no-store``).
- The idle timeout of a signed-in session (IDLE_TIMEOUT_MINUTES).
- ProxyFix, when the app runs behind reverse proxies (PROXY_FIX_X_*).
- Redaction of contact notes (and PostgreSQL's "Failing row contains" details) from every
  log record, whichever logger writes it.
"""

from __future__ import annotations

import json
import logging
import re

from flask import Flask, abort, current_app, flash, request, session
from flask_babel import lazy_gettext as _l, ngettext
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from app import clock

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "payment", "usb",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # same-origin, not no-referrer: over HTTPS Flask-WTF refuses a write without a
    # same-site Referer (WTF_CSRF_SSL_STRICT), and other sites still learn nothing.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
UNENCODABLE_TEXT = _l("Some text in the request has a character that is not valid Unicode. Nothing was stored:"
                      " remove the character and send it again.")
HSTS = "max-age=63072000; includeSubDomains"
# The last-activity time in the cookie is rewritten at most this often (seconds), so that
# not every response has to carry a new cookie.
ACTIVITY_RESOLUTION = 60


def init_app(app: Flask) -> None:
    _install_proxy_fix(app)
    install_log_redaction()
    app.before_request(_refuse_nul_characters)
    app.before_request(_end_idle_sign_in)
    app.after_request(_add_security_headers)


# --- headers ---------------------------------------------------------------------------

def _add_security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("PRODUCTION"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint not in ("static", "static_unversioned"):  # app/assets.py sets their caching
        response.headers["Cache-Control"] = cache_policy(request.endpoint) if response.status_code < 400 else NO_STORE
    return response


# Answers that hold no personal data and that a browser may keep. Every other answer (pages,
# the API, CSV exports, errors) holds or may hold personal data and is no-store, whatever its
# view set: this table is the one place that decides. The caseload's ETag still works: the
# phone keeps its copy and the ETag in IndexedDB and sends If-None-Match itself (caseload.js).
CACHEABLE = {
    "api.openapi": "public, max-age=300",
    "pwa.shell": "no-cache",
    "pwa.shell_in": "no-cache",
    "pwa.service_worker": "no-cache",
    "pwa.script_catalogue": "no-cache",
    "pwa.manifest": "no-cache",
}
NO_STORE = "no-store"


def cache_policy(endpoint: str | None) -> str:
    return CACHEABLE.get(endpoint or "", NO_STORE)


# --- input no database can store ----------------------------------------------------------

def _refuse_nul_characters():
    """PostgreSQL cannot store U+0000 in text, and no person types it: refuse it at the door
    (a 400 in the user's language) rather than fail deep inside with a server error."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400)
    return _refuse_unencodable_json()


# A JSON escape of a UTF-16 surrogate: the only way a JSON text can hold a lone one.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _refuse_unencodable_json():
    """A JSON body holding a string that is not Unicode text (a lone surrogate such as
    "\\ud800": valid JSON, but no database can store it and no answer can echo it) is refused
    whole, with a 400 in the user's language, before any view reads it: nothing is stored,
    and the phone's halving of a refused batch finds the one record at fault."""
    if request.mimetype != "application/json" or request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if (request.content_length or 0) > (current_app.config.get("MAX_CONTENT_LENGTH") or float("inf")):
        return None  # the reader answers 413
    data = request.get_data(cache=True)
    if not _SURROGATE_ESCAPE.search(data):
        return None  # the fast path: no escape that could make one
    from app.api import errors as api_errors

    try:
        json.dumps(json.loads(data), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        if api_errors.is_api_request():
            return api_errors.error_response(400, "unencodable_text", UNENCODABLE_TEXT)
        abort(400)
    except (ValueError, RecursionError):
        return None  # not JSON at all: the reader says so
    return None


# --- the idle timeout --------------------------------------------------------------------

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


def _end_idle_sign_in():
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


# --- reverse proxies ---------------------------------------------------------------------

def _install_proxy_fix(app: Flask) -> None:
    counts = {
        name: app.config.get(f"PROXY_FIX_X_{name.upper()}", 0) or 0
        for name in ("for", "proto", "host", "prefix")
    }
    if any(counts.values()):
        app.wsgi_app = ProxyFix(
            app.wsgi_app,
            x_for=counts["for"],
            x_proto=counts["proto"],
            x_host=counts["host"],
            x_prefix=counts["prefix"],
        )


# --- logs --------------------------------------------------------------------------------

REDACTED = "[redacted]"
_NOTES = re.compile(
    r"""(?P<key>["']?\bnotes["']?\s*[:=]\s*)"""
    r"""(?P<value>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,&;}\]]+)""",
    re.IGNORECASE,
)
# PostgreSQL's DETAIL for a failed CHECK or NOT NULL constraint prints the whole row.
_FAILING_ROW = re.compile(r"(Failing row contains ).*$", re.MULTILINE)


def redact(text: str) -> str:
    """The text with any notes value and any PostgreSQL row dump replaced by [redacted]."""
    text = _NOTES.sub(lambda match: match.group("key") + REDACTED, text)
    return _FAILING_ROW.sub(lambda match: match.group(1) + REDACTED, text)


def _redact_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: leave it for logging to report
        return record
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, None
    if record.exc_info and record.exc_info[0] is not None:
        # Formatters use exc_text when it is set: give them the redacted traceback.
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    return record


def install_log_redaction() -> None:
    """Redact every log record at birth, whichever logger or handler deals with it later."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "cyswllt_redacts", False):
        return

    def redacting_factory(*args, **kwargs):
        return _redact_record(factory(*args, **kwargs))

    redacting_factory.cyswllt_redacts = True
    logging.setLogRecordFactory(redacting_factory)
