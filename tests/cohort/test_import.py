"""Importing a cohort from CSV: the command and the upload page."""

import io

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Person
from tests import factories
from tests.conftest import csrf_token_from

HEADER = "display_name,crn,niche_ref,category,rag,lead_agency,offender_manager_email,joined_on,mappa,wisdom,y2a\n"


def rows(officer_email: str) -> str:
    return HEADER + (
        f"Siân Ŵyn,x123456,22/0123456A,fixed,red,police,{officer_email},2026-09-07,ie,na,0\n"
        "Dafydd ap Gwilym,A654321,,flex,green,probation,,07/09/2026,no,yes,false\n"
    )


def people_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Person))


def test_importing_the_same_file_twice_changes_nothing(runner, team, officer, tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_bytes(("\ufeff" + rows(officer.email)).encode("utf-8"))
    result = runner.invoke(args=["import-people", str(path), "--team", team.name])
    assert result.exit_code == 0, result.output
    assert "2 admitted" in result.output
    siân = db.session.scalars(select(Person).where(Person.delius_crn == "X123456")).one()
    assert (siân.display_name, siân.offender_manager_id, siân.mappa) == ("Siân Ŵyn", officer.id, True)
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    result = runner.invoke(args=["import-people", str(path), "--team", team.name])
    assert "0 admitted, 0 updated, 2 unchanged" in result.output
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_a_changed_row_updates_that_person_and_is_audited(runner, team, officer, tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_text(rows(officer.email), encoding="utf-8")
    runner.invoke(args=["import-people", str(path), "--team", team.name])
    path.write_text(rows(officer.email).replace("Dafydd ap Gwilym,A654321,,flex,green",
                                                "Dafydd ap Gwilym,A654321,,flex,amber"), encoding="utf-8")
    result = runner.invoke(args=["import-people", str(path), "--team", team.name])
    assert "0 admitted, 1 updated, 1 unchanged" in result.output
    dafydd = db.session.scalars(select(Person).where(Person.delius_crn == "A654321")).one()
    assert dafydd.rag.value == "amber"
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "people", AuditEvent.action == "update")).one()


def test_one_bad_row_imports_nothing_and_every_bad_row_is_listed(runner, team, officer, tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_text(rows(officer.email) + "Bad One,X12,,fixed,red,police,,2026-09-07,no,no,no\n"
                    "Bad Two,B111111,,huge,red,police,nobody@example.org,31/02/2026,no,no,no\n", encoding="utf-8")
    result = runner.invoke(args=["import-people", str(path), "--team", team.name])
    assert result.exit_code != 0
    assert "line 4 (crn)" in result.output
    assert "line 5 (category)" in result.output and "line 5 (joined_on)" in result.output
    assert "line 5 (offender_manager_email)" in result.output
    assert people_count() == 0


def test_a_dry_run_changes_nothing(runner, team, officer, tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_text(rows(officer.email), encoding="utf-8")
    result = runner.invoke(args=["import-people", str(path), "--team", team.name, "--dry-run"])
    assert "2 admitted" in result.output and people_count() == 0


def test_excels_windows_csv_is_read_and_a_lost_welsh_letter_is_refused(runner, team, officer, tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_bytes((HEADER + "Siân Jones,X123456,,fixed,red,police,,2026-09-07,no,no,no\n").encode("cp1252"))
    assert runner.invoke(args=["import-people", str(path), "--team", team.name]).exit_code == 0
    assert db.session.scalars(select(Person)).one().display_name == "Siân Jones"
    path.write_bytes((HEADER + "Gwenllian Ap?n,X654321,,fixed,red,police,,2026-09-07,no,no,no\n").encode("cp1252"))
    result = runner.invoke(args=["import-people", str(path), "--team", team.name])
    assert "line 2 (display_name)" in result.output


def test_someone_in_another_teams_cohort_is_not_imported(runner, team, other_team, officer, tmp_path):
    factories.person(other_team, "Dafydd", delius_crn="A654321")
    path = tmp_path / "cohort.csv"
    path.write_text(rows(officer.email), encoding="utf-8")
    result = runner.invoke(args=["import-people", str(path), "--team", team.name])
    assert "line 3 (crn)" in result.output and "already in a cohort" in result.output
    assert people_count() == 1


def upload(client, text: str, **extra):
    data = {"csrf_token": csrf_token_from(client, "/cohort/import"),
            "file": (io.BytesIO(text.encode("utf-8")), "cohort.csv"), **extra}
    return client.post("/cohort/import", data=data, content_type="multipart/form-data")


def test_the_upload_page_lists_the_problems_in_welsh(client, supervisor, officer, signed_in):
    supervisor.language = "cy"
    db.session.commit()
    signed_in(supervisor)
    response = upload(client, rows(officer.email) + "Bad,X12,,fixed,red,police,,2026-09-07,no,no,no\n")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<td>4</td>" in page
    assert "Mae CRN Delius yn un llythyren a chwe digid" in page and "one letter and six digits" not in page
    assert people_count() == 0


def test_the_upload_page_imports_into_the_supervisors_team(client, supervisor, officer, signed_in):
    signed_in(supervisor)
    response = upload(client, rows(officer.email))
    assert response.status_code == 200
    assert "2 people admitted" in response.get_data(as_text=True)
    assert {person.team_id for person in db.session.scalars(select(Person))} == {supervisor.team_id}
