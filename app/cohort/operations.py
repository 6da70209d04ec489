"""Changing the cohort: admit, allocate, transfer, de-select, re-admit, import.

Views and the import call these after the input is checked (``app.cohort.rules``). They
keep the current period on the person (``team_id``/``joined_on``/``left_on``) and move a
closed period into ``cohort_periods`` when another follows it. Every model changed here is
audited by ``app.audit``; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.cohort.rules import y2a_minimum_end
from app.domain.cohort import y2a_minimum_passed
from app.domain.requirements import Category, CohortPeriods, Period
from app.extensions import DbSession
from app.models import Agency, CohortPeriod, DeselectionReason, Person, Rag, Team, User
from app.scoping import UNSCOPED

# The toolkit's de-selection criteria (§9) that the form offers; "other" is kept only for
# de-selections recorded before the criteria were.
CRITERIA = (
    DeselectionReason.GREEN_THREE_MONTHS,
    DeselectionReason.NO_CONVICTION_12_MONTHS,
    DeselectionReason.NO_OUTSTANDING_CHARGES,
    DeselectionReason.MOVED_AREA,
    DeselectionReason.CUSTODY_TWO_YEARS,
)
TRANSFER = "transfer"
DESELECTION = "deselection"


class CohortError(ValueError):
    """A change the cohort's rules do not allow (the forms check these first)."""


class AlreadyInCohort(CohortError):
    """The person's CRN or Niche reference is already held: ``holders`` says by whom."""

    def __init__(self, held: list[Holder]) -> None:
        super().__init__("already in a cohort")
        self.holders = held


@dataclass(frozen=True)
class Holder:
    """Someone already holding a reference: which reference, whose person, which team."""

    field: str  # "delius_crn" or "niche_ref"
    value: str
    person_id: int
    team_id: int
    team_name: str


def holders(session: DbSession, *, crns: Iterable[str | None] = (), niche_refs: Iterable[str | None] = ()) -> list[Holder]:
    """Who already holds any of these CRNs or Niche references, in any team.

    The one deliberate look across teams (team scoping would hide another team's people,
    and the references are unique within Wales). What a user is told about the team is
    decided by the caller: an administrator is told which team, anyone else only that the
    person is already in a cohort.
    """
    crns = sorted({crn for crn in crns if crn})
    refs = sorted({ref for ref in niche_refs if ref})
    if not crns and not refs:
        return []
    found = []
    rows = session.execute(
        select(Person.id, Person.team_id, Person.delius_crn, Person.niche_ref, Team.name)
        .join(Team, Team.id == Person.team_id)
        .where(or_(Person.delius_crn.in_(crns), Person.niche_ref.in_(refs)))
        .execution_options(**UNSCOPED)
    )
    crn_set, ref_set = set(crns), set(refs)
    for person_id, team_id, crn, ref, team_name in rows:
        if crn in crn_set:
            found.append(Holder("delius_crn", crn, person_id, team_id, team_name))
        if ref in ref_set:
            found.append(Holder("niche_ref", ref, person_id, team_id, team_name))
    return found


def offender_managers(session: DbSession, team_id: int) -> list[User]:
    """Who may be a person's offender manager: the team's active users, by name."""
    return list(session.scalars(
        select(User).where(User.team_id == team_id, User.active.is_(True)).order_by(User.name)
    ))


def _check_offender_manager(session: DbSession, team_id: int, user_id: int | None) -> None:
    """Refuse an offender manager who is not an active user of the team (a leaver, say)."""
    if user_id is None:
        return
    user = session.get(User, user_id)
    if user is None or user.team_id != team_id or not user.active:
        raise CohortError("the offender manager must be an active user of the person's team")


def transfer_teams(session: DbSession) -> list[Team]:
    """Every team, to choose where a person moves to (team names are not personal data)."""
    return list(session.scalars(select(Team).order_by(Team.name).execution_options(**UNSCOPED)))


@dataclass
class Details:
    """A person's details as checked by the admit form or a row of an import."""

    display_name: str
    delius_crn: str | None
    niche_ref: str | None
    category: Category
    rag: Rag
    lead_agency: Agency
    offender_manager_id: int | None
    joined_on: date
    mappa: bool = False
    wisdom: bool = False
    y2a: bool = False
    y2a_minimum_ends: date | None = None

    FIELDS = ("display_name", "delius_crn", "niche_ref", "category", "rag", "lead_agency",
              "offender_manager_id", "joined_on", "mappa", "wisdom", "y2a", "y2a_minimum_ends")

    def values(self) -> dict:
        return {name: getattr(self, name) for name in self.FIELDS}


