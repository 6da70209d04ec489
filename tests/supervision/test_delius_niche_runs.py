"""Delius and Niche export runs: what each carries, marked; the files; notes; Welsh; the audit."""

import csv
import io
import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from app.contacts.operations import correct_contact, void_contact
from app.extensions import db
from app.models import AuditEvent, ExportRun
from tests import factories
from tests.conftest import csrf_token_from
from tests.supervision.conftest import LAST_WEEK, NOW, THIS_WEEK, at


@pytest.fixture
def probation_officer(team):
    return factories.user(team, "nia@powys.example", agency="probation", name="Nia Rowlands")


def make_run(client, kind="delius", scope="changed", first="2026-11-09", last="2026-11-18", sensitive=False, query=""):
    data = {"csrf_token": csrf_token_from(client, "/supervision/exports" + query), "kind": kind, "scope": scope,
            "first_day": first, "last_day": last}
    if sensitive:
        data["sensitive_notes"] = "y"
    return client.post("/supervision/exports" + query, data=data)


def run_id_of(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/exports/(\d+)$", response.location).group(1))


def delius_rows(client, run_id) -> list[dict]:
    response = client.get(f"/supervision/exports/{run_id}/file")
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def niche_text(client, run_id) -> str:
    response = client.get(f"/supervision/exports/{run_id}/file")
    assert response.mimetype == "text/plain"
    return response.get_data().decode("utf-8-sig")


def test_a_delius_row_carries_the_codes_times_crn_and_the_contact_id_as_external_reference(
        client, supervisor, probation_officer, signed_in):
    person = factories.person(supervisor.team, "Siôn Ŵyn", delius_crn="X123456")
    # 09:30 UTC on 18 November is 09:30 GMT; 45 minutes later it ended.
    contact = factories.contact(person, probation_officer, datetime(2026, 11, 18, 9, 30, tzinfo=timezone.utc),
                                type="partner_agency", outcome="kept", duration_minutes=45)
    signed_in(supervisor)
    [row] = delius_rows(client, run_id_of(make_run(client, scope="range")))
    assert row["External reference"] == str(contact.id)
    assert (row["Delius CRN"], row["Name"]) == ("X123456", "Siôn Ŵyn")
    assert (row["Contact date"], row["Start time"], row["End time"]) == ("18/11/2026", "09:30", "10:15")
    assert (row["Delius contact type code"], row["Delius outcome code"]) == ("C084", "ATTC")
    assert (row["Export status"], row["Officers present"], row["Sensitive"]) == ("New", "Nia Rowlands", "No")


def test_summer_time_is_keyed_as_uk_local_time(client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team)
    factories.contact(person, officer, datetime(2026, 7, 5, 23, 30, tzinfo=timezone.utc))  # 00:30 BST on the 6th
    signed_in(supervisor)
    [row] = delius_rows(client, run_id_of(make_run(client, scope="range", first="2026-07-06", last="2026-07-06")))
    assert (row["Contact date"], row["Start time"], row["Delius contact type code"]) == ("06/07/2026", "00:30", "C204")


def test_absences_go_out_as_the_team_decided(client, supervisor, probation_officer, signed_in):
    from tests.supervision.test_exports import codes_form

    person = factories.person(supervisor.team)
    factories.contact(person, probation_officer, at(THIS_WEEK), outcome="not_at_home")
    factories.contact(person, probation_officer, at(THIS_WEEK, 11), outcome="did_not_attend")
    signed_in(supervisor)
    rows = delius_rows(client, run_id_of(make_run(client, scope="range")))
    assert [row["Delius outcome code"] for row in rows] == ["AAAA", "UAAB"]
    assert client.post("/supervision/delius-codes", data={
        **codes_form(client), "absence__not_at_home": "unacceptable"}).status_code == 302
    rows = delius_rows(client, run_id_of(make_run(client, scope="range")))
    assert [row["Delius outcome code"] for row in rows] == ["UAAB", "UAAB"]


def test_the_second_run_gives_only_new_and_changed_with_corrections_and_voids_marked(
        app, client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team, delius_crn="X123456")
    same = factories.contact(person, officer, at(LAST_WEEK))
    fixed = factories.contact(person, officer, at(LAST_WEEK, 11), notes="At hom.")
    gone = factories.contact(person, officer, at(THIS_WEEK))
    signed_in(supervisor)
    first = run_id_of(make_run(client, scope="range", first="2026-11-09", last="2026-11-18"))
    assert {row["External reference"] for row in delius_rows(client, first)} == {str(same.id), str(fixed.id), str(gone.id)}

    correct_contact(db.session, officer, fixed.id, {"notes": "At home."}, now=NOW, reason="A typing error")
    void_contact(db.session, officer, gone.id, now=NOW, reason="Recorded for the wrong person")
    db.session.commit()
    late = factories.contact(person, officer, at(LAST_WEEK, 15))  # arrived late, in a week already exported

    second = run_id_of(make_run(client))
    rows = {row["External reference"]: row for row in delius_rows(client, second)}
    assert set(rows) == {str(fixed.id), str(gone.id), str(late.id)}
    assert rows[str(fixed.id)]["Export status"] == "Corrected"
    assert rows[str(fixed.id)]["Notes"] == "At home."
    assert rows[str(fixed.id)]["Reason for the correction or void"] == "A typing error"
    assert rows[str(gone.id)]["Export status"] == "Voided"
    assert rows[str(gone.id)]["Reason for the correction or void"] == "Recorded for the wrong person"
    assert rows[str(late.id)]["Export status"] == "New"

    third = run_id_of(make_run(client))
    assert delius_rows(client, third) == []
    page = client.get(f"/supervision/exports/{first}").get_data(as_text=True)
    assert "2 contacts in this export have been corrected or voided since it was made" in page


def test_a_new_and_changed_run_needs_an_earlier_run_and_says_so(client, supervisor, signed_in):
    signed_in(supervisor)
    response = make_run(client, scope="changed")
    assert response.status_code == 400
    assert "There is no earlier export of this kind to continue from." in response.get_data(as_text=True)
    assert db.session.scalars(select(ExportRun)).all() == []


def test_a_date_range_is_checked_field_by_field(client, supervisor, signed_in):
    signed_in(supervisor)
    page = make_run(client, scope="range", first="2026-11-18", last="2026-11-01").get_data(as_text=True)
    assert "The last day cannot be before the first day." in page
    page = make_run(client, scope="range", first="", last="2026-11-01").get_data(as_text=True)
    assert "Enter the first day." in page


def test_niche_blocks_have_the_reference_time_officer_kind_outcome_and_a_copy_button(client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans", niche_ref="22/123456A")
    contact = factories.contact(person, officer, at(THIS_WEEK), type="home_visit", outcome="refused", notes="Shouted.")
    signed_in(supervisor)
    run_id = run_id_of(make_run(client, kind="niche", scope="range"))
    text = niche_text(client, run_id)
    assert "\r\n" in text
    for line in (f"Cyswllt reference: {contact.id}", "Niche or PNC reference: 22/123456A", "Name: Rhys Evans",
                 "Date and time: 16/11/2026 10:00", "Officer: Officer", "Kind of contact: Home visit",
                 "Outcome: Refused", "Notes: Shouted."):
        assert line in text
    page = client.get(f"/supervision/exports/{run_id}").get_data(as_text=True)
    assert 'data-copy="niche-1"' in page and "js/copy.js" in page


def test_sensitive_notes_are_absent_unless_allowed_and_asked_and_the_choice_is_audited(
        client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team)
    factories.contact(person, officer, at(THIS_WEEK), notes="Disclosed a health condition.", sensitive=True)
    signed_in(supervisor)
    plain = run_id_of(make_run(client, scope="range"))
    [row] = delius_rows(client, plain)
    assert (row["Notes"], row["Sensitive"]) == ("Sensitive: notes left out of this export", "Yes")
    asked = run_id_of(make_run(client, kind="niche", scope="range", sensitive=True))
    assert "Disclosed a health condition." in niche_text(client, asked)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export",
                                                        AuditEvent.entity.in_(["delius_export", "niche_export"]))).all()
    made = [event for event in events if "download" not in event.after]
    assert [event.after["sensitive_notes_included"] for event in made] == [False, True]
    assert all("Disclosed" not in str(event.after) for event in events)


