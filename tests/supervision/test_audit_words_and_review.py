"""The Welsh review's application-level findings, and the usability audit's, kept fixed:

- the audit CSV in the reader's words (every action and kind labelled, Before/After as
  labelled values, never a column name or a stored code), file names in their language;
- the all-Wales team table in the reader's alphabetical order;
- a review and a change of category on the same day count in the order they were recorded,
  as the review form says;
- the review form shows the level now and the last 12 weeks; pages with errors say so in
  their title.
"""

from __future__ import annotations

import csv
import enum
import io
import re

import pytest

from app import models
from app.audit import _audited_columns_of
from app.audit_trail.labels import FIELD_LABELS, PER_ENTITY_LABELS, entity_labels
from app.domain.counting import WeekStatus
from app.domain.requirements import Category
from app.extensions import db
from app.models import Language
from tests import factories
from tests.supervision.conftest import THIS_WEEK, at, row_for, text_of
from tests.supervision.test_acting import REASONING, post


def _audited_models():
    return [mapper.class_ for mapper in db.Model.registry.mappers if getattr(mapper.class_, "__audited__", False)]


def test_every_audited_column_of_every_audited_table_has_a_label():
    missing = [(model.__tablename__, column) for model in _audited_models() for column in _audited_columns_of(model)
               if column not in FIELD_LABELS and (model.__tablename__, column) not in PER_ENTITY_LABELS]
    assert missing == [], "label these in app/audit_trail/labels.py FIELD_LABELS"


def test_every_audited_table_is_a_labelled_kind_of_record(app):
    with app.test_request_context():
        kinds = entity_labels()
    assert {model.__tablename__ for model in _audited_models()} - set(kinds) == set()


def _codes() -> set[str]:
    """What must never reach a reader: stored enum values, action codes, table and column names."""
    enums = [value for value in vars(models).values() if isinstance(value, type) and issubclass(value, enum.Enum)]
    values = {member.value for enum_class in [*enums, Category, WeekStatus] for member in enum_class}
    columns = {column for model in _audited_models() for column in _audited_columns_of(model)}
    return {str(value) for value in values} | columns | {
        "create", "update", "delete", "void", "correct", "deselect", "end", "export", "sign_in", "sign_out",
        "idle_sign_out", "sign_out_everywhere", "export_audit_trail", "week_view", "contact_log",
        *(model.__tablename__ for model in _audited_models()),
    }


def _parts(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"; |: |, ", cell) if part.strip()]


def _everything_a_team_does(client, supervisor, officer, signed_in):
    """One of each kind of event: contacts, reviews, category, RAG, pauses, de-selection,
    team defaults, exports with filters, sign-ins."""
    person = factories.person(supervisor.team, "Rhys Evans")
    leaver = factories.person(supervisor.team, "Aled Gadael")
    factories.contact(person, officer, at(THIS_WEEK), type="phone", outcome="refused", pathways=["health"])
    signed_in(supervisor)
    base = f"/supervision/people/{person.id}"
    assert post(client, f"{base}/review", {"contacts_per_week": "2", "effective": "2026-11-16",
                                          "next_review_due": "2027-02-16", **REASONING}).status_code == 302
    assert post(client, f"{base}/category", {"category": "flex", "effective": "2026-11-16",
                                            "reason": "Settled"}).status_code == 302
    assert post(client, f"{base}/rag", {"rag": "green", "effective": "2026-11-16", "reason": "Engaged"}).status_code == 302
    assert post(client, f"{base}/pause", {"reason": "hospital", "start": "2026-11-17"}).status_code == 302
    assert post(client, f"/supervision/people/{leaver.id}/deselect",
                {"criteria": ["moved_area"], "left_on": "2026-11-16"}).status_code == 302
    assert post(client, "/supervision/team", {"default_fixed": "4", "default_flex": "2", "default_free": "1",
                                             "effective": "2026-11-16"}).status_code == 302
    assert client.get("/supervision/week.csv?status=short&category=flex&sort=name").status_code == 200
    assert client.get("/supervision/contacts.csv?type=phone&start=2026-11-09&end=2026-11-18").status_code == 200
    return person