def admit(session: DbSession, team: Team, details: Details) -> Person:
    """A new person in the team's cohort, allocated (toolkit §8.1).

    Raises ``AlreadyInCohort`` when the CRN or Niche reference is held already: found by
    looking first, or, when another admission of the same person commits between that
    look and this one's insert, by the database's unique index (the insert is in a
    SAVEPOINT, so the rest of the transaction carries on).
    """
    held = holders(session, crns=[details.delius_crn], niche_refs=[details.niche_ref])
    if held:
        raise AlreadyInCohort(held)
    _check_offender_manager(session, team.id, details.offender_manager_id)
    if details.y2a and details.y2a_minimum_ends is None:
        details.y2a_minimum_ends = y2a_minimum_end(details.joined_on)
    person = Person(team_id=team.id, **details.values())
    audit.label(person, "admit")
    try:
        with session.begin_nested():
            session.add(person)
            session.flush()
    except IntegrityError:
        held = holders(session, crns=[details.delius_crn], niche_refs=[details.niche_ref])
        if not held:
            raise
        raise AlreadyInCohort(held) from None
    return person


ALLOCATION = ("offender_manager_id", "lead_agency", "mappa", "wisdom", "y2a", "y2a_minimum_ends")


def change_allocation(session: DbSession, person: Person, **changes) -> bool:
    """Offender manager, lead agency and flags; returns whether anything changed."""
    unknown = set(changes) - set(ALLOCATION)
    if unknown:
        raise CohortError(f"not part of the allocation: {sorted(unknown)}")
    if changes.get("y2a") and changes.get("y2a_minimum_ends") is None:
        changes["y2a_minimum_ends"] = y2a_minimum_end(person.joined_on)
    if changes.get("y2a") is False:
        changes["y2a_minimum_ends"] = None
    changed = {key: value for key, value in changes.items() if getattr(person, key) != value}
    if "offender_manager_id" in changed:
        _check_offender_manager(session, person.team_id, changed["offender_manager_id"])
    if changed:
        audit.label(person, "allocate")
        for key, value in changed.items():
            setattr(person, key, value)
    return bool(changed)


def _close_period(session: DbSession, person: Person, *, ended_on: date, ended_by: str) -> CohortPeriod:
    period = CohortPeriod(
        person_id=person.id, team_id=person.team_id, started_on=person.joined_on, ended_on=ended_on,
        ended_by=ended_by, left_reason=person.left_reason, left_criteria=person.left_criteria,
        exit_strategy=person.exit_strategy, y2a_early_reason=person.y2a_early_reason,
    )
    session.add(period)
    return period


def person_holding(session: DbSession, *, crn: str | None = None, niche_ref: str | None = None) -> Person | None:
    """The person (in any team) with this CRN or Niche reference: for a receiving team's
    supervisor to transfer them in, before the person is theirs to see."""
    held = holders(session, crns=[crn], niche_refs=[niche_ref])
    if not held:
        return None
    return session.scalar(select(Person).where(Person.id == held[0].person_id).execution_options(**UNSCOPED))


def transfer(session: DbSession, person: Person, *, to_team: Team, on: date, today: date) -> CohortPeriod:
    """Move a person to another team from ``on`` (their first day there).

    The old team keeps the period before ``on`` (its weeks, its contacts); the person's
    history, contacts and counts stay with them. Their offender manager stays only if
    that user is in the new team.
    """
    if person.left_on is not None:
        raise CohortError("a person who has left the cohort cannot be transferred")
    if to_team.id == person.team_id:
        raise CohortError("the person is already in this team")
    if on < person.joined_on or on > today:
        raise CohortError("a transfer is dated from joining until today")
    if person.y2a and person.y2a_minimum_ends is None:
        person.y2a_minimum_ends = y2a_minimum_end(person.joined_on)  # it runs from joining, not from moving
    period = _close_period(session, person, ended_on=on, ended_by=TRANSFER)
    audit.label(person, "transfer")
    person.team_id = to_team.id
    person.team = to_team
    person.joined_on = on
    if person.offender_manager is not None and person.offender_manager.team_id != to_team.id:
        person.offender_manager_id = None
        person.offender_manager = None
    return period