def test_an_officer_may_not_make_or_read_runs(app, client, supervisor, officer, signed_in):
    signed_in(supervisor)
    run_id = run_id_of(make_run(client, scope="range"))
    officer_client = signed_in(officer, app.test_client())
    assert officer_client.get("/supervision/exports").status_code == 403
    assert officer_client.get(f"/supervision/exports/{run_id}/file").status_code == 403


def test_delius_cells_that_a_spreadsheet_would_run_are_made_text(client, supervisor, probation_officer, signed_in):
    person = factories.person(supervisor.team, "=HYPERLINK(\"http://x\")")
    factories.contact(person, probation_officer, at(THIS_WEEK), notes="+44 ring me")
    signed_in(supervisor)
    [row] = delius_rows(client, run_id_of(make_run(client, scope="range")))
    assert row["Name"].startswith("'=") and row["Notes"] == "'+44 ring me"


def test_headings_and_file_names_are_in_welsh_for_a_welsh_reader_with_the_codes_unchanged(client, team, officer, signed_in):
    reader = factories.user(team, "rhingyll@powys.example", role="supervisor", language="cy")
    person = factories.person(team, delius_crn="X123456")
    factories.contact(person, officer, at(THIS_WEEK))
    signed_in(reader)
    run_id = run_id_of(make_run(client, scope="range"))
    response = client.get(f"/supervision/exports/{run_id}/file")
    assert response.headers["Content-Disposition"] == f'attachment; filename="cyswllt-delius-2026-11-18-rhediad-{run_id}.csv"'
    [row] = csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig")))
    assert row["CRN Delius"] == "X123456"
    assert row["Cod math o gyswllt Delius"] == "C204"
    assert row["Statws yr allforio"] == "Newydd"
    niche = run_id_of(make_run(client, kind="niche", scope="range"))
    response = client.get(f"/supervision/exports/{niche}/file")
    assert response.headers["Content-Disposition"] == f'attachment; filename="cyswllt-niche-2026-11-18-rhediad-{niche}.txt"'
    assert "Cyfeirnod Cyswllt:" in response.get_data().decode("utf-8-sig")


