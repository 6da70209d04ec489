"""Each person's required level and status per week, stored so the week views only read.

What a week requires rarely changes: only when a category, review, pause, RAG status,
joining or leaving date, or a team's defaults change. So the rules in ``app.domain``
are run then, for the people concerned, and their answers are kept in ``person_weeks``
(``StoredPersonWeek``); the team week view, the all-Wales summary and the person page
read those rows plus the contact tallies.

One mechanism keeps them right, so no code path can forget it: a session listener
notes which people (or whole teams, for team defaults) each flush touched, and
``recompute_person_weeks`` rewrites those people's rows from the domain rules in the
same transaction. Writes that bypass the ORM (Core INSERTs of people or histories, as
the benchmark's loader does) must call ``rebuild_person_weeks`` themselves;
``flask rebuild-person-weeks --check`` finds any row that disagrees with the rules.

Which weeks are stored: every week a person is in the cohort on at least one day (the
same weeks ``app.supervision.queries`` selects people for), from the week they joined
to the week before the day they left, and for people still in the cohort up to
``HORIZON_WEEKS`` ahead of the week the rows were computed in. A week outside those is
a week not in the cohort, with nothing required. The rows for a week ahead are exact
(they depend on the histories only, never on today), so time passing needs no work
until the horizon is reached; a reader that finds a week missing (the horizon passed,
or the rows were never built after an upgrade) computes and stores it on the spot
(``read_stored``), and ``flask extend-person-weeks`` can do that
for everyone ahead of time, from cron, say, once a month.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Row, and_, case, delete, event, func, inspect, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app import bulk, clock
from app.extensions import DbSession
from app.weekly_counts import PersonHistory, category_spans, load_history, rag_spans
from app.cohort.operations import periods_of
from app.domain.cohort import value_on
from app.domain.counting import WeekCount
from app.domain.requirements import (
    CohortPeriods,
    Period,
    CohortMembership,
    Defaults,
    category_on,
    reference_day,
    required_for_weeks,
    team_shares_for_weeks,
)
from app.domain.weeks import local_date, week_days, week_of
from app.models import (
    CategoryChange,
    Pause,
    PauseReason,
    Person,
    Rag,
    RagChange,
    RequirementReview,
    StoredPersonWeek,
    Team,
    TeamDefaults,
)

HORIZON_WEEKS = 26
UNSCOPED = {"all_teams": True}  # the rows are derived for everyone a change touches (see app.scoping)
_ONE_WEEK = timedelta(weeks=1)
_ONE_DAY = timedelta(days=1)
_SIX_DAYS = timedelta(days=6)
_NO_CONTACTS = (0, 0, 0)
_CHUNK = 500  # people recomputed per round of statements

# What a flush can change that the stored weeks depend on.
_PERSON_HISTORY = (CategoryChange, RagChange, RequirementReview, Pause)
_TEAM_LEVELS = ("default_fixed", "default_flex", "default_free")


@dataclass(frozen=True, slots=True)
class WeekRecord:
    """One stored week, as the rules see it."""

    week: date
    team_id: int
    required: int
    category: str | None
    rag: str
    paused: str | None


def horizon(today: date | None = None) -> date:
    """The last Monday stored for people still in the cohort, counting from ``today``'s week."""
    if today is None:
        today = local_date(clock.now())
    return week_of(today) + _ONE_WEEK * HORIZON_WEEKS


def cohort_weeks(joined_on: date, left_on: date | None, through: date) -> list[date]:
    """The Mondays of the weeks with at least one day in the cohort, up to ``through``.

    The same weeks as ``in_cohort_during`` selects people for: joined on or before the Sunday,
    and not left (``left_on`` being the first day out) on or before the Monday.
    """
    last = through if left_on is None else min(through, week_of(left_on - _ONE_DAY))
    weeks, monday = [], week_of(joined_on)
    while monday <= last:
        weeks.append(monday)
        monday += _ONE_WEEK
    return weeks


