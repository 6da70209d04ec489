"""Load test: 100 simulated phones against gunicorn and PostgreSQL, then a count of what the
server holds against what the phones made — none lost, none doubled.

Run by hand (a script, not a test; it prints figures):

    .venv/bin/python benchmarks/load_test.py                       # 100 phones, 60 s
    .venv/bin/python benchmarks/load_test.py --phones 20 --seconds 10
    .venv/bin/python benchmarks/load_test.py --layout scaled      # nginx, two app servers, redis

Everything stays on this machine and stops by itself:

1. (re)creates the scratch database ``cyswllt_load`` (``--database-url``), migrates it with
   ``flask db upgrade`` and loads the demo data (``flask seed-demo``: 4 teams, ~100 people,
   a few months of contacts);
2. starts gunicorn with the committed gunicorn.conf.py on 127.0.0.1 (a free port) against it,
   or with ``--layout scaled`` the production layout of tests/layout.py: Debian's nginx in
   front of two such app servers sharing the database and a redis-server of its own;
3. each phone signs in (from its own loopback address, 127.0.x.y, so that the per-address
   sign-in throttle sees 100 devices, as it would in the field) as a seeded officer or
   supervisor of a team who has a password (not seed-demo's invited officer, who has none
   yet) — several phones per account — reads its session and caseload, then until the time
   or the request cap runs out sends small batches (1–5 contacts) of new contacts for people
   on its team's caseload, and now and then:
   - re-sends a batch it sent before (a retry after a lost answer): every result must be
     ``duplicate`` with the same hash;
   - sends a batch and drops the connection without reading the answer (a lost signal after
     the server committed); the batch stays in its outbox and goes again next time;
   - re-sends a batch a sibling phone of the same account sent (two phones, one user);
   - reloads its caseload;
4. afterwards every phone sends whatever is still in its outbox (bounded), gunicorn is
   stopped, and the database is checked: exactly the set of contact ids the phones made,
   each with the content hash the phone computed, each with exactly one ``create`` audit event.

Prints requests per second, p50/p95/p99 latency (all requests, and sync alone), errors (and
for each one the phone, its last request's method, path and X-Request-ID, which the server's
request log names too, and the answer's status and text, shortened: an HTML page without its
tags, so never a password, and never a note), the requests each gunicorn worker answered (a sync worker answers one request per connection, so
this is the connection spread), and the checks. Exits 1 if anything was lost, doubled, altered, or answered with an error.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "load-test-password-long-enough"

TYPES = ["home_visit", "public_place", "phone", "video_online", "office", "partner_agency",
         "lift_practical", "welfare_help", "activity"]
OUTCOMES = ["kept"] * 6 + ["not_at_home", "did_not_attend", "refused"]
PATHWAYS = ["accommodation", "education_training_employment", "health", "drugs_alcohol",
            "children_families", "finance_benefits_debt", "attitudes_thinking_behaviour"]
NOTES = [None, None, "Seen at home, engaged well.", "Wedi siarad am dai a budd-daliadau.",
         "Lift to the job centre; talked about the interview.", "Galwad ffôn byr: popeth yn iawn."]
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ERRORS_SHOWN = 40  # each error's request and answer is printed, up to this many


# --- the phone's side of the contract (api-contract.md) ------------------------------------

def iso_millis(moment: datetime) -> str:
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def content_hash(contact: dict) -> str:
    """What the phone computes before it forgets a record: sha256 of the canonical JSON."""
    canonical = {
        "concern": contact["concern"],
        "duration_minutes": contact["duration_minutes"],
        "id": contact["id"].lower(),
        "notes": contact["notes"] or None,
        "occurred_at": contact["occurred_at"],
        "others_present": contact["others_present"] or None,
        "outcome": contact["outcome"],
        "pathways": sorted(contact["pathways"]),
        "person_id": contact["person_id"],
        "sensitive": contact["sensitive"],
        "type": contact["type"],
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the scratch database ------------------------------------------------------------------

def flask(*arguments: str, database_url: str) -> str:
    environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secrets.token_hex(32),
                   "FLASK_APP": "wsgi.py"}
    done = subprocess.run([str(BIN / "flask"), *arguments], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise SystemExit(f"flask {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    if target.host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the load test only runs against a database on this machine")
    server = create_engine(target.set(drivername="postgresql+psycopg", database="postgres"),
                           isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    server.dispose()
    flask("db", "upgrade", database_url=url)
    flask("seed-demo", "--password", PASSWORD, database_url=url)


def accounts_and_caseloads(url: str) -> tuple[list[str], set[str]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        # Only accounts with a password: seed-demo's invited officer (elin.newydd@…) has none until
        # she follows her one-time link, and no phone of hers signs in with a password before then
        # (with her, every 25th phone was answered 400 "The email address or password is not right").
        emails = connection.scalars(text(
            "SELECT email FROM users WHERE role IN ('officer', 'supervisor') AND active"
            " AND password_hash IS NOT NULL ORDER BY id")).all()
        before = {str(row) for row in connection.scalars(text("SELECT id FROM contacts"))}
    engine.dispose()
    return list(emails), before


# --- gunicorn --------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(url: str, port: int, workers: int | None, log: Path, access_log: Path) -> subprocess.Popen:
    environment = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32),
                   "CYSWLLT_ENV": "development", "GUNICORN_BIND": f"127.0.0.1:{port}",
                   "GUNICORN_ACCESS_LOG": str(access_log)}
    if workers:
        environment["GUNICORN_WORKERS"] = str(workers)
    access_log.unlink(missing_ok=True)
    command = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "--access-logformat", "%(p)s %(s)s",
               "--error-logfile", str(log), "wsgi:app"]
    process = subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/login")
            if connection.getresponse().status == 200:
                connection.close()
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise SystemExit(f"gunicorn did not start within 30 seconds; see {log}")


def spread_from(access_log: Path) -> dict[str, int]:
    spread: dict[str, int] = {}
    if access_log.exists():
        for line in access_log.read_text(errors="replace").splitlines():
            pid = line.split(" ", 1)[0].strip("<>")
            if pid.isdigit():
                spread[pid] = spread.get(pid, 0) + 1
    return spread


def stop(process: subprocess.Popen) -> None:
    """Stop the gunicorn this script started (its own process group), and nothing else."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- the phones -------------------------------------------------------------------------------

