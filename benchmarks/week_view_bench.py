"""Benchmark: the team week view and the all-Wales summary on five years of data.

Generates 20 teams of 250 people in the cohort (plus some who have left), five years of
history and about 4 million contacts, into a database of its own, then times:

- the team week view's query and compute path (``queries.week_view``) for one
  250-person team, as a supervisor of that team (team scoping on);
- the all-Wales summary (``queries.wales_summary``) as an administrator;
- with ``--http``, the same two pages as full requests through the test client.

It prints p50 and p95 in milliseconds, the CPU per page (this process, and on PostgreSQL
the server's processes too, read from /proc), the statements per page, and each figure
as a ratio to its limit (issue 17): team week view query + compute < 20 ms, whole page
< 50 ms; all-Wales summary < 50 ms. On a shared machine the wall clock mostly measures
the wait for a core: the CPU per page is the figure that holds.

    .venv/bin/python benchmarks/week_view_bench.py --db sqlite
    .venv/bin/python benchmarks/week_view_bench.py --db postgres
    .venv/bin/python benchmarks/week_view_bench.py --db sqlite --scale 0.1   # smaller, quicker
    .venv/bin/python benchmarks/week_view_bench.py --db postgres --reuse     # time again, no reload

SQLite goes to benchmarks/out/bench.sqlite; PostgreSQL to the database named by
BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/cyswllt_bench_sup,
created if missing). Both are emptied and rebuilt by the migrations unless --reuse.

Contacts are written in time order (week by week across all people), as a live system
would write them, so a person's contacts are scattered through the table rather than
conveniently together. Each contact's week is derived from its London local time by
construction (a time inside the London week is chosen, then converted to UTC with that
day's offset); a sample is checked against ``app.domain.weeks.week_start`` and a sample
read back through the ORM is checked too. Audit events are not generated: bulk loading
bypasses the ORM, and the week view does not read them.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, time as clock_time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dataclasses import dataclass  # noqa: E402

from sqlalchemy import create_engine, event, func, select, text  # noqa: E402

from app.domain.weeks import LONDON, week_of, week_start  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/cyswllt_bench_sup"
TEAMS = 20
PEOPLE_PER_TEAM = 250
LEAVERS_PER_TEAM = 25
YEARS = 5
TODAY = date(2026, 11, 18)  # a Wednesday: "now" for the data and the timings
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
# Contacts a week by category: about 3.9 on average, for about 4 million in five years.
RATES = {"fixed": 4.85, "flex": 2.7, "free": 3.2}
CATEGORIES = ("fixed", "fixed", "fixed", "fixed", "fixed", "flex", "flex", "flex", "free", "free")
TYPES = ("home_visit", "public_place", "phone", "video_online", "office", "partner_agency",
         "lift_practical", "welfare_help", "activity")
OUTCOMES = ("kept",) * 16 + ("not_at_home", "did_not_attend", "did_not_attend", "refused")
STAFF = (("supervisor", "police"), ("supervisor", "probation"), ("officer", "police"),
         ("officer", "police"), ("officer", "probation"), ("officer", "probation"))
CONTACT_COLUMNS = (
    "id", "team_id", "person_id", "recorded_by_id", "recorder_agency", "type", "outcome", "occurred_at",
    "occurred_week", "duration_minutes", "pathways", "notes", "others_present", "sensitive", "concern",
    "recorded_at", "received_at", "late", "clock_skew", "content_sha256", "voided", "void_reason", "updated_at",
)
# Later columns that may not be empty, as a contact recorded alone has them.
LATER_DEFAULTS = {"colleague_ids": "[]"}  # JSON: no colleague named
BATCH = 50_000
PASSWORD = "benchmark-password-long-enough"


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- The database --------------------------------------------------------------------


def database_url(kind: str) -> str:
    if kind == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        return "sqlite:///" + str(OUT / "bench.sqlite")
    from app.config import normalise_database_url

    return normalise_database_url(os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))


def reset_database(kind: str, url: str) -> None:
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(OUT / "bench.sqlite") + suffix).unlink(missing_ok=True)
        return
    base, name = url.rsplit("/", 1)
    admin = create_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).scalar():
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def make_app(url: str):
    from app import create_app

    return create_app({
        "TESTING": True,
        "SECRET_KEY": "benchmark-secret-key-that-is-long-enough",
        "SQLALCHEMY_DATABASE_URI": url,
        "RATELIMIT_ENABLED": False,
        "FIXED_NOW": NOW,
    })


# --- Generating the data ----------------------------------------------------------------


def london_offset(day: date) -> timedelta:
    """The UTC offset of London on ``day`` at midday (contacts are between 08:00 and 20:59)."""
    return datetime.combine(day, clock_time(12), LONDON).utcoffset()


class Generator:
    def __init__(self, scale: float, seed: int = 20261118):
        self.rng = random.Random(seed)
        self.people_per_team = max(1, round(PEOPLE_PER_TEAM * scale))
        self.leavers_per_team = max(0, round(LEAVERS_PER_TEAM * scale))
        self.start = week_of(TODAY) - timedelta(weeks=52 * YEARS)
        self.weeks = [self.start + timedelta(weeks=n) for n in range(52 * YEARS + 1)]
        days = self.weeks[-1] + timedelta(days=7) - self.start
        self.offsets = {self.start + timedelta(days=n): london_offset(self.start + timedelta(days=n))
                        for n in range(days.days)}

    def teams_and_people(self, connection, password_hash: str):
        """Teams, staff and people, with category, RAG, review and pause history."""
        from app.models import (CategoryChange, Pause, Person, RagChange, RequirementReview, Team, TeamDefaults,
                                User)
        from app.domain.weeks import week_of

        rng = self.rng
        teams, users, people = [], [], []
        changes, rags, reviews, pauses = [], [], [], []
        team_defaults = []  # every team changed its defaults twice: weeks are counted through the history
        person_id = user_id = 0
        for number in range(1, TEAMS + 1):
            teams.append({"id": number, "name": f"Tîm {number:02d} IOM", "force_area": "Heddlu", "default_fixed": 3,
                          "default_flex": 1, "default_free": 0, "correction_window_days": 7,
                          "late_entry_days": 14, "created_at": NOW})
            for effective, fixed, flex, free in ((TeamDefaults.SINCE_THE_START, 3, 1, 0),
                                                 (week_of(TODAY - timedelta(days=730)), 4, 1, 0),
                                                 (week_of(TODAY - timedelta(days=365)), 3, 2, 1)):
                team_defaults.append({"team_id": number, "effective": effective, "fixed": fixed, "flex": flex,
                                      "free": free, "set_by_id": None, "created_at": NOW})
            staff = []
            for index, (role, agency) in enumerate(STAFF):
                user_id += 1
                users.append({"id": user_id, "email": f"staff{index}@team{number}.bench", "name": f"Staff {index} {number}",
                              "agency": agency, "role": role, "team_id": number, "language": "en",
                              "password_hash": password_hash, "active": True, "created_at": NOW})
                staff.append((user_id, agency))
            for index in range(self.people_per_team + self.leavers_per_team):
                person_id += 1
                leaver = index >= self.people_per_team
                early = rng.random() < 0.6
                joined = self.start + timedelta(days=rng.randint(0, 90 if early else 52 * 7 * YEARS - 60))
                left = None
                if leaver:
                    left = joined + timedelta(days=rng.randint(60, max(61, (TODAY - joined).days - 14)))
                category = rng.choice(CATEGORIES)
                manager = staff[2 + index % 4][0]
                people.append({"id": person_id, "team_id": number, "display_name": f"Person {number}-{index}",
                               "delius_crn": f"X{person_id:06d}", "niche_ref": f"22/{person_id:06d}A",
                               "category": category, "rag": "amber", "lead_agency": staff[2 + index % 4][1],
                               "offender_manager_id": manager, "wisdom": False, "mappa": False, "y2a": index % 17 == 0,
                               "y2a_minimum_ends": None, "joined_on": joined, "left_on": left,
                               "left_reason": "moved_area" if left else None, "created_at": NOW})
                changes.append({"person_id": person_id, "category": category, "effective": joined, "created_at": NOW})
                end = left or TODAY
                if rng.random() < 0.3:
                    other = rng.choice([c for c in ("fixed", "flex", "free") if c != category])
                    when = joined + timedelta(days=rng.randint(0, max(0, (end - joined).days)))
                    changes.append({"person_id": person_id, "category": other, "effective": when, "created_at": NOW})
                    people[-1]["category"] = other
                rag = rng.choice(("red", "amber", "green"))
                rags.append({"person_id": person_id, "rag": rag, "effective": joined, "created_at": NOW})
                when = joined
                for _ in range(rng.randint(0, 4)):
                    when = when + timedelta(days=rng.randint(30, 200))
                    if when >= end:
                        break
                    rag = rng.choice(("red", "amber", "green"))
                    rags.append({"person_id": person_id, "rag": rag, "effective": when, "created_at": NOW})
                people[-1]["rag"] = rag
                if rng.random() < 0.4:
                    when = joined + timedelta(days=rng.randint(20, 90))
                    while when < end:
                        reviews.append({"person_id": person_id, "effective": when, "contacts_per_week": rng.choice((1, 2, 3, 4)),
                                        "risk": "r", "needs": "n", "responses_to_supervision": "s",
                                        "progress_towards_rehabilitation": "p", "difficulties_attending": "d",
                                        "reviewer_id": staff[0][0], "next_review_due": when + timedelta(weeks=13),
                                        "created_at": NOW})
                        when += timedelta(weeks=rng.randint(10, 16))
                if rng.random() < 0.2:
                    start = joined + timedelta(days=rng.randint(0, max(0, (end - joined).days)))
                    finish = None if rng.random() < 0.15 else start + timedelta(days=rng.randint(3, 120))
                    pauses.append({"person_id": person_id, "start": start, "end": finish,
                                   "reason": rng.choice(("custody", "hospital", "other")), "created_at": NOW})
        user_id += 1
        users.append({"id": user_id, "email": "admin@bench.example", "name": "Admin", "agency": "partner",
                      "role": "admin", "team_id": 1, "language": "en", "password_hash": password_hash,
                      "active": True, "created_at": NOW})
        for model, rows in ((Team, teams), (TeamDefaults, team_defaults), (User, users), (Person, people),
                            (CategoryChange, changes), (RagChange, rags), (RequirementReview, reviews),
                            (Pause, pauses)):
            for start in range(0, len(rows), BATCH):
                connection.execute(model.__table__.insert(), rows[start:start + BATCH])
        self.people = people
        self.staff = {team: [(u["id"], u["agency"]) for u in users if u["team_id"] == team and u["role"] != "admin"]
                      for team in range(1, TEAMS + 1)}
        return len(teams), len(users), len(people), len(changes), len(rags), len(reviews), len(pauses)

    def contacts(self):
        """Contact rows as Python values, week by week across everyone (time order)."""
        rng = self.rng
        random_ = rng.random
        bits = rng.getrandbits
        days = [timedelta(days=n) for n in range(7)]
        times = [timedelta(hours=hour, minutes=minute) for hour in range(8, 21) for minute in (0, 15, 30, 45)]
        minutes = [timedelta(minutes=n) for n in range(1, 601)]
        durations = (None, 15, 30, 45, 60)
        # London midnight of each day as a UTC clock reading: local time minus that day's offset.
        midnight = {day: datetime.combine(day, clock_time(0), UTC) - offset for day, offset in self.offsets.items()}
        for monday in self.weeks:
            sunday = monday + days[6]
            for person in self.people:
                if person["joined_on"] > sunday or (person["left_on"] is not None and person["left_on"] <= monday):
                    continue
                rate = RATES[person["category"]]
                count = int(rate) + (random_() < rate - int(rate)) + (-1 if random_() < 0.2 else 1 if random_() > 0.8 else 0)
                staff = self.staff[person["team_id"]]
                for _ in range(count):
                    day = monday + days[int(random_() * 7)]
                    if day > TODAY:
                        continue
                    occurred = midnight[day] + times[int(random_() * len(times))]
                    if occurred > NOW:
                        continue
                    recorder, agency = staff[int(random_() * len(staff))]
                    voided = random_() < 0.01
                    yield (
                        uuid.UUID(int=bits(128), version=4), person["team_id"], person["id"], recorder,
                        agency, TYPES[int(random_() * len(TYPES))], OUTCOMES[int(random_() * len(OUTCOMES))], occurred,
                        monday, durations[int(random_() * 5)], "[]", None, None, False, False,
                        occurred + minutes[int(random_() * 90)], occurred + minutes[int(random_() * 600)],
                        False, False, "%064x" % bits(256), voided,
                        "Recorded against the wrong person" if voided else None, None,
                    )


def check_weeks_sample(rows: list[tuple]) -> None:
    """The constructed week of each sampled contact is the domain's week."""
    for row in rows:
        occurred, week = row[7], row[8]
        if week_start(occurred) != week:
            raise SystemExit(f"week mismatch for {occurred}: built {week}, domain says {week_start(occurred)}")


