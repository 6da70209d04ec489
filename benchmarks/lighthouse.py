"""Lighthouse 12 (mobile preset: slow 4G, 4x CPU slowdown) on the phone app, signed in.

Run by hand (a benchmark, not part of `make test`):

    .venv/bin/python benchmarks/lighthouse.py            # needs Node 20 and npm; Debian's Chromium

1. installs ``lighthouse@12.2.3`` with npm into benchmarks/out/lighthouse/ (once);
2. makes a fresh SQLite database with the demo data (benchmarks/out/lighthouse.db);
3. starts gunicorn with the committed gunicorn.conf.py on a free loopback port;
4. signs in as a demo officer and runs Lighthouse on ``/app`` with that session's cookie,
   driving Debian's Chromium (CHROME_PATH, the flags of /work/shared/browser-tests.md);
5. prints the category scores, LCP, total blocking time and the bytes transferred, and
   stops gunicorn. Nothing leaves this machine.

This machine's CPU is slow for the mobile preset and shared: compare runs on the same
machine, and the byte weights more than the exact scores.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
BIN = Path(sys.executable).parent
LIGHTHOUSE = "lighthouse@12.2.3"
PASSWORD = "lighthouse-demo-password"
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def install_lighthouse() -> Path:
    folder = OUT / "lighthouse"
    binary = folder / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(folder), "--no-audit", "--no-fund", LIGHTHOUSE],
                       check=True, timeout=600)
    return binary


def prepare_database(url: str, environment: dict) -> None:
    database = OUT / "lighthouse.db"
    database.unlink(missing_ok=True)
    for command in (["db", "upgrade"], ["seed-demo", "--password", PASSWORD]):
        subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env=environment, check=True,
                       capture_output=True, timeout=600)


def officer_email(environment: dict) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(environment["DATABASE_URL"])
    with engine.connect() as connection:
        email = connection.scalar(text("SELECT email FROM users WHERE role = 'officer' ORDER BY id LIMIT 1"))
    engine.dispose()
    return email


def sign_in(port: int, email: str) -> str:
    cookies: dict[str, str] = {}

    def request(method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = dict(headers or {})
        if cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                cookies[key] = morsel.value
        connection.close()
        return response.status, data

    _status, page = request("GET", "/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.decode()).group(1)
    form = urlencode({"email": email, "password": PASSWORD, "csrf_token": token}).encode()
    status, _ = request("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 302:
        raise SystemExit(f"could not sign in as {email}: {status}")
    return "; ".join(f"{key}={value}" for key, value in cookies.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1)
    arguments = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    lighthouse = install_lighthouse()
    port = free_port()
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{OUT / 'lighthouse.db'}", "FLASK_APP": "wsgi.py",
                   "SECRET_KEY": secrets.token_hex(32), "CYSWLLT_ENV": "development",
                   "GUNICORN_BIND": f"127.0.0.1:{port}"}
    prepare_database(environment["DATABASE_URL"], environment)
    email = officer_email(environment)
    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
                              cwd=ROOT, env=environment, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/login")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        cookie = sign_in(port, email)
        for run in range(arguments.runs):
            report = OUT / f"lighthouse-{run + 1}.json"
            subprocess.run(
                [str(lighthouse), f"http://127.0.0.1:{port}/app", "--quiet", "--output=json",
                 f"--output-path={report}", "--form-factor=mobile", "--screenEmulation.mobile",
                 "--only-categories=performance,accessibility,best-practices",
                 f"--chrome-flags={' '.join(CHROME_FLAGS)}",
                 f"--extra-headers={json.dumps({'Cookie': cookie})}"],
                cwd=OUT, env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
                check=True, timeout=300,
            )
            result = json.loads(report.read_text())
            scores = {name: category["score"] for name, category in result["categories"].items()}
            audits = result["audits"]
            print(f"run {run + 1}: " + ", ".join(f"{name} {score:.2f}" for name, score in scores.items()))
            print(f"  LCP {audits['largest-contentful-paint']['displayValue']}, "
                  f"total blocking time {audits['total-blocking-time']['displayValue']}, "
                  f"FCP {audits['first-contentful-paint']['displayValue']}, "
                  f"transferred {audits['total-byte-weight']['numericValue'] / 1000:.1f} KB "
                  f"(load average {os.getloadavg()[0]:.1f})")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
