"""CSV exports for Delius and Niche: encoding, words, dates, codes, sensitive notes, audit."""

import csv
import io
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.supervision.exports import csv_text, safe_cell
from tests import factories
from tests.conftest import csrf_token_from
from tests.supervision.conftest import THIS_WEEK, at


def read_csv(response) -> list[dict]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode("utf-8")), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def probation_officer(team):
    return factories.user(team, "nia@powys.example", agency="probation", name="Nia Rowlands")


def test_the_week_export_is_an_attachment_with_the_identifiers_each_system_needs(client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team, "Siôn Ŵyn ap Gwilym", delius_crn="X123456", niche_ref="22/123456A",
                              offender_manager=officer)
    factories.contact(person, officer, at(THIS_WEEK))
    response = signed_in(supervisor).get("/supervision/week.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="cyswllt-week-2026-11-16.csv"'
    [row] = read_csv(response)
    assert row["Name"] == "Siôn Ŵyn ap Gwilym"
    assert (row["Delius CRN"], row["Niche or PNC reference"]) == ("X123456", "22/123456A")
    assert (row["Week beginning"], row["Contacts required"], row["Contacts offered"], row["Contacts kept"]) == (
        "2026-11-16", "3", "1", "1")
    assert row["Status"] == "Short by 2 contacts: 1 offered of 3 required"


def test_the_week_export_is_filtered_as_on_screen(client, supervisor, officer, signed_in):
    met = factories.person(supervisor.team, "Aled Met", category="flex")
    factories.contact(met, officer, at(THIS_WEEK))
    factories.person(supervisor.team, "Bryn Short")
    rows = read_csv(signed_in(supervisor).get("/supervision/week.csv?status=short&week=2026-11-18"))
    assert [row["Name"] for row in rows] == ["Bryn Short"]


def test_headers_and_words_are_in_the_users_language(client, team, signed_in):
    reader = factories.user(team, "rhingyll@powys.example", role="supervisor", language="cy")
    factories.person(team, "Rhys Evans")
    response = signed_in(reader).get("/supervision/week.csv")
    [row] = read_csv(response)
    assert row["Enw"] == "Rhys Evans"
    assert row["Categori"] == "Sefydlog"
    assert row["CRN Delius"] == ""


def test_contact_rows_carry_london_dates_and_times_and_the_delius_code(client, supervisor, officer, probation_officer, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans", delius_crn="X123456")
    # 23:30 UTC on Sunday 5 July is 00:30 BST on Monday 6 July.
    factories.contact(person, probation_officer, datetime(2026, 7, 5, 23, 30, tzinfo=timezone.utc),
                      type="home_visit", outcome="not_at_home", duration_minutes=20,
                      pathways=["accommodation", "health"])
    factories.contact(person, officer, datetime(2026, 7, 7, 9, 0, tzinfo=timezone.utc), type="phone")
    response = signed_in(supervisor).get("/supervision/contacts.csv?start=2026-07-06&end=2026-07-12")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="cyswllt-contacts-2026-07-06-to-2026-07-12.csv"')
    rows = sorted(read_csv(response), key=lambda row: row["Date and time"])
    home, phone = rows
    assert (home["Date"], home["Date and time"], home["Week beginning"]) == (
        "2026-07-06", "2026-07-06T00:30:00+01:00", "2026-07-06")
    assert (home["Contact type"], home["Delius contact type code"], home["Outcome"], home["Kept"]) == (
        "Home visit", "CHVS", "Not kept: not at home", "No")
    assert (home["Duration in minutes"], home["Pathways"], home["Recorded by"], home["Recorder's agency"]) == (
        "20", "Accommodation and support; Health", "Nia Rowlands", "Probation")
    assert (phone["Contact type"], phone["Delius contact type code"]) == ("Phone call", "C204")  # police liaison


@pytest.mark.parametrize(("contact_type", "code"), [
    ("home_visit", "CHVS"), ("phone", "COPT"), ("video_online", "COVC"), ("office", "COAP"),
    ("public_place", "COOO"), ("welfare_help", "COOO"),
])
def test_probation_contacts_map_to_the_default_delius_codes(client, supervisor, probation_officer, signed_in,
                                                            contact_type, code):
    person = factories.person(supervisor.team)
    factories.contact(person, probation_officer, at(THIS_WEEK), type=contact_type)
    [row] = read_csv(signed_in(supervisor).get("/supervision/contacts.csv"))
    assert row["Delius contact type code"] == code


def codes_form(client, team_query=""):
    """The team's Delius settings form as it stands, ready to post back with some changed."""
    from app.domain import exports as rules
    from app.supervision.forms import field_name

    page = client.get("/supervision/delius-codes" + team_query)
    assert page.status_code == 200
    data = {field_name(key): value for key, value in rules.DEFAULTS.items()}
    return {"csrf_token": csrf_token_from(client, "/supervision/delius-codes" + team_query), **data}


def test_a_supervisor_changes_the_teams_delius_code_and_exports_use_it(app, client, supervisor, probation_officer, signed_in):
    person = factories.person(supervisor.team)
    factories.contact(person, probation_officer, at(THIS_WEEK), type="office")
    signed_in(supervisor)
    response = client.post("/supervision/delius-codes", data={**codes_form(client), "probation__office": "caop1"})
    assert response.status_code == 302
    [row] = read_csv(client.get("/supervision/contacts.csv"))
    assert row["Delius contact type code"] == "CAOP1"
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "delius_codes")).all()
    assert event.actor_id == supervisor.id and event.after["code"] == "CAOP1" and event.team_id == supervisor.team_id
    page = client.get("/supervision/delius-codes").get_data(as_text=True)
    assert "Office appointment (recorded by probation staff)" in page and "CAOP1" in page  # the history