def sqlite_values(row: tuple) -> tuple:
    """A contact row in the forms SQLAlchemy stores on SQLite (checked by reading back)."""
    values = list(row)
    values[0] = row[0].hex
    for index in (7, 15, 16):
        values[index] = row[index].replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    values[8] = row[8].isoformat()
    for index in (13, 14, 17, 18, 20):
        values[index] = int(row[index])
    return tuple(values)


def with_later_columns(rows, extra: list[str]):
    """Rows widened for columns a later migration added: a hash column repeats the
    content hash, anything else is left empty (so the script keeps working as the
    contacts table grows)."""
    hash_index = CONTACT_COLUMNS.index("content_sha256")

    def filler(name):
        if name.endswith("_sha256"):
            return lambda row: row[hash_index]
        if name in LATER_DEFAULTS:
            return lambda row: LATER_DEFAULTS[name]
        return lambda row: None

    fill = [filler(name) for name in extra]
    for row in rows:
        yield row + tuple(make(row) for make in fill)


def load_contacts(kind: str, engine, generator: Generator) -> int:
    from app.models import Contact

    total = 0
    sample: list[tuple] = []
    started = time.perf_counter()
    extra = [column.name for column in Contact.__table__.columns if column.name not in CONTACT_COLUMNS]
    for name in extra:
        if not Contact.__table__.c[name].nullable and not name.endswith("_sha256") and name not in LATER_DEFAULTS:
            raise SystemExit(f"the benchmark does not know what to put in contacts.{name}: teach it")
    all_columns = CONTACT_COLUMNS + tuple(extra)
    placeholders = ", ".join("?" for _ in all_columns)
    columns = ", ".join(f'"{column}"' for column in all_columns)

    def progress():
        rate = total / max(time.perf_counter() - started, 1e-9)
        say(f"  {total:,} contacts ({rate:,.0f} a second)")

    if kind == "sqlite":
        raw = engine.raw_connection()
        cursor = raw.cursor()
        batch = []
        for row in with_later_columns(generator.contacts(), extra):
            if generator.rng.random() < 0.005:
                sample.append(row)
            batch.append(sqlite_values(row))
            if len(batch) >= BATCH:
                cursor.executemany(f"INSERT INTO contacts ({columns}) VALUES ({placeholders})", batch)
                total += len(batch)
                batch.clear()
                if total % (BATCH * 10) == 0:
                    raw.commit()
                    progress()
        if batch:
            cursor.executemany(f"INSERT INTO contacts ({columns}) VALUES ({placeholders})", batch)
            total += len(batch)
        raw.commit()
        raw.close()
    else:
        raw = engine.raw_connection()
        driver = raw.driver_connection
        with driver.cursor() as cursor, cursor.copy(f"COPY contacts ({columns}) FROM STDIN") as copy:
            for row in with_later_columns(generator.contacts(), extra):
                if generator.rng.random() < 0.005:
                    sample.append(row)
                copy.write_row(row)
                total += 1
                if total % (BATCH * 10) == 0:
                    progress()
        driver.commit()
        raw.close()
    progress()
    check_weeks_sample(sample)
    say(f"  checked {len(sample):,} sampled contacts' weeks against app.domain.weeks.week_start")
    return total


