"""Shared set-up for the supervision tests: a fixed clock and page helpers."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest

# Wednesday 18 November 2026, noon: the week of Monday 16 November.
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=timezone.utc)
THIS_WEEK = date(2026, 11, 16)
LAST_WEEK = date(2026, 11, 9)


@pytest.fixture(autouse=True)
def fixed_clock(app):
    app.config["FIXED_NOW"] = NOW


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=timezone.utc)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def week_rows(page: str) -> list[str]:
    """Each person's row in the week view, as text."""
    return [text_of(row) for row in re.findall(r'<tr class="week-row.*?</tr>', page, flags=re.S)]


def row_for(page: str, name: str) -> str:
    matches = [row for row in week_rows(page) if row.startswith(name)]
    assert len(matches) == 1, (name, week_rows(page))
    return matches[0]
