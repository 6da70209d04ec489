"""What the phone app needs from the server to work offline.

- the build: one version string, a hash of every file the offline app is made of, and
  the list of URLs the service worker precaches for both languages;
- the JavaScript catalogues: only the messages the app's scripts mark, taken from the
  compiled catalogues, with the date names from Babel (some browsers' Intl has no Welsh);
- the web app manifest for a language.

Nothing here reads personal data: everything it makes may be cached on a phone.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from babel import Locale
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.support import Translations
from flask import current_app

from app import assets, presenters
from app.i18n import BABEL_LOCALES

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
STATIC = PROJECT_ROOT / "static"
SCRIPTS = STATIC / "js"
TEMPLATES = PROJECT_ROOT / "app" / "templates"
TRANSLATIONS = PROJECT_ROOT / "app" / "translations"

# The files that make the app: a change to any of them is a new version.
_BUILD_INPUTS = (STATIC, TEMPLATES, TRANSLATIONS)
_BUILD_SUFFIXES = (".js", ".css", ".svg", ".png", ".html", ".po")
# Static files that the offline app does not need (the service worker is fetched apart).
_NOT_PRECACHED = ("sw.js",)

THEME_COLOUR = "#1d5b3a"
BACKGROUND_COLOUR = "#ffffff"


@dataclass(frozen=True)
class Build:
    version: str
    precache: tuple[str, ...]
    eager_modules: tuple[str, ...] = ()  # what the shell preloads: the app's static imports (static_imports)


# `import … from "./x.js"`, `import "./x.js"` and `export … from "./x.js"`; never `import("./x.js")`.
_STATIC_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^"'();]*?["'](\./[\w./-]+\.js)["']""", re.MULTILINE)


def static_imports(entry: str) -> tuple[str, ...]:
    """Every module ``entry`` (a path under static/) loads before it runs, itself included.

    The shell names them all with ``<link rel="modulepreload">``, so that a phone fetches them at
    once instead of one level of imports per round trip. Hand-written: the app is plain ES modules
    with no bundler, and these few lines read the same relative imports the browser follows;
    the screens loaded later (``import()``) are left for then.
    """
    found: list[str] = []
    waiting = [entry]
    while waiting:
        module = waiting.pop()
        if module in found:
            continue
        found.append(module)
        folder = PurePosixPath(module).parent
        source = (STATIC / module).read_text(encoding="utf-8")
        waiting.extend(posixpath.normpath(str(folder / target)) for target in _STATIC_IMPORT.findall(source))
    return tuple(sorted(found))


def _build_files() -> list[Path]:
    files: list[Path] = []
    for root in _BUILD_INPUTS:
        files.extend(path for path in root.rglob("*") if path.is_file() and path.suffix in _BUILD_SUFFIXES)
    return sorted(files)


def _static_assets(prefix: str) -> list[str]:
    """Under the build's own prefix (``app.assets``): the content-hashed, immutable URLs."""
    assets = []
    for path in sorted(STATIC.rglob("*")):
        if path.is_file() and path.name not in _NOT_PRECACHED and path.suffix in _BUILD_SUFFIXES:
            assets.append(f"{prefix}/" + path.relative_to(STATIC).as_posix())
    return assets


def language_urls(language: str) -> list[str]:
    """The offline app in one language: its shell, its catalogue and its manifest."""
    return [f"/app/shell/{language}", f"/i18n/{language}.json", f"/manifest/{language}.webmanifest"]


@lru_cache(maxsize=1)
def _build_from_files(languages: tuple[str, ...], salt: str) -> Build:
    digest = hashlib.sha256(salt.encode())
    for path in _build_files():
        digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    version = digest.hexdigest()[:16]
    precache = [url for language in languages for url in language_urls(language)]
    precache += _static_assets(assets.prefix_for(version))
    return Build(version=version, precache=tuple(precache), eager_modules=static_imports("js/app.js"))


def build_for(languages: tuple[str, ...], salt: str) -> Build:
    """The build made of the files as they are now (also before an app exists)."""
    return _build_from_files(tuple(languages), salt)


def current_build() -> Build:
    """The version is the same on every app server that has the same files."""
    config = current_app.config
    if current_app.debug:  # files change under a development server: look again each time
        _build_from_files.cache_clear()
        script_messages.cache_clear()
        script_catalogue.cache_clear()
    return _build_from_files(tuple(config["LANGUAGES"]), config.get("APP_VERSION_SALT", ""))


def prepare(app) -> None:
    """Build, before the first request, what the phone app's first requests would otherwise wait
    for: the build's version and precache list, and each language's script catalogue (every
    script read for its messages: about 120 ms of CPU). ``wsgi.py`` calls it before gunicorn
    forks its workers, so they all start with it."""
    with app.app_context():
        current_build()
        for language in app.config["LANGUAGES"]:
            script_catalogue(language)


