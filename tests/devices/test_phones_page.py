"""Supervisors see their team's phones, worries first; officers see their own; in Welsh and English."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests import factories
from tests.devices.conftest import NOW, iso, report, sync_with


def sections(page: str) -> list[str]:
    """The phones' ids, in the order the page lists them."""
    return re.findall(r'data-phone="([0-9a-f-]+)"', page)


def phone_section(page: str, device_id: str) -> str:
    match = re.search(rf'<section[^>]*data-phone="{device_id}".*?</section>', page, re.S)
    assert match, f"no section for {device_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


@pytest.mark.parametrize("language, held, warned, heading", [
    ("en", "Saved 3 days ago", "Has held unsent records for more than 48 hours.", "Phones: Powys IOM"),
    ("cy", "Wedi'i gadw 3 diwrnod yn ôl", "Mae wedi dal cofnodion heb eu hanfon am fwy na 48 awr.", "Ffonau: Powys IOM"),
])
def test_the_phones_page_shows_a_phone_whose_oldest_unsent_record_is_3_days_old_first(
        app, api, team, officer, signed_in, at, language, held, warned, heading):
    calm = report(unsent=0, oldest_unsent_at=None)
    sync_with(api(factories.user(team, "aaron@powys.example", name="Aaron Ab")), [], calm)
    at(NOW)
    held_phone = report(unsent=1, oldest_unsent_at=iso(NOW - timedelta(minutes=1)))  # saved just now, offline
    sync_with(api(officer, app.test_client()), [], held_phone)
    at(NOW + timedelta(days=3))  # three days on, the phone has not been seen since

    supervisor = factories.user(team, f"rhingyll-{language}@powys.example", role="supervisor", language=language)
    page = signed_in(supervisor, app.test_client()).get("/phones").get_data(as_text=True)
    assert heading in page
    assert sections(page) == [held_phone["id"], calm["id"]]
    shown = phone_section(page, held_phone["id"])
    assert held in shown and warned in shown and officer.name in shown


def test_the_supervisors_home_screen_warns_of_the_phone_and_links_to_the_phones_page(
        app, api, team, officer, supervisor, signed_in, at):
    at(NOW)
    sync_with(api(officer), [], report(unsent=3, oldest_unsent_at=iso(NOW - timedelta(days=3))))
    home = signed_in(supervisor, app.test_client()).get("/").get_data(as_text=True)
    assert "data-phone-warning" in home and 'href="/phones"' in home
    assert "1 phone is holding records that have not reached the server" in home


def test_no_warning_on_the_home_screen_when_every_phone_is_fine(app, api, officer, supervisor, signed_in, at):
    at(NOW)
    sync_with(api(officer), [], report(unsent=3, oldest_unsent_at=iso(NOW - timedelta(hours=47))))
    assert "data-phone-warning" not in signed_in(supervisor, app.test_client()).get("/").get_data(as_text=True)


def test_a_phone_not_seen_for_7_days_while_holding_records_warns(app, officer, supervisor, signed_in, at):
    at(NOW)
    factories.device(officer, unsent=1, oldest_unsent_at=NOW - timedelta(hours=1), last_seen_at=NOW - timedelta(days=7))
    home = signed_in(supervisor, app.test_client()).get("/").get_data(as_text=True)
    assert "Holds unsent records and has not reached the server for 7 days." in home


def test_an_officer_sees_their_own_phones_on_their_account_page_and_home_but_not_the_teams(
        app, officer, team, signed_in, at):
    at(NOW)
    mine = factories.device(officer, unsent=2, oldest_unsent_at=NOW - timedelta(days=3), last_seen_at=NOW)
    colleague = factories.user(team, "cydweithiwr@powys.example")
    theirs = factories.device(colleague, unsent=9, oldest_unsent_at=NOW - timedelta(days=4), last_seen_at=NOW)
    client = signed_in(officer, app.test_client())
    account = client.get("/account").get_data(as_text=True)
    assert sections(account) == [str(mine.id)] and "Revoke this phone" not in account
    home = client.get("/").get_data(as_text=True)
    assert "1 phone is holding records that have not reached the server" in home
    assert str(theirs.id)[:8] not in home
    assert client.get("/phones").status_code == 403


def test_the_team_devices_api_lists_the_teams_phones_worries_first(app, api, officer, supervisor, other_officer, at):
    at(NOW)
    calm = factories.device(officer, unsent=0, last_seen_at=NOW - timedelta(hours=1))
    held = factories.device(officer, unsent=2, attention=1, oldest_unsent_at=NOW - timedelta(days=3), last_seen_at=NOW)
    factories.device(other_officer, unsent=5, oldest_unsent_at=NOW - timedelta(days=9))  # another team's
    body = api(supervisor).get("/api/v1/team/devices").get_json()
    assert [device["id"] for device in body["devices"]] == [str(held.id), str(calm.id)]
    first = body["devices"][0]
    assert first["warning"] == "unsent_over_48_hours" and first["oldest_unsent_age_seconds"] == 3 * 24 * 3600
    assert first["officer"] == {"id": officer.id, "name": officer.name} and first["attention"] == 1
    assert body["devices"][1]["warning"] is None and body["devices"][1]["oldest_unsent_at"] is None


def test_an_administrator_chooses_the_team_whose_phones_they_see(app, api, admin, other_officer, other_team, at):
    at(NOW)
    theirs = factories.device(other_officer, unsent=1, oldest_unsent_at=NOW - timedelta(hours=1))
    body = api(admin).get(f"/api/v1/team/devices?team={other_team.id}").get_json()
    assert [device["id"] for device in body["devices"]] == [str(theirs.id)]
