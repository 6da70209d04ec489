"""What the server gives the phone app: shell pages, service worker, manifests, script catalogues."""

import json
import re
from pathlib import Path

import pytest
from babel.support import Translations

from app.pwa import operations
from tests import factories

STATIC = Path(__file__).parent.parent / "static"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")
INLINE_STYLE = re.compile(r"<style\b|\sstyle=")
INLINE_HANDLER = re.compile(r"\son[a-z]+=", re.I)


def build_of(body: str) -> dict:
    return json.loads(re.search(r"\bconst BUILD ?= ?(\{.*?\});", body).group(1))  # the worker is minified


def test_the_service_worker_is_served_from_the_root_never_cached_with_this_builds_version(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.mimetype == "text/javascript"
    build = build_of(response.get_data(as_text=True))
    assert re.fullmatch(r"[0-9a-f]{16}", build["version"])
    assets = f"/static/{build['version']}"
    for url in ("/app/shell/en", "/app/shell/cy", "/i18n/en.json", "/i18n/cy.json",
                "/manifest/en.webmanifest", "/manifest/cy.webmanifest", f"{assets}/css/app.css",
                f"{assets}/js/app.js", f"{assets}/js/sync.js", f"{assets}/icons/icon-512.png"):
        assert url in build["precache"]
    assert "/sw.js" not in build["precache"] and not any(url.startswith("/api/") for url in build["precache"])


def test_a_prepared_app_answers_the_first_phone_without_reading_the_scripts_again(app, client):
    operations.script_messages.cache_clear()
    operations.script_catalogue.cache_clear()
    operations.prepare(app)  # as wsgi.py does before the workers start
    read, made = operations.script_messages.cache_info().misses, operations.script_catalogue.cache_info().misses
    for language in ("cy", "en"):
        assert client.get(f"/i18n/{language}.json").status_code == 200
    assert operations.script_messages.cache_info().misses == read == 1
    assert operations.script_catalogue.cache_info().misses == made == 2


def test_every_precached_url_is_served(client):
    for url in build_of(client.get("/sw.js").get_data(as_text=True))["precache"]:
        with client.get(url) as response:
            assert response.status_code == 200, url


def test_the_version_is_the_same_for_the_same_files_and_changes_with_them(app, client):
    first = build_of(client.get("/sw.js").get_data(as_text=True))["version"]
    assert build_of(client.get("/sw.js").get_data(as_text=True))["version"] == first
    app.config["APP_VERSION_SALT"] = "a new release"
    assert build_of(client.get("/sw.js").get_data(as_text=True))["version"] != first


def test_the_version_covers_the_scripts_the_styles_the_templates_and_the_catalogues():
    inputs = {path.relative_to(operations.PROJECT_ROOT).as_posix() for path in operations._build_files()}
    for expected in ("static/js/app.js", "static/sw.js", "static/css/app.css", "app/templates/pwa/shell.html",
                     "app/translations/cy/LC_MESSAGES/messages.po"):
        assert expected in inputs


@pytest.mark.parametrize(("language", "heading", "switch"), [("en", "Cyswllt", "Cymraeg"), ("cy", "Cyswllt", "English")])
def test_the_shell_in_each_language_holds_no_personal_data_and_no_inline_code(client, officer, signed_in, language, heading, switch):
    factories.person(officer.team, "Rhys Evans")
    signed_in(officer)
    response = client.get(f"/app/shell/{language}")
    page = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-cache"
    assert f'<html lang="{language}"' in page
    assert f'href="/manifest/{language}.webmanifest"' in page
    assert f"<span aria-hidden=\"true\">{switch}</span></a>" in page
    assert "Rhys Evans" not in page and officer.name not in page and "csrf" not in page.lower()
    assert not INLINE_SCRIPT.search(page) and not INLINE_STYLE.search(page) and not INLINE_HANDLER.search(page)


def test_the_shell_preloads_every_module_the_app_imports_at_start_and_none_of_the_later_screens(client):
    page = client.get("/app/shell/en").get_data(as_text=True)
    preloaded = {href.rsplit("/js/", 1)[1] for href in re.findall(r'<link rel="modulepreload" href="([^"]+)"', page)}
    assert {"app.js", "api.js", "store.js", "i18n.js", "home.js", "lock.js", "wipe.js", "dom.js"} <= preloaded
    # What app.js and those import in turn, to the last: nothing is left to a second round trip.
    for module in preloaded:
        source = (STATIC / "js" / module).read_text(encoding="utf-8")
        imported = set(re.findall(r'^\s*import\b[^"\'();]*?"\./([\w.-]+\.js)"', source, re.MULTILINE))
        assert imported <= preloaded, f"{module} imports {imported - preloaded}, which the shell does not preload"
    assert not {"record.js", "arrange.js", "waiting.js", "signout.js", "sent.js"} & preloaded  # loaded when opened


def test_the_app_address_answers_in_the_visitors_language_without_signing_in(client):
    response = client.get("/app", headers={"Accept-Language": "cy"})
    assert response.status_code == 200
    assert '<html lang="cy"' in response.get_data(as_text=True)
    assert {"Cookie", "Accept-Language"} <= set(response.vary)
    assert client.get("/app/shell/fr").status_code == 404


def test_the_server_pages_carry_the_manifest_and_no_inline_code(client, officer, signed_in):
    person = factories.person(officer.team)
    signed_in(officer)
    for url in ("/", f"/people/{person.id}", "/contacts/new"):
        page = client.get(url).get_data(as_text=True)
        assert 'rel="manifest" href="/manifest/en.webmanifest"' in page, url
        assert not INLINE_SCRIPT.search(page) and not INLINE_STYLE.search(page) and not INLINE_HANDLER.search(page), url


def test_the_welsh_manifest_describes_the_app_in_welsh_and_makes_it_installable(client):
    response = client.get("/manifest/cy.webmanifest")
    manifest = response.get_json(force=True)
    assert response.mimetype == "application/manifest+json"
    assert manifest["lang"] == "cy" and "yn Gymraeg neu'n Saesneg" in manifest["description"]
    assert manifest["start_url"] == "/app" and manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1d5b3a"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as served:
            assert served.status_code == 200


def test_the_welsh_script_catalogue_has_the_apps_messages_with_all_six_plural_forms(client):
    catalogue = client.get("/i18n/cy.json").get_json()
    messages = catalogue["messages"]
    assert messages["Saved on this phone — waiting to send"] == "Wedi'i gadw ar y ffôn hwn — yn aros i'w anfon"
    assert messages["%(num)d record is waiting to send."][2] == "Mae %(num)d gofnod yn aros i'w hanfon."
    assert len(messages["Short by %(num)d contact"]) == 6
    assert messages["time of a contact\u0004Now"] == "Nawr"
    assert "Email address" not in messages  # only what the scripts use
    assert catalogue["dates"]["months_short"][10] == "Tach" and catalogue["dates"]["days"][0] == "Dydd Llun"


def test_the_english_script_catalogue_leaves_out_every_message_said_as_written(client):
    # i18n.js says a message that is not in the catalogue as its msgid (tests/js/i18n.test.mjs), so the
    # phone shows the English text (tests/browser/test_app.py) with none of it sent twice.
    catalogue = client.get("/i18n/en.json").get_json()
    messages = catalogue["messages"]
    assert "Saved on this phone — waiting to send" not in messages
    assert "%(num)d record is waiting to send." not in messages
    assert "time of a contact\u0004Now" not in messages
    for context, message in operations.script_messages():
        singular = message if isinstance(message, str) else message[0]
        assert (f"{context}\u0004{singular}" if context else singular) not in messages, message
    assert catalogue["dates"]["months"][10] == "November" and catalogue["dates"]["days"][0] == "Monday"


def test_the_welsh_script_catalogue_has_every_message_whose_welsh_differs(client):
    messages = client.get("/i18n/cy.json").get_json()["messages"]
    welsh = Translations.load(str(operations.TRANSLATIONS), ["cy"])
    for context, message in operations.script_messages():
        if isinstance(message, str):
            said = welsh.pgettext(context, message) if context else welsh.gettext(message)
            key = f"{context}\u0004{message}" if context else message
            assert messages.get(key, message) == said, message
            assert (key in messages) == (said != message), message
        else:
            forms = [welsh.ngettext(message[0], message[1], n) for n in (0, 1, 2, 3, 6, 7)]
            assert messages[message[0]] == [forms[0], forms[1], forms[2], forms[3], forms[4], forms[5]], message


def test_every_string_the_scripts_mark_reaches_their_catalogue():
    marked = set()
    for path in (STATIC / "js").glob("*.js"):
        marked.update(re.findall(r'(?<![\w.])_\("((?:[^"\\]|\\.)*)"', path.read_text(encoding="utf-8")))
    extracted = {message if isinstance(message, str) else message[0] for _context, message in operations.script_messages()}
    assert marked and marked <= extracted


def test_static_files_have_content_hashed_urls_cached_for_good_and_arrive_compressed(client):
    source = client.get("/sw.js").get_data(as_text=True)
    build = build_of(source)
    assert re.search(f'from ?"/static/{build["version"]}/js/sync.js"', source)  # the worker imports the same modules
    page = client.get("/app/shell/en").get_data(as_text=True)
    script = f"/static/{build['version']}/js/app.js"
    assert f'src="{script}"' in page
    for encoding in ("br", "gzip"):
        with client.get(script, headers={"Accept-Encoding": encoding}) as response:
            assert response.status_code == 200 and response.headers["Content-Encoding"] == encoding
            assert "immutable" in response.headers["Cache-Control"]
            assert "Accept-Encoding" in response.headers["Vary"]
            assert response.headers["X-Content-Type-Options"] == "nosniff"
    with client.get(script) as plain:
        assert "Content-Encoding" not in plain.headers and b"import" in plain.get_data()


def test_the_shell_and_its_catalogue_arrive_compressed(client):
    for url in ("/app/shell/en", "/i18n/cy.json", "/sw.js"):
        response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
        assert response.headers["Content-Encoding"] == "br", url
