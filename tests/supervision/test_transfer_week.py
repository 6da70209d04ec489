"""The week of a mid-week transfer: each team's week view requires its own share of it,
from the stored weeks (``app.person_weeks``), and neither team the other's weeks."""

from __future__ import annotations

from datetime import date

from app import person_weeks
from app.cohort import operations
from app.domain.requirements import pro_rated
from app.extensions import db
from app.supervision.queries import week_rows
from tests import factories
from tests.supervision.conftest import LAST_WEEK, THIS_WEEK

MOVED_ON = date(2026, 11, 11)  # the Wednesday of LAST_WEEK
BEFORE = date(2026, 11, 2)


def transferred(team, other_team):
    person = factories.person(team, "Rhys Evans", joined_on=date(2026, 9, 7))
    operations.transfer(db.session, person, to_team=other_team, on=MOVED_ON, today=date(2026, 11, 18))
    db.session.commit()
    return person


def required(team, week, person) -> list[int]:
    """This week's requirement and the history's, as the team's week view has them."""
    row = next(row for row in week_rows(db.session, team, week, date(2026, 11, 18)) if row.person.id == person.id)
    return [count.required for count in row.history]


def test_each_team_is_required_its_share_of_the_transfer_week(app, team, other_team):
    person = transferred(team, other_team)
    level = team.default_fixed
    old = required(team, LAST_WEEK, person)
    new = required(other_team, THIS_WEEK, person)
    # The history ends with the week shown: ... BEFORE, LAST_WEEK (and THIS_WEEK for the new team).
    assert old[-2:] == [level, pro_rated(level, 2)]
    assert new[-3:] == [0, pro_rated(level, 5), level]


def test_the_old_teams_week_before_the_transfer_is_its_whole_requirement(app, team, other_team):
    person = transferred(team, other_team)
    assert required(team, BEFORE, person)[-1] == team.default_fixed


def test_the_stored_row_of_the_transfer_week_is_the_new_teams_share_and_agrees_with_the_check(app, team, other_team):
    person = transferred(team, other_team)
    row = db.session.get(person_weeks.StoredPersonWeek, (person.id, LAST_WEEK))
    assert (row.team_id, row.required) == (other_team.id, pro_rated(other_team.default_fixed, 5))
    assert person_weeks.team_shares(db.session, team.id, {person.id: [LAST_WEEK, THIS_WEEK]}) == {
        (person.id, LAST_WEEK): pro_rated(team.default_fixed, 2), (person.id, THIS_WEEK): 0}
    assert person_weeks.check_person_weeks(db.session, date(2026, 11, 18)) == []
