"""What supervisors read: the team week view, the all-Wales summary, and the lists.

Every function here issues a fixed number of queries whatever the number of people:
it loads the people, then their stored weeks (``app.person_weeks``, where the rules of
``app.domain`` ran when a history changed) or their history, and the contact tallies,
in one query each (``app.weekly_counts``). Filtering and sorting are
done in Python on the loaded rows, so the query count does not depend on them either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app import inputs, scoping
from app.arrangements.operations import arranged_in_week
from app.extensions import DbSession
from app.weekly_counts import count_weeks, load_history, load_tallies, rag_spans, tallies_by_index
from app.contacts.joint import listed
from app.cohort.operations import people_in_team_during
from app.collation import sort_key_for
from app.domain.cohort import (
    green_for_three_months,
    green_since,
    y2a_minimum_ends,
    y2a_minimum_passed,
)
from app.domain.counting import (
    CohortTotals,
    ReviewState,
    WeekCount,
    WeekStatus,
    cohort_totals,
    review_state,
    review_suggested,
    suggestion_weeks,
)
from app.domain.requirements import Category, CohortMembership, Pause as PausePeriod, ProRating, pro_rating
from app.domain.weeks import local_midnight_utc, week_of, weeks_ending_with
from app.models import (
    Agency,
    AuditEvent,
    Contact,
    ContactType,
    Pause,
    PauseReason,
    Person,
    Rag,
    RequirementReview,
    StoredPersonWeek,
    Team,
    User,
)
from app.person_weeks import (
    LEVEL_COLUMNS,
    STORED_AT,
    in_cohort_during,
    read_stored,
    store_missing,
    required_by_person,
    team_shares,
    week_requirement,
    weeks_held_elsewhere,
)

CHART_WEEKS = 12
MAX_EXPORT_DAYS = 366
CONTACT_LOG_PAGE = 200

SORTS = ("status", "name", "category", "rag", "agency", "manager")
UNASSIGNED = 0  # the offender manager filter's value for "not assigned"

_CATEGORY_ORDER = {Category.FIXED: 0, Category.FLEX: 1, Category.FREE: 2, None: 3}
_RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
_AGENCY_ORDER = {Agency.POLICE: 0, Agency.PROBATION: 1, Agency.PARTNER: 2}
_STATUS_ORDER = {WeekStatus.SHORT: 0, WeekStatus.MET: 1, WeekStatus.NOT_REQUIRED: 2}


def _enum_or_none(enum_class, value):
    try:
        return enum_class(value) if value else None
    except ValueError:
        return None


# Query-string numbers and dates: bounded to what the databases and the calendar can hold.
parse_int = inputs.parse_int
parse_date = inputs.parse_date


@dataclass(frozen=True)
class PersonFilters:
    """Filters on the person, shared by the week view and the contact log.

    Unknown values in a query string are ignored rather than refused: a filter
    link that no longer applies shows everyone instead of an error.
    """

    category: Category | None = None
    rag: Rag | None = None
    agency: Agency | None = None
    manager: int | None = None

    @classmethod
    def from_args(cls, args: Mapping) -> PersonFilters:
        return cls(
            category=_enum_or_none(Category, args.get("category")),
            rag=_enum_or_none(Rag, args.get("rag")),
            agency=_enum_or_none(Agency, args.get("agency")),
            manager=parse_int(args.get("manager")),
        )

    def as_args(self) -> dict[str, str]:
        args = {}
        for key in ("category", "rag", "agency"):
            value = getattr(self, key)
            if value is not None:
                args[key] = value.value
        if self.manager is not None:
            args["manager"] = str(self.manager)
        return args

    def matches_manager(self, manager_id: int | None) -> bool:
        if self.manager is None:
            return True
        if self.manager == UNASSIGNED:
            return manager_id is None
        return manager_id == self.manager


@dataclass(frozen=True)
class WeekFilters(PersonFilters):
    status: WeekStatus | None = None
    sort: str = "status"

    @classmethod
    def from_args(cls, args: Mapping) -> WeekFilters:
        base = PersonFilters.from_args(args)
        sort = args.get("sort")
        return cls(
            **base.__dict__,
            status=_enum_or_none(WeekStatus, args.get("status")),
            sort=sort if sort in SORTS else "status",
        )

    def as_args(self) -> dict[str, str]:
        args = super().as_args()
        if self.status is not None:
            args["status"] = self.status.value
        if self.sort != "status":
            args["sort"] = self.sort
        return args

    @property
    def active(self) -> bool:
        return any(value is not None for value in (self.category, self.rag, self.agency, self.manager, self.status))


@dataclass(frozen=True)
class WeekRow:
    person: Person
    category: Category | None  # in force that week
    rag: Rag  # in force that week
    count: WeekCount
    history: list[WeekCount]  # CHART_WEEKS weeks, oldest first, ending with this one
    paused: PauseReason | None  # paused on at least one day of the week
    review: ReviewState | None  # as of today
    next_review_due: date | None
    review_suggested: bool
    pro_rating: ProRating | None = None  # why this week's requirement is pro-rated, if it is
    pro_rating_pause: PauseReason | None = None  # the reason of the pause it names, if any

    def matches(self, filters: WeekFilters) -> bool:
        return (
            (filters.category is None or self.category == filters.category)
            and (filters.rag is None or self.rag == filters.rag)
            and (filters.agency is None or self.person.lead_agency == filters.agency)
            and filters.matches_manager(self.person.offender_manager_id)
            and (filters.status is None or self.count.status == filters.status)
        )


@dataclass
class WeekView:
    team: Team
    week: date
    today: date
    weeks: list[date]
    filters: WeekFilters
    rows: list[WeekRow]  # filtered and sorted
    everyone: int  # rows before filtering
    totals: CohortTotals  # for the whole team, whatever the filters
    managers: list[tuple[int, str]] = field(default_factory=list)
    late_entries: dict[int, int] = field(default_factory=dict)  # person id → late entries counted this week
    arranged: dict[int, int] = field(default_factory=dict)  # person id → contacts arranged that week (not cancelled)

    @property
    def current_week(self) -> date:
        return week_of(self.today)

    @property
    def previous_week(self) -> date:
        return self.week - timedelta(weeks=1)

    @property
    def next_week(self) -> date | None:
        following = self.week + timedelta(weeks=1)
        return following if following <= self.current_week else None


def chosen_week(value: str | None, today: date) -> date:
    """The Monday of the week asked for (any day in it will do); this week by default.

    Weeks after this one have nothing to show, so they come back as this week.
    """
    day = parse_date(value)
    current = week_of(today)
    if day is None:
        return current
    return min(week_of(day), current)


def _in_cohort_during(first: date, last: date):
    """People in the cohort on at least one day from ``first`` to ``last``."""
    return in_cohort_during(first, last)


def _people(session: DbSession, team: Team, *conditions, of_team: bool = True) -> list[Person]:
    """The team's people (with their offender managers) matching ``conditions``."""
    in_team = [Person.team_id == team.id] if of_team else []
    people = list(
        session.scalars(
            select(Person).where(*in_team, *conditions).options(selectinload(Person.offender_manager))
        )
    )
    for person in people:
        if person.team_id == team.id:
            set_committed_value(person, "team", team)  # known already: no query, and no change to save
    return people


