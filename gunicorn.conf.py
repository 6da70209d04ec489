"""Gunicorn's settings for Cyswllt: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Used by docs/deployment.md, benchmarks/load_test.py, benchmarks/sync_bench.py and the
scaled-out test (tests/test_scaled_out.py). Every value can be overridden from the
environment (``GUNICORN_*`` below) or on the command line.

Why sync workers: the work is CPU-bound Python plus short PostgreSQL round trips, so
one worker per core plus one (for the time a worker waits on the database) keeps the
cores busy. A sync worker answers one request per connection and closes it, so every
request goes to a worker that is free. Threaded workers (gthread) keep connections
alive, and a kept-alive connection stays on the worker that accepted it: the load test
found 94–100 of 100 phones' connections on one worker of four while the others idled.
In production nginx sits in front (docs/deployment.md): it keeps the phones' connections
alive and buffers slow uploads and downloads, so a sync worker is never held by a slow
phone, and it opens a fresh, local connection to whichever worker is free.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "sync"
# A request that takes longer than this is a fault: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
# The listen queue: bursts of phones wait here rather than being refused.
backlog = 2048
# Load the app once in the master: workers share its memory, and wsgi.py's gc.freeze()
# keeps it shared. Connections are made after the fork (the pool starts empty).
preload_app = True
# Trust X-Forwarded-* only from nginx on the same machine (ProxyFix in app/security/proxies.py).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Bounded memory over weeks of running: each worker is replaced after a while, not all at once.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")


def post_fork(_server, _worker):
    """No database connection made before the fork is shared by two workers."""
    from wsgi import app

    from app.extensions import db

    with app.app_context():
        db.engine.dispose(close=False)
