"""Sorting names the way each language's readers expect.

In the Welsh alphabet ch, dd, ff, ng, ll, ph, rh and th are single letters, each
sorting after its first character's letter: "Llew" comes after "Lowri".
"""

from __future__ import annotations

import unicodedata

WELSH_ALPHABET = (
    "a", "b", "c", "ch", "d", "dd", "e", "f", "ff", "g", "ng", "h", "i", "j", "l", "ll",
    "m", "n", "o", "p", "ph", "r", "rh", "s", "t", "th", "u", "w", "y",
)
_WELSH_RANK = {letter: rank for rank, letter in enumerate(WELSH_ALPHABET)}
_DIGRAPHS = frozenset(letter for letter in WELSH_ALPHABET if len(letter) == 2)


def _base_letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def welsh_letters(text: str) -> list[str]:
    plain = _base_letters(text)
    letters, index = [], 0
    while index < len(plain):
        pair = plain[index : index + 2]
        if pair in _DIGRAPHS:
            letters.append(pair)
            index += 2
        else:
            letters.append(plain[index])
            index += 1
    return letters


def welsh_sort_key(text: str) -> tuple:
    """Welsh order; letters outside the Welsh alphabet sort by code point after it."""
    key = tuple(
        (0, _WELSH_RANK[letter]) if letter in _WELSH_RANK else (1, ord(letter[0]))
        for letter in welsh_letters(text)
    )
    return key, text


def english_sort_key(text: str) -> tuple:
    return _base_letters(text), text


def sort_key_for(language: str):
    return welsh_sort_key if language == "cy" else english_sort_key