def test_a_delius_code_must_be_letters_and_numbers(client, supervisor, signed_in):
    signed_in(supervisor)
    response = client.post("/supervision/delius-codes", data={
        **codes_form(client), "probation__office": "=HYPERLINK()", "police__phone": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "A Delius code is 2 to 16 letters and numbers, for example COPT." in page
    assert "Enter a Delius contact type code." in page


def test_officers_do_not_edit_the_delius_codes(client, officer, signed_in):
    signed_in(officer)
    assert client.get("/supervision/delius-codes").status_code == 403


def test_sensitive_notes_are_left_out_unless_asked_for_by_someone_allowed(app, client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team)
    factories.contact(person, officer, at(THIS_WEEK), notes="Disclosed a health condition.", sensitive=True)
    factories.contact(person, officer, at(THIS_WEEK, 11), notes="Talked about the job interview.")

    def notes(test_client, query=""):
        return sorted(row["Notes"] for row in read_csv(test_client.get("/supervision/contacts.csv" + query)))

    signed_in(supervisor)
    assert notes(client) == ["Sensitive: notes left out of this export", "Talked about the job interview."]
    assert notes(client, "?sensitive_notes=1") == ["Disclosed a health condition.", "Talked about the job interview."]
    colleague = factories.user(supervisor.team, "colleague@example.org")
    colleague_client = signed_in(colleague, app.test_client())
    assert notes(colleague_client, "?sensitive_notes=1") == [
        "Sensitive: notes left out of this export", "Talked about the job interview."]
    author_client = signed_in(officer, app.test_client())  # the author may read what they wrote
    assert notes(author_client) == ["Sensitive: notes left out of this export", "Talked about the job interview."]
    assert notes(author_client, "?sensitive_notes=1") == ["Disclosed a health condition.", "Talked about the job interview."]


def test_every_export_is_audited_with_what_was_asked_for_but_not_the_data(app, client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team)
    factories.contact(person, officer, at(THIS_WEEK), notes="Private words.", sensitive=True)
    signed_in(supervisor)
    client.get("/supervision/week.csv?status=short")
    client.get("/supervision/contacts.csv?start=2026-11-01&end=2026-11-18&sensitive_notes=1")
    week, contacts = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id)).all()
    assert (week.entity, week.actor_id, week.team_id) == ("week_view", supervisor.id, supervisor.team_id)
    assert week.after == {"filters": {"status": "short"}, "rows": 1, "week": "2026-11-16"}
    assert contacts.entity == "contact_log"
    assert contacts.after == {"filters": {"start": "2026-11-01", "end": "2026-11-18"}, "rows": 1,
                              "sensitive_notes_asked": True, "sensitive_notes_included": True}
    assert "Private words." not in str(contacts.after)