def in_cohort_during(first: date, last: date):
    """People in the cohort on at least one day from ``first`` to ``last`` (a WHERE clause).

    Agrees with ``cohort_weeks``: a person has a stored row for a week exactly when this
    holds for its Monday and Sunday.
    """
    return and_(Person.joined_on <= last, or_(Person.left_on.is_(None), Person.left_on > first))


def paused_in(week: date, pause_reasons: Sequence[tuple]) -> PauseReason | None:
    """Why the week is pro-rated for a pause: the first pause on any of its days, or None."""
    if not pause_reasons:
        return None
    days = week_days(week)
    for period, reason in pause_reasons:
        if any(period.covers(day) for day in days):
            return reason
    return None


def person_week_records(person, history: PersonHistory, defaults: Defaults, weeks: Sequence[date]) -> list[WeekRecord]:
    """Each week's stored values for one person, from the domain rules (nothing else decides them).

    ``person`` needs ``team_id``, ``joined_on``, ``left_on``, ``category`` and ``rag``. Every
    period in the cohort counts (an earlier one before a transfer or a re-admission, from
    ``history.periods``); each week is kept under the team the person was in on the day its
    level is decided.
    """
    if not weeks:
        return []
    periods = periods_of(person, history.periods)
    membership = CohortPeriods(periods) if len(periods) > 1 else CohortMembership(person.joined_on, person.left_on)
    spans = category_spans(person, history.changes)
    rags = rag_spans(person, history.rag)
    teams = {period.team for period in periods}
    if len(teams) > 1:
        # Transferred: each week's row is its team's share (see ``team_shares``).
        shares = {
            team: team_shares_for_weeks(weeks, periods=periods, team=team, spans=spans, reviews=history.reviews,
                                        pauses=history.pauses, defaults=defaults)
            for team in teams if team is not None
        }
    else:
        whole = required_for_weeks(
            weeks, membership=membership, spans=spans, reviews=history.reviews, pauses=history.pauses, defaults=defaults
        )
    records = []
    for index, week in enumerate(weeks):
        day = reference_day(week, membership)
        team_id = _team_on(day, periods, person.team_id)
        level = shares[team_id][index] if len(teams) > 1 else whole[index]
        category = category_on(day, spans)
        rag = value_on(day, rags)
        paused = paused_in(week, history.pause_reasons)
        records.append(WeekRecord(
            week, team_id, level, category.value if category else None,
            rag if rag else Rag(person.rag).value, paused.value if paused else None,
        ))
    return records


def team_shares(session: DbSession, team_id: int, weeks_of_people: Mapping[int, Sequence[date]]) -> dict[tuple[int, date], int]:
    """What ``team_id`` requires of these people in these weeks, keyed by (person id, Monday).

    The stored row of a week is kept under the team the person was in on the day its level is
    decided, and holds that team's share; a team's view of a person who moved away (or in)
    during or since a week asks here for its own share of the weeks whose row another team
    holds: the days the person was in this team's cohort, by the same rules (``app.domain``).
    Only transferred people come here, so it costs nothing in the usual week.
    """
    ids = sorted(weeks_of_people)
    if not ids:
        return {}
    people = {person.id: person for person in _people_rows(session, ids)}
    histories = load_history(session, ids, execution_options=UNSCOPED)
    defaults = _team_defaults(session, [team_id])[team_id]
    shares = {}
    for person_id, weeks in weeks_of_people.items():
        person, history = people[person_id], histories[person_id]
        ordered = sorted(weeks)
        required = team_shares_for_weeks(
            ordered, periods=periods_of(person, history.periods), team=team_id,
            spans=category_spans(person, history.changes), reviews=history.reviews, pauses=history.pauses,
            defaults=defaults,
        )
        shares.update({(person_id, week): level for week, level in zip(ordered, required)})
    return shares