def _sort(rows: list[WeekRow], sort: str, language: str) -> list[WeekRow]:
    name = sort_key_for(language)

    def manager_key(row: WeekRow):
        manager = row.person.offender_manager
        return (manager is None, name(manager.name) if manager else ())

    keys = {
        "name": lambda row: name(row.person.display_name),
        "status": lambda row: (_STATUS_ORDER[row.count.status], -row.count.shortfall, name(row.person.display_name)),
        "category": lambda row: (_CATEGORY_ORDER[row.category], name(row.person.display_name)),
        "rag": lambda row: (_RAG_ORDER[row.rag], name(row.person.display_name)),
        "agency": lambda row: (_AGENCY_ORDER[row.person.lead_agency], name(row.person.display_name)),
        "manager": lambda row: (manager_key(row), name(row.person.display_name)),
    }
    return sorted(rows, key=keys[sort])


def _latest_review_due():
    """The next review date of the person's latest review, as a column of the people query."""
    return (
        select(RequirementReview.next_review_due)
        .where(RequirementReview.person_id == Person.id)
        .order_by(RequirementReview.effective.desc(), RequirementReview.id.desc())
        .limit(1)
        .correlate(Person)
        .scalar_subquery()
    )


def week_rows(session: DbSession, team: Team, week: date, today: date) -> list[WeekRow]:
    """One row for each person in the team's cohort during ``week``, unfiltered, unsorted.

    Two statements: each person with their latest review's due date, their stored week
    (``app.person_weeks``: the rules ran when the histories last changed) and the twelve
    weeks' levels, one row per person (``person_weeks.required_by_person``); then the
    contact tallies (``weekly_counts.tallies_by_index``).
    """
    weeks = weeks_ending_with(week, CHART_WEEKS)
    sunday = week + timedelta(days=6)
    team_id = team.id
    # Those who were in the team then (app.cohort): a person who moved on keeps the old team's past weeks.
    selection = people_in_team_during(team_id, week, sunday)
    levels = required_by_person(selection, weeks, team_id)
    now = StoredPersonWeek  # the chosen week's row (not an alias: the scoping criteria name the table)
    statement = (
        select(Person, _latest_review_due(), now.team_id, now.category, now.rag, now.paused, *list(levels.c)[1:])
        .outerjoin(now, (now.person_id == Person.id) & (now.week == week))
        .outerjoin(levels, levels.c.person_id == Person.id)
        .where(Person.id.in_(selection))
        .options(joinedload(Person.offender_manager))
    )
    found = session.execute(statement).all()
    missing = [row[0].id for row in found if row[_TEAM_NOW] is None]
    if missing:
        # Never stored for this week yet (the horizon passed, or someone in the team's cohort in an
        # earlier period): computed and committed now, which expires what was loaded, so read again.
        store_missing(session, missing, week)
        found = session.execute(statement).all()
    tallies = tallies_by_index(session, selection, weeks)
    # A transferred person's weeks held by the other team: this team's share of them (app.person_weeks).
    elsewhere = [row[0].id for row in found if row[_ELSEWHERE]]
    shares = team_shares(session, team_id, weeks_held_elsewhere(session, elsewhere, weeks, team_id)) if elsewhere else {}
    # Only a week a pause touches needs the pause's dates to say why it is pro-rated.
    paused = [row[0].id for row in found if row[_PAUSED] is not None]
    pauses = _pauses_touching(session, paused, week, sunday) if paused else {}
    suggestion = [weeks.index(each) for each in suggestion_weeks(week, today)]
    counted: dict[tuple, WeekCount] = {}  # equal counts are one object: most people's weeks look alike
    none = (0, 0, 0)
    rows = []
    for row in found:
        person, next_review_due = row[0], row[1]
        person_id = person.id
        if person.team_id == team_id:
            set_committed_value(person, "team", team)  # known already: no query, and no change to save
        history = []
        for number, each in enumerate(weeks):
            required = week_requirement(person_id, each, row[_REQUIRED + number], shares)
            key = (number, required, *tallies.get((person_id, number), none))
            count = counted.get(key)
            if count is None:
                count = counted[key] = WeekCount(each, *key[1:])
            history.append(count)
        person_pauses = pauses.get(person_id, [])
        rating = pro_rating(week, CohortMembership(person.joined_on, person.left_on), [period for period, _ in person_pauses])
        rows.append(
            WeekRow(
                person=person,
                category=row[_CATEGORY],
                rag=row[_RAG],
                count=history[-1],
                history=history,
                paused=row[_PAUSED],
                review=review_state(next_review_due, today) if person.left_on is None else None,
                next_review_due=next_review_due,
                review_suggested=review_suggested([history[number] for number in suggestion]),
                pro_rating=rating,
                pro_rating_pause=_reason_of(rating, person_pauses),
            )
        )
    return rows


