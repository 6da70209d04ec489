"""A receiving team's supervisor transfers a person in (issue 12: an administrator, or
either team's supervisor), finding them by CRN or Niche reference."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, CohortPeriod
from app.permissions import Move, may
from tests import factories
from tests.cohort.test_cohort_pages import post, reload


@pytest.fixture
def receiving_supervisor(other_team):
    return factories.user(other_team, "sergeant@caerdydd.example", role="supervisor")


def test_the_receiving_teams_supervisor_transfers_a_person_in_by_crn(
        client, team, other_team, receiving_supervisor, signed_in):
    person = factories.person(team, "Rhys Evans", joined_on=date(2026, 9, 7), delius_crn="X123456")
    signed_in(receiving_supervisor)
    response = post(client, "/cohort/transfer-in", {"reference": "x123456", "on": "2026-11-11"})
    assert response.status_code == 302, response.get_data(as_text=True)
    stored = reload(person.id)
    assert (stored.team_id, stored.joined_on) == (other_team.id, date(2026, 11, 11))
    period = db.session.scalars(select(CohortPeriod)).one()
    assert (period.team_id, period.started_on, period.ended_on) == (team.id, date(2026, 9, 7), date(2026, 11, 11))
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "transfer")).one().person_id == person.id
    assert "Rhys Evans" in client.get(f"/people/{person.id}").get_data(as_text=True)


def test_a_transfer_in_by_niche_reference_refuses_a_person_already_here_or_unknown(
        client, team, other_team, receiving_supervisor, signed_in):
    here = factories.person(other_team, "Dafydd", niche_ref="22/0123456A")
    signed_in(receiving_supervisor)
    for reference, message in (("22/0123456A", "already in this team"), ("A654321", "Nobody in a cohort"),
                               ("nonsense!", "Delius CRN, such as X123456")):
        response = post(client, "/cohort/transfer-in", {"reference": reference, "on": "2026-11-11"})
        assert response.status_code == 400 and message in response.get_data(as_text=True), reference
    assert reload(here.id).team_id == other_team.id


def test_officers_cannot_transfer_anyone_in(client, team, other_officer, signed_in):
    factories.person(team, delius_crn="X123456")
    signed_in(other_officer)
    assert post(client, "/cohort/transfer-in", {"reference": "X123456", "on": "2026-11-11"}).status_code == 403


def test_transfer_is_for_administrators_and_either_teams_supervisors(team, other_team, supervisor, receiving_supervisor,
                                                                     admin, officer):
    third = factories.team("Gwynedd IOM", force_area="North Wales Police")
    third_supervisor = factories.user(third, "sergeant@gwynedd.example", role="supervisor")
    move = Move(team.id, other_team.id)
    assert [may(user, "transfer", move) for user in (supervisor, receiving_supervisor, admin, officer, third_supervisor)] \
        == [True, True, True, False, False]
