"""How the team is doing (toolkit §10): the measures supervisors are asked for.

Plain Python (no Flask, no database): the figures of each week and category from each
person's count for the week (``WeekCount``, with the category in force that week) and
from which agency made each contact.

- **Met their level**: of the people with contacts required that week, the share offered
  at least their required level (``WeekStatus.MET``); **kept their level**: the share who
  kept at least that many. People with nothing required (paused all week, a level of 0)
  are left out of both shares, as in ``cohort_totals``.
- **Offered rate**: contacts offered as a share of contacts required, each person's offered
  counted up to their level (so one person's many contacts do not hide another's shortfall).
- **Kept rate**: contacts kept as a share of contacts offered.
- **By agency** (``credited_agencies``): each contact counts for the agency of every officer
  who was there (``app.domain.joint.counts_for``): a police officer's contact for the police,
  a joint police and probation visit for both. So the agencies' offered can add up to more
  than the team's.
- **Cohort size** (``cohort_size_band``) against the toolkit's guidance (§6.8): 60 to 100
  people for a smaller CSP area, 240 to 500 for a larger one. Which size of area a team
  serves is not recorded, so the rule says which range, if either, the size is in.

- **Arranged** (``ArrangedCredit``): contacts arranged ahead in the week, not cancelled
  (``app.domain.arrangements.counts_as_arranged``); **outcome missing**: those of them still
  open a day after their time (``outcome_missing``), as the officer and the week list see them.
  Arranging never counts as offered: a contact counts when its outcome is recorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from app.domain.counting import WeekCount, WeekStatus
from app.domain.joint import CountsFor, counts_for

AGENCIES = ("police", "probation", "partner")
CATEGORIES = ("fixed", "flex", "free")
ALL = None  # the category of the figures for every category together

SMALLER_AREA = (60, 100)
LARGER_AREA = (240, 500)


def percent(part: int, whole: int) -> int | None:
    """A rounded percentage (half up, in integers), or None when there is nothing to divide by."""
    if whole == 0:
        return None
    return (200 * part + whole) // (2 * whole)


def credited_agencies(present: Iterable[str]) -> tuple[str, ...]:
    """The agencies a contact counts for, from the agencies of the officers who were there."""
    found = counts_for(present)
    if found is CountsFor.BOTH:
        return ("police", "probation")
    return (found.value,)


@dataclass(frozen=True, slots=True)
class ContactCredit:
    """One contact that counts, as the agency figures need it."""

    person_id: int
    week: date
    kept: bool
    agencies: frozenset[str]  # of every officer who was there


@dataclass(frozen=True, slots=True)
class AgencyFigures:
    offered: int = 0
    kept: int = 0

    @property
    def kept_rate(self) -> int | None:
        return percent(self.kept, self.offered)


@dataclass(frozen=True)
class ArrangedCredit:
    """A contact arranged for a person in a week (not cancelled), and whether its outcome is missing."""

    person_id: int
    week: date
    outcome_missing: bool


@dataclass(frozen=True)
class WeekMeasure:
    """One week's figures for one category (``ALL``: every category together)."""

    week: date
    category: str | None
    in_cohort: int = 0  # people in the cohort on at least one day of the week
    required_people: int = 0  # of them, people with contacts required
    met: int = 0  # offered at least their level
    kept_enough: int = 0  # kept at least their level
    required: int = 0  # contacts required in all
    offered_towards: int = 0  # contacts offered, each person's up to their level
    offered: int = 0
    kept: int = 0
    agencies: Mapping[str, AgencyFigures] = field(default_factory=dict)
    arranged: int = 0  # arranged ahead, not cancelled
    outcome_missing: int = 0  # of them, still open a day after their time

    @property
    def met_percent(self) -> int | None:
        return percent(self.met, self.required_people)

    @property
    def kept_enough_percent(self) -> int | None:
        return percent(self.kept_enough, self.required_people)

    @property
    def offered_rate(self) -> int | None:
        return percent(self.offered_towards, self.required)

    @property
    def kept_rate(self) -> int | None:
        return percent(self.kept, self.offered)

    def agency(self, name: str) -> AgencyFigures:
        return self.agencies.get(name, AgencyFigures())