def service_worker_source() -> str:
    """static/sw.js with this build's version and precache list in place of the placeholder,
    minified like the build's other scripts (``app.assets``)."""
    build = current_build()
    source = (STATIC / "sw.js").read_text(encoding="utf-8")
    placeholder = 'const BUILD = { version: "development", precache: [] };'
    if placeholder not in source:
        raise RuntimeError("static/sw.js has lost its BUILD placeholder")
    value = json.dumps({"version": build.version, "precache": list(build.precache)}, separators=(",", ":"))
    source = source.replace(placeholder, f"const BUILD = {value};", 1)
    # Its imports from this build's immutable URLs, the same modules the pages load.
    source = source.replace('from "/static/js/', f'from "{assets.prefix_for(build.version)}/js/')
    return assets.minified_js(source)


# (context, msgid), or (context, (singular, plural)) for an ngettext.
ScriptMessage = tuple[str | None, str | tuple[str, ...]]


@lru_cache(maxsize=1)
def script_messages() -> tuple[ScriptMessage, ...]:
    """Every (context, msgid) the app's scripts mark, in the order first found."""
    found: dict[ScriptMessage, None] = {}
    for path in sorted(SCRIPTS.rglob("*.js")):
        for _line, message, _comments, context in extract_from_file(
            "javascript", str(path), keywords=DEFAULT_KEYWORDS
        ):
            found.setdefault((context, message), None)
    return tuple(found)


def _message_key(context: str | None, msgid: str) -> str:
    return f"{context}\x04{msgid}" if context else msgid


def _plurals_like_english(translations) -> bool:
    """Whether the catalogue's plural rule is English's (form 0 for one, form 1 for the rest),
    the rule ``static/js/i18n.js`` follows when a count is not in the catalogue."""
    plural = getattr(translations, "plural", None)
    return plural is not None and all(plural(n) == (0 if n == 1 else 1) for n in range(1000))


@lru_cache(maxsize=4)
def script_catalogue(language: str) -> dict:
    """The messages the scripts use, translated, plus what dates need in this language.

    Only what the phone needs: a message the scripts would say as it is anyway is left out,
    since ``static/js/i18n.js`` falls back to the msgid (and, for a count, to the msgid for one
    and the msgid_plural for the rest). In English that is nearly every message; a Welsh one is
    there whenever its translation differs.
    """
    translations = Translations.load(str(TRANSLATIONS), [language])
    catalogue = getattr(translations, "_catalog", {})
    english_plurals = _plurals_like_english(translations)
    messages: dict[str, str | list[str]] = {}
    for context, message in script_messages():
        if isinstance(message, tuple):
            singular, plural = message[0], message[1]
            key = _message_key(context, singular)
            forms = []
            index = 0
            while (key, index) in catalogue:
                forms.append(catalogue[(key, index)])
                index += 1
            if forms and all(forms) and not (english_plurals and forms == [singular, plural]):
                messages[key] = forms
        else:
            key = _message_key(context, message)
            translated = catalogue.get(key)
            if translated and translated != message:
                messages[key] = translated
    locale = Locale.parse(BABEL_LOCALES[language])
    days = [locale.days["format"]["wide"][day] for day in range(7)]  # Monday first
    return {
        "language": language,
        "messages": messages,
        "dates": {
            "months": [locale.months["format"]["wide"][month] for month in range(1, 13)],
            "months_short": [locale.months["format"]["abbreviated"][month] for month in range(1, 13)],
            "days": days,
            # Inside a sentence, as presenters.full_date_in_sentence writes it ("ddydd Llun" in Welsh).
            "days_in_sentence": [_day_in_sentence(language, day) for day in days],
            "days_short": [locale.days["format"]["abbreviated"][day] for day in range(7)],
            "patterns": {
                "full_date": presenters.FULL_DATE,
                "full_date_in_sentence": presenters.FULL_DATE,
                "short_date": presenters.SHORT_DATE,
                "date_time": presenters.DATE_TIME,
                "recent_time": presenters.RECENT_TIME,
            },
        },
    }


def _day_in_sentence(language: str, day: str) -> str:
    return "ddydd " + day[len("Dydd "):] if language == "cy" and day.startswith("Dydd ") else day


def manifest(language: str, name: str, description: str) -> dict:
    return {
        "id": "/app",
        "name": name,
        "short_name": name,
        "description": description,
        "lang": language,
        "dir": "ltr",
        "start_url": "/app",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": "/static/icons/icon-maskable-512.png", "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
            {"src": "/static/icons/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
    }
