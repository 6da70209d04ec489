"""Only the team's active users are offered, and accepted, as offender managers: a leaver
(deactivated) is in no list and no form, file or operation can allocate them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.cohort import operations
from app.domain.requirements import Category
from app.extensions import db
from app.models import Agency, Person, Rag
from tests import factories
from tests.cohort.test_cohort_pages import ADMIT, post, reload
from tests.cohort.test_import import HEADER


@pytest.fixture
def leaver(team):
    return factories.user(team, "leaver@powys.example", name="Gwen Gadael", active=False)


def details(manager_id: int) -> operations.Details:
    return operations.Details(display_name="Siân Ŵyn", delius_crn="X123456", niche_ref=None, category=Category.FIXED,
                              rag=Rag.RED, lead_agency=Agency.POLICE, offender_manager_id=manager_id,
                              joined_on=date(2026, 11, 2))


def test_the_admit_and_allocation_forms_offer_only_active_users(client, supervisor, officer, leaver, signed_in):
    person = factories.person(supervisor.team)
    signed_in(supervisor)
    for url in ("/cohort/admit", f"/cohort/people/{person.id}/allocation"):
        page = client.get(url).get_data(as_text=True)
        assert officer.name in page and leaver.name not in page, url
    response = post(client, "/cohort/admit", {**ADMIT, "offender_manager": str(leaver.id)})
    assert response.status_code == 400
    assert db.session.scalars(select(Person.id)).all() == [person.id]
    response = post(client, f"/cohort/people/{person.id}/allocation",
                    {"offender_manager": str(leaver.id), "lead_agency": "police"})
    assert response.status_code == 400
    assert reload(person.id).offender_manager_id is None


def test_the_operations_refuse_a_leaver_or_another_teams_user(app, team, leaver, other_officer):
    for manager in (leaver, other_officer):
        with pytest.raises(operations.CohortError):
            operations.admit(db.session, team, details(manager.id))
    person = factories.person(team)
    for manager in (leaver, other_officer):
        with pytest.raises(operations.CohortError):
            operations.change_allocation(db.session, person, offender_manager_id=manager.id)
    assert operations.offender_managers(db.session, team.id) == []


def test_an_import_naming_a_leaver_as_offender_manager_imports_nothing(runner, team, officer, leaver, tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_text(HEADER + f"Siân Ŵyn,X123456,,fixed,red,police,{officer.email},2026-09-07,no,no,no\n"
                    f"Dafydd ap Gwilym,A654321,,flex,green,probation,{leaver.email},2026-09-07,no,no,no\n",
                    encoding="utf-8")
    result = runner.invoke(args=["import-people", str(path), "--team", team.name])
    assert result.exit_code != 0
    assert "line 3 (offender_manager_email)" in result.output
    assert "This user has left" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(Person)) is None