# Where each part of a row of ``week_rows``' statement is: the person and the review's due date,
# the week's stored row, then ``required_by_person``'s columns.
_TEAM_NOW, _CATEGORY, _RAG, _PAUSED = 2, 3, 4, 5
_REQUIRED = 6
_ELSEWHERE = _REQUIRED + CHART_WEEKS


def _pauses_touching(session: DbSession, selection, monday: date, sunday: date) -> dict[int, list]:
    """Each person's pauses that touch the week, with their reasons (why a week is pro-rated)."""
    pauses: dict[int, list[tuple[PausePeriod, PauseReason]]] = defaultdict(list)  # the ids are few
    for person_id, start, end, reason in session.execute(
        select(Pause.person_id, Pause.start, Pause.end, Pause.reason)
        .where(Pause.person_id.in_(selection), Pause.start <= sunday, or_(Pause.end.is_(None), Pause.end >= monday))
        .order_by(Pause.start, Pause.id)
    ):
        pauses[person_id].append((PausePeriod(start, end), reason))
    return pauses


def _reason_of(rating: ProRating | None, pauses: list) -> PauseReason | None:
    if rating is None or rating.pause is None:
        return None
    return next((reason for period, reason in pauses if period is rating.pause), None)


def week_view(
    session: DbSession, team: Team, week: date, today: date, filters: WeekFilters, language: str
) -> WeekView:
    rows = week_rows(session, team, week, today)
    totals = cohort_totals((row.category, row.count) for row in rows)
    name = sort_key_for(language)
    managers = sorted(
        {(row.person.offender_manager.id, row.person.offender_manager.name) for row in rows if row.person.offender_manager},
        key=lambda manager: name(manager[1]),
    )
    shown = _sort([row for row in rows if row.matches(filters)], filters.sort, language)
    return WeekView(
        team=team,
        week=week,
        today=today,
        weeks=weeks_ending_with(week, CHART_WEEKS),
        filters=filters,
        rows=shown,
        everyone=len(rows),
        totals=totals,
        managers=managers,
        late_entries=late_entries(session, team.id, week),
        arranged=arranged_in_week(session, [row.person.id for row in rows], week),
    )


