"""What the person page shows of a person's periods in the cohort."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from collections.abc import Mapping, Sequence

from app.cohort.operations import TRANSFER
from app.models import CohortPeriod, DeselectionReason, Person


@dataclass(frozen=True)
class PeriodRow:
    team_name: str
    started_on: date
    ended_on: date | None
    transferred: bool
    criteria: list[DeselectionReason]
    exit_strategy: str | None
    y2a_early_reason: str | None


def _criteria(row) -> list[DeselectionReason]:
    values = row.left_criteria or ([row.left_reason.value] if row.left_reason else [])
    return [DeselectionReason(value) for value in values]


def cohort_periods(person: Person, earlier: Sequence[CohortPeriod], team_names: Mapping[int, str]) -> list[PeriodRow]:
    """Every period, newest first: the current one, then the earlier ones (oldest first in ``earlier``)."""
    rows = [PeriodRow(team_names.get(person.team_id, ""), person.joined_on, person.left_on, False, _criteria(person),
                      person.exit_strategy, person.y2a_early_reason)]
    for period in reversed(earlier):
        rows.append(PeriodRow(team_names.get(period.team_id, ""), period.started_on, period.ended_on,
                              period.ended_by == TRANSFER, _criteria(period), period.exit_strategy,
                              period.y2a_early_reason))
    return rows
