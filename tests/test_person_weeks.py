"""Each person's stored weeks always say what the rules say, whatever was changed and in what order.

The stored rows (``app.person_weeks``) are compared after every change with the rules
computed from scratch here: the histories read back from the database and handed to
``app.domain``'s one-week rule, ``required_for_week``, week by week (the stored rows come
from the many-weeks version). The generated histories run across both of 2026's clock
changes (29 March and 25 October).
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import delete, select, update

from app import person_weeks
from app.domain.cohort import StatusSpan, value_on
from app.domain.requirements import (
    Category,
    CategorySpan,
    CohortMembership,
    Pause as PausePeriod,
    Review,
    category_on,
    reference_day,
    required_for_week,
)
from app.extensions import db
from app.models import (
    CategoryChange,
    DeselectionReason,
    Pause,
    PauseReason,
    Person,
    Rag,
    RagChange,
    RequirementReview,
    StoredPersonWeek,
    Team,
)
from app.cohort import operations as cohort
from app.supervision import operations
from tests import factories

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=timezone.utc)
FIRST_DAY = date(2026, 1, 5)  # a Monday; the generated days run to the end of the year
DAYS = 360
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_names = itertools.count()


def _day(offset: int) -> date:
    return FIRST_DAY + timedelta(days=offset)


days = st.integers(min_value=0, max_value=DAYS - 1)
levels = st.integers(min_value=0, max_value=14)
categories = st.sampled_from(list(Category))
changes = st.lists(
    st.one_of(
        st.tuples(st.just("category"), st.integers(0, 2), categories, days),
        st.tuples(st.just("review"), st.integers(0, 2), levels, days),
        st.tuples(st.just("pause"), st.integers(0, 2), days, st.none() | st.integers(0, 60),
                  st.sampled_from(list(PauseReason))),
        st.tuples(st.just("end_pause"), st.integers(0, 2), st.integers(0, 40)),
        st.tuples(st.just("rag"), st.integers(0, 2), st.sampled_from(list(Rag)), days),
        st.tuples(st.just("joined"), st.integers(0, 2), days),
        st.tuples(st.just("leave"), st.integers(0, 2), st.integers(0, 120)),
        st.tuples(st.just("back"), st.integers(0, 2)),
        st.tuples(st.just("defaults"), st.integers(0, 1), levels, levels, levels, days),
        st.tuples(st.just("plain_defaults"), st.integers(0, 1), levels, levels, levels),
        st.tuples(st.just("delete"), st.integers(0, 2), st.sampled_from(["category", "review", "pause", "rag"])),
        st.tuples(st.just("move"), st.integers(0, 2), st.integers(0, 1)),
    ),
    min_size=1,
    max_size=10,
)


def _from_scratch(person: Person, through: date) -> dict[date, tuple]:
    """The week-by-week values the rules give for one person, read back afresh."""
    def rows(model, *order):
        return list(db.session.scalars(select(model).where(model.person_id == person.id).order_by(*order)))

    spans = [CategorySpan(row.category, row.effective) for row in rows(CategoryChange, CategoryChange.effective,
                                                                       CategoryChange.id)]
    spans = spans or [CategorySpan(person.category, person.joined_on)]
    reviews = [Review(row.effective, row.contacts_per_week)
               for row in rows(RequirementReview, RequirementReview.effective, RequirementReview.id)]
    pauses = [(PausePeriod(row.start, row.end), row.reason) for row in rows(Pause, Pause.start, Pause.id)]
    rags = [StatusSpan(row.rag.value, row.effective) for row in rows(RagChange, RagChange.effective, RagChange.id)]
    rags = rags or [StatusSpan(person.rag.value, person.joined_on)]
    team = db.session.get(Team, person.team_id)
    membership = CohortMembership(person.joined_on, person.left_on)
    expected = {}
    monday = FIRST_DAY - timedelta(weeks=2)
    while monday <= through:
        sunday = monday + timedelta(days=6)
        if person.joined_on <= sunday and (person.left_on is None or person.left_on > monday):
            day = reference_day(monday, membership)
            category = category_on(day, spans)
            paused = person_weeks.paused_in(monday, pauses)
            expected[monday] = (
                person.team_id,
                required_for_week(monday, membership=membership, spans=spans, reviews=reviews,
                                  pauses=[period for period, _ in pauses], defaults=team.default_levels()),
                category.value if category else None,
                value_on(day, rags) or person.rag.value,
                paused.value if paused else None,
            )
        monday += timedelta(weeks=1)
    return expected


def _stored(person: Person) -> dict[date, tuple]:
    rows = db.session.scalars(select(StoredPersonWeek).where(StoredPersonWeek.person_id == person.id))
    return {
        row.week: (row.team_id, row.required, row.category.value if row.category else None, row.rag.value,
                   row.paused.value if row.paused else None)
        for row in rows
    }


def _assert_stored_equal_the_rules(people: list[Person], after: tuple) -> None:
    db.session.expire_all()
    through = person_weeks.horizon()
    for person in people:
        assert _stored(person) == _from_scratch(person, through), (after, person.display_name)


def _apply(change: tuple, people: list[Person], teams: list[Team], supervisor) -> None:
    kind, which = change[0], change[1]
    if kind in ("defaults", "plain_defaults"):
        team = teams[which]
        fixed, flex, free = change[2:5]
        if kind == "defaults":
            operations.set_team_defaults(db.session, team, fixed=fixed, flex=flex, free=free,
                                         effective=_day(change[5]), set_by=None)
        else:  # a team with no history yet counts every week by its current levels
            team.default_fixed, team.default_flex, team.default_free = fixed, flex, free
        return
    person = people[which]
    if kind == "category":
        operations.change_category(db.session, person, by=supervisor, category=change[2], effective=_day(change[3]),
                                   reason="Generated.", today=_day(DAYS))
    elif kind == "review":
        factories.review(person, _day(change[3]), change[2], next_review_due=_day(change[3]) + timedelta(days=90))
    elif kind == "pause":
        start = _day(change[2])
        end = None if change[3] is None else start + timedelta(days=change[3])
        operations.add_pause(db.session, person, by=supervisor, start=start, end=end, reason=change[4])
    elif kind == "end_pause":
        open_pause = db.session.scalar(select(Pause).where(Pause.person_id == person.id, Pause.end.is_(None)))
        if open_pause is not None:
            operations.end_pause(db.session, open_pause, end=open_pause.start + timedelta(days=change[2]))
    elif kind == "rag":
        operations.change_rag(db.session, person, by=supervisor, rag=change[2], effective=_day(change[3]),
                              reason="Generated.", today=_day(DAYS))
    elif kind == "joined":  # an admission date corrected
        person.joined_on = _day(change[2])
        if person.left_on is not None and person.left_on < person.joined_on:
            person.left_on = person.joined_on
    elif kind == "leave":
        if person.left_on is None:
            cohort.deselect(db.session, person, left_on=person.joined_on + timedelta(days=change[2]),
                            criteria=[DeselectionReason.MOVED_AREA], exit_strategy=None, y2a_early_reason=None,
                            today=date(2099, 12, 31))
    elif kind == "back":  # a de-selection recorded in error, undone
        person.left_on, person.left_reason = None, None
    elif kind == "delete":
        model = {"category": CategoryChange, "review": RequirementReview, "pause": Pause, "rag": RagChange}[change[2]]
        row = db.session.scalar(select(model).where(model.person_id == person.id).order_by(model.id.desc()).limit(1))
        if row is not None:
            db.session.delete(row)
    elif kind == "move":  # moved to another team
        person.team = teams[change[2]]


@pytest.mark.slow
@SETTINGS
@given(changes=changes)
def test_the_stored_weeks_equal_the_rules_after_every_change(app, changes):
    app.config["FIXED_NOW"] = NOW
    number = next(_names)
    teams = [factories.team(f"Tîm {number} A"), factories.team(f"Tîm {number} B", default_flex=2)]
    supervisor = factories.user(teams[0], f"sergeant{number}@example.org", role="supervisor")
    people = [
        factories.person(teams[0], f"Person {number} one", category="fixed", joined_on=date(2026, 3, 25)),
        factories.person(teams[0], f"Person {number} two", category="flex", joined_on=date(2026, 10, 21)),
        factories.person(teams[1], f"Person {number} three", category="free", joined_on=date(2026, 2, 2)),
    ]
    _assert_stored_equal_the_rules(people, ("created",))
    for change in changes:
        _apply(change, people, teams, supervisor)
        db.session.commit()
        _assert_stored_equal_the_rules(people, change)


def test_a_new_person_has_every_week_from_joining_to_the_horizon(app, team):
    app.config["FIXED_NOW"] = NOW
    person = factories.person(team, joined_on=date(2026, 10, 30))  # a Friday, in the week after the clocks went back
    weeks = sorted(_stored(person))
    assert weeks[0] == date(2026, 10, 26)
    assert weeks[-1] == date(2026, 11, 16) + timedelta(weeks=person_weeks.HORIZON_WEEKS)
    assert _stored(person)[date(2026, 10, 26)][1] == 2  # Fixed: 3 a week for 3 of the 7 days, rounded up


def test_a_person_who_leaves_keeps_no_weeks_after_leaving(app, team):
    app.config["FIXED_NOW"] = NOW
    person = factories.person(team, joined_on=date(2026, 9, 7))
    cohort.deselect(db.session, person, left_on=date(2026, 10, 1), criteria=[DeselectionReason.MOVED_AREA],
                    exit_strategy=None, y2a_early_reason=None, today=date(2026, 11, 18))
    db.session.commit()
    assert max(_stored(person)) == date(2026, 9, 28)


def test_the_check_finds_a_stored_week_that_differs_and_the_rebuild_mends_it(app, team, runner):
    app.config["FIXED_NOW"] = NOW
    person = factories.person(team, joined_on=date(2026, 9, 7))
    assert runner.invoke(args=["rebuild-person-weeks", "--check"]).exit_code == 0
    db.session.execute(update(StoredPersonWeek).where(StoredPersonWeek.week == date(2026, 11, 9)).values(required=9))
    db.session.execute(delete(StoredPersonWeek).where(StoredPersonWeek.week == date(2026, 11, 16)))
    db.session.commit()
    check = runner.invoke(args=["rebuild-person-weeks", "--check"])
    assert check.exit_code != 0
    assert f"person {person.id}, week 2026-11-09: stored required 9" in check.output
    assert "week 2026-11-16: stored none" in check.output
    rebuilt = runner.invoke(args=["rebuild-person-weeks"])
    assert rebuilt.exit_code == 0 and "2 had differed" in rebuilt.output
    assert runner.invoke(args=["rebuild-person-weeks", "--check"]).exit_code == 0


def test_weeks_past_the_horizon_are_stored_by_the_extend_command(app, team, runner):
    app.config["FIXED_NOW"] = NOW
    person = factories.person(team, joined_on=date(2026, 9, 7))
    app.config["FIXED_NOW"] = NOW + timedelta(weeks=40)
    result = runner.invoke(args=["extend-person-weeks"])
    assert result.exit_code == 0 and "for 1 people" in result.output
    assert max(_stored(person)) == date(2026, 11, 16) + timedelta(weeks=40 + person_weeks.HORIZON_WEEKS)
    assert runner.invoke(args=["rebuild-person-weeks", "--check"]).exit_code == 0
