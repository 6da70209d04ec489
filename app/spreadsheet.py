"""The one rule for a cell a spreadsheet might run as a formula (OWASP "CSV injection").

A cell is made text with a leading apostrophe when it starts with a tab or a carriage
return, or when its first visible character is = + - @ or one of their fullwidth or small
forms (＝ ＋ － ＠ ﹦ ﹢ ﹣): spreadsheets skip leading spaces, non-breaking and zero-width
spaces before reading a formula, and some read the fullwidth signs as the ASCII ones.
Every CSV the app writes goes through ``neutralise`` (supervision/exports.py,
audit_trail/operations.py).
"""

from __future__ import annotations

FORMULA_SIGNS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63")
ALWAYS = ("\t", "\r")
# Not white space to str.isspace(), but invisible all the same.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e")


def _first_visible(text: str) -> str:
    for character in text:
        if not (character.isspace() or character in ZERO_WIDTH):
            return character
    return ""


def runs_as_formula(text: str) -> bool:
    return text.startswith(ALWAYS) or _first_visible(text) in FORMULA_SIGNS


def neutralise(text: str) -> str:
    """The text, shown by a spreadsheet as text and never run."""
    return "'" + text if runs_as_formula(text) else text
