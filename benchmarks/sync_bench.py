"""Sync API benchmark: contacts stored per second through gunicorn and PostgreSQL.

Run by hand (not a test):

    .venv/bin/python benchmarks/sync_bench.py            # defaults: 8 clients, 20 s, batches of 50
    .venv/bin/python benchmarks/sync_bench.py --database-url postgresql://postgres@127.0.0.1:5432/cyswllt_bench_h8

What it does, on this machine only (loopback, bounded in time and count):

1. creates the database ``cyswllt_bench`` if it is missing, empties it and migrates it;
2. fills it with realistic data: teams, officers, people, 26 weeks of contact history;
3. starts gunicorn on 127.0.0.1 against it;
4. signs in one officer per client and replays batches of 50 new contacts from several
   concurrent clients for a fixed time, checking every answer (200, 50 x ``created``);
5. prints contacts stored per second, p50/p95/max batch latency and the CPU the gunicorn
   workers and the PostgreSQL backends spent per batch, and checks the database holds
   exactly the contacts sent;
6. stores the same rows again (fresh ids) from the same number of threads, in batches of the
   same size, one transaction each, with raw psycopg: ``executemany … ON CONFLICT (id) DO
   NOTHING`` and ``COPY``, and prints the API's rate as a share of each (the same run, the
   same machine load), with their PostgreSQL CPU per batch;
7. with ``--sealed`` (the default): sends the same number of batches three ways in turn,
   plain, sealed with P-256 (as phones seal now) and sealed with RSA-3072 (as phones sealed
   before the switch; the server holds both keys, P-256 first), each built (and sealed)
   before its timing starts, and prints the server CPU (gunicorn + PostgreSQL) per batch and
   per record of each, and per batch as a share of the goal (25 ms CPU per batch);
8. stops gunicorn (started with the committed gunicorn.conf.py).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402

PASSWORD = "benchmark-password-long-enough"
TYPES = ["home_visit", "public_place", "phone", "video_online", "office", "partner_agency",
         "lift_practical", "welfare_help", "activity"]
OUTCOMES = ["kept"] * 6 + ["not_at_home", "did_not_attend", "refused"]
PATHWAYS = ["accommodation", "education_training_employment", "health", "drugs_alcohol",
            "children_families", "finance_benefits_debt", "attitudes_thinking_behaviour"]
NOTES = [
    None, None, "Seen at home, engaged well.", "Wedi siarad am dai a budd-daliadau.",
    "Lift to the job centre; discussed the interview next week.", "Not in; card left.",
    "Galwad ffôn byr: popeth yn iawn.", "Met in town. Mentioned a new tenancy in Llanidloes.",
]


def iso(moment: datetime) -> str:
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# Database -------------------------------------------------------------------------------


def fresh_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    admin = create_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def fill(url: str, *, teams: int, people_per_team: int, officers_per_team: int, weeks: int, seed: int):
    """Migrate and fill the database; returns {officer email: [person ids of their team]}."""
    import flask_migrate

    from app import audit, create_app
    from app.auth.passwords import hash_password
    from app.contacts.operations import contact_row
    from app.domain.requirements import Category
    from app.extensions import db
    from app.models import Agency, CategoryChange, Contact, Person, Rag, Role, Team, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32)})
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    password_hash = hash_password(PASSWORD)
    caseloads: dict[str, list[int]] = {}
    history = 0
    with app.app_context():
        flask_migrate.upgrade()
        for number in range(teams):
            team = Team(name=f"Tîm {number + 1} IOM", force_area="Dyfed-Powys Police")
            db.session.add(team)
            db.session.flush()
            officers = []
            for index in range(officers_per_team):
                officer = User(email=f"officer{number}.{index}@bench.example", name=f"Swyddog {number}.{index}",
                               team_id=team.id, role=Role.OFFICER, agency=rng.choice([Agency.POLICE, Agency.PROBATION]),
                               password_hash=password_hash)
                db.session.add(officer)
                officers.append(officer)
            db.session.flush()
            people = []
            for index in range(people_per_team):
                joined = (now - timedelta(days=rng.randint(weeks * 7, weeks * 7 + 400))).date()
                person = Person(team_id=team.id, display_name=f"Person {number}.{index}",
                                category=rng.choice(list(Category)), rag=rng.choice(list(Rag)),
                                lead_agency=Agency.POLICE, offender_manager_id=rng.choice(officers).id,
                                joined_on=joined)
                db.session.add(person)
                people.append(person)
            db.session.flush()
            for person in people:
                db.session.add(CategoryChange(person_id=person.id, category=person.category, effective=person.joined_on))
            rows = []
            for person in people:
                for week in range(weeks):
                    for _ in range(rng.randint(0, 4)):
                        occurred = now - timedelta(days=week * 7 + rng.random() * 7, minutes=rng.randint(0, 600))
                        officer = rng.choice(officers)
                        rows.append(contact_row(
                            contact_id=uuid.uuid4(), person_id=person.id, team_id=team.id,
                            recorded_by_id=officer.id, recorder_agency=officer.agency, late_entry_days=14,
                            type=rng.choice(TYPES), outcome=rng.choice(OUTCOMES), occurred_at=occurred,
                            recorded_at=occurred, received_at=occurred + timedelta(minutes=rng.randint(1, 300)),
                            duration_minutes=rng.choice([None, 10, 20, 30, 45, 60]),
                            pathways=rng.sample(PATHWAYS, rng.randint(0, 2)), notes=rng.choice(NOTES),
                        ))
            for start in range(0, len(rows), 2000):
                db.session.execute(insert(Contact.__table__), rows[start:start + 2000])
                audit.rows_created(db.session, Contact, rows[start:start + 2000])
            history += len(rows)
            db.session.commit()
            for officer in officers:
                caseloads[officer.email] = [person.id for person in people]
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()
    return caseloads, history


# Server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(url: str, port: int, workers: int | None, sealing_keys: str) -> subprocess.Popen:
    environment = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32),
                   "CYSWLLT_ENV": "development", "GUNICORN_BIND": f"127.0.0.1:{port}", "SEALING_KEYS": sealing_keys}
    environment.pop("SEALING_KEYS_FILE", None)
    if workers:
        environment["GUNICORN_WORKERS"] = str(workers)
    command = [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"]
    process = subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/openapi.json")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise SystemExit("gunicorn did not start within 30 seconds")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# Clients --------------------------------------------------------------------------------


class Phone:
    """One signed-in officer sending batches over loopback."""

    def __init__(self, port: int, email: str, people: list[int], seed: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.rng = random.Random(seed)
        self.people = people
        page = self.request("GET", "/login").decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        form = urlencode({"email": email, "password": PASSWORD, "csrf_token": token})
        self.request("POST", "/login", form.encode(), {"Content-Type": "application/x-www-form-urlencoded"})
        answer = json.loads(self.request("GET", "/api/v1/session"))
        self.csrf = answer["csrf_token"]
        self.sealing = answer["sealing"]

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                expect: tuple[int, ...] = (200, 302)) -> bytes:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        connection.close()
        if response.status not in expect:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
        return data

    def batch(self, size: int) -> list[dict]:
        now = datetime.now(timezone.utc)
        contacts = []
        for _ in range(size):
            occurred = now - timedelta(minutes=self.rng.randint(1, 60 * 24 * 3))
            contacts.append({
                "id": str(uuid.uuid4()),
                "person_id": self.rng.choice(self.people),
                "type": self.rng.choice(TYPES),
                "outcome": self.rng.choice(OUTCOMES),
                "occurred_at": iso(occurred),
                "recorded_at": iso(occurred + timedelta(seconds=self.rng.randint(5, 120))),
                "duration_minutes": self.rng.choice([None, 10, 20, 30, 45]),
                "pathways": self.rng.sample(PATHWAYS, self.rng.randint(0, 2)),
                "notes": self.rng.choice(NOTES),
            })
        return contacts

    def sealed_batch(self, size: int, key) -> list[dict]:
        """A batch as the phone sends it once every record is sealed (``key``: an ``app.sealing.SealingKey``)."""
        from app import sealing
        from app.contacts import contract

        items = []
        for contact in self.batch(size):
            item, errors = contract.parse_contact(contact)
            assert item is not None, errors
            items.append({"id": contact["id"], "person_id": contact["person_id"], "type": contact["type"],
                          "occurred_at": contact["occurred_at"], "content_sha256": contract.content_hash_of(item),
                          "sealed": sealing.seal(key, contact["id"], contact, self.sealing["seal_token"])})
        return items

    def send(self, contacts: list[dict]) -> float:
        body = json.dumps({"sent_at": iso(datetime.now(timezone.utc)), "contacts": contacts}).encode()
        started = time.perf_counter()
        data = self.request("POST", "/api/v1/contacts/sync", body,
                            {"Content-Type": "application/json", "X-CSRFToken": self.csrf}, expect=(200,))
        elapsed = time.perf_counter() - started
        results = json.loads(data)["results"]
        statuses = {result["status"] for result in results}
        if len(results) != len(contacts) or statuses != {"created"}:
            raise RuntimeError(f"unexpected results: {statuses}")
        return elapsed


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (0 if it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    children.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return children


class CpuMeter:
    """CPU used by the gunicorn workers and by the PostgreSQL backends serving the benchmark database."""

    def __init__(self, server: subprocess.Popen, url: str):
        self.server = server
        self.url = url

    def _backends(self) -> list[int]:
        engine = create_engine(self.url)
        with engine.connect() as connection:
            pids = list(connection.scalars(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )))
        engine.dispose()
        return pids

    def start(self) -> None:
        self.workers, self.backends = _children(self.server.pid), self._backends()
        self.app0 = sum(map(_cpu_seconds, self.workers))
        self.db0 = sum(map(_cpu_seconds, self.backends))

    def stop(self) -> tuple[float, float]:
        return (sum(map(_cpu_seconds, self.workers)) - self.app0, sum(map(_cpu_seconds, self.backends)) - self.db0)


def run_clients(phones: list[Phone], *, batch_size: int, duration: float, max_batches: int, warmup: int,
                meter: CpuMeter | None = None):
    latencies: list[float] = []
    sent: list[dict] = []
    errors: list[str] = []
    lock = threading.Lock()
    for phone in phones:  # warm up each worker's connection pool and caches
        for _ in range(warmup):
            phone.send(phone.batch(batch_size))
    stop_at = time.monotonic() + duration
    counter = {"batches": 0}

    def work(phone: Phone):
        while time.monotonic() < stop_at:
            with lock:
                if counter["batches"] >= max_batches:
                    return
                counter["batches"] += 1
            contacts = phone.batch(batch_size)
            try:
                elapsed = phone.send(contacts)
            except Exception as error:  # noqa: BLE001 - reported below, the run goes on
                with lock:
                    errors.append(str(error))
                continue
            with lock:
                latencies.append(elapsed)
                sent.extend(contacts)

    threads = [threading.Thread(target=work, args=(phone,)) for phone in phones]
    if meter is not None:
        meter.start()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cpu = meter.stop() if meter is not None else (0.0, 0.0)
    return latencies, sent, errors, wall, cpu


def run_prepared(phones: list[Phone], batches: list[list[list[dict]]], meter: CpuMeter):
    """Send each phone's prepared batches, all phones at once; (batches sent, wall s, (app CPU s, PostgreSQL CPU s))."""
    errors: list[str] = []
    sent = [0]
    lock = threading.Lock()

    def work(phone: Phone, mine: list[list[dict]]):
        for contacts in mine:
            try:
                phone.send(contacts)
            except Exception as error:  # noqa: BLE001 - reported below
                with lock:
                    errors.append(str(error))
                continue
            with lock:
                sent[0] += 1

    threads = [threading.Thread(target=work, args=pair) for pair in zip(phones, batches)]
    meter.start()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cpu = meter.stop()
    if errors:
        raise SystemExit(f"Sealed comparison: {len(errors)} batches failed, first: {errors[0]}")
    return sent[0], wall, cpu


