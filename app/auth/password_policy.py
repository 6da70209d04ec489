"""The password rules (NCSC guidance): the one place that decides whether a password may be set.

Whoever sets a password calls ``password_problems``: the one-time link's form, the own-page
change and ``flask create-user``. The rules:

- at least ``MIN_PASSWORD_LENGTH`` characters (12 by default), at most ``MAX_PASSWORD_LENGTH``
  (well above NCSC's "no limit below 64"); any characters, spaces and Welsh letters included;
- not a common or breached password: the 30,000 most common passwords that ``zxcvbn`` ships
  (``zxcvbn.frequency_lists``, from breach corpora; loaded once), compared without case, and
  also with trailing digits and symbols taken off ("Password2024!" is "password"); and one
  character repeated or a straight run ("1234567890123", "aaaaaaaaaaaa");
- not containing the user's email address (its local part) or a part of their name
  (compared without case or accents, so "sian" is in "Siân").

No composition rules (a capital, a digit, a symbol) and no expiry: NCSC advises against both.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from functools import cache

from flask_babel import lazy_gettext as _l

MAX_PASSWORD_LENGTH = 256
# Parts of a name or email shorter than this are too common inside words to refuse.
SHORTEST_PERSONAL_PART = 3
_TRAILING_DIGITS_AND_SYMBOLS = re.compile(r"[\W\d_]+$")
_WORD_SEPARATORS = re.compile(r"[\W_]+")


class PasswordProblem(enum.StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    COMMON = "common"
    CONTAINS_EMAIL = "contains_email"
    CONTAINS_NAME = "contains_name"


@cache
def deny_list() -> frozenset[str]:
    """Common and breached passwords, lower case (loaded once, on first use)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.casefold() for word in FREQUENCY_LISTS["passwords"])


def _plain(text: str) -> str:
    """Lower case without accents, for comparing names: "Siân" → "sian"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


_RUNS = ("0123456789" * 30, "9876543210" * 30, "abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba")


def _is_run(text: str) -> bool:
    """One character repeated, or a straight run such as 1234567890123 or abcdefghijkl."""
    return len(set(text)) == 1 or any(text in run for run in _RUNS)


def is_common(password: str) -> bool:
    words = deny_list()
    folded = password.casefold().strip()
    core = _TRAILING_DIGITS_AND_SYMBOLS.sub("", folded)
    return folded in words or core in words or _is_run(folded) or (bool(core) and _is_run(core) and len(core) >= 4)


def _name_parts(name: str) -> list[str]:
    return [part for part in _WORD_SEPARATORS.split(_plain(name)) if len(part) >= SHORTEST_PERSONAL_PART]


def password_problems(password: str, *, min_length: int, email: str = "", name: str = "") -> list[PasswordProblem]:
    """Every rule the password breaks (empty when it may be used)."""
    problems = []
    if len(password) < min_length:
        problems.append(PasswordProblem.TOO_SHORT)
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(PasswordProblem.TOO_LONG)
        return problems  # nothing more to say about a password that cannot be kept
    if is_common(password):
        problems.append(PasswordProblem.COMMON)
    plain = _plain(password)
    local_part = _plain(email.split("@")[0]) if email else ""
    if len(local_part) >= SHORTEST_PERSONAL_PART and local_part in plain:
        problems.append(PasswordProblem.CONTAINS_EMAIL)
    elif any(part in plain for part in _name_parts(name) + _name_parts(local_part)):
        problems.append(PasswordProblem.CONTAINS_NAME)
    return problems


MESSAGES = {
    PasswordProblem.COMMON: _l(
        "This password is too common: it is on a list of passwords that have been leaked or guessed. "
        "Choose another, such as three random words."
    ),
    PasswordProblem.CONTAINS_EMAIL: _l("The password cannot contain your email address."),
    PasswordProblem.CONTAINS_NAME: _l("The password cannot contain your name."),
}


def problem_message(problem: PasswordProblem, *, min_length: int) -> str:
    """What to tell the person, in their language (English outside a request)."""
    from flask_babel import ngettext

    if problem is PasswordProblem.TOO_SHORT:
        return ngettext("The password must be at least %(num)d character long.",
                        "The password must be at least %(num)d characters long.", min_length)
    if problem is PasswordProblem.TOO_LONG:
        return ngettext("The password must be %(num)d character or fewer.",
                        "The password must be %(num)d characters or fewer.", MAX_PASSWORD_LENGTH)
    return str(MESSAGES[problem])


def problem_messages(password: str, *, min_length: int, email: str = "", name: str = "") -> list[str]:
    return [problem_message(problem, min_length=min_length)
            for problem in password_problems(password, min_length=min_length, email=email, name=name)]
