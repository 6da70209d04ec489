"""The catalogues: complete, consistent, six Welsh plural forms, and up to date with the source."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

from tests.i18n.catalogues import (
    ROOT,
    PLACEHOLDER,
    POSITIONAL,
    NUMBER_NOT_A_COUNT,
    TAG,
    WELSH_PLURAL_CATEGORIES,
    ZERO_IN_WORDS,
    WELSH_PLURAL_FORMS,
    catalogue,
    extract,
    ids,
    messages,
    strings,
    welsh_cldr_category,
    welsh_plural_index,
)

COUNTS = (0, 1, 2, 3, 6, 7, 11)


def test_the_welsh_catalogue_declares_all_six_plural_forms():
    welsh = catalogue("cy")
    assert welsh.plural_forms == WELSH_PLURAL_FORMS
    assert welsh.num_plurals == 6


@pytest.mark.parametrize("count", [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 20, 100])
def test_the_welsh_plural_header_picks_the_same_form_as_cldr(count):
    """The header's expression and CLDR (which Intl.PluralRules('cy') uses) agree on every count."""
    assert WELSH_PLURAL_CATEGORIES[welsh_plural_index(count)] == welsh_cldr_category(count)


def test_every_message_is_translated_and_none_is_fuzzy():
    problems = [message.id for message in messages("cy") if message.fuzzy or not all(strings(message))]
    assert problems == [], "translate these in app/translations/cy/LC_MESSAGES/messages.po"


def test_every_welsh_count_message_has_all_six_forms():
    problems = [message.id for message in messages("cy") if message.pluralizable and len(strings(message)) != 6]
    assert problems == [], "give msgstr[0]..msgstr[5] (n = 0, 1, 2, 3, 6, other)"


def test_english_is_the_source_so_its_catalogue_adds_nothing():
    """An English msgstr would silently change the English text away from the msgid."""
    assert [message.id for message in messages("en") if any(strings(message))] == []


def test_placeholders_and_tags_match_between_english_and_welsh():
    problems = []
    for message in messages("cy"):
        for source in ids(message):
            for index, translation in enumerate(filter(None, strings(message))):  # empty ones fail the test above
                wanted = sorted(PLACEHOLDER.findall(source))
                if index == 0 and message.pluralizable and ids(message)[0] in ZERO_IN_WORDS:
                    wanted = [placeholder for placeholder in wanted if placeholder != "%(num)d"]
                if wanted != sorted(PLACEHOLDER.findall(translation)):
                    problems.append(("placeholders", source, translation))
                if sorted(TAG.findall(source)) != sorted(TAG.findall(translation)):
                    problems.append(("tags", source, translation))
    assert problems == []


def test_placeholders_are_named_so_that_welsh_can_reorder_them():
    assert [message.id for message in messages("cy") if any(POSITIONAL.search(text) for text in ids(message))] == []


def test_every_count_message_names_its_count():
    """ngettext supplies the count as %(num)d: a message without it cannot show the number."""
    problems = [message.id for message in messages("cy") if message.pluralizable
                and not all("%(num)d" in text or "{num}" in text for text in ids(message))]
    assert problems == []


# A number in a sentence must agree with the words around it ("1 wedi'i gynnig", "2 wedi'u
# cynnig"): only ngettext can choose the form (review G1: "1 wedi'u cynnig" on every caseload row).
NUMBER = re.compile(r"%\((\w+)\)d")
LABEL_VALUE = re.compile(r"(?:^|: )%\((\w+)\)d")


def test_every_message_with_a_number_in_it_is_a_count_message_or_a_label():
    """A %(x)d outside ngettext is allowed only as a label's value ("Offered: %(offered)d"),
    which reads the same with any number in either language, or in the reasoned list."""
    problems = []
    for message in messages("cy"):
        if message.pluralizable:
            continue
        numbers = set(NUMBER.findall(message.id))
        as_labels = set(LABEL_VALUE.findall(message.id))
        if numbers - as_labels and message.id not in NUMBER_NOT_A_COUNT:
            problems.append(message.id)
    assert problems == [], "use ngettext, or write the number as a label's value (\"Kept: %(kept)d\")"


def test_a_label_with_a_number_is_a_label_in_welsh_too():
    """Where the English gives a number as a label's value, so does the Welsh (no agreement needed)."""
    problems = []
    for message in messages("cy"):
        if message.pluralizable or message.id in NUMBER_NOT_A_COUNT:
            continue
        for name in LABEL_VALUE.findall(message.id):
            if not re.search(r"(?:^|: )%\(" + name + r"\)d", message.string):
                problems.append((message.id, message.string))
    assert problems == []


