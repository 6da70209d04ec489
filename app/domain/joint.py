"""Joint contacts: one meeting, one contact, every officer who was there credited.

A police and a probation officer who visit someone together made one contact. Either may
record it naming the other as a colleague (``colleagues``), and the other may record the
same meeting too. The rules, in plain Python so that they can be tested without a database:

- Two records are **the same meeting** when they are of the same person, by different
  officers, no more than ``JOINT_WINDOW`` apart in real (UTC) time, and either names the
  other officer. The later one is stored linked to the first (``same_as``) and counts for
  nothing: the meeting is counted once, in the week of the record that counts.
- Two records of the same person by different officers within the window who do **not**
  name each other are **possibly the same contact**: never merged by themselves, a
  supervisor confirms (links) or dismisses them.
- A record **counts** when it is not voided and not linked to another. Voiding the one
  that counts hands the count to the earliest remaining record of the meeting
  (``successor``), so that voiding one officer's copy never loses the meeting.

Times are compared as instants: two records either side of the hour when the clocks go
back are as far apart as the time that really passed, not as their wall clocks say.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum

JOINT_WINDOW = timedelta(hours=2)


class CountsFor(StrEnum):
    """Which agency's figures a contact counts in: each agency reports separately."""

    POLICE = "police"
    PROBATION = "probation"
    BOTH = "both"
    PARTNER = "partner"


@dataclass(frozen=True, slots=True)
class Record:
    """One officer's record of a contact, as these rules need it."""

    id: Hashable
    person_id: int
    occurred_at: datetime
    recorded_by: int
    colleagues: frozenset[int] = field(default_factory=frozenset)
    voided: bool = False
    same_as: Hashable | None = None  # the record of the same meeting that counts

    def __post_init__(self) -> None:
        if self.occurred_at.tzinfo is None or self.occurred_at.utcoffset() is None:
            raise ValueError(f"occurred_at must be time-zone aware: {self.occurred_at!r}")

    @property
    def counts(self) -> bool:
        return not self.voided and self.same_as is None

    @property
    def officers(self) -> frozenset[int]:
        """Everyone this record says was there: its recorder and the colleagues it names."""
        return self.colleagues | {self.recorded_by}


def apart(first: datetime, second: datetime) -> timedelta:
    """The real time between two instants (aware datetimes of any zone, compared in UTC).

    Python subtracts two datetimes of the *same* zone by their wall clocks, which is an
    hour wrong across a clock change; converting to UTC first gives the time that passed.
    """
    return abs(first.astimezone(timezone.utc) - second.astimezone(timezone.utc))


def _close(first: Record, second: Record) -> bool:
    return (
        first.person_id == second.person_id
        and first.recorded_by != second.recorded_by
        and apart(first.occurred_at, second.occurred_at) <= JOINT_WINDOW
    )


def name_each_other(first: Record, second: Record) -> bool:
    """Either record names the other's officer as a colleague."""
    return second.recorded_by in first.colleagues or first.recorded_by in second.colleagues


def same_meeting(first: Record, second: Record) -> bool:
    """Two officers' records of one meeting: linked without asking anyone."""
    return _close(first, second) and name_each_other(first, second)


def possibly_same(first: Record, second: Record) -> bool:
    """Two records a supervisor should look at: close, by different officers who did not
    name each other, both still counting (neither voided nor already linked)."""
    return _close(first, second) and not name_each_other(first, second) and first.counts and second.counts


def counted_record(new: Record, held: Iterable[Record]) -> Hashable | None:
    """The id of the record that counts for the meeting ``new`` is a second record of, or None.

    ``held`` are the records already stored (any order); the nearest in time of those that
    are the same meeting decides, and the answer is always a record that counts (the one a
    second record is linked to, never a second record itself).
    """
    matches = [record for record in held if not record.voided and same_meeting(new, record)]
    if not matches:
        return None
    nearest = min(matches, key=lambda record: (apart(new.occurred_at, record.occurred_at), str(record.id)))
    return nearest.id if nearest.same_as is None else nearest.same_as


def successor(meeting: Sequence[Record]) -> Hashable | None:
    """Which record counts once the one counting is voided: the earliest left (then by id).

    ``meeting`` is every record linked to the voided one; None when all are voided too.
    """
    left = [record for record in meeting if not record.voided]
    if not left:
        return None
    return min(left, key=lambda record: (record.occurred_at.astimezone(timezone.utc), str(record.id))).id


def counts_for(agencies: Iterable[str]) -> CountsFor:
    """The agency a meeting counts for, from the agencies of the officers who were there."""
    present = set(agencies)
    police, probation = "police" in present, "probation" in present
    if police and probation:
        return CountsFor.BOTH
    if police:
        return CountsFor.POLICE
    if probation:
        return CountsFor.PROBATION
    return CountsFor.PARTNER


def meetings(records: Iterable[Record]) -> int:
    """How many contacts these records are: each meeting once, voided ones not at all."""
    return sum(1 for record in records if record.counts)
