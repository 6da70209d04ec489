"""The phone app: its shell pages, service worker, manifests and script catalogues.

None of these responses holds personal data, so the service worker may cache them;
the caseload and the outbox live in the phone's IndexedDB, fed by the JSON API.
"""

from flask import Blueprint, Response, abort, current_app, jsonify, render_template
from flask_babel import force_locale, gettext

from app.assets import compress
from app.i18n import BABEL_LOCALES, current_language
from app.pwa import operations

blueprint = Blueprint("pwa", __name__)


def _no_cache(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-cache"
    return response


def _language_or_404(language: str) -> str:
    if language not in current_app.config["LANGUAGES"]:
        abort(404)
    return language


def _render_shell(language: str) -> Response:
    build = operations.current_build()
    page = render_template("pwa/shell.html", language=language, version=build.version,
                           eager_modules=build.eager_modules)
    response = Response(page, mimetype="text/html")
    response.headers["Content-Language"] = language
    return _no_cache(response)


@blueprint.route("/app")
@compress.compressed()
def shell():
    """The app in the request's language (the service worker answers this offline)."""
    response = _render_shell(current_language())
    response.vary.update(("Cookie", "Accept-Language"))
    return response


@blueprint.route("/app/shell/<language>")
@compress.compressed()
def shell_in(language: str):
    """The app in one language: the service worker precaches one for each."""
    language = _language_or_404(language)
    with force_locale(BABEL_LOCALES[language]):
        return _render_shell(language)


@blueprint.route("/sw.js")
@compress.compressed()
def service_worker():
    response = Response(operations.service_worker_source(), mimetype="text/javascript")
    return _no_cache(response)


@blueprint.route("/i18n/<language>.json")
@compress.compressed()
def script_catalogue(language: str):
    language = _language_or_404(language)
    return _no_cache(jsonify(operations.script_catalogue(language)))


@blueprint.route("/manifest/<language>.webmanifest")
@compress.compressed()
def manifest(language: str):
    language = _language_or_404(language)
    with force_locale(BABEL_LOCALES[language]):
        body = operations.manifest(
            language,
            name=gettext("Cyswllt"),
            description=gettext("Record contacts with people on IOM in seconds, with or without signal, in Welsh or English."),
        )
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    return _no_cache(response)