def build(kind: str, url: str, scale: float) -> None:
    import flask_migrate

    from app.auth.passwords import hash_password
    from app.extensions import db

    reset_database(kind, url)
    app = make_app(url)
    with app.app_context():
        say("migrating")
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        engine = db.engine
        if kind == "sqlite":
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        generator = Generator(scale)
        with engine.begin() as connection:
            counts = generator.teams_and_people(connection, hash_password(PASSWORD))
            if kind == "postgres":  # ids were given explicitly: move the sequences past them
                for table in ("teams", "users", "people"):
                    connection.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        say("teams {}, staff {}, people {}, category changes {}, RAG changes {}, reviews {}, pauses {}".format(*counts))
        from app.models import Contact

        indexes = list(Contact.__table__.indexes)
        with engine.begin() as connection:
            for index in indexes:  # load first, index after: much quicker than indexing row by row
                index.drop(connection)
        say("generating and loading contacts (progress every 500,000)")
        total = load_contacts(kind, engine, generator)
        say(f"loaded {total:,} contacts; indexing")
        with engine.begin() as connection:
            for index in indexes:
                index.create(connection)
        # People and histories went in by Core INSERTs, which the flush listener does not
        # see: their stored weeks are built here, as `flask rebuild-person-weeks` would.
        from app.person_weeks import rebuild_person_weeks

        say("storing each person's required level and status per week (app.person_weeks)")
        started = time.perf_counter()
        written = rebuild_person_weeks(db.session)
        db.session.commit()
        say(f"  {written:,} person-weeks in {time.perf_counter() - started:,.0f} s")
        say("analysing")
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE" if kind == "postgres" else "ANALYZE")
        check_read_back(app)


