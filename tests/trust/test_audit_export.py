"""Administrators export the audit trail as a CSV file; the export is itself audited."""

from __future__ import annotations

import csv
import html
import io
from datetime import datetime, timezone

from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models import AuditEvent, Rag
from tests import factories

ENGLISH_HEADINGS = ["Time (UK)", "Time (UTC, ISO 8601)", "Who", "User number", "What happened", "Record",
                    "Record number", "Team number", "Person number", "Before", "After", "Event number"]


def rows_of(response) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(body[1:])))


def test_an_administrator_downloads_a_teams_audit_trail(app, client, world, signed_in):
    audit.set_actor(world.supervisor.id)
    person = db.session.get(type(world.own_person), world.own_person.id)
    person.rag = Rag.RED
    db.session.commit()
    signed_in(world.admin)
    response = client.get(f"/audit/export?team={world.team.id}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="cyswllt-audit-team-')
    assert response.headers["Cache-Control"] == "no-store"
    rows = rows_of(response)
    assert rows[0] == ENGLISH_HEADINGS
    change = next(row for row in rows[1:] if row[4] == "Changed")
    assert change[2] == world.supervisor.name
    assert change[5] == "Person"
    assert change[9] == "RAG status: Amber" and change[10] == "RAG status: Red"
    assert all(row[7] == str(world.team.id) for row in rows[1:]), "another team's events leaked in"


def test_one_persons_trail_between_two_dates(app, client, world, signed_in):
    signed_in(world.admin)
    rows = rows_of(client.get(f"/audit/export?team={world.team.id}&person={world.own_person.id}"))
    assert rows[1:] and all(row[8] == str(world.own_person.id) for row in rows[1:])
    empty = rows_of(client.get(
        f"/audit/export?team={world.team.id}&person={world.own_person.id}&start=2020-01-01&end=2020-12-31"))
    assert empty == [ENGLISH_HEADINGS]


def test_the_export_is_recorded_in_the_audit_trail(client, world, signed_in):
    signed_in(world.admin)
    client.get(f"/audit/export?team={world.team.id}&person={world.own_person.id}&start=2026-01-01")
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.actor_id, event.team_id, event.person_id) == (
        "export_audit_trail", world.admin.id, world.team.id, world.own_person.id)
    assert event.after["start"] == "2026-01-01" and event.after["events"] >= 1


def test_a_welsh_administrator_gets_welsh_headings_and_words(client, team, signed_in):
    welsh = factories.user(team, "gweinyddwr@powys.example", role="admin", language="cy")
    factories.person(team, "Siân Ŵyn")
    signed_in(welsh)
    rows = rows_of(client.get(f"/audit/export?team={team.id}"))
    assert rows[0][:3] == ["Amser (DU)", "Amser (UTC, ISO 8601)", "Pwy"]
    assert "Crëwyd" in {row[4] for row in rows[1:]}
    assert any("Siân Ŵyn" in row[10] for row in rows[1:]), "Welsh letters must survive the export"


def test_times_are_shown_in_uk_time_beside_utc(client, team, admin, signed_in):
    factories.person(team, "Lowri Hughes")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "people")).one()
    signed_in(admin)
    row = next(row for row in rows_of(client.get(f"/audit/export?team={team.id}"))[1:] if row[11] == str(event.id))
    assert datetime.fromisoformat(row[1]) == event.occurred_at.astimezone(timezone.utc)
    assert len(row[0]) == len("2026-11-18 09:00:00")


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_defused(client, team, admin, signed_in):
    factories.user(team, "evil@powys.example", name="=HYPERLINK(\"https://evil.example\")")
    signed_in(admin)
    rows = rows_of(client.get(f"/audit/export?team={team.id}"))
    created = next(row for row in rows[1:] if row[5] == "User account" and "evil@" in row[10])
    assert not created[10].startswith("=")
    names = [row[2] for row in rows[1:]]
    assert all(not name.startswith("=") for name in names)


def test_only_administrators_may_export(client, world, signed_in):
    assert client.get(f"/audit/export?team={world.team.id}").status_code == 302
    for user in (world.officer, world.supervisor):
        other = client.application.test_client()
        signed_in(user, other)
        assert other.get(f"/audit/export?team={world.team.id}").status_code == 403
    exports = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export_audit_trail")).all()
    assert exports == []


def test_a_wrong_choice_is_explained_in_the_users_language(client, world, team, signed_in):
    welsh = factories.user(team, "gweinyddwr@powys.example", role="admin", language="cy")
    signed_in(welsh)
    response = client.get(f"/audit/export?team={world.team.id}&person={world.other_person.id}"
                          "&start=2026-05-01&end=2026-04-01")
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "Dewiswch berson yn y tîm a ddewisoch, neu gadewch hyn yn wag." in page
    assert "Rhaid i'r dyddiad gorffen fod ar y dyddiad dechrau neu ar ei ôl." in page
    bad_date = html.unescape(client.get(f"/audit/export?team={world.team.id}&start=31-02-2026").get_data(as_text=True))
    assert "Rhowch ddyddiad go iawn." in bad_date
    no_team = html.unescape(client.get("/audit/export?team=").get_data(as_text=True))
    assert "Dewiswch dîm." in no_team


def test_the_export_page_offers_every_team_and_finds_people_by_name(client, world, signed_in):
    """A searchable picker: every team, but people only as the matches of a name search."""
    signed_in(world.admin)
    page = html.unescape(client.get("/audit/export").get_data(as_text=True))
    assert world.other_team.name in page
    assert world.other_person.display_name not in page
    search = world.other_person.display_name.split()[0]
    found = html.unescape(client.get(f"/audit/export?team={world.other_team.id}&person_search={search}&find=1")
                          .get_data(as_text=True))
    assert world.other_person.display_name in found
