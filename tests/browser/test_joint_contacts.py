"""A joint home visit recorded on two phones, a police officer's and a probation officer's,
each offline, each naming the other; both sync, and the week view counts the visit once."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import cut_network, indicator, open_app, restore_network, sign_in, stored_contacts


def record_joint_visit(page, person: str, colleague: str):
    page.locator(".caseload__row", has=page.get_by_role("heading", name=person)).locator(".caseload__record").click()
    page.get_by_label("Home visit", exact=True).check()
    page.get_by_text("With a colleague (optional)").click()
    page.get_by_label(colleague, exact=True).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#flash")).to_contain_text("Saved on this phone")


def test_a_joint_visit_recorded_on_two_phones_counts_once_in_the_week_view(server, browser, browser_context_args, team):
    police = factories.user(team, "sian.howells@powys.example", agency="police", name="Siân Howells")
    probation = factories.user(team, "nia.rowlands@powys.example", agency="probation", name="Nia Rowlands")
    supervisor = factories.user(team, "catrin.ffowc@powys.example", role="supervisor", name="Catrin Ffowc")
    factories.person(team, "Rhys Evans", category="fixed")

    phones = {}
    for user in (police, probation):
        context = browser.new_context(**browser_context_args)
        page = context.new_page()
        open_app(page, server, user.email)
        phones[user.id] = (context, page)

    # Both record the visit with no signal, each naming the other (the other agency is offered first).
    police_context, police_page = phones[police.id]
    probation_context, probation_page = phones[probation.id]
    for context, page, colleague in ((police_context, police_page, "Nia Rowlands (Probation)"),
                                     (probation_context, probation_page, "Siân Howells (Police)")):
        cut_network(context)
        record_joint_visit(page, "Rhys Evans", colleague)
        expect(indicator(page)).to_contain_text("1 waiting to send")

    # The police phone gets signal first, then the probation phone.
    restore_network(police_context)
    expect(indicator(police_page)).to_have_text("All sent")
    restore_network(probation_context)
    expect(indicator(probation_page)).to_have_text("All sent")

    contacts = stored_contacts()
    assert len(contacts) == 2
    first, second = contacts
    assert (first.recorded_by_id, first.colleague_ids, first.same_as_id) == (police.id, [probation.id], None)
    assert (second.recorded_by_id, second.colleague_ids, second.same_as_id) == (probation.id, [police.id], first.id)
    assert [result.get("same_as") for result in server.sync_results] == [None, str(first.id)]

    # The supervisor's week view: required 3, none arranged, one visit offered and kept, not two.
    desk = browser.new_context(**browser_context_args)
    week = desk.new_page()
    sign_in(week, server, supervisor.email, next_path="/supervision/week")
    row = week.locator("tr.week-row", has=week.get_by_role("link", name="Rhys Evans"))
    expect(row).to_contain_text(re.compile(r"Fixed\s+Amber\s+Police.*\b3\s+0\s+1\s+1\b", re.S))
    expect(week.get_by_text("Possibly the same contact")).to_have_count(0)

    # Each officer sees it recorded by both of them, counted once, for both agencies.
    police_page.goto(server.url(f"/people/{first.person_id}"))
    expect(police_page.get_by_text("Recorded by both of you: counted once.").first).to_be_visible()
    expect(police_page.get_by_text("Counts for: police and probation").first).to_be_visible()
    for context in (police_context, probation_context, desk):
        context.close()


def test_the_record_form_offers_the_other_agencys_officers_first_in_welsh(server, page, team):
    police = factories.user(team, "sian.howells@powys.example", agency="police", name="Siân Howells", language="cy")
    factories.user(team, "aled.bowen@powys.example", agency="police", name="Aled Bowen")
    factories.user(team, "nia.rowlands@powys.example", agency="probation", name="Nia Rowlands")
    factories.person(team, "Rhys Evans")
    open_app(page, server, police.email)
    page.locator(".caseload__row", has=page.get_by_role("heading", name="Rhys Evans")).locator(".caseload__record").click()
    page.get_by_text("Gyda chydweithiwr (dewisol)").click()
    labels = page.locator(".colleagues .choice__label").all_inner_texts()
    assert labels == ["Nia Rowlands (Gwasanaeth prawf)", "Aled Bowen (Heddlu)"]
