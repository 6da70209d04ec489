"""The checks the admit form and the import share (app.cohort.rules)."""

from datetime import date

import pytest

from app.cohort import rules


@pytest.fixture(autouse=True)
def english_request(app):
    with app.test_request_context():
        yield


def test_a_crn_is_one_letter_and_six_digits_stored_in_capitals():
    assert rules.clean_crn(" x123456 ") == "X123456"
    assert rules.clean_crn("") is None
    for wrong in ("X12345", "XX23456", "1234567", "X1234567"):
        with pytest.raises(rules.Invalid):
            rules.clean_crn(wrong)


def test_a_pnc_id_needs_the_right_check_letter_and_is_stored_in_its_short_form():
    assert rules.clean_niche_ref("22/0123456a") == "22/0123456A"
    assert rules.clean_niche_ref("2022/123456A") == "22/0123456A"
    assert rules.clean_niche_ref("PNC 22/0123456A") == "22/0123456A"
    with pytest.raises(rules.Invalid, match="check letter"):
        rules.clean_niche_ref("22/0123456B")


def test_a_niche_reference_is_letters_and_digits():
    assert rules.clean_niche_ref("nom-12345") == "NOM12345"
    for wrong in ("ABCDEFG", "12", "22/ABC", "N" * 21 + "1"):
        with pytest.raises(rules.Invalid):
            rules.clean_niche_ref(wrong)


def test_flags_are_yes_or_no_in_either_language():
    assert [rules.clean_flag(word) for word in ("yes", "IE", "true", "1")] == [True] * 4
    assert [rules.clean_flag(word) for word in ("no", "Na", "false", "0", "")] == [False] * 5
    with pytest.raises(rules.Invalid):
        rules.clean_flag("maybe")


def test_dates_are_iso_or_day_month_year():
    assert rules.clean_date("2026-03-01") == rules.clean_date("01/03/2026") == date(2026, 3, 1)
    with pytest.raises(rules.Invalid):
        rules.clean_date("31/02/2026")


def test_the_y2a_minimum_ends_three_months_after_joining_and_never_earlier():
    assert rules.clean_y2a_end(True, date(2026, 11, 30), None) == date(2027, 2, 28)
    assert rules.clean_y2a_end(True, date(2026, 1, 5), date(2026, 6, 1)) == date(2026, 6, 1)
    assert rules.clean_y2a_end(False, date(2026, 1, 5), date(2026, 6, 1)) is None
    with pytest.raises(rules.Invalid):
        rules.clean_y2a_end(True, date(2026, 1, 5), date(2026, 4, 4))


def test_a_name_with_a_question_mark_is_what_excel_left_of_a_welsh_letter():
    assert rules.clean_name("  Siân   Ŵyn ") == "Siân Ŵyn"
    with pytest.raises(rules.Invalid):
        rules.clean_name("Si?n")
