"""Names in Welsh alphabetical order for Welsh readers, English order for English readers."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from app.collation import english_sort_key, sort_key_for, welsh_letters, welsh_sort_key
from tests import factories


def welsh_sorted(names):
    return sorted(names, key=welsh_sort_key)


def test_in_welsh_order_llew_comes_after_lowri_and_ch_after_c():
    names = ["Llew", "Lowri", "Lewis", "Chris", "Cai", "Dafydd", "Ddraig"]
    assert welsh_sorted(names) == ["Cai", "Chris", "Dafydd", "Ddraig", "Lewis", "Lowri", "Llew"]


@pytest.mark.parametrize(
    ("before", "after"),
    [("Cymro", "Chwilog"), ("Dylan", "Ddewi"), ("Fychan", "Ffion"), ("Gwyn", "Ngaio"), ("Lyn", "Llinos"),
     ("Pugh", "Phillips"), ("Ryan", "Rhys"), ("Tudur", "Thomas")],
)
def test_each_welsh_digraph_sorts_after_its_first_letter(before, after):
    assert welsh_sorted([after, before]) == [before, after]


def test_ng_is_one_letter_in_angharad_between_g_and_h():
    assert welsh_letters("Angharad")[:3] == ["a", "ng", "h"]
    assert welsh_sorted(["Ahmed", "Anwen", "Angharad", "Agnes"]) == ["Agnes", "Angharad", "Ahmed", "Anwen"]


@pytest.mark.parametrize("name", ["Bangor", "Llangollen", "Pengam", "Glangwili", "Bryngwran"])
def test_ng_is_n_and_g_where_two_parts_of_a_name_meet(name):
    letters = welsh_letters(name)
    assert "ng" not in letters
    assert "n" in letters and "g" in letters


def test_llangollen_sorts_among_the_llan_names_by_its_g():
    # As n + g, "Llang..." comes after "Llana..."; a single ng letter would put it before.
    assert welsh_sorted(["Llangollen", "Llanaber", "Llanrwst"]) == ["Llanaber", "Llangollen", "Llanrwst"]


def test_accented_vowels_sort_with_their_base_letter():
    assert welsh_sorted(["Sian", "Siôn", "Sioned", "Siân"]) == ["Sian", "Siân", "Siôn", "Sioned"]
    assert welsh_sorted(["Ŵyn", "Wyn", "Wynne"]) == ["Wyn", "Ŵyn", "Wynne"]
    assert welsh_sorted(["Ŷr", "Yr"]) == ["Yr", "Ŷr"]


def test_ap_and_ab_are_not_sorted_on():
    names = ["ap Gwilym", "Griffiths", "ab Owen", "Gwyn", "Hughes"]
    assert welsh_sorted(names) == ["Griffiths", "ap Gwilym", "Gwyn", "Hughes", "ab Owen"]
    assert sorted(names, key=english_sort_key) == ["Griffiths", "ap Gwilym", "Gwyn", "Hughes", "ab Owen"]


def test_a_space_sorts_before_any_letter_and_apostrophes_are_ignored():
    assert welsh_sorted(["Anna Evans", "Ann Jones"]) == ["Ann Jones", "Anna Evans"]
    assert welsh_sorted(["Oakley", "O'Brien", "Owen"]) == ["Oakley", "O'Brien", "Owen"]


def test_borrowed_letters_sort_where_english_puts_them():
    assert welsh_sorted(["Lowri", "Kyle", "Jac", "Zara", "Ynyr"]) == ["Jac", "Kyle", "Lowri", "Ynyr", "Zara"]


def test_english_readers_get_english_order():
    assert sorted(["Llew", "Lowri", "Lewis"], key=sort_key_for("en")) == ["Lewis", "Llew", "Lowri"]


def test_the_caseload_sorts_names_in_welsh_order_for_welsh_readers(app, client, team, signed_in):
    app.config["FIXED_NOW"] = datetime(2026, 11, 18, 12, tzinfo=timezone.utc)
    reader = factories.user(team, "darllenydd@powys.example", language="cy")
    for name in ("Llew Jones", "Lowri Evans", "Lewis Price"):
        factories.person(team, name)
    page = signed_in(reader).get("/").get_data(as_text=True)
    order = re.findall(r'class="caseload__name"[^>]*>([^<]+)<', page)
    assert order == ["Lewis Price", "Lowri Evans", "Llew Jones"]


def test_the_caseload_sorts_names_in_english_order_for_english_readers(app, client, team, officer, signed_in):
    app.config["FIXED_NOW"] = datetime(2026, 11, 18, 12, tzinfo=timezone.utc)
    for name in ("Llew Jones", "Lowri Evans", "Lewis Price"):
        factories.person(team, name)
    page = signed_in(officer).get("/").get_data(as_text=True)
    order = re.findall(r'class="caseload__name"[^>]*>([^<]+)<', page)
    assert order == ["Lewis Price", "Llew Jones", "Lowri Evans"]
