"""Welsh and English: the switch, the remembered choice, the catalogue, plurals, sorting."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

from app.collation import welsh_sort_key
from app.extensions import db
from app.models import Language, User
from tests import factories

CATALOGUE = Path(__file__).parent.parent / "app" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
SIX_FORMS = "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
TAG = re.compile(r"</?\w+[^>]*>")


def welsh_catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="cy")


def test_the_sign_in_page_offers_cymraeg_in_welsh_with_its_language_marked(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert re.search(r'<a class="language-switch" href="/language/cy\?next=/login"\s+lang="cy" hreflang="cy">Cymraeg</a>', page)


def test_choosing_cymraeg_before_sign_in_is_remembered_on_the_device(client):
    response = client.get("/language/cy?next=/login")
    assert response.location == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="cy">' in page
    assert "Mewngofnodi" in page
    assert ">English</a>" in page


def test_the_browsers_language_is_used_when_nothing_was_chosen(client):
    page = client.get("/login", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert "Cyfeiriad e-bost" in page


def test_a_signed_in_users_choice_is_kept_on_their_profile(client, officer, signed_in):
    signed_in(officer)
    client.get("/language/cy?next=/")
    db.session.expire_all()
    assert db.session.get(User, officer.id).language == Language.WELSH
    other_device = type(client)(client.application, client.response_wrapper, use_cookies=True)
    signed_in(officer, other_device)
    assert '<html lang="cy">' in other_device.get("/").get_data(as_text=True)


def test_the_language_switch_never_redirects_off_the_site(client):
    assert client.get("/language/cy?next=https://evil.example/").location == "/"


def test_sign_in_errors_are_in_welsh(client):
    from tests.conftest import csrf_token_from

    client.get("/language/cy")
    token = csrf_token_from(client)
    page = client.post("/login", data={"csrf_token": token}).get_data(as_text=True)
    assert "Rhowch eich cyfeiriad e-bost." in page
    assert "Rhowch eich cyfrinair." in page


def test_the_welsh_catalogue_declares_all_six_plural_forms():
    catalogue = welsh_catalogue()
    assert catalogue.plural_forms == SIX_FORMS
    assert catalogue.num_plurals == 6


def test_every_message_is_translated_and_none_is_fuzzy():
    problems = []
    for message in welsh_catalogue():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
        if isinstance(message.id, tuple) and len(strings) != 6:
            problems.append(message.id)
    assert problems == []


def test_placeholders_and_tags_match_between_english_and_welsh():
    problems = []
    for message in welsh_catalogue():
        if not message.id:
            continue
        source = message.id[-1] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for translation in strings:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
                problems.append((source, translation))
            if sorted(TAG.findall(source)) != sorted(TAG.findall(translation)):
                problems.append((source, translation))
    assert problems == []


@pytest.mark.parametrize(
    ("count", "welsh"),
    [(0, "0 cyswllt yn brin"), (1, "1 cyswllt yn brin"), (2, "2 gyswllt yn brin"), (3, "3 chyswllt yn brin"),
     (6, "6 chyswllt yn brin"), (7, "7 cyswllt yn brin"), (11, "11 cyswllt yn brin")],
)
def test_welsh_counts_use_the_right_plural_form(app, count, welsh):
    with app.test_request_context(), force_locale("cy"):
        assert ngettext("Short by %(num)d contact", "Short by %(num)d contacts", count) == welsh


def test_in_welsh_order_llew_comes_after_lowri_and_ch_after_c():
    names = ["Llew", "Lowri", "Lewis", "Chris", "Cai", "Dafydd", "Ddraig"]
    assert sorted(names, key=welsh_sort_key) == ["Cai", "Chris", "Dafydd", "Ddraig", "Lewis", "Lowri", "Llew"]


def test_the_caseload_sorts_names_in_welsh_order_for_welsh_readers(app, client, team, signed_in):
    from datetime import datetime, timezone

    app.config["FIXED_NOW"] = datetime(2026, 11, 18, 12, tzinfo=timezone.utc)
    reader = factories.user(team, "darllenydd@powys.example", language="cy")
    for name in ("Llew Jones", "Lowri Evans", "Lewis Price"):
        factories.person(team, name)
    page = signed_in(reader).get("/").get_data(as_text=True)
    order = re.findall(r'class="caseload__name"[^>]*>([^<]+)<', page)
    assert order == ["Lewis Price", "Lowri Evans", "Llew Jones"]


def test_the_catalogues_are_up_to_date_with_the_source(tmp_path):
    """Extract afresh and compare: a marked string missing from the catalogue fails here."""
    import subprocess
    import sys

    from babel.messages.pofile import read_po as read

    root = Path(__file__).parent.parent
    template = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "lazy_ngettext:1,2", "--no-location", "-o", str(template), "."],
        cwd=root, check=True, capture_output=True,
    )
    with template.open("rb") as handle:
        source = {(message.context, message.id) for message in read(handle) if message.id}
    for language in ("cy", "en"):
        path = root / "app" / "translations" / language / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalogue = {(message.context, message.id) for message in read(handle, locale=language) if message.id}
        assert source - catalogue == set(), f"run `make update` and translate: missing from {language}"
        assert catalogue - source == set(), f"run `make update`: obsolete entries in {language}"