def late_entries(session: DbSession, team_id: int, week: date) -> dict[int, int]:
    """How many late entries (``Contact.late``, not void) count for each person in the week: one query."""
    statement = (
        select(Contact.person_id, func.count())
        .where(Contact.team_id == team_id, Contact.occurred_week == week, Contact.late.is_(True),
               Contact.voided.is_(False))
        .group_by(Contact.person_id)
    )
    return {person_id: number for person_id, number in session.execute(statement)}


# --- All of Wales ------------------------------------------------------------------


@dataclass(frozen=True)
class TeamTotals:
    team: Team
    totals: CohortTotals


def wales_summary(session: DbSession, week: date, language: str = "en") -> tuple[list[TeamTotals], CohortTotals]:
    """Every visible team's totals for the week, and the totals for all of them together.

    About 5,500 people: their stored week (``app.person_weeks``, one statement) and the
    week's tallies (one more, index-only), counted by ``app.domain``'s ``cohort_totals``.
    """
    sunday = week + timedelta(days=6)
    people = read_stored(session, [_in_cohort_during(week, sunday)], [week], week, LEVEL_COLUMNS).values()  # it may commit
    teams = list(session.scalars(select(Team)))
    tallies = load_tallies(session, None, [week])  # everyone's; people not in the week are ignored
    by_team: dict[int, list] = defaultdict(list)
    everyone = []
    none = (0, 0, 0)
    counted: dict[tuple, WeekCount] = {}  # equal counts are one object: a few hundred among 5,500 people
    # Each row by position (``read_stored``'s order): reading 5,500 Rows by name costs several times as much.
    person_id, team_id, required, category = 0, STORED_AT, STORED_AT + 1, STORED_AT + 2
    for row in people:
        key = (row[required], *tallies.get((row[person_id], week), none))
        count = counted.get(key)
        if count is None:
            count = counted[key] = WeekCount(week, *key)
        pair = (row[category], count)
        by_team[row[team_id]].append(pair)
        everyone.append(pair)
    summary = [TeamTotals(team, cohort_totals(by_team[team.id])) for team in teams]
    summary.sort(key=lambda item: sort_key_for(language)(item.team.name))  # Welsh order for Welsh readers
    return summary, cohort_totals(everyone)