def check_read_back(app) -> None:
    from app.extensions import db
    from app.models import Contact

    with app.app_context():
        contacts = db.session.scalars(select(Contact).limit(2000)).all()
        for contact in contacts:
            assert contact.occurred_at.tzinfo is not None
            assert week_start(contact.occurred_at) == contact.occurred_week, contact.id
        say(f"  read back {len(contacts):,} contacts through the ORM: weeks agree")


# --- Timing ------------------------------------------------------------------------------


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[94]


class DatabaseCPU:
    """CPU time used by the PostgreSQL server processes serving the benchmark's database.

    Read from /proc (the server runs on this machine): each backend's user + system
    time, in clock ticks, summed over the backends connected to the database. The
    extension pg_stat_statements is not preloaded here, and this counts planning and
    everything else the server does for us too. None on SQLite (in-process) or when the
    server's processes cannot be read.
    """

    def __init__(self, kind: str, url: str):
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT") if kind == "postgres" else None
        self.tick = os.sysconf("SC_CLK_TCK")

    def seconds(self) -> float | None:
        if self.engine is None:
            return None
        with self.engine.connect() as connection:
            pids = connection.execute(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )).scalars().all()
        total = 0
        try:
            for pid in pids:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            return None
        return total / self.tick


@dataclass
class Timing:
    p50: float
    p95: float
    cpu: float  # this process, mean ms per call
    db_cpu: float | None  # the database server, mean ms per call
    statements: int