def test_the_reviewed_zero_forms_say_none_in_words():
    with_words = {ids(message)[0]: strings(message)[0] for message in messages("cy") if message.pluralizable}
    assert with_words["The required level was met in %(num)d week."] == "Ni chyrhaeddwyd y lefel ofynnol mewn unrhyw wythnos."
    assert with_words["It was not met in %(num)d week."] == "Ni fu'r un wythnos yn brin."


def _every_count_message():
    return [message for message in messages("cy") if message.pluralizable]


@pytest.mark.parametrize("count", COUNTS)
def test_every_welsh_count_message_shows_the_number_for(app, count):
    """Rendered through Flask-Babel (the compiled catalogue), each count shows its own number."""
    problems = []
    with app.test_request_context(), force_locale("cy"):
        for message in _every_count_message():
            singular, plural = message.id
            others = {name: 5 for name in _named(singular + plural) if name != "num"}  # fits %(x)s and %(x)d; no count contains 5
            text = ngettext(singular, plural, count, **others)
            expected = strings(message)[welsh_plural_index(count)] % {"num": count, **others}
            in_words = count == 0 and singular in ZERO_IN_WORDS
            if (str(count) not in text and not in_words) or text != expected:
                problems.append((singular, count, text))
    assert problems == []


def _named(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)", text))


@pytest.mark.parametrize(
    ("count", "welsh"),
    [(0, "0 cyswllt yn brin"), (1, "1 cyswllt yn brin"), (2, "2 gyswllt yn brin"), (3, "3 chyswllt yn brin"),
     (6, "6 chyswllt yn brin"), (7, "7 cyswllt yn brin"), (11, "11 cyswllt yn brin")],
)
def test_welsh_counts_mutate_after_the_number(app, count, welsh):
    with app.test_request_context(), force_locale("cy"):
        assert ngettext("Short by %(num)d contact", "Short by %(num)d contacts", count) == welsh


def test_the_catalogues_are_up_to_date_with_the_source(tmp_path):
    """Extract afresh and compare: a marked string missing from a catalogue fails here."""
    with extract(tmp_path / "messages.pot").open("rb") as handle:
        source = {(message.context, message.id) for message in read_po(handle) if message.id}
    for language in ("cy", "en"):
        present = {(message.context, message.id) for message in messages(language)}
        assert source - present == set(), f"run `make update` and translate: missing from {language}"
        assert present - source == set(), f"run `make update`: obsolete entries in {language}"


def test_the_compiled_catalogues_are_built_from_the_po_files(app):
    """The .mo the app reads says what the .po says (a stale .mo means `make compile` was skipped)."""
    with app.test_request_context(), force_locale("cy"):
        from flask_babel import get_translations

        compiled = get_translations()
        for message in messages("cy"):
            if message.pluralizable or message.context:
                continue
            assert compiled.gettext(message.id) == message.string, "run `make compile`"


# Words whose Welsh depends on the question or the noun they answer ("Yes" is "Ydy", "Oes",
# "Do", "Ie"... in Welsh): each needs pgettext context saying what it answers.
AMBIGUOUS = frozenset({"Yes", "No", "On", "Off", "All", "None", "Other", "Open", "Closed", "New", "Due", "Done"})


def test_short_ambiguous_words_carry_a_context():
    assert [message.id for message in messages("cy") if message.id in AMBIGUOUS and not message.context] == [], \
        "use pgettext(\"what it answers\", ...)"


def test_extraction_covers_python_the_templates_and_the_javascript():
    config = (ROOT / "babel.cfg").read_text()
    assert "[python: app/**.py]" in config
    assert "[jinja2: app/templates/**.html]" in config
    assert "[javascript: static/js/**.js]" in config


def test_compiled_catalogues_are_built_by_the_set_up_not_committed():
    import subprocess

    committed = subprocess.run(["git", "ls-files", "*.mo"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert committed.stdout == ""
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run: .*translations", makefile, re.M) and re.search(r"^test: .*translations", makefile, re.M)
    # The .mo files are made from the catalogues by `flask translate compile` whenever one changed.
    assert re.search(r"^translations: \$\(CATALOGUES:\.po=\.mo\)$", makefile, re.M)
    assert re.search(r"^\$\(CATALOGUES:\.po=\.mo\) &: \$\(CATALOGUES\).*\n\t\$\(BIN\)/flask translate compile$",
                     makefile, re.M)