# --- Lists: reviews and de-selection -----------------------------------------------


@dataclass(frozen=True)
class ReviewListRow:
    person: Person
    next_review_due: date | None
    last_reviewed: date | None
    recent: list[WeekCount]  # the weeks that decide a suggestion, most recent first


@dataclass
class ReviewLists:
    overdue: list[ReviewListRow]
    due: list[ReviewListRow]
    due_soon: list[ReviewListRow]
    suggested: list[ReviewListRow]


def _current_people(session: DbSession, team: Team, today: date) -> tuple[list[Person], Select[tuple[int]]]:
    in_cohort = _in_cohort_during(today, today)
    return _people(session, team, in_cohort), select(Person.id).where(Person.team_id == team.id, in_cohort)


def review_lists(session: DbSession, team: Team, today: date, language: str) -> ReviewLists:
    people, selection = _current_people(session, team, today)
    weeks = suggestion_weeks(week_of(today), today)
    histories = load_history(session, selection, from_day=min(weeks))
    tallies = load_tallies(session, selection, weeks)
    lists = ReviewLists([], [], [], [])
    name = sort_key_for(language)
    for person in sorted(people, key=lambda person: name(person.display_name)):
        history = histories[person.id]
        counts = count_weeks(person, history, weeks, tallies)
        recent = [counts[week] for week in weeks]
        row = ReviewListRow(
            person, history.next_review_due, history.reviews[-1].effective if history.reviews else None, recent
        )
        state = review_state(history.next_review_due, today)
        if state is ReviewState.OVERDUE:
            lists.overdue.append(row)
        elif state is ReviewState.DUE:
            lists.due.append(row)
        elif state is ReviewState.DUE_SOON:
            lists.due_soon.append(row)
        if review_suggested(recent):
            lists.suggested.append(row)
    for rows in (lists.overdue, lists.due, lists.due_soon):
        rows.sort(key=lambda row: (row.next_review_due, name(row.person.display_name)))
    return lists


@dataclass(frozen=True)
class Candidate:
    person: Person
    green_since: date | None  # set when green for three months or more
    y2a_minimum_ended: date | None  # set for Y2A people past their minimum


def deselection_candidates(session: DbSession, team: Team, today: date, language: str) -> list[Candidate]:
    people, selection = _current_people(session, team, today)
    histories = load_history(session, selection, from_day=today, with_rag=True)
    name = sort_key_for(language)
    candidates = []
    for person in sorted(people, key=lambda person: name(person.display_name)):
        spans = rag_spans(person, histories[person.id].rag)
        green = green_since(today, spans) if green_for_three_months(today, spans) else None
        y2a = (
            y2a_minimum_ends(person.joined_on, person.y2a_minimum_ends)
            if person.y2a and y2a_minimum_passed(today, person.joined_on, person.y2a_minimum_ends)
            else None
        )
        if green or y2a:
            candidates.append(Candidate(person, green, y2a))
    return candidates


# --- Contact log -------------------------------------------------------------------