def _team_on(day: date, periods: Sequence[Period], otherwise: int) -> int:
    """The team whose cohort the person was in on ``day`` (the current team if none)."""
    for period in periods:
        if period.joined <= day and (period.left is None or day < period.left) and period.team is not None:
            return period.team
    return otherwise


def periods_weeks(person, history: PersonHistory, through: date) -> list[date]:
    """The Mondays of every week with a day in any of the person's periods, up to ``through``."""
    weeks: set[date] = set()
    for period in periods_of(person, history.periods):
        weeks.update(cohort_weeks(period.joined, period.left, through))
    return sorted(weeks)


def _team_defaults(session: DbSession, team_ids: Iterable[int]) -> dict[int, Defaults]:
    """Each team's defaults, from ``Team.default_levels``: two statements for any number of teams."""
    teams = session.scalars(
        select(Team).where(Team.id.in_(sorted(set(team_ids))))
        .options(selectinload(Team.default_history)).execution_options(**UNSCOPED)
    )
    return {team.id: team.default_levels() for team in teams}


def _people_rows(session: DbSession, person_ids: Sequence[int]):
    return session.execute(
        select(Person.id, Person.team_id, Person.joined_on, Person.left_on, Person.category, Person.rag)
        .where(Person.id.in_(person_ids)).execution_options(**UNSCOPED)
    ).all()


def expected_records(
    session: DbSession, person_ids: Sequence[int], through: date, since: date | None = None
) -> dict[int, list[WeekRecord]]:
    """What the rules say each person's stored weeks (from ``since``, if given) should be, from scratch."""
    people = _people_rows(session, person_ids)
    if not people:
        return {}
    histories = load_history(session, [person.id for person in people], with_rag=True, execution_options=UNSCOPED)
    defaults = _team_defaults(session, (person.team_id for person in people))
    return {
        person.id: person_week_records(
            person, histories[person.id], defaults[person.team_id],
            [week for week in periods_weeks(person, histories[person.id], through) if since is None or week >= since],
        )
        for person in people
    }


def recompute_person_weeks(
    session: DbSession, person_ids: Iterable[int], *, through: date | None = None, since: date | None = None
) -> int:
    """Rewrite the stored weeks of these people from the rules, in the session's transaction.

    ``since`` (a Monday): only the weeks from then on, when nothing earlier can have
    changed (a team's defaults changed from that week). Uses the session's connection
    only (no ORM flush), so it can run inside a flush. Returns the number of rows written.
    """
    ids = sorted(set(person_ids))
    if through is None:
        through = horizon()
    written = 0
    connection = session.connection()
    table = StoredPersonWeek.__table__
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        expected = expected_records(session, chunk, through, since)
        deleting = delete(table).where(table.c.person_id.in_(chunk))
        connection.execute(deleting if since is None else deleting.where(table.c.week >= since))
        rows = [
            {"person_id": person_id, "week": record.week, "team_id": record.team_id, "required": record.required,
             "category": record.category, "rag": record.rag, "paused": record.paused}
            for person_id, records in expected.items()
            for record in records
        ]
        for offset in range(0, len(rows), 10_000):
            bulk.insert_rows(connection, table, rows[offset:offset + 10_000])
        written += len(rows)
    return written


def all_person_ids(session: DbSession) -> list[int]:
    return list(session.scalars(select(Person.id).order_by(Person.id).execution_options(**UNSCOPED)))


def rebuild_person_weeks(session: DbSession, *, through: date | None = None) -> int:
    """Every person's stored weeks rewritten from the rules (the caller commits)."""
    return recompute_person_weeks(session, all_person_ids(session), through=through)


@dataclass(frozen=True)
class Difference:
    person_id: int
    week: date
    stored: WeekRecord | None
    expected: WeekRecord | None


