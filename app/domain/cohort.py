"""Who could leave the cohort: RAG history and the toolkit's de-selection signals.

The toolkit (§9) says de-selection is to be considered when a person has been green
for three months (with an exit strategy); young people moving to adult justice (Y2A)
stay on IOM for at least three months. These functions only say who to *consider*:
the decision and its reason are recorded by a person.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

GREEN = "green"
GREEN_MONTHS_BEFORE_DESELECTION = 3
Y2A_MINIMUM_MONTHS = 3


@dataclass(frozen=True, slots=True)
class StatusSpan:
    """A status (a RAG colour, say) in force from ``start`` until the next span starts."""

    value: str
    start: date


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later, or the month's last day if shorter.

    30 November + 3 months is 28 (or 29) February.
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _ordered(spans: Sequence[StatusSpan]) -> list[StatusSpan]:
    # Stable sort: of two spans starting on one day, the later in the sequence wins.
    return sorted(spans, key=lambda span: span.start)


def value_on(day: date, spans: Sequence[StatusSpan]) -> str | None:
    """The value in force on ``day``: the latest span starting on or before it."""
    latest = None
    for span in _ordered(spans):
        if span.start <= day:
            latest = span
    return None if latest is None else latest.value


def in_force_since(day: date, spans: Sequence[StatusSpan]) -> date | None:
    """The first day of the unbroken run of the value in force on ``day``.

    A span that restates the value already in force does not break the run.
    """
    current = value_on(day, spans)
    if current is None:
        return None
    since = None
    for span in _ordered(spans):
        if span.start > day:
            break
        if span.value != current:
            since = None
        elif since is None:
            since = span.start
    return since


def green_for_three_months(today: date, spans: Sequence[StatusSpan]) -> bool:
    """Green today, and without a break for at least three calendar months."""
    if value_on(today, spans) != GREEN:
        return False
    since = in_force_since(today, spans)
    return since is not None and add_months(since, GREEN_MONTHS_BEFORE_DESELECTION) <= today


def green_since(today: date, spans: Sequence[StatusSpan]) -> date | None:
    """When the current green run began, or None if not green today."""
    if value_on(today, spans) != GREEN:
        return None
    return in_force_since(today, spans)


def y2a_minimum_ends(joined_on: date, recorded_end: date | None) -> date:
    """The end of a Y2A person's minimum time on IOM: as recorded, else three months in."""
    return recorded_end or add_months(joined_on, Y2A_MINIMUM_MONTHS)


def y2a_minimum_passed(today: date, joined_on: date, recorded_end: date | None) -> bool:
    """Whether a Y2A person's minimum three months on IOM are over (on the end date itself)."""
    return today >= y2a_minimum_ends(joined_on, recorded_end)
