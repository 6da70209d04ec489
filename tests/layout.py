"""The production layout on real parts, on this machine's loopback: Debian's nginx in front of
several gunicorn app servers (each with the committed gunicorn.conf.py) sharing one
PostgreSQL database and a redis-server of its own (``--save ""``: nothing on disk).

Used by tests/test_scaled_out.py and by ``benchmarks/load_test.py --layout scaled``.
Every process is started in its own process group and stopped by its own id.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing_programs() -> list[str]:
    return [name for name in ("nginx", "redis-server") if _program(name) is None]


def _program(name: str) -> str | None:
    return shutil.which(name) or next(
        (str(Path(folder) / name) for folder in ("/usr/sbin", "/usr/bin") if (Path(folder) / name).exists()), None
    )


def _wait_for_http(port: int, path: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            status = connection.getresponse().status
            connection.close()
            if status < 500:
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def _wait_for_port(port: int, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False


NGINX_CONF = """\
{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {folder}/nginx-access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    client_max_body_size 2m;
    keepalive_timeout 30s;
    upstream app {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://app;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A server that cannot be reached is skipped; a write that reached one is never
            # sent again by nginx (the phone re-sends it: the API is idempotent).
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


@dataclass
class Layout:
    database_url: str
    folder: Path
    app_servers: int = 2
    workers_per_server: int = 2
    environment: dict = field(default_factory=dict)
    processes: dict = field(default_factory=dict)  # name -> Popen
    ports: dict = field(default_factory=dict)  # name -> port

    @property
    def port(self) -> int:
        return self.ports["nginx"]

    def app_port(self, index: int) -> int:
        return self.ports[f"app{index}"]

    def start(self) -> "Layout":
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            self._start_redis()
            secret = secrets.token_hex(32)  # one key for every app server: a session is valid on all
            for index in range(self.app_servers):
                self._start_app_server(index, secret)
            self._start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def _spawn(self, name: str, command: list[str], environment: dict | None = None, cwd: Path | None = None):
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 (the server's log, open while it runs)
        self.processes[name] = subprocess.Popen(
            command, cwd=cwd or self.folder, env=environment or os.environ.copy(), stdout=log, stderr=log,
            start_new_session=True,
        )
        log.close()

    def _start_redis(self) -> None:
        port = self.ports["redis"] = free_port()
        self._spawn("redis", [_program("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
                              "--save", "", "--appendonly", "no", "--dir", str(self.folder)])
        if not _wait_for_port(port):
            raise RuntimeError("redis-server did not start")

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.ports['redis']}/0"

    def _start_app_server(self, index: int, secret: str) -> None:
        port = self.ports[f"app{index}"] = free_port()
        environment = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": secret,
            "CYSWLLT_ENV": "development",  # plain HTTP on loopback: no Secure cookies
            "RATELIMIT_STORAGE_URI": self.redis_url,
            "PROXY_FIX_X_FOR": "1",  # the phone's address, from nginx
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(self.workers_per_server),
            "GUNICORN_ACCESS_LOG": str(self.folder / f"app{index}-access.log"),
            **self.environment,
        }
        self._spawn(f"app{index}", [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
                                    "--access-logformat", "%(p)s %(s)s %(r)s", "wsgi:app"],
                    environment, cwd=ROOT)
        if not _wait_for_http(port, "/api/v1/openapi.json"):
            raise RuntimeError(f"app server {index} did not start; see {self.folder / f'app{index}.log'}")

    def _start_nginx(self) -> None:
        port = self.ports["nginx"] = free_port()
        servers = "\n".join(
            f"        server 127.0.0.1:{self.app_port(index)} max_fails=1 fail_timeout=10s;"
            for index in range(self.app_servers)
        )
        user = "user root;" if os.geteuid() == 0 else ""  # workers must write their temp folders here
        conf = self.folder / "nginx.conf"
        conf.write_text(NGINX_CONF.format(user=user, folder=self.folder, servers=servers, port=port))
        self._spawn("nginx", [_program("nginx"), "-p", str(self.folder), "-c", str(conf),
                              "-e", str(self.folder / "nginx-error.log"), "-g", "daemon off;"])
        if not _wait_for_http(port, "/api/v1/openapi.json"):
            raise RuntimeError(f"nginx did not start; see {self.folder / 'nginx-error.log'}")

    def kill(self, name: str) -> None:
        """Kill one part at once (SIGKILL to its process group), as a crash would."""
        process = self.processes.get(name)
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop(self) -> None:
        for name in ["nginx"] + sorted(name for name in self.processes if name.startswith("app")) + ["redis"]:
            process = self.processes.get(name)
            if process is None or process.poll() is not None:
                continue
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def requests_per_worker(self) -> dict[str, int]:
        """Requests each gunicorn worker answered (``app<i>/<pid>``), from the access logs:
        each sync worker answers one request per connection, so this is the connection spread."""
        spread: dict[str, int] = {}
        for index in range(self.app_servers):
            log = self.folder / f"app{index}-access.log"
            if not log.exists():
                continue
            for line in log.read_text(errors="replace").splitlines():
                pid = line.split(" ", 1)[0].strip("<>")  # gunicorn writes %(p)s as <pid>
                if pid.isdigit():
                    key = f"app{index}/{pid}"
                    spread[key] = spread.get(key, 0) + 1
        return spread