@pytest.mark.parametrize("language", ["cy", "en"])
def test_no_audit_export_cell_holds_a_raw_code(app, client, supervisor, officer, admin, signed_in, language):
    _everything_a_team_does(client, supervisor, officer, signed_in)
    admin.language = Language(language)
    db.session.commit()
    response = signed_in(admin, app.test_client()).get(f"/audit/export?team={supervisor.team_id}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))[1:]
    actions = {row[4] for row in rows}
    assert {"Allforiwyd" if language == "cy" else "Exported"} <= actions
    codes = _codes()
    problems = [(row[4], row[5], cell) for row in rows for cell in (row[4], row[5], row[9], row[10])
                if any(part in codes for part in _parts(cell))]
    assert problems == []
    if language == "cy":
        kinds = {row[5] for row in rows}
        assert {"Golwg yr wythnos", "Log cysylltiadau", "Person", "Cyswllt"} <= kinds
        assert any("Statws RAG: Gwyrdd" in row[10] for row in rows)
        assert any("Categori: Hyblyg" in row[10] for row in rows)


def test_downloads_are_named_in_the_readers_language(app, client, supervisor, admin, signed_in):
    factories.person(supervisor.team, "Rhys Evans")
    supervisor.language = Language("cy")
    admin.language = Language("cy")
    db.session.commit()
    signed_in(supervisor)
    week = client.get("/supervision/week.csv").headers["Content-Disposition"]
    contacts = client.get("/supervision/contacts.csv?start=2026-11-09&end=2026-11-18").headers["Content-Disposition"]
    assert week == 'attachment; filename="cyswllt-wythnos-2026-11-16.csv"'
    assert contacts == 'attachment; filename="cyswllt-cysylltiadau-2026-11-09-i-2026-11-18.csv"'
    audit_file = signed_in(admin, app.test_client()).get(f"/audit/export?team={supervisor.team_id}").headers["Content-Disposition"]
    assert audit_file == f'attachment; filename="cyswllt-trywydd-archwilio-tim-{supervisor.team_id}-20261118.csv"'


def test_the_all_wales_table_is_in_welsh_order_for_a_welsh_reader(client, admin, signed_in):
    for name in ("Conwy IOM", "Chwilog IOM", "Cydweli IOM"):
        factories.person(factories.team(name), "Rhys Evans")
    admin.language = Language("cy")
    db.session.commit()
    page = text_of(signed_in(admin).get("/supervision/wales").get_data(as_text=True))
    welsh = [page.index(name) for name in ("Conwy IOM", "Cydweli IOM", "Chwilog IOM")]  # ch comes after c
    assert welsh == sorted(welsh)
    admin.language = Language("en")
    db.session.commit()
    page = text_of(client.get("/supervision/wales").get_data(as_text=True))
    english = [page.index(name) for name in ("Chwilog IOM", "Conwy IOM", "Cydweli IOM")]
    assert english == sorted(english)


def _review_then_category(client, person, first: str):
    review = {"contacts_per_week": "2", "effective": "2026-11-16", "next_review_due": "2027-02-16", **REASONING}
    category = {"category": "flex", "effective": "2026-11-16", "reason": "Settled"}
    steps = [("review", review), ("category", category)]
    for action, data in steps if first == "review" else reversed(steps):
        assert post(client, f"/supervision/people/{person.id}/{action}", data).status_code == 302


def test_reviewed_to_two_then_moved_to_flex_the_same_day_counts_flexs_default(client, supervisor, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans")
    signed_in(supervisor)
    _review_then_category(client, person, first="review")
    assert " Flex Amber Police Not assigned 1 0 0 " in " " + row_for(client.get("/supervision/week").get_data(as_text=True), "Rhys Evans")


def test_moved_to_flex_then_reviewed_to_two_the_same_day_counts_the_review(client, supervisor, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans")
    signed_in(supervisor)
    _review_then_category(client, person, first="category")
    assert " Flex Amber Police Not assigned 2 0 0 " in " " + row_for(client.get("/supervision/week").get_data(as_text=True), "Rhys Evans")


def test_the_review_form_shows_the_level_now_and_the_last_twelve_weeks(client, supervisor, officer, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans")
    factories.contact(person, officer, at(THIS_WEEK))
    page = signed_in(supervisor).get(f"/supervision/people/{person.id}/review").get_data(as_text=True)
    text = text_of(page)
    assert "The level now: 3 contacts a week." in text
    assert "16 November 2026 3 1 1 Short by 2 contacts" in text
    assert len(re.findall(r"<tr><td>\d{1,2} \w+ 20\d\d</td>", page)) == 12
    assert 'aria-labelledby="review-chart-' in page
    assert "recorded after it on the same day" in text  # the rule the counting follows


@pytest.mark.parametrize(("language", "prefix"), [("en", "Error: Review the required level"),
                                                  ("cy", "Gwall: Adolygu'r lefel ofynnol")])
def test_a_page_with_errors_says_so_first_in_its_title(client, supervisor, signed_in, language, prefix):
    person = factories.person(supervisor.team, "Rhys Evans")
    supervisor.language = Language(language)
    db.session.commit()
    signed_in(supervisor)
    good = client.get(f"/supervision/people/{person.id}/review").get_data(as_text=True)
    assert not re.search(r"<title>\s*(Error|Gwall):", good)
    bad = post(client, f"/supervision/people/{person.id}/review", {"contacts_per_week": "15"}).get_data(as_text=True)
    title = re.search(r"<title>([^<]*)</title>", bad).group(1)
    assert title.startswith(prefix), title


# --- Supervisors browse their team's audit trail -------------------------------------


def test_a_supervisor_browses_the_teams_audit_trail_by_person_user_kind_and_date(
        app, client, supervisor, officer, other_team, signed_in):
    rhys = factories.person(supervisor.team, "Rhys Evans")
    factories.person(supervisor.team, "Aled Jones")
    factories.person(other_team, "Rhys Arall")
    signed_in(supervisor)
    assert post(client, f"/supervision/people/{rhys.id}/rag",
                {"rag": "green", "effective": "2026-11-16", "reason": "Engaged"}).status_code == 302
    page = text_of(client.get("/audit/team?person=rhys").get_data(as_text=True))
    assert "Rhys Evans" in page and "Aled Jones" not in page and "Rhys Arall" not in page
    assert "RAG status: Amber" in page and "RAG status: Green" in page
    by_user = text_of(client.get(f"/audit/team?user={supervisor.id}").get_data(as_text=True))
    assert "Aled Jones" not in by_user and "Rhys Evans" in by_user
    by_kind = text_of(client.get("/audit/team?kind=rag_changes").get_data(as_text=True))
    assert "RAG status change" in by_kind and "Contact" not in by_kind.split("Before After", 1)[-1]
    assert "0 events match." in text_of(client.get("/audit/team?start=2020-01-01&end=2020-01-31").get_data(as_text=True))
    assert client.get(f"/audit/team?team={other_team.id}").status_code in (403, 404)
    assert signed_in(officer, app.test_client()).get("/audit/team").status_code == 403


def test_the_teams_audit_trail_comes_a_page_at_a_time(client, supervisor, signed_in):
    from app.audit_trail.browse import PAGE_SIZE

    for number in range(PAGE_SIZE + 5):
        factories.person(supervisor.team, f"Person {number:03d}")
    signed_in(supervisor)
    first = client.get("/audit/team?kind=people").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Older events" in first
    second = client.get("/audit/team?kind=people&page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and "Newer events" in second
    assert second.count("<tr>") - 1 == 5
    assert client.get("/audit/team?page=999999999999999999999&user=99999999999999999999999").status_code == 200


def test_the_audit_export_finds_a_person_by_name_instead_of_listing_everyone(client, admin, other_team, signed_in):
    rhys = factories.person(admin.team, "Rhys Evans")
    factories.person(admin.team, "Aled Jones")
    factories.person(other_team, "Rhys Arall")
    signed_in(admin)
    empty = client.get("/audit/export").get_data(as_text=True)
    assert "Rhys Evans" not in empty and "Aled Jones" not in empty
    found = client.get(f"/audit/export?team={admin.team_id}&person_search=rhys&find=1")
    assert found.status_code == 200 and found.mimetype == "text/html"
    page = found.get_data(as_text=True)
    assert f'<option value="{rhys.id}">Rhys Evans</option>' in page
    assert "Aled Jones" not in page and "Rhys Arall" not in page
    download = client.get(f"/audit/export?team={admin.team_id}&person_search=rhys&person={rhys.id}")
    assert download.mimetype == "text/csv"
