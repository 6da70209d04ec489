"""Arranging contacts from the phone, with or without signal: sealed on the phone, sent once,
listed at once, and counted on the phone and in the supervisor's week view as outcomes come in."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

from playwright.sync_api import expect
from sqlalchemy import select

from app.domain.weeks import LONDON
from app.extensions import db
from app.models import Arrangement
from tests import factories
from tests.browser.conftest import (cut_network, indicator, open_app, open_sign_out, outbox_rows, restore_network, sign_in,
                                    stored_contacts)

ARRANGED = "Arrangement saved on this phone — waiting to send"
WAITING = "Arranged on this phone — waiting to send"


def the_week_ahead(today: date) -> list[datetime]:
    """Two contacts today (their outcomes are recorded below) and up to two later this week
    (London): a week of contacts for a Fixed person, whatever day the test runs."""
    times = [datetime.combine(today, time(0, 5)), datetime.combine(today, time(0, 10))]
    for ahead in range(1, 7 - today.weekday()):
        if len(times) < 4:
            times.append(datetime.combine(today + timedelta(days=ahead), time(10, 0)))
    if len(times) < 3:
        times.append(datetime.combine(today, time(0, 15)))
    return times


def arrange(page, name: str, when: datetime, kind: str, *, where: str | None = None, with_whom: str | None = None):
    row = page.locator(".caseload__row", has=page.get_by_role("heading", name=name))
    row.get_by_role("link", name="Arrange a contact").click()
    expect(page.get_by_role("heading", name="Arrange a contact")).to_be_visible()
    page.get_by_text(kind, exact=True).click()
    page.get_by_label("Date").fill(when.strftime("%Y-%m-%d"))
    page.get_by_label("Time").fill(when.strftime("%H:%M"))
    if where:
        page.get_by_label("Where (optional)").fill(where)
    if with_whom:
        page.get_by_label("With whom (optional)").fill(with_whom)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#flash")).to_have_text(ARRANGED)


def test_a_week_arranged_offline_is_sent_once_and_its_outcomes_move_the_counts_on_the_phone_and_the_week_view(
    server, page, context, browser, browser_context_args, team, officer
):
    supervisor = factories.user(team, "catrin.ffowc@powys.example", role="supervisor", name="Catrin Ffowc")
    factories.person(team, "Rhys Evans", offender_manager=officer)
    open_app(page, server, officer.email)
    person_row = page.locator(".caseload__row", has=page.get_by_role("heading", name="Rhys Evans"))
    expect(person_row).to_contain_text("Offered: 0 · Kept: 0 · Required: 3")
    expect(person_row).to_contain_text("Arranged this week: 0")

    cut_network(context)
    times = the_week_ahead(datetime.now(LONDON).date())
    arrange(page, "Rhys Evans", times[0], "Home visit", where="12 Stryd y Bont, Llanidloes", with_whom="Gweithiwr tai")
    for when in times[1:]:
        arrange(page, "Rhys Evans", when, "Office appointment")
    count = len(times)

    # At once, offline: listed as waiting to send, and counted in the person's arranged figure.
    expect(indicator(page)).to_contain_text(f"{count} waiting to send")
    section = page.locator("#arranged")
    expect(section.get_by_text(WAITING)).to_have_count(count)
    expect(section.get_by_role("heading", name="Today")).to_be_visible()
    expect(person_row).to_contain_text(f"Arranged this week: {count}")
    rows = outbox_rows(page)
    assert [row["kind"] for row in rows] == ["arrangement"] * count
    assert "Stryd y Bont" not in str(rows) and "Gweithiwr" not in str(rows)  # sealed on the phone
    assert db.session.scalars(select(Arrangement)).all() == []

    restore_network(context)
    expect(indicator(page)).to_have_text("All sent")
    expect(section.get_by_text(WAITING)).to_have_count(0)
    db.session.expire_all()
    held = db.session.scalars(select(Arrangement)).all()
    assert sorted(str(a.id) for a in held) == sorted(row["id"] for row in rows)  # those ids, once each
    assert [result["status"] for result in server.arrangement_results] == ["created"] * count  # sent once
    first = next(a for a in held if a.starts_at == times[0].replace(tzinfo=LONDON).astimezone(timezone.utc))
    assert (first.place, first.with_whom, first.arranged_by_id) == ("12 Stryd y Bont, Llanidloes", "Gweithiwr tai", officer.id)
    expect(person_row).to_contain_text(f"Arranged this week: {count}")

    # Two outcomes, two taps each, from today's list.
    today = section.locator(".arranged__item:not(.arranged__item--pending)")
    today.get_by_role("button", name="Rhys Evans").first.click()
    section.get_by_role("button", name="Kept", exact=True).click()
    expect(page.locator("#flash")).to_have_text("Saved on this phone — waiting to send")
    expect(person_row).to_contain_text("Offered: 1 · Kept: 1 · Required: 3")
    section.get_by_role("button", name="Rhys Evans").first.click()
    section.get_by_role("button", name="Not kept: did not attend").click()
    expect(person_row).to_contain_text("Offered: 2 · Kept: 1 · Required: 3")
    expect(indicator(page)).to_have_text("All sent")
    assert sorted(c.outcome.value for c in stored_contacts()) == ["did_not_attend", "kept"]
    db.session.expire_all()
    assert sorted(a.state.value for a in db.session.scalars(select(Arrangement))) == (
        ["arranged"] * (count - 2) + ["recorded"] * 2)
    expect(person_row).to_contain_text(f"Arranged this week: {count}")  # recorded ones still count as arranged

    desk = browser.new_context(**browser_context_args)
    week = desk.new_page()
    sign_in(week, server, supervisor.email, next_path="/supervision/week")
    week_row = week.locator("tr.week-row", has=week.get_by_role("link", name="Rhys Evans"))
    expect(week_row).to_contain_text(re.compile(rf"\b3\s+{count}\s+2\s+1\b"))
    desk.close()


def test_an_arrangement_saved_offline_survives_signing_out_and_is_sent_after_the_next_sign_in(server, page, context, officer):
    factories.person(officer.team, "Rhys Evans", offender_manager=officer)
    open_app(page, server, officer.email)
    cut_network(context)
    when = datetime.now(LONDON).replace(hour=23, minute=30, second=0, microsecond=0, tzinfo=None)
    arrange(page, "Rhys Evans", when, "Home visit", where="12 Stryd y Bont", with_whom="Ei fam")
    open_sign_out(page, 1)
    page.get_by_role("button", name="Sign out and keep 1 record on this phone").click()
    expect(page.get_by_role("heading", name="Sign in to start")).to_be_visible()
    [row] = outbox_rows(page)  # kept by the wipe, still sealed
    assert row["kind"] == "arrangement" and "Stryd" not in str(row)

    restore_network(context)
    # The phone tells the server of the sign-out first; until then no page opens on it.
    expect(page.locator("[data-wiped=signed_out]")).not_to_contain_text("Your sign-in will be ended")
    sign_in(page, server, officer.email)
    expect(indicator(page)).to_have_text("All sent")
    db.session.expire_all()
    [held] = db.session.scalars(select(Arrangement)).all()
    assert (str(held.id), held.place, held.with_whom, held.arranged_by_id) == (row["id"], "12 Stryd y Bont", "Ei fam", officer.id)
    assert [result["status"] for result in server.arrangement_results] == ["created"]


def test_an_arrangement_the_server_refuses_needs_attention_in_words_the_officer_understands(server, page, context, officer):
    person = factories.person(officer.team, "Rhys Evans", offender_manager=officer)
    open_app(page, server, officer.email)
    cut_network(context)
    arrange(page, "Rhys Evans", datetime.now(LONDON).replace(hour=23, minute=45, tzinfo=None), "Phone call")
    person.left_on = datetime.now(LONDON).date()  # meanwhile the person leaves the cohort
    db.session.commit()

    restore_network(context)
    expect(indicator(page)).to_contain_text("1 needs attention")
    expect(page.locator("#arranged")).to_contain_text("Not accepted by the server: needs your attention")
    page.locator("#arranged").get_by_role("link", name="Not accepted by the server: needs your attention").click()
    item = page.locator(".outbox__item")
    expect(item).to_contain_text("The server did not accept this arrangement. Arrange the contact again, then delete this one.")
    expect(item).to_contain_text("This person has left the cohort, so no contact can be arranged with them.")
    expect(item.get_by_role("link", name="Arrange it again")).to_be_visible()
    assert db.session.scalars(select(Arrangement)).all() == []
