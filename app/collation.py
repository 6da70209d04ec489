"""Sorting names the way each language's readers expect.

In the Welsh alphabet ch, dd, ff, ng, ll, ph, rh and th are single letters, each
sorting after its first character's letter: "Llew" comes after "Lowri", "Chris" after
"Cai". The decisions a Welsh order has to make, and the ones made here:

- **Accents** (â, ê, î, ô, û, ŵ, ŷ, ä, é...) sort with their base letter; two names that
  differ only by an accent keep a stable order (the unaccented one first).
- **"ng"** is one letter in most words (Angharad, Tangwen, Cyngor), but n + g where two
  parts meet: Bangor (Ban-gor), and place-name compounds such as Llangollen (Llan-gollen),
  Pengam, Glangwili, Bryngwran. No rule can tell the two apart from the spelling alone,
  so "ng" is one letter except after a word-initial "Llan", "Pen", "Glan" or "Bryn" and
  in the few words in ``N_PLUS_G_WORDS``. A person's name rarely contains either, so an
  unlisted exception costs at most one misplaced name.
- **Names from English** (Williams, Phillips, Thomas) are sorted with the Welsh letters
  too: one order for a whole list, as Welsh-language directories do.
- **"ap" / "ab" / "ferch" / "verch"** ("son of", "daughter of") at the start of a name
  are not sorted on: "ap Gwilym" sorts under G (in both languages).
- **k, q, v, x, z**, which only borrowed names use, sort where English puts them.
- **Spaces** sort before every letter ("Ann Jones" before "Anna Evans"), apostrophes and
  hyphens are ignored ("O'Brien" sorts as "OBrien"), digits come before letters.
"""

from __future__ import annotations

import re
import unicodedata

WELSH_ALPHABET = (
    "a", "b", "c", "ch", "d", "dd", "e", "f", "ff", "g", "ng", "h", "i", "j", "l", "ll",
    "m", "n", "o", "p", "ph", "r", "rh", "s", "t", "th", "u", "w", "y",
)
# Letters that only names from other languages use go where English puts them.
_ORDER = (
    "a", "b", "c", "ch", "d", "dd", "e", "f", "ff", "g", "ng", "h", "i", "j", "k", "l", "ll",
    "m", "n", "o", "p", "ph", "q", "r", "rh", "s", "t", "th", "u", "v", "w", "x", "y", "z",
)
_WELSH_RANK = {letter: rank for rank, letter in enumerate(_ORDER)}
_DIGRAPHS = frozenset(letter for letter in WELSH_ALPHABET if len(letter) == 2)

# Word-initial parts after which "ng" is n + g (Llan-gollen, Pen-gam, Glan-gwili, Bryn-gwran).
N_PLUS_G_PREFIXES = ("llan", "pen", "glan", "bryn")
# Whole words in which "ng" is n + g.
N_PLUS_G_WORDS = frozenset({"bangor"})
# Patronymic particles that are not sorted on at the start of a name.
PATRONYMICS = ("ap", "ab", "ferch", "verch")
_LEADING_PATRONYMIC = re.compile(r"^(?:%s)\s+(?=\S)" % "|".join(PATRONYMICS))
_IGNORED = frozenset("'’‘-‐‑.")


def _base_letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _without_patronymic(plain: str) -> str:
    return _LEADING_PATRONYMIC.sub("", plain.strip(), count=1)


def _n_plus_g_positions(plain: str) -> set[int]:
    """Indexes of the "n" of each "ng" in ``plain`` that is really n followed by g."""
    positions: set[int] = set()
    for match in re.finditer(r"[^\W\d_]+", plain):
        word, start = match.group(), match.start()
        if word in N_PLUS_G_WORDS:
            positions.update(start + index for index in range(len(word) - 1) if word[index : index + 2] == "ng")
        for prefix in N_PLUS_G_PREFIXES:
            if word.startswith(prefix + "g"):
                positions.add(start + len(prefix) - 1)
    return positions


def welsh_letters(text: str) -> list[str]:
    """The Welsh letters of ``text``, lower-cased and without accents, digraphs as one letter."""
    plain = _base_letters(text)
    split_ng = _n_plus_g_positions(plain)
    letters, index = [], 0
    while index < len(plain):
        pair = plain[index : index + 2]
        if pair in _DIGRAPHS and not (pair == "ng" and index in split_ng):
            letters.append(pair)
            index += 2
        else:
            letters.append(plain[index])
            index += 1
    return letters


def _rank(letter: str) -> tuple[int, int]:
    if letter.isspace():
        return (0, 0)
    if letter.isdigit():
        return (1, ord(letter))
    if letter in _WELSH_RANK:
        return (2, _WELSH_RANK[letter])
    return (3, ord(letter[0]))  # anything else (other scripts, symbols) after the letters


def welsh_sort_key(text: str) -> tuple:
    """Welsh alphabetical order (see the module's notes)."""
    letters = welsh_letters(_without_patronymic(_base_letters(text)))
    key = tuple(_rank(letter) for letter in letters if letter not in _IGNORED)
    return key, _base_letters(text), text


def english_sort_key(text: str) -> tuple:
    plain = _without_patronymic(_base_letters(text))
    return "".join(char for char in plain if char not in _IGNORED), _base_letters(text), text


def sort_key_for(language: str):
    return welsh_sort_key if language == "cy" else english_sort_key


# Order keys for the phone ------------------------------------------------------------------
#
# The phone must list names exactly as the server does, and a second copy of the rules in
# JavaScript would drift. So the server sends, with each person, the sort key above written
# as plain ASCII text whose ordinary string order (JavaScript's `<`, Python's `<`) is the
# key's order. Every number is written in base 62 with digits that ascend in ASCII, in a
# fixed width; a space (below every digit) ends each part, so a shorter key sorts first.

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_WIDE = 4  # 62**4 > 0x10FFFF: any code point
_CLASS_WIDTH = {0: 1, 1: _WIDE, 2: 1, 3: _WIDE}  # spaces, digits, Welsh letters (< 62), the rest


def _base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, 62)
        digits.append(_BASE62[digit])
    if number:
        raise ValueError("too large for its width")
    return "".join(reversed(digits))


def _code_points(text: str) -> str:
    return "".join(_base62(ord(char), _WIDE) for char in text)


def welsh_order_key(text: str) -> str:
    letters, base, original = welsh_sort_key(text)
    primary = "".join(str(kind) + _base62(value, _CLASS_WIDTH[kind]) for kind, value in letters)
    return " ".join((primary, _code_points(base), _code_points(original)))


def english_order_key(text: str) -> str:
    return " ".join(_code_points(part) for part in english_sort_key(text))


def order_key_for(language: str):
    """``sort_key_for(language)`` as ASCII text in the same order (what the phone sorts by)."""
    return welsh_order_key if language == "cy" else english_order_key


# --- Searching ------------------------------------------------------------------------


def search_text(text: str | None) -> str:
    """Text as a search compares it: accents folded, case ignored (Siân finds "sian")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _reference_text(text: str | None) -> str:
    return re.sub(r"[^0-9a-z]", "", search_text(text))


def matches_search(query: str | None, name: str, *references: str | None) -> bool:
    """Whether every word of ``query`` is in the name, or the query is (part of) a reference.

    The phone's ``matches`` in ``static/js/caseload.js`` is the same rule.
    """
    words = search_text(query).split()
    if not words:
        return True
    folded = search_text(name)
    if all(word in folded for word in words):
        return True
    wanted = _reference_text(query)
    return bool(wanted) and any(wanted in _reference_text(reference) for reference in references if reference)
