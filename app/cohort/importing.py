"""Importing a cohort from a CSV file (``flask import-people`` and the upload page).

Columns are found by their header, in any order (``COLUMNS``). The file may be UTF-8 with
or without a byte-order mark (Excel's "CSV UTF-8"), or Windows-1252 (Excel's plain "CSV"
on Windows, which has no ŵ or ŷ: Excel has already turned those into "?", so a name with
a "?" is refused rather than stored wrong). Each row is checked by the same rules as the
admit form (``app.cohort.rules``). A person is matched by CRN, else by Niche reference:
an unchanged row changes nothing, a changed one updates that person (audited), a new one
is admitted. One bad row anywhere and nothing is stored: every bad row is listed with
its line number and what is wrong.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import audit, bulk
from app.cohort import rules
from app.cohort.operations import Details, holders
from app.extensions import DbSession
from app.models import Person, Team, User, utcnow
from app.scoping import UNSCOPED

COLUMNS = ("crn", "niche_ref", "display_name", "category", "rag", "lead_agency", "offender_manager_email",
           "team", "joined_on", "mappa", "wisdom", "y2a")
REQUIRED = ("display_name", "category", "rag", "lead_agency", "joined_on")
MAX_ROWS = 20000
UPDATABLE = ("display_name", "delius_crn", "niche_ref", "category", "rag", "lead_agency", "offender_manager_id",
             "mappa", "wisdom", "y2a")


@dataclass
class Problem:
    line: int  # 0: the file as a whole
    column: str | None
    message: object  # lazily translated


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def decode(data: bytes) -> str:
    """UTF-8 (a BOM dropped), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # an unreadable byte becomes U+FFFD: refused in names


@dataclass
class _Row:
    line: int
    team: Team
    details: Details


def _header(reader) -> list[str]:
    return [(name or "").strip().lstrip("\ufeff").casefold() for name in (reader.fieldnames or [])]


def check_file(session: DbSession, data: bytes, *, team: Team | None, may_choose_team: bool, is_admin: bool,
               today: date) -> tuple[list[_Row], list[Problem]]:
    """Read and check every row; nothing is stored."""
    text = decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = _header(reader)
    reader.fieldnames = header
    problems: list[Problem] = []
    missing = [name for name in REQUIRED if name not in header]
    if not header:
        return [], [Problem(0, None, _l("The file is empty."))]
    for name in missing:
        problems.append(Problem(1, name, _l("The file has no column with this header.")))
    if "crn" not in header and "niche_ref" not in header:
        problems.append(Problem(1, "crn", _l("The file needs a crn or a niche_ref column.")))
    if team is None and "team" not in header:
        problems.append(Problem(1, "team", _l("Name the team, or give the file a team column.")))
    if problems:
        return [], problems

    teams = {row.name.casefold(): row for row in session.scalars(select(Team).execution_options(**UNSCOPED))}
    users = {user.email.casefold(): user for user in session.scalars(select(User).execution_options(**UNSCOPED))}
    rows: list[_Row] = []
    seen: dict[tuple[str, str], int] = {}
    for record in reader:
        line = reader.line_num
        if len(rows) + len(problems) > MAX_ROWS:
            problems.append(Problem(line, None, _l("The file has more than 20,000 rows. Split it into smaller files.")))
            break
        if not any((value or "").strip() for key, value in record.items() if key is not None):
            continue  # a blank line
        row_problems: list[Problem] = []

        # Called only within this row's iteration, so the row's variables are the right ones.
        def clean(column, rule, *args):
            try:
                return rule(record.get(column), *args)  # noqa: B023
            except rules.Invalid as problem:
                row_problems.append(Problem(line, column, problem.message))  # noqa: B023
                return None

        row_team = team
        named = (record.get("team") or "").strip()
        if named:
            row_team = teams.get(named.casefold())
            if row_team is None or (team is not None and row_team.id != team.id and not may_choose_team):
                row_problems.append(Problem(line, "team", _l("There is no team of this name that you may import into.")))
        elif row_team is None:
            row_problems.append(Problem(line, "team", _l("Name the team.")))
        name = clean("display_name", rules.clean_name)
        crn = clean("crn", rules.clean_crn)
        niche_ref = clean("niche_ref", rules.clean_niche_ref)
        if crn is None and niche_ref is None and not any(p.column in ("crn", "niche_ref") for p in row_problems):
            row_problems.append(Problem(line, "crn", _l("Enter a Delius CRN or a Niche or PNC reference, so that the person can be found.")))
        category = clean("category", rules.clean_category)
        rag = clean("rag", rules.clean_rag)
        agency = clean("lead_agency", rules.clean_agency)
        joined_on = clean("joined_on", rules.clean_date)
        if joined_on is not None:
            joined_on = clean("joined_on", lambda _value: rules.clean_joined_on(joined_on, today))  # noqa: B023
        mappa, wisdom, y2a = (clean(column, rules.clean_flag) for column in ("mappa", "wisdom", "y2a"))
        manager_id = None
        email = (record.get("offender_manager_email") or "").strip().casefold()
        if email:
            manager = users.get(email)
            if manager is None or row_team is None or manager.team_id != row_team.id:
                row_problems.append(Problem(line, "offender_manager_email",
                                            _l("There is no user with this email address in the team.")))
            elif not manager.active:
                row_problems.append(Problem(line, "offender_manager_email", _l(
                    "This user has left: their account is deactivated. Name an offender manager who is still in the team.")))
            else:
                manager_id = manager.id
        for key, value in (("crn", crn), ("niche_ref", niche_ref)):
            if value:
                if (key, value) in seen:
                    row_problems.append(Problem(line, key, _l("This reference is on an earlier line of the file too.")))
                seen[key, value] = line
        if row_problems or row_team is None:  # a row without a team has had its problem told above
            problems.extend(row_problems)
            continue
        rows.append(_Row(line, row_team, Details(
            display_name=name, delius_crn=crn, niche_ref=niche_ref, category=category, rag=rag, lead_agency=agency,
            offender_manager_id=manager_id, joined_on=joined_on, mappa=bool(mappa), wisdom=bool(wisdom),
            y2a=bool(y2a), y2a_minimum_ends=rules.clean_y2a_end(bool(y2a), joined_on, None),
        )))
    if not rows and not problems:
        problems.append(Problem(0, None, _l("The file has no rows to import.")))
    return rows, problems


