"""How long importing a cohort of 10,000 people from CSV takes (the target: under 10 s).

Makes a fresh database (SQLite file, or the PostgreSQL database named by --database-url,
whose tables are dropped and rebuilt by the migrations), a team with 20 officers, and a
CSV of 10,000 rows with Welsh names; then imports it (everyone admitted), imports it
again (nothing changes), and imports it with 1,000 rows changed. Prints wall-clock and
this process's CPU time for each, the ratio to the 10 s limit, and the load average.

    .venv/bin/python benchmarks/import_bench.py --db sqlite
    .venv/bin/python benchmarks/import_bench.py --db postgres --database-url postgresql://postgres@127.0.0.1:5432/test_h3
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import flask_migrate  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from app import create_app  # noqa: E402
from app.cohort.importing import import_people  # noqa: E402
from app.cohort.rules import pnc_check_letter  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Agency, Role, Team, User  # noqa: E402

LIMIT_SECONDS = 10.0
NAMES = ["Siân", "Dafydd", "Gwenllïan", "Rhys", "Ieuan", "Elin", "Llŷr", "Ffion", "Emrys", "Angharad"]
SURNAMES = ["Jones", "ap Gwilym", "Ŵyn", "Evans", "Llywelyn", "Prys", "Huws", "Thomas"]


def csv_text(rows: int, officers: list[str], changed: int = 0) -> bytes:
    lines = ["crn,niche_ref,display_name,category,rag,lead_agency,offender_manager_email,joined_on,mappa,wisdom,y2a"]
    for number in range(rows):
        serial = f"{number:07d}"
        rag = "amber" if number < changed else ["red", "green", "amber"][number % 3]
        if number < changed and rag == ["red", "green", "amber"][number % 3]:
            rag = "red"
        lines.append(",".join([
            f"X{number:06d}", f"24/{serial}{pnc_check_letter('24', serial)}",
            f"{NAMES[number % len(NAMES)]} {SURNAMES[number % len(SURNAMES)]} {number}",
            ["fixed", "flex", "free"][number % 3], rag, ["police", "probation"][number % 2],
            officers[number % len(officers)], "2026-09-07" if number % 2 else "07/09/2026",
            "yes" if number % 7 == 0 else "no", "ie" if number % 11 == 0 else "na", "0",
        ]))
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def timed(label: str, app, data: bytes, team_id: int) -> None:
    with app.app_context():
        team = db.session.get(Team, team_id)
        wall, cpu = time.perf_counter(), time.process_time()
        outcome = import_people(db.session, data, team=team, may_choose_team=True, is_admin=True,
                                today=date(2026, 11, 18))
        assert outcome.ok, outcome.problems[:5]
        db.session.commit()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<28} {wall:6.2f} s wall ({wall / LIMIT_SECONDS:5.1%} of {LIMIT_SECONDS:.0f} s), "
          f"{cpu:6.2f} s CPU here; {outcome.created} admitted, {outcome.updated} updated, {outcome.unchanged} unchanged")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    if args.db == "sqlite":
        url = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "import_bench.sqlite")
    else:
        url = args.database_url or "postgresql+psycopg://postgres@127.0.0.1:5432/test_h3"
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        flask_migrate.upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        team = Team(name="Meinciau IOM", force_area="Dyfed-Powys Police")
        db.session.add(team)
        db.session.flush()
        officers = []
        for number in range(20):
            email = f"swyddog{number}@example.org"
            db.session.add(User(email=email, name=f"Swyddog {number}", agency=Agency.POLICE, role=Role.OFFICER,
                                team_id=team.id, password_hash="x"))
            officers.append(email)
        db.session.commit()
        team_id = team.id
    print(f"{args.rows:,} rows on {args.db}; load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    timed("first import (all new)", app, csv_text(args.rows, officers), team_id)
    timed("same file again", app, csv_text(args.rows, officers), team_id)
    timed("1,000 rows changed", app, csv_text(args.rows, officers, changed=1000), team_id)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