def check_person_weeks(session: DbSession, today: date | None = None) -> list[Difference]:
    """Every stored week that differs from the rules computed from scratch, and every missing one.

    Each person's stored weeks must cover every week in the cohort up to the current week
    (readers fill later ones in when they need them) and may run ahead up to the last week
    stored for them; each must equal what the rules give.
    """
    current = week_of(today or local_date(clock.now()))
    differences = []
    ids = all_person_ids(session)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        stored: dict[int, dict[date, WeekRecord]] = {person_id: {} for person_id in chunk}
        for row in session.execute(
            select(StoredPersonWeek).where(StoredPersonWeek.person_id.in_(chunk)).execution_options(**UNSCOPED)
        ).scalars():
            stored[row.person_id][row.week] = WeekRecord(
                row.week, row.team_id, row.required, row.category.value if row.category else None,
                row.rag.value, row.paused.value if row.paused else None,
            )
        through = max([current] + [week for weeks in stored.values() for week in weeks])
        for person_id, records in expected_records(session, chunk, through).items():
            mine = stored.get(person_id, {})
            wanted = {record.week: record for record in records}
            last_stored = max(mine, default=current)
            for week in sorted(set(mine) | set(wanted)):
                if week in wanted and week not in mine and week > max(current, last_stored):
                    continue  # ahead of what was stored: filled in when it is needed
                if mine.get(week) != wanted.get(week):
                    differences.append(Difference(person_id, week, mine.get(week), wanted.get(week)))
    return differences


# --- Readers -------------------------------------------------------------------------


def store_missing(session: DbSession, person_ids: Sequence[int], week: date) -> None:
    """Compute and store the weeks of people found without one, and commit them.

    Called by a reader before it loads anything else (committing expires what the
    session holds). If another request stored them at the same moment, theirs stand.
    """
    if not person_ids:
        return
    try:
        recompute_person_weeks(session, person_ids, through=max(horizon(), week))
        session.commit()
    except IntegrityError:
        session.rollback()


# What a reader may ask of each stored week (``read_stored``): all of it, or only the level.
STORED_COLUMNS = (StoredPersonWeek.team_id, StoredPersonWeek.required, StoredPersonWeek.category,
                  StoredPersonWeek.rag, StoredPersonWeek.paused)
LEVEL_COLUMNS = (StoredPersonWeek.team_id, StoredPersonWeek.required, StoredPersonWeek.category)
STORED_AT = 4  # where the columns asked for start in each row of ``read_stored``, after person_id, week and two more


def read_stored(
    session: DbSession, conditions: Sequence, weeks: Sequence[date], week: date, columns: Sequence = STORED_COLUMNS,
) -> dict[tuple[int, date], Row]:
    """The stored rows in ``weeks`` of the people matching ``conditions``, keyed by (person
    id, Monday): one statement.

    Each row has ``team_id`` and the other ``columns`` asked for (``STORED_COLUMNS``:
    ``required``, ``category``, ``rag`` and ``paused`` too), from position ``STORED_AT``. Anyone in the cohort during
    ``week`` (one of ``weeks``) found without it stored (the horizon passed, or the rows
    were never built) has their weeks computed, stored and committed, and the rows are read
    again: so call this before loading anything else into the session.

    The rows are read from the stored weeks' side, by their indexes; whether anyone is
    missing is told by how many people the conditions and ``week`` select (a count beside
    every row, computed once), so the people are only looked at one by one when someone is.
    """
    first, last = min(weeks), max(weeks)
    in_weeks = StoredPersonWeek.week == first if first == last else StoredPersonWeek.week.between(first, last)
    in_week = in_cohort_during(week, week + _SIX_DAYS)
    expected = select(func.count(Person.id)).where(*conditions, in_week)
    statement = (
        select(StoredPersonWeek.person_id, StoredPersonWeek.week, in_week.label("in_week"),
               expected.scalar_subquery().label("expected"), *columns)
        .join_from(StoredPersonWeek, Person, Person.id == StoredPersonWeek.person_id)
        .where(in_weeks, *conditions)
    )
    stored, complete = _keyed(session.execute(statement), week)
    if complete is None:  # no row at all: is anyone in the cohort that week?
        complete = not session.scalar(expected)
    if not complete:
        missing = session.scalars(
            select(Person.id).where(*conditions, in_week, ~select(StoredPersonWeek.person_id).where(
                StoredPersonWeek.person_id == Person.id, StoredPersonWeek.week == week).exists())
            .order_by(Person.id)
        ).all()
        if missing:
            store_missing(session, list(missing), week)
            stored, _ = _keyed(session.execute(statement), week)
    return stored


