"""Dates and times through Babel, in Europe/London time, in the reader's language."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest
from flask_babel import force_locale

from app import presenters
from tests import factories


def in_language(app, language, function, value):
    with app.test_request_context(), force_locale(language):
        return function(value)


def test_a_full_date_in_welsh_names_the_day_and_month_in_welsh(app):
    assert in_language(app, "cy", presenters.full_date, date(2026, 11, 23)) == "Dydd Llun 23 Tachwedd 2026"
    assert in_language(app, "en", presenters.full_date, date(2026, 11, 23)) == "Monday 23 November 2026"


@pytest.mark.parametrize(
    ("day", "welsh"),
    [(date(2026, 11, 22), "ddydd Sul 22 Tachwedd 2026"), (date(2026, 11, 24), "ddydd Mawrth 24 Tachwedd 2026"),
     (date(2026, 11, 28), "ddydd Sadwrn 28 Tachwedd 2026")],
)
def test_a_date_inside_a_welsh_sentence_takes_the_soft_mutation(app, day, welsh):
    assert in_language(app, "cy", presenters.full_date_in_sentence, day) == welsh


def test_a_date_inside_an_english_sentence_is_the_full_date(app):
    assert in_language(app, "en", presenters.full_date_in_sentence, date(2026, 11, 23)) == "Monday 23 November 2026"


@pytest.mark.parametrize(
    ("moment", "welsh", "english"),
    [
        # Spring forward, Sunday 29 March 2026: 01:00 GMT becomes 02:00 BST.
        (datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc), "29 Mawrth 2026, 00:30", "29 March 2026, 00:30"),
        (datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc), "29 Mawrth 2026, 02:30", "29 March 2026, 02:30"),
        # Fall back, Sunday 25 October 2026: 01:30 happens twice, first in BST then in GMT.
        (datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc), "25 Hydref 2026, 01:30", "25 October 2026, 01:30"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=timezone.utc), "25 Hydref 2026, 01:30", "25 October 2026, 01:30"),
        # 23:30 UTC on the Saturday is already 00:30 on the Sunday in London (still BST).
        (datetime(2026, 10, 24, 23, 30, tzinfo=timezone.utc), "25 Hydref 2026, 00:30", "25 October 2026, 00:30"),
    ],
)
def test_times_on_the_clock_change_weekends_are_london_times(app, moment, welsh, english):
    assert in_language(app, "cy", presenters.date_time, moment) == welsh
    assert in_language(app, "en", presenters.date_time, moment) == english


def test_a_contact_on_the_night_the_clocks_go_back_shows_london_time_in_both_languages(app, client, team, signed_in):
    app.config["FIXED_NOW"] = datetime(2026, 10, 27, 12, tzinfo=timezone.utc)
    reader = factories.user(team, "darllenydd@powys.example", language="cy")
    person = factories.person(team, "Rhys Evans")
    factories.contact(person, reader, occurred_at=datetime(2026, 10, 24, 23, 30, tzinfo=timezone.utc))
    welsh = signed_in(reader).get(f"/people/{person.id}").get_data(as_text=True)
    assert "25 Hydref 2026, 00:30" in welsh
    client.get("/language/en?next=/")
    english = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "25 October 2026, 00:30" in english


@pytest.mark.parametrize("function", [presenters.short_date, presenters.date_time, presenters.recent_time])
def test_no_date_is_written_with_an_abbreviated_month_or_day(app, function):
    """Review D1: "Maw 3 Maw 2026" is Tuesday 3 March; HMRC and gov.wales write "3 Mawrth 2026"."""
    from tests.i18n.visible import abbreviated_date_problems

    moment = datetime(2026, 3, 3, 13, 15, tzinfo=timezone.utc)
    value = moment.date() if function is presenters.short_date else moment
    welsh, english = in_language(app, "cy", function, value), in_language(app, "en", function, value)
    assert "3 Mawrth" in welsh and "3 March" in english
    assert abbreviated_date_problems([welsh], "cy") == [] and abbreviated_date_problems([english], "en") == []


@pytest.mark.parametrize(("text", "language"), [
    ("Maw 3 Maw 2026, 13:15", "cy"), ("1 Gorff 2026", "cy"), ("28 Tach, 19:45", "cy"),
    ("Tue 3 Mar 2026, 13:15", "en"), ("28 Nov, 19:45", "en"),
])
def test_the_page_check_finds_abbreviated_dates(text, language):
    from tests.i18n.visible import abbreviated_date_problems

    assert abbreviated_date_problems([text], language)


@pytest.mark.parametrize(("text", "language"), [
    ("Dydd Mawrth 3 Mawrth 2026", "cy"), ("ddydd Llun 23 Tachwedd 2026", "cy"), ("3 Mai 2026", "cy"),
    ("Tuesday 3 March 2026", "en"), ("3 May 2026, 10:00", "en"), ("Mae 3 person yn cyfateb", "cy"),
])
def test_the_page_check_leaves_full_dates_alone(text, language):
    from tests.i18n.visible import abbreviated_date_problems

    assert abbreviated_date_problems([text], language) == []


def test_the_caseload_says_which_week_in_a_whole_welsh_sentence(app, client, team, signed_in):
    app.config["FIXED_NOW"] = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
    reader = factories.user(team, "darllenydd@powys.example", language="cy")
    page = signed_in(reader).get("/").get_data(as_text=True)
    assert re.search(r"Wythnos yn dechrau ddydd Llun 23 Tachwedd 2026", page)


@pytest.mark.parametrize(("text", "wrong"), [
    ("Cysylltiadau o Dydd Llun 23 Tachwedd 2026", True),
    ("Yn y ddalfa ers ddydd Llun 23 Tachwedd 2026", True),
    ("Wythnos yn dechrau Dydd Llun 23 Tachwedd 2026", True),
    ("Cysylltiadau o ddydd Llun 23 Tachwedd 2026 i ddydd Sul 29 Tachwedd 2026", False),
    ("Yn y ddalfa ers dydd Llun 23 Tachwedd 2026", False),
    ("Dydd Llun 23 Tachwedd 2026", False),
    ("Y dyddiad: Dydd Llun 23 Tachwedd 2026.", False),
])
def test_the_page_check_knows_when_a_welsh_date_should_mutate(text, wrong):
    from tests.i18n.visible import welsh_date_problems

    assert bool(welsh_date_problems([text])) is wrong