def statements_of(call) -> int:
    from app.extensions import db

    seen = []

    def count(*_args):
        seen.append(1)

    with app_for_counting.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


app_for_counting = None


def time_it(label: str, runs: int, call, database: DatabaseCPU) -> Timing:
    """p50 and p95 of wall-clock time, and the CPU per call of this process and of the database.

    On a shared machine the wall clock includes waiting for a core; the CPU times say
    what the page costs, whatever the load.
    """
    for _ in range(3):
        call()
    statements = statements_of(call)
    samples = []
    db_started = database.seconds()
    cpu_started = time.process_time()
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    cpu = (time.process_time() - cpu_started) * 1000 / runs
    db_ended = database.seconds()
    db_cpu = None if db_started is None or db_ended is None else (db_ended - db_started) * 1000 / runs
    p50, p95 = percentiles(samples)
    db_text = "" if db_cpu is None else f" + database {db_cpu:5.1f} ms"
    print(f"  {label:<46} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms   CPU per call: this process {cpu:5.1f} ms"
          f"{db_text}; {statements} statements; {runs} runs", flush=True)
    return Timing(p50, p95, cpu, db_cpu, statements)


def bench(kind: str, url: str, runs: int, http: bool) -> None:
    from app import scoping
    from app.extensions import db
    from app.models import Person, Role, Team, User
    from app.supervision import queries

    global app_for_counting
    app = app_for_counting = make_app(url)
    database = DatabaseCPU(kind, url)
    gc.collect()
    gc.freeze()  # as wsgi.py does after start-up
    week = week_of(TODAY)
    with app.app_context():
        team = db.session.get(Team, 1)
        supervisor = db.session.scalar(select(User).where(User.team_id == 1, User.role == Role.SUPERVISOR))
        in_week = db.session.scalar(
            select(func.count()).select_from(Person).where(Person.team_id == 1, Person.left_on.is_(None)))
        contacts = db.session.scalar(text("SELECT count(*) FROM contacts"))
        people = db.session.scalar(text("SELECT count(*) FROM people"))
        admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
        if admin is None:
            admin = User(email="admin@bench", name="Admin", agency="partner", role=Role.ADMIN, team_id=1,
                         language="en", password_hash=supervisor.password_hash)
            db.session.add(admin)
            db.session.commit()
        supervisor_id, admin_id, team_id = supervisor.id, admin.id, team.id
        db.session.remove()
    print(f"\n{kind}: {people:,} people, {contacts:,} contacts; team 1 has {in_week} people in the cohort now")
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f} on {} cores".format(*os.getloadavg(), os.cpu_count()))

    def team_view():
        with app.test_request_context("/supervision/week"):
            user = db.session.get(User, supervisor_id, execution_options=scoping.UNSCOPED)
            scoping.bind(user)
            chosen = db.session.scalar(select(Team).where(Team.id == team_id))
            view = queries.week_view(db.session, chosen, week, TODAY, queries.WeekFilters(), "en")
            assert len(view.rows) >= in_week
            db.session.remove()

    def wales():
        with app.test_request_context("/supervision/wales"):
            user = db.session.get(User, admin_id, execution_options=scoping.UNSCOPED)
            scoping.bind(user)
            summary, totals = queries.wales_summary(db.session, week)
            assert len(summary) == TEAMS
            db.session.remove()

    results = {
        "team": time_it(f"team week view, query + compute ({in_week} people)", runs, team_view, database),
        "wales": time_it("all-Wales summary, query + compute", runs, wales, database),
    }
    if http:
        from tests.conftest import csrf_token_from

        def signed_in_client(email):
            client = app.test_client()
            token = csrf_token_from(client, "/login")
            response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
            assert response.status_code == 302, response.status_code
            return client

        with app.app_context():
            supervisor_email = db.session.get(User, supervisor_id, execution_options=scoping.UNSCOPED).email
            admin_email = db.session.get(User, admin_id, execution_options=scoping.UNSCOPED).email
            db.session.remove()
        team_client, admin_client = signed_in_client(supervisor_email), signed_in_client(admin_email)

        def get(client, path):
            def call():
                response = client.get(path)
                assert response.status_code == 200, response.status_code
            return call

        with app.app_context():
            someone = db.session.scalar(select(Person.id).where(Person.team_id == team_id, Person.left_on.is_(None))
                                        .order_by(Person.id).execution_options(**scoping.UNSCOPED))
            db.session.remove()
        results["team_http"] = time_it("team week view, whole HTTP request", runs, get(team_client, "/supervision/week"),
                                       database)
        from app.supervision import charts

        def cold(call):  # as the first visit after the numbers changed: every chart drawn afresh
            def again():
                charts._drawn.cache_clear()
                call()
            return again

        results["team_http_cold"] = time_it("team week view, whole HTTP request, charts drawn", runs,
                                            cold(get(team_client, "/supervision/week")), database)
        results["wales_http"] = time_it("all-Wales summary, whole HTTP request", runs,
                                        get(admin_client, "/supervision/wales"), database)
        results["person_http"] = time_it("person page (12-week chart), whole HTTP request", runs,
                                         get(team_client, f"/people/{someone}"), database)
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f} on {} cores".format(*os.getloadavg(), os.cpu_count()))
    verdicts = [("team", 20), ("wales", 50)] + (
        [("team_http", 50), ("team_http_cold", 50), ("wales_http", 50)] if http else [])
    print("  against the limits (issue 17), as a ratio (below 1 is within it):")
    for key, limit in verdicts:
        timing = results[key]
        cpu = timing.cpu + (timing.db_cpu or 0)
        print(f"  {key:<12} p95 {timing.p95:7.1f} ms = {timing.p95 / limit:4.2f} x the {limit} ms limit;"
              f" CPU {cpu:6.1f} ms = {cpu / limit:4.2f} x: {'met' if cpu < limit else 'MISSED'} on CPU,"
              f" {'met' if timing.p95 < limit else 'missed'} on the wall clock")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the people (and so contacts) to make")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--reuse", action="store_true", help="time the existing benchmark database, do not rebuild")
    parser.add_argument("--http", action="store_true", help="also time the whole HTTP requests")
    arguments = parser.parse_args()
    url = database_url(arguments.db)
    if not arguments.reuse:
        started = time.perf_counter()
        build(arguments.db, url, arguments.scale)
        say(f"built in {time.perf_counter() - started:,.0f} s")
    bench(arguments.db, url, arguments.runs, arguments.http)


if __name__ == "__main__":
    main()