class Budget:
    """The run's limits: a deadline and a request cap, shared by every phone."""

    def __init__(self, seconds: float, max_requests: int):
        self.deadline = time.monotonic() + seconds
        self.left = max_requests
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0 or time.monotonic() >= self.deadline:
                return False
            self.left -= 1
            return True


def shortened(body: bytes | None, limit: int = 300) -> str:
    """What an error's answer said, short enough to print, and never a password or a note: the
    text of an HTML page without its tags (so no form field's value), or the JSON as sent."""
    text = (body or b"").decode("utf-8", "replace")
    if "<" in text:
        main = re.search(r"<main\b.*?</main>", text, re.S | re.I)
        text = re.sub(r"<[^>]*>", " ", main.group(0) if main else text)
    text = " ".join(text.split())
    for secret in [PASSWORD, *(note for note in NOTES if note)]:
        text = text.replace(secret, "[removed]")
    return text if len(text) <= limit else text[:limit] + "…"


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.errors: Counter = Counter()
        self.details: list[str] = []  # each error: which phone, which request, what came back
        self.events: Counter = Counter()
        self.started = time.monotonic()

    def latency(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)

    def error(self, what: str, detail: str = "") -> None:
        with self.lock:
            self.errors[what] += 1
            if detail:
                self.details.append(f"{time.monotonic() - self.started:7.2f} s  {detail}")

    def count(self, what: str, number: int = 1) -> None:
        with self.lock:
            self.events[what] += number


