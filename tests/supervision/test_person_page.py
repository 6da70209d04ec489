"""The person page for supervisors: history, chart, actions and the audit trail."""

import re
from datetime import date

from app import audit
from app.extensions import db
from tests import factories
from tests.conftest import csrf_token_from
from tests.supervision.conftest import LAST_WEEK, THIS_WEEK, at, text_of


def post(client, url: str, data: dict):
    return client.post(url, data={"csrf_token": csrf_token_from(client, url), **data})


def audit_items(page: str) -> list[str]:
    return [text_of(item) for item in re.findall(r'<li class="audit-trail__item">.*?</li>', page, flags=re.S)]


def test_supervisors_see_a_readable_audit_trail_of_changes(client, supervisor, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans", rag="amber")
    signed_in(supervisor)
    post(client, f"/supervision/people/{person.id}/rag", {"rag": "green", "effective": "2026-11-16", "reason": "Engaged."})
    items = audit_items(client.get(f"/people/{person.id}").get_data(as_text=True))
    assert items[0].startswith("Details changed Sergeant, ")
    assert "RAG status Amber changed to Green" in items[0]
    assert any(item.startswith("RAG status change recorded Sergeant") and "Reason Engaged." in item for item in items)
    assert items[-1].startswith("Added to the cohort The system")


def test_officers_do_not_see_the_audit_trail_or_the_actions(client, officer, signed_in):
    person = factories.person(officer.team)
    page = signed_in(officer).get(f"/people/{person.id}").get_data(as_text=True)
    assert "Audit trail" not in page
    assert "/supervision/people/" not in page


def test_notes_never_appear_in_the_audit_trail(client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team)
    contact = factories.contact(person, officer, at(THIS_WEEK), notes="Disclosed a health condition.", sensitive=True)
    contact.notes = "Disclosed a health condition and a new address."
    db.session.commit()
    page = signed_in(supervisor).get(f"/people/{person.id}").get_data(as_text=True)
    # The contact list shows the notes to a supervisor (issue 12); the audit trail never does.
    trail = page[page.index("Audit trail"):]
    assert "Disclosed a health condition" not in trail
    assert "Contact changed" in text_of(page)
    assert "Notes (not shown here) changed to (not shown here)" in text_of(page)


def test_the_trail_keeps_contact_voids_but_not_each_contacts_recording(client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team)
    factories.contact(person, officer, at(THIS_WEEK))
    voided = factories.contact(person, officer, at(THIS_WEEK, 11))
    audit.label(voided, "void")
    voided.voided, voided.void_reason = True, "Recorded against the wrong person"
    db.session.commit()
    items = audit_items(signed_in(supervisor).get(f"/people/{person.id}").get_data(as_text=True))
    assert [item.split(" The system")[0] for item in items] == [
        "Contact made void", "Category change recorded", "Added to the cohort"]
    assert "Reason it was made void (none) changed to Recorded against the wrong person" in items[0]


def test_the_person_page_shows_requirement_category_rag_and_pause_history(client, supervisor, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans")
    factories.review(person, date(2026, 10, 5), 2, reviewer_id=supervisor.id, next_review_due=date(2027, 1, 5),
                     risk="Risk is lower now.")
    factories.pause(person, date(2026, 9, 1), date(2026, 9, 8), reason="hospital")
    factories.pause(person, date(2026, 11, 17), None, reason="custody")
    signed_in(supervisor)
    post(client, f"/supervision/people/{person.id}/category",
         {"category": "flex", "effective": "2026-11-16", "reason": "Stable."})
    text = text_of(client.get(f"/people/{person.id}").get_data(as_text=True))
    assert "2 contacts a week from 5 October 2026 Reviewed by Sergeant. Next review due on 5 January 2027." in text
    assert "Risk Risk is lower now." in text
    assert "16 November 2026 Flex Stable. Sergeant" in text
    assert "In hospital from 1 Sept 2026; back on 8 Sept 2026." in text or "In hospital from 1 September 2026; back on 8 September 2026." in text
    assert "In custody since 17 November 2026. End this pause" in text


def test_the_person_page_has_a_chart_of_the_twelve_weeks_beside_the_table(client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team)
    factories.contact(person, officer, at(LAST_WEEK))
    page = signed_in(supervisor).get(f"/people/{person.id}").get_data(as_text=True)
    assert re.search(rf'<svg class="chart chart--large"[^>]*role="img"[^>]*aria-labelledby="chart-{person.id}"', page)
    assert "1 contact was offered in all, and 1 kept." in page


def test_the_audit_trail_reads_in_welsh(client, team, signed_in):
    reader = factories.user(team, "rhingyll@powys.example", role="supervisor", language="cy")
    person = factories.person(team, rag="amber")
    signed_in(reader)
    post(client, f"/supervision/people/{person.id}/rag", {"rag": "red", "effective": "2026-11-16", "reason": "Adalw."})
    items = audit_items(client.get(f"/people/{person.id}").get_data(as_text=True))
    assert "Statws RAG Cynt: Ambr. Wedyn: Coch." in items[0]