@dataclass
class _Sums:
    in_cohort: int = 0
    required_people: int = 0
    met: int = 0
    kept_enough: int = 0
    required: int = 0
    offered_towards: int = 0
    offered: int = 0
    kept: int = 0
    agencies: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    arranged: int = 0
    outcome_missing: int = 0

    def add(self, count: WeekCount) -> None:
        self.in_cohort += 1
        self.offered += count.offered
        self.kept += count.kept
        if count.required > 0:
            self.required_people += 1
            self.met += count.status is WeekStatus.MET
            self.kept_enough += count.kept_enough
            self.required += count.required
            self.offered_towards += min(count.offered, count.required)

    def measure(self, week: date, category: str | None) -> WeekMeasure:
        return WeekMeasure(
            week, category, self.in_cohort, self.required_people, self.met, self.kept_enough, self.required,
            self.offered_towards, self.offered, self.kept,
            {name: AgencyFigures(*self.agencies[name]) for name in AGENCIES if name in self.agencies},
            self.arranged, self.outcome_missing,
        )


def week_measures(
    person_weeks: Iterable[tuple[int, str | None, WeekCount]],
    credits: Iterable[ContactCredit],
    weeks: Iterable[date],
    arranged: Iterable[ArrangedCredit] = (),
) -> dict[tuple[date, str | None], WeekMeasure]:
    """Every week's figures, for each category and for ``ALL``, keyed by (Monday, category).

    ``person_weeks``: (person id, category in force, count) for each person in the cohort in
    each week. ``credits``: the contacts that count; ``arranged``: the contacts arranged
    ahead. One of a person-week not given (not in the cohort that week) is left out, as the
    weekly counts leave it out.
    """
    sums: dict[tuple[date, str | None], _Sums] = {
        (week, category): _Sums() for week in weeks for category in (ALL, *CATEGORIES)
    }
    categories: dict[tuple[int, date], str | None] = {}
    for person_id, category, count in person_weeks:
        categories[person_id, count.week] = category
        sums[count.week, ALL].add(count)
        if category in CATEGORIES:
            sums[count.week, category].add(count)
    for credit in credits:
        key = (credit.person_id, credit.week)
        if key not in categories:
            continue
        category = categories[key]
        for agency in credited_agencies(credit.agencies):
            for group in (ALL, category) if category in CATEGORIES else (ALL,):
                tally = sums[credit.week, group].agencies[agency]
                tally[0] += 1
                tally[1] += credit.kept
    for item in arranged:
        key = (item.person_id, item.week)
        if key not in categories:
            continue
        category = categories[key]
        for group in (ALL, category) if category in CATEGORIES else (ALL,):
            sums[item.week, group].arranged += 1
            sums[item.week, group].outcome_missing += item.outcome_missing
    return {key: total.measure(*key) for key, total in sums.items()}


class CohortBand(StrEnum):
    BELOW_SMALLER = "below_smaller"  # fewer than a smaller area's cohort
    SMALLER = "smaller"  # within a smaller area's range
    BETWEEN = "between"  # above a smaller area's, below a larger area's
    LARGER = "larger"  # within a larger area's range
    ABOVE_LARGER = "above_larger"  # more than a larger area's


def cohort_size_band(size: int) -> CohortBand:
    """Where a cohort of ``size`` people stands against the toolkit's guidance (§6.8)."""
    if size < 0:
        raise ValueError(f"a cohort cannot have {size} people")
    if size < SMALLER_AREA[0]:
        return CohortBand.BELOW_SMALLER
    if size <= SMALLER_AREA[1]:
        return CohortBand.SMALLER
    if size < LARGER_AREA[0]:
        return CohortBand.BETWEEN
    if size <= LARGER_AREA[1]:
        return CohortBand.LARGER
    return CohortBand.ABOVE_LARGER
