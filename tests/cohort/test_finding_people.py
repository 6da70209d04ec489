"""Finding people: my caseload first, and a search that knows Welsh letters."""

from app.collation import matches_search
from tests import factories


def test_a_search_folds_accents_and_finds_references():
    assert matches_search("sian", "Siân Ŵyn", "X123456", None)
    assert matches_search("SIÂN wyn", "Siân Ŵyn")
    assert matches_search("x123", "Siân Ŵyn", "X123456")
    assert matches_search("22/0123456", "Siân Ŵyn", None, "22/0123456A")
    assert not matches_search("dafydd", "Siân Ŵyn", "X123456")
    assert matches_search("  ", "Anyone")


def test_the_home_page_shows_my_caseload_first_and_the_rest_a_tap_away(client, officer, signed_in):
    factories.person(officer.team, "Siân Ŵyn", offender_manager=officer, delius_crn="X123456")
    factories.person(officer.team, "Dafydd ap Gwilym")
    signed_in(officer)
    page = client.get("/").get_data(as_text=True)
    assert "My caseload" in page and "Siân Ŵyn" in page and "Dafydd ap Gwilym" not in page
    assert "Dafydd ap Gwilym" in client.get("/?all=1").get_data(as_text=True)
    found = client.get("/?q=sian").get_data(as_text=True)
    assert "Siân Ŵyn" in found and "Dafydd" not in found
    assert "Dafydd ap Gwilym" in client.get("/?q=gwilym").get_data(as_text=True)
    assert "Siân Ŵyn" in client.get("/?q=x123456").get_data(as_text=True)


def test_the_phones_caseload_says_whose_people_are_mine(client, officer, signed_in):
    mine = factories.person(officer.team, "Siân Ŵyn", offender_manager=officer, delius_crn="X123456")
    factories.person(officer.team, "Dafydd ap Gwilym", niche_ref="NOM12345")
    signed_in(officer)
    people = {row["id"]: row for row in client.get("/api/v1/caseload").get_json()["people"]}
    assert people[mine.id]["is_mine"] is True and people[mine.id]["delius_crn"] == "X123456"
    assert [row["is_mine"] for row in people.values()].count(False) == 1
