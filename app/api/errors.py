"""Errors under /api/: always a JSON object, never an HTML page or a redirect.

``{"error": {"code": "<machine code>", "message": "<sentence in the user's language>"}}``.
A phone behind a captive portal or a proxy can then tell "not accepted" from "accepted":
only a JSON body that names each record is an answer.
"""

from __future__ import annotations

import json
import math

from flask import Response, has_request_context, request
from flask_babel import lazy_gettext as _l, ngettext

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 30

# The answer for each status when nothing more particular is known.
_BY_STATUS = {
    400: ("bad_request", _l("Something in the request was not right.")),
    401: ("unauthenticated", _l("You are signed out. Sign in again: nothing waiting on your phone has been lost.")),
    403: ("forbidden", _l("Your account does not allow this action.")),
    404: ("not_found", _l("There is nothing here.")),
    405: ("method_not_allowed", _l("This address cannot be used in that way.")),
    406: ("not_acceptable", _l("This address only answers in JSON.")),
    413: ("too_large", _l("What you sent is too large. Send fewer contacts at a time.")),
    415: ("unsupported_media_type", _l("Send the request as JSON, with the content type application/json.")),
    429: ("too_many_requests", _l("Too many requests. Wait a little, then try again.")),  # see too_many_requests
    500: ("server_error", _l("Something went wrong on the server. Nothing waiting on your phone has been lost: try again in a few minutes.")),
    503: ("unavailable", _l("The service is unavailable for a moment. Nothing waiting on your phone has been lost: it will be sent later.")),
}
CSRF_FAILED = _l("The security token is missing or out of date. Reload the app and try again.")


class ApiError(Exception):
    """Raised by the API's parsing and views; answered by ``error_response``."""

    def __init__(self, status: int, code: str | None = None, message=None, **extra):
        super().__init__(code or _BY_STATUS.get(status, ("error",))[0])
        default_code, default_message = _BY_STATUS.get(status, ("error", _BY_STATUS[500][1]))
        self.status = status
        self.code = code or default_code
        self.message = message if message is not None else default_message
        self.extra = extra


def is_api_request() -> bool:
    return has_request_context() and (request.path + "/").startswith(API_PREFIX)


def json_response(payload, status: int = 200, headers: dict | None = None) -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    try:
        body.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate echoed back: escaped, the answer is still made
        body = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
    response = Response(body, status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def error_response(status: int, code: str | None = None, message=None, **extra) -> Response:
    error = ApiError(status, code, message, **extra)
    return from_error(error)


def from_error(error: ApiError) -> Response:
    payload = {"code": error.code, "message": str(error.message), **error.extra}
    headers = {}
    if error.status == 503:
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Cookie realm="cyswllt"'
    return json_response({"error": payload}, error.status, headers)


def for_status(status: int) -> Response:
    return error_response(status)


def too_many_requests(seconds: int) -> Response:
    """A 429 whose message states the wait its Retry-After header gives, in the reader's language."""
    if seconds < 60:
        message = ngettext("Too many requests. Wait %(num)d second, then try again.",
                           "Too many requests. Wait %(num)d seconds, then try again.", seconds)
    else:
        message = ngettext("Too many requests. Wait %(num)d minute, then try again.",
                           "Too many requests. Wait %(num)d minutes, then try again.", math.ceil(seconds / 60))
    response = error_response(429, message=message)
    response.headers["Retry-After"] = str(seconds)
    return response


def csrf_failed() -> Response:
    """A write without a valid X-CSRFToken. A signed-out phone is told so (401), not 403."""
    from flask_login import current_user

    if not current_user.is_authenticated:
        return for_status(401)
    return error_response(403, "csrf_failed", CSRF_FAILED)

