"""The password rules (NCSC): long enough, any characters, not common, not the user's own name or email."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.auth.password_policy import (
    MAX_PASSWORD_LENGTH,
    PasswordProblem,
    deny_list,
    password_problems,
    problem_messages,
)

RULES = {"min_length": 12, "email": "sian.howells@powys.example", "name": "Siân Howells"}


def test_the_deny_list_comes_from_a_maintained_package_with_many_thousands_of_entries():
    assert len(deny_list()) >= 10_000
    assert {"password", "123456", "qwerty", "iloveyou"} <= deny_list()
    assert deny_list() is deny_list()  # loaded once


@pytest.mark.parametrize("password", [
    "correct horse battery staple",
    "ceffyl cywir batri styffylwr",
    "Mae hi'n bwrw hen wragedd a ffyn",
    "ŵy ŷ â ê î ô û ẅ ẁ ỳ",  # any characters, Welsh ones included
    "a sixty-four character passphrase is fine: NCSC says no limit<64",  # 64 characters
    "😀 emoji are characters too 😀",
])
def test_a_long_uncommon_password_of_any_characters_is_accepted(password):
    assert password_problems(password, **RULES) == []


def test_a_password_shorter_than_the_minimum_is_refused_and_one_of_exactly_the_minimum_is_not():
    assert password_problems("eleven char", **RULES) == [PasswordProblem.TOO_SHORT]
    assert password_problems("twelve chars", **RULES) == []


def test_a_password_far_beyond_any_need_is_refused():
    assert password_problems("a" * (MAX_PASSWORD_LENGTH + 1), **RULES) == [PasswordProblem.TOO_LONG]
    assert MAX_PASSWORD_LENGTH >= 64


@pytest.mark.parametrize("password", ["password1234", "PASSWORD1234", "Password2024!", "qwertyuiop12", "1234567890123", "aaaaaaaaaaaaaa", "abcdefghijklm!!"])
def test_a_common_or_breached_password_is_refused_whatever_its_case_or_trailing_digits(password):
    assert PasswordProblem.COMMON in password_problems(password, **RULES)


@pytest.mark.parametrize("password", ["sian.howells is me", "my SIAN.HOWELLS password"])
def test_a_password_containing_the_users_email_address_is_refused(password):
    assert PasswordProblem.CONTAINS_EMAIL in password_problems(password, **RULES)


@pytest.mark.parametrize("password", ["howells forever and ever", "sian has a long password", "Siân has a long password"])
def test_a_password_containing_the_users_name_is_refused_with_or_without_accents(password):
    assert PasswordProblem.CONTAINS_NAME in password_problems(password, **RULES)


def test_every_problem_is_said_in_the_readers_language(app):
    with app.test_request_context(), force_locale("cy"):
        welsh = problem_messages("sian", **RULES)
    with app.test_request_context(), force_locale("en"):
        english = problem_messages("sian", **RULES)
    assert english == ["The password must be at least 12 characters long.", "The password cannot contain your name."]
    assert welsh == ["Rhaid i'r cyfrinair fod o leiaf 12 nod o hyd.", "Ni all y cyfrinair gynnwys eich enw."]