def deselection_needs_y2a_reason(person: Person, left_on: date) -> bool:
    """Leaving inside a Y2A minimum needs a supervisor's reason."""
    return person.y2a and not y2a_minimum_passed(left_on, person.joined_on, person.y2a_minimum_ends)


def deselect(
    session: DbSession,
    person: Person,
    *,
    left_on: date,
    criteria: Sequence[DeselectionReason],
    exit_strategy: str | None,
    y2a_early_reason: str | None,
    today: date,
) -> Person:
    """The person leaves the cohort on ``left_on`` (their first day out), on these criteria."""
    if person.left_on is not None:
        raise CohortError("this person has already left the cohort")
    if left_on < person.joined_on or left_on > today:
        raise CohortError("a de-selection is dated from joining until today")
    criteria = [DeselectionReason(item) for item in criteria]
    if not criteria:
        raise CohortError("at least one of the toolkit's criteria must apply")
    if DeselectionReason.GREEN_THREE_MONTHS in criteria and not (exit_strategy or "").strip():
        raise CohortError("green for three months needs the exit strategy")
    if deselection_needs_y2a_reason(person, left_on) and not (y2a_early_reason or "").strip():
        raise CohortError("inside the Y2A minimum a reason is needed")
    audit.label(person, "deselect")
    person.left_on = left_on
    person.left_reason = criteria[0]
    person.left_criteria = [item.value for item in criteria]
    person.exit_strategy = (exit_strategy or "").strip() or None
    person.y2a_early_reason = (y2a_early_reason or "").strip() or None
    return person


def readmit(session: DbSession, person: Person, *, on: date, category: Category, rag: Rag,
            offender_manager_id: int | None, today: date) -> CohortPeriod:
    """A new period in the cohort for a person who left; the old period is kept."""
    if person.left_on is None:
        raise CohortError("this person is still in the cohort")
    if on < person.left_on or on > today:
        raise CohortError("a re-admission is dated from the day they left until today")
    _check_offender_manager(session, person.team_id, offender_manager_id)
    period = _close_period(session, person, ended_on=person.left_on, ended_by=DESELECTION)
    audit.label(person, "readmit")
    person.joined_on = on
    person.left_on = None
    person.left_reason = None
    person.left_criteria = None
    person.exit_strategy = None
    person.y2a_early_reason = None
    person.category, person.rag = category, rag
    person.offender_manager_id = offender_manager_id
    if person.y2a:
        person.y2a_minimum_ends = y2a_minimum_end(on)
    return period


# --- Periods -----------------------------------------------------------------------


def earlier_periods(session: DbSession, person_ids) -> dict[int, list[CohortPeriod]]:
    """Each person's earlier periods, oldest first, in one query."""
    periods: dict[int, list[CohortPeriod]] = {}
    for period in session.scalars(
        select(CohortPeriod).where(CohortPeriod.person_id.in_(person_ids))
        .order_by(CohortPeriod.started_on, CohortPeriod.id)
    ):
        periods.setdefault(period.person_id, []).append(period)
    return periods


def periods_and_team_names(session: DbSession, person: Person) -> tuple[list[CohortPeriod], dict[int, str]]:
    """What the person page shows of the person's periods: the earlier ones, oldest first, and
    every team's name (a period may be in a team the reader's scope does not reach)."""
    names = {team.id: team.name for team in transfer_teams(session)}
    return earlier_periods(session, [person.id]).get(person.id, []), names


def periods_of(person, earlier: Sequence) -> list[Period]:
    """Every period of the person, as domain values: the earlier ones and the current one."""
    return [Period(row.started_on, row.ended_on, row.team_id) for row in earlier] + [
        Period(person.joined_on, person.left_on, person.team_id)
    ]


def membership_of(person, earlier: Sequence, team_id: int | None = None) -> CohortPeriods:
    return CohortPeriods(periods_of(person, earlier), team_id)


def people_in_team_during(team_id: int, first: date, last: date):
    """A SELECT of the ids of the people in team ``team_id``'s cohort on a day from ``first``
    to ``last``: those in it now, and those who were (an earlier period there)."""
    now = select(Person.id).where(
        Person.team_id == team_id, Person.joined_on <= last, or_(Person.left_on.is_(None), Person.left_on > first)
    )
    before = select(CohortPeriod.person_id).where(
        CohortPeriod.team_id == team_id, CohortPeriod.started_on <= last, CohortPeriod.ended_on > first
    )
    return now.union(before)