class Phone:
    def __init__(self, number: int, email: str, port: int, stats: Stats, seed: int):
        self.number, self.email, self.port, self.stats = number, email, port, stats
        self.address = f"127.0.{1 + number // 250}.{1 + number % 250}"
        self.rng = random.Random(seed)
        self.connection: http.client.HTTPConnection | None = None
        self.cookie = ""
        self.csrf = ""
        self.people: list[int] = []
        self.outbox: dict[str, dict] = {}  # id -> contact, until confirmed with the right hash
        self.hashes: dict[str, str] = {}  # every contact this phone made, with its hash
        self.sent_batches: list[list[dict]] = []
        self.siblings: list[Phone] = []
        self.requests = 0
        self.last = ""  # the last request and its answer, for an error's report

    def error(self, what: str) -> None:
        self.stats.error(what, f"phone {self.number} ({self.address}, {self.email}): {what}; {self.last}")

    # HTTP, with the session cookie, over one kept-alive connection from this phone's address
    def _connect(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30,
                                                         source_address=(self.address, 0))
        return self.connection

    def _drop(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, kind: str, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None, read: bool = True):
        self.requests += 1
        request_id = f"load-{self.number}-{self.requests}"  # the X-Request-ID of the server's request log
        headers = {"Cookie": self.cookie, "Accept-Language": "en", "X-Request-ID": request_id, **(headers or {})}
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                connection = self._connect()
                connection.request(method, path, body=body, headers=headers)
                if not read:
                    self._drop()  # the signal goes, the answer never arrives
                    return None, None
                response = connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError) as error:
                self._drop()
                self.last = f"{method} {path} [{request_id}] attempt {attempt}: {type(error).__name__}: {error}"
                if attempt == 2:
                    self.error(f"{kind}: connection failed")
                    return None, None
        self.last = (f"{method} {path} [{request_id}]{' (sent twice)' if attempt == 2 else ''} -> "
                     f"{response.status}: {shortened(data)}")
        self.stats.latency(kind, time.perf_counter() - started)
        for value in response.headers.get_all("Set-Cookie") or []:
            if value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        return response, data

    def sign_in(self) -> bool:
        response, page = self.request("sign-in", "GET", "/login")
        token = CSRF_FIELD.search(page.decode()) if page else None
        if not token:
            self.error("sign-in: no form")
            return False
        form = urlencode({"email": self.email, "password": PASSWORD, "csrf_token": token.group(1)}).encode()
        response, _ = self.request("sign-in", "POST", "/login", form,
                                   {"Content-Type": "application/x-www-form-urlencoded"})
        if response is None or response.status != 302:
            self.error(f"sign-in: {getattr(response, 'status', 'no answer')}")
            return False
        response, data = self.request("session", "GET", "/api/v1/session")
        if response is None or response.status != 200:
            self.error(f"session: {getattr(response, 'status', 'no answer')}")
            return False
        self.csrf = json.loads(data)["csrf_token"]
        return self.load_caseload()

    def load_caseload(self) -> bool:
        response, data = self.request("caseload", "GET", "/api/v1/caseload")
        if response is None or response.status != 200:
            self.error(f"caseload: {getattr(response, 'status', 'no answer')}")
            return False
        self.people = [row["id"] for row in json.loads(data)["people"]]
        return bool(self.people)

    def new_contact(self) -> dict:
        now = datetime.now(timezone.utc)
        occurred = now - timedelta(minutes=self.rng.randint(1, 3 * 24 * 60))
        contact = {
            "id": str(uuid.uuid4()),
            "person_id": self.rng.choice(self.people),
            "type": self.rng.choice(TYPES),
            "outcome": self.rng.choice(OUTCOMES),
            "occurred_at": iso_millis(occurred),
            "recorded_at": iso_millis(now),
            "duration_minutes": self.rng.choice([None, 10, 20, 30, 45]),
            "pathways": self.rng.sample(PATHWAYS, self.rng.randint(0, 2)),
            "notes": self.rng.choice(NOTES),
            "sensitive": False,
            "concern": self.rng.random() < 0.05,
            "others_present": None,
        }
        self.hashes[contact["id"]] = content_hash(contact)
        self.outbox[contact["id"]] = contact
        return contact

    def sync(self, batch: list[dict], expect_duplicates: bool = False, read: bool = True) -> bool:
        """Send a batch; True when every contact in it is confirmed with the right hash."""
        body = json.dumps({"sent_at": iso_millis(datetime.now(timezone.utc)), "contacts": batch}).encode()
        response, data = self.request("sync", "POST", "/api/v1/contacts/sync", body,
                                      {"Content-Type": "application/json", "X-CSRFToken": self.csrf}, read=read)
        if not read:
            self.stats.count("connections dropped after sending")
            return False
        if response is None:
            return False
        if response.status != 200:
            self.error(f"sync: HTTP {response.status}")
            return False
        results = json.loads(data)["results"]
        if [result["id"] for result in results] != [contact["id"] for contact in batch]:
            self.error("sync: results not in the order sent")
            return False
        confirmed = 0
        for contact, result in zip(batch, results):
            status = result["status"]
            self.stats.count(f"result {status}")
            if status not in ("created", "duplicate"):
                self.error(f"sync: {status} {result.get('errors', '')}")
            elif result["sha256"] != content_hash(contact):
                self.error("sync: hash differs from the phone's")
            elif expect_duplicates and status != "duplicate":
                self.error("sync: a re-sent contact was stored again")
            else:
                self.outbox.pop(contact["id"], None)
                confirmed += 1
        return confirmed == len(batch)

    def step(self) -> None:
        roll = self.rng.random()
        if roll < 0.08 and self.sent_batches:
            self.stats.count("batches re-sent (retry)")
            self.sync(self.rng.choice(self.sent_batches), expect_duplicates=True)
        elif roll < 0.12 and any(sibling.sent_batches for sibling in self.siblings):
            sibling = self.rng.choice([sibling for sibling in self.siblings if sibling.sent_batches])
            self.stats.count("batches re-sent by another phone of the same user")
            self.sync(self.rng.choice(sibling.sent_batches), expect_duplicates=True)
        elif roll < 0.17:
            self.load_caseload()
        else:
            waiting = list(self.outbox.values())[:5]  # what failed or was dropped goes first
            fresh = max(0, self.rng.randint(1, 5) - len(waiting))
            batch = waiting + [self.new_contact() for _ in range(fresh)]
            if self.rng.random() < 0.04:
                self.sync(batch, read=False)
            elif self.sync(batch):
                self.sent_batches = [*self.sent_batches[-19:], batch]

    def run(self, budget: Budget, ready: threading.Barrier) -> None:
        try:
            signed_in = self.sign_in()
        except Exception as error:  # noqa: BLE001  (counted, and the others carry on)
            self.error(f"sign-in: {type(error).__name__}")
            signed_in = False
        ready.wait()
        if not signed_in:
            return
        while budget.take():
            self.step()
            time.sleep(self.rng.uniform(0, 0.05))  # a phone is not a tight loop

    def drain(self, deadline: float) -> None:
        """Send what is still waiting, as the phone does when it next has signal."""
        for _ in range(5):
            if not self.outbox or time.monotonic() >= deadline:
                return
            self.sync(list(self.outbox.values())[:50])


