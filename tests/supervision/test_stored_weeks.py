"""The week views read each person's stored weeks, and never show a week missing from them."""

from datetime import timedelta

from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import StoredPersonWeek
from app.supervision import operations
from tests import factories
from tests.conftest import CSRF_FIELD
from tests.supervision.conftest import NOW, THIS_WEEK, at, row_for


def _stored_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(StoredPersonWeek))


def test_weeks_never_stored_are_worked_out_stored_and_shown(app, client, supervisor, admin, officer, signed_in):
    person = factories.person(supervisor.team, "Rhys Evans", offender_manager=officer)
    factories.pause(person, THIS_WEEK + timedelta(days=3), None, reason="hospital")
    factories.contact(person, officer, at(THIS_WEEK))
    browser = signed_in(supervisor)
    before = row_for(browser.get("/supervision/week").get_data(as_text=True), "Rhys Evans")
    stored = _stored_rows()
    db.session.execute(delete(StoredPersonWeek))  # as after upgrading, before `flask rebuild-person-weeks`
    db.session.commit()
    again = browser.get("/supervision/week").get_data(as_text=True)
    assert row_for(again, "Rhys Evans") == before
    assert " 2 In hospital from Thursday: 2 contacts required 0 1 1 Short by 1 contact" in before  # Fixed: 3 a week for the 3 days before the pause, rounded up
    assert _stored_rows() == stored


def _without_form_tokens(page: str) -> str:
    """The page without its forms' CSRF tokens (they carry the second they were made in)."""
    return CSRF_FIELD.sub('name="csrf_token"', page)


def test_one_person_missing_this_week_beside_others_stored_is_worked_out_too(app, client, supervisor, admin, officer,
                                                                            signed_in):
    stored_person = factories.person(supervisor.team, "Aled Bowen", offender_manager=officer)
    missing = factories.person(supervisor.team, "Rhys Evans", category="flex", offender_manager=officer)
    factories.contact(stored_person, officer, at(THIS_WEEK))
    factories.contact(missing, officer, at(THIS_WEEK))
    browser, administrator = signed_in(supervisor), signed_in(admin, app.test_client())
    before = browser.get("/supervision/week").get_data(as_text=True)
    wales = _without_form_tokens(administrator.get("/supervision/wales").get_data(as_text=True))
    stored = _stored_rows()
    db.session.execute(delete(StoredPersonWeek).where(StoredPersonWeek.person_id == missing.id,
                                                      StoredPersonWeek.week == THIS_WEEK))
    db.session.commit()
    assert _without_form_tokens(administrator.get("/supervision/wales").get_data(as_text=True)) == wales
    assert _stored_rows() == stored
    db.session.execute(delete(StoredPersonWeek).where(StoredPersonWeek.person_id == missing.id,
                                                      StoredPersonWeek.week == THIS_WEEK))
    db.session.commit()
    again = browser.get("/supervision/week").get_data(as_text=True)
    for name in ("Aled Bowen", "Rhys Evans"):
        assert row_for(again, name) == row_for(before, name)
    assert " 1 0 1 1 Met" in row_for(again, "Rhys Evans")  # Flex: 1 a week, and stored again
    assert _stored_rows() == stored


def test_the_all_wales_summary_fills_in_a_week_past_the_stored_horizon(app, client, supervisor, admin, officer,
                                                                       signed_in):
    factories.person(supervisor.team, "Rhys Evans")
    app.config["FIXED_NOW"] = NOW + timedelta(weeks=60)  # long after the weeks stored ahead
    page = signed_in(admin).get("/supervision/wales").get_data(as_text=True)
    assert "Powys IOM" in page
    latest = db.session.scalar(select(func.max(StoredPersonWeek.week)))
    assert latest > THIS_WEEK + timedelta(weeks=60)


def test_a_change_of_team_defaults_shows_in_the_week_view_at_once(app, client, supervisor, officer, signed_in):
    factories.person(supervisor.team, "Aled Flex", category="flex")
    browser = signed_in(supervisor)
    assert " 1 0 0 0 Short by 1 contact" in row_for(browser.get("/supervision/week").get_data(as_text=True), "Aled Flex")
    operations.set_team_defaults(db.session, supervisor.team, fixed=3, flex=4, free=0, effective=THIS_WEEK,
                                 set_by=supervisor)
    db.session.commit()
    page = browser.get("/supervision/week").get_data(as_text=True)
    assert " 4 0 0 0 Short by 4 contacts" in row_for(page, "Aled Flex")
    last_week = browser.get(f"/supervision/week?week={THIS_WEEK - timedelta(weeks=1)}")
    assert " 1 0 0 0 Short by 1 contact" in row_for(last_week.get_data(as_text=True), "Aled Flex")