def test_sensitive_notes_asked_for_are_left_out_when_permissions_say_no_even_at_a_later_download(
        client, supervisor, officer, signed_in, monkeypatch):
    from app import permissions

    person = factories.person(supervisor.team)
    factories.contact(person, officer, at(THIS_WEEK), notes="Disclosed a health condition.", sensitive=True)
    signed_in(supervisor)
    run_id = run_id_of(make_run(client, kind="niche", scope="range", sensitive=True))
    assert "Disclosed a health condition." in niche_text(client, run_id)
    monkeypatch.setitem(permissions.ABILITIES, "read_team_sensitive_notes", lambda user, target=None: False)
    text = niche_text(client, run_id)
    assert "Disclosed" not in text and "Sensitive: notes left out of this export" in text
    page = client.get(f"/supervision/exports/{run_id}").get_data(as_text=True)
    assert "Disclosed" not in page and "you may not see them" in page
    refused = run_id_of(make_run(client, scope="range", sensitive=True))
    assert db.session.get(ExportRun, refused).sensitive_notes is False
    [last] = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "niche_export")
                                .order_by(AuditEvent.id.desc()).limit(1)).all()
    assert last.after["sensitive_notes_included"] is False


def test_one_teams_codes_never_change_another_teams_export(app, client, admin, team, other_team, signed_in):
    from app.supervision.operations import delius_codes
    from tests.supervision.test_exports import codes_form

    signed_in(admin)
    query = f"?team={other_team.id}"
    response = client.post("/supervision/delius-codes" + query, data={**codes_form(client, query), "police__home_visit": "CHVS"})
    assert response.status_code == 302
    assert delius_codes(db.session, other_team)["police:home_visit"] == "CHVS"
    assert delius_codes(db.session, team)["police:home_visit"] == "C204"
    other_supervisor = factories.user(other_team, "sarjant@caerdydd.example", role="supervisor")
    page = signed_in(other_supervisor, app.test_client()).get("/supervision/delius-codes").get_data(as_text=True)
    assert "Home visit (recorded by police staff)" in page  # in the history, with who changed it
    assert "An administrator" in page  # an administrator of another team, whose name this team does not see


def test_delius_and_niche_keep_their_own_record_of_what_was_sent(client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team)
    contact = factories.contact(person, officer, at(THIS_WEEK))
    signed_in(supervisor)
    run_id_of(make_run(client, kind="delius", scope="range"))
    run_id_of(make_run(client, kind="niche", scope="range", first="2026-11-16"))
    later = factories.contact(person, officer, at(THIS_WEEK, 11))
    delius = {row["External reference"] for row in delius_rows(client, run_id_of(make_run(client, kind="delius")))}
    niche = niche_text(client, run_id_of(make_run(client, kind="niche")))
    assert delius == {str(later.id)}
    assert str(later.id) in niche and str(contact.id) not in niche