# --- the run ----------------------------------------------------------------------------------

def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))] if ordered else float("nan")


def verify(url: str, before: set[str], phones: list[Phone]) -> dict:
    from sqlalchemy import create_engine, text

    made = {contact_id: digest for phone in phones for contact_id, digest in phone.hashes.items()}
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        stored = {str(row.id): row.content_sha256 for row in connection.execute(
            text("SELECT id, content_sha256 FROM contacts"))}
        rows = connection.scalar(text("SELECT count(*) FROM contacts"))
        creates = Counter(connection.scalars(text(
            "SELECT entity_id FROM audit_events WHERE entity = 'contacts' AND action = 'create'")))
    engine.dispose()
    new = {contact_id: digest for contact_id, digest in stored.items() if contact_id not in before}
    return {
        "made by the phones": len(made),
        "new on the server": len(new),
        "rows in contacts (all)": rows,
        "lost (made, not stored)": len(set(made) - set(new)),
        "extra (stored, not made)": len(set(new) - set(made)),
        "stored with another hash": sum(1 for key in made.keys() & new.keys() if made[key] != new[key]),
        "contacts without exactly one create event": sum(1 for key in made if creates.get(key, 0) != 1),
        "left in outboxes": sum(len(phone.outbox) for phone in phones),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=60_000, help="a cap on requests, whatever the time")
    parser.add_argument("--workers", type=int, default=None, help="per app server; default gunicorn.conf.py's")
    parser.add_argument("--layout", choices=["single", "scaled"], default="single",
                        help="scaled: nginx in front of two app servers and redis (tests/layout.py)")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/cyswllt_load")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    if not 1 <= arguments.phones <= 1000 or not 0 < arguments.seconds <= 600:
        raise SystemExit("at most 1000 phones and 600 seconds")

    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    print(f"preparing {arguments.database_url} (migrate, demo data)...", flush=True)
    prepare_database(arguments.database_url)
    emails, before = accounts_and_caseloads(arguments.database_url)
    layout = None
    if arguments.layout == "scaled":
        sys.path.insert(0, str(ROOT))
        from sqlalchemy.engine import make_url

        from tests.layout import Layout

        shutil.rmtree(out / "layout", ignore_errors=True)
        database = make_url(arguments.database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        layout = Layout(database, out / "layout", workers_per_server=arguments.workers or 2).start()
        port = layout.port
    else:
        port = free_port()
        server = start_gunicorn(arguments.database_url, port, arguments.workers, out / "load_test_gunicorn.log",
                                out / "load_test_access.log")
    stats = Stats()
    phones = [Phone(number, emails[number % len(emails)], port, stats, arguments.seed * 1000 + number)
              for number in range(arguments.phones)]
    for phone in phones:
        phone.siblings = [other for other in phones if other.email == phone.email and other is not phone]
    try:
        budget = Budget(arguments.seconds + 3600, arguments.max_requests)  # reset once all have signed in
        ready = threading.Barrier(len(phones) + 1)
        threads = [threading.Thread(target=phone.run, args=(budget, ready), daemon=True) for phone in phones]
        for thread in threads:
            thread.start()
        ready.wait(timeout=300)
        budget.deadline = time.monotonic() + arguments.seconds
        started = time.monotonic()
        client_cpu = time.process_time()
        for thread in threads:
            thread.join(timeout=arguments.seconds + 120)
        elapsed = time.monotonic() - started
        client_cpu = time.process_time() - client_cpu
        load = os.getloadavg()[0]
        drain_deadline = time.monotonic() + 60
        for phone in phones:
            phone.drain(drain_deadline)
    finally:
        if layout is not None:
            spread = layout.requests_per_worker()
            layout.stop()
        else:
            stop(server)
            spread = spread_from(out / "load_test_access.log")

    checks = verify(arguments.database_url, before, phones)
    run_kinds = ("sync", "caseload")
    run_latencies = [value for kind in run_kinds for value in stats.latencies.get(kind, [])]
    requests = arguments.max_requests - budget.left
    print()
    where = "nginx in front of 2 app servers and redis" if layout else "one app server"
    print(f"phones: {arguments.phones} on {len(emails)} accounts; {where}, gunicorn.conf.py "
          f"({len(spread)} sync workers in all); PostgreSQL on 127.0.0.1; {elapsed:.1f} s")
    total = sum(spread.values()) or 1
    print("requests (= connections) per worker: " + ", ".join(
        f"{worker}: {count} ({100 * count / total:.0f} %)" for worker, count in sorted(spread.items())))
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} at the end of the run; the simulated "
          f"phones themselves used {client_cpu:.1f} s of CPU ({100 * client_cpu / elapsed:.0f}% of one core)")
    print(f"requests in the timed run: {requests} ({requests / elapsed:.1f} per second)")
    print("latency, all timed requests: p50 {:.1f} ms, p95 {:.1f} ms, p99 {:.1f} ms".format(
        *(1000 * percentile(run_latencies, q) for q in (0.5, 0.95, 0.99))))
    buckets = [0.1, 0.25, 0.5, 1, 2, 4, 8]
    print("  timed requests slower than " + ", ".join(
        f"{limit:g} s: {sum(value > limit for value in run_latencies)}" for limit in buckets))
    for kind in ("sync", "caseload", "sign-in", "session"):
        values = stats.latencies.get(kind, [])
        if values:
            print(f"  {kind:<9} n={len(values):<6} p50 {1000 * percentile(values, 0.5):.1f} ms, "
                  f"p95 {1000 * percentile(values, 0.95):.1f} ms, p99 {1000 * percentile(values, 0.99):.1f} ms")
    created = stats.events.get("result created", 0)
    print(f"contacts stored: {created} ({created / elapsed:.1f} per second)")
    for what, number in sorted(stats.events.items()):
        print(f"  {what}: {number}")
    print(f"errors: {sum(stats.errors.values())}")
    for what, number in stats.errors.most_common():
        print(f"  {what}: {number}")
    if stats.details:
        print(f"each error (seconds from the start of sign-in; the last request and its answer"
              f"{f', the first {ERRORS_SHOWN}' if len(stats.details) > ERRORS_SHOWN else ''}):")
        for detail in stats.details[:ERRORS_SHOWN]:
            print(f"  {detail}")
    print("checks against the database:")
    for what, number in checks.items():
        print(f"  {what}: {number}")

    if not arguments.keep_database:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        target = make_url(arguments.database_url)
        server_db = create_engine(target.set(drivername="postgresql+psycopg", database="postgres"),
                                  isolation_level="AUTOCOMMIT")
        with server_db.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        server_db.dispose()

    failed = (stats.errors or checks["lost (made, not stored)"] or checks["extra (stored, not made)"]
              or checks["stored with another hash"] or checks["contacts without exactly one create event"]
              or checks["made by the phones"] != checks["new on the server"])
    print("RESULT:", "FAILED" if failed else "none lost, none doubled, none altered")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