GOAL_MS_PER_BATCH = 25.0


def sealed_comparison(phones: list[Phone], server: subprocess.Popen, url: str, keys: dict, *, batch_size: int,
                      batches_per_phone: int, stored_before: int, rounds: int = 4) -> list[str]:
    """Plain, P-256-sealed and RSA-sealed batches of the same size and number, taken in turns.

    The three ways take turns in ``rounds`` rounds (the order reversed every other round), so
    that the machine's other load, and the database growing, fall on each alike. Returns the
    lines to print.
    """
    per_round = max(1, batches_per_phone // rounds)
    lines = [f"Sealed against plain: {len(phones)} clients x {per_round * rounds} batches of {batch_size} each way, "
             f"in {rounds} rounds taking turns, each built (and sealed) before its timing; "
             f"load average {os.getloadavg()[0]:.1f}.",
             f"  (after the {stored_before:,} contacts sent above, with more stored as it goes, in short bursts: "
             "compare these three with each other, not with the figures above)"]
    assert all(phone.sealing["key_id"] == keys["P-256"].key_id for phone in phones), "the server seals with P-256 first"
    assert all(phone.sealing["algorithm"] == "ECDH-P256-HKDF-SHA256" for phone in phones)
    ways = ["plain", "P-256", "RSA-3072"]
    totals = {way: [0, 0.0, 0.0, 0.0] for way in ways}  # batches, wall s, app CPU s, PostgreSQL CPU s
    for number in range(rounds):
        for way in (ways if number % 2 == 0 else ways[::-1]):
            if way == "plain":
                batches = [[phone.batch(batch_size) for _ in range(per_round)] for phone in phones]
            else:
                batches = [[phone.sealed_batch(batch_size, keys[way]) for _ in range(per_round)] for phone in phones]
            sent, wall, (app_cpu, db_cpu) = run_prepared(phones, batches, CpuMeter(server, url))
            for index, value in enumerate((sent, wall, app_cpu, db_cpu)):
                totals[way][index] += value
    figures = {}
    for way in ways:
        sent, wall, app_cpu, db_cpu = totals[way]
        app_ms, db_ms = app_cpu / sent * 1000, db_cpu / sent * 1000
        figures[way] = total = app_ms + db_ms
        lines.append(f"  {way:>8}: {total:5.1f} ms CPU per batch (app {app_ms:.1f} + PostgreSQL {db_ms:.1f}), "
                     f"{total / batch_size * 1000:5.0f} µs per record, {100 * total / GOAL_MS_PER_BATCH:4.0f} % of the "
                     f"{GOAL_MS_PER_BATCH:.0f} ms goal; {sent * batch_size / wall:,.0f} contacts/s")
    for way in ways[1:]:
        extra = figures[way] - figures["plain"]
        lines.append(f"  sealing with {way} adds {extra:+.1f} ms CPU per batch ({extra / batch_size * 1000:+.0f} µs per "
                     f"record, {100 * extra / GOAL_MS_PER_BATCH:+.0f} % of the goal); {figures[way] / figures['plain']:.2f}x plain")
    lines.append(f"  (load average {os.getloadavg()[0]:.1f} at the end, on {os.cpu_count()} cores)")
    return lines


def raw_rows(contacts: list[dict], people_team: dict[int, int], officer_id: int) -> list[dict]:
    """The same contacts as full rows under fresh ids, as the app would store them."""
    from app.contacts.operations import contact_row
    from app.models import Agency, ContactType, Outcome

    now = datetime.now(timezone.utc)
    return [
        contact_row(
            contact_id=uuid.uuid4(), person_id=item["person_id"], team_id=people_team[item["person_id"]],
            recorded_by_id=officer_id, recorder_agency=Agency.POLICE, late_entry_days=14,
            type=ContactType(item["type"]), outcome=Outcome(item["outcome"]),
            occurred_at=datetime.fromisoformat(item["occurred_at"]), recorded_at=datetime.fromisoformat(item["recorded_at"]),
            received_at=now, duration_minutes=item["duration_minutes"], pathways=item["pathways"], notes=item["notes"],
        )
        for item in contacts
    ]


def raw_psycopg(url: str, rows: list[dict], batch_size: int, threads: int, how: str) -> tuple[float, float]:
    """Insert ``rows`` from ``threads`` threads in batches, one transaction each, with raw psycopg.

    ``how``: "executemany" (``INSERT … ON CONFLICT (id) DO NOTHING``, one row per execute,
    pipelined by psycopg) or "copy" (``COPY … FROM STDIN``). Returns (rows/s, PostgreSQL CPU s).
    """
    import psycopg
    from psycopg.types.json import Json

    columns = list(rows[0])
    def plain(value):
        if isinstance(value, list):
            return Json(value)
        return getattr(value, "value", value)  # enums

    values = [tuple(plain(row[column]) for column in columns) for row in rows]
    batches = [values[start:start + batch_size] for start in range(0, len(values), batch_size)]
    names = ", ".join(columns)
    insert_sql = (f"INSERT INTO contacts ({names}) VALUES ({', '.join(['%s'] * len(columns))}) "
                  "ON CONFLICT (id) DO NOTHING")
    dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
    connections = [psycopg.connect(dsn) for _ in range(threads)]
    backends = [connection.info.backend_pid for connection in connections]
    lock = threading.Lock()
    queue = list(reversed(batches))

    def work(connection):
        while True:
            with lock:
                if not queue:
                    return
                batch = queue.pop()
            with connection.transaction(), connection.cursor() as cursor:
                if how == "copy":
                    with cursor.copy(f"COPY contacts ({names}) FROM STDIN") as copy:
                        for row in batch:
                            copy.write_row(row)
                else:
                    cursor.executemany(insert_sql, batch)

    cpu_before = sum(map(_cpu_seconds, backends))
    started = time.perf_counter()
    workers = [threading.Thread(target=work, args=(connection,)) for connection in connections]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    cpu = sum(map(_cpu_seconds, backends)) - cpu_before
    for connection in connections:
        connection.close()
    return len(rows) / elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/cyswllt_bench")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of measured sending (max 120)")
    parser.add_argument("--max-batches", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=None, help="default: gunicorn.conf.py's (cores + 1)")
    parser.add_argument("--teams", type=int, default=4)
    parser.add_argument("--people-per-team", type=int, default=80)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--sealed", action=argparse.BooleanOptionalAction, default=True,
                        help="also compare plain, P-256-sealed and RSA-sealed batches (default: on)")
    parser.add_argument("--sealed-batches", type=int, default=20, help="batches per client for each way (max 200)")
    arguments = parser.parse_args()
    duration = min(arguments.duration, 120.0)

    from app.config import normalise_database_url

    url = normalise_database_url(arguments.database_url)
    if "@127.0.0.1" not in url and "@localhost" not in url:
        raise SystemExit("The benchmark only runs against a database on this machine (127.0.0.1).")
    print(f"Preparing {url.rsplit('/', 1)[1]}: {arguments.teams} teams x {arguments.people_per_team} people, "
          f"{arguments.weeks} weeks of history...", flush=True)
    fresh_database(url)
    caseloads, history = fill(url, teams=arguments.teams, people_per_team=arguments.people_per_team,
                              officers_per_team=max(2, arguments.clients), weeks=arguments.weeks, seed=arguments.seed)
    print(f"  {history} contacts of history stored.", flush=True)

    from app import sealing

    keys = {"P-256": sealing.SealingKey(sealing.generate_private_key()),
            "RSA-3072": sealing.SealingKey(sealing.generate_rsa_private_key())}
    port = free_port()
    server = start_gunicorn(url, port, arguments.workers,
                            "".join(sealing.private_pem(key.private_key) for key in keys.values()))
    try:
        emails = sorted(caseloads)
        # Spread the clients over the teams: officer k of team t.
        chosen = sorted(emails, key=lambda email: (email.split("@")[0].split(".")[1], email))[:arguments.clients]
        phones = [Phone(port, email, caseloads[email], arguments.seed + index) for index, email in enumerate(chosen)]
        print(f"Sending: {arguments.clients} clients, batches of {arguments.batch_size}, {duration:.0f} s, "
              f"gunicorn.conf.py ({len(_children(server.pid))} sync workers) on 127.0.0.1:{port}", flush=True)
        load_before = os.getloadavg()[0]
        latencies, sent, errors, wall, (app_cpu, db_cpu) = run_clients(
            phones, batch_size=arguments.batch_size, duration=duration, max_batches=arguments.max_batches,
            warmup=2, meter=CpuMeter(server, url),
        )
        load_after = os.getloadavg()[0]
        comparison = []
        if arguments.sealed:
            comparison = sealed_comparison(phones, server, url, keys, batch_size=arguments.batch_size,
                              batches_per_phone=min(arguments.sealed_batches, 200), stored_before=len(sent))
    finally:
        stop(server)

    engine = create_engine(url)
    from app.models import Contact, Person

    with engine.connect() as connection:
        held = connection.scalar(select(func.count()).select_from(Contact.__table__).where(
            Contact.__table__.c.id.in_([uuid.UUID(item["id"]) for item in sent]))) if sent else 0
        people_team = dict(connection.execute(select(Person.__table__.c.id, Person.__table__.c.team_id)).all())
        officer_id = connection.scalar(text("SELECT min(id) FROM users"))
    engine.dispose()

    if not latencies:
        raise SystemExit(f"No batch succeeded. Errors: {errors[:3]}")
    ordered = sorted(latencies)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    rate = len(sent) / wall
    print()
    print(f"Batches: {len(latencies)} of {arguments.batch_size} in {wall:.1f} s; errors: {len(errors)}")
    print(f"Contacts stored per second (API, end to end): {rate:,.0f}")
    print(f"Batch latency: p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
          f"max {ordered[-1] * 1000:.0f} ms")
    batches = len(latencies)
    print(f"Server CPU per batch: app {app_cpu / batches * 1000:.1f} ms, PostgreSQL {db_cpu / batches * 1000:.1f} ms "
          f"(machine load average {load_before:.1f} before, {load_after:.1f} after, on {os.cpu_count()} cores)")
    print(f"Database holds {held} of the {len(sent)} contacts sent: "
          f"{'exactly as sent' if held == len(sent) else 'MISMATCH'}")
    rows = raw_rows(sent, people_team, officer_id)
    half = len(rows) // 2  # each on its own fresh rows
    raw_rate, raw_cpu = raw_psycopg(url, rows[:half], arguments.batch_size, arguments.clients, "executemany")
    copy_rate, copy_cpu = raw_psycopg(url, rows[half:], arguments.batch_size, arguments.clients, "copy")
    raw_batches = half / arguments.batch_size
    copy_batches = (len(rows) - half) / arguments.batch_size
    print(f"Raw psycopg executemany ... ON CONFLICT, {arguments.clients} threads, batches of {arguments.batch_size}: "
          f"{raw_rate:,.0f} rows/s, PostgreSQL {raw_cpu / raw_batches * 1000:.1f} ms CPU per batch")
    print(f"Raw psycopg COPY, {arguments.clients} threads, batches of {arguments.batch_size}: "
          f"{copy_rate:,.0f} rows/s, PostgreSQL {copy_cpu / copy_batches * 1000:.1f} ms CPU per batch")
    print(f"The API's rate as a share of raw executemany: {100 * rate / raw_rate:.0f} %; of COPY: "
          f"{100 * rate / copy_rate:.0f} % (load average {os.getloadavg()[0]:.1f})")
    cpu_per_batch = (app_cpu + db_cpu) / batches * 1000
    target = rate >= 3000 and p95 <= 0.150 and cpu_per_batch <= 25 and rate / raw_rate >= 0.5
    print(f"Goal (>= 3,000 contacts/s on 2 idle cores, p95 < 150 ms, <= 25 ms CPU per batch, >= 50 % of raw): "
          f"{'met' if target else 'NOT met'} ({cpu_per_batch:.1f} ms CPU per batch)")
    if errors:
        print("First errors:", *errors[:3], sep="\n  ")
    if comparison:
        print()
        print(*comparison, sep="\n")


if __name__ == "__main__":
    main()
