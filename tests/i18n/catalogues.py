"""Reading the catalogues, and the shapes every translation must keep."""

from __future__ import annotations

import functools
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
WELSH_PLURAL_FORMS = "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);"
# The CLDR categories of Welsh, in the order of the six forms above.
WELSH_PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
# Named Python placeholders, old positional ones (which the lint refuses) and {name} (JavaScript).
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w+\}")
POSITIONAL = re.compile(r"%[sdif]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")

# Count messages whose Welsh zero form says "none" in words rather than "0 wythnos" (review G8):
# "Ni chyrhaeddwyd y lefel ofynnol mewn unrhyw wythnos", not "Cyrhaeddwyd ... mewn 0 wythnos".
# Only msgstr[0] may leave out %(num)d, and only for these.
ZERO_IN_WORDS = frozenset({
    "The required level was met in %(num)d week.",
    "It was not met in %(num)d week.",
})

# A number in a message that is not a count message is allowed only as a label's value
# ("Cynigiwyd: 1"), which reads right with any number, or as one of these (with the reason).
NUMBER_NOT_A_COUNT = {
    "%(percent)d%%": "a percentage on its own: no word agrees with it",
    "Enter a date between %(first)d and %(last)d.": "years, not counts: nothing agrees with a year",
}


@functools.cache  # read once a run: the count tests ask for the Welsh plural rule hundreds of times
def catalogue(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def messages(language: str = "cy"):
    """Every real message (not the header) of a catalogue."""
    return [message for message in catalogue(language) if message.id]


def strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def extract(destination: Path) -> Path:
    """Extract the marked strings exactly as `flask translate extract` does."""
    from app.cli import EXTRACT_ARGUMENTS

    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", *EXTRACT_ARGUMENTS, "-o", str(destination), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    return destination


def welsh_plural_index(n: int) -> int:
    """The form the Welsh catalogue's own Plural-Forms expression picks for n (read by gettext)."""
    import gettext

    return gettext.c2py(catalogue("cy").plural_expr)(n)


def welsh_cldr_category(n: int) -> str:
    """What CLDR says n is in Welsh (the rule Intl.PluralRules('cy') follows too)."""
    from babel import Locale

    return Locale("cy").plural_form(n)


@functools.cache  # the form and API message tests ask for every translation's pattern, per test
def placeholder_pattern(translation: str) -> re.Pattern:
    """A regex matching the translation with any values in its placeholders."""
    parts = PLACEHOLDER.split(translation)
    return re.compile("^" + ".+?".join(re.escape(part) for part in parts) + "$", re.DOTALL)