def required_by_person(selection, weeks: Sequence[date], team_id: int):
    """The stored levels of ``weeks`` as a subquery of one row per person (of ``selection``, a
    SELECT of ids) with any: ``person_id``; each week's ``required`` in turn (NULL for a week
    not stored: nothing required); and ``elsewhere``, 1 when another team than ``team_id``
    holds one of the weeks (a transfer: see ``team_shares``), else 0.
    """
    first, last = min(weeks), max(weeks)
    return (
        select(
            StoredPersonWeek.person_id.label("person_id"),
            *[func.max(case((StoredPersonWeek.week == each, StoredPersonWeek.required))).label(f"required_{number}")
              for number, each in enumerate(weeks)],
            func.max(case((StoredPersonWeek.team_id != team_id, 1), else_=0)).label("elsewhere"),
        )
        .where(StoredPersonWeek.week.between(first, last), StoredPersonWeek.person_id.in_(selection))
        .group_by(StoredPersonWeek.person_id)
        .subquery()
    )


def weeks_held_elsewhere(
    session: DbSession, person_ids: Sequence[int], weeks: Sequence[date], team_id: int
) -> dict[int, list[date]]:
    """Of these people's ``weeks``, those whose stored row another team holds, by person: one
    statement, for the few people ``stored_by_person`` marks ``elsewhere``."""
    held: dict[int, list[date]] = {}
    if not person_ids:
        return held
    for person_id, week in session.execute(
        select(StoredPersonWeek.person_id, StoredPersonWeek.week)
        .where(StoredPersonWeek.person_id.in_(person_ids), StoredPersonWeek.week.between(min(weeks), max(weeks)),
               StoredPersonWeek.team_id != team_id)
    ):
        held.setdefault(person_id, []).append(week)
    return held


def _keyed(rows, week: date) -> tuple[dict[tuple[int, date], Row], bool | None]:
    """The rows keyed by (person id, Monday), and whether everyone in the cohort during
    ``week`` has their row for it (None when there were no rows to tell by)."""
    stored = {}
    expected = None
    found = 0
    for row in rows:
        person_id, monday = row[0], row[1]
        stored[person_id, monday] = row
        if monday == week and row[2]:
            found += 1
        expected = row[3]
    return stored, None if expected is None else found == expected


def week_requirement(
    person_id: int, week: date, stored_required: int | None, shares: Mapping[tuple[int, date], int] | None
) -> int:
    """What a week requires of the team: its stored level (none stored: the person was not in the
    cohort that week, nothing required), or the team's share (``team_shares``) of a week another
    team's row holds."""
    if shares and (person_id, week) in shares:
        return shares[person_id, week]
    return stored_required if stored_required is not None else 0


def stored_counts(
    stored: Mapping[tuple[int, date], Row], tallies: dict, person_id: int, weeks: Sequence[date],
    shares: Mapping[tuple[int, date], int] | None = None,
) -> dict[date, WeekCount]:
    """Each week's count for one person from stored rows and tallies already loaded.

    A week with no row is a week the person was not in the cohort at all: nothing required.
    ``shares`` (from ``team_shares``) replaces the requirement of the weeks another team's row holds.
    """
    counts = {}
    for week in weeks:
        row = stored.get((person_id, week))
        required = week_requirement(person_id, week, row.required if row is not None else None, shares)
        offered, kept, face_to_face = tallies.get((person_id, week), _NO_CONTACTS)
        counts[week] = WeekCount(week, required, offered, kept, face_to_face)
    return counts


