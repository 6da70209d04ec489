"""What a reader meets on a page: its text nodes and the attributes that are read out or shown.

Used by the every-page test (server-rendered HTML) and the phone-app screens test (HTML
taken from the real browser after the JavaScript has run).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Attributes a reader sees or hears (screen readers read aria-label and title).
READ_ATTRIBUTES = ("title", "aria-label", "aria-description", "alt", "placeholder", "aria-placeholder")
BUTTON_INPUTS = frozenset({"submit", "button", "reset"})
SKIPPED = frozenset({"script", "style"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

# Words that are the same in both languages, each with its reason. Keep this short and
# reviewed: everything else a Welsh page shows must differ from the English page.
ALLOWED = {
    "Cyswllt": "the product's name",
    "IOM": "the programme's initials, used in Welsh too (terminology.md)",
    "WISDOM": "the name of a multi-agency arrangement",
    "MAPPA": "the name of a multi-agency arrangement",
    "Y2A": "the programme's initials, used in Welsh too (terminology.md)",
    "RAG": "red/amber/green, used as initials in Welsh too",
    "Delius": "the probation case management system",
    "Niche": "the police records system",
    "CRN": "Delius's case reference number",
    "PNC": "the Police National Computer",
    "CSV": "the file format",
    "Person": "the Welsh word is the same (person, pl. pobl)",
    "Cymraeg": "the language switch names the other language in that language",
    "English": "the language switch names the other language in that language",
}


@dataclass
class Page:
    language: str | None = None
    texts: list[str] = field(default_factory=list)
    switches: list[dict[str, str]] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._skipping: list[str] = []
        self._switch: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.page.language = attributes.get("lang")
        if tag in SKIPPED:
            self._skipping.append(tag)
            return
        if self._skipping:
            return
        for name in READ_ATTRIBUTES:
            if attributes.get(name, "").strip():
                self._add(attributes[name])
        if tag == "input" and attributes.get("type", "").lower() in BUTTON_INPUTS and attributes.get("value"):
            self._add(attributes["value"])
        if tag == "a" and "language-switch" in attributes.get("class", "").split():
            self._switch = {**attributes, "text": ""}
            self.page.switches.append(self._switch)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED and self._skipping:
            self._skipping.pop()

    def handle_endtag(self, tag):
        if self._skipping and tag == self._skipping[-1]:
            self._skipping.pop()
        if tag == "a":
            self._switch = None

    def handle_data(self, data):
        if self._skipping:
            return
        if self._switch is not None:
            # The switch is written in the language it switches to (its lang says so),
            # visible name and hidden text alike: it is checked on its own, not as page text.
            self._switch["text"] += data
            return
        self._add(data)

    def _add(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.page.texts.append(text)


def read(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    for switch in reader.page.switches:
        switch["text"] = " ".join(switch["text"].split())
    return reader.page


def language_neutral(text: str, also_allowed: frozenset[str] | set[str] = frozenset()) -> bool:
    """True if nothing in the text is a word that a translation should have changed."""
    remaining = text
    for word in sorted({*ALLOWED, *also_allowed}, key=len, reverse=True):
        remaining = re.sub(r"(?<!\w)" + re.escape(word) + r"(?!\w)", " ", remaining)
    return not re.search(r"[^\W\d_]", remaining)


def untranslated(welsh: list[str], english: list[str], also_allowed=frozenset()) -> list[str]:
    """Texts shown on the Welsh page exactly as on the English page (the language-neutral aside)."""
    english_texts = set(english)
    return sorted({text for text in welsh if text in english_texts and not language_neutral(text, also_allowed)})


WORD = re.compile(r"[^\W\d_]{2,}")


def words(texts) -> set[str]:
    return {word.casefold() for text in texts for word in WORD.findall(text)}


def welsh_vocabulary(also_allowed=frozenset()) -> set[str]:
    """Every word a Welsh page may legitimately show: the Welsh catalogue's, Babel's Welsh
    day and month names, the reviewed allow-list, and the example data."""
    from babel import Locale

    from tests.i18n.catalogues import messages, strings

    cy = Locale("cy")
    dates = [name for context in ("format", "stand-alone") for width in ("wide", "abbreviated")
             for table in (cy.days[context][width], cy.months[context][width]) for name in table.values()]
    translated = [text for message in messages("cy") for text in strings(message)]
    return words(translated) | words(dates) | words(ALLOWED) | words(also_allowed) | {"ddydd"}


def stray_english_words(welsh: list[str], english: list[str], vocabulary: set[str]) -> list[str]:
    """Words on the Welsh page that are on the English page and in no Welsh translation: English
    glued into a Welsh sentence ("Ewch yn ôl. Oops") that a whole-text comparison cannot see."""
    suspects = (words(welsh) & words(english)) - vocabulary
    return sorted(text for text in set(welsh) if words([text]) & suspects)


# Welsh mutates a day's name after most prepositions ("o ddydd Llun", "tan ddydd Gwener") and
# when it says when something happens ("yn dod i ben ddydd Llun"), but not after "ers" or
# "erbyn" ("ers dydd Llun"). Dates put into sentences show whether the right form was used.
_DAYS = r"(?:Llun|Mawrth|Mercher|Iau|Gwener|Sadwrn|Sul)"
_MUTATING = r"(?:o|i|ar|am|at|gan|heb|hyd|dan|tan|dros|drwy|trwy|wrth)"
_NOT_MUTATING = r"(?:ers|erbyn)"
_UNMUTATED_AFTER_PREPOSITION = re.compile(rf"(?<![\w'’])({_MUTATING}) ([Dd]ydd {_DAYS})\b", re.IGNORECASE)
_MUTATED_AFTER_ERS = re.compile(rf"(?<![\w'’])({_NOT_MUTATING}) (ddydd {_DAYS})\b", re.IGNORECASE)
_CAPITAL_MID_SENTENCE = re.compile(rf"(?<![.!?:;–—]\s)(?<=\w )Dydd {_DAYS}\b")


def welsh_date_problems(texts) -> list[str]:
    problems = []
    for text in texts:
        for match in _UNMUTATED_AFTER_PREPOSITION.finditer(text):
            day = match.group(2)
            problems.append(f"{text!r}: '{match.group(0)}' should be '{match.group(1)} d{day[0].lower()}{day[1:]}' "
                            "(put the date in with full_date_in_sentence)")
        for match in _MUTATED_AFTER_ERS.finditer(text):
            problems.append(f"{text!r}: '{match.group(0)}' takes no mutation after '{match.group(1)}'")
        if _CAPITAL_MID_SENTENCE.search(text) and not _UNMUTATED_AFTER_PREPOSITION.search(text):
            problems.append(f"{text!r}: a day's name inside a sentence is written 'ddydd Llun' or 'dydd Llun' "
                            "(full_date_in_sentence), not 'Dydd Llun'")
    return problems


def _abbreviated_names(language: str) -> tuple[list[str], list[str]]:
    """Babel's abbreviated month and day names that differ from the full ones ("Maw", "Tach",
    "Nov"; not "Mai" or "May", which are the full names too)."""
    from babel import Locale

    locale = Locale.parse({"cy": "cy", "en": "en_GB"}[language])
    months = [name.rstrip(".") for number, name in locale.months["format"]["abbreviated"].items()
              if name.rstrip(".") != locale.months["format"]["wide"][number]]
    days = [name.rstrip(".") for number, name in locale.days["format"]["abbreviated"].items()]
    return months, days


def abbreviated_date_problems(texts, language: str) -> list[str]:
    """Dates written with an abbreviated month ("3 Maw 2026", "28 Nov") or day ("Maw 3", "Tue 3"):
    dates are written in full in both languages ("Dydd Mawrth 3 Mawrth 2026", "3 March 2026")."""
    months, days = _abbreviated_names(language)
    month = re.compile(r"\b\d{1,2} (?:%s)\b(?!\w)" % "|".join(map(re.escape, months)))
    # A day's short name before a number, except inside the full name ("Dydd Llun 3").
    day = re.compile(r"(?<![Dd]ydd )(?<!\w)(?:%s)\.? \d{1,2}\b" % "|".join(map(re.escape, days)))
    return [f"{text!r}: an abbreviated date" for text in texts if month.search(text) or day.search(text)]
