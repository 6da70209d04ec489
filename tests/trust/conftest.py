"""Fixtures for the trust tests: a small world of two teams, and helpers to read pages."""

from __future__ import annotations

import html
import re
import uuid
from datetime import date, datetime, timezone
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.models import Contact, Person, Team, User
from tests import factories

TRANSLATIONS = Path(__file__).resolve().parents[2] / "app" / "translations"

# A name that must never appear in an answer to another team's user.
HIDDEN_NAME = "Bethan Gyfrinachol"
HIDDEN_NOTE = "Nodyn cyfrinachol: he has moved in with his sister"


@dataclass
class World:
    team: Team
    other_team: Team
    officer: User
    supervisor: User
    admin: User
    other_officer: User
    own_person: Person
    other_person: Person
    own_contact: Contact
    other_contact: Contact
    own_pause: object = None
    other_pause: object = None
    own_device: object = None
    other_device: object = None
    own_arrangement: object = None
    other_arrangement: object = None
    missing_int: int = 987654
    missing_uuid: uuid.UUID = uuid.UUID("00000000-0000-4000-8000-00000000dead")

    def user(self, role: str) -> User:
        return {"officer": self.officer, "supervisor": self.supervisor, "admin": self.admin}[role]


@pytest.fixture
def world(team, other_team, officer, supervisor, admin, other_officer) -> World:
    own_person = factories.person(team, "Aled Powys", offender_manager=officer)
    other_person = factories.person(other_team, HIDDEN_NAME, offender_manager=other_officer)
    return World(
        team=team,
        other_team=other_team,
        officer=officer,
        supervisor=supervisor,
        admin=admin,
        other_officer=other_officer,
        own_person=own_person,
        other_person=other_person,
        own_contact=factories.contact(own_person, officer, notes="Our own note", concern=True),
        other_contact=factories.contact(other_person, other_officer, notes=HIDDEN_NOTE),
        own_pause=factories.pause(own_person, date(2026, 11, 2)),
        other_pause=factories.pause(other_person, date(2026, 11, 2)),
        own_device=factories.device(officer, unsent=2),
        other_device=factories.device(other_officer, unsent=1),
        own_arrangement=factories.arrangement(own_person, officer, datetime(2026, 11, 18, 10, tzinfo=timezone.utc)),
        other_arrangement=factories.arrangement(other_person, other_officer,
                                                datetime(2026, 11, 18, 10, tzinfo=timezone.utc)),
    )


class InlineCodeFinder(HTMLParser):
    """Everything in a page that a Content Security Policy without 'unsafe-inline' would block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value for name, value in attrs}
        if tag == "script" and not names.get("src"):
            self.problems.append("an inline <script> (use a file in static/js)")
        if tag == "style":
            self.problems.append("a <style> block (use static/css)")
        for name, value in names.items():
            if name == "style":
                self.problems.append(f"a style= attribute on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"an {name}= handler on <{tag}>")
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"a javascript: URL in {name}= on <{tag}>")

    handle_startendtag = handle_starttag


def inline_code_in(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


@cache
def catalogue_patterns(language: str) -> tuple[re.Pattern, ...]:
    """Every sentence the app can say in this language, placeholders matching anything."""
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    sentences = []
    for message in catalogue:
        if not message.id:
            continue
        if language == "en":
            sentences += list(message.id) if isinstance(message.id, tuple) else [message.id]
        else:
            sentences += list(message.string) if isinstance(message.string, tuple) else [message.string]
    placeholder = re.compile(r"%\(\w+\)[sd]")
    return tuple(
        re.compile("".join(".+?" if placeholder.fullmatch(part) else re.escape(part)
                           for part in re.split(r"(%\(\w+\)[sd])", sentence)) + r"\Z", re.S)
        for sentence in sentences if sentence
    )


def speaks(language: str, text: str) -> bool:
    """Whether ``text`` is a sentence from the app's catalogue in ``language``."""
    return any(pattern.match(text.strip()) for pattern in catalogue_patterns(language))


_TAG = re.compile(r"<[^>]+>")


def page_error_messages(page: str) -> list[str]:
    """What a refused page tells the person: its error summary, or an error page's text."""
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    if summary:
        items = re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    else:
        items = re.findall(r"<h1>(.*?)</h1>", page, re.S) + re.findall(r"</h1>\s*<p>(.*?)</p>", page, re.S)
    return [html.unescape(_TAG.sub("", item)).strip() for item in items if item.strip()]
