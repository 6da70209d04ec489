"""The team's own settings: name, area, correction window and late-entry age; new teams."""

from __future__ import annotations

from html import unescape

from sqlalchemy import select

from app import scoping
from app.extensions import db
from app.models import AuditEvent, Team
from tests.conftest import csrf_token_from

GOOD = {"name": "Powys IOM", "force_area": "Dyfed-Powys Police", "community_safety_partnership": "Powys CSP",
        "correction_window_days": "10", "late_entry_days": "21"}


def post(client, path, data):
    return client.post(path, data={**data, "csrf_token": csrf_token_from(client, "/")})


def fresh(team) -> Team:
    db.session.expire_all()
    return db.session.get(Team, team.id, execution_options=scoping.UNSCOPED)


def test_a_supervisor_sets_the_correction_window_and_late_entry_age_and_the_change_is_audited(
        app, team, supervisor, signed_in):
    client = signed_in(supervisor)
    page = client.get("/supervision/team").get_data(as_text=True)
    assert "Correction window, in days" in page and "does not change any count" in page
    assert post(client, "/supervision/team/details", GOOD).status_code == 302
    changed = fresh(team)
    assert (changed.correction_window_days, changed.late_entry_days) == (10, 21)
    assert changed.community_safety_partnership == "Powys CSP"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "teams", AuditEvent.action == "update"))
    assert event.before == {"correction_window_days": 7, "late_entry_days": 14, "community_safety_partnership": None}
    assert event.actor_id == supervisor.id


def test_whitespace_junk_and_out_of_range_answers_are_field_errors_never_a_server_error(
        app, team, supervisor, signed_in):
    client = signed_in(supervisor)
    response = post(client, "/supervision/team/details", {
        "name": "   ", "force_area": "\t", "community_safety_partnership": "x" * 121,
        "correction_window_days": "seven", "late_entry_days": "0"})
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    for message in ("Enter the team's name.", "Enter the police force area.", "Keep this to 120 characters or fewer.",
                    "Enter a whole number, for example 3.", "Enter a number of days from 1 to 365."):
        assert message in page, message
    assert post(client, "/supervision/team/details", {**GOOD, "correction_window_days": " "}).status_code == 400
    assert fresh(team).correction_window_days == 7


def test_a_team_cannot_take_another_teams_name_whatever_its_case(app, team, other_team, supervisor, signed_in):
    client = signed_in(supervisor)
    response = post(client, "/supervision/team/details", {**GOOD, "name": other_team.name.upper()})
    assert response.status_code == 400
    assert "Another team already has this name." in response.get_data(as_text=True)
    assert post(client, "/supervision/team/details", {**GOOD, "name": "powys iom"}).status_code == 302


def test_an_officer_cannot_change_the_teams_settings_and_a_supervisor_only_their_own(
        app, team, other_team, officer, supervisor, signed_in):
    assert post(signed_in(officer), "/supervision/team/details", GOOD).status_code == 403
    client = signed_in(supervisor, app.test_client())
    assert post(client, f"/supervision/team/details?team={other_team.id}", GOOD).status_code == 404
    assert fresh(other_team).correction_window_days == 7


def test_an_administrator_creates_a_team_in_the_browser(app, team, admin, supervisor, signed_in):
    client = signed_in(admin)
    new = {**GOOD, "name": "Ceredigion IOM", "community_safety_partnership": ""}
    response = post(client, "/supervision/teams/new", new)
    assert response.status_code == 302
    created = db.session.scalar(select(Team).where(Team.name == "Ceredigion IOM"))
    assert created.community_safety_partnership is None and created.correction_window_days == 10
    assert post(client, "/supervision/teams/new", new).status_code == 400
    assert post(signed_in(supervisor, app.test_client()), "/supervision/teams/new",
                {**new, "name": "Another"}).status_code == 403


def test_the_levels_form_still_keeps_its_history_beside_the_new_settings(app, team, supervisor, signed_in):
    client = signed_in(supervisor)
    response = post(client, "/supervision/team", {"default_fixed": "4", "default_flex": "1", "default_free": "0",
                                                   "effective": "2026-11-18"})
    assert response.status_code == 302
    assert len(fresh(team).default_history) == 2


def test_a_name_taken_by_another_request_meanwhile_is_a_field_error_not_a_server_error(
        app, team, other_team, admin, signed_in, monkeypatch):
    from app.supervision import operations

    client = signed_in(admin)
    monkeypatch.setattr(operations, "team_name_taken", lambda *args, **kwargs: False)  # the check ran before
    renamed = post(client, "/supervision/team/details", {**GOOD, "name": other_team.name})
    created = post(client, "/supervision/teams/new", {**GOOD, "name": other_team.name})
    for response in (renamed, created):
        assert response.status_code == 400
        assert "Another team already has this name." in response.get_data(as_text=True)
    assert fresh(team).name == "Powys IOM"
