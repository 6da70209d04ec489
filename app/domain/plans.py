"""Each person's offender management plan (toolkit §6.2, §8.1): the rules, no Flask.

A plan holds, for each of the seven pathways, the need (none, some, high) and what is
being done about it, and actions with an owner (a user of the team, or a partner agency
by name), a due date and a status. An action is overdue from the day after its due date
while it is still open; a done or dropped action is never overdue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar


class Need(StrEnum):
    NONE = "none"
    SOME = "some"
    HIGH = "high"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


# The phone lists at most this many of a person's next actions.
NEXT_ACTIONS = 3


def action_overdue(status: ActionStatus | str, due: date, today: date) -> bool:
    """Open, and its due date has passed (due today is not yet overdue)."""
    return ActionStatus(status) is ActionStatus.OPEN and due < today


@dataclass(frozen=True, slots=True)
class Owner:
    """Who an action is for: exactly one of a user (by id) or a partner agency (by name)."""

    user_id: int | None = None
    agency_name: str | None = None

    def __post_init__(self) -> None:
        name = (self.agency_name or "").strip() or None
        object.__setattr__(self, "agency_name", name)
        if (self.user_id is None) == (name is None):
            raise ValueError("an action is owned by one user or one partner agency")


Row = TypeVar("Row")


def next_actions(actions: Iterable[Row], limit: int = NEXT_ACTIONS) -> list[Row]:
    """The open actions, soonest due first (overdue ones first of all), at most ``limit``."""
    open_ones = [action for action in actions if ActionStatus(action.status) is ActionStatus.OPEN]  # type: ignore[attr-defined]
    return sorted(open_ones, key=lambda action: action.due_on)[:limit]  # type: ignore[attr-defined]


def overdue(actions: Sequence[Row], today: date) -> list[Row]:
    """The overdue ones, oldest due first."""
    late = [action for action in actions if action_overdue(action.status, action.due_on, today)]  # type: ignore[attr-defined]
    return sorted(late, key=lambda action: action.due_on)  # type: ignore[attr-defined]