def import_people(session: DbSession, data: bytes, *, team: Team | None, may_choose_team: bool, is_admin: bool,
                  today: date, dry_run: bool = False) -> Outcome:
    """Check the whole file, then (unless ``dry_run`` or any row is bad) store every row."""
    outcome = Outcome(dry_run=dry_run)
    rows, outcome.problems = check_file(session, data, team=team, may_choose_team=may_choose_team,
                                        is_admin=is_admin, today=today)
    if outcome.problems:
        return outcome
    held = holders(session, crns=[row.details.delius_crn for row in rows],
                   niche_refs=[row.details.niche_ref for row in rows])
    by_crn = {holder.value: holder for holder in held if holder.field == "delius_crn"}
    by_ref = {holder.value: holder for holder in held if holder.field == "niche_ref"}
    matched: dict[int, int] = {}  # line -> person id
    for row in rows:
        holder = by_crn.get(row.details.delius_crn) if row.details.delius_crn else None
        if holder is None and row.details.niche_ref:
            holder = by_ref.get(row.details.niche_ref)
        other = by_ref.get(row.details.niche_ref) if row.details.niche_ref else None
        if holder is not None and other is not None and other.person_id != holder.person_id:
            outcome.problems.append(Problem(row.line, "niche_ref", _l("This Niche reference belongs to another person.")))
            continue
        if holder is None:
            continue
        if holder.team_id != row.team.id:
            message = (_l("This person is already in a cohort: %(team)s.", team=holder.team_name) if is_admin
                       else _l("This person is already in a cohort."))
            outcome.problems.append(Problem(row.line, "crn" if holder.field == "delius_crn" else "niche_ref", message))
            continue
        matched[row.line] = holder.person_id
    if outcome.problems:
        return outcome
    people: dict[int, Person] = {}
    ids = sorted(set(matched.values()))
    for start in range(0, len(ids), 1000):
        for found in session.scalars(select(Person).where(Person.id.in_(ids[start:start + 1000]))):
            people[found.id] = found
    new_rows: list[_Row] = []
    for row in rows:
        person_id = matched.get(row.line)
        person = people.get(person_id) if person_id is not None else None
        if person is None:
            outcome.created += 1
            new_rows.append(row)
            continue
        values = row.details.values()
        changes = {key: values[key] for key in UPDATABLE if getattr(person, key) != values[key]}
        if not changes:
            outcome.unchanged += 1
            continue
        outcome.updated += 1
        if not dry_run:
            for key, value in changes.items():
                setattr(person, key, value)
    if not dry_run:
        session.flush()
        _insert_new(session, new_rows)
    return outcome


def _insert_new(session: DbSession, rows: list[_Row]) -> None:
    """Admit the new people in one statement (``app.bulk``), with their audit events.

    The ORM would do the same row by row; 10,000 people must import in seconds.
    """
    if not rows:
        return
    now = utcnow()
    values = [{"team_id": row.team.id, "created_at": now, **row.details.values()} for row in rows]
    table = Person.__table__
    ids = bulk.insert_rows(session.connection(), table, values, returning=table.c.id)
    by_reference = {}
    for start in range(0, len(ids), 1000):
        for person_id, crn, ref in session.execute(
            select(table.c.id, table.c.delius_crn, table.c.niche_ref).where(table.c.id.in_(ids[start:start + 1000]))
        ):
            by_reference[crn or ref] = person_id
    events = []
    for value in values:
        person_id = by_reference[value["delius_crn"] or value["niche_ref"]]
        events.append({**value, "id": person_id, "person_id": person_id})
    audit.rows_created(session, Person, events)


def find_team(session: DbSession, name: str | None) -> Team | None:
    if not name:
        return None
    return session.scalar(select(Team).where(func.lower(Team.name) == name.strip().lower()))
