"""Cyswllt: the field contact recorder for Integrated Offender Management in Wales."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g, redirect, render_template, request, session
from flask_babel import gettext
from flask_login import current_user, login_url
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from app import config
from app.extensions import babel, csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config_overrides: dict | None = None) -> Flask:
    # No static route yet: app.assets adds it under the build's content-hashed prefix.
    app = Flask(__name__, instance_relative_config=True, static_folder=None)
    app.static_folder = str(PROJECT_ROOT / "static")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(config.load(app.instance_path, provided=config_overrides))
    if config_overrides:
        app.config.from_mapping(config_overrides)
    _serve_static_files(app)

    from app.inputs import BoundedIntConverter

    # Before any blueprint: every <int:…> route is bounded to what an id column holds.
    app.url_map.converters["int"] = BoundedIntConverter

    _bind_extensions(app)
    from app import sealing

    sealing.init_app(app)  # the keys that open sealed records: a wrong one stops the start, not a sync
    from app import observability  # first of the request hooks: the request log times the whole request

    observability.init_app(app)
    _register_blueprints(app)
    _register_request_hooks(app)
    _register_error_pages(app)

    from app import cli

    cli.register(app)
    return app


def _serve_static_files(app: Flask) -> None:
    from app import assets
    from app.pwa.operations import build_for

    assets.init_app(app, build_for(app.config["LANGUAGES"], app.config.get("APP_VERSION_SALT", "")).version)


def _bind_extensions(app: Flask) -> None:
    from app import audit, person_weeks, scoping, versions  # noqa: F401  (registers the session listeners)
    from app.i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    # "basic", not "strong": a phone's address changes with every network, and "strong" would
    # sign the officer out each time. Sign-ins end on the server instead (app/auth/operations.py).
    login_manager.session_protection = "basic"

    from app import presenters
    from app.api import errors as api_errors

    presenters.register(app)

    @login_manager.unauthorized_handler
    def unauthorized():
        # The API answers 401 JSON (the phone keeps its queue); pages send the visitor to sign in.
        from app.devices.reports import signed_out_by_revocation

        revoked = signed_out_by_revocation()  # 401 "revoked": the phone wipes what it shows
        if api_errors.is_api_request():
            return revoked or api_errors.for_status(401)
        return redirect(login_url(login_manager.login_view, next_url=request.url))

    @login_manager.user_loader
    def load_user(user_id: str):
        from app.auth.operations import SIGN_IN_TOKEN, load_signed_in_user

        return load_signed_in_user(db.session, user_id, session.get(SIGN_IN_TOKEN))

    from app import security

    security.init_app(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _register_blueprints(app: Flask) -> None:
    from app.api.routes import blueprint as api
    from app.arrangements.routes import blueprint as arrangements
    from app.audit_trail.routes import blueprint as audit_trail
    from app.auth.routes import blueprint as auth
    from app.cohort.routes import blueprint as cohort
    from app.contacts.routes import blueprint as contacts
    from app.main.routes import blueprint as main
    from app.people.routes import blueprint as people
    from app.plans.routes import blueprint as plans
    from app.meetings.routes import blueprint as meetings
    from app.supervision.routes import blueprint as supervision
    from app.pwa.routes import blueprint as pwa
    from app.account.routes import blueprint as account
    from app.devices.routes import blueprint as devices
    from app.staff.routes import blueprint as staff

    app.register_blueprint(api)
    app.register_blueprint(arrangements)
    app.register_blueprint(audit_trail)
    app.register_blueprint(auth)
    app.register_blueprint(cohort)
    app.register_blueprint(main)
    app.register_blueprint(people)
    app.register_blueprint(plans)
    app.register_blueprint(meetings)
    app.register_blueprint(supervision)
    app.register_blueprint(contacts)
    app.register_blueprint(pwa)
    app.register_blueprint(account)
    app.register_blueprint(staff)
    app.register_blueprint(devices)


def _register_request_hooks(app: Flask) -> None:
    from app import audit, permissions, presenters, scoping
    from app.i18n import LANGUAGE_NAMES, current_language, other_language

    @app.before_request
    def bind_user_scope() -> None:
        scoping.bind(current_user)
        audit.set_actor(current_user.id if current_user.is_authenticated else None)

    app.jinja_env.globals["may"] = permissions.may  # which buttons and links show

    @app.context_processor
    def language_context() -> dict:
        language = current_language()
        target = other_language(language)
        return {
            "page_language": language,
            "switch_language": target,
            "switch_language_name": LANGUAGE_NAMES[target],
            "switch_language_hint": presenters.language_switch_hint(target),
        }


def _register_error_pages(app: Flask) -> None:
    from app.api import errors as api_errors

    def render_error(status: int, title: str, message: str, headers: dict | None = None):
        if api_errors.is_api_request():  # under /api/ every answer is JSON, never a page
            response = api_errors.for_status(status)
            response.headers.extend(headers or {})
            return response
        return render_template("errors/error.html", title=title, message=message), status, headers or {}

    @app.errorhandler(HTTPException)
    def other_http_error(error):
        return api_errors.for_status(error.code) if api_errors.is_api_request() else error

    @app.errorhandler(OperationalError)
    def database_unavailable(_error):
        db.session.rollback()
        # Nobody can be looked up now: answer as to a signed-out visitor, in the device's
        # language, without touching the database again (the session cookie is kept as it is).
        g._login_user = login_manager.anonymous_user()
        if api_errors.is_api_request():
            return api_errors.for_status(503)
        body, _status, _headers = render_error(500, gettext("Something went wrong"), gettext("Nothing you saved on your phone has been lost. Try again in a few minutes."))
        return body, 503, {"Retry-After": str(api_errors.RETRY_AFTER_SECONDS)}

    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        if api_errors.is_api_request():
            return api_errors.csrf_failed()
        return render_error(400, gettext("This form has expired"), gettext("Go back, reload the page and try again."))

    @app.errorhandler(400)
    def bad_request(_error):
        return render_error(400, gettext("That did not work"), gettext("Something in the request was not right. Go back and try again."))

    @app.errorhandler(403)
    def forbidden(_error):
        return render_error(403, gettext("You cannot do that"), gettext("Your account does not allow this action."))

    @app.errorhandler(404)
    def not_found(_error):
        if not current_user.is_authenticated:  # no caseload to go back to: the page offers sign-in
            return render_error(404, gettext("Page not found"), gettext("Check the address, or sign in to Cyswllt."))
        return render_error(404, gettext("Page not found"), gettext("Check the address, or go back to your caseload."))

    @app.errorhandler(405)
    def method_not_allowed(error):
        # The methods the address does take (RFC 9110 §15.5.6), for pages and the API alike.
        allow = {"Allow": ", ".join(error.valid_methods)} if getattr(error, "valid_methods", None) else {}
        return render_error(405, gettext("That did not work"), gettext("This page cannot be used in that way."), allow)

    @app.errorhandler(413)
    def too_large(_error):
        return render_error(413, gettext("Too much to send at once"), gettext("What you sent is too large. Send less at a time."))

    @app.errorhandler(429)
    def too_many(error):
        from app.auth.throttle import retry_after_seconds, wait_message

        seconds = retry_after_seconds(error)
        if api_errors.is_api_request():  # the JSON message names the same wait as Retry-After
            return api_errors.too_many_requests(seconds)
        return render_error(429, gettext("Too many attempts"), wait_message(seconds), {"Retry-After": str(seconds)})

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        return render_error(500, gettext("Something went wrong"), gettext("Nothing you saved on your phone has been lost. Try again in a few minutes."))
