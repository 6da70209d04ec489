"""Bad input, generated: no form or endpoint answers with a server error, and every refusal
says what is wrong in the person's own language.

Examples are few (CI runs the suite twice on two cores); Hypothesis keeps the ones that
failed in .hypothesis/ and tries them first next time.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.conftest import CSRF_FIELD
from tests.trust.conftest import page_error_messages, speaks

FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Any text a person or a script could send, awkward characters included (NUL, RTL marks,
# combining accents, Welsh letters, emoji), but not lone surrogates, which cannot be encoded.
any_text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=80),
    st.sampled_from(["", " ", "\x00", "a\x00b@powys.example", "ŵŷâ@powys.example", "\u202eevil", "%00", "' OR 1=1 --",
                     "<script>x()</script>", "x" * 1200, "officer@powys.example", "9999-12-31", "0001-01-01",
                     "2026-02-30", "-1", "99999999999999999999"]),
)
languages = st.sampled_from(["en", "cy"])


def refused_properly(response, language: str) -> list[str]:
    """The problems with a refusal, or [] when it is a clear one in the right language."""
    if response.status_code >= 500:
        return [f"server error {response.status_code}"]
    if response.status_code < 400:
        return []
    messages = page_error_messages(response.get_data(as_text=True))
    if not messages:
        return ["a refusal that says nothing"]
    return [f"not a {language} sentence of the app: {message!r}" for message in messages
            if not speaks(language, message)]


@FEW
@given(email=any_text, password=any_text, language=languages)
def test_whatever_is_typed_into_sign_in_the_answer_is_clear_and_in_the_visitors_language(
    app, officer, email, password, language
):
    client = app.test_client()
    client.set_cookie("lang", language)
    token = CSRF_FIELD.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert refused_properly(response, language) == []


@FEW
@given(team=any_text, person=any_text, start=any_text, end=any_text, language=languages)
def test_whatever_is_put_into_the_audit_export_the_answer_is_clear_and_in_the_users_language(
    app, world, team, person, start, end, language
):
    client = app.test_client()
    admin = {"en": world.admin, "cy": welsh_admin(world)}[language]
    token = CSRF_FIELD.search(client.get("/login").get_data(as_text=True)).group(1)
    assert client.post("/login", data={"email": admin.email, "password": factories.PASSWORD,
                                       "csrf_token": token}).status_code == 302
    response = client.get("/audit/export", query_string={"team": team, "person": person, "start": start, "end": end})
    assert refused_properly(response, language) == []


def welsh_admin(world):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import User

    existing = db.session.scalar(select(User).where(User.email == "gweinyddwr@powys.example"))
    return existing or factories.user(world.team, "gweinyddwr@powys.example", role="admin", language="cy")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_nul_character_is_refused_with_a_clear_message_not_a_server_error(client, officer, language):
    """PostgreSQL cannot store U+0000; without the guard this was a 500 on PostgreSQL."""
    client.set_cookie("lang", language)
    token = CSRF_FIELD.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"email": "a\x00b@powys.example", "password": "x", "csrf_token": token})
    assert response.status_code == 400
    assert refused_properly(response, language) == []


def test_dates_at_the_ends_of_the_calendar_are_refused_clearly(client, world, signed_in):
    signed_in(world.admin)
    for day in ("9999-12-31", "0001-01-01"):
        response = client.get("/audit/export", query_string={"team": world.team.id, "end": day})
        assert response.status_code == 400
        assert page_error_messages(response.get_data(as_text=True)) == ["Enter a date between 2000 and 2099."]


def test_the_language_check_itself_tells_english_from_welsh():
    assert speaks("en", "The email address or password is not right.")
    assert not speaks("cy", "The email address or password is not right.")
    assert speaks("cy", "Rhowch eich cyfrinair.")
    assert speaks("cy", "Cawsoch eich allgofnodi ar ôl 30 munud heb weithgarwch. Mewngofnodwch eto i barhau.")
    assert not speaks("en", "Some text the app never says.")
