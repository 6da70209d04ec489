"""The language switch, the remembered choice and the browser's own language."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import Language, User
from tests.conftest import csrf_token_from


def test_the_sign_in_page_offers_cymraeg_in_welsh_with_its_language_marked(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert re.search(r'<a class="language-switch" href="/language/cy\?next=/login"\s+lang="cy" hreflang="cy">'
                     r'<span class="visually-hidden">Newid yr iaith i(?:&#39;|\')r Gymraeg </span><span aria-hidden="true">Cymraeg</span></a>',
                     page)


def test_choosing_cymraeg_before_sign_in_is_remembered_on_the_device(client):
    response = client.get("/language/cy?next=/login")
    assert response.location == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="cy">' in page
    assert "Mewngofnodi" in page
    assert '<span class="visually-hidden">Change the language to English </span><span aria-hidden="true">English</span></a>' in page


def test_the_switch_keeps_the_query_string_of_the_page(client, officer, signed_in):
    signed_in(officer)
    page = client.get("/?week=2026-11-16").get_data(as_text=True)
    assert 'href="/language/cy?next=/?week%3D2026-11-16"' in page
    assert client.get("/language/cy?next=/?week%3D2026-11-16").location == "/?week=2026-11-16"


def test_the_browsers_language_is_used_when_nothing_was_chosen(client):
    page = client.get("/login", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert "Cyfeiriad e-bost" in page


def test_a_choice_made_on_the_device_beats_the_browsers_language(client):
    client.get("/language/en?next=/login")
    page = client.get("/login", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    assert '<html lang="en">' in page


def test_a_signed_in_users_choice_is_kept_on_their_profile(client, officer, signed_in):
    signed_in(officer)
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<form hidden method="post" action="/language/cy\?next=/"', page)
    response = client.post("/language/cy?next=/", data={"csrf_token": csrf_token_from(client, "/")})
    assert response.location == "/"
    db.session.expire_all()
    assert db.session.get(User, officer.id).language == Language.WELSH
    other_device = type(client)(client.application, client.response_wrapper, use_cookies=True)
    signed_in(officer, other_device)
    assert '<html lang="cy">' in other_device.get("/").get_data(as_text=True)


def test_the_profile_beats_the_device_once_signed_in(client, team, signed_in):
    from tests import factories

    reader = factories.user(team, "darllenydd@powys.example", language="cy")
    client.set_cookie("lang", "en")  # the device's language, not a choice made just now
    signed_in(reader)
    assert '<html lang="cy">' in client.get("/").get_data(as_text=True)


def test_an_unknown_language_changes_nothing(client):
    response = client.get("/language/fr?next=/login")
    assert response.location == "/login"
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


def test_the_language_switch_never_redirects_off_the_site(client):
    assert client.get("/language/cy?next=https://evil.example/").location == "/"
    assert client.get("/language/cy?next=//evil.example/").location == "/"


def test_sign_in_errors_are_in_welsh(client):
    client.get("/language/cy")
    token = csrf_token_from(client)
    page = client.post("/login", data={"csrf_token": token}).get_data(as_text=True)
    assert "Rhowch eich cyfeiriad e-bost." in page
    assert "Rhowch eich cyfrinair." in page


def test_cymraeg_chosen_on_the_sign_in_page_is_kept_on_the_profile_so_nobody_asks_twice(client, officer, signed_in):
    client.get("/language/cy?next=/login")
    signed_in(officer)
    assert '<html lang="cy">' in client.get("/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, officer.id).language == Language.WELSH
    other_device = type(client)(client.application, client.response_wrapper, use_cookies=True)
    signed_in(officer, other_device)
    assert '<html lang="cy">' in other_device.get("/").get_data(as_text=True)


def test_an_old_choice_on_a_shared_device_does_not_change_the_next_officers_profile(client, officer, signed_in):
    client.set_cookie("lang", "cy")  # remembered from an earlier browser session: no fresh choice
    signed_in(officer)
    db.session.expire_all()
    assert db.session.get(User, officer.id).language == Language.ENGLISH
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_the_choice_is_copied_once(client, officer, signed_in):
    client.get("/language/cy?next=/login")
    signed_in(officer)
    assert client.get_cookie("lang_chosen") is None


def test_a_link_from_another_site_changes_the_device_but_never_the_profile(client, officer, signed_in):
    signed_in(officer)
    response = client.get("/language/cy?next=/", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.location == "/"
    db.session.expire_all()
    assert db.session.get(User, officer.id).language == Language.ENGLISH
    # This browser shows Welsh for now (a device choice), and a new sign-in elsewhere English.
    assert '<html lang="cy">' in client.get("/").get_data(as_text=True)
    other_device = type(client)(client.application, client.response_wrapper, use_cookies=True)
    signed_in(officer, other_device)
    assert '<html lang="en">' in other_device.get("/").get_data(as_text=True)


def test_changing_the_profile_language_needs_the_csrf_token(client, officer, signed_in):
    signed_in(officer)
    assert client.post("/language/cy?next=/").status_code == 400
    db.session.expire_all()
    assert db.session.get(User, officer.id).language == Language.ENGLISH