def weeks_held_by_other_teams(stored: Mapping[tuple[int, date], Row], team_id: int) -> dict[int, list[date]]:
    """The weeks, by person, whose stored row another team holds (a transfer): ``team_shares`` asks."""
    others: dict[int, list[date]] = {}
    for (person_id, week), row in stored.items():
        if row.team_id != team_id:
            others.setdefault(person_id, []).append(week)
    return others


def extend_person_weeks(session: DbSession, through: date | None = None) -> int:
    """Store weeks up to ``through`` (the horizon) for everyone still in the cohort who lacks them.

    Returns how many people were extended; the caller commits.
    """
    through = through or horizon()
    last = (
        select(StoredPersonWeek.person_id, func.max(StoredPersonWeek.week).label("last"))
        .group_by(StoredPersonWeek.person_id).subquery()
    )
    ids = list(session.scalars(
        select(Person.id)
        .outerjoin(last, last.c.person_id == Person.id)
        .where(Person.left_on.is_(None), (last.c.last.is_(None)) | (last.c.last < through))
        .execution_options(**UNSCOPED)
    ))
    recompute_person_weeks(session, ids, through=through)
    return len(ids)


# --- Keeping them right: the flush listener -------------------------------------------


def _touched(session: DbSession) -> tuple[set[int], dict[int, date], set[int]]:
    """The people whose stored weeks this flush may have changed; the teams whose defaults
    history changed, with the first Monday it changed from; and the teams whose levels changed
    (which count only for a team with no history)."""
    people: set[int] = set()
    histories: dict[int, date] = {}
    teams: set[int] = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        if instance in session.dirty and not session.is_modified(instance):
            continue
        if isinstance(instance, Person):
            people.add(instance.id)
        elif isinstance(instance, _PERSON_HISTORY):
            people.add(instance.person_id)
            people.update(_changed_from(instance, "person_id"))  # moved to another person: both
        elif isinstance(instance, TeamDefaults):
            team_id = instance.team_id if instance.team_id is not None else _changed_from(instance, "team_id")[0]
            first = min([instance.effective, *_changed_from(instance, "effective")])
            histories[team_id] = min(histories.get(team_id, first), first)
        elif isinstance(instance, Team) and instance in session.dirty and _changed_keys(instance):
            teams.add(instance.id)
    people.discard(None)
    return people, histories, teams


def _changed_keys(instance) -> set[str]:
    state = inspect(instance)
    return {key for key in _TEAM_LEVELS if state.attrs[key].history.has_changes()}


def _changed_from(instance, key: str) -> list:
    """The values an attribute had before this flush changed it."""
    return [value for value in inspect(instance).attrs[key].history.deleted if value is not None]


def _team_people(session: DbSession, team_ids) -> set[int]:
    return set(session.scalars(select(Person.id).where(Person.team_id.in_(team_ids)).execution_options(**UNSCOPED)))


def _on_after_flush(session: Session, _flush_context) -> None:
    people, histories, teams = _touched(session)
    if teams:  # a team's current levels count for every week, unless it has a history of them
        with_history = set(session.scalars(
            select(TeamDefaults.team_id).where(TeamDefaults.team_id.in_(teams)).execution_options(**UNSCOPED)
        ))
        people |= _team_people(session, teams - with_history - set(histories))
    for team_id, since in histories.items():  # from the first week the change can touch
        recompute_person_weeks(session, _team_people(session, [team_id]) - people, since=week_of(since))
    # A deleted person's rows go with them (ON DELETE CASCADE, and the delete in here).
    if people:
        recompute_person_weeks(session, people)


event.listen(Session, "after_flush", _on_after_flush)