def test_the_contact_log_never_includes_another_teams_contacts(client, supervisor, other_team, signed_in):
    theirs = factories.person(other_team, "Bethan Caerdydd")
    their_officer = factories.user(other_team, "o@caerdydd.example")
    factories.contact(theirs, their_officer, at(THIS_WEEK))
    signed_in(supervisor)
    assert read_csv(client.get("/supervision/contacts.csv")) == []
    assert client.get(f"/supervision/contacts.csv?team={other_team.id}").status_code == 404


def test_the_contact_log_is_filtered_by_type_and_person(client, supervisor, officer, signed_in):
    fixed = factories.person(supervisor.team, "Aled Fixed")
    flex = factories.person(supervisor.team, "Bryn Flex", category="flex")
    factories.contact(fixed, officer, at(THIS_WEEK), type="phone")
    factories.contact(fixed, officer, at(THIS_WEEK), type="office")
    factories.contact(flex, officer, at(THIS_WEEK), type="phone")
    signed_in(supervisor)
    rows = read_csv(client.get("/supervision/contacts.csv?type=phone&category=fixed"))
    assert [(row["Name"], row["Contact type"]) for row in rows] == [("Aled Fixed", "Phone call")]
    page = client.get("/supervision/contacts?type=phone").get_data(as_text=True)
    table = page[page.index("<tbody>"):]
    assert "Aled Fixed" in table and "Bryn Flex" in table and "Office appointment" not in table
    assert "2 contacts." in page


def test_a_date_range_that_ends_before_it_starts_or_is_too_long_is_refused(client, supervisor, signed_in):
    signed_in(supervisor)
    page = client.get("/supervision/contacts?start=2026-11-10&end=2026-11-01").get_data(as_text=True)
    assert "The last day cannot be before the first day." in page
    assert client.get("/supervision/contacts.csv?start=2026-11-10&end=2026-11-01").status_code == 400
    assert client.get("/supervision/contacts.csv?start=2025-01-01&end=2026-11-01").status_code == 400
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all() == []


@pytest.mark.parametrize("value", ["=1+2", "+44 1234", "-3", "@SUM(A1)", "\tTAB", "\rCR"])
def test_cells_a_spreadsheet_would_run_as_formulas_are_made_text(value):
    assert safe_cell(value) == "'" + value


def test_ordinary_cells_and_numbers_are_left_alone():
    assert safe_cell("Home visit") == "Home visit"
    assert safe_cell(3) == 3
    assert safe_cell(None) == ""
    assert csv_text(["A"], [["=x"]]) == "\ufeffA\r\n'=x\r\n"


def test_notes_that_look_like_formulas_are_exported_as_text(client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team, "=HYPERLINK(\"http://evil\")")
    factories.contact(person, officer, at(THIS_WEEK), notes="=cmd|' /C calc'!A0")
    [row] = read_csv(signed_in(supervisor).get("/supervision/contacts.csv"))
    assert row["Notes"] == "'=cmd|' /C calc'!A0"
    assert row["Name"].startswith("'=")


@pytest.mark.parametrize(
    "value",
    [" =1+2", "  +44", "\u00a0=HYPERLINK(\"x\")", "\u200b=1", "\ufeff@SUM(A1)", "\u3000-3", "\n=1",
     "\uff1d1+2", "\uff0bcmd", "\uff0d3", "\uff20SUM(A1)", " \u200b\uff1dX"],
)
def test_formulas_behind_spaces_invisible_characters_or_fullwidth_signs_are_made_text_too(value):
    assert safe_cell(value) == "'" + value
    assert csv_text(["A"], [[value]]).split("\r\n")[1].lstrip('"').startswith("'")


@pytest.mark.parametrize("value", [" Home visit", "\u00a0Ffôn", "a=b", "Llanelli - home", "", "   "])
def test_text_with_spaces_or_signs_later_on_is_left_alone(value):
    assert safe_cell(value) == value


def test_the_audit_trail_export_uses_the_same_rule():
    from app.audit_trail import operations

    assert operations._cell("\u00a0\uff1d1") == "'\u00a0\uff1d1"