@dataclass(frozen=True)
class ContactFilters(PersonFilters):
    start: date = date.min  # from_args always sets both
    end: date = date.min
    type: ContactType | None = None

    @classmethod
    def from_args(cls, args: Mapping, today: date | None = None) -> ContactFilters:
        if today is None:
            raise TypeError("the contact filters need today's date")
        base = PersonFilters.from_args(args)
        start, end = parse_date(args.get("start")), parse_date(args.get("end"))
        if start is None:
            start = week_of(today) - timedelta(weeks=1)
        if end is None:
            end = today
        return cls(**base.__dict__, start=start, end=end, type=_enum_or_none(ContactType, args.get("type")))

    def as_args(self) -> dict[str, str]:
        args = super().as_args()
        args["start"], args["end"] = self.start.isoformat(), self.end.isoformat()
        if self.type is not None:
            args["type"] = self.type.value
        return args

    @property
    def problem(self) -> str | None:
        """Why the date range cannot be used (a code the view turns into words), or None."""
        if self.end < self.start:
            return "end_before_start"
        if (self.end - self.start).days >= MAX_EXPORT_DAYS:
            return "too_long"
        return None


def _contact_conditions(team: Team, filters: ContactFilters) -> list:
    conditions = [
        Contact.team_id == team.id,
        listed(),  # a joint meeting once: its second records are shown with the one that counts
        Contact.occurred_at >= local_midnight_utc(filters.start),
        Contact.occurred_at < local_midnight_utc(filters.end + timedelta(days=1)),
    ]
    if filters.type is not None:
        conditions.append(Contact.type == filters.type)
    person_conditions = []
    if filters.category is not None:
        person_conditions.append(Person.category == filters.category)
    if filters.rag is not None:
        person_conditions.append(Person.rag == filters.rag)
    if filters.agency is not None:
        person_conditions.append(Person.lead_agency == filters.agency)
    if filters.manager == UNASSIGNED:
        person_conditions.append(Person.offender_manager_id.is_(None))
    elif filters.manager is not None:
        person_conditions.append(Person.offender_manager_id == filters.manager)
    if person_conditions:
        conditions.append(Contact.person_id.in_(select(Person.id).where(*person_conditions)))
    return conditions


def contact_log(
    session: DbSession, team: Team, filters: ContactFilters, limit: int | None = None
) -> tuple[list[Contact], int]:
    """Contacts in the range, newest first, with the person and recorder loaded; and how many."""
    conditions = _contact_conditions(team, filters)
    total = session.scalar(select(func.count()).select_from(Contact).where(*conditions)) or 0
    statement = (
        select(Contact)
        .where(*conditions)
        .options(selectinload(Contact.person), selectinload(Contact.recorded_by))
        .order_by(Contact.occurred_at.desc(), Contact.id)
    )
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.scalars(statement)), total


def team_managers(session: DbSession, team: Team, language: str) -> list[tuple[int, str]]:
    """Staff who are offender managers of someone in the team, for the filter list."""
    rows = session.execute(
        select(User.id, User.name)
        .where(User.team_id == team.id, User.id.in_(select(Person.offender_manager_id).where(Person.team_id == team.id)))
    ).all()
    name = sort_key_for(language)
    return sorted(((row.id, row.name) for row in rows), key=lambda item: name(item[1]))


# --- A person's audit trail ----------------------------------------------------------


@dataclass(frozen=True)
class AuditRecords:
    """A person's audit events, newest first, and the names of those who made them."""

    events: list[AuditEvent]
    actor_names: dict[int, str]


def person_audit_records(session: DbSession, person_id: int, limit: int = 200) -> AuditRecords:
    """The person's audit events (contacts' recording left out) and their actors' names: two queries."""
    events = list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.person_id == person_id,
                # Each contact's recording is on the page already (who, when); the trail
                # keeps what changed afterwards: corrections and voids.
                ~((AuditEvent.entity == "contacts") & (AuditEvent.action == "create")),
            )
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )
    return AuditRecords(events, _actor_names(session, {event.actor_id for event in events if event.actor_id is not None}))


def _actor_names(session: DbSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    # Unscoped on purpose, and for names only: the trail must say who made a change,
    # and administrators (and staff who have since moved team) belong to another team.
    rows = session.execute(
        select(User.id, User.name).where(User.id.in_(ids)).execution_options(**scoping.UNSCOPED)
    )
    return {row.id: row.name for row in rows}
