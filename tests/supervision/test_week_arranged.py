"""The week view and its export show how many contacts are arranged for each person, beside offered and kept."""

import csv
import io
from datetime import timedelta

from tests import factories
from tests.supervision.conftest import THIS_WEEK, at


def test_the_week_view_and_its_export_show_arranged_beside_offered_and_kept(supervisor, officer, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans", offender_manager=officer)
    factories.contact(person, officer, at(THIS_WEEK))
    factories.arrangement(person, officer, at(THIS_WEEK) + timedelta(days=1))
    factories.arrangement(person, officer, at(THIS_WEEK) + timedelta(days=2))
    factories.arrangement(person, officer, at(THIS_WEEK) + timedelta(days=3), state="cancelled")
    client = signed_in(supervisor)
    page = client.get("/supervision/week").get_data(as_text=True)
    assert "Contacts required, arranged, offered and kept" in page
    row = page[page.index("Rhys Evans</a></th>"):]
    cells = [cell.split("</td>")[0].split(">")[-1] for cell in row.split("<td")[1:9]]
    assert cells[5:8] == ["2", "1", "1"]  # arranged (not the cancelled one), offered, kept
    body = client.get("/supervision/week.csv").get_data().decode("utf-8-sig")
    [exported] = list(csv.DictReader(io.StringIO(body)))
    assert (exported["Contacts arranged"], exported["Contacts offered"], exported["Contacts kept"]) == ("2", "1", "1")


def test_arranging_alone_never_counts_as_offered(supervisor, officer, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans", offender_manager=officer)
    factories.arrangement(person, officer, at(THIS_WEEK))  # Monday: passed, its outcome missing
    body = signed_in(supervisor).get("/supervision/week.csv").get_data().decode("utf-8-sig")
    [exported] = list(csv.DictReader(io.StringIO(body)))
    assert (exported["Contacts arranged"], exported["Contacts offered"]) == ("1", "0")
