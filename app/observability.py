"""What operators see of the running app: one JSON line per request, health and readiness
checks for the load balancer, and error reports to Sentry when SENTRY_DSN is set.

- Request log (logger ``cyswllt.requests``): ``request_id`` (the proxy's ``X-Request-ID`` if
  it sent a sensible one, otherwise made here, and returned in the same header), ``method``,
  ``route`` (the URL rule, ``/people/<int:person_id>``, never the query string), ``endpoint``,
  ``status``, ``duration_ms`` and ``user_id``. Never notes, never names: nothing from the
  body or the query is logged, and the line still goes through the redaction of every log
  record in ``app.security.redaction``.
- ``GET /healthz``: the process is up (no database). ``GET /readyz``: the database answers
  and its schema is at the migrations' head; 503 otherwise.
- Sentry (``sentry-sdk``): only with ``SENTRY_DSN``; no request bodies, no local variables,
  no personal data, and every string of an event passes through ``app.security.redaction.redact``.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from functools import cache

from flask import Blueprint, Flask, current_app, g, jsonify, request
from flask_login import current_user
from sqlalchemy import text

from app.extensions import csrf, db

REQUEST_LOGGER = "cyswllt.requests"
REQUEST_ID_HEADER = "X-Request-ID"
_SENSIBLE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

blueprint = Blueprint("observability", __name__)
logger = logging.getLogger(REQUEST_LOGGER)


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    csrf.exempt(blueprint)
    app.before_request(_start_request)
    app.after_request(_log_request)
    if not app.testing:
        _log_to_stderr()
    dsn = app.config.get("SENTRY_DSN")
    if dsn:
        _start_sentry(dsn, app.config.get("CYSWLLT_ENV_NAME", "production" if app.config.get("PRODUCTION") else "development"))


# --- one JSON line per request ------------------------------------------------------------

def _start_request() -> None:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if _SENSIBLE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def request_line(status: int) -> dict:
    """What the log says of the request being answered."""
    started = g.get("request_started")
    user_id = None
    try:
        if current_user and current_user.is_authenticated:
            user_id = current_user.id
    except Exception:  # the database is down: the line is still written  # noqa: BLE001
        user_id = None
    return {
        "request_id": g.get("request_id"),
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule is not None else None,
        "endpoint": request.endpoint,
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started is not None else None,
        "user_id": user_id,
    }


def _log_request(response):
    if g.get("request_id"):
        response.headers.setdefault(REQUEST_ID_HEADER, g.request_id)
    logger.info(json.dumps(request_line(response.status_code), separators=(",", ":")))
    return response


class _MessageOnly(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return record.getMessage()


def _log_to_stderr() -> None:
    if any(getattr(handler, "cyswllt_requests", False) for handler in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_MessageOnly())
    handler.cyswllt_requests = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


# --- health and readiness -----------------------------------------------------------------

@blueprint.route("/healthz")
def healthz():
    return jsonify(status="ok")


@cache
def migrations_head(directory: str) -> tuple[str, ...]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", directory)
    return tuple(sorted(ScriptDirectory.from_config(config).get_heads()))


@blueprint.route("/readyz")
def readyz():
    head = migrations_head(current_app.extensions["migrate"].directory)
    try:
        current = tuple(sorted(db.session.scalars(text("SELECT version_num FROM alembic_version"))))
    except Exception:  # unreachable, or no schema at all  # noqa: BLE001
        db.session.rollback()
        return jsonify(status="unavailable", reason="database"), 503
    if current != head:
        return jsonify(status="unavailable", reason="migrations", database=list(current), head=list(head)), 503
    return jsonify(status="ok", migration=list(head))


# --- Sentry -------------------------------------------------------------------------------

def redact_event(event, _hint=None):
    """Every string of a Sentry event (or breadcrumb) as the logs would show it."""
    from app.security.redaction import REDACTED, redact

    def clean(value):
        if isinstance(value, str):
            return redact(value)
        if isinstance(value, dict):
            return {key: REDACTED if str(key).lower() == "notes" else clean(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(item) for item in value]
        return value

    cleaned = clean(event)
    request_data = cleaned.get("request") if isinstance(cleaned, dict) else None
    if isinstance(request_data, dict):  # never a body, a query string or cookies
        for key in ("data", "query_string", "cookies"):
            request_data.pop(key, None)
    return cleaned


def _start_sentry(dsn: str, environment: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[FlaskIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=redact_event,
        before_breadcrumb=redact_event,
    )
