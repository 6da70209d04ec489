"""Static files: content-hashed URLs, precompressed (Brotli and gzip), cached for good.

- ``url_for("static", filename=…)`` gives ``/static/<build>/…``, where ``<build>`` is the
  hash of every file the app is made of (``app.pwa.operations``): a change to any file is a
  new URL, so these answers are ``Cache-Control: public, max-age=31536000, immutable``.
  The modules import each other by relative paths, so they stay under the same prefix
  without a build step that rewrites them.
- At start-up the files are copied once per build into ``instance/static/<build>/`` and
  compressed there by WhiteNoise's own compressor (``whitenoise.compress``); WhiteNoise then
  serves the ``.br`` or ``.gz`` variant the browser accepts, with ``Vary: Accept-Encoding``.
  Nothing is written into the source tree.
- In that copy, and only there, every ``.js`` is minified by ``rjsmin`` and every ``.css`` by
  ``rcssmin`` before it is compressed (comments and spaces cost a phone about a third of the
  first load even after Brotli). Two small minifiers, one maintained author, C-accelerated
  (a copy takes milliseconds): they only take out comments and whitespace, token for token,
  and leave names, strings, regular expressions and template literals (unnested, as ours
  are: ``tests/test_assets.py`` checks) as they are. Not a bundler: the app is plain ES
  modules whose relative imports already work under the content-hashed prefix, and a bundler
  would bring Node to every server and change what the browser runs. The sources in
  ``static/`` are never changed; the service worker (``app.pwa.operations``) is minified
  the same way with its build written in. The copy's folder is named by the build and the
  minifiers' versions, so a copy made otherwise is never taken for this one.
- ``/static/…`` without a build still answers (Flask, revalidated every time), for the
  service worker's own imports and for anything that has kept an old address. These Flask
  routes, and a build other than the one WhiteNoise copied at start-up, serve the sources
  as they are, unminified.
- The app's generated responses that hold no personal data (the shell pages, the service
  worker, the script catalogues, the manifests) are compressed by Flask-Compress
  (``compress.compressed()`` on those views only: pages and API answers that carry a CSRF
  token or personal data are not compressed, so BREACH has nothing to work with).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import rcssmin
import rjsmin
from flask import Flask
from flask_compress import Compress
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STATIC = PROJECT_ROOT / "static"
ONE_YEAR = 365 * 24 * 3600
# Served by its own route with this build written in (app.pwa.routes): never as a plain file.
NOT_SERVED = ("sw.js",)
# Comments and whitespace out of the copy WhiteNoise serves; the copy's folder carries their versions.
MINIFIERS = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}
COPY_FORMAT = f"min-{rjsmin.__version__}-{rcssmin.__version__}"

compress = Compress()


def prefix_for(build: str) -> str:
    return f"/static/{build}"


def init_app(app: Flask, build: str) -> None:
    from app.security.headers import HEADERS

    app.config.setdefault("COMPRESS_REGISTER", False)  # only the views marked compress.compressed()
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIMETYPES", ["text/html", "text/javascript", "application/json",
                                                 "application/manifest+json"])
    compress.init_app(app)

    prefix = prefix_for(build)
    # WhiteNoise (below) answers this build's URLs; Flask answers any other build's (a build
    # made since start-up: a new salt in tests, edited files under a development server).
    app.add_url_rule("/static/<string(length=16):build>/<path:filename>", endpoint="static",
                     view_func=_of_build(app))
    app.add_url_rule("/static/<path:filename>", endpoint="static_unversioned", view_func=_unversioned(app))

    @app.url_defaults
    def _this_build(endpoint, values):
        if endpoint == "static" and "build" not in values:
            from app.pwa.operations import current_build

            values["build"] = current_build().version

    def add_headers(headers, _path, _url):
        for name, value in HEADERS.items():
            headers.setdefault(name, value)

    folder = precompressed(Path(app.instance_path) / "static", build)
    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]  # Flask's documented way to add WSGI middleware
        app.wsgi_app,
        root=str(folder),
        prefix=prefix.lstrip("/") + "/",
        max_age=ONE_YEAR,
        immutable_file_test=lambda _path, _url: True,  # every URL under the prefix names one content
        add_headers_function=add_headers,
    )


def _of_build(app: Flask):
    def serve(build: str, filename: str):
        from app.pwa.operations import current_build

        response = app.send_static_file(filename)
        if build == current_build().version:
            response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"
        return response

    return serve


def _unversioned(app: Flask):
    def serve(filename: str):
        response = app.send_static_file(filename)
        response.headers["Cache-Control"] = "no-cache"
        return response

    return serve


def minified_js(source: str) -> str:
    return rjsmin.jsmin(source)


def precompressed(parent: Path, build: str) -> Path:
    """``parent/<build>-<COPY_FORMAT>``: a copy of static/, its scripts and styles minified, with
    a ``.br`` and ``.gz`` beside each file that compresses. Made once per build; made in a
    temporary folder and renamed into place, so several app servers starting together never
    see half of it."""
    target = parent / f"{build}-{COPY_FORMAT}"
    if target.is_dir():
        return target
    parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{build}-", dir=parent))
    shutil.copytree(STATIC, work, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*NOT_SERVED))
    compressor = Compressor(quiet=True)
    for directory, _dirs, files in os.walk(work):
        for name in files:
            minify = MINIFIERS.get(Path(name).suffix)
            if minify is not None:
                path = Path(directory, name)
                path.write_text(minify(path.read_text(encoding="utf-8")), encoding="utf-8")
            if compressor.should_compress(name):
                compressor.compress(os.path.join(directory, name))
    try:
        work.rename(target)
    except OSError:  # another server finished first: use its copy
        shutil.rmtree(work, ignore_errors=True)
    _forget_older_builds(parent, keep=target)
    return target


def _forget_older_builds(parent: Path, keep: Path, kept: int = 3) -> None:
    builds = sorted((path for path in parent.iterdir() if path.is_dir() and not path.name.startswith(".")),
                    key=lambda path: path.stat().st_mtime, reverse=True)
    for old in [path for path in builds if path != keep][kept - 1:]:
        shutil.rmtree(old, ignore_errors=True)
